/**
 * Replies of a {@link ScriptedChatServer}: streamed Chat Completions answers (text, a tool call
 * split over deltas, a `length` finish, an answer that breaks off) and HTTP errors, built by
 * {@link chatReply}.
 *
 * @module
 */

import type { ChatCompletionsRequest } from "../chat_types.ts";

/**
 * A Chat Completions `usage` object, as servers send it in the last chunk.
 *
 * @example
 * ```ts
 * import type { ChatUsage } from "./chat_script.ts";
 * const usage: ChatUsage = { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 };
 * console.assert(usage.total_tokens === 15);
 * ```
 */
export interface ChatUsage {
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
  readonly total_tokens?: number;
  readonly prompt_tokens_details?: { readonly cached_tokens?: number };
  readonly completion_tokens_details?: { readonly reasoning_tokens?: number };
}

/**
 * How a streamed answer ends: `done` sends `data: [DONE]` and closes the body; `eof` closes the
 * body without `[DONE]` (the server hung up cleanly mid-answer); `reset` breaks the connection
 * (the body errors, as when the server process dies).
 *
 * @example
 * ```ts
 * import type { StreamEnd } from "./chat_script.ts";
 * const ends: StreamEnd[] = ["done", "eof", "reset"];
 * console.assert(ends.length === 3);
 * ```
 */
export type StreamEnd = "done" | "eof" | "reset";

/**
 * A streamed answer: each event becomes one `data: …` SSE event (objects as JSON, strings as
 * they are), followed by `data: [DONE]` (unless `end` says otherwise).
 *
 * @example
 * ```ts
 * import type { ChatStreamReply } from "./chat_script.ts";
 * const reply: ChatStreamReply = {
 *   kind: "stream",
 *   events: [{ choices: [{ index: 0, delta: { content: "hi" }, finish_reason: "stop" }] }],
 * };
 * console.assert(reply.events.length === 1);
 * ```
 */
export interface ChatStreamReply {
  readonly kind: "stream";
  readonly events: readonly unknown[];
  /**
   * Write the SSE text in pieces of this many characters, so that events (and JSON) are cut at
   * arbitrary places as on a real network. Default: one write per event.
   */
  readonly splitEvery?: number;
  /** How the stream ends (default `done`). */
  readonly end?: StreamEnd;
}

/**
 * A plain HTTP answer, such as an error status with a JSON body.
 *
 * @example
 * ```ts
 * import type { ChatHttpReply } from "./chat_script.ts";
 * const reply: ChatHttpReply = { kind: "http", status: 503, body: '{"error":"loading"}' };
 * console.assert(reply.status === 503);
 * ```
 */
export interface ChatHttpReply {
  readonly kind: "http";
  readonly status: number;
  readonly body: string;
}

/**
 * What the scripted server answers to one request.
 *
 * @example
 * ```ts
 * import { chatReply, type ChatReply } from "./chat_script.ts";
 * const reply: ChatReply = chatReply.text("hello");
 * console.assert(reply.kind === "stream");
 * ```
 */
export type ChatReply = ChatStreamReply | ChatHttpReply;

/**
 * A request the scripted server received.
 *
 * @example
 * ```ts
 * import type { RecordedChatRequest } from "./chat_script.ts";
 * const recorded: RecordedChatRequest = {
 *   index: 0,
 *   path: "/v1/chat/completions",
 *   headers: {},
 *   body: {
 *     model: "m",
 *     messages: [{ role: "user", content: "hi" }],
 *     stream: true,
 *     stream_options: { include_usage: true },
 *   },
 * };
 * console.assert(recorded.body.messages.length === 1);
 * ```
 */
export interface RecordedChatRequest {
  /** Position in arrival order, from 0. */
  readonly index: number;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: ChatCompletionsRequest;
}

/**
 * Computes a reply from the request (for example from its last user message).
 *
 * @example
 * ```ts
 * import { chatReply, type ChatReplyFactory } from "./chat_script.ts";
 * const echo: ChatReplyFactory = (request) =>
 *   chatReply.text(`you sent ${request.body.messages.length} messages`);
 * ```
 */
export type ChatReplyFactory = (request: RecordedChatRequest) => ChatReply | Promise<ChatReply>;

/**
 * One entry of a script: a fixed reply or a factory.
 *
 * @example
 * ```ts
 * import { chatReply, type ChatScriptStep } from "./chat_script.ts";
 * const steps: ChatScriptStep[] = [chatReply.text("a"), () => chatReply.text("b")];
 * console.assert(steps.length === 2);
 * ```
 */
export type ChatScriptStep = ChatReply | ChatReplyFactory;

/**
 * Options of {@link chatReply.text}.
 *
 * @example
 * ```ts
 * import type { TextReplyOptions } from "./chat_script.ts";
 * const options: TextReplyOptions = { chunks: 3, reasoning: "thinking…" };
 * console.assert(options.chunks === 3);
 * ```
 */
export interface TextReplyOptions {
  /** Number of content deltas the text is cut into. Default 1. */
  readonly chunks?: number;
  /** Reasoning sent first, as `reasoning_content` (llama.cpp, vLLM, DeepSeek style). */
  readonly reasoning?: string;
  /** Sent after the finish chunk, in a chunk with no choices (`include_usage`). */
  readonly usage?: ChatUsage;
  /** See {@link ChatStreamReply.splitEvery}. */
  readonly splitEvery?: number;
}

