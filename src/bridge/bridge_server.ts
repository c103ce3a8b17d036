/**
 * {@link BridgeServer}: lets browser pages reach a Codex app-server. The app-server refuses every
 * WebSocket that carries an `Origin` header and takes credentials only as an `Authorization`
 * header, which browsers cannot send; the bridge checks the page's Origin and a per-launch
 * token, then relays frames to the app-server over its own authenticated connection.
 *
 * @module
 */
import { ConnectError } from "../errors/errors.ts";
import { runtime } from "../runtime/current.ts";
import type { HttpServer, RequestContext } from "../runtime/runtime.ts";
import {
  type AppServerExit,
  AppServerProcess,
  type AppServerProcessOptions,
  describeExit,
} from "./app_server_process.ts";
import { CLOSE_GOING_AWAY, CLOSE_SERVICE_RESTART, CLOSE_UPSTREAM_GONE, Relay } from "./relay.ts";
import {
  allowedOrigins,
  BRIDGE_PROTOCOL,
  hostAllowed,
  normalizeOrigin,
  presentedCredentials,
} from "./request_policy.ts";
import { serveStatic } from "./static_files.ts";
import { generateToken, tokensEqual } from "./token.ts";
import { isReady, openUpstream } from "./upstream_socket.ts";

/** The WebSocket path browsers connect to. */
export const BRIDGE_WS_PATH = "/ws";
/** The endpoint an allowed page POSTs to for `{ url, token }`. */
export const BRIDGE_SESSION_PATH = "/bridge/session";
/** Browser connections a bridge holds open at once unless told otherwise. */
export const DEFAULT_MAX_CONNECTIONS = 32;
/** Close code of a connection refused because the bridge is full (RFC 6455 1013, try again later). */
export const CLOSE_TRY_AGAIN_LATER = 1013;

/**
 * An existing app-server to relay to, instead of spawning one.
 *
 * @example
 * ```ts
 * import type { UpstreamEndpoint } from "./bridge_server.ts";
 * const upstream: UpstreamEndpoint = { url: "ws://127.0.0.1:4500", token: "app-server-secret" };
 * ```
 */
export interface UpstreamEndpoint {
  /** `ws://` URL of `codex app-server --listen ws://…`. */
  readonly url: string;
  /** Its bearer token (`--ws-auth capability-token`); stays inside the bridge. */
  readonly token?: string;
}

/**
 * Options of {@link BridgeServer.start}.
 *
 * @example
 * ```ts
 * import type { BridgeServerOptions } from "./bridge_server.ts";
 * const options: BridgeServerOptions = {
 *   port: 0,
 *   allowedOrigins: ["http://localhost:5173"],
 *   appServer: { codexHome: "/home/me/.cache/codex-demo" },
 * };
 * ```
 */
export interface BridgeServerOptions {
  /** Port on 127.0.0.1 (default 0: any free port). */
  readonly port?: number;
  /** The token browsers must present (default: a fresh random one). */
  readonly token?: string;
  /** Origins accepted besides the bridge's own page (e.g. a vite dev server). */
  readonly allowedOrigins?: readonly string[];
  /** A built web app to serve at `/` (e.g. `web-demo/dist`). */
  readonly staticDir?: string;
  /** Relay to this app-server instead of spawning one. */
  readonly upstream?: UpstreamEndpoint;
  /** How to spawn the app-server (when `upstream` is not given). */
  readonly appServer?: AppServerProcessOptions;
  /**
   * Browser connections open at once (default {@link DEFAULT_MAX_CONNECTIONS}). Each holds one
   * app-server connection; one more is accepted and closed at once with
   * {@link CLOSE_TRY_AGAIN_LATER} and a reason, without reaching the app-server.
   */
  readonly maxConnections?: number;
  /** Spawn a new app-server when a browser connects after the last one died (default true). */
  readonly respawn?: boolean;
  /** Receives one line per connection event; never sees a token. Default: silent. */
  readonly log?: (line: string) => void;
}

/**
 * Connection counters of a bridge.
 *
 * @example
 * ```ts
 * import type { BridgeStats } from "./bridge_server.ts";
 * const stats: BridgeStats = {
 *   open: 0,
 *   accepted: 0,
 *   refusedOrigin: 0,
 *   refusedToken: 0,
 *   refusedFull: 0,
 * };
 * ```
 */
