import { TransportClosedError } from "../errors/errors.ts";
import { runtime } from "../runtime/current.ts";
import { SOCKET_STATE } from "../runtime/socket_state.ts";
import type { Transport, TransportHandlers } from "./transport.ts";

/** Where and how to reach an app-server (or the project's bridge) over WebSocket. */
export interface WebSocketTransportOptions {
  /** `ws://` or `wss://` URL. */
  url: string;
  /**
   * Bearer token. Where the runtime can (Deno, Node) it is sent as an `Authorization` header
   * (what `codex app-server --ws-auth capability-token` checks). Browsers cannot set headers:
   * there it is offered as a `codex-worker.token.<token>` subprotocol, which the project's bridge
   * understands.
   */
  token?: string;
  /** How long to wait for the socket to open, in ms (default 10 000). */
  connectTimeoutMs?: number;
  /**
   * Dial this unix socket instead of `url`'s host (`codex app-server --listen unix://PATH`,
   * which speaks WebSocket over the socket and asks for no token). Deno only; `url` then only
   * names the connection in messages.
   */
  socketPath?: string;
}

/** The subprotocol the bridge answers with. */
export const BRIDGE_PROTOCOL = "codex-worker.v1";
/** The prefix of the subprotocol that carries a browser's token. */
export const BRIDGE_TOKEN_PROTOCOL_PREFIX = "codex-worker.token.";

/**
 * One JSON-RPC message per text frame over a WebSocket.
 *
 * @example A request to a listening app-server, and the close reported once
 * ```ts
 * import { WebSocketTransport } from "./websocket_transport.ts";
 * import { startWebSocketAppServer } from "../testing/mod.ts";
 * import { writeCodexHome } from "../testing/mod.ts";
 * await using home = await writeCodexHome({ modelServerUrl: "http://127.0.0.1:9/v1" });
 * await using server = await startWebSocketAppServer({ codexHome: home.dir });
 * const t = new WebSocketTransport({ url: server.url, token: server.token });
 * const frames: string[] = [];
 * const closed = Promise.withResolvers<string>();
 * await t.start({ onMessage: (m) => frames.push(m), onClose: (e) => closed.resolve(e.code) });
 * const clientInfo = { name: "doc", title: null, version: "0" };
 * t.send(JSON.stringify({ id: 1, method: "initialize", params: { clientInfo } }));
 * await t.close();
 * if (await closed.promise !== "TRANSPORT_CLOSED") throw new Error("closed without its error");
 * ```
 */
export class WebSocketTransport implements Transport {
  readonly #options: WebSocketTransportOptions;
  #socket: WebSocket | undefined;
  #handlers: TransportHandlers | undefined;
  #closed = false;
  #closeReported = false;
  #closedPromise: Promise<void> | undefined;

  /** Creates the transport; nothing is opened until `start()`. */
  constructor(options: WebSocketTransportOptions) {
    this.#options = options;
  }

  /** Opens the socket; rejects with `TransportClosedError` when it cannot. */
  async start(handlers: TransportHandlers): Promise<void> {
    const { socketPath, url } = this.#options;
    let open: ((path: string) => WebSocket) | undefined;
    if (socketPath !== undefined) {
      try {
        open = (await import("../runtime/unix_websocket.ts")).openUnixWebSocket;
      } catch (err) {
        throw new TransportClosedError(
          `Could not load the unix-socket WebSocket client for ${safeUrl(url)}: ${
            (err as Error).message
          }`,
        );
      }
    }
    return await this.#start(handlers, open && (() => open(socketPath!)));
  }

  #start(handlers: TransportHandlers, open: (() => WebSocket) | undefined): Promise<void> {
    this.#handlers = handlers;
    const { url, token } = this.#options;
    let socket: WebSocket;
    try {
      if (open) {
        socket = open();
      } else if (runtime.webSocketHeaders) {
        const headers = token ? { authorization: `Bearer ${token}` } : undefined;
        socket = runtime.openWebSocket(url, { headers });
      } else {
        socket = runtime.openWebSocket(url, {
          protocols: token
            ? [BRIDGE_PROTOCOL, BRIDGE_TOKEN_PROTOCOL_PREFIX + token]
            : [BRIDGE_PROTOCOL],
        });
      }
    } catch (err) {
      return Promise.reject(
        new TransportClosedError(`Could not open ${safeUrl(url)}: ${(err as Error).message}`),
      );
    }
    this.#socket = socket;
    let resolveClosed!: () => void;
    this.#closedPromise = new Promise((r) => resolveClosed = r);
    return new Promise<void>((resolve, reject) => {
      let opened = false;
      const timer = setTimeout(() => {
        if (!opened) {
          reject(new TransportClosedError(`Timed out connecting to ${safeUrl(url)}`));
          try {
            socket.close();
          } catch { /* ignore */ }
        }
      }, this.#options.connectTimeoutMs ?? 10_000);
      socket.onopen = () => {
        opened = true;
        clearTimeout(timer);
        resolve();
      };
      socket.onmessage = (ev: MessageEvent) => {
        if (typeof ev.data === "string") this.#handlers?.onMessage(ev.data);
        else this.#handlers?.onMessage(""); // binary frames are not part of the protocol
      };
      let failure = "";
      socket.onerror = (ev: Event) => {
        // Browsers and Deno give no detail; the unix-socket client says why (ENOENT, ...).
        const message = (ev as { message?: unknown }).message;
        if (typeof message === "string" && message) failure = `: ${message}`;
      };
      socket.onclose = (ev: CloseEvent) => {
        clearTimeout(timer);
        this.#closed = true;
        resolveClosed();
        const reason = ev.reason ? `: ${ev.reason}` : "";
        const error = new TransportClosedError(
          `WebSocket to ${safeUrl(url)} closed (code ${ev.code})${reason}`,
        );
        if (!opened) {
          reject(
            new TransportClosedError(
              `Could not connect to ${safeUrl(url)} (code ${ev.code})${reason || failure}`,
            ),
          );
          return;
        }
        if (!this.#closeReported) {
          this.#closeReported = true;
          this.#handlers?.onClose(error);
        }
      };
    });
  }

  /** Sends one frame. */
  send(text: string): void {
    if (this.#closed || !this.#socket || this.#socket.readyState !== SOCKET_STATE.OPEN) {
      throw new TransportClosedError("The WebSocket connection is closed");
    }
    this.#socket.send(text);
  }

  /** Closes the socket and waits for it to be closed. */
  async close(): Promise<void> {
    if (!this.#socket) return;
    if (this.#socket.readyState === SOCKET_STATE.CLOSED) return;
    try {
      this.#socket.close(1000, "client closed");
    } catch { /* ignore */ }
    await this.#closedPromise;
  }

  /** WebSockets have no stderr. */
  stderrTail(): string {
    return "";
  }
}

function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.search = "";
    u.username = "";
    u.password = "";
    return u.toString();
  } catch {
    return "the WebSocket URL";
  }
}
