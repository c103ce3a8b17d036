import type {
  CodexConnection,
  EventSource,
  SubscribeOptions,
  TurnStart,
} from "../core/connection.ts";
import type { CodexEvent } from "../core/events.ts";
import type { CallOptions } from "../core/call_options.ts";
import type { ServerRequestHandler } from "../core/server_request_handler.ts";
import type { RouterStats } from "../core/router_stats.ts";
import type { InitializeResponse } from "../protocol/mod.ts";
import { PoolMemberUnavailableError, TransportClosedError } from "../errors/errors.ts";
import type { TurnSlots } from "./turn_slots.ts";

const TAIL_MARK = "\n--- app-server stderr (tail) ---\n";

/**
 * A `TransportClosedError` that names the pool member whose connection closed (other errors
 * pass unchanged).
 *
 * @example
 * ```ts
 * import { nameMember } from "./member_connection.ts";
 * import { TransportClosedError } from "../errors/errors.ts";
 * const err = nameMember("a", new TransportClosedError("app-server killed by SIGKILL", "tail"));
 * if (!(err instanceof TransportClosedError) || !err.message.startsWith("Pool member a:")) {
 *   throw new Error("the member is named");
 * }
 * ```
 */
export function nameMember(member: string, error: unknown): unknown {
  if (!(error instanceof TransportClosedError) || error.message.startsWith("Pool member ")) {
    return error;
  }
  const i = error.message.indexOf(TAIL_MARK);
  const message = i < 0 ? error.message : error.message.slice(0, i);
  return new TransportClosedError(`Pool member ${member}: ${message}`, error.stderrTail, error);
}

/**
 * One member connection of a pool, as its `Codex` sees it: every call goes to the member's
 * app-server, turn starts take a slot of the member's {@link TurnSlots} (released when the
 * turn's stream reads its end, fails, is cancelled or released), transport failures name the
 * member, and once the connection closed every call fails fast with
 * `PoolMemberUnavailableError` (the member is restarted on a new connection: resume the thread
 * through the pool).
 *
 * @example Wraps any connection
 * ```ts
 * import { MemberConnection } from "./member_connection.ts";
 * import { TurnSlots } from "./turn_slots.ts";
 * import type { CodexConnection } from "../core/connection.ts";
 * const wrap = (inner: CodexConnection) => new MemberConnection("a", inner, new TurnSlots(4));
 * console.assert(typeof wrap === "function");
 * ```
 */
export class MemberConnection implements CodexConnection {
  readonly #member: string;
  readonly #inner: CodexConnection;
  readonly #slots: TurnSlots;
  #closed: Error | undefined;
  #kill!: (error: Error) => void;
  /** Rejects when the pool gives up on this connection (a missed heartbeat). */
  readonly #dead = new Promise<never>((_, reject) => this.#kill = reject);
  readonly #releases = new Map<string, () => void>();

  /** Wraps `inner`, the connection to member `member`'s app-server. */
  constructor(member: string, inner: CodexConnection, slots: TurnSlots) {
    this.#member = member;
    this.#inner = inner;
    this.#slots = slots;
    this.#dead.catch(() => {}); // observed through the calls that race it
  }

  /** The `initialize` response. */
  get metadata(): InitializeResponse {
    return this.#inner.metadata;
  }

  /** The member's turn slots. */
  get slots(): TurnSlots {
    return this.#slots;
  }

  /** Marks this connection closed: later calls fail fast; waiting turns fail with `error`. */
  markClosed(error: Error): void {
    this.#closed ??= error;
    this.#slots.failWaiting(nameMember(this.#member, error) as Error);
  }

  /**
   * Gives up on this connection without waiting for it to notice (a link cut mid-turn sends no
   * close): pending calls and running turns' streams fail at once with `error`.
   */
  kill(error: Error): void {
    this.markClosed(error);
    this.#kill(nameMember(this.#member, error) as Error);
  }

  /** Sends a request to the member. */
  async request(method: string, params: unknown, options?: CallOptions): Promise<unknown> {
    this.#checkOpen();
    try {
      return await Promise.race([this.#inner.request(method, params, options), this.#dead]);
    } catch (err) {
      throw nameMember(this.#member, err);
    }
  }

  /** Starts a turn once the member has a free slot (in order); the slot follows the turn. */
  async startTurn(
    method: string,
    params: unknown,
    threadId: string,
    options: CallOptions = {},
  ): Promise<TurnStart> {
    this.#checkOpen();
    const since = performance.now();
    const release = await this.#slots.acquire(method, options);
    let started: TurnStart;
    try {
      this.#checkOpen();
      const left = options.timeoutMs === undefined
        ? undefined
        : Math.max(1, options.timeoutMs - (performance.now() - since));
      started = await Promise.race([
        this.#inner.startTurn(method, params, threadId, { ...options, timeoutMs: left }),
        this.#dead,
      ]);
    } catch (err) {
      release();
      throw nameMember(this.#member, err);
    }
    const turnId = started.turnId;
    const done = () => {
      this.#releases.delete(turnId);
      release();
    };
    this.#releases.set(turnId, done);
    return { ...started, events: this.#guard(started.events, done) };
  }

  /** Follows a running turn (no slot: it was counted where it started). */
  async followTurn(threadId: string, turnId: string): Promise<EventSource<CodexEvent>> {
    this.#checkOpen();
    return this.#guard(await this.#inner.followTurn(threadId, turnId), () => {});
  }

  /** A new subscription to the member's events that belong to no turn. */
  subscribe(options?: SubscribeOptions): Promise<EventSource<CodexEvent>> {
    return this.#inner.subscribe(options);
  }

  /** Stops routing a turn. */
  releaseTurn(turnId: string): void {
    this.#releases.get(turnId)?.();
    this.#inner.releaseTurn(turnId);
  }

  /** Sets the function that answers the member's server requests. */
  setServerRequestHandler(handler: ServerRequestHandler | undefined): Promise<void> {
    return this.#inner.setServerRequestHandler(handler);
  }

  /** Resolves with the closing error when the member's connection ends. */
  waitClosed(): Promise<Error> {
    return this.#inner.waitClosed();
  }

  /** The member's router counters. */
  stats(): Promise<RouterStats> {
    return this.#inner.stats();
  }

  /** Closes the member's connection (and its spawned app-server). */
  close(): Promise<void> {
    return this.#inner.close();
  }

  #checkOpen(): void {
    if (this.#closed) {
      throw new PoolMemberUnavailableError(
        this.#member,
        "down",
        false,
        `its connection closed (${
          this.#closed.message.split("\n")[0]
        }); resume the thread through the pool`,
      );
    }
  }

  /** The turn's stream, releasing `release` at its end and naming the member on failure. */
  #guard(source: EventSource<CodexEvent>, release: () => void): EventSource<CodexEvent> {
    const member = this.#member;
    const dead = this.#dead;
    return {
      cancel() {
        release();
        source.cancel();
      },
      async *[Symbol.asyncIterator]() {
        const iterator = source[Symbol.asyncIterator]();
        try {
          while (true) {
            const next = await Promise.race([iterator.next(), dead]);
            if (next.done) return;
            if (next.value.some((ev) => ev.method === "turn/completed")) release();
            yield next.value;
          }
        } catch (err) {
          throw nameMember(member, err);
        } finally {
          release();
          iterator.return?.().catch(() => {});
        }
      },
    };
  }
}
