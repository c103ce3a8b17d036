/**
 * The internal events a Chat Completions stream is turned into, before they are encoded as
 * Responses SSE. They mirror codex's `ResponseEvent`: an item is opened (`item_added`), grows
 * through deltas, and is closed (`item_done`); the stream ends with `completed` or `failed`.
 *
 * @module
 */

/**
 * An assistant message as it appears in a Responses `output_item` event.
 *
 * @example
 * ```ts
 * import type { MessageItem } from "./stream_events.ts";
 * const item: MessageItem = {
 *   type: "message",
 *   role: "assistant",
 *   content: [{ type: "output_text", text: "hi" }],
 * };
 * console.assert(item.content[0].text === "hi");
 * ```
 */
export interface MessageItem {
  readonly type: "message";
  readonly role: "assistant";
  /** Empty while the message is open; one part holding the whole text once it is done. */
  readonly content: readonly { readonly type: "output_text"; readonly text: string }[];
}

/**
 * Reasoning text (chain of thought) as a Responses `reasoning` item.
 *
 * @example
 * ```ts
 * import type { ReasoningItem } from "./stream_events.ts";
 * const item: ReasoningItem = {
 *   type: "reasoning",
 *   content: [{ type: "reasoning_text", text: "because" }],
 * };
 * console.assert(item.content.length === 1);
 * ```
 */
export interface ReasoningItem {
  readonly type: "reasoning";
  /** Empty while the item is open; one part holding the whole text once it is done. */
  readonly content: readonly { readonly type: "reasoning_text"; readonly text: string }[];
}

/**
 * A complete tool call.
 *
 * @example
 * ```ts
 * import type { FunctionCallItem } from "./stream_events.ts";
 * const call: FunctionCallItem = {
 *   type: "function_call",
 *   call_id: "call_a",
 *   name: "exec_command",
 *   arguments: '{"cmd":"ls"}',
 * };
 * console.assert(JSON.parse(call.arguments).cmd === "ls");
 * ```
 */
export interface FunctionCallItem {
  readonly type: "function_call";
  readonly call_id: string;
  readonly name: string;
  /** The JSON arguments exactly as the model streamed them (not validated). */
  readonly arguments: string;
}

/**
 * Any item a chat stream produces.
 *
 * @example
 * ```ts
 * import type { OutputItem } from "./stream_events.ts";
 * const items: OutputItem[] = [{ type: "reasoning", content: [] }];
 * console.assert(items[0].type === "reasoning");
 * ```
 */
export type OutputItem = MessageItem | ReasoningItem | FunctionCallItem;

/**
 * Token usage in the Responses API shape (what codex reads from `response.completed`).
 *
 * @example
 * ```ts
 * import type { ResponsesUsage } from "./stream_events.ts";
 * const usage: ResponsesUsage = {
 *   input_tokens: 10,
 *   input_tokens_details: { cached_tokens: 2 },
 *   output_tokens: 5,
 *   output_tokens_details: { reasoning_tokens: 1 },
 *   total_tokens: 15,
 * };
 * console.assert(usage.total_tokens === 15);
 * ```
 */
export interface ResponsesUsage {
  readonly input_tokens: number;
  readonly input_tokens_details: { readonly cached_tokens: number };
  readonly output_tokens: number;
  readonly output_tokens_details: { readonly reasoning_tokens: number };
  readonly total_tokens: number;
}

/**
 * One step of a translated stream. At most one message and one reasoning item are open at a
 * time, so deltas need no item reference. Function calls are only reported when done. A stream
 * ends with exactly one `completed` or `failed` event.
 *
 * @example
 * ```ts
 * import type { ChatStreamEvent } from "./stream_events.ts";
 * const events: ChatStreamEvent[] = [
 *   { type: "item_added", item: { type: "message", role: "assistant", content: [] } },
 *   { type: "text_delta", delta: "hi" },
 *   {
 *     type: "item_done",
 *     item: { type: "message", role: "assistant", content: [{ type: "output_text", text: "hi" }] },
 *   },
 *   { type: "completed" },
 * ];
 * console.assert(events.at(-1)?.type === "completed");
 * ```
 */
export type ChatStreamEvent =
  | { readonly type: "item_added"; readonly item: MessageItem | ReasoningItem }
  | { readonly type: "text_delta"; readonly delta: string }
  | { readonly type: "reasoning_delta"; readonly delta: string }
  | { readonly type: "item_done"; readonly item: OutputItem }
  | { readonly type: "completed"; readonly usage?: ResponsesUsage }
  | { readonly type: "failed"; readonly code: string; readonly message: string };
