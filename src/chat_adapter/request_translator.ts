/**
 * {@link translateRequest}: a Responses API request body (what codex sends) as a streaming Chat
 * Completions request.
 *
 * @module
 */

import type {
  ChatCompletionsRequest,
  ChatContentPart,
  ChatMessage,
  ChatTool,
  ChatToolCall,
} from "./chat_types.ts";
import type { NamespacedToolName } from "./responses_encoder.ts";

type JsonObject = Record<string, unknown>;

/**
 * The fields of a Responses request body the adapter reads; others (`reasoning`, `store`,
 * `include`, `prompt_cache_key`, `client_metadata`) have no Chat Completions equivalent and are
 * ignored.
 *
 * @example
 * ```ts
 * import type { ResponsesRequest } from "./request_translator.ts";
 * const body: ResponsesRequest = { model: "m", input: [{ role: "user", content: "hi" }] };
 * console.assert(body.model === "m");
 * ```
 */
export interface ResponsesRequest {
  readonly model?: string;
  readonly instructions?: string | null;
  readonly input?: string | readonly unknown[];
  readonly tools?: readonly unknown[];
  readonly tool_choice?: unknown;
  readonly parallel_tool_calls?: boolean;
  readonly temperature?: number | null;
  readonly top_p?: number | null;
  readonly max_output_tokens?: number | null;
  readonly text?: unknown;
  readonly [key: string]: unknown;
}

/**
 * Options of {@link translateRequest}.
 *
 * @example
 * ```ts
 * import { translateRequest, type TranslateOptions } from "./request_translator.ts";
 * const options: TranslateOptions = { model: "qwen3-8b" };
 * console.assert(translateRequest({ model: "codex-name" }, options).request.model === "qwen3-8b");
 * ```
 */
export interface TranslateOptions {
  /** Upstream model name, replacing the request's `model`. */
  readonly model?: string;
}

/**
 * The result of {@link translateRequest}.
 *
 * @example
 * ```ts
 * import { translateRequest, type TranslatedRequest } from "./request_translator.ts";
 * const translated: TranslatedRequest = translateRequest({ tools: [{ type: "web_search" }] });
 * console.assert(translated.droppedTools[0] === "web_search");
 * ```
 */
export interface TranslatedRequest {
  /** The body to POST to `{upstream}/chat/completions`. */
  readonly request: ChatCompletionsRequest;
  /** Tools chat cannot express (freeform grammars, built-in tools), by name or type. */
  readonly droppedTools: readonly string[];
  /** Input item types with no chat equivalent that were left out (`reasoning`, …). */
  readonly droppedInputTypes: readonly string[];
  /** Namespaced tools offered under a flattened name, keyed by that name. */
  readonly namespacedTools: ReadonlyMap<string, NamespacedToolName>;
}

/** Separator between a namespace and a tool name in a flattened chat tool name. */
const NAMESPACE_SEPARATOR = "__";
const CHAT_TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Translates a Responses request body into a Chat Completions request:
 *
 * - `instructions`, `developer` and `system` messages become system messages; adjacent system
 *   messages are merged (many chat templates accept only one, at the start);
 * - user and assistant messages get string content (text parts joined; user images become
 *   `image_url` parts);
 * - `function_call` items become assistant `tool_calls` (consecutive calls, and a directly
 *   preceding assistant text, form one assistant message); each is followed by its `tool`
 *   message, found by call id (`"aborted"` when codex recorded no output);
 * - `reasoning` items and other items without a chat equivalent are left out;
 * - function tools become chat tools; namespace tools are flattened to `<namespace>__<name>`;
 *   freeform (`custom`) and built-in tools are dropped and listed in `droppedTools`;
 * - `temperature`, `top_p`, `max_output_tokens` (as `max_tokens`), `parallel_tool_calls`,
 *   `tool_choice` and a JSON `text.format` (as `response_format`) are passed through.
 *
 * @example
 * ```ts
 * import { translateRequest } from "./request_translator.ts";
 * const { request } = translateRequest({
 *   model: "m",
 *   input: [
 *     { type: "message", role: "developer", content: [{ type: "input_text", text: "Be brief." }] },
 *     { type: "message", role: "user", content: [{ type: "input_text", text: "list files" }] },
 *     { type: "function_call", call_id: "c1", name: "exec_command", arguments: '{"cmd":"ls"}' },
 *     { type: "function_call_output", call_id: "c1", output: "a.txt" },
 *   ],
 * });
 * console.assert(request.messages.map((m) => m.role).join() === "system,user,assistant,tool");
 * ```
 */
