import {
  AbortError,
  type CodexError,
  StreamConsumedError,
  TurnStalledError,
} from "../errors/errors.ts";
import type { CodexConnection, EventSource } from "../core/connection.ts";
import type { CodexEvent } from "../core/events.ts";
import type { CallOptions } from "../core/call_options.ts";
import { Deadline, MAX_TIMER_MS } from "../util/deadline.ts";
import { GapText } from "./gap_text.ts";
import { type Input, toUserInput } from "./input.ts";
import { type RunResult, TurnAccumulator } from "./run_result.ts";

const releaser = new FinalizationRegistry<{ conn: CodexConnection; turnId: string }>(
  ({ conn, turnId }) => {
    try {
      conn.releaseTurn(turnId);
    } catch { /* the connection is gone */ }
  },
);

/**
 * Options of `TurnHandle.run()`.
 *
 * @example Give up after 5 minutes, or after 30 s without an event (the turn is interrupted)
 * ```ts
 * import type { TurnRunOptions } from "./turn_handle.ts";
 * const options: TurnRunOptions = { signal: AbortSignal.timeout(300_000), idleTimeoutMs: 30_000 };
 * console.assert(options.interruptOnAbort === undefined);
 * ```
 */
export interface TurnRunOptions {
  /** Stops waiting (and interrupts the turn unless `interruptOnAbort` is false). */
  signal?: AbortSignal;
  /**
   * Stops waiting with `TurnStalledError` when no event of the turn arrives for this long, in
   * ms (and interrupts the turn unless `interruptOnAbort` is false). Off by default. An
   * app-server that cannot reach its model retries without end, so a bound is the only way to
   * notice. Quiet time counts from the call and from each event this handle reads (a slow
   * concurrent `stream()` reader delays what `run()` sees).
   */
  idleTimeoutMs?: number;
  /** Interrupt the turn when `signal` aborts or `idleTimeoutMs` passes (default true). */
  interruptOnAbort?: boolean;
}

/** @internal Throws `RangeError` unless `idleMs` is absent or a usable timer delay. */
export function checkIdleTimeout(idleMs: number | undefined): void {
  if (idleMs === undefined) return;
  if (!(Number.isFinite(idleMs) && idleMs > 0 && idleMs <= MAX_TIMER_MS)) {
    throw new RangeError(
      `idleTimeoutMs must be a number of ms in (0, ${MAX_TIMER_MS}], got ${idleMs}`,
    );
  }
}

/**
 * A running turn. Read its events — with `stream()` (one event at a time), `batches()` (arrays,
 * for UIs) or `streamText()` (agent text deltas only) — or just `await run()`. Whatever was
 * read is collected, so `run()` after (or while) streaming returns the whole result.
 *
 * @example Stream the agent's text, then take the whole result
 * ```ts
 * import { Codex } from "../../mod.ts";
 * import { reply, ResponsesModelServer, writeCodexHome } from "../testing/mod.ts";
 * await using model = await ResponsesModelServer.start();
 * model.enqueue(reply.text("hello streaming world", { chunks: 3 }));
 * await using home = await writeCodexHome({ modelServerUrl: model.url });
 * await using codex = await Codex.connect({ codexHome: home.dir });
 * const turn = await (await codex.threadStart({})).turn("say hi");
 * let text = "";
 * for await (const delta of turn.streamText()) text += delta;
 * const result = await turn.run(); // collected while streaming
 * if (text !== result.finalResponse) throw new Error(`${text} ≠ ${result.finalResponse}`);
 * ```
 */
export class TurnHandle {
  /** The turn id. */
  readonly id: string;
  /** The thread id. */
  readonly threadId: string;
  readonly #conn: CodexConnection;
  readonly #acc: TurnAccumulator;
  readonly #onDone: (() => void) | undefined;
  readonly #iterator: AsyncIterator<CodexEvent[]>;
  #reading = false;
  /** When this handle last read an event (`performance.now()`), for the idle watchdog. */
  #lastEventAt = 0;
  #exhausted = false;
  #leftover: CodexEvent[] | undefined;
  readonly #readerStopped: Array<() => void> = [];
  readonly #finished: Promise<void>;
  #finish!: { resolve: () => void; reject: (e: unknown) => void };

