import { TransportClosedError } from "../errors/errors.ts";
import type { InitializeResponse } from "../protocol/mod.ts";
import type { CodexEvent } from "../router/events.ts";
import { GlobalStream } from "../router/global_stream.ts";
import type { RouterStats, ServerRequestHandler } from "../router/message_router.ts";
import type { CallOptions } from "../router/pending_requests.ts";
import type { CodexConnection, EventSource, TurnStart } from "./connection.ts";

/**
 * How a WebSocket connection is re-established after it drops (`ConnectOptions.reconnect`).
 *
 * @example
 * ```ts
 * import type { ReconnectOptions } from "./reconnecting_connection.ts";
 * const reconnect: ReconnectOptions = { maxAttempts: 5, initialDelayMs: 200, maxDelayMs: 2000 };
 * console.assert(reconnect.maxAttempts === 5);
 * ```
 */
export interface ReconnectOptions {
  /** Attempts before giving up (default 8); then the connection closes for good. */
  maxAttempts?: number;
  /** Delay before the first attempt, in ms (default 100); doubled after each failure. */
  initialDelayMs?: number;
  /** Largest delay between attempts, in ms (default 5 000). */
  maxDelayMs?: number;
}

/**
 * A turn whose events may be incomplete because the connection dropped while it ran.
 *
 * @example
 * ```ts
 * import type { InterruptedTurn } from "./reconnecting_connection.ts";
 * const cut: InterruptedTurn = { threadId: "t", turnId: "u", status: "completed", items: [] };
 * console.assert(cut.status === "completed");
 * ```
 */
export interface InterruptedTurn {
  /** The thread. */
  threadId: string;
  /** The turn. */
  turnId: string;
  /** Its status as `thread/read` reports it after the reconnection (`unknown` if not found). */
  status: string;
  /** Its items as `thread/read` (`includeTurns`) reports them: the reconciled, finished items. */
  items: unknown[];
}

/**
 * Params of the `sdk/reconnected` event on the global stream.
 *
 * @example
 * ```ts
 * import type { ReconnectedParams } from "./reconnecting_connection.ts";
 * function missed(p: ReconnectedParams): number {
 *   return p.turns.length;
 * }
 * console.assert(typeof missed === "function");
 * ```
 */
export interface ReconnectedParams {
  /** Which attempt succeeded (1 = the first). */
  attempt: number;
  /** Threads re-subscribed with `thread/resume`. */
  threads: string[];
  /** Threads that could not be resumed, with the server's message. */
  failedThreads: Array<{ threadId: string; message: string }>;
  /** Turns whose stream ended with the disconnection: what may have been missed. */
  turns: InterruptedTurn[];
}

const THREAD_RESULT_METHODS = new Set(["thread/start", "thread/resume", "thread/fork"]);

/**
 * A {@link CodexConnection} that survives dropped WebSockets. When the underlying connection
 * ends unexpectedly, the streams of running turns end with `TransportClosedError` (as without
 * reconnection), an `sdk/disconnected` event goes to the global stream, and the connection is
 * re-opened with exponential backoff. Once it is back, every thread this client used is
 * re-subscribed (`thread/resume`), the turns that were cut off are reconciled from `thread/read`
 * (`includeTurns`), and one `sdk/reconnected` event lists the threads resumed and those turns
 * with their status and finished items. Calls made while reconnecting wait for the outcome; if
 * every attempt fails, the connection closes with `TransportClosedError`.
 *
 * Events of turns still running after the reconnection arrive on the global stream (their own
 * stream already ended). Global-stream subscriptions survive reconnections.
 *
 * @example
 * ```ts ignore
 * import { CodexClient } from "./codex_client.ts";
 * import { ReconnectingConnection } from "./reconnecting_connection.ts";
 * const open = () => CodexClient.connect({ url: "ws://127.0.0.1:4500", token: "t" });
 * const conn = new ReconnectingConnection(await open(), open, { maxAttempts: 5 });
 * for await (const batch of await conn.subscribe()) {
 *   for (const ev of batch) if (ev.method === "sdk/reconnected") console.log(ev.params);
 * }
 * ```
 */