export function translateRequest(
  body: ResponsesRequest,
  options: TranslateOptions = {},
): TranslatedRequest {
  const tools = translateTools(Array.isArray(body.tools) ? body.tools : []);
  const { messages, droppedInputTypes } = translateInput(body);
  const hasTools = tools.tools.length > 0;
  const toolChoice = hasTools ? translateToolChoice(body.tool_choice) : undefined;
  const request: ChatCompletionsRequest = {
    model: options.model ?? body.model ?? "",
    messages,
    stream: true,
    stream_options: { include_usage: true },
    ...(hasTools ? { tools: tools.tools } : {}),
    ...(toolChoice !== undefined ? { tool_choice: toolChoice } : {}),
    ...(hasTools && typeof body.parallel_tool_calls === "boolean"
      ? { parallel_tool_calls: body.parallel_tool_calls }
      : {}),
    ...(typeof body.temperature === "number" ? { temperature: body.temperature } : {}),
    ...(typeof body.top_p === "number" ? { top_p: body.top_p } : {}),
    ...(typeof body.max_output_tokens === "number" ? { max_tokens: body.max_output_tokens } : {}),
    ...responseFormat(body.text),
  };
  return {
    request,
    droppedTools: tools.dropped,
    droppedInputTypes,
    namespacedTools: tools.namespaced,
  };
}

function translateTools(raw: readonly unknown[]) {
  const tools: ChatTool[] = [];
  const dropped: string[] = [];
  const namespaced = new Map<string, NamespacedToolName>();
  const names = new Set<string>();
  const namespaceMembers: { namespace: string; tool: JsonObject }[] = [];
  for (const tool of raw) {
    if (!isObject(tool)) continue;
    if (tool.type === "function" && typeof tool.name === "string") {
      tools.push(chatTool(tool.name, tool));
      names.add(tool.name);
    } else if (tool.type === "namespace" && typeof tool.name === "string") {
      for (const member of Array.isArray(tool.tools) ? tool.tools : []) {
        if (isObject(member)) namespaceMembers.push({ namespace: tool.name, tool: member });
      }
    } else {
      dropped.push(typeof tool.name === "string" ? tool.name : String(tool.type));
    }
  }
  // Namespaced tools come after top-level ones so that a clash drops the flattened name.
  for (const { namespace, tool } of namespaceMembers) {
    const name = typeof tool.name === "string" ? tool.name : "";
    const flat = `${namespace}${NAMESPACE_SEPARATOR}${name}`;
    if (tool.type !== "function" || !CHAT_TOOL_NAME.test(flat) || names.has(flat)) {
      dropped.push(`${namespace}.${name || String(tool.type)}`);
      continue;
    }
    tools.push(chatTool(flat, tool));
    names.add(flat);
    namespaced.set(flat, { namespace, name });
  }
  return { tools, dropped, namespaced };
}

function chatTool(name: string, tool: JsonObject): ChatTool {
  return {
    type: "function",
    function: {
      name,
      ...(typeof tool.description === "string" ? { description: tool.description } : {}),
      ...(tool.parameters !== undefined ? { parameters: tool.parameters } : {}),
    },
  };
}

function translateToolChoice(choice: unknown): unknown {
  if (choice === "auto" || choice === "none" || choice === "required") return choice;
  if (isObject(choice) && choice.type === "function" && typeof choice.name === "string") {
    return { type: "function", function: { name: choice.name } };
  }
  return undefined;
}

function responseFormat(text: unknown): { response_format?: unknown } {
  if (!isObject(text) || !isObject(text.format)) return {};
  const format = text.format;
  if (format.type === "json_object") return { response_format: { type: "json_object" } };
  if (format.type !== "json_schema") return {};
  return {
    response_format: {
      type: "json_schema",
      json_schema: {
        name: typeof format.name === "string" ? format.name : "output",
        schema: format.schema,
        ...(typeof format.strict === "boolean" ? { strict: format.strict } : {}),
      },
    },
  };
}

