/**
 * Short names for the generated types the SDK uses most: threads, turns, items, usage, policies.
 *
 * @module
 */

import type * as gen from "./generated/index.ts";
import type { JsonValue as GeneratedJsonValue } from "./generated/serde_json/JsonValue.ts";

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
 * if (idOf({ id: "th" } as Thread) !== "th") throw new Error("the id");
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
