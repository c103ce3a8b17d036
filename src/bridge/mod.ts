/**
 * The browser bridge: a Deno WebSocket server on 127.0.0.1 that lets pages reach a Codex
 * app-server (which refuses any request carrying an `Origin`), with an Origin allow-list and a
 * per-launch token.
 *
 * @example Start a bridge and connect to it from Deno with the SDK
 * ```ts ignore
 * import { BridgeServer } from "./mod.ts";
 * import { Codex } from "../../mod.ts";
 * await using bridge = await BridgeServer.start({ appServer: { codexHome: "/path/to/home" } });
 * await using codex = await Codex.connect({ url: bridge.wsUrl, token: bridge.token });
 * ```
 *
 * @module
 */
export {
  BRIDGE_SESSION_PATH,
  BRIDGE_WS_PATH,
  BridgeServer,
  type BridgeServerOptions,
  type BridgeStats,
  CLOSE_TRY_AGAIN_LATER,
  DEFAULT_MAX_CONNECTIONS,
  type UpstreamEndpoint,
} from "./bridge_server.ts";
export {
  type AppServerExit,
  AppServerProcess,
  type AppServerProcessOptions,
  describeExit,
} from "./app_server_process.ts";
export { startStoppable, STOP_SIGNALS, stopOnSignals, type Stoppable } from "./stop_on_signals.ts";
export {
  CLOSE_GOING_AWAY,
  CLOSE_SERVICE_RESTART,
  CLOSE_UNSUPPORTED,
  CLOSE_UPSTREAM_GONE,
} from "./relay.ts";
