/**
 * Short names for the generated types of approvals and dynamic tool calls.
 *
 * @module
 */

import type * as gen from "./generated/index.ts";

/**
 * `item/commandExecution/requestApproval` params.
 *
 * @example
 * ```ts
 * import type { CommandExecutionRequestApprovalParams } from "./mod.ts";
 * const commandOf = (p: CommandExecutionRequestApprovalParams) => p.command ?? "";
 * const got = commandOf({ command: null } as CommandExecutionRequestApprovalParams);
 * if (got !== "") throw new Error("no command");
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
 * const got = toolOf({ tool: "lookup" } as DynamicToolCallParams);
 * if (got !== "lookup") throw new Error("the tool");
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
