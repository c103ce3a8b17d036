import { ClosedLatch } from "../util/closed_latch.ts";
import { CONNECT_DEFAULTS } from "../core/defaults.ts";
import { TransportClosedError } from "../errors/errors.ts";
import type { InitializeResponse, Turn } from "../protocol/mod.ts";
import type { CodexEvent } from "../core/events.ts";
import { GlobalStream } from "../router/global_stream.ts";
import type { RouterStats } from "../core/router_stats.ts";
import type { ServerRequestHandler } from "../core/server_request_handler.ts";
import type { CallOptions } from "../core/call_options.ts";
import { AnswerMemory } from "./answer_memory.ts";
import type {
  CodexConnection,
  EventSource,
  SubscribeOptions,
  TurnStart,
} from "../core/connection.ts";
import type { InterruptedTurn, ReconnectedParams, ReconnectOptions } from "./reconnect_options.ts";
import { ResumableTurnStream } from "./resumable_turn_stream.ts";

export type { InterruptedTurn, ReconnectedParams, ReconnectOptions } from "./reconnect_options.ts";

const THREAD_RESULT_METHODS = new Set(["thread/start", "thread/resume", "thread/fork"]);

/** Pauses between `thread/read`s looking for a turn whose start was cut before its answer. */
const FIND_START_DELAYS_MS = [0, 100, 200, 400, 800];

/**
 * A {@link CodexConnection} that survives dropped WebSockets. When the underlying connection
 * ends unexpectedly, an `sdk/disconnected` event goes to the global stream and the connection
 * is re-opened with exponential backoff. Once it is back, every thread this client used is
 * re-subscribed (`thread/resume`) and one `sdk/reconnected` event lists the threads resumed and
 * the turns that were cut off, with their status and finished items from `thread/read`.
 *
 * Running turns go on in the same stream (see {@link ResumableTurnStream}): one `sdk/gap`
 * event, the items that finished meanwhile, then the live events; a turn that ended meanwhile
 * ends its stream with its reconciled `turn/completed`. A `turn/start` cut before its answer is
 * found on the thread after the reconnection (by the `clientUserMessageId` the SDK sets) and
 * returns its turn as usual. A server request the drop left unanswered is asked again by the
 * app-server after the resume, and answered with the handler's first answer (the handler is
 * not called twice). Calls made while reconnecting wait for the outcome; if every attempt
 * fails, the connection closes and running turns' streams fail with `TransportClosedError`.
 *
 * @example A connection that reopens itself, used like any other
 * ```ts
 * import { CodexClient } from "./codex_client.ts";
 * import { ReconnectingConnection } from "./reconnecting_connection.ts";
 * import { startWebSocketAppServer } from "../testing/mod.ts";
 * import { writeCodexHome } from "../testing/mod.ts";
 * await using home = await writeCodexHome({ modelServerUrl: "http://127.0.0.1:9/v1" });
 * await using server = await startWebSocketAppServer({ codexHome: home.dir });
 * const open = () => CodexClient.connect({ url: server.url, token: server.token });
 * const conn = new ReconnectingConnection(await open(), open, { maxAttempts: 5 });
 * const started = await conn.request("thread/start", {}) as { thread: { id: string } };
 * await conn.close();
 * if (!started.thread.id) throw new Error("no thread");
 * ```
 */
