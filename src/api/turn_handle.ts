import { AbortError, StreamConsumedError } from "../errors/errors.ts";
import type { CodexConnection, EventSource } from "../client/connection.ts";
import type { CodexEvent } from "../router/events.ts";
import type { CallOptions } from "../router/pending_requests.ts";
import { type Input, toUserInput } from "./input.ts";
import { type RunResult, TurnAccumulator } from "./run_result.ts";

const releaser = new FinalizationRegistry<{ conn: CodexConnection; turnId: string }>(
  ({ conn, turnId }) => {
    try {
      conn.releaseTurn(turnId);
    } catch { /* the connection is gone */ }
  },
);

/** Options of `TurnHandle.run()`. */
export interface TurnRunOptions {
  /** Stops waiting (and interrupts the turn unless `interruptOnAbort` is false). */
  signal?: AbortSignal;
  /** Interrupt the turn when `signal` aborts (default true). */
  interruptOnAbort?: boolean;
}

/**
 * A running turn. Read its events once — with `stream()` (one event at a time), `batches()`
 * (arrays, for UIs) or `streamText()` (agent text deltas only) — or just `await run()`. After a
 * stream was read, `run()` returns the result collected while streaming.
 *
 * @example
 * ```ts ignore
 * const turn = await thread.turn("say hi");
 * for await (const ev of turn.stream()) console.log(ev.method);
 * const result = await turn.run(); // collected while streaming
 * ```
 */
export class TurnHandle {
  /** The turn id. */
  readonly id: string;
  /** The thread id. */
  readonly threadId: string;
  readonly #conn: CodexConnection;
  readonly #events: EventSource<CodexEvent>;
  readonly #acc: TurnAccumulator;
  readonly #onDone: (() => void) | undefined;
  #consumed = false;
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
    this.#events = events;
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
   * once per batch. Can be read once.
   */
  async *batches(): AsyncGenerator<CodexEvent[], void, undefined> {
    if (this.#consumed) {
      throw new StreamConsumedError(
        this.id,
        this.completed ? "its turn already completed and its events were read" : undefined,
      );
    }
    this.#consumed = true;
    let failure: unknown;
    try {
      for await (const batch of this.#events) {
        for (const ev of batch) this.#acc.add(ev);
        yield batch;
      }
    } catch (err) {
      failure = err;
      throw err;
    } finally {
      releaser.unregister(this);
      this.#onDone?.();
      if (failure !== undefined) this.#finish.reject(failure);
      else if (this.#acc.completed) this.#finish.resolve();
      else {
        this.#events.cancel();
        this.#finish.reject(
          new StreamConsumedError(this.id, "its stream was closed before the turn completed"),
        );
      }
    }
  }

  /** The turn's events one at a time, ending after `turn/completed`. Can be read once. */
  async *stream(): AsyncGenerator<CodexEvent, void, undefined> {
    for await (const batch of this.batches()) yield* batch;
  }

  /** Only the agent's text deltas, as they arrive. */
  async *streamText(): AsyncGenerator<string, void, undefined> {
    for await (const batch of this.batches()) {
      for (const ev of batch) {
        if (ev.method === "item/agentMessage/delta") {
          yield (ev.params as { delta: string }).delta;
        }
      }
    }
  }

  /**
   * Waits for the turn to complete and returns its result. Rejects with `TurnFailedError` for a
   * failed turn; an interrupted turn resolves with status `interrupted`.
   */
  async run(options: TurnRunOptions = {}): Promise<RunResult> {
    if (options.signal?.aborted) throw new AbortError(`turn ${this.id}`);
    if (!this.#consumed) {
      (async () => {
        for await (const _ of this.batches()) { /* accumulate */ }
      })().catch(() => {}); // the failure reaches run() through #finished
    }
    await this.#waitWithSignal(this.#finished, options);
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

  /** Interrupts the running turn; it then completes with status `interrupted`. */
  async interrupt(options?: CallOptions): Promise<void> {
    await this.#conn.request(
      "turn/interrupt",
      { threadId: this.threadId, turnId: this.id },
      options,
    );
  }

  async #waitWithSignal(done: Promise<void>, options: TurnRunOptions): Promise<void> {
    const signal = options.signal;
    if (!signal) return await done;
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => {
        if (options.interruptOnAbort !== false) this.interrupt().catch(() => {});
        reject(new AbortError(`turn ${this.id}`, signal.reason));
      };
      signal.addEventListener("abort", onAbort, { once: true });
    });
    try {
      await Promise.race([done, aborted]);
    } finally {
      signal.removeEventListener("abort", onAbort!);
    }
  }
}
