/**
 * Short names for the generated params, responses, notifications and approvals the SDK uses most.
 *
 * @module
 */

import type * as gen from "./generated/index.ts";

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
 * const got = threadIdOf({ thread: { id: "th" } } as ThreadStartResponse);
 * if (got !== "th") throw new Error("thread id");
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
 * if (threadIdOf({ thread: { id: "th" } } as ThreadResumeResponse) !== "th") throw new Error("id");
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
 * if (turnIdOf({ turn: { id: "tu" } } as TurnStartResponse) !== "tu") throw new Error("turn id");
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
 * const got = idOf({ thread: { id: "x" } } as ThreadStartedNotification);
 * if (got !== "x") throw new Error("the id");
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
 * if (idOf({ turn: { id: "x" } } as TurnStartedNotification) !== "x") throw new Error("the id");
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
 * const got = statusOf({ turn: { status: "failed" } } as TurnCompletedNotification);
 * if (got !== "failed") throw new Error("status");
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
 * if (retrying({ willRetry: true } as ErrorNotification) !== true) throw new Error("retrying");
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
