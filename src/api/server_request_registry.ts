import {
  type ServerRequestMethod,
  type ServerRequestParams,
  type ServerRequestResult,
  serverRequestThreadId,
  serverRequestTurnId,
} from "../protocol/mod.ts";
import type { ServerRequestEvent } from "../core/events.ts";

/**
 * Context given to a server-request handler.
 *
 * @example
 * ```ts
 * import type { ServerRequestContext } from "./server_request_registry.ts";
 * const context: ServerRequestContext = { requestId: 0, threadId: "t", turnId: "u" };
 * console.assert(context.turnId === "u");
 * ```
 */
export interface ServerRequestContext {
  /** The JSON-RPC id of the server's request. */
  requestId: number | string;
  /** The thread it belongs to, when it says. */
  threadId: string | undefined;
  /** The turn it belongs to, when it says. */
  turnId: string | undefined;
}

/**
 * Handlers for requests the app-server sends to the client, keyed by method. Each returns the
 * method's result type; returning `undefined` applies the safe default (decline, empty grant,
 * cancel...). A handler that throws makes the SDK answer with an error.
 *
 * @example
 * ```ts
 * import type { ServerRequestHandlers } from "./server_request_registry.ts";
 * const handlers: ServerRequestHandlers = {
 *   "item/commandExecution/requestApproval": (params) =>
 *     ({ decision: params.command?.includes("rm ") ? "decline" : "accept" }),
 * };
 * const approve = handlers["item/commandExecution/requestApproval"]!;
 * const context = { requestId: 1, threadId: "t", turnId: "u" };
 * const params = { threadId: "t", turnId: "u", itemId: "i", command: "rm -rf build" };
 * const answer = await approve(params as Parameters<typeof approve>[0], context);
 * if (answer?.decision !== "decline") throw new Error("an rm is declined");
 * ```
 */
export type ServerRequestHandlers = {
  [M in ServerRequestMethod]?: (
    params: ServerRequestParams<M>,
    context: ServerRequestContext,
  ) =>
    | ServerRequestResult<M>
    | undefined
    | Promise<ServerRequestResult<M> | undefined>;
};

/**
 * Handlers set per connection, per thread and per turn; the most specific one wins.
 *
 * @example
 * ```ts
 * import { ServerRequestRegistry } from "./server_request_registry.ts";
 * const registry = new ServerRequestRegistry();
 * registry.setThread("t", { "item/tool/call": () => ({ contentItems: [], success: true }) });
 * const answer = await registry.dispatch({
 *   method: "item/tool/call",
 *   params: { threadId: "t", turnId: "u", callId: "c", namespace: null, tool: "x", arguments: {} },
 *   serverRequest: { id: 1 },
 * } as never);
 * console.assert((answer?.result as { success: boolean }).success);
 * ```
 */
export class ServerRequestRegistry {
  #connection: ServerRequestHandlers = {};
  readonly #threads = new Map<string, ServerRequestHandlers>();
  readonly #turns = new Map<string, ServerRequestHandlers>();
  readonly #starting = new Map<string, ServerRequestHandlers[]>();

  /** Sets the connection-wide handlers. */
  setConnection(handlers: ServerRequestHandlers | undefined): void {
    this.#connection = handlers ?? {};
  }

  /** Sets (or with `undefined`, clears) a thread's handlers. */
  setThread(threadId: string, handlers: ServerRequestHandlers | undefined): void {
    if (handlers) this.#threads.set(threadId, handlers);
    else this.#threads.delete(threadId);
  }

  /** Handlers for a turn being started on `threadId` (before its id is known). */
  beginTurn(threadId: string, handlers: ServerRequestHandlers): () => void {
    const list = this.#starting.get(threadId) ?? [];
    list.push(handlers);
    this.#starting.set(threadId, list);
    return () => {
      const i = list.indexOf(handlers);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.#starting.delete(threadId);
    };
  }

  /** Sets (or clears) a turn's handlers. */
  setTurn(turnId: string, handlers: ServerRequestHandlers | undefined): void {
    if (handlers) this.#turns.set(turnId, handlers);
    else this.#turns.delete(turnId);
  }

  /** Answers one server request with the most specific handler, or `undefined` for the default. */
  async dispatch(event: ServerRequestEvent): Promise<{ result: unknown } | undefined> {
    // The same routing rule as the router's (src/protocol/routes.ts).
    const threadId = serverRequestThreadId(event.method, event.params);
    const turnId = serverRequestTurnId(event.method, event.params);
    const scopes = [
      turnId === undefined ? undefined : this.#turns.get(turnId),
      ...(threadId === undefined ? [] : (this.#starting.get(threadId) ?? [])),
      threadId === undefined ? undefined : this.#threads.get(threadId),
      this.#connection,
    ];
    for (const scope of scopes) {
      const handler = scope?.[event.method] as
        | ((p: unknown, c: ServerRequestContext) => unknown)
        | undefined;
      if (!handler) continue;
      const result = await handler(event.params, {
        requestId: event.serverRequest.id,
        threadId,
        turnId,
      });
      return result === undefined ? undefined : { result };
    }
    return undefined;
  }
}
