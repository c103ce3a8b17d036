/**
 * The Codex app-server protocol, as spoken by the pinned codex binary.
 *
 * This is the only module the rest of the SDK imports protocol types and tables from; the
 * generated code under `./generated/` (ts-rs output plus derived tables, see
 * `scripts/gen_protocol.ts`) stays behind it.
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

import type {
  ClientRequestMap as GeneratedClientRequestMap,
  ServerNotificationMap as GeneratedServerNotificationMap,
  ServerRequestMap as GeneratedServerRequestMap,
} from "./generated/method_maps.ts";
import {
  CLIENT_REQUEST_METHODS as GENERATED_CLIENT_REQUEST_METHODS,
  CODEX_VERSION,
  EXPERIMENTAL_CLIENT_REQUEST_METHODS as GENERATED_EXPERIMENTAL_CLIENT_REQUEST_METHODS,
  EXPERIMENTAL_SERVER_REQUEST_METHODS as GENERATED_EXPERIMENTAL_SERVER_REQUEST_METHODS,
  type JsonType,
  NOTIFICATION_ROUTES,
  type ParamsRoute,
  SERVER_NOTIFICATION_METHODS as GENERATED_SERVER_NOTIFICATION_METHODS,
  SERVER_REQUEST_METHODS as GENERATED_SERVER_REQUEST_METHODS,
  SERVER_REQUEST_ROUTES,
} from "./generated/notification_routes.ts";
import type * as gen from "./generated/index.ts";
import type { JsonValue as GeneratedJsonValue } from "./generated/serde_json/JsonValue.ts";
import type { WidenAgentMessage } from "./agent_message_display.ts";

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
/** @internal The pinned version as a literal type. */
type PinnedCodexVersion = typeof CODEX_VERSION;

// ---------------------------------------------------------------------------------------------
// Method maps

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

// ---------------------------------------------------------------------------------------------
// Method lists

/**
 * Version of the codex binary the protocol was generated from (the npm pin in `deno.json`).
 *
 * @example
 * ```ts
 * import { PINNED_CODEX_VERSION } from "./mod.ts";
 * if (!/^\d+\.\d+\.\d+/.test(PINNED_CODEX_VERSION)) throw new Error("unexpected");
 * ```
 */
export const PINNED_CODEX_VERSION: PinnedCodexVersion = CODEX_VERSION;

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

/**
 * Every client request method of the pinned schema (experimental ones included), sorted.
 *
 * @example
 * ```ts
 * import { CLIENT_REQUEST_METHODS } from "./mod.ts";
 * if (!CLIENT_REQUEST_METHODS.includes("thread/start")) throw new Error("unexpected");
 * ```
 */
export const CLIENT_REQUEST_METHODS: readonly ClientRequestMethod[] = Object.freeze(
  GENERATED_CLIENT_REQUEST_METHODS,
);

/**
 * Client request methods the server only accepts after `capabilities.experimentalApi: true`.
 *
 * @example
 * ```ts
 * import { EXPERIMENTAL_CLIENT_REQUEST_METHODS } from "./mod.ts";
 * if (EXPERIMENTAL_CLIENT_REQUEST_METHODS.includes("thread/start")) throw new Error("unexpected");
 * ```
 */
export const EXPERIMENTAL_CLIENT_REQUEST_METHODS: readonly ClientRequestMethod[] = Object
  .freeze(GENERATED_EXPERIMENTAL_CLIENT_REQUEST_METHODS);

/**
 * Every server → client request method, sorted. The client must answer each one.
 *
 * @example
 * ```ts
 * import { SERVER_REQUEST_METHODS } from "./mod.ts";
 * const method = "item/fileChange/requestApproval";
 * if (!SERVER_REQUEST_METHODS.includes(method)) throw new Error("unexpected");
 * ```
 */
export const SERVER_REQUEST_METHODS: readonly ServerRequestMethod[] = Object.freeze(
  GENERATED_SERVER_REQUEST_METHODS,
);

/**
 * Server → client request methods the server only sends to `experimentalApi` clients.
 *
 * @example
 * ```ts
 * import { EXPERIMENTAL_SERVER_REQUEST_METHODS } from "./mod.ts";
 * if (EXPERIMENTAL_SERVER_REQUEST_METHODS.includes("item/tool/call")) throw new Error("stable");
 * ```
 */