export class ReconnectingConnection implements CodexConnection {
  readonly #open: () => Promise<CodexConnection>;
  readonly #maxAttempts: number;
  readonly #initialDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #global = new GlobalStream(1_000, 250_000);
  readonly #threads = new Set<string>();
  /** Turns started here whose stream was not seen to complete: turn id → thread id. */
  readonly #turns = new Map<string, string>();
  #inner: CodexConnection;
  #handler: ServerRequestHandler | undefined;
  #ready: Promise<void> = Promise.resolve();
  #closedError: Error | undefined;
  readonly #closeWaiters: Array<(e: Error) => void> = [];
  #closing = false;
  #wake: (() => void) | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** Wraps a connected `inner`; `open` makes a new connection with the same options. */
  constructor(
    inner: CodexConnection,
    open: () => Promise<CodexConnection>,
    options: ReconnectOptions = {},
  ) {
    this.#inner = inner;
    this.#open = open;
    this.#maxAttempts = Math.max(1, options.maxAttempts ?? 8);
    this.#initialDelayMs = options.initialDelayMs ?? 100;
    this.#maxDelayMs = options.maxDelayMs ?? 5_000;
    this.#attach(inner);
  }

  /** The `initialize` response of the current connection. */
  get metadata(): InitializeResponse {
    return this.#inner.metadata;
  }

  /** Sends a request (after a reconnection in progress, if any). */
  async request(method: string, params: unknown, options?: CallOptions): Promise<unknown> {
    const inner = await this.#current();
    const result = await inner.request(method, params, options);
    if (THREAD_RESULT_METHODS.has(method)) {
      const id = (result as { thread?: { id?: unknown } } | undefined)?.thread?.id;
      if (typeof id === "string") this.#threads.add(id);
    }
    if (method === "thread/unsubscribe" || method === "thread/archive") {
      this.#threads.delete((params as { threadId: string }).threadId);
    }
    return result;
  }

