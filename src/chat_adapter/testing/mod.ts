/**
 * An offline, scripted OpenAI Chat Completions server for tests and demos of the chat adapter:
 * it streams scripted answers (text, tool calls split over deltas, `length` finishes, HTTP
 * errors) and records every request.
 *
 * @example Script a streamed answer
 * ```ts
 * import { chatReply, ScriptedChatServer } from "./mod.ts";
 * await using upstream = await ScriptedChatServer.start();
 * upstream.enqueue(chatReply.text("Hello from a local model", { chunks: 4 }));
 * // ChatAdapterServer.start({ upstreamUrl: upstream.url }) now has a model to talk to.
 * console.assert(upstream.pending === 1);
 * ```
 *
 * @module
 */

export {
  type ChatHttpReply,
  type ChatReply,
  chatReply,
  type ChatReplyFactory,
  type ChatScriptStep,
  type ChatStreamReply,
  type ChatUsage,
  type RecordedChatRequest,
  type TextReplyOptions,
  type ToolCallReplyOptions,
} from "./chat_script.ts";
export { ScriptedChatServer, type ScriptedChatServerOptions } from "./scripted_chat_server.ts";
