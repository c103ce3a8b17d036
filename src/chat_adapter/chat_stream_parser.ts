/**
 * {@link ChatStreamParser}: turns the `data:` payloads of a streaming Chat Completions response
 * into {@link ChatStreamEvent}s, following codex's former `process_chat_sse` (codex-api
 * `sse/chat.rs`).
 *
 * @module
 */

import type {
  ChatStreamEvent,
  FunctionCallItem,
  MessageItem,
  ReasoningItem,
  ResponsesUsage,
} from "./stream_events.ts";

/**
 * Options of {@link ChatStreamParser}.
 *
 * @example
 * ```ts
 * import { ChatStreamParser, type ChatStreamParserOptions } from "./chat_stream_parser.ts";
 * const options: ChatStreamParserOptions = { syntheticCallIdPrefix: "call_resp1_" };
 * const parser = new ChatStreamParser(options);
 * console.assert(!parser.done);
 * ```
 */
export interface ChatStreamParserOptions {
  /**
   * Prefix of the ids given to tool calls that arrive without one; the call's position is
   * appended. Default `"tool-call-"`. Use a per-response prefix so that ids stay unique across
   * a conversation.
   */
  readonly syntheticCallIdPrefix?: string;
}

interface ToolCallState {
  name: string;
  arguments: string;
}

type JsonObject = Record<string, unknown>;

/**
 * A push parser for one streaming Chat Completions response. Feed it each SSE `data` payload
 * with {@link ChatStreamParser.push}, then call {@link ChatStreamParser.finish} when the stream
 * ends. It keeps codex's behaviour:
 *
 * - text comes from `delta.content` (a string, or an array of parts with `text`);
 * - reasoning comes from `delta.reasoning`, `delta.reasoning_content` or `message.reasoning`
 *   (a string, `{text}` or `{content}`);
 * - tool calls accumulate across deltas by id, or by `index` when a delta carries no id (ids are
 *   then synthetic), and keep their first-seen order;
 * - `finish_reason: "stop"` closes the reasoning and message items, and drops unfinished tool
 *   calls; `"tool_calls"` closes the reasoning item and emits the calls; `"length"` fails with
 *   `context_length_exceeded`, which codex reports as a full context window;
 * - empty strings are ignored (servers open with `"content": ""`), so they open no item;
 * - malformed JSON and chunks without `choices` are skipped; `[DONE]` ends the stream;
 * - a stream that ends without a finish reason closes its open items and completes.
 *
 * `completed` is held back until the stream ends so that it can carry the usage chunk that
 * servers send after the finish reason (`stream_options.include_usage`).
 *
 * @example Text, then a stop
 * ```ts
 * import { ChatStreamParser } from "./chat_stream_parser.ts";
 * const parser = new ChatStreamParser();
 * const events = [
 *   ...parser.push('{"choices":[{"delta":{"content":"hi"}}]}'),
 *   ...parser.push('{"choices":[{"delta":{},"finish_reason":"stop"}]}'),
 *   ...parser.push("[DONE]"),
 * ];
 * console.assert(
 *   events.map((e) => e.type).join() === "item_added,text_delta,item_done,completed",
 * );
 * ```
 */
export class ChatStreamParser {
  readonly #syntheticPrefix: string;
  readonly #toolCalls = new Map<string, ToolCallState>();
  #toolCallOrder: string[] = [];
  readonly #idByIndex = new Map<number, string>();
  #syntheticCount = 0;
  #message: string[] | undefined;
  #reasoning: string[] | undefined;
  #usage: ResponsesUsage | undefined;
  #finishReason: string | undefined;
  #done = false;

  /** Creates a parser for one response. */
  constructor(options: ChatStreamParserOptions = {}) {
    this.#syntheticPrefix = options.syntheticCallIdPrefix ?? "tool-call-";
  }

  /** True once `completed` or `failed` has been emitted; later input is ignored. */
  get done(): boolean {
    return this.#done;
  }