export const EXPERIMENTAL_SERVER_REQUEST_METHODS: readonly ServerRequestMethod[] = Object.freeze(
  GENERATED_EXPERIMENTAL_SERVER_REQUEST_METHODS,
);

/**
 * Every notification method of the pinned schema, sorted.
 *
 * @example
 * ```ts
 * import { SERVER_NOTIFICATION_METHODS } from "./mod.ts";
 * if (!SERVER_NOTIFICATION_METHODS.includes("turn/completed")) throw new Error("unexpected");
 * ```
 */
export const SERVER_NOTIFICATION_METHODS: readonly ServerNotificationMethod[] = Object.freeze(
  GENERATED_SERVER_NOTIFICATION_METHODS,
);

const CLIENT_REQUEST_SET: ReadonlySet<string> = new Set(CLIENT_REQUEST_METHODS);
const SERVER_REQUEST_SET: ReadonlySet<string> = new Set(SERVER_REQUEST_METHODS);

/**
 * Whether `method` is a client request method of the pinned schema.
 *
 * @param method Any method name.
 * @returns `true` if {@link RequestParams} and {@link RequestResult} know it.
 *
 * @example
 * ```ts
 * import { isClientRequestMethod } from "./mod.ts";
 * if (!isClientRequestMethod("turn/start")) throw new Error("unexpected");
 * if (isClientRequestMethod("turn/completed")) throw new Error("unexpected");
 * ```
 */
export function isClientRequestMethod(method: string): method is ClientRequestMethod {
  return CLIENT_REQUEST_SET.has(method);
}

/**
 * Whether `method` is a server → client request method of the pinned schema.
 *
 * @param method Any method name.
 * @returns `true` if {@link ServerRequestParams} and {@link ServerRequestResult} know it.
 *
 * @example
 * ```ts
 * import { isServerRequestMethod } from "./mod.ts";
 * if (!isServerRequestMethod("item/tool/call")) throw new Error("unexpected");
 * ```
 */
export function isServerRequestMethod(method: string): method is ServerRequestMethod {
  return SERVER_REQUEST_SET.has(method);
}

/**
 * Whether `method` is a notification method of the pinned schema (its params may still fail
 * the shape check; use {@link classifyNotification} for that).
 *
 * @param method Any method name.
 * @returns `true` if {@link NotificationParams} knows it.
 *
 * @example
 * ```ts
 * import { isServerNotificationMethod } from "./mod.ts";
 * if (!isServerNotificationMethod("turn/started")) throw new Error("unexpected");
 * if (isServerNotificationMethod("toString")) throw new Error("unexpected");
 * ```
 */
export function isServerNotificationMethod(method: string): method is ServerNotificationMethod {
  return Object.hasOwn(NOTIFICATION_ROUTES, method);
}

// ---------------------------------------------------------------------------------------------
// Routing and classification

interface CompiledRoute {
  readonly thread: readonly string[] | undefined;
  readonly turn: readonly string[] | undefined;
  readonly item: readonly string[] | undefined;
  readonly required: readonly (readonly [string, readonly JsonType[]])[];
  /** True when `params` has the required shape (the fast path; the detail comes from the slow one). */
  readonly fits: (params: Record<string, unknown>) => boolean;
  readonly threadOf: (params: unknown) => string | undefined;
  readonly turnOf: (params: unknown) => string | undefined;
}

const TYPE_BITS: Readonly<Record<JsonType, number>> = {
  string: 1,
  number: 2,
  boolean: 4,
  null: 8,
  array: 16,
  object: 32,
};

/** The JSON type of a value as one bit of {@link TYPE_BITS} (0 for what JSON cannot hold). */
function typeBit(value: unknown): number {
  switch (typeof value) {
    case "string":
      return 1;
    case "number":
      return 2;
    case "boolean":
      return 4;
    case "object":
      return value === null ? 8 : Array.isArray(value) ? 16 : 32;
    default:
      return 0;
  }
}

/**
 * A test of the required top-level shape, compiled once per method: an own-property check and
 * one bit test per required key (every notification goes through it).
 */
