/**
 * The subset of the Chat Completions request the adapter sends upstream.
 *
 * @module
 */

/**
 * A content part of a user message that carries an image.
 *
 * @example
 * ```ts
 * import type { ChatContentPart } from "./chat_types.ts";
 * const parts: ChatContentPart[] = [
 *   { type: "text", text: "what is this?" },
 *   { type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } },
 * ];
 * console.assert(parts.length === 2);
 * ```
 */
export type ChatContentPart =
  | { readonly type: "text"; readonly text: string }
  | { readonly type: "image_url"; readonly image_url: { readonly url: string } };

/**
 * A tool call made by the assistant, as it appears in the conversation history.
 *
 * @example
 * ```ts
 * import type { ChatToolCall } from "./chat_types.ts";
 * const call: ChatToolCall = {
 *   id: "call_1",
 *   type: "function",
 *   function: { name: "exec_command", arguments: '{"cmd":"ls"}' },
 * };
 * console.assert(call.function.name === "exec_command");
 * ```
 */
export interface ChatToolCall {
  readonly id: string;
  readonly type: "function";
  readonly function: { readonly name: string; readonly arguments: string };
}

/**
 * One Chat Completions message.
 *
 * @example
 * ```ts
 * import type { ChatMessage } from "./chat_types.ts";
 * const messages: ChatMessage[] = [
 *   { role: "system", content: "Be brief." },
 *   { role: "user", content: "hi" },
 * ];
 * console.assert(messages[0].role === "system");
 * ```
 */
export type ChatMessage =
  | { readonly role: "system"; readonly content: string }
  | { readonly role: "user"; readonly content: string | readonly ChatContentPart[] }
  | {
    readonly role: "assistant";
    readonly content: string | null;
    readonly tool_calls?: readonly ChatToolCall[];
  }
  | { readonly role: "tool"; readonly tool_call_id: string; readonly content: string };

/**
 * A function tool offered to the model.
 *
 * @example
 * ```ts
 * import type { ChatTool } from "./chat_types.ts";
 * const tool: ChatTool = {
 *   type: "function",
 *   function: { name: "get_goal", description: "Get the goal", parameters: { type: "object" } },
 * };
 * console.assert(tool.function.name === "get_goal");
 * ```
 */
export interface ChatTool {
  readonly type: "function";
  readonly function: {
    readonly name: string;
    readonly description?: string;
    readonly parameters?: unknown;
  };
}

/**
 * A streaming Chat Completions request body.
 *
 * @example
 * ```ts
 * import type { ChatCompletionsRequest } from "./chat_types.ts";
 * const request: ChatCompletionsRequest = {
 *   model: "qwen",
 *   messages: [{ role: "user", content: "hi" }],
 *   stream: true,
 *   stream_options: { include_usage: true },
 * };
 * console.assert(request.stream);
 * ```
 */
export interface ChatCompletionsRequest {
  readonly model: string;
  readonly messages: readonly ChatMessage[];
  readonly stream: true;
  readonly stream_options: { readonly include_usage: true };
  readonly tools?: readonly ChatTool[];
  readonly tool_choice?: unknown;
  readonly parallel_tool_calls?: boolean;
  readonly temperature?: number;
  readonly top_p?: number;
  readonly max_tokens?: number;
  readonly response_format?: unknown;
}