function translateInput(body: ResponsesRequest) {
  const items: readonly unknown[] = typeof body.input === "string"
    ? [{ role: "user", content: body.input }]
    : Array.isArray(body.input)
    ? body.input
    : [];
  const outputs = new Map<string, string>();
  for (const item of items) {
    if (
      isObject(item) && item.type === "function_call_output" && typeof item.call_id === "string"
    ) {
      if (!outputs.has(item.call_id)) outputs.set(item.call_id, toolOutputText(item.output));
    }
  }
  const messages: ChatMessage[] = [];
  const droppedInputTypes = new Set<string>();
  if (typeof body.instructions === "string" && body.instructions !== "") {
    pushMessage(messages, { role: "system", content: body.instructions });
  }
  // The assistant message collecting the current run of function calls.
  let open: { content: string | null; calls: ChatToolCall[] } | undefined;
  const closeCalls = () => {
    if (!open) return;
    messages.push({ role: "assistant", content: open.content, tool_calls: open.calls });
    for (const call of open.calls) {
      messages.push({
        role: "tool",
        tool_call_id: call.id,
        content: outputs.get(call.id) ?? "aborted",
      });
    }
    open = undefined;
  };
  for (const item of items) {
    if (!isObject(item)) continue;
    const type = typeof item.type === "string" ? item.type : "message";
    if (type === "function_call" && typeof item.call_id === "string") {
      if (!open) {
        const last = messages.at(-1);
        const text = last?.role === "assistant" && !last.tool_calls ? last.content : null;
        if (text !== null) messages.pop();
        open = { content: text, calls: [] };
      }
      open.calls.push({
        id: item.call_id,
        type: "function",
        function: { name: callName(item), arguments: stringArguments(item.arguments) },
      });
      continue;
    }
    if (type === "function_call_output") {
      // Outputs are placed right after their call; one ends the current run of calls.
      closeCalls();
      continue;
    }
    if (type !== "message") {
      droppedInputTypes.add(type);
      continue;
    }
    const message = translateMessage(item);
    if (!message) {
      droppedInputTypes.add(`message:${String(item.role)}`);
      continue;
    }
    closeCalls();
    pushMessage(messages, message);
  }
  closeCalls();
  return { messages, droppedInputTypes: [...droppedInputTypes] };
}

function translateMessage(item: JsonObject): ChatMessage | undefined {
  const role = item.role;
  if (role === "developer" || role === "system") {
    return { role: "system", content: textOf(item.content, "\n\n") };
  }
  if (role === "assistant") return { role: "assistant", content: textOf(item.content, "") };
  if (role !== "user") return undefined;
  if (!Array.isArray(item.content)) return { role: "user", content: textOf(item.content, "") };
  const parts: ChatContentPart[] = [];
  for (const part of item.content) {
    if (!isObject(part)) continue;
    const text = partText(part);
    if (text !== undefined) parts.push({ type: "text", text });
    const url = imageUrl(part);
    if (url !== undefined) parts.push({ type: "image_url", image_url: { url } });
  }
  if (parts.every((part) => part.type === "text")) {
    return { role: "user", content: textOf(item.content, "\n\n") };
  }
  return { role: "user", content: parts };
}

/** Appends a message, merging it into a directly preceding system message. */
function pushMessage(messages: ChatMessage[], message: ChatMessage): void {
  const last = messages.at(-1);
  if (message.role === "system" && last?.role === "system") {
    messages[messages.length - 1] = {
      role: "system",
      content: [last.content, message.content].filter((text) => text !== "").join("\n\n"),
    };
    return;
  }
  messages.push(message);
}

function callName(item: JsonObject): string {
  const name = typeof item.name === "string" ? item.name : "";
  return typeof item.namespace === "string" && item.namespace !== ""
    ? `${item.namespace}${NAMESPACE_SEPARATOR}${name}`
    : name;
}

function stringArguments(value: unknown): string {
  if (typeof value === "string") return value;
  return value === undefined ? "{}" : JSON.stringify(value);
}

function toolOutputText(output: unknown): string {
  if (typeof output === "string") return output;
  if (Array.isArray(output)) return textOf(output, "\n");
  if (isObject(output) && typeof output.content === "string") return output.content;
  return JSON.stringify(output ?? "");
}

function textOf(content: unknown, separator: string): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  const texts: string[] = [];
  for (const part of content) {
    const text = isObject(part) ? partText(part) : undefined;
    if (text !== undefined) texts.push(text);
  }
  return texts.join(separator);
}

function partText(part: JsonObject): string | undefined {
  if (typeof part.text === "string") return part.text;
  if (part.type === "refusal" && typeof part.refusal === "string") return part.refusal;
  return undefined;
}

function imageUrl(part: JsonObject): string | undefined {
  if (part.type !== "input_image") return undefined;
  if (typeof part.image_url === "string") return part.image_url;
  if (isObject(part.image_url) && typeof part.image_url.url === "string") return part.image_url.url;
  return undefined;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