function shapeTest(
  required: readonly (readonly [string, readonly JsonType[]])[],
): (params: Record<string, unknown>) => boolean {
  const keys = required.map(([key]) => key);
  const masks = required.map(([, types]) =>
    types.length === 0 ? 63 : types.reduce((mask, t) => mask | TYPE_BITS[t], 0)
  );
  return (params) => {
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (!Object.hasOwn(params, key) || (typeBit(params[key]) & masks[i]) === 0) return false;
    }
    return true;
  };
}

function compileRoutes(
  table: { readonly [method: string]: ParamsRoute },
): Map<string, CompiledRoute> {
  const routes = new Map<string, CompiledRoute>();
  for (const [method, route] of Object.entries(table)) {
    routes.set(method, {
      thread: route.thread,
      turn: route.turn,
      item: route.item,
      required: Object.entries(route.required),
      fits: shapeTest(Object.entries(route.required)),
      threadOf: accessor(route.thread, THREAD_FALLBACK),
      turnOf: accessor(route.turn, TURN_FALLBACK),
    });
  }
  return routes;
}

const THREAD_FALLBACK: readonly (readonly string[])[] = [["threadId"], ["thread", "id"]];
const TURN_FALLBACK: readonly (readonly string[])[] = [["turnId"], ["turn", "id"]];
const ITEM_FALLBACK: readonly (readonly string[])[] = [["itemId"], ["item", "id"]];

/** A fast reader of one id path (hot path: every notification goes through it). */
function accessor(
  path: readonly string[] | undefined,
  fallback: readonly (readonly string[])[],
): (params: unknown) => string | undefined {
  if (path === undefined) {
    return (params) => {
      for (const p of fallback) {
        const id = stringAt(params, p);
        if (id !== undefined) return id;
      }
      return undefined;
    };
  }
  if (path.length === 1) {
    const [a] = path;
    return (params) => {
      const v = isRecord(params) && Object.hasOwn(params, a) ? params[a] : undefined;
      return typeof v === "string" ? v : undefined;
    };
  }
  return (params) => stringAt(params, path);
}

const NOTIFICATION_TABLE = compileRoutes(NOTIFICATION_ROUTES);
const SERVER_REQUEST_TABLE = compileRoutes(SERVER_REQUEST_ROUTES);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringAt(value: unknown, path: readonly string[]): string | undefined {
  let node = value;
  for (const key of path) {
    if (!isRecord(node) || !Object.hasOwn(node, key)) return undefined;
    node = node[key];
  }
  return typeof node === "string" ? node : undefined;
}

function idOf(
  table: Map<string, CompiledRoute>,
  field: "thread" | "turn" | "item",
  fallback: readonly (readonly string[])[],
  method: string,
  params: unknown,
): string | undefined {
  const path = table.get(method)?.[field];
  if (path !== undefined) return stringAt(params, path);
  for (const path of fallback) {
    const id = stringAt(params, path);
    if (id !== undefined) return id;
  }
  return undefined;
}

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

function jsonTypeOf(value: unknown): string {
  const t = typeof value;
  if (t !== "object") return t;
  if (value === null) return "null";
  return Array.isArray(value) ? "array" : "object";
}

