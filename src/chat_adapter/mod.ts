/**
 * A Responses API → Chat Completions adapter, so that codex (which only speaks the Responses
 * API) can use servers that only speak Chat Completions: llama.cpp, vLLM, Ollama, LM Studio.
 *
 * @example Point codex at a local llama.cpp server
 * ```ts ignore
 * import { ChatAdapterServer, chatAdapterProviderConfig } from "./mod.ts";
 * await using adapter = await ChatAdapterServer.start({ upstreamUrl: "http://127.0.0.1:8080/v1" });
 * const config = chatAdapterProviderConfig(adapter, { model: "qwen3-8b" });
 * // Pass `config` as `Codex.connect({ config })`.
 * ```
 *
 * @module
 */

export {
  type ChatAdapterLogger,
  type ChatAdapterOptions,
  ChatAdapterServer,
  DROPPED_TOOLS_HEADER,
} from "./chat_adapter_server.ts";
export {
  type ChatAdapterProviderConfig,
  chatAdapterProviderConfig,
  type ChatAdapterProviderOptions,
} from "./provider_config.ts";
export {
  ChatStreamParser,
  type ChatStreamParserOptions,
  toResponsesUsage,
} from "./chat_stream_parser.ts";
export { SseDecoder } from "./sse_decoder.ts";
export {
  type ResponsesRequest,
  type TranslatedRequest,
  type TranslateOptions,
  translateRequest,
} from "./request_translator.ts";
export {
  formatSseEvent,
  type NamespacedToolName,
  ResponsesEncoder,
  type ResponsesEncoderOptions,
} from "./responses_encoder.ts";
export type {
  ChatCompletionsRequest,
  ChatContentPart,
  ChatMessage,
  ChatTool,
  ChatToolCall,
} from "./chat_types.ts";
export type {
  ChatStreamEvent,
  FunctionCallItem,
  MessageItem,
  OutputItem,
  ReasoningItem,
  ResponsesUsage,
} from "./stream_events.ts";
