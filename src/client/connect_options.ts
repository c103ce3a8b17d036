import type { Transport } from "../transport/transport.ts";
import type { ConfigValue } from "../transport/config_args.ts";
import type { RouterLimits } from "../core/router_limits.ts";
import type { ReconnectOptions } from "./reconnect_options.ts";

/**
 * Who the client says it is in `initialize` (echoed to the model provider as `originator`).
 *
 * @example
 * ```ts
 * import type { ClientInfo } from "./connect_options.ts";
 * const info: ClientInfo = { name: "my_app", title: "My App", version: "1.2.3" };
 * console.assert(info.name === "my_app");
 * ```
 */
export interface ClientInfo {
  /** Machine name, e.g. `codex_worker`. */
  name: string;
  /** Human title. */
  title?: string | null;
  /** Version. */
  version: string;
}

/**
 * Where the app-server is and how to reach it, or to spawn it (read by the transport).
 *
 * @example
 * ```ts
 * import type { TransportOptions } from "./connect_options.ts";
 * const spawned: TransportOptions = { codexHome: "/srv/codex-home", config: { model: "gpt-5" } };
 * const dialed: TransportOptions = { url: "ws://127.0.0.1:4500", token: "secret" };
 * if (spawned.url !== undefined || dialed.url === undefined) throw new Error("unexpected");
 * ```
 */
export interface TransportOptions {
  /** WebSocket URL of an app-server (`--listen ws://…`) or of the project's bridge. */
  url?: string;
  /**
   * Path of an app-server's unix socket: `codex app-server --listen unix://PATH`, or the shared
   * daemon's control socket (`daemonSocketPath()`). The app-server speaks WebSocket over it and
   * asks for no token. Deno only.
   */
  socket?: string;
  /** Bearer token for `url` (never logged, never put in an error message). */
  token?: string;
  /** Path of the codex binary; default: the pinned npm `@openai/codex` binary. */
  codexPath?: string;
  /** Config overrides, passed as `-c key=value` (values TOML-encoded). Dotted keys allowed. */
  config?: Record<string, ConfigValue>;
  /** `CODEX_HOME` for the spawned app-server. */
  codexHome?: string;
  /** Extra environment variables for the spawned app-server. */
  env?: Record<string, string>;
  /** Working directory of the spawned app-server. */
  cwd?: string;
  /** Extra command-line arguments after `app-server`. */
  args?: string[];
}

/**
 * Where the router runs: in a Web Worker (default) or in-process, and how the Worker batches.
 *
 * @example
 * ```ts
 * import type { DeploymentOptions } from "./connect_options.ts";
 * const perFrame: DeploymentOptions = { batchIntervalMs: 16 }; // a page rendering each frame
 * if (perFrame.worker === false) throw new Error("the Worker is the default");
 * ```
 */
export interface DeploymentOptions {
  /** Run the router in a Web Worker (default true) or in-process (false). Same API. */
  worker?: boolean;
  /**
   * Worker only: the least time between two batches of one stream posted to the main thread,
   * in ms (default 2). An idle stream's first event still leaves at once, and so does its end
   * (a turn's completion never waits out the interval); under a flood, events gather for this
   * long. A page that renders once per animation frame gains nothing from more
   * than one batch a frame: 16 halves the page's event-handling work under floods (see
   * `BENCHMARKS.md`) for at most one frame of added latency.
   */
  batchIntervalMs?: number;
}

/**
 * The `initialize` handshake: who the client is, what it opts into, how long connecting may take.
 *
 * @example
 * ```ts
 * import type { HandshakeOptions } from "./connect_options.ts";
 * const options: HandshakeOptions = {
 *   clientInfo: { name: "my_app", version: "1.0.0" },
 *   optOutNotificationMethods: ["item/reasoning/textDelta"],
 *   connectTimeoutMs: 10_000,
 * };
 * if (options.experimentalApi === false) throw new Error("the experimental API is on by default");
 * ```
 */
export interface HandshakeOptions {
  /** Client identity sent in `initialize`. */
  clientInfo?: ClientInfo;
  /** Opt in to the experimental API surface (default true). */
  experimentalApi?: boolean;
  /** Notification methods the server should not send at all. */
  optOutNotificationMethods?: string[];
  /** Timeout of the whole connect + initialize, in ms (default 30 000). */
  connectTimeoutMs?: number;
  /** Cancels the connection attempt. */
  signal?: AbortSignal;
}

/**
 * Options of `Codex.connect()`, grouped by who reads them: {@link TransportOptions},
 * {@link DeploymentOptions}, {@link HandshakeOptions}, {@link RouterLimits} and `reconnect`.
 * Give `url` to connect over WebSocket, `socket` for a unix socket; otherwise the pinned
 * `codex app-server` is spawned on stdio (Deno only).
 *
 * @example
 * ```ts
 * import type { ConnectOptions } from "./connect_options.ts";
 * const stdio: ConnectOptions = { config: { model: "gpt-5" }, codexHome: "/srv/codex-home" };
 * const ws: ConnectOptions = { url: "ws://127.0.0.1:4500", token: "secret", worker: false };
 * console.assert(stdio.worker === undefined && ws.url !== undefined);
 * ```
 */
export interface ConnectOptions
  extends TransportOptions, DeploymentOptions, HandshakeOptions, RouterLimits {
  /**
   * WebSocket only: reconnect with backoff when the connection drops and re-subscribe the
   * threads; running turns go on in the same `TurnHandle` after one `sdk/gap` event (see
   * `GapParams`), and `sdk/reconnected` on the global stream says what was resumed. Default off.
   */
  reconnect?: boolean | ReconnectOptions;
}

/**
 * In-process only: bring your own transport (for tests or custom channels).
 *
 * @example
 * ```ts
 * import type { InProcessConnectOptions } from "./connect_options.ts";
 * import { MemoryTransport } from "../transport/memory_transport.ts";
 * const options: InProcessConnectOptions = { transport: new MemoryTransport(), worker: false };
 * console.assert(options.worker === false);
 * ```
 */
export interface InProcessConnectOptions extends ConnectOptions {
  /** A transport to use instead of spawning or dialing one; requires `worker: false`. */
  transport?: Transport;
}

/**
 * The subset of {@link ConnectOptions} that can cross a Worker boundary.
 *
 * @example
 * ```ts
 * import type { SerializableConnectOptions } from "./connect_options.ts";
 * const options: SerializableConnectOptions = structuredClone({ config: { model: "m" } });
 * console.assert(options.config?.model === "m");
 * ```
 */
export type SerializableConnectOptions = Omit<ConnectOptions, "signal">;
