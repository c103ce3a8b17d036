import type { ServerRequestEvent } from "./events.ts";

/**
 * Answers a server request. Return `{ result }` to answer, or `undefined` to apply the safe
 * default; throwing sends an error answer (and an `sdk/serverRequestFailed` event).
 *
 * @example
 * ```ts
 * import type { ServerRequestHandler } from "./server_request_handler.ts";
 * const acceptAll: ServerRequestHandler = (event) =>
 *   event.method === "item/commandExecution/requestApproval"
 *     ? { result: { decision: "accept" } }
 *     : undefined;
 * const event = {
 *   method: "item/commandExecution/requestApproval",
 *   params: { threadId: "t", turnId: "u", itemId: "i", command: "ls" },
 *   serverRequest: { id: 7 },
 * } as Parameters<ServerRequestHandler>[0];
 * const answer = await acceptAll(event);
 * if ((answer?.result as { decision: string }).decision !== "accept") throw new Error("declined");
 * ```
 */
export type ServerRequestHandler = (
  event: ServerRequestEvent,
) => Promise<{ result: unknown } | undefined> | { result: unknown } | undefined;
