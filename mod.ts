/**
 * codex-worker: a TypeScript SDK for the OpenAI Codex app-server, for Deno and browsers. The
 * message router runs in a Web Worker (or in-process), connected over stdio (a spawned, pinned
 * `codex app-server`) or WebSocket; threads and turns stream without blocking the main thread.
 *
 * @example Two turns on one thread, streaming the agent's text (offline: a scripted model)
 * ```ts
 * import { Codex } from "@codex-worker/sdk";
 * import { reply, ResponsesModelServer, writeCodexHome } from "@codex-worker/sdk/testing";
 * const script = [reply.text("Hi!", { chunks: 2 }), reply.text("Hi again!")];
 * await using model = await ResponsesModelServer.start({ script });
 * await using home = await writeCodexHome({ modelServerUrl: model.url });
 * await using codex = await Codex.connect({ codexHome: home.dir }); // or { config: { model } }
 * const thread = await codex.threadStart({});
 * const turn = await thread.turn("say hi");
 * let text = "";
 * for await (const delta of turn.streamText()) text += delta; // a UI renders each delta
 * const result = await thread.run("and again"); // or just run() a turn
 * if (text !== "Hi!" || result.finalResponse !== "Hi again!") throw new Error("unexpected");
 * ```
 *
 * @module
 */

import { registerWorkerConnection } from "./src/api/connection_factory.ts";

// The default deployment: the router in a Web Worker, its module loaded on first use.
registerWorkerConnection(async (options) =>
  await (await import("./worker/worker_connection.ts")).WorkerConnection.connect(options)
);

// Entry point
export { Codex } from "./src/api/codex.ts";
export type { CodexOptions, ThreadCallOptions, ThreadParams } from "./src/api/codex.ts";
export { Thread } from "./src/api/thread.ts";
export type { ReviewOptions, ReviewTarget, TurnOptions } from "./src/api/thread.ts";
export { TurnHandle } from "./src/api/turn_handle.ts";
export type { TurnRunOptions } from "./src/api/turn_handle.ts";
export { finalResponseFromItems } from "./src/api/run_result.ts";
export type { RunResult } from "./src/api/run_result.ts";

// Pool of app-servers
export { CodexPool } from "./src/pool/codex_pool.ts";
export { DEFAULT_MAX_RUNNING_TURNS_PER_MEMBER, isMemberStateEvent } from "./src/pool/pool_types.ts";
export type { SharedHome } from "./src/pool/shared_home.ts";
export type {
  CodexPoolOptions,
  LocalPoolMember,
  Placement,
  PoolEvent,
  PoolMemberInfo,
  PoolMemberSpec,
  PoolMemberState,
  PoolMemberStateEvent,
  PoolThread,
  PoolThreadList,
  RemotePoolMember,
} from "./src/pool/pool_types.ts";

// Login, retry, version
export { ChatgptLoginHandle, DeviceCodeLoginHandle, LoginHandle } from "./src/api/login_handle.ts";
export type { LoginCompletion, LoginWaitOptions } from "./src/api/login_handle.ts";
export { retryOnOverload } from "./src/api/retry.ts";
export type { RetryOptions } from "./src/api/retry.ts";
export { checkServerVersion } from "./src/api/version_check.ts";
export { daemonSocketPath } from "./src/runtime/daemon_socket.ts";
export { ThreadSearch, type ThreadSearchUpdate } from "./src/api/thread_search.ts";
export type { VersionCheck, VersionCheckMode } from "./src/api/version_check.ts";

// Inputs
export { imageUrl, localImage, mention, skill, text, toUserInput } from "./src/api/input.ts";
export type { Input, InputItem } from "./src/api/input.ts";

// Server requests (approvals, tool calls)
export type {
  ServerRequestContext,
  ServerRequestHandlers,
} from "./src/api/server_request_registry.ts";
export { defaultServerRequestResult } from "./src/router/server_request_defaults.ts";

// Connection. Advanced API: `Transport`, `CodexConnection` and `RouterStats` are the layers under
// `Codex`, for new carriers, deployments and diagnostics; most programs need none of them.
export type {
  ClientInfo,
  ConnectOptions,
  DeploymentOptions,
  HandshakeOptions,
  InProcessConnectOptions,
  TransportOptions,
} from "./src/client/connect_options.ts";
export type { RouterLimits } from "./src/core/router_limits.ts";
export type {
  InterruptedTurn,
  ReconnectedParams,
  ReconnectOptions,
} from "./src/client/reconnect_options.ts";
export type { Transport, TransportHandlers } from "./src/transport/transport.ts";
export type {
  CodexConnection,
  EventSource,
  SubscribeOptions,
  TurnStart,
} from "./src/core/connection.ts";
export { isNotification } from "./src/core/events.ts";
export type { CodexEvent, GapParams, SdkEvent, ServerRequestEvent } from "./src/core/events.ts";
export type { RouterStats } from "./src/core/router_stats.ts";
export type { ServerRequestHandler } from "./src/core/server_request_handler.ts";
export type { ConfigValue } from "./src/transport/config_args.ts";
export type { CallOptions } from "./src/core/call_options.ts";

// Errors
export {
  AbortError,
  CodexError,
  ConnectError,
  InvalidParamsError,
  JsonRpcError,
  MethodNotFoundError,
  PoolMemberUnavailableError,
  PoolThreadNotFoundError,
  ProtocolError,
  ServerBusyError,
  StreamConsumedError,
  StreamOverflowError,
  TimeoutError,
  TransportClosedError,
  TurnFailedError,
  TurnStalledError,
} from "./src/errors/errors.ts";
export type { CodexErrorCode, TurnErrorInfo } from "./src/errors/errors.ts";

// Protocol (types generated from the pinned app-server)
export {
  agentMessageDisplayMode,
  CODEX_VERSION_WINDOW,
  compareCodexVersions,
  isInCodexVersionWindow,
  PINNED_CODEX_VERSION,
} from "./src/protocol/mod.ts";
export type {
  AgentMessageDisplay,
  AgentMessageModeration,
  ClientRequestMethod,
  CodexVersionWindow,
  InitializeResponse,
  LegacyAgentMessageDisplay,
  Notification,
  NotificationOf,
  NotificationParams,
  PinnedAgentMessageDisplay,
  PinnedThreadItem,
  RequestParams,
  RequestResult,
  ServerNotification,
  ServerNotificationMethod,
  ServerRequestMethod,
  ServerRequestParams,
  ServerRequestResult,
  Thread as ThreadInfo,
  ThreadItem,
  ThreadSearchResult,
  ThreadStartParams,
  ThreadTokenUsage,
  Turn,
  TurnStartParams,
  TurnStatus,
  UnknownNotification,
} from "./src/protocol/mod.ts";
