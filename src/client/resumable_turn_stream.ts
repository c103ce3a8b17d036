import { CONNECT_DEFAULTS } from "../core/defaults.ts";
import { TransportClosedError } from "../errors/errors.ts";
import type { ThreadItem, Turn } from "../protocol/mod.ts";
import type { CodexEvent, SdkEvent } from "../core/events.ts";
import { EventChannel } from "../util/event_channel.ts";
import type { CodexConnection, EventSource } from "../core/connection.ts";

/**
 * How a turn's stream goes on after a reconnection: the new connection's stream of the turn
 * (`followTurn`, opened before `thread/resume`) and the turn as `thread/read` reported it after.
 */
export interface TurnResumption {
  /** The turn's events on the new connection. */
  source: EventSource<CodexEvent>;
  /** The connection that carries `source`. */
  conn: CodexConnection;
  /** The turn, read after the resume: its finished items and its status. */
  turn: Turn;
  /** Why the connection dropped. */
  message: string;
}

const TERMINAL = new Set(["completed", "interrupted", "failed"]);

/**
 * One turn's stream across reconnections: what `TurnHandle` reads when `reconnect` is on. It
 * forwards the turn's events from the current connection; when that connection drops, it waits
 * for the reconnection's verdict ({@link resume} or {@link fail}) and then goes on with one
 * `sdk/gap` event, the items that finished meanwhile (`item/completed`, from `thread/read`), and
 * the live events of the new connection. Nothing is delivered twice: an item's completion, the
 * deltas of an item already completed, and a server request the app-server sends again after
 * the resume are each let through once. Bounded like a turn stream (`limit` unread events).
 *
 * @example
 * ```ts
 * import { ResumableTurnStream } from "./resumable_turn_stream.ts";
 * import { EventChannel } from "../util/event_channel.ts";
 * const source = new EventChannel<never>();
 * const stream = new ResumableTurnStream("t", "u", { source, conn: {} as never });
 * const done = { method: "turn/completed", params: { threadId: "t", turn: { id: "u" } } };
 * source.push(done as never);
 * for await (const batch of stream) console.assert(batch[0].method === "turn/completed");
 * ```
 */
export class ResumableTurnStream implements EventSource<CodexEvent> {
  /** The thread. */
  readonly threadId: string;
  /** The turn. */
  readonly turnId: string;
  readonly #out: EventChannel<CodexEvent>;
  readonly #onEnd: (() => void) | undefined;
  readonly #onMove: (() => void) | undefined;
  /** Items whose `item/completed` was delivered. */
  readonly #completed = new Set<string>();
  /** Server requests delivered (method and params). */
  readonly #requests = new Set<string>();
  #gaps = 0;
  #finished = false;
  #source: EventSource<CodexEvent> | undefined;
  #conn: CodexConnection | undefined;
  #verdict: TurnResumption | { error: unknown } | undefined;
  #wakeVerdict: (() => void) | undefined;

