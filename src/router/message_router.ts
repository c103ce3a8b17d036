import { CONNECT_DEFAULTS } from "../core/defaults.ts";
import type { RouterLimits } from "../core/router_limits.ts";
import { ProtocolError, TransportClosedError } from "../errors/errors.ts";
import { type RpcErrorObject, rpcErrorToError } from "../errors/rpc_error_mapping.ts";
import {
  notificationThreadId,
  notificationTurnId,
  routeNotification,
  SERVER_REQUEST_METHODS,
  serverRequestTurnId,
} from "../protocol/mod.ts";
import type { Transport } from "../transport/transport.ts";
import { ClosedLatch } from "../util/closed_latch.ts";
import { Deadline } from "../util/deadline.ts";
import type { EventChannel } from "../util/event_channel.ts";
import type { CodexEvent, SdkEvent, ServerRequestEvent } from "../core/events.ts";
import type { RouterStats } from "../core/router_stats.ts";
import type { ServerRequestHandler } from "../core/server_request_handler.ts";
import { GlobalStream } from "./global_stream.ts";
import { InFlightLimiter } from "./in_flight_limiter.ts";
import type { CallOptions } from "../core/call_options.ts";
import { PendingRequests } from "./pending_requests.ts";
import { turnToStartFirst } from "./request_holds.ts";
import { defaultServerRequestResult } from "./server_request_defaults.ts";
import { TurnStreams } from "./turn_streams.ts";

/** Options of a {@link MessageRouter}: the connect options' limits, and two of its own. */
export interface MessageRouterOptions extends RouterLimits {
  /** Bound of the global stream's backlog kept while nobody listens (default 1 000). */
  globalBacklog?: number;
  /** Largest message accepted, in characters (default 64 MiB). */
  maxMessageChars?: number;
}

/** A turn whose start was answered: its result and its event stream. */
export interface StartedTurn {
  /** The start request's result. */
  result: unknown;
  /** The turn id. */
  turnId: string;
  /** The turn's events, from the moment the start request was sent. */
  events: EventChannel<CodexEvent>;
}

/**
 * The single reader of one app-server connection. Matches responses to requests by id, routes
 * notifications to their turn's stream (capturing from the moment `turn/start` is sent, so
 * nothing that arrives before the response is lost), answers every server request, and puts
 * everything else on the global stream.
 *
 * @example
 * ```ts
 * import { MessageRouter } from "./message_router.ts";
 * import { MemoryTransport } from "../transport/memory_transport.ts";
 * const transport = new MemoryTransport();
 * transport.peer.onMessage = (m) => transport.peer.send({ id: m.id, result: { ok: true } });
 * const router = new MessageRouter(transport);
 * await router.start();
 * console.assert((await router.request("model/list", {}) as { ok: boolean }).ok);
 * await router.close();
 * ```
 */
export class MessageRouter {
  readonly #transport: Transport;
  readonly #pending = new PendingRequests();
  readonly #limiter: InFlightLimiter;
  readonly #turns: TurnStreams;
  readonly #global: GlobalStream;
  readonly #timeoutMs: number;
  readonly #maxMessageChars: number;
  #nextId = 1;
  readonly #closed = new ClosedLatch<TransportClosedError>();
  #serverRequestHandler: ServerRequestHandler | undefined;
  #pendingServerRequests = 0;
  /** Stops waiting for each handler still computing an answer (the connection is gone). */
  readonly #abandonServerRequests = new Set<() => void>();
  #protocolErrors = 0;
  /** Server request id → its turn, so `serverRequest/resolved` (no turnId) joins that turn. */
  readonly #serverRequestTurns = new Map<number | string, string>();

