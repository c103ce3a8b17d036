/**
 * The routing rule, one for the whole SDK: where a notification or a server request names its
 * thread, turn and item (from the generated route tables, `route_compiler.ts`), and the typing
 * of notifications. The router routes by it and the server-request handlers are chosen by it.
 *
 * @module
 */

import type { Notification, ServerNotification } from "./methods.ts";
import {
  accessor,
  type CompiledRoute,
  idOf,
  ITEM_FALLBACK,
  NOTIFICATION_TABLE,
  SERVER_REQUEST_TABLE,
  shapeProblem,
  THREAD_FALLBACK,
  TURN_FALLBACK,
} from "./route_compiler.ts";

/**
 * The thread a notification belongs to.
 *
 * Known methods use the generated route (`params.threadId`, or `params.thread.id` for
 * `thread/started`). Unknown methods, and known ones whose schema has no thread id (a newer
 * server may add one), fall back to `params.threadId`, then `params.thread.id`.
 *
 * @param method The notification method.
 * @param params The notification params, as received.
 * @returns The thread id, or `undefined` when there is none.
 *
 * @example
 * ```ts
 * import { notificationThreadId } from "./mod.ts";
 * const id = notificationThreadId("thread/started", { thread: { id: "th" } });
 * if (id !== "th") throw new Error("unexpected");
 * ```
 */
export function notificationThreadId(method: string, params: unknown): string | undefined {
  return idOf(NOTIFICATION_TABLE, "thread", THREAD_FALLBACK, method, params);
}

/**
 * The turn a notification belongs to.
 *
 * Known methods use the generated route (`params.turnId`, or `params.turn.id` for
 * `turn/started`/`turn/completed`). Unknown methods, and known ones whose schema has no turn
 * id, fall back to `params.turnId`, then `params.turn.id`.
 *
 * @param method The notification method.
 * @param params The notification params, as received.
 * @returns The turn id, or `undefined` when there is none.
 *
 * @example
 * ```ts
 * import { notificationTurnId } from "./mod.ts";
 * const id = notificationTurnId("turn/completed", { threadId: "th", turn: { id: "tu" } });
 * if (id !== "tu") throw new Error("unexpected");
 * ```
 */
export function notificationTurnId(method: string, params: unknown): string | undefined {
  return idOf(NOTIFICATION_TABLE, "turn", TURN_FALLBACK, method, params);
}

/**
 * The item a notification is about (`params.itemId`, or `params.item.id` for
 * `item/started`/`item/completed`). Unknown methods fall back to the same two paths.
 *
 * @param method The notification method.
 * @param params The notification params, as received.
 * @returns The item id, or `undefined` when there is none.
 *
 * @example
 * ```ts
 * import { notificationItemId } from "./mod.ts";
 * const id = notificationItemId("item/completed", { item: { type: "plan", id: "it" } });
 * if (id !== "it") throw new Error("unexpected");
 * ```
 */
export function notificationItemId(method: string, params: unknown): string | undefined {
  return idOf(NOTIFICATION_TABLE, "item", ITEM_FALLBACK, method, params);
}

/**
 * The thread a server → client request belongs to (same rules as
 * {@link notificationThreadId}; legacy v1 requests carry no thread id).
 *
 * @param method The server request method.
 * @param params The request params, as received.
 * @returns The thread id, or `undefined` when there is none.
 *
 * @example
 * ```ts
 * import { serverRequestThreadId } from "./mod.ts";
 * const params = { threadId: "th", turnId: "tu", itemId: "it", startedAtMs: 0 };
 * const id = serverRequestThreadId("item/fileChange/requestApproval", params);
 * if (id !== "th") throw new Error("unexpected");
 * ```
 */
export function serverRequestThreadId(method: string, params: unknown): string | undefined {
  return idOf(SERVER_REQUEST_TABLE, "thread", THREAD_FALLBACK, method, params);
}

/**
 * The turn a server → client request belongs to (same rules as {@link notificationTurnId}).
 *
 * @param method The server request method.
 * @param params The request params, as received.
 * @returns The turn id, or `undefined` when there is none.
 *
 * @example
 * ```ts
 * import { serverRequestTurnId } from "./mod.ts";
 * const params = { threadId: "th", turnId: "tu", itemId: "it", startedAtMs: 0 };
 * const id = serverRequestTurnId("item/fileChange/requestApproval", params);
 * if (id !== "tu") throw new Error("unexpected");
 * ```
 */
export function serverRequestTurnId(method: string, params: unknown): string | undefined {
  return idOf(SERVER_REQUEST_TABLE, "turn", TURN_FALLBACK, method, params);
}

/**
 * Types a notification: known method with params of the generated shape (every required
 * top-level property present, with an allowed JSON type) gives a {@link ServerNotification};
 * anything else an {@link UnknownNotification} saying why. Nested values are not checked.
 *
 * @param method The notification method.
 * @param params The notification params, as received.
 * @returns The typed notification, or an unknown one.
 *
 * @example Unknown methods and bad shapes are flagged, not dropped
 * ```ts
 * import { classifyNotification } from "./mod.ts";
 * const bad = classifyNotification("item/agentMessage/delta", {
 *   threadId: "th", turnId: "tu", itemId: "it", delta: 5,
 * });
 * if (!bad.unknown || bad.reason !== "invalidShape") throw new Error("unexpected");
 * const future = classifyNotification("future/event", {});
 * if (!future.unknown || future.reason !== "unknownMethod") throw new Error("unexpected");
 * ```
 */
export function classifyNotification(method: string, params: unknown): Notification {
  return routeNotification(method, params).notification;
}

/** A notification typed and located: what the router needs, from one table lookup. */
export interface RoutedNotification {
  /** The typed (or unknown) notification. */
  notification: Notification;
  /** Its thread, if any. */
  threadId: string | undefined;
  /** Its turn, if any. */
  turnId: string | undefined;
}

const UNKNOWN_ROUTE: Pick<CompiledRoute, "threadOf" | "turnOf"> = {
  threadOf: accessor(undefined, THREAD_FALLBACK),
  turnOf: accessor(undefined, TURN_FALLBACK),
};

/**
 * {@link classifyNotification}, {@link notificationThreadId} and {@link notificationTurnId} in
 * one pass (the router's hot path).
 *
 * @param method The notification method.
 * @param params The notification params, as received.
 * @returns The notification with its thread and turn ids.
 *
 * @example
 * ```ts
 * import { routeNotification } from "./mod.ts";
 * const r = routeNotification("turn/completed", {
 *   threadId: "th", turn: { id: "tu", items: [], status: "completed", error: null },
 * });
 * if (r.turnId !== "tu" || r.threadId !== "th") throw new Error("unexpected");
 * ```
 */
export function routeNotification(method: string, params: unknown): RoutedNotification {
  const route = NOTIFICATION_TABLE.get(method);
  if (route === undefined) {
    return {
      notification: { method, params, unknown: true, reason: "unknownMethod" },
      threadId: UNKNOWN_ROUTE.threadOf(params),
      turnId: UNKNOWN_ROUTE.turnOf(params),
    };
  }
  const detail = shapeProblem(route, params);
  return {
    notification: detail === undefined
      ? { method, params } as ServerNotification
      : { method, params, unknown: true, reason: "invalidShape", detail },
    threadId: route.threadOf(params),
    turnId: route.turnOf(params),
  };
}
