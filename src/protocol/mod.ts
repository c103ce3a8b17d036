/**
 * The Codex app-server protocol, as spoken by the pinned codex binary.
 *
 * This is the only module the rest of the SDK imports protocol types and tables from; the
 * generated code under `./generated/` (ts-rs output plus derived tables, see
 * `scripts/gen_protocol.ts`) stays behind it. Its parts: `methods.ts` (method → params/result
 * types), `method_lists.ts` (the lists and guards), `routes.ts` (the routing rule: a message's
 * thread, turn and item), `aliases*.ts` (short names for generated
 * types).
 *
 * - Type maps: {@link RequestParams}/{@link RequestResult} for client requests,
 *   {@link NotificationParams} for notifications, {@link ServerRequestParams}/
 *   {@link ServerRequestResult} for requests the server sends to the client.
 * - Runtime: {@link classifyNotification} (typed, or explicitly unknown),
 *   {@link notificationThreadId}/{@link notificationTurnId} for routing, method lists.
 *
 * @example Route and type a notification
 * ```ts
 * import { classifyNotification, notificationTurnId } from "./mod.ts";
 * const params = { threadId: "th", turnId: "tu", itemId: "it", delta: "Hi" };
 * const n = classifyNotification("item/agentMessage/delta", params);
 * if (n.unknown || n.method !== "item/agentMessage/delta") throw new Error("expected a delta");
 * if (n.params.delta !== "Hi") throw new Error("typed params");
 * if (notificationTurnId(n.method, n.params) !== "tu") throw new Error("routed by turnId");
 * ```
 *
 * @module
 */

export * from "./methods.ts";
export * from "./method_lists.ts";
export * from "./routes.ts";
export * from "./aliases.ts";
export * from "./aliases_items.ts";
export * from "./aliases_methods.ts";
export * from "./aliases_approvals.ts";
export {
  CODEX_VERSION_WINDOW,
  type CodexVersionWindow,
  compareCodexVersions,
  isInCodexVersionWindow,
} from "./version_window.ts";
export {
  type AgentMessageDisplay,
  agentMessageDisplayMode,
  type AgentMessageModeration,
  type LegacyAgentMessageDisplay,
  type PinnedAgentMessageDisplay,
} from "./agent_message_display.ts";