export interface BridgeStats {
  /** Browser connections open now. */
  open: number;
  /** Browser connections accepted so far. */
  accepted: number;
  /** Upgrades refused for a foreign Origin (403). */
  refusedOrigin: number;
  /** Upgrades refused for a wrong or missing token (401). */
  refusedToken: number;
  /** Connections closed at once (1013) because `maxConnections` were open. */
  refusedFull: number;
}

const SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-embedder-policy": "require-corp",
  "cross-origin-resource-policy": "same-origin",
};

/**
 * A WebSocket bridge on 127.0.0.1 between browser pages and one shared Codex app-server. Each
 * browser connection gets its own upstream connection; closing one tab never affects another;
 * when the app-server dies every browser connection is closed with code 1011 and a reason that
 * says so.
 *
 * Security: only `127.0.0.1`; `Host` must be the bridge itself; an `Origin` outside the allow-list
 * gets 403; a wrong or missing token gets 401 (compared in constant time). Browsers present the
 * token as the `codex-worker.token.<token>` subprotocol and get `codex-worker.v1` back; Deno
 * clients may send `Authorization: Bearer <token>`. A page on an allowed origin obtains the
 * token with `POST /bridge/session`, so it never appears in a URL, the history or a log. The
 * app-server's own token never leaves the bridge. At most `maxConnections` browser connections
 * are open at once; one more is accepted and closed at once with 1013 and a reason.
 *
 * @example Start a bridge that spawns the app-server and serves a built page
 * ```ts ignore
 * import { BridgeServer } from "./bridge_server.ts";
 * await using bridge = await BridgeServer.start({
 *   staticDir: "web-demo/dist",
 *   appServer: { codexHome: "/home/me/.cache/codex-demo" },
 * });
 * console.log(`open ${bridge.pageUrl}`);
 * ```
 */