  /** @internal Created by `Thread.turn()`. */
  constructor(
    conn: CodexConnection,
    threadId: string,
    turnId: string,
    events: EventSource<CodexEvent>,
    onDone?: () => void,
  ) {
    this.#conn = conn;
    this.threadId = threadId;
    this.id = turnId;
    this.#iterator = events[Symbol.asyncIterator]();
    this.#onDone = onDone;
    this.#acc = new TurnAccumulator(turnId, threadId);
    this.#finished = new Promise<void>((resolve, reject) => {
      this.#finish = { resolve, reject };
    });
    this.#finished.catch(() => {}); // observed through run()
    releaser.register(this, { conn, turnId }, this);
  }

  /** True once the turn's `turn/completed` was read. */
  get completed(): boolean {
    return this.#acc.completed;
  }

  /**
   * The turn's events in batches (arrays), ending after `turn/completed`. Best for UIs: render
   * once per batch. Leaving the loop early (`break`) keeps the rest: a later `batches()`,
   * `stream()` or `run()` continues where it stopped. One reader at a time; reading a turn whose
   * events were all read throws `StreamConsumedError`.
   */
  async *batches(): AsyncGenerator<CodexEvent[], void, undefined> {
    this.#beginReading();
    try {
      while (true) {
        const batch = await this.#nextBatch();
        if (batch === undefined) return;
        yield batch;
      }
    } finally {
      this.#stopReading();
    }
  }

  /** The turn's events one at a time, ending after `turn/completed`; see {@link batches}. */
  async *stream(): AsyncGenerator<CodexEvent, void, undefined> {
    this.#beginReading();
    let batch: CodexEvent[] | undefined;
    let i = 0;
    try {
      while (true) {
        batch = await this.#nextBatch();
        if (batch === undefined) return;
        for (i = 0; i < batch.length; i++) yield batch[i];
      }
    } finally {
      if (batch && i + 1 < batch.length) this.#leftover = batch.slice(i + 1);
      this.#stopReading();
    }
  }

  /**
   * Only the agent's text deltas, as they arrive; see {@link batches}. Across a reconnection
   * (`sdk/gap`), a message that may have lost deltas is held back and yielded whole from its
   * completed item, so the text is never missing a part nor repeating one.
   */
  async *streamText(): AsyncGenerator<string, void, undefined> {
    const text = new GapText();
    for await (const ev of this.stream()) {
      const part = text.next(ev);
      if (part !== undefined) yield part;
    }
  }

  #stopReading(): void {
    this.#reading = false;
    for (const resolve of this.#readerStopped.splice(0)) resolve();
  }

  #beginReading(): void {
    if (this.#reading) {
      throw new StreamConsumedError(this.id, "another consumer is reading its stream");
    }
    if (this.#exhausted && this.#leftover === undefined) {
      throw new StreamConsumedError(this.id, "its turn already completed and its events were read");
    }
    this.#reading = true;
  }

  /** The next batch (leftover first), fed to the accumulator; `undefined` at the end. */
  async #nextBatch(): Promise<CodexEvent[] | undefined> {
    if (this.#leftover) {
      const batch = this.#leftover;
      this.#leftover = undefined;
      return batch;
    }
    if (this.#exhausted) return undefined;
    let next: IteratorResult<CodexEvent[]>;
    try {
      next = await this.#iterator.next();
    } catch (err) {
      this.#end(err);
      throw err;
    }
    if (next.done) {
      this.#end(undefined);
      return undefined;
    }
    this.#lastEventAt = performance.now();
    for (const ev of next.value) this.#acc.add(ev);
    return next.value;
  }

  #end(failure: unknown): void {
    this.#exhausted = true;
    releaser.unregister(this);
    this.#onDone?.();
    if (failure !== undefined) this.#finish.reject(failure);
    else if (this.#acc.completed) this.#finish.resolve();
    else {
      this.#finish.reject(
        new StreamConsumedError(this.id, "its stream ended before the turn completed"),
      );
    }
  }

  /**
   * Waits for the turn to complete and returns its result. Rejects with `TurnFailedError` for a
   * failed turn, `AbortError` when `signal` aborts and `TurnStalledError` when the turn goes
   * quiet for `idleTimeoutMs`; an interrupted turn resolves with status `interrupted`.
   */
  async run(options: TurnRunOptions = {}): Promise<RunResult> {
    checkIdleTimeout(options.idleTimeoutMs);
    if (options.signal?.aborted) throw new AbortError(`turn ${this.id}`);
    const drained = (async () => {
      while (!this.#exhausted || this.#leftover) {
        if (this.#reading) {
          await new Promise<void>((resolve) => this.#readerStopped.push(resolve));
          continue;
        }
        for await (const _ of this.batches()) { /* accumulate */ }
      }
      await this.#finished;
    })();
    drained.catch(() => {});
    await this.#waitUnlessStopped(drained, options);
    return this.#acc.result();
  }

  /** Adds input to the running turn (`turn/steer` with `expectedTurnId`). */
  async steer(input: Input, options?: CallOptions): Promise<void> {
    await this.#conn.request("turn/steer", {
      threadId: this.threadId,
      expectedTurnId: this.id,
      input: toUserInput(input),
    }, options);
  }

  /**
   * Interrupts the running turn; it then completes with status `interrupted`. The app-server
   * refuses to interrupt a turn it has not started yet, so right after `thread.turn()` the
   * request is held until the turn's `turn/started` (or its end) before it is sent.
   */
  async interrupt(options?: CallOptions): Promise<void> {
    await this.#conn.request(
      "turn/interrupt",
      { threadId: this.threadId, turnId: this.id },
      options,
    );
  }

  /** Waits for `done`, unless `signal` aborts or the turn stays quiet for `idleTimeoutMs`. */
  async #waitUnlessStopped(done: Promise<void>, options: TurnRunOptions): Promise<void> {
    const { signal, idleTimeoutMs } = options;
    if (!signal && idleTimeoutMs === undefined) return await done;
    const stop = (wait: Deadline<void>, error: CodexError) => {
      if (wait.reject(error) && options.interruptOnAbort !== false) {
        this.interrupt().catch(() => {});
      }
    };
    const since = performance.now();
    // A sliding bound: when it is up, the quiet time counts from the last event read.
    const wait = new Deadline<void>(`turn ${this.id}`, {
      signal,
      timeoutMs: idleTimeoutMs,
      onAbort: (d) => stop(d, new AbortError(d.what, signal?.reason)),
      onTimeout: (d) => {
        const quiet = performance.now() - Math.max(since, this.#lastEventAt);
        if (quiet >= idleTimeoutMs!) stop(d, new TurnStalledError(this.id, idleTimeoutMs!));
        else d.expireIn(idleTimeoutMs! - quiet);
      },
    });
    done.then(() => wait.resolve(), (err) => wait.reject(err));
    await wait.promise;
  }
}
