import type { SubscribeOptions } from "../core/connection.ts";
import type { CallOptions } from "../core/call_options.ts";
import { CONNECT_DEFAULTS } from "../core/defaults.ts";
import type { CodexEvent } from "../core/events.ts";
import type { RouterLimits } from "../core/router_limits.ts";
import type { RouterStats } from "../core/router_stats.ts";
import type { ServerRequestHandler } from "../core/server_request_handler.ts";
import { ProtocolError, TransportClosedError } from "../errors/errors.ts";
import { routeNotification } from "../protocol/mod.ts";
import type { Transport } from "../transport/transport.ts";
import { ClosedLatch } from "../util/closed_latch.ts";
import type { EventChannel } from "../util/event_channel.ts";
import { GlobalStream } from "./global_stream.ts";
import { decodeMessage, encodeRequest, type MessageSink } from "./message_codec.ts";
import { OutgoingRequests } from "./outgoing_requests.ts";
import { ServerRequests } from "./server_requests.ts";
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
 * The single reader of one app-server connection, wiring one part per job: the framing
 * (`message_codec.ts`), the client's requests (`outgoing_requests.ts`: held, queued, sent), the
 * server's requests (`server_requests.ts`), the turns' streams (`turn_streams.ts`, capturing
 * from the moment `turn/start` is sent, so nothing that arrives before the response is lost) and
 * the global stream for everything else. It ends them all at once when the connection ends.
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
  readonly #closed = new ClosedLatch<TransportClosedError>();
  readonly #requests: OutgoingRequests;
  readonly #serverRequests: ServerRequests;
  readonly #turns: TurnStreams;
  readonly #global: GlobalStream;
  readonly #maxMessageChars: number;
  readonly #sink: MessageSink;
  #protocolErrors = 0;

  /** Creates a router over `transport`; call `start()` to connect. */
  constructor(transport: Transport, options: MessageRouterOptions = {}) {
    this.#transport = transport;
    const send = (text: string) => transport.send(text);
    this.#maxMessageChars = options.maxMessageChars ?? CONNECT_DEFAULTS.maxMessageChars;
    const limit = options.maxBufferedEvents ?? CONNECT_DEFAULTS.maxBufferedEvents;
    this.#turns = new TurnStreams(limit);
    this.#global = new GlobalStream(options.globalBacklog ?? CONNECT_DEFAULTS.globalBacklog, limit);
    this.#requests = new OutgoingRequests({
      send,
      closed: this.#closed,
      whenStarted: (turnId) => this.#turns.whenStarted(turnId),
      timeoutMs: options.requestTimeoutMs ?? CONNECT_DEFAULTS.requestTimeoutMs,
      maxInFlight: options.maxInFlight ?? CONNECT_DEFAULTS.maxInFlight,
    });
    this.#serverRequests = new ServerRequests({
      send,
      route: (event, threadId, turnId) => this.#deliver(event, event.method, threadId, turnId),
      isClosed: () => this.#closed.closed,
    });
    this.#sink = {
      request: (id, method, params) => this.#serverRequests.receive(id, method, params),
      notification: (method, params) => this.#onNotification(method, params),
      response: (id, message) => this.#requests.answer(id, message),
      invalid: (reason, text) => this.#protocolError(reason, text),
    };
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
    this.#serverRequests.setHandler(handler);
  }

  /**
   * Sends a request and waits for its result: one deadline from here to its answer, whether it
   * is held (see `request_holds.ts`), queued for an in-flight slot, or sent.
   */
  request(method: string, params: unknown, options: CallOptions = {}): Promise<unknown> {
    return this.#requests.request(method, params, options);
  }

  /** Sends a notification (no answer). */
  notify(method: string, params?: unknown): void {
    this.#closed.throwIfClosed();
    this.#transport.send(encodeRequest(undefined, method, params));
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
  subscribe(options?: SubscribeOptions): EventChannel<CodexEvent> {
    return this.#global.subscribe(options);
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
      pendingRequests: this.#requests.size,
      activeTurns: this.#turns.activeCount,
      captures: this.#turns.captureCount,
      capturedEvents: this.#turns.capturedEventCount,
      bufferedEvents: this.#turns.bufferedEventCount,
      pendingServerRequests: this.#serverRequests.pending,
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
    decodeMessage(text, this.#maxMessageChars, this.#sink);
  }

  #onNotification(method: string, params: unknown): void {
    // One table lookup types the notification and finds its thread and turn (the hot path).
    const routed = routeNotification(method, params);
    const turnId = method === "serverRequest/resolved"
      ? this.#serverRequests.resolvedTurn(params) ?? routed.turnId
      : routed.turnId;
    this.#deliver(routed.notification as CodexEvent, method, routed.threadId, turnId);
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
    this.#serverRequests.abandonAll();
    this.#closed.close(error); // settles every call, held, queued or sent
    this.#turns.failAll(error);
    this.#global.failAll(error);
  }
}
