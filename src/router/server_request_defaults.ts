import type { ServerRequestResult } from "../protocol/mod.ts";
import type { ServerRequestEvent } from "../core/events.ts";

/**
 * The safe answer to a server request nobody handled: approvals are declined, permission
 * requests get an empty grant, user-input requests get empty answers, MCP elicitations are
 * cancelled, dynamic tool calls fail with a message. Requests that cannot be answered safely
 * (auth token refresh, attestation) throw, which the router turns into an error answer.
 *
 * @example
 * ```ts
 * import { defaultServerRequestResult } from "./server_request_defaults.ts";
 * const answer = defaultServerRequestResult({
 *   method: "item/fileChange/requestApproval",
 *   params: { threadId: "t", turnId: "u", itemId: "i", startedAtMs: 0, reason: null, grantRoot: null },
 *   serverRequest: { id: 0 },
 * } as never);
 * console.assert((answer as { decision: string }).decision === "decline");
 * ```
 */
export function defaultServerRequestResult(event: ServerRequestEvent): unknown {
  switch (event.method) {
    case "item/commandExecution/requestApproval":
      return { decision: "decline" } satisfies ServerRequestResult<typeof event.method>;
    case "item/fileChange/requestApproval":
      return { decision: "decline" } satisfies ServerRequestResult<typeof event.method>;
    case "execCommandApproval":
    case "applyPatchApproval":
      return {
        decision: { denied: { rejection: "No approval handler is registered" } },
      } satisfies ServerRequestResult<typeof event.method>;
    case "item/permissions/requestApproval":
      return { permissions: {}, scope: "turn" } satisfies ServerRequestResult<typeof event.method>;
    case "item/tool/requestUserInput":
      return { answers: {} } satisfies ServerRequestResult<typeof event.method>;
    case "mcpServer/elicitation/request":
      return {
        action: "cancel",
        content: null,
        _meta: null,
      } satisfies ServerRequestResult<typeof event.method>;
    case "item/tool/call":
      return {
        contentItems: [{
          type: "inputText",
          text: `No handler is registered for the tool ${
            JSON.stringify((event.params as { tool?: unknown }).tool)
          }`,
        }],
        success: false,
      } satisfies ServerRequestResult<typeof event.method>;
    default:
      throw new Error(`No handler is registered for ${event.method}`);
  }
}
