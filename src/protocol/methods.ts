/**
 * The method maps: each method of the pinned protocol with its params and result types.
 *
 * @module
 */

import type { ThreadItem } from "./aliases_items.ts";
import type {
  ClientRequestMap as GeneratedClientRequestMap,
  ServerNotificationMap as GeneratedServerNotificationMap,
  ServerRequestMap as GeneratedServerRequestMap,
} from "./generated/method_maps.ts";
import type * as gen from "./generated/index.ts";

// The generated tables stay out of the public docs (`@internal`): the method-keyed types below
// are the public face of them (`deno doc --lint` would otherwise ask for every generated type).
/** @internal Client request method → `{ params, result }` (generated). */
export type ClientRequestMap = GeneratedClientRequestMap;
/**
 * @internal Notification method → params (generated), with the items of `item/*` notifications
 * typed as {@link ThreadItem} (an agent message's moderation in either shape of the window).
 */
export type ServerNotificationMap = {
  [M in keyof GeneratedServerNotificationMap]: GeneratedServerNotificationMap[M] extends
    { item: gen.v2.ThreadItem } ? Omit<GeneratedServerNotificationMap[M], "item"> & {
      item: ThreadItem;
    }
    : GeneratedServerNotificationMap[M];
};
/** @internal Server request method → `{ params, result }` (generated). */
export type ServerRequestMap = GeneratedServerRequestMap;

/**
 * A client → server request method, e.g. `"thread/start"`.
 *
 * @example
 * ```ts
 * import type { ClientRequestMethod } from "./mod.ts";
 * const method: ClientRequestMethod = "turn/start";
 * console.assert(method === "turn/start");
 * ```
 */
export type ClientRequestMethod = keyof ClientRequestMap;

/**
 * The `params` type of a client request method.
 *
 * @example
 * ```ts
 * import type { RequestParams } from "./mod.ts";
 * const params: RequestParams<"turn/interrupt"> = { threadId: "th", turnId: "tu" };
 * console.assert(params.turnId === "tu");
 * ```
 */
export type RequestParams<M extends ClientRequestMethod> = ClientRequestMap[M]["params"];

/**
 * The `result` type the server answers a client request method with.
 *
 * @example
 * ```ts
 * import type { RequestResult } from "./mod.ts";
 * const result: RequestResult<"turn/steer"> = { turnId: "tu" };
 * console.assert(result.turnId === "tu");
 * ```
 */
export type RequestResult<M extends ClientRequestMethod> = ClientRequestMap[M]["result"];

/**
 * A notification method the server may send, e.g. `"turn/completed"`.
 *
 * @example
 * ```ts
 * import type { ServerNotificationMethod } from "./mod.ts";
 * const method: ServerNotificationMethod = "item/agentMessage/delta";
 * console.assert(method.startsWith("item/"));
 * ```
 */
export type ServerNotificationMethod = keyof ServerNotificationMap;

/**
 * The `params` type of a server notification method.
 *
 * @example
 * ```ts
 * import type { NotificationParams } from "./mod.ts";
 * const delta: NotificationParams<"item/agentMessage/delta"> = {
 *   threadId: "th", turnId: "tu", itemId: "it", delta: "Hello",
 * };
 * console.assert(delta.delta === "Hello");
 * ```
 */
export type NotificationParams<M extends ServerNotificationMethod> = ServerNotificationMap[M];

/**
 * A known notification whose params passed the generated shape check: a union discriminated
 * by `method`. `unknown` is absent (or `false`), which tells it apart from
 * {@link UnknownNotification}.
 *
 * @example Narrow by method
 * ```ts
 * import type { ServerNotification } from "./mod.ts";
 * function text(n: ServerNotification): string {
 *   return n.method === "item/agentMessage/delta" ? n.params.delta : "";
 * }
 * const n: ServerNotification = {
 *   method: "item/agentMessage/delta",
 *   params: { threadId: "th", turnId: "tu", itemId: "it", delta: "Hi" },
 * };
 * console.assert(text(n) === "Hi");
 * ```
 */
export type ServerNotification = {
  [M in ServerNotificationMethod]: {
    method: M;
    params: ServerNotificationMap[M];
    unknown?: false;
  };
}[ServerNotificationMethod];

/**
 * The {@link ServerNotification} member of one method.
 *
 * @example
 * ```ts
 * import type { NotificationOf } from "./mod.ts";
 * const n: NotificationOf<"thread/archived"> = {
 *   method: "thread/archived",
 *   params: { threadId: "th" },
 * };
 * console.assert(n.params.threadId === "th");
 * ```
 */
export type NotificationOf<M extends ServerNotificationMethod> = Extract<
  ServerNotification,
  { method: M }
>;

/**
 * A notification the SDK cannot type: its method is not in the pinned schema
 * (`"unknownMethod"`), or its params do not have the generated shape (`"invalidShape"`, with a
 * human-readable `detail`). Pass it on rather than drop it: newer servers add methods.
 *
 * @example
 * ```ts
 * import type { UnknownNotification } from "./mod.ts";
 * const n: UnknownNotification = {
 *   method: "future/thing",
 *   params: {},
 *   unknown: true,
 *   reason: "unknownMethod",
 * };
 * console.assert(n.unknown);
 * ```
 */
export interface UnknownNotification {
  /** The method as received. */
  method: string;
  /** The params as received. */
  params: unknown;
  /** Always `true`; discriminates against {@link ServerNotification}. */
  unknown: true;
  /** Why the notification could not be typed. */
  reason: "unknownMethod" | "invalidShape";
  /** For `"invalidShape"`: which property failed and how. */
  detail?: string;
}

/**
 * Any notification: typed when known and well-formed, {@link UnknownNotification} otherwise.
 *
 * @example
 * ```ts
 * import { classifyNotification, type Notification } from "./mod.ts";
 * const n: Notification = classifyNotification("thread/closed", { threadId: "th" });
 * if (n.unknown) throw new Error("thread/closed is known");
 * ```
 */
export type Notification = ServerNotification | UnknownNotification;

/**
 * A request method the server sends to the client (approvals, tool calls, ...).
 *
 * @example
 * ```ts
 * import type { ServerRequestMethod } from "./mod.ts";
 * const method: ServerRequestMethod = "item/commandExecution/requestApproval";
 * console.assert(method.endsWith("requestApproval"));
 * ```
 */
export type ServerRequestMethod = keyof ServerRequestMap;

/**
 * The `params` type of a server → client request method.
 *
 * @example
 * ```ts
 * import type { ServerRequestParams } from "./mod.ts";
 * const p: ServerRequestParams<"item/fileChange/requestApproval"> = {
 *   threadId: "th", turnId: "tu", itemId: "it", startedAtMs: 0,
 * };
 * console.assert(p.itemId === "it");
 * ```
 */
export type ServerRequestParams<M extends ServerRequestMethod> = ServerRequestMap[M]["params"];

/**
 * The `result` the client must answer a server → client request method with.
 *
 * @example
 * ```ts
 * import type { ServerRequestResult } from "./mod.ts";
 * const answer: ServerRequestResult<"item/commandExecution/requestApproval"> = {
 *   decision: "decline",
 * };
 * console.assert(answer.decision === "decline");
 * ```
 */
export type ServerRequestResult<M extends ServerRequestMethod> = ServerRequestMap[M]["result"];