  /** The last `finish_reason` seen, if any. */
  get finishReason(): string | undefined {
    return this.#finishReason;
  }

  /** Feeds one SSE `data` payload (a JSON chunk, or `[DONE]`) and returns what it produced. */
  push(data: string): ChatStreamEvent[] {
    if (this.#done) return [];
    const trimmed = data.trim();
    if (trimmed === "") return [];
    if (trimmed === "[DONE]") return this.finish();
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      return [];
    }
    if (!isObject(value)) return [];
    if (isObject(value.usage)) this.#usage = toResponsesUsage(value.usage);
    if (!Array.isArray(value.choices)) return [];
    const out: ChatStreamEvent[] = [];
    for (const choice of value.choices) {
      if (!isObject(choice)) continue;
      this.#choice(choice, out);
      if (this.#done) break;
    }
    return out;
  }

  /**
   * Ends the stream: closes the open reasoning and message items (in that order) and completes,
   * with the usage if the server sent any. Unfinished tool calls are dropped.
   */
  finish(): ChatStreamEvent[] {
    if (this.#done) return [];
    const out: ChatStreamEvent[] = [];
    this.#flushReasoning(out);
    this.#flushMessage(out);
    out.push(this.#usage ? { type: "completed", usage: this.#usage } : { type: "completed" });
    this.#done = true;
    return out;
  }

  /**
   * Ends the stream because of a transport problem (idle timeout, broken connection). If a
   * `stop` or `tool_calls` finish reason was already seen the answer is whole, so this completes
   * like {@link ChatStreamParser.finish}; otherwise it fails with `message`.
   */
  fail(code: string, message: string): ChatStreamEvent[] {
    if (this.#done) return [];
    if (this.#finishReason === "stop" || this.#finishReason === "tool_calls") return this.finish();
    this.#done = true;
    return [{ type: "failed", code, message }];
  }

  #choice(choice: JsonObject, out: ChatStreamEvent[]): void {
    const delta = choice.delta;
    if (isObject(delta)) {
      const reasoning = reasoningText(delta.reasoning) ?? reasoningText(delta.reasoning_content);
      if (reasoning !== undefined) this.#appendReasoning(reasoning, out);
      const content = delta.content;
      if (Array.isArray(content)) {
        for (const part of content) {
          if (isObject(part) && typeof part.text === "string") this.#appendText(part.text, out);
        }
      } else if (typeof content === "string") {
        this.#appendText(content, out);
      }
      if (Array.isArray(delta.tool_calls)) {
        for (const call of delta.tool_calls) if (isObject(call)) this.#toolCallDelta(call);
      }
    }
    const message = choice.message;
    if (isObject(message)) {
      const reasoning = reasoningText(message.reasoning) ??
        reasoningText(message.reasoning_content);
      if (reasoning !== undefined) this.#appendReasoning(reasoning, out);
    }
    const finishReason = choice.finish_reason;
    if (typeof finishReason !== "string") return;
    this.#finishReason = finishReason;
    if (finishReason === "stop") {
      this.#flushReasoning(out);
      this.#flushMessage(out);
      this.#toolCalls.clear();
      this.#toolCallOrder = [];
      this.#idByIndex.clear();
    } else if (finishReason === "length") {
      out.push({
        type: "failed",
        code: "context_length_exceeded",
        message: "The model stopped because it reached its token limit (finish_reason: length)",
      });
      this.#done = true;
    } else if (finishReason === "tool_calls") {
      this.#flushReasoning(out);
      for (const callId of this.#toolCallOrder) {
        const state = this.#toolCalls.get(callId);
        const item: FunctionCallItem = {
          type: "function_call",
          call_id: callId,
          name: state?.name ?? "",
          arguments: state?.arguments ?? "",
        };
        out.push({ type: "item_done", item });
      }
      this.#toolCalls.clear();
      this.#toolCallOrder = [];
      this.#idByIndex.clear();
    }
  }

  #toolCallDelta(call: JsonObject): void {
    const index = typeof call.index === "number" ? call.index : undefined;
    let id: string;
    if (typeof call.id === "string" && call.id !== "") {
      id = call.id;
    } else if (index !== undefined && this.#idByIndex.has(index)) {
      id = this.#idByIndex.get(index)!;
    } else if (index === undefined && this.#toolCallOrder.length > 0) {
      // Neither id nor index: a continuation of the latest call.
      id = this.#toolCallOrder.at(-1)!;
    } else {
      id = `${this.#syntheticPrefix}${this.#syntheticCount++}`;
    }
    if (index !== undefined && !this.#idByIndex.has(index)) this.#idByIndex.set(index, id);
    let state = this.#toolCalls.get(id);
    if (!state) {
      state = { name: "", arguments: "" };
      this.#toolCalls.set(id, state);
      this.#toolCallOrder.push(id);
    }
    const fn = call.function;
    if (!isObject(fn)) return;
    if (typeof fn.name === "string" && fn.name !== "") state.name = fn.name;
    if (typeof fn.arguments === "string") state.arguments += fn.arguments;
    else if (isObject(fn.arguments)) state.arguments += JSON.stringify(fn.arguments);
  }

  #appendText(text: string, out: ChatStreamEvent[]): void {
    if (text === "") return;
    if (!this.#message) {
      this.#message = [];
      const item: MessageItem = { type: "message", role: "assistant", content: [] };
      out.push({ type: "item_added", item });
    }
    this.#message.push(text);
    out.push({ type: "text_delta", delta: text });
  }

  #appendReasoning(text: string, out: ChatStreamEvent[]): void {
    if (text === "") return;
    if (!this.#reasoning) {
      this.#reasoning = [];
      const item: ReasoningItem = { type: "reasoning", content: [] };
      out.push({ type: "item_added", item });
    }
    this.#reasoning.push(text);
    out.push({ type: "reasoning_delta", delta: text });
  }

  #flushReasoning(out: ChatStreamEvent[]): void {
    if (!this.#reasoning) return;
    const text = this.#reasoning.join("");
    this.#reasoning = undefined;
    out.push({
      type: "item_done",
      item: { type: "reasoning", content: [{ type: "reasoning_text", text }] },
    });
  }

  #flushMessage(out: ChatStreamEvent[]): void {
    if (!this.#message) return;
    const text = this.#message.join("");
    this.#message = undefined;
    const item: MessageItem = {
      type: "message",
      role: "assistant",
      content: [{ type: "output_text", text }],
    };
    out.push({ type: "item_done", item });
  }
}

/**
 * Maps Chat Completions `usage` to the Responses shape. Missing counts become 0, and a missing
 * total is the sum of input and output.
 *
 * @example
 * ```ts
 * import { toResponsesUsage } from "./chat_stream_parser.ts";
 * const usage = toResponsesUsage({
 *   prompt_tokens: 10,
 *   completion_tokens: 5,
 *   prompt_tokens_details: { cached_tokens: 4 },
 * });
 * console.assert(usage.total_tokens === 15 && usage.input_tokens_details.cached_tokens === 4);
 * ```
 */
export function toResponsesUsage(usage: Record<string, unknown>): ResponsesUsage {
  const input = count(usage.prompt_tokens);
  const output = count(usage.completion_tokens);
  const promptDetails = isObject(usage.prompt_tokens_details) ? usage.prompt_tokens_details : {};
  const completionDetails = isObject(usage.completion_tokens_details)
    ? usage.completion_tokens_details
    : {};
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: count(promptDetails.cached_tokens) },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: count(completionDetails.reasoning_tokens) },
    total_tokens: typeof usage.total_tokens === "number"
      ? count(usage.total_tokens)
      : input + output,
  };
}

function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? Math.max(0, Math.trunc(value)) : 0;
}

function reasoningText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (!isObject(value)) return undefined;
  if (typeof value.text === "string") return value.text;
  if (typeof value.content === "string") return value.content;
  return undefined;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
