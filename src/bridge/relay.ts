/**
 * {@link Relay}: one browser WebSocket tied to its own upstream app-server WebSocket, one
 * JSON-RPC message per text frame in both directions.
 *
 * @module
 */
import { SOCKET_STATE } from "../runtime/socket_state.ts";

/** Close code for "the app-server side went away" (RFC 6455 1011, internal error). */
export const CLOSE_UPSTREAM_GONE = 1011;
/** Close code when the bridge shuts down (RFC 6455 1001, going away). */
export const CLOSE_GOING_AWAY = 1001;
/** Close code when the bridge drops its browsers but keeps running (1012, service restart). */
export const CLOSE_SERVICE_RESTART = 1012;
/** Close code for frames the protocol does not carry (RFC 6455 1003, unsupported data). */
export const CLOSE_UNSUPPORTED = 1003;

/**
 * Truncates a close reason to the 123 bytes a close frame can carry.
 *
 * @example
 * ```ts
 * import { closeReason } from "./relay.ts";
 * if (new TextEncoder().encode(closeReason("x".repeat(500))).length > 123) throw new Error();
 * ```
 */
export function closeReason(text: string): string {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= 123) return text;
  let out = text;
  while (new TextEncoder().encode(out + "…").length > 123) out = out.slice(0, -1);
  return out + "…";
}

/**
 * Relays frames between a browser socket and an (already open) upstream socket. When either
 * side closes, the other is closed too; `reasonForUpstreamClose` names why the upstream went
 * away (e.g. "codex app-server exited (code 1)") for the browser's close frame.
 *
 * @example
 * ```ts ignore
 * import { Relay } from "./relay.ts";
 * const upstream = new WebSocket(appServerUrl, { headers: { authorization: `Bearer ${t}` } });
 * const { socket, response } = Deno.upgradeWebSocket(request);
 * const relay = new Relay(socket, upstream, async () => "app-server closed the connection");
 * relay.closed.then(() => console.log("tab gone"));
 * return response;
 * ```
 */
export class Relay {
  /** Resolves when both sockets are closed. */
  readonly closed: Promise<void>;
  readonly #browser: WebSocket;
  readonly #upstream: WebSocket;
  readonly #pending: string[] = [];
  #browserClosing = false;

  /** Wires the two sockets; `upstream` must already be open. */
  constructor(
    browser: WebSocket,
    upstream: WebSocket,
    reasonForUpstreamClose: () => Promise<string>,
  ) {
    this.#browser = browser;
    this.#upstream = upstream;
    const browserClosed = new Promise<void>((resolve) => {
      browser.addEventListener("close", () => resolve());
    });
    const upstreamClosed = new Promise<void>((resolve) => {
      upstream.addEventListener("close", () => resolve());
    });
    this.closed = Promise.all([browserClosed, upstreamClosed]).then(() => {});

    browser.addEventListener("open", () => {
      for (const text of this.#pending.splice(0)) browser.send(text);
    });
    browser.addEventListener("message", (ev: MessageEvent) => {
      if (typeof ev.data !== "string") {
        this.closeBrowser(CLOSE_UNSUPPORTED, "binary frames are not part of the protocol");
        return;
      }
      if (upstream.readyState === SOCKET_STATE.OPEN) upstream.send(ev.data);
    });
    browser.addEventListener("close", () => {
      if (upstream.readyState <= SOCKET_STATE.OPEN) upstream.close(1000, "browser closed");
    });
    upstream.addEventListener("message", (ev: MessageEvent) => {
      if (typeof ev.data !== "string") return; // the app-server only sends text frames
      if (browser.readyState === SOCKET_STATE.OPEN) browser.send(ev.data);
      else if (browser.readyState === SOCKET_STATE.CONNECTING) this.#pending.push(ev.data);
    });
    upstream.addEventListener("close", () => {
      if (this.#browserClosing) return;
      reasonForUpstreamClose()
        .catch(() => "app-server connection closed")
        .then((reason) => this.closeBrowser(CLOSE_UPSTREAM_GONE, reason));
    });
  }

  /** Closes the browser side with `code` and `reason` (the upstream side follows). */
  closeBrowser(code: number, reason: string): void {
    if (this.#browserClosing) return;
    this.#browserClosing = true;
    const text = closeReason(reason);
    if (this.#browser.readyState === SOCKET_STATE.CONNECTING) {
      this.#browser.addEventListener("open", () => this.#browser.close(code, text));
    } else if (this.#browser.readyState === SOCKET_STATE.OPEN) {
      this.#browser.close(code, text);
    }
    if (this.#upstream.readyState <= SOCKET_STATE.OPEN) {
      this.#upstream.close(1000, "browser closed");
    }
  }
}
