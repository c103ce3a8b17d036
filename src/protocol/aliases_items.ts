/**
 * Short names for the generated types of thread items, input, usage and policies.
 *
 * @module
 */

import type * as gen from "./generated/index.ts";
import type { WidenAgentMessage } from "./agent_message_display.ts";

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
 * const got = snippetOf({ snippet: "…banana…" } as ThreadSearchResult);
 * if (got !== "…banana…") throw new Error("snippet");
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
 * const got = textOf({ type: "agentMessage", text: "Hi" } as AgentMessageItem);
 * if (got !== "Hi") throw new Error("text");
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
 * const got = exitOf({ exitCode: null } as CommandExecutionItem);
 * if (got !== null) throw new Error("still running");
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
 * const got = paths({ changes: [{ path: "a.ts" }] } as FileChangeItem).join();
 * if (got !== "a.ts") throw new Error("paths");
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
 * if (total({ total: { totalTokens: 30 } } as ThreadTokenUsage) !== 30) throw new Error("total");
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
