/**
 * Test helpers for running the real `codex app-server` offline: a scripted OpenAI Responses API
 * server on 127.0.0.1 and a hermetic CODEX_HOME that points codex at it.
 *
 * @example Script a reply and point codex at the server
 * ```ts
 * import { reply, ResponsesModelServer, writeCodexHome } from "./mod.ts";
 * await using server = await ResponsesModelServer.start();
 * server.enqueue(reply.text("hello world", { chunks: 4 }));
 * await using home = await writeCodexHome({ modelServerUrl: server.url });
 * // spawn `codex app-server` with CODEX_HOME=home.dir; its next turn streams "hello world".
 * ```
 *
 * @module
 */

export {
  type ApplyPatchOptions,
  echoReply,
  encodeSseEvent,
  type FunctionCallOptions,
  functionCallOutputs,
  type HttpReply,
  lastUserText,
  type ModelRequest,
  type Reply,
  reply,
  type ReplyBuilders,
  type ReplyFactory,
  type ResponseInputItem,
  type ResponsesRequestBody,
  type ScriptStep,
  type SseEvent,
  type StreamOptions,
  type StreamReply,
  type TextOptions,
  type Usage,
} from "./model_script.ts";
export {
  ResponsesModelServer,
  type ResponsesModelServerOptions,
} from "./responses_model_server.ts";
export {
  type CodexHome,
  DEFAULT_MOCK_MODEL,
  MOCK_PROVIDER_ID,
  offlineConfig,
  type OfflineConfigOptions,
  writeCodexHome,
  type WriteCodexHomeOptions,
} from "./codex_home.ts";
export {
  startWebSocketAppServer,
  type WebSocketAppServer,
  type WebSocketAppServerOptions,
} from "./ws_app_server.ts";
export {
  startUnixSocketAppServer,
  type UnixSocketAppServer,
  type UnixSocketAppServerOptions,
} from "./unix_socket_app_server.ts";