  /**
   * Starts forwarding `start.source`, or (a `TurnResumption`) starts with its gap: a turn whose
   * start was answered only after a reconnection.
   */
  constructor(
    threadId: string,
    turnId: string,
    start: { source: EventSource<CodexEvent>; conn: CodexConnection } | TurnResumption,
    options: { limit?: number; onEnd?: () => void; onMove?: () => void } = {},
  ) {
    this.threadId = threadId;
    this.turnId = turnId;
    this.#onEnd = options.onEnd;
    this.#onMove = options.onMove;
    this.#out = new EventChannel<CodexEvent>({
      name: `turn ${turnId}`,
      limit: options.limit ?? CONNECT_DEFAULTS.maxBufferedEvents,
      onCancel: () => this.#stop(),
    });
    this.#pump(start).catch((err) => this.#close(err));
  }

  /** The connection whose stream is being forwarded (`undefined` once the stream ended). */
  get connection(): CodexConnection | undefined {
    return this.#finished ? undefined : this.#conn;
  }

  /** True once the stream ended (turn completed, failed or cancelled). */
  get finished(): boolean {
    return this.#finished;
  }

  /**
   * The reconnection's verdict: go on with `resumption` once the dropped connection's stream is
   * drained. A later verdict replaces one not yet taken (its source is cancelled).
   */
  resume(resumption: TurnResumption): void {
    if (this.#finished) {
      discard(resumption);
      return;
    }
    this.#setVerdict(resumption);
  }

  /** The reconnection failed for good: after what was delivered, the stream fails with `error`. */
  fail(error: unknown): void {
    if (!this.#finished) this.#setVerdict({ error });
  }

  /** Stops the stream early (the handle was dropped). */
  cancel(): void {
    this.#out.cancel();
  }

  [Symbol.asyncIterator](): AsyncIterator<CodexEvent[]> {
    return this.#out[Symbol.asyncIterator]();
  }

  #setVerdict(verdict: TurnResumption | { error: unknown }): void {
    const previous = this.#verdict;
    if (previous && "source" in previous) discard(previous);
    this.#verdict = verdict;
    this.#wakeVerdict?.();
  }

  async #pump(
    start: { source: EventSource<CodexEvent>; conn: CodexConnection } | TurnResumption,
  ): Promise<void> {
    let next = start;
    while (true) {
      if ("turn" in next && !this.#deliverGap(next)) return discard(next);
      const moved = this.#conn !== undefined && this.#conn !== next.conn;
      this.#source = next.source;
      this.#conn = next.conn;
      if (moved) this.#onMove?.();
      if (!(await this.#forward(next.source))) return;
      const verdict = await this.#takeVerdict();
      if (verdict === undefined) return;
      if ("error" in verdict) return this.#close(verdict.error);
      next = verdict;
    }
  }

  /** Forwards one connection's stream; true when it was cut by the connection's end. */
  async #forward(source: EventSource<CodexEvent>): Promise<boolean> {
    try {
      for await (const batch of source) {
        if (this.#finished) return false;
        const kept = this.#keep(batch);
        if (kept.length > 0) this.#out.pushAll(kept);
        if (this.#finished) {
          this.#out.end();
          this.#onEnd?.();
          return false;
        }
        if (this.#out.done) { // overflowed: the reader gets StreamOverflowError
          this.#finished = true;
          this.#onEnd?.();
          return false;
        }
      }
    } catch (err) {
      if (this.#finished) return false;
      if (err instanceof TransportClosedError) return true;
      this.#close(err);
      return false;
    }
    // Ended without its turn/completed: the connection went away (or the stream was cancelled).
    return !this.#finished;
  }

  /** Waits for the reconnection's verdict; `undefined` when the stream was cancelled first. */
  async #takeVerdict(): Promise<TurnResumption | { error: unknown } | undefined> {
    while (!this.#verdict && !this.#finished) {
      await new Promise<void>((resolve) => this.#wakeVerdict = resolve);
      this.#wakeVerdict = undefined;
    }
    const verdict = this.#verdict;
    this.#verdict = undefined;
    if (verdict && "source" in verdict && this.#finished) {
      discard(verdict);
      return undefined;
    }
    return verdict;
  }

  /** The events worth delivering, in order; marks the turn finished at its `turn/completed`. */
  #keep(batch: CodexEvent[]): CodexEvent[] {
    const kept: CodexEvent[] = [];
    for (const ev of batch) {
      if ("serverRequest" in ev) {
        const key = requestKey(ev);
        if (this.#requests.has(key)) continue; // asked again after the resume: shown once
        this.#requests.add(key);
        kept.push(ev);
        continue;
      }
      if (this.#gaps > 0) {
        const itemId = itemIdOf(ev);
        if (itemId !== undefined && this.#completed.has(itemId)) continue;
      }
      if (ev.method === "item/completed") {
        const id = (ev.params as { item?: { id?: unknown } }).item?.id;
        if (typeof id === "string") this.#completed.add(id);
      }
      kept.push(ev);
      if (ev.method === "turn/completed") {
        this.#finished = true;
        break;
      }
    }
    return kept;
  }

  /** Delivers the gap and the reconciled items; false when the turn ended during the gap. */
  #deliverGap(resumption: TurnResumption): boolean {
    this.#gaps++;
    const { turn } = resumption;
    const ended = TERMINAL.has(turn.status);
    const fresh = turn.items.filter((item) =>
      !this.#completed.has(item.id) && (ended || isFinished(item))
    );
    const gap: SdkEvent = {
      method: "sdk/gap",
      params: {
        threadId: this.threadId,
        turnId: this.turnId,
        message: resumption.message,
        status: turn.status,
        reconciledItems: fresh.map((item) => item.id),
      },
    };
    const events: CodexEvent[] = [gap];
    for (const item of fresh) {
      this.#completed.add(item.id);
      const at = (item as { completedAtMs?: unknown }).completedAtMs;
      events.push({
        method: "item/completed",
        params: {
          item,
          threadId: this.threadId,
          turnId: this.turnId,
          completedAtMs: typeof at === "number" ? at : Date.now(),
        },
      } as CodexEvent);
    }
    if (ended) {
      events.push({
        method: "turn/completed",
        params: { threadId: this.threadId, turn },
      } as CodexEvent);
    }
    this.#out.pushAll(events);
    if (!ended) return true;
    this.#finished = true;
    this.#out.end();
    this.#onEnd?.();
    return false;
  }

  #close(error: unknown): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#out.fail(error);
    this.#onEnd?.();
  }

  #stop(): void {
    const wasFinished = this.#finished;
    this.#finished = true;
    this.#source?.cancel();
    this.#wakeVerdict?.();
    const verdict = this.#verdict;
    if (verdict && "source" in verdict) discard(verdict);
    this.#verdict = undefined;
    if (!wasFinished) this.#onEnd?.();
  }
}

/** Cancels a resumption's stream and stops its routing on the new connection. */
function discard(resumption: TurnResumption | { source: EventSource<CodexEvent> }): void {
  resumption.source.cancel();
  if ("turn" in resumption) resumption.conn.releaseTurn(resumption.turn.id);
}

/** A server request's identity across connections: its method and params (ids differ). */
export function requestKey(ev: { method: string; params: unknown }): string {
  return `${ev.method}\u0000${JSON.stringify(ev.params)}`;
}

/** The item an event is about (`item.id` or `itemId`), if any. */
function itemIdOf(ev: CodexEvent): string | undefined {
  const params = ev.params as { itemId?: unknown; item?: { id?: unknown } } | undefined;
  const id = params?.itemId ?? params?.item?.id;
  return typeof id === "string" ? id : undefined;
}

/** An item of a running turn that `thread/read` shows as finished (not one still streaming). */
function isFinished(item: ThreadItem): boolean {
  const at = (item as { completedAtMs?: unknown }).completedAtMs;
  return at === undefined || at !== null;
}