/**
 * Options of {@link chatReply.toolCall}.
 *
 * @example
 * ```ts
 * import type { ToolCallReplyOptions } from "./chat_script.ts";
 * const options: ToolCallReplyOptions = {
 *   id: "call_1",
 *   name: "exec_command",
 *   arguments: { cmd: "ls" },
 *   argumentChunks: 3,
 * };
 * console.assert(options.name === "exec_command");
 * ```
 */
export interface ToolCallReplyOptions {
  /** `tool_calls[].id`, sent with the first delta only (as servers do). */
  readonly id: string;
  readonly name: string;
  /** Arguments: a JSON string, or a value that is JSON-encoded. */
  readonly arguments: string | Record<string, unknown>;
  /** Number of deltas the arguments string is cut into. Default 1. */
  readonly argumentChunks?: number;
  readonly usage?: ChatUsage;
  /** See {@link ChatStreamReply.splitEvery}. */
  readonly splitEvery?: number;
}

/**
 * Builders of scripted replies, shaped like llama.cpp's and vLLM's streams
 * (`chat.completion.chunk` objects, one choice, `finish_reason` in the last choice chunk).
 *
 * @example A text answer in three deltas, then a tool call whose arguments arrive in pieces
 * ```ts
 * import { chatReply } from "./chat_script.ts";
 * const text = chatReply.text("Hello there", { chunks: 3 });
 * const call = chatReply.toolCall({
 *   id: "call_1",
 *   name: "exec_command",
 *   arguments: { cmd: "echo hi" },
 *   argumentChunks: 4,
 * });
 * console.assert(text.kind === "stream" && call.kind === "stream");
 * ```
 */
export const chatReply = {
  /** Streams `text` (after optional reasoning), finishing with `stop`. */
  text(text: string, options: TextReplyOptions = {}): ChatStreamReply {
    const events: unknown[] = [chunk({ role: "assistant", content: "" })];
    if (options.reasoning) events.push(chunk({ reasoning_content: options.reasoning }));
    for (const piece of split(text, options.chunks ?? 1)) events.push(chunk({ content: piece }));
    events.push(chunk({}, "stop"));
    if (options.usage) events.push(usageChunk(options.usage));
    return stream(events, options.splitEvery);
  },

  /** Streams one function call, its arguments cut into deltas, finishing with `tool_calls`. */
  toolCall(options: ToolCallReplyOptions): ChatStreamReply {
    const args = typeof options.arguments === "string"
      ? options.arguments
      : JSON.stringify(options.arguments);
    const events: unknown[] = [
      chunk({
        role: "assistant",
        content: null,
        tool_calls: [{
          index: 0,
          id: options.id,
          type: "function",
          function: { name: options.name, arguments: "" },
        }],
      }),
    ];
    for (const piece of split(args, options.argumentChunks ?? 1)) {
      events.push(chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }));
    }
    events.push(chunk({}, "tool_calls"));
    if (options.usage) events.push(usageChunk(options.usage));
    return stream(events, options.splitEvery);
  },

  /** Streams `text`, then finishes with `length`: the model ran out of context. */
  length(text: string): ChatStreamReply {
    return stream([chunk({ role: "assistant", content: text }), chunk({}, "length")]);
  },

  /**
   * Streams `text` in `chunks` deltas and then breaks off before any finish reason: the
   * connection is reset (`reset`, default) or closed without `[DONE]` (`eof`).
   */
  broken(text: string, options: { chunks?: number; end?: "eof" | "reset" } = {}): ChatStreamReply {
    const events: unknown[] = [chunk({ role: "assistant", content: "" })];
    for (const piece of split(text, options.chunks ?? 1)) events.push(chunk({ content: piece }));
    return { kind: "stream", events, end: options.end ?? "reset" };
  },

  /** Streams the given events as they are (chunk objects or raw `data:` payload strings). */
  events(events: readonly unknown[], splitEvery?: number): ChatStreamReply {
    return stream(events, splitEvery);
  },

  /** Answers with an HTTP status and a body (objects are JSON-encoded). */
  httpError(status: number, body: unknown): ChatHttpReply {
    return { kind: "http", status, body: typeof body === "string" ? body : JSON.stringify(body) };
  },
};

function stream(events: readonly unknown[], splitEvery?: number): ChatStreamReply {
  return splitEvery === undefined
    ? { kind: "stream", events }
    : { kind: "stream", events, splitEvery };
}

function chunk(delta: Record<string, unknown>, finishReason: string | null = null) {
  return {
    id: "chatcmpl-scripted",
    object: "chat.completion.chunk",
    created: 0,
    model: "scripted",
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  };
}

function usageChunk(usage: ChatUsage) {
  return {
    id: "chatcmpl-scripted",
    object: "chat.completion.chunk",
    created: 0,
    model: "scripted",
    choices: [],
    usage,
  };
}

/** Cuts `text` into `count` pieces of near-equal length (fewer if the text is shorter). */
function split(text: string, count: number): string[] {
  const n = Math.max(1, Math.min(Math.floor(count), text.length));
  const size = Math.ceil(text.length / n);
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  return pieces.length > 0 ? pieces : [""];
}
