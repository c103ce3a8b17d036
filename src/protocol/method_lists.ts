/**
 * The method lists of the pinned schema, and guards that tell a method string's kind.
 *
 * @module
 */

import type {
  ClientRequestMethod,
  ServerNotificationMethod,
  ServerRequestMethod,
} from "./methods.ts";
import {
  CLIENT_REQUEST_METHODS as GENERATED_CLIENT_REQUEST_METHODS,
  CODEX_VERSION,
  EXPERIMENTAL_CLIENT_REQUEST_METHODS as GENERATED_EXPERIMENTAL_CLIENT_REQUEST_METHODS,
  EXPERIMENTAL_SERVER_REQUEST_METHODS as GENERATED_EXPERIMENTAL_SERVER_REQUEST_METHODS,
  NOTIFICATION_ROUTES,
  SERVER_NOTIFICATION_METHODS as GENERATED_SERVER_NOTIFICATION_METHODS,
  SERVER_REQUEST_METHODS as GENERATED_SERVER_REQUEST_METHODS,
} from "./generated/notification_routes.ts";

/** @internal The pinned version as a literal type. */
type PinnedCodexVersion = typeof CODEX_VERSION;

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