export class ReconnectingConnection implements CodexConnection {
  readonly #open: () => Promise<CodexConnection>;
  readonly #maxAttempts: number;
  readonly #initialDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #limit: number;
  readonly #global: GlobalStream;
  readonly #threads = new Set<string>();
  /** Streams of turns started here that have not ended. */
  readonly #turns = new Map<string, ResumableTurnStream>();
  /** Dropped connections kept until no turn stream still drains one. */
  readonly #dropped = new Set<CodexConnection>();
  readonly #answers = new AnswerMemory((turnId) => this.#turns.has(turnId));
  #inner: CodexConnection;
  #handler: ServerRequestHandler | undefined;
  #ready: Promise<void> = Promise.resolve();
  #reconnecting = false;
  /** The connection being resubscribed dropped too: the reconnection goes round again. */
  #droppedAgain: Error | undefined;
  readonly #closed = new ClosedLatch<Error>();
  #closing = false;
  #wake: (() => void) | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** Wraps a connected `inner`; `open` makes a new connection with the same options. */
  constructor(
    inner: CodexConnection,
    open: () => Promise<CodexConnection>,
    options: ReconnectOptions & { maxBufferedEvents?: number } = {},
  ) {
    const defaults = CONNECT_DEFAULTS.reconnect;
    this.#inner = inner;
    this.#open = open;
    this.#maxAttempts = Math.max(1, options.maxAttempts ?? defaults.maxAttempts);
    this.#initialDelayMs = options.initialDelayMs ?? defaults.initialDelayMs;
    this.#maxDelayMs = options.maxDelayMs ?? defaults.maxDelayMs;
    this.#limit = options.maxBufferedEvents ?? CONNECT_DEFAULTS.maxBufferedEvents;
    this.#global = new GlobalStream(CONNECT_DEFAULTS.globalBacklog, this.#limit);
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

  /**
   * Starts a turn whose stream survives reconnections. `turn/start` gets a
   * `clientUserMessageId` (unless it has one), so a start cut before its answer can be found.
   */
  async startTurn(
    method: string,
    params: unknown,
    threadId: string,
    options?: CallOptions,
  ): Promise<TurnStart> {
    this.#threads.add(threadId);
    let clientId: string | undefined;
    if (method === "turn/start") {
      const given = (params as { clientUserMessageId?: unknown }).clientUserMessageId;
      clientId = typeof given === "string" ? given : crypto.randomUUID();
      params = { ...params as object, clientUserMessageId: clientId };
    }
    const inner = await this.#current();
    let started: TurnStart;
    try {
      started = await inner.startTurn(method, params, threadId, options);
    } catch (err) {
      if (clientId === undefined || !(await this.#droppedBy(inner, err))) throw err;
      return await this.#recoverStart(method, threadId, clientId, (err as Error).message);
    }
    const start = { source: started.events, conn: inner };
    return { ...started, events: this.#track(threadId, started.turnId, start) };
  }

  /** Not used on this connection: its turn streams follow themselves. */
  async followTurn(threadId: string, turnId: string): Promise<EventSource<CodexEvent>> {
    return await (await this.#current()).followTurn(threadId, turnId);
  }

  /** A global-stream subscription that lasts across reconnections. */
  subscribe(options?: SubscribeOptions): Promise<EventSource<CodexEvent>> {
    return Promise.resolve(this.#global.subscribe(options));
  }

  /** Stops routing a turn. */
  releaseTurn(turnId: string): void {
    this.#turns.get(turnId)?.cancel();
    this.#inner.releaseTurn(turnId);
  }

  /** Sets the server-request handler (kept for later connections; answers a request once). */
  async setServerRequestHandler(handler: ServerRequestHandler | undefined): Promise<void> {
    this.#handler = handler ? this.#answers.wrap(handler) : undefined;
    await (await this.#current()).setServerRequestHandler(this.#handler);
  }

  /** Resolves when the connection ends for good (closed, or every reconnection failed). */
  waitClosed(): Promise<Error> {
    return this.#closed.wait();
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
    await Promise.all([...this.#dropped].map((conn) => conn.close().catch(() => {})));
    this.#dropped.clear();
  }

  async #current(): Promise<CodexConnection> {
    await this.#ready;
    this.#closed.throwIfClosed();
    return this.#inner;
  }

  #attach(inner: CodexConnection): void {
    inner.waitClosed().then((error) => this.#onLost(inner, error));
    (async () => {
      const source = await inner.subscribe();
      for await (const batch of source) for (const ev of batch) this.#global.push(ev);
    })().catch(() => {/* ends with the connection; #onLost takes over */});
  }

  #track(
    threadId: string,
    turnId: string,
    start: ConstructorParameters<typeof ResumableTurnStream>[2],
  ): ResumableTurnStream {
    const stream = new ResumableTurnStream(threadId, turnId, start, {
      limit: this.#limit,
      onEnd: () => {
        if (this.#turns.get(turnId) === stream) this.#turns.delete(turnId);
        this.#answers.forget(turnId);
        this.#closeDrained();
      },
      onMove: () => this.#closeDrained(),
    });
    this.#turns.set(turnId, stream);
    return stream;
  }

  /** Whether `err` from `inner` means that connection dropped (and reconnecting is under way). */
  async #droppedBy(inner: CodexConnection, err: unknown): Promise<boolean> {
    if (!(err instanceof TransportClosedError) || this.#closing) return false;
    await inner.waitClosed(); // #onLost (registered first) has run once this resolves
    if (this.#closing) return false;
    return this.#reconnecting || inner !== this.#inner;
  }

  /**
   * A turn start was cut before its answer: after the reconnection, finds the turn it started
   * (its user message carries `clientId`) and follows it; a start that left no turn fails.
   */
  async #recoverStart(
    method: string,
    threadId: string,
    clientId: string,
    message: string,
  ): Promise<TurnStart> {
    const inner = await this.#current();
    let turn: Turn | undefined;
    for (const delay of FIND_START_DELAYS_MS) {
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      if (this.#closing) break;
      // A thread whose first turn is not stored yet cannot be read: that is "not yet" too.
      const turns = await readTurns(inner, threadId).catch(() => [] as Turn[]);
      turn = turns.find((t) =>
        t.items.some((item) => item.type === "userMessage" && item.clientId === clientId)
      );
      if (turn) break;
    }
    if (!turn) {
      throw new TransportClosedError(
        `The connection dropped before ${method} was answered (${message}), and after ` +
          `reconnecting thread ${threadId} shows no turn started by it`,
      );
    }
    // Followed first, then (again) subscribed: a thread not stored yet at the reconnection
    // could not be resumed then. What happened in between is reconciled from the read.
    const source = await inner.followTurn(threadId, turn.id);
    await inner.request("thread/resume", { threadId, excludeTurns: true }).catch(() => {});
    const read = (await readTurns(inner, threadId)).find((t) => t.id === turn.id) ?? turn;
    const stream = this.#track(threadId, turn.id, { source, conn: inner, turn: read, message });
    return { result: { turn }, turnId: turn.id, events: stream };
  }

  #onLost(inner: CodexConnection, error: Error): void {
    if (this.#closing || inner !== this.#inner) return;
    this.#dropped.add(inner);
    this.#global.push({ method: "sdk/disconnected", params: { message: error.message } });
    if (this.#reconnecting) {
      this.#droppedAgain = error;
      return;
    }
    this.#reconnecting = true;
    this.#ready = this.#reconnect(error).finally(() => this.#reconnecting = false);
    this.#ready.catch(() => {});
  }

  async #reconnect(lost: Error): Promise<void> {
    while (true) {
      const opened = await this.#openWithBackoff(lost);
      if (!opened) return;
      const { next, attempt } = opened;
      this.#inner = next;
      this.#attach(next);
      if (this.#handler) await next.setServerRequestHandler(this.#handler).catch(() => {});
      const outcome = await this.#resubscribe(next, lost.message);
      this.#closeDrained();
      const again = this.#droppedAgain;
      this.#droppedAgain = undefined;
      if (again && !this.#closing) {
        lost = again; // dropped while resubscribing: the turns still wait for a verdict
        continue;
      }
      this.#global.push({ method: "sdk/reconnected", params: { attempt, ...outcome } });
      return;
    }
  }

  /** Opens a new connection with backoff; `undefined` when closing or every attempt failed. */
  async #openWithBackoff(
    lost: Error,
  ): Promise<{ next: CodexConnection; attempt: number } | undefined> {
    let lastError: unknown = lost;
    let delay = this.#initialDelayMs;
    for (let attempt = 1; attempt <= this.#maxAttempts; attempt++) {
      await this.#sleep(delay);
      if (this.#closing) return undefined;
      try {
        const next = await this.#open();
        if (!this.#closing) return { next, attempt };
        await next.close();
        return undefined;
      } catch (err) {
        lastError = err;
        delay = Math.min(this.#maxDelayMs, delay * 2);
      }
    }
    const reason = lastError instanceof Error ? lastError.message : String(lastError);
    this.#finish(
      new TransportClosedError(
        `Reconnecting failed after ${this.#maxAttempts} attempts: ${reason}`,
      ),
    );
    return undefined;
  }

  /**
   * Re-subscribes every thread; each running turn's stream is followed on `next` before its
   * thread's `thread/resume` and goes on from what `thread/read` says after it.
   */
  async #resubscribe(
    next: CodexConnection,
    message: string,
  ): Promise<Omit<ReconnectedParams, "attempt">> {
    const threads: string[] = [];
    const failedThreads: ReconnectedParams["failedThreads"] = [];
    const turns: InterruptedTurn[] = [];
    for (const threadId of this.#threads) {
      const cut = [...this.#turns.values()].filter((s) => s.threadId === threadId && !s.finished);
      const follows: Array<{ stream: ResumableTurnStream; source: EventSource<CodexEvent> }> = [];
      try {
        for (const stream of cut) {
          follows.push({ stream, source: await next.followTurn(threadId, stream.turnId) });
        }
        await next.request("thread/resume", { threadId, excludeTurns: true });
        threads.push(threadId);
      } catch (err) {
        for (const { source } of follows) source.cancel();
        if (err instanceof TransportClosedError && this.#droppedAgain) continue;
        failedThreads.push({ threadId, message: (err as Error).message });
        const reason = `Thread ${threadId} could not be resumed after reconnecting`;
        for (const stream of cut) {
          stream.fail(new TransportClosedError(`${reason}: ${(err as Error).message}`));
        }
        continue;
      }
      if (follows.length === 0) continue;
      const known = await readTurns(next, threadId).catch(() => [] as Turn[]);
      for (const { stream, source } of follows) {
        const turn = known.find((t) => t.id === stream.turnId);
        turns.push({
          threadId,
          turnId: stream.turnId,
          status: turn?.status ?? "unknown",
          items: turn?.items ?? [],
        });
        if (turn) {
          stream.resume({ source, conn: next, turn, message });
        } else {
          source.cancel();
          next.releaseTurn(stream.turnId);
          if (this.#droppedAgain) continue; // the next round decides
          stream.fail(
            new TransportClosedError(`Turn ${stream.turnId} was not found after reconnecting`),
          );
        }
      }
    }
    return { threads, failedThreads, turns };
  }

  /** Closes the dropped connections no turn stream still drains. */
  #closeDrained(): void {
    for (const conn of this.#dropped) {
      if ([...this.#turns.values()].some((s) => s.connection === conn)) continue;
      this.#dropped.delete(conn);
      conn.close().catch(() => {});
    }
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
    if (!this.#closed.close(error)) return;
    for (const stream of this.#turns.values()) stream.fail(error);
    this.#global.failAll(error);
    this.#closeDrained();
  }
}

/** The thread's turns as `thread/read` (`includeTurns`) reports them. */
async function readTurns(conn: CodexConnection, threadId: string): Promise<Turn[]> {
  const read = await conn.request("thread/read", { threadId, includeTurns: true }) as {
    thread?: { turns?: Turn[] };
  };
  return read.thread?.turns ?? [];
}

/**
 * Wraps `conn` in a {@link ReconnectingConnection} when `options.reconnect` is set and the
 * connection is a WebSocket (`url`); returns `conn` unchanged otherwise (a spawned app-server
 * that dies takes its threads' live state with it, so there is nothing to reconnect to).
 *
 * @example stdio has nothing to reconnect to: the connection comes back as it was
 * ```ts
 * import { CodexClient } from "./codex_client.ts";
 * import { withReconnect } from "./reconnecting_connection.ts";
 * import { writeCodexHome } from "../testing/mod.ts";
 * await using home = await writeCodexHome({ modelServerUrl: "http://127.0.0.1:9/v1" });
 * const options = { codexHome: home.dir, reconnect: true };
 * const open = () => CodexClient.connect(options);
 * const client = await open();
 * const conn = withReconnect(client, open, options);
 * await conn.close();
 * if (conn !== client) throw new Error("a stdio connection is not wrapped");
 * ```
 */
export function withReconnect(
  conn: CodexConnection,
  open: () => Promise<CodexConnection>,
  options: {
    url?: string;
    reconnect?: boolean | ReconnectOptions;
    maxBufferedEvents?: number;
  },
): CodexConnection {
  if (!options.reconnect || !options.url) return conn;
  const reconnect = options.reconnect === true ? {} : options.reconnect;
  return new ReconnectingConnection(conn, open, {
    ...reconnect,
    maxBufferedEvents: options.maxBufferedEvents,
  });
}