  /** Creates a router over `transport`; call `start()` to connect. */
  constructor(transport: Transport, options: MessageRouterOptions = {}) {
    this.#transport = transport;
    this.#timeoutMs = options.requestTimeoutMs ?? CONNECT_DEFAULTS.requestTimeoutMs;
    this.#maxMessageChars = options.maxMessageChars ?? CONNECT_DEFAULTS.maxMessageChars;
    this.#limiter = new InFlightLimiter(options.maxInFlight ?? CONNECT_DEFAULTS.maxInFlight);
    this.#pending.onSettled = () => this.#limiter.release();
    const limit = options.maxBufferedEvents ?? CONNECT_DEFAULTS.maxBufferedEvents;
    this.#turns = new TurnStreams(limit);
    this.#global = new GlobalStream(options.globalBacklog ?? CONNECT_DEFAULTS.globalBacklog, limit);
  }

  /** Opens the transport. */
  async start(): Promise<void> {
    await this.#transport.start({
      onMessage: (text) => this.handleMessage(text),
      onClose: (error) => this.#shutdown(error),
    });
  }

  /** The error the connection ended with, once it ended. */
  get closedError(): TransportClosedError | undefined {
    return this.#closed.error;
  }

  /** Resolves with the closing error when the connection ends. */
  waitClosed(): Promise<TransportClosedError> {
    return this.#closed.wait();
  }

  /** Sets the function that answers server requests (`undefined`: safe defaults only). */
  setServerRequestHandler(handler: ServerRequestHandler | undefined): void {
    this.#serverRequestHandler = handler;
  }

  /**
   * Sends a request and waits for its result. The call is one {@link Deadline} from here to its
   * answer: its timeout, signal and the connection's end bound it while it is held (see
   * `request_holds.ts`), queued for an in-flight slot, and sent. When a slot is free the request
   * is written synchronously, so requests reach the wire in call order.
   */
  request(method: string, params: unknown, options: CallOptions = {}): Promise<unknown> {
    const closed = this.#closed.error;
    if (closed) return Promise.reject(closed);
    const { requestId } = options;
    if (requestId !== undefined && this.#pending.has(requestId)) {
      return Promise.reject(new TypeError(`request id ${requestId} is already waiting`));
    }
    const call = new Deadline<unknown>(method, {
      timeoutMs: options.timeoutMs ?? this.#timeoutMs,
      signal: options.signal,
      closed: this.#closed,
    });
    const heldFor = turnToStartFirst(method, params);
    const started = heldFor === undefined ? undefined : this.#turns.whenStarted(heldFor);
    if (started) started.then(() => this.#enqueue(call, method, params, requestId));
    else this.#enqueue(call, method, params, requestId);
    return call.promise;
  }

  /** Sends as soon as the in-flight cap allows (at once when a slot is free). */
  #enqueue(call: Deadline<unknown>, method: string, params: unknown, requestId?: string): void {
    if (call.settled) return;
    if (this.#limiter.tryAcquire()) this.#send(call, method, params, requestId);
    else this.#limiter.enqueue(call, () => this.#send(call, method, params, requestId));
  }

  /** Writes the request; holds an in-flight slot, which the call's settling frees. */
  #send(call: Deadline<unknown>, method: string, params: unknown, requestId?: string): void {
    const id = requestId ?? this.#nextId++;
    this.#pending.track(id, call);
    try {
      this.#transport.send(JSON.stringify({ id, method, params: params ?? {} }));
    } catch (err) {
      call.reject(err);
    }
  }

  /** Sends a notification (no answer). */
  notify(method: string, params?: unknown): void {
    this.#closed.throwIfClosed();
    const message = params === undefined ? { method } : { method, params };
    this.#transport.send(JSON.stringify(message));
  }

  /**
   * Sends a turn-starting request (`turn/start`, `review/start`) for `threadId`. Events of the
   * thread's new turn are captured from this moment, so those that arrive before the response —
   * even `turn/completed` — are replayed into the returned stream.
   */
  async startTurn(
    method: string,
    params: unknown,
    threadId: string,
    options: CallOptions = {},
  ): Promise<StartedTurn> {
    const capture = this.#turns.beginCapture(threadId);
    try {
      const result = await this.request(method, params, options);
      const turnId = (result as { turn?: { id?: unknown } } | undefined)?.turn?.id;
      if (typeof turnId !== "string") {
        throw new ProtocolError(`${method} answered without a turn id`, JSON.stringify(result));
      }
      const events = this.#turns.register(turnId, threadId, capture);
      return { result, turnId, events };
    } finally {
      for (const ev of this.#turns.endCapture(capture)) this.#global.push(ev);
    }
  }

  /**
   * Routes the events of a turn that is already running into a new stream (a turn followed
   * again on a new connection: call it before `thread/resume`, so nothing after the resume is
   * missed). Ends after the turn's `turn/completed`, like a started turn's stream.
   */
  followTurn(threadId: string, turnId: string): EventChannel<CodexEvent> {
    return this.#turns.follow(turnId, threadId);
  }

  /** Opens a new subscription to the global stream (events that belong to no turn). */
  subscribe(): EventChannel<CodexEvent> {
    return this.#global.subscribe();
  }

  /**
   * Stops routing a turn's events (its handle was dropped) and frees its buffer; later events of
   * the turn go to the global stream.
   */
  releaseTurn(turnId: string): void {
    this.#turns.release(turnId);
  }

  /** Counters for tests and diagnostics. */
  stats(): RouterStats {
    return {
      pendingRequests: this.#pending.size,
      activeTurns: this.#turns.activeCount,
      captures: this.#turns.captureCount,
      capturedEvents: this.#turns.capturedEventCount,
      bufferedEvents: this.#turns.bufferedEventCount,
      pendingServerRequests: this.#pendingServerRequests,
      protocolErrors: this.#protocolErrors,
    };
  }

  /** Closes the connection; every pending call and stream settles with `TransportClosedError`. */
  async close(): Promise<void> {
    this.#shutdown(new TransportClosedError("The connection was closed by the client"));
    await this.#transport.close();
  }

  /**
   * Handles one incoming message text (public for benchmarks and tests).
   *
   * Malformed input is never fatal: invalid JSON, a non-object, a batch (array), a message over
   * `maxMessageChars`, or an object that is neither request, response nor notification is
   * counted (`stats().protocolErrors`), reported as an `sdk/protocolError` event (message and a
   * 200-character excerpt) on the global stream, and skipped — the framing (one message per
   * line or frame) survives it. Invalid UTF-8 was already replaced with U+FFFD by the
   * transport's decoder. Only the end of the transport is fatal (`TransportClosedError`).
   * Server requests of unknown methods get a -32601 error answer.
   */
  handleMessage(text: string): void {
    if (text.length > this.#maxMessageChars) {
      this.#protocolError(`Message of ${text.length} characters exceeds the limit`, text);
      return;
    }
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      this.#protocolError("Invalid JSON from the app-server", text);
      return;
    }
    if (typeof message !== "object" || message === null || Array.isArray(message)) {
      this.#protocolError(
        Array.isArray(message)
          ? "JSON-RPC batches are not supported"
          : "A JSON-RPC message must be an object",
        text,
      );
      return;
    }
    const m = message as {
      id?: unknown;
      method?: unknown;
      params?: unknown;
      result?: unknown;
      error?: unknown;
    };
    const hasId = typeof m.id === "number" || typeof m.id === "string";
    if (typeof m.method === "string") {
      if (hasId) this.#onServerRequest(m.id as number | string, m.method, m.params);
      else this.#onNotification(m.method, m.params);
      return;
    }
    if (hasId && ("result" in m || "error" in m)) {
      this.#onResponse(m.id as number | string, m);
      return;
    }
    this.#protocolError("Message is neither a request, a response nor a notification", text);
  }

  #onResponse(id: number | string, m: { result?: unknown; error?: unknown }): void {
    const method = this.#pending.methodOf(id);
    if (method === undefined) return; // late (timed out / aborted) or unknown id: ignored
    if ("error" in m && m.error !== undefined && m.error !== null) {
      const error = typeof m.error === "object"
        ? m.error as RpcErrorObject
        : { code: -32603, message: String(m.error) };
      this.#pending.settle(id, { ok: false, error: rpcErrorToError(method, error) });
    } else {
      this.#pending.settle(id, { ok: true, value: m.result });
    }
  }

  #onNotification(method: string, params: unknown): void {
    // One table lookup types the notification and finds its thread and turn (the hot path).
    const routed = routeNotification(method, params);
    let turnId = routed.turnId;
    if (method === "serverRequest/resolved") {
      const requestId = (params as { requestId?: number | string } | undefined)?.requestId;
      if (requestId !== undefined) {
        turnId = this.#serverRequestTurns.get(requestId) ?? turnId;
        this.#serverRequestTurns.delete(requestId);
      }
    }
    this.#deliver(routed.notification as CodexEvent, method, routed.threadId, turnId);
  }

  /** Routes an event the SDK made itself (or a server request) by its method's ids. */
  #route(event: CodexEvent, method: string, params: unknown): void {
    const threadId = notificationThreadId(method, params);
    this.#deliver(event, method, threadId, notificationTurnId(method, params));
  }

  #deliver(
    event: CodexEvent,
    method: string,
    threadId: string | undefined,
    turnId: string | undefined,
  ): void {
    if (turnId !== undefined && this.#turns.offer(event, threadId, turnId, method)) return;
    this.#global.push(event);
  }

  #onServerRequest(id: number | string, method: string, params: unknown): void {
    const event = { method, params, serverRequest: { id } } as ServerRequestEvent;
    const requestTurn = serverRequestTurnId(method, params);
    if (requestTurn !== undefined) this.#serverRequestTurns.set(id, requestTurn);
    this.#route(event, method, params);
    if (!(SERVER_REQUEST_METHODS as readonly string[]).includes(method)) {
      this.#answer(id, undefined, {
        code: -32601,
        message: `Unsupported server request ${method}`,
      });
      return;
    }
    this.#pendingServerRequests++;
    // Settles once: when the answer was sent, or when the connection ends first (a handler
    // that never returns must not keep the request pending after the transport is gone).
    const settle = () => {
      if (!this.#abandonServerRequests.delete(settle)) return;
      this.#pendingServerRequests--;
    };
    this.#abandonServerRequests.add(settle);
    const handler = this.#serverRequestHandler;
    Promise.resolve()
      .then(async () => {
        const answer = await handler?.(event);
        return answer ? answer.result : defaultServerRequestResult(event);
      })
      .then((result) => this.#answer(id, result, undefined), (err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        this.#answer(id, undefined, {
          code: -32603,
          message: `Client handler failed: ${message}`,
        });
        const failure: SdkEvent = {
          method: "sdk/serverRequestFailed",
          params: { requestMethod: method, requestId: id, message },
        };
        this.#route(failure, method, params);
      })
      .finally(settle);
  }

  #answer(id: number | string, result: unknown, error: RpcErrorObject | undefined): void {
    if (this.#closed.closed) return;
    try {
      this.#transport.send(
        JSON.stringify(error ? { id, error } : { id, result: result ?? {} }),
      );
    } catch { /* the connection closed meanwhile */ }
  }

  #protocolError(message: string, text: string): void {
    this.#protocolErrors++;
    const err = new ProtocolError(message, text);
    this.#global.push({
      method: "sdk/protocolError",
      params: { message: err.message, excerpt: text.slice(0, 200) },
    });
  }

  #shutdown(error: TransportClosedError): void {
    if (this.#closed.closed) return;
    this.#serverRequestTurns.clear();
    for (const abandon of [...this.#abandonServerRequests]) abandon();
    this.#closed.close(error); // settles every call, held, queued or sent
    this.#turns.failAll(error);
    this.#global.failAll(error);
  }
}
