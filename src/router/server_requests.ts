import type { CodexEvent, SdkEvent, ServerRequestEvent } from "../core/events.ts";
import type { ServerRequestHandler } from "../core/server_request_handler.ts";
import {
  SERVER_REQUEST_METHODS,
  serverRequestThreadId,
  serverRequestTurnId,
} from "../protocol/mod.ts";
import { encodeAnswer } from "./message_codec.ts";
import { defaultServerRequestResult } from "./server_request_defaults.ts";

/** What {@link ServerRequests} needs from its router. */
export interface ServerRequestsOptions {
  /** Writes one message text; throws once the connection is gone. */
  send(text: string): void;
  /** Routes an event (the request, or `sdk/serverRequestFailed`) to its turn, or globally. */
  route(event: CodexEvent, threadId: string | undefined, turnId: string | undefined): void;
  /** Whether the connection has ended (answers are no longer sent). */
  isClosed(): boolean;
}

/**
 * The lifecycle of the requests the app-server sends to the client: each is shown on its turn's
 * stream, answered once (by the handler, or the safe default; an error answer when the handler
 * throws, with an `sdk/serverRequestFailed` event), and joined to its turn when the server's
 * `serverRequest/resolved` (which names no turn) arrives. Methods the protocol does not define
 * get a -32601 answer.
 *
 * @example
 * ```ts
 * import { ServerRequests } from "./server_requests.ts";
 * const sent = Promise.withResolvers<string>();
 * const requests = new ServerRequests({
 *   send: sent.resolve,
 *   route: () => {},
 *   isClosed: () => false,
 * });
 * requests.setHandler(() => ({ result: { decision: "accept" } }));
 * const params = { threadId: "t", turnId: "u", itemId: "i", command: "ls" };
 * requests.receive(5, "item/commandExecution/requestApproval", params);
 * const answer = JSON.parse(await sent.promise);
 * if (answer.id !== 5 || answer.result.decision !== "accept") throw new Error("not accepted");
 * if (requests.resolvedTurn({ requestId: 5 }) !== "u") throw new Error("resolved joins turn u");
 * ```
 */
export class ServerRequests {
  readonly #options: ServerRequestsOptions;
  #handler: ServerRequestHandler | undefined;
  /** Stops waiting for each handler still computing an answer (the connection is gone). */
  readonly #inFlight = new Set<() => void>();
  /** Server request id → its turn, so `serverRequest/resolved` (no turnId) joins that turn. */
  readonly #turns = new Map<number | string, string>();

  /** Creates the registry of one connection. */
  constructor(options: ServerRequestsOptions) {
    this.#options = options;
  }

  /** Requests whose answer is being computed. */
  get pending(): number {
    return this.#inFlight.size;
  }

  /** Sets the function that answers server requests (`undefined`: safe defaults only). */
  setHandler(handler: ServerRequestHandler | undefined): void {
    this.#handler = handler;
  }

  /** A request arrived: show it, then answer it once. */
  receive(id: number | string, method: string, params: unknown): void {
    const event = { method, params, serverRequest: { id } } as ServerRequestEvent;
    // The protocol's routing rule (routes.ts), as for notifications and the API's handlers.
    const threadId = serverRequestThreadId(method, params);
    const turnId = serverRequestTurnId(method, params);
    if (turnId !== undefined) this.#turns.set(id, turnId);
    this.#options.route(event, threadId, turnId);
    if (!(SERVER_REQUEST_METHODS as readonly string[]).includes(method)) {
      this.#answer(id, undefined, {
        code: -32601,
        message: `Unsupported server request ${method}`,
      });
      return;
    }
    // Settles once: when the answer was sent, or when the connection ends first (a handler
    // that never returns must not keep the request pending after the transport is gone).
    const settle = () => void this.#inFlight.delete(settle);
    const handler = this.#handler;
    this.#inFlight.add(settle);
    Promise.resolve()
      .then(async () => {
        const answer = await handler?.(event);
        return answer ? answer.result : defaultServerRequestResult(event);
      })
      .then((result) => this.#answer(id, result, undefined), (err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        this.#answer(id, undefined, { code: -32603, message: `Client handler failed: ${message}` });
        const failure: SdkEvent = {
          method: "sdk/serverRequestFailed",
          params: { requestMethod: method, requestId: id, message },
        };
        this.#options.route(failure, threadId, turnId);
      })
      .finally(settle);
  }

  /**
   * The turn of the request a `serverRequest/resolved` names (forgotten afterwards), or
   * `undefined` when unknown.
   */
  resolvedTurn(params: unknown): string | undefined {
    const requestId = (params as { requestId?: number | string } | undefined)?.requestId;
    if (requestId === undefined) return undefined;
    const turnId = this.#turns.get(requestId);
    this.#turns.delete(requestId);
    return turnId;
  }

  /** The connection ended: stops counting handlers still running, forgets every turn. */
  abandonAll(): void {
    this.#turns.clear();
    this.#inFlight.clear();
  }

  #answer(
    id: number | string,
    result: unknown,
    error: { code: number; message: string } | undefined,
  ): void {
    if (this.#options.isClosed()) return;
    try {
      this.#options.send(encodeAnswer(id, result, error));
    } catch { /* the connection closed meanwhile */ }
  }
}
