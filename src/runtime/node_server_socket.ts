/**
 * The server side of an accepted WebSocket on Node, shaped like the browser's `WebSocket`. The
 * request handler gets it before the handshake is done (as `Deno.upgradeWebSocket` gives it), so
 * it starts `CONNECTING` and wraps the `ws` socket once the upgrade completes.
 *
 * @module
 */
import type { WebSocket as NodeWebSocket } from "ws";
import { SOCKET_STATE } from "./socket_state.ts";

type Handler = ((event: Event) => void) | null;

/** An `Event` with the fields of its kind (Node 20 has no `CloseEvent`). */
function event(type: string, fields: Record<string, unknown> = {}): Event {
  return Object.assign(new Event(type), fields);
}

/**
 * A browser-shaped WebSocket over a `ws` server socket that may not exist yet.
 *
 * @example
 * ```ts
 * import { ServerSocket } from "./node_server_socket.ts";
 * const socket = new ServerSocket();
 * console.assert(socket.readyState === 0); // CONNECTING until attach()
 * ```
 */
export class ServerSocket extends EventTarget {
  #ws: NodeWebSocket | undefined;
  #state: number = SOCKET_STATE.CONNECTING;
  #pendingClose: [number | undefined, string | undefined] | undefined;
  /** Like `WebSocket.onopen`. */
  onopen: Handler = null;
  /** Like `WebSocket.onmessage`. */
  onmessage: Handler = null;
  /** Like `WebSocket.onclose`. */
  onclose: Handler = null;
  /** Like `WebSocket.onerror`. */
  onerror: Handler = null;
  /** Binary frames arrive as `ArrayBuffer`s. */
  binaryType = "arraybuffer";
  /** The subprotocol agreed on. */
  protocol = "";

  /** `CONNECTING`, `OPEN`, `CLOSING` or `CLOSED` (see `SOCKET_STATE`). */
  get readyState(): number {
    return this.#state;
  }

  /** Takes over the upgraded `ws` socket and fires `open`. */
  attach(ws: NodeWebSocket): void {
    this.#ws = ws;
    this.protocol = ws.protocol;
    ws.on("message", (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      const payload = isBinary
        ? bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
        : bytes.toString("utf8");
      this.#fire(event("message", { data: payload }));
    });
    ws.on("error", (error: Error) => this.#fire(event("error", { message: error.message })));
    ws.on("close", (code: number, reason: Buffer) => {
      this.#state = SOCKET_STATE.CLOSED;
      this.#fire(event("close", { code, reason: reason.toString("utf8"), wasClean: true }));
    });
    this.#state = SOCKET_STATE.OPEN;
    this.#fire(event("open"));
    if (this.#pendingClose) this.close(...this.#pendingClose);
  }

  /** Sends a text or binary frame. */
  send(data: string | ArrayBufferLike | ArrayBufferView): void {
    if (this.#state !== SOCKET_STATE.OPEN || !this.#ws) {
      throw new DOMException("The WebSocket is not open", "InvalidStateError");
    }
    this.#ws.send(data);
  }

  /** Starts the closing handshake (once open). */
  close(code?: number, reason?: string): void {
    if (!this.#ws) {
      this.#pendingClose = [code, reason];
      return;
    }
    if (this.#state >= SOCKET_STATE.CLOSING) return;
    this.#state = SOCKET_STATE.CLOSING;
    this.#ws.close(code, reason);
  }

  #fire(e: Event): void {
    const handlers: Record<string, Handler> = {
      open: this.onopen,
      message: this.onmessage,
      close: this.onclose,
      error: this.onerror,
    };
    handlers[e.type]?.call(this, e);
    this.dispatchEvent(e);
  }
}