export class BridgeServer implements AsyncDisposable {
  readonly #token: string;
  #origins!: Set<string>;
  readonly #options: BridgeServerOptions;
  #server!: HttpServer;
  readonly #relays = new Set<Relay>();
  readonly #stats: BridgeStats = {
    open: 0,
    accepted: 0,
    refusedOrigin: 0,
    refusedToken: 0,
    refusedFull: 0,
  };
  /** Connections accepted or being opened: what counts against `maxConnections`. */
  #slots = 0;
  readonly #log: (line: string) => void;
  #appServer: AppServerProcess | undefined;
  #spawning: Promise<AppServerProcess> | undefined;
  #lastExit: AppServerExit | undefined;
  #closing: Promise<void> | undefined;

  private constructor(options: BridgeServerOptions) {
    this.#options = options;
    this.#token = options.token ?? generateToken();
    this.#log = options.log ?? (() => {});
  }

  /** `http://127.0.0.1:<port>`: the page (when `staticDir` is set) and the session endpoint. */
  get pageUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** `ws://127.0.0.1:<port>/ws`: what `Codex.connect({ url })` dials. */
  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}${BRIDGE_WS_PATH}`;
  }

  /** The port on 127.0.0.1. */
  get port(): number {
    return this.#server.port;
  }

  /**
   * Starts the bridge: spawns the app-server (unless `upstream` is given), then listens.
   * Rejects with `ConnectError` when the app-server cannot start.
   */
  static async start(options: BridgeServerOptions = {}): Promise<BridgeServer> {
    for (const origin of options.allowedOrigins ?? []) {
      if (normalizeOrigin(origin) === undefined) {
        throw new TypeError(`Not an http(s) origin: ${origin}`);
      }
    }
    const max = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
    if (!Number.isInteger(max) || max < 1) {
      throw new TypeError(`maxConnections must be a positive integer, not ${max}`);
    }
    const appServer = options.upstream
      ? undefined
      : await AppServerProcess.spawn(options.appServer);
    const bridge = new BridgeServer(options);
    try {
      bridge.#server = await runtime.serve(
        { port: options.port },
        (request, context) => bridge.#handle(request, context),
      );
    } catch (err) {
      await appServer?.close();
      throw err;
    }
    bridge.#origins = allowedOrigins(bridge.port, options.allowedOrigins);
    if (appServer) bridge.#watch(appServer);
    return bridge;
  }

  /** The per-launch token browsers must present. Give it only to trusted pages. */
  get token(): string {
    return this.#token;
  }

  /** The origins accepted. */
  get allowedOrigins(): readonly string[] {
    return [...this.#origins];
  }

  /** The app-server the bridge spawned (undefined with `upstream`, or after it died). */
  get appServer(): AppServerProcess | undefined {
    return this.#appServer;
  }

  /** Connection counters. */
  stats(): BridgeStats {
    return { ...this.#stats };
  }

  /**
   * Closes every browser connection (1012) but keeps listening and keeps the app-server: pages
   * connected with `reconnect` come back, and their running turns go on. Returns how many were
   * closed.
   */
  disconnectBrowsers(reason = "the bridge dropped the connection"): number {
    const count = this.#relays.size;
    for (const relay of this.#relays) relay.closeBrowser(CLOSE_SERVICE_RESTART, reason);
    this.#log(`closed ${count} browser connection(s): ${reason}`);
    return count;
  }

  /** Closes every browser connection (1001), stops listening and stops the app-server. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      for (const relay of this.#relays) {
        relay.closeBrowser(CLOSE_GOING_AWAY, "bridge shutting down");
      }
      await Promise.all([...this.#relays].map((r) => r.closed));
      await this.#server.shutdown();
      await this.#spawning?.catch(() => {});
      await this.#appServer?.close();
    })();
    return this.#closing;
  }

  /** `await using bridge = ...` closes it. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #handle(request: Request, context: RequestContext): Promise<Response> {
    if (!hostAllowed(request, this.port)) {
      return this.#refuse(403, "forbidden host");
    }
    const path = new URL(request.url).pathname;
    if (path === BRIDGE_WS_PATH) return await this.#upgrade(request, context);
    if (path === BRIDGE_SESSION_PATH) return this.#session(request);
    if (path === "/healthz") return new Response("ok", { headers: SECURITY_HEADERS });
    if (this.#options.staticDir !== undefined) {
      return await serveStatic(request, this.#options.staticDir, {
        ...SECURITY_HEADERS,
        "cache-control": "no-cache",
        "content-security-policy": this.#csp(),
      });
    }
    return this.#refuse(404, "not found");
  }

  #csp(): string {
    const ws = `ws://127.0.0.1:${this.port} ws://localhost:${this.port}`;
    return [
      "default-src 'self'",
      `connect-src 'self' ${ws}`,
      "worker-src 'self'",
      "img-src 'self' data:",
      "style-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ].join("; ");
  }

  #refuse(status: number, text: string, headers: Record<string, string> = {}): Response {
    return new Response(text, { status, headers: { ...SECURITY_HEADERS, ...headers } });
  }

  /** `POST /bridge/session` from an allowed Origin → `{ url, token }` (never cached). */
  #session(request: Request): Response {
    const origin = request.headers.get("origin");
    const normalized = origin === null ? undefined : normalizeOrigin(origin);
    if (normalized === undefined || !this.#origins.has(normalized)) {
      this.#stats.refusedOrigin++;
      this.#log(`session refused: origin ${origin ?? "(none)"} is not allowed (403)`);
      return this.#refuse(403, "origin not allowed");
    }
    const cors = { "access-control-allow-origin": normalized, vary: "Origin" };
    if (request.method === "OPTIONS") {
      return new Response(null, {
        status: 204,
        headers: { ...SECURITY_HEADERS, ...cors, "access-control-allow-methods": "POST" },
      });
    }
    if (request.method !== "POST") return this.#refuse(405, "use POST", cors);
    return new Response(JSON.stringify({ url: this.wsUrl, token: this.#token }), {
      headers: {
        ...SECURITY_HEADERS,
        ...cors,
        "content-type": "application/json",
        "cache-control": "no-store",
      },
    });
  }

  async #upgrade(request: Request, context: RequestContext): Promise<Response> {
    const origin = request.headers.get("origin");
    if (origin !== null) {
      const normalized = normalizeOrigin(origin);
      if (normalized === undefined || !this.#origins.has(normalized)) {
        this.#stats.refusedOrigin++;
        this.#log(`connection refused: origin ${origin} is not allowed (403)`);
        return this.#refuse(403, "origin not allowed");
      }
    }
    const credentials = presentedCredentials(request);
    if (
      credentials.token === undefined || !(await tokensEqual(credentials.token, this.#token))
    ) {
      this.#stats.refusedToken++;
      this.#log(`connection refused: ${credentials.token ? "wrong" : "missing"} token (401)`);
      return this.#refuse(401, "unauthorized");
    }
    if ((request.headers.get("upgrade") ?? "").toLowerCase() !== "websocket") {
      return this.#refuse(426, "WebSocket upgrade required", { upgrade: "websocket" });
    }
    if (this.#closing) return this.#refuse(503, "bridge shutting down");
    const protocol = credentials.offeredProtocol ? { protocol: BRIDGE_PROTOCOL } : {};
    const max = this.#options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
    if (this.#slots >= max) return this.#refuseFull(request, context, protocol, max);
    this.#slots++;
    let upstream: WebSocket;
    try {
      upstream = await this.#openUpstream();
    } catch (err) {
      this.#slots--;
      this.#log(`connection failed: ${(err as Error).message}`);
      return this.#refuse(502, `app-server unavailable: ${(err as Error).message}`);
    }
    const { socket, response } = context.upgradeWebSocket(request, protocol);
    const relay = new Relay(socket, upstream, () => this.#upstreamGoneReason());
    this.#relays.add(relay);
    this.#stats.accepted++;
    this.#stats.open++;
    this.#log(`browser connected from ${origin ?? "(no origin)"} (${this.#stats.open} open)`);
    relay.closed.then(() => {
      this.#relays.delete(relay);
      this.#slots--;
      this.#stats.open--;
      this.#log(`browser disconnected (${this.#stats.open} open)`);
    });
    return response;
  }

  /**
   * Accepts the upgrade and closes it at once with 1013 and a reason: a page can read a close
   * code and reason, but not the status of a refused upgrade.
   */
  #refuseFull(
    request: Request,
    context: RequestContext,
    protocol: { protocol?: string },
    max: number,
  ): Response {
    this.#stats.refusedFull++;
    this.#log(`connection refused: ${max} connections open (1013)`);
    const { socket, response } = context.upgradeWebSocket(request, protocol);
    const reason = `the bridge is full (${max} connections open); try again later`;
    socket.onopen = () => socket.close(CLOSE_TRY_AGAIN_LATER, reason);
    return response;
  }

  async #openUpstream(): Promise<WebSocket> {
    const endpoint = this.#options.upstream ?? await this.#ensureAppServer();
    return await openUpstream(endpoint.url, endpoint.token);
  }

  async #ensureAppServer(): Promise<AppServerProcess> {
    if (this.#appServer && !this.#appServer.exitStatus) return this.#appServer;
    if (this.#options.respawn === false) {
      throw new ConnectError(
        this.#lastExit ? describeExit(this.#lastExit) : "no app-server is running",
      );
    }
    this.#spawning ??= AppServerProcess.spawn(this.#options.appServer).then((proc) => {
      this.#watch(proc);
      this.#log(`app-server restarted at ${proc.url}`);
      return proc;
    }).finally(() => this.#spawning = undefined);
    return await this.#spawning;
  }

  #watch(proc: AppServerProcess): void {
    this.#appServer = proc;
    proc.exited.then((exit) => {
      this.#lastExit = exit;
      if (this.#appServer === proc) this.#appServer = undefined;
      if (this.#closing) return;
      const reason = describeExit(exit);
      this.#log(`${reason}; closing ${this.#relays.size} browser connection(s)`);
      for (const relay of this.#relays) relay.closeBrowser(CLOSE_UPSTREAM_GONE, reason);
    });
  }

  /** Why an upstream connection closed: the app-server died, or it closed just that socket. */
  async #upstreamGoneReason(): Promise<string> {
    if (this.#closing) return "bridge shutting down";
    const proc = this.#appServer;
    if (proc === undefined) {
      if (this.#lastExit) return describeExit(this.#lastExit);
      const url = this.#options.upstream?.url;
      if (url && !(await isReady(url))) return "codex app-server is unreachable";
      return "app-server closed the connection";
    }
    const probe = isReady(proc.url).then((ready) => ({ ready }));
    const winner = await Promise.race([proc.exited.then((exit) => ({ exit })), probe]);
    if ("exit" in winner) return describeExit(winner.exit);
    if (winner.ready) return "app-server closed the connection";
    let timer: ReturnType<typeof setTimeout> | undefined;
    const hung = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve("codex app-server is not answering"), 3_000);
    });
    try {
      return await Promise.race([proc.exited.then(describeExit), hung]);
    } finally {
      clearTimeout(timer);
    }
  }
}