  /** Starts a turn; the turn is tracked until its stream completes. */
  async startTurn(
    method: string,
    params: unknown,
    threadId: string,
    options?: CallOptions,
  ): Promise<TurnStart> {
    const inner = await this.#current();
    const started = await inner.startTurn(method, params, threadId, options);
    this.#threads.add(threadId);
    this.#turns.set(started.turnId, threadId);
    return { ...started, events: this.#track(started.turnId, started.events) };
  }

  /** A global-stream subscription that lasts across reconnections. */
  subscribe(): Promise<EventSource<CodexEvent>> {
    return Promise.resolve(this.#global.subscribe());
  }

  /** Stops routing a turn. */
  releaseTurn(turnId: string): void {
    this.#turns.delete(turnId);
    this.#inner.releaseTurn(turnId);
  }

  /** Sets the server-request handler (kept for later connections). */
  async setServerRequestHandler(handler: ServerRequestHandler | undefined): Promise<void> {
    this.#handler = handler;
    await (await this.#current()).setServerRequestHandler(handler);
  }

  /** Resolves when the connection ends for good (closed, or every reconnection failed). */
  waitClosed(): Promise<Error> {
    if (this.#closedError) return Promise.resolve(this.#closedError);
    return new Promise((resolve) => this.#closeWaiters.push(resolve));
  }

  /** Counters of the current connection. */
  async stats(): Promise<RouterStats> {
    return await (await this.#current()).stats();
  }

  /** Closes the connection and stops reconnecting. */
  async close(): Promise<void> {
    if (this.#closing) return await this.#ready.catch(() => {});
    this.#closing = true;
    clearTimeout(this.#timer);
    this.#wake?.();
    await this.#ready.catch(() => {});
    await this.#inner.close();
    this.#finish(new TransportClosedError("The connection was closed by the client"));
  }

  async #current(): Promise<CodexConnection> {
    await this.#ready;
    if (this.#closedError) throw this.#closedError;
    return this.#inner;
  }

  #attach(inner: CodexConnection): void {
    inner.waitClosed().then((error) => this.#onLost(inner, error));
    (async () => {
      const source = await inner.subscribe();
      for await (const batch of source) for (const ev of batch) this.#global.push(ev);
    })().catch(() => {/* ends with the connection; #onLost takes over */});
  }

  #track(turnId: string, source: EventSource<CodexEvent>): EventSource<CodexEvent> {
    const turns = this.#turns;
    return {
      cancel: () => source.cancel(),
      async *[Symbol.asyncIterator]() {
        for await (const batch of source) {
          if (batch.some((ev) => ev.method === "turn/completed")) turns.delete(turnId);
          yield batch;
        }
      },
    };
  }

  #onLost(inner: CodexConnection, error: Error): void {
    if (this.#closing || inner !== this.#inner) return;
    this.#global.push({ method: "sdk/disconnected", params: { message: error.message } });
    this.#ready = this.#reconnect(error);
    this.#ready.catch(() => {});
  }

  async #reconnect(lost: Error): Promise<void> {
    let lastError: unknown = lost;
    let delay = this.#initialDelayMs;
    for (let attempt = 1; attempt <= this.#maxAttempts; attempt++) {
      await this.#sleep(delay);
      if (this.#closing) return;
      let next: CodexConnection;
      try {
        next = await this.#open();
      } catch (err) {
        lastError = err;
        delay = Math.min(this.#maxDelayMs, delay * 2);
        continue;
      }
      if (this.#closing) {
        await next.close();
        return;
      }
      this.#inner = next;
      this.#attach(next);
      if (this.#handler) await next.setServerRequestHandler(this.#handler).catch(() => {});
      this.#global.push({
        method: "sdk/reconnected",
        params: { attempt, ...(await this.#resubscribe(next)) },
      });
      return;
    }
    const reason = lastError instanceof Error ? lastError.message : String(lastError);
    this.#finish(
      new TransportClosedError(
        `Reconnecting failed after ${this.#maxAttempts} attempts: ${reason}`,
      ),
    );
  }

  async #resubscribe(next: CodexConnection): Promise<Omit<ReconnectedParams, "attempt">> {
    const threads: string[] = [];
    const failedThreads: ReconnectedParams["failedThreads"] = [];
    for (const threadId of this.#threads) {
      try {
        await next.request("thread/resume", { threadId, excludeTurns: true });
        threads.push(threadId);
      } catch (err) {
        failedThreads.push({ threadId, message: (err as Error).message });
      }
    }
    const cut = [...this.#turns];
    this.#turns.clear();
    const turns: InterruptedTurn[] = [];
    const byThread = new Map<string, string[]>();
    for (const [turnId, threadId] of cut) {
      byThread.set(threadId, [...(byThread.get(threadId) ?? []), turnId]);
    }
    for (const [threadId, turnIds] of byThread) {
      let known: Array<{ id: string; status: string; items: unknown[] }> = [];
      try {
        const read = await next.request("thread/read", { threadId, includeTurns: true }) as {
          thread?: { turns?: Array<{ id: string; status: string; items: unknown[] }> };
        };
        known = read.thread?.turns ?? [];
      } catch { /* reported as unknown */ }
      for (const turnId of turnIds) {
        const turn = known.find((t) => t.id === turnId);
        turns.push({
          threadId,
          turnId,
          status: turn?.status ?? "unknown",
          items: turn?.items ?? [],
        });
      }
    }
    return { threads, failedThreads, turns };
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = () => {
        clearTimeout(this.#timer);
        this.#wake = undefined;
        resolve();
      };
      this.#timer = setTimeout(this.#wake, ms);
    });
  }

  #finish(error: Error): void {
    if (this.#closedError) return;
    this.#closedError = error;
    this.#global.failAll(error);
    for (const waiter of this.#closeWaiters.splice(0)) waiter(error);
  }
}

/**
 * Wraps `conn` in a {@link ReconnectingConnection} when `options.reconnect` is set and the
 * connection is a WebSocket (`url`); returns `conn` unchanged otherwise (a spawned app-server
 * that dies takes its threads' live state with it, so there is nothing to reconnect to).
 *
 * @example
 * ```ts ignore
 * import { CodexClient } from "./codex_client.ts";
 * import { withReconnect } from "./reconnecting_connection.ts";
 * const options = { url: "ws://127.0.0.1:4500", token: "t", reconnect: true };
 * const open = () => CodexClient.connect(options);
 * const conn = withReconnect(await open(), open, options);
 * ```
 */
export function withReconnect(
  conn: CodexConnection,
  open: () => Promise<CodexConnection>,
  options: { url?: string; reconnect?: boolean | ReconnectOptions },
): CodexConnection {
  if (!options.reconnect || !options.url) return conn;
  return new ReconnectingConnection(
    conn,
    open,
    options.reconnect === true ? {} : options.reconnect,
  );
}