function shapeProblem(route: CompiledRoute, params: unknown): string | undefined {
  if (!isRecord(params)) return `params is ${jsonTypeOf(params)}, expected object`;
  if (route.fits(params)) return undefined;
  for (const [key, types] of route.required) {
    if (!Object.hasOwn(params, key)) return `missing required property "${key}"`;
    const actual = jsonTypeOf(params[key]);
    if (types.length > 0 && !(types as readonly string[]).includes(actual)) {
      return `property "${key}" is ${actual}, expected ${types.join(" | ")}`;
    }
  }
  return undefined;
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

// ---------------------------------------------------------------------------------------------
// Commonly used generated types

/**
 * The experimental (`v2`) protocol namespace: every generated v2 type by name.
 *
 * @example
 * ```ts
 * import type { v2 } from "./mod.ts";
 * const status: v2.TurnStatus = "completed";
 * console.assert(status === "completed");
 * ```
 */
export type * as v2 from "./generated/v2/index.ts";

/**
 * A JSON-RPC request id: a string or an integer.
 *
 * @example
 * ```ts
 * import type { RequestId } from "./mod.ts";
 * const ids: RequestId[] = [0, "req-1"];
 * console.assert(ids.length === 2);
 * ```
 */
export type RequestId = gen.RequestId;

/**
 * Any JSON value (ts-rs `serde_json::Value`).
 *
 * @example
 * ```ts
 * import type { JsonValue } from "./mod.ts";
 * const v: JsonValue = { a: [1, "two", null] };
 * console.assert(typeof v === "object");
 * ```
 */
export type JsonValue = GeneratedJsonValue;

/**
 * `initialize` params: client identity and capabilities.
 *
 * @example
 * ```ts
 * import type { InitializeParams } from "./mod.ts";
 * const p: InitializeParams = {
 *   clientInfo: { name: "my_app", title: null, version: "1.0.0" },
 *   capabilities: { experimentalApi: true, requestAttestation: false },
 * };
 * console.assert(p.clientInfo.name === "my_app");
 * ```
 */
export type InitializeParams = gen.InitializeParams;

/**
 * The capabilities a client declares in `initialize`.
 *
 * @example
 * ```ts
 * import type { InitializeCapabilities } from "./mod.ts";
 * const caps: InitializeCapabilities = {
 *   experimentalApi: true,
 *   requestAttestation: false,
 *   optOutNotificationMethods: ["item/agentMessage/delta"],
 * };
 * console.assert(caps.experimentalApi);
 * ```
 */
export type InitializeCapabilities = gen.InitializeCapabilities;

/**
 * The client's name, title and version, as sent in `initialize`.
 *
 * @example
 * ```ts
 * import type { ClientInfo } from "./mod.ts";
 * const info: ClientInfo = { name: "my_app", title: "My App", version: "1.0.0" };
 * console.assert(info.version === "1.0.0");
 * ```
 */
export type ClientInfo = gen.ClientInfo;

/**
 * The `initialize` result: user agent, codex home and platform.
 *
 * @example
 * ```ts
 * import type { InitializeResponse } from "./mod.ts";
 * const r: InitializeResponse = {
 *   userAgent: "my_app/0.169.0", codexHome: "/home/me/.codex",
 *   platformFamily: "unix", platformOs: "linux",
 * };
 * console.assert(r.platformOs === "linux");
 * ```
 */
export type InitializeResponse = gen.InitializeResponse;

/**
 * A thread (conversation) as the server describes it.
 *
 * @example
 * ```ts
 * import type { Thread } from "./mod.ts";
 * const idOf = (t: Thread): string => t.id;
 * console.assert(typeof idOf === "function");
 * ```
 */
export type Thread = gen.v2.Thread;

/**
 * A thread's load/activity status.
 *
 * @example
 * ```ts
 * import type { ThreadStatus } from "./mod.ts";
 * const s: ThreadStatus = { type: "active", activeFlags: ["waitingOnApproval"] };
 * console.assert(s.type === "active");
 * ```
 */
export type ThreadStatus = gen.v2.ThreadStatus;

/**
 * One turn of a thread: its items, status and error.
 *
 * @example
 * ```ts
 * import type { Turn } from "./mod.ts";
 * const turn: Turn = {
 *   id: "tu", rootTurnId: null, items: [], itemsView: "summary", status: "completed",
 *   error: null, startedAt: null, completedAt: null, durationMs: null,
 * };
 * console.assert(turn.status === "completed");
 * ```
 */
export type Turn = gen.v2.Turn;

/**
 * A turn's status.
 *
 * @example
 * ```ts
 * import type { TurnStatus } from "./mod.ts";
 * const done = (s: TurnStatus): boolean => s !== "inProgress";
 * console.assert(done("interrupted"));
 * ```
 */
export type TurnStatus = gen.v2.TurnStatus;

/**
 * The error of a failed or interrupted turn.
 *
 * @example
 * ```ts
 * import type { TurnError } from "./mod.ts";
 * const e: TurnError = {
 *   message: "boom", codexErrorInfo: null, additionalDetails: null, misalignment: null,
 * };
 * console.assert(e.message === "boom");
 * ```
 */
export type TurnError = gen.v2.TurnError;

/**
 * An item of a turn: user message, agent message, reasoning, command execution, file change, ...
 * discriminated by `type`. An agent message's `moderation.display` is typed in both shapes of the
 * supported window (`AgentMessageDisplay`).
 *
 * @example
 * ```ts
 * import type { ThreadItem } from "./mod.ts";
 * const item: ThreadItem = { type: "plan", id: "it", text: "1. do it" };
 * console.assert(item.type === "plan");
 * ```
 */
export type ThreadItem = WidenAgentMessage<PinnedThreadItem>;

/**
 * A {@link ThreadItem} exactly as the pinned schema types it (an agent message's moderation in
 * the 0.171 shape only).
 *
 * @example
 * ```ts
 * import type { PinnedThreadItem } from "./mod.ts";
 * const item: PinnedThreadItem = { type: "plan", id: "it", text: "1. do it" };
 * console.assert(item.type === "plan");
 * ```
 */
export type PinnedThreadItem = gen.v2.ThreadItem;

/**
 * One match of a thread search: the stored thread and a snippet around the match.
 *
 * @example
 * ```ts
 * import type { ThreadSearchResult } from "./mod.ts";
 * const snippetOf = (r: ThreadSearchResult): string => r.snippet;
 * console.assert(typeof snippetOf === "function");
 * ```
 */
export type ThreadSearchResult = gen.v2.ThreadSearchResult;

/**
 * The `type` tag of a {@link ThreadItem}.
 *
 * @example
 * ```ts
 * import type { ThreadItemType } from "./mod.ts";
 * const t: ThreadItemType = "agentMessage";
 * console.assert(t === "agentMessage");
 * ```
 */
export type ThreadItemType = ThreadItem["type"];

/**
 * The {@link ThreadItem} variant with a given `type`.
 *
 * @example
 * ```ts
 * import type { ThreadItemOf } from "./mod.ts";
 * const r: ThreadItemOf<"reasoning"> = { type: "reasoning", id: "it", summary: [], content: [] };
 * console.assert(r.summary.length === 0);
 * ```
 */
export type ThreadItemOf<T extends ThreadItemType> = Extract<ThreadItem, { type: T }>;

/**
 * An assistant message item (its text streams through `item/agentMessage/delta`).
 *
 * @example
 * ```ts
 * import type { AgentMessageItem } from "./mod.ts";
 * const textOf = (m: AgentMessageItem): string => m.text;
 * console.assert(typeof textOf === "function");
 * ```
 */
export type AgentMessageItem = ThreadItemOf<"agentMessage">;

/**
 * A user message item.
 *
 * @example
 * ```ts
 * import type { UserMessageItem } from "./mod.ts";
 * const m: UserMessageItem = {
 *   type: "userMessage", id: "it", clientId: null,
 *   content: [{ type: "text", text: "hi", text_elements: [] }],
 * };
 * console.assert(m.content.length === 1);
 * ```
 */
export type UserMessageItem = ThreadItemOf<"userMessage">;

/**
 * A reasoning item (summary and raw content parts).
 *
 * @example
 * ```ts
 * import type { ReasoningItem } from "./mod.ts";
 * const r: ReasoningItem = { type: "reasoning", id: "it", summary: ["thinking"], content: [] };
 * console.assert(r.summary[0] === "thinking");
 * ```
 */
export type ReasoningItem = ThreadItemOf<"reasoning">;

/**
 * A command execution item (output streams through `item/commandExecution/outputDelta`).
 *
 * @example
 * ```ts
 * import type { CommandExecutionItem } from "./mod.ts";
 * const exitOf = (c: CommandExecutionItem): number | null => c.exitCode;
 * console.assert(typeof exitOf === "function");
 * ```
 */
export type CommandExecutionItem = ThreadItemOf<"commandExecution">;

/**
 * A file change (patch) item.
 *
 * @example
 * ```ts
 * import type { FileChangeItem } from "./mod.ts";
 * const paths = (f: FileChangeItem): string[] => f.changes.map((c) => c.path);
 * console.assert(typeof paths === "function");
 * ```
 */
export type FileChangeItem = ThreadItemOf<"fileChange">;

/**
 * One piece of user input for `turn/start`/`turn/steer`: text, image, skill, mention, ...
 *
 * @example
 * ```ts
 * import type { UserInput } from "./mod.ts";
 * const input: UserInput = { type: "text", text: "say hi", text_elements: [] };
 * console.assert(input.type === "text");
 * ```
 */
export type UserInput = gen.v2.UserInput;

/**
 * Token usage of a thread (`total` and `last` turn) and the model's context window.
 *
 * @example
 * ```ts
 * import type { ThreadTokenUsage } from "./mod.ts";
 * const total = (u: ThreadTokenUsage): number => u.total.totalTokens;
 * console.assert(typeof total === "function");
 * ```
 */
export type ThreadTokenUsage = gen.v2.ThreadTokenUsage;

/**
 * A token usage breakdown (input, cached, output, reasoning).
 *
 * @example
 * ```ts
 * import type { TokenUsageBreakdown } from "./mod.ts";
 * const u: TokenUsageBreakdown = {
 *   totalTokens: 15, inputTokens: 10, cachedInputTokens: 0, cacheWriteInputTokens: 0,
 *   outputTokens: 5, reasoningOutputTokens: 0,
 * };
 * console.assert(u.totalTokens === u.inputTokens + u.outputTokens);
 * ```
 */
export type TokenUsageBreakdown = gen.v2.TokenUsageBreakdown;

/**
 * When commands need approval: `"untrusted"`, `"on-request"`, `"never"` or `{granular}`.
 *
 * @example
 * ```ts
 * import type { AskForApproval } from "./mod.ts";
 * const policy: AskForApproval = "on-request";
 * console.assert(policy === "on-request");
 * ```
 */
export type AskForApproval = gen.v2.AskForApproval;

/**
 * The `thread/start` sandbox mode (kebab-case).
 *
 * @example
 * ```ts
 * import type { SandboxMode } from "./mod.ts";
 * const mode: SandboxMode = "read-only";
 * console.assert(mode === "read-only");
 * ```
 */
export type SandboxMode = gen.v2.SandboxMode;

/**
 * The `turn/start` sandbox policy (camelCase-tagged).
 *
 * @example
 * ```ts
 * import type { SandboxPolicy } from "./mod.ts";
 * const policy: SandboxPolicy = { type: "readOnly", networkAccess: false };
 * console.assert(policy.type === "readOnly");
 * ```
 */
export type SandboxPolicy = gen.v2.SandboxPolicy;

/**
 * A reasoning effort name (`"low"`, `"medium"`, `"high"`, ...).
 *
 * @example
 * ```ts
 * import type { ReasoningEffort } from "./mod.ts";
 * const effort: ReasoningEffort = "low";
 * console.assert(effort === "low");
 * ```
 */
export type ReasoningEffort = gen.ReasoningEffort;

/**
 * `thread/start` params.
 *
 * @example
 * ```ts
 * import type { ThreadStartParams } from "./mod.ts";
 * const p: ThreadStartParams = { cwd: "/tmp", approvalPolicy: "never", sandbox: "read-only" };
 * console.assert(p.sandbox === "read-only");
 * ```
 */
export type ThreadStartParams = gen.v2.ThreadStartParams;

/**
 * `thread/start` result: the thread and its effective settings.
 *
 * @example
 * ```ts
 * import type { ThreadStartResponse } from "./mod.ts";
 * const threadIdOf = (r: ThreadStartResponse): string => r.thread.id;
 * console.assert(typeof threadIdOf === "function");
 * ```
 */
export type ThreadStartResponse = gen.v2.ThreadStartResponse;

/**
 * `thread/resume` params.
 *
 * @example
 * ```ts
 * import type { ThreadResumeParams } from "./mod.ts";
 * const p: ThreadResumeParams = { threadId: "th" };
 * console.assert(p.threadId === "th");
 * ```
 */
export type ThreadResumeParams = gen.v2.ThreadResumeParams;

/**
 * `thread/resume` result.
 *
 * @example
 * ```ts
 * import type { ThreadResumeResponse } from "./mod.ts";
 * const threadIdOf = (r: ThreadResumeResponse): string => r.thread.id;
 * console.assert(typeof threadIdOf === "function");
 * ```
 */
export type ThreadResumeResponse = gen.v2.ThreadResumeResponse;

/**
 * `turn/start` params: the input plus per-turn overrides that persist for later turns.
 *
 * @example
 * ```ts
 * import type { TurnStartParams } from "./mod.ts";
 * const p: TurnStartParams = {
 *   threadId: "th",
 *   input: [{ type: "text", text: "say hi", text_elements: [] }],
 * };
 * console.assert(p.input.length === 1);
 * ```
 */
export type TurnStartParams = gen.v2.TurnStartParams;

/**
 * `turn/start` result: the turn (in progress).
 *
 * @example
 * ```ts
 * import type { TurnStartResponse } from "./mod.ts";
 * const turnIdOf = (r: TurnStartResponse): string => r.turn.id;
 * console.assert(typeof turnIdOf === "function");
 * ```
 */
export type TurnStartResponse = gen.v2.TurnStartResponse;

/**
 * `turn/steer` params: extra input for the active turn.
 *
 * @example
 * ```ts
 * import type { TurnSteerParams } from "./mod.ts";
 * const p: TurnSteerParams = {
 *   threadId: "th", expectedTurnId: "tu",
 *   input: [{ type: "text", text: "shorter please", text_elements: [] }],
 * };
 * console.assert(p.expectedTurnId === "tu");
 * ```
 */
export type TurnSteerParams = gen.v2.TurnSteerParams;

/**
 * `turn/interrupt` params.
 *
 * @example
 * ```ts
 * import type { TurnInterruptParams } from "./mod.ts";
 * const p: TurnInterruptParams = { threadId: "th", turnId: "tu" };
 * console.assert(p.turnId === "tu");
 * ```
 */
export type TurnInterruptParams = gen.v2.TurnInterruptParams;

/**
 * `thread/started` params.
 *
 * @example
 * ```ts
 * import type { ThreadStartedNotification } from "./mod.ts";
 * const idOf = (n: ThreadStartedNotification): string => n.thread.id;
 * console.assert(typeof idOf === "function");
 * ```
 */
export type ThreadStartedNotification = gen.v2.ThreadStartedNotification;

/**
 * `turn/started` params.
 *
 * @example
 * ```ts
 * import type { TurnStartedNotification } from "./mod.ts";
 * const idOf = (n: TurnStartedNotification): string => n.turn.id;
 * console.assert(typeof idOf === "function");
 * ```
 */
export type TurnStartedNotification = gen.v2.TurnStartedNotification;

/**
 * `turn/completed` params (its `turn.items` is only a summary: build items from
 * `item/completed`).
 *
 * @example
 * ```ts
 * import type { TurnCompletedNotification } from "./mod.ts";
 * const statusOf = (n: TurnCompletedNotification): string => n.turn.status;
 * console.assert(typeof statusOf === "function");
 * ```
 */
export type TurnCompletedNotification = gen.v2.TurnCompletedNotification;

/**
 * `item/started` params.
 *
 * @example
 * ```ts
 * import type { ItemStartedNotification } from "./mod.ts";
 * const n: ItemStartedNotification = {
 *   threadId: "th", turnId: "tu", startedAtMs: 0,
 *   item: { type: "plan", id: "it", text: "" },
 * };
 * console.assert(n.item.id === "it");
 * ```
 */
export type ItemStartedNotification = gen.v2.ItemStartedNotification;

/**
 * `item/completed` params.
 *
 * @example
 * ```ts
 * import type { ItemCompletedNotification } from "./mod.ts";
 * const n: ItemCompletedNotification = {
 *   threadId: "th", turnId: "tu", completedAtMs: 0,
 *   item: { type: "plan", id: "it", text: "done" },
 * };
 * console.assert(n.item.type === "plan");
 * ```
 */
export type ItemCompletedNotification = gen.v2.ItemCompletedNotification;

/**
 * `item/agentMessage/delta` params: a chunk of assistant text.
 *
 * @example
 * ```ts
 * import type { AgentMessageDeltaNotification } from "./mod.ts";
 * const d: AgentMessageDeltaNotification = {
 *   threadId: "th", turnId: "tu", itemId: "it", delta: "Hi",
 * };
 * console.assert(d.delta === "Hi");
 * ```
 */
export type AgentMessageDeltaNotification = gen.v2.AgentMessageDeltaNotification;

/**
 * `error` params; `willRetry: true` means the server is retrying (show "reconnecting").
 *
 * @example
 * ```ts
 * import type { ErrorNotification } from "./mod.ts";
 * const retrying = (n: ErrorNotification): boolean => n.willRetry;
 * console.assert(typeof retrying === "function");
 * ```
 */
export type ErrorNotification = gen.v2.ErrorNotification;

/**
 * `serverRequest/resolved` params: a pending server request was answered or cleared (it can
 * arrive after `turn/completed`).
 *
 * @example
 * ```ts
 * import type { ServerRequestResolvedNotification } from "./mod.ts";
 * const n: ServerRequestResolvedNotification = { threadId: "th", requestId: 0 };
 * console.assert(n.requestId === 0);
 * ```
 */
export type ServerRequestResolvedNotification = gen.v2.ServerRequestResolvedNotification;

/**
 * `item/commandExecution/requestApproval` params.
 *
 * @example
 * ```ts
 * import type { CommandExecutionRequestApprovalParams } from "./mod.ts";
 * const commandOf = (p: CommandExecutionRequestApprovalParams) => p.command ?? "";
 * console.assert(typeof commandOf === "function");
 * ```
 */
export type CommandExecutionRequestApprovalParams = gen.v2.CommandExecutionRequestApprovalParams;

/**
 * The answer to `item/commandExecution/requestApproval`.
 *
 * @example
 * ```ts
 * import type { CommandExecutionRequestApprovalResponse } from "./mod.ts";
 * const answer: CommandExecutionRequestApprovalResponse = { decision: "accept" };
 * console.assert(answer.decision === "accept");
 * ```
 */
export type CommandExecutionRequestApprovalResponse =
  gen.v2.CommandExecutionRequestApprovalResponse;

/**
 * A command approval decision (`"cancel"` interrupts the whole turn).
 *
 * @example
 * ```ts
 * import type { CommandExecutionApprovalDecision } from "./mod.ts";
 * const d: CommandExecutionApprovalDecision = "acceptForSession";
 * console.assert(d === "acceptForSession");
 * ```
 */
export type CommandExecutionApprovalDecision = gen.v2.CommandExecutionApprovalDecision;

/**
 * `item/fileChange/requestApproval` params.
 *
 * @example
 * ```ts
 * import type { FileChangeRequestApprovalParams } from "./mod.ts";
 * const p: FileChangeRequestApprovalParams = {
 *   threadId: "th", turnId: "tu", itemId: "it", startedAtMs: 0, reason: null,
 * };
 * console.assert(p.reason === null);
 * ```
 */
export type FileChangeRequestApprovalParams = gen.v2.FileChangeRequestApprovalParams;

/**
 * The answer to `item/fileChange/requestApproval`.
 *
 * @example
 * ```ts
 * import type { FileChangeRequestApprovalResponse } from "./mod.ts";
 * const answer: FileChangeRequestApprovalResponse = { decision: "decline" };
 * console.assert(answer.decision === "decline");
 * ```
 */
export type FileChangeRequestApprovalResponse = gen.v2.FileChangeRequestApprovalResponse;

/**
 * A file change approval decision.
 *
 * @example
 * ```ts
 * import type { FileChangeApprovalDecision } from "./mod.ts";
 * const d: FileChangeApprovalDecision = "accept";
 * console.assert(d === "accept");
 * ```
 */
export type FileChangeApprovalDecision = gen.v2.FileChangeApprovalDecision;

/**
 * `item/tool/call` params: the model calls a dynamic tool registered at `thread/start`.
 *
 * @example
 * ```ts
 * import type { DynamicToolCallParams } from "./mod.ts";
 * const toolOf = (p: DynamicToolCallParams): string => p.tool;
 * console.assert(typeof toolOf === "function");
 * ```
 */
export type DynamicToolCallParams = gen.v2.DynamicToolCallParams;

/**
 * The answer to `item/tool/call`.
 *
 * @example
 * ```ts
 * import type { DynamicToolCallResponse } from "./mod.ts";
 * const r: DynamicToolCallResponse = {
 *   contentItems: [{ type: "inputText", text: "ticket is OPEN" }],
 *   success: true,
 * };
 * console.assert(r.success);
 * ```
 */
export type DynamicToolCallResponse = gen.v2.DynamicToolCallResponse;
