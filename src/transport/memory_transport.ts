import { TransportClosedError } from "../errors/errors.ts";
import type { Transport, TransportHandlers } from "./transport.ts";

/**
 * The far end of a {@link MemoryTransport}: what a test uses to play the app-server.
 *
 * @example
 * ```ts
 * import { MemoryTransport } from "./memory_transport.ts";
 * const t = new MemoryTransport();
 * t.peer.onMessage = (msg) => t.peer.send({ id: (msg as { id: number }).id, result: {} });
 * ```
 */
export interface MemoryPeer {
  /** Called with every message the client sends (parsed). */
  onMessage: (message: Record<string, unknown>) => void;
  /** Called once when the connection ends (from either side), with the reason. */
  onClose: (reason: string) => void;
  /** Sends a message object to the client. */
  send(message: unknown): void;
  /** Sends raw text (to test malformed input). */
  sendRaw(text: string): void;
  /** Ends the connection from the server side. */
  disconnect(reason?: string, stderrTail?: string): void;
  /** Every message the client sent, in order. */
  readonly received: Record<string, unknown>[];
}

/**
 * An in-memory transport for unit tests: messages are delivered synchronously in order.
 *
 * @example
 * ```ts
 * import { MemoryTransport } from "./memory_transport.ts";
 * const t = new MemoryTransport();
 * const seen: string[] = [];
 * await t.start({ onMessage: (m) => seen.push(m), onClose: () => {} });
 * t.peer.send({ method: "warning", params: {} });
 * console.assert(seen.length === 1);
 * ```
 */
export class MemoryTransport implements Transport {
  #handlers: TransportHandlers | undefined;
  #closed = false;
  /** The server side. */
  readonly peer: MemoryPeer;

  /** Creates an unconnected pair. */
  constructor() {
    const received: Record<string, unknown>[] = [];
    this.peer = {
      onMessage: () => {},
      onClose: () => {},
      received,
      send: (message) => this.peer.sendRaw(JSON.stringify(message)),
      sendRaw: (text) => {
        if (!this.#closed) this.#handlers?.onMessage(text);
      },
      disconnect: (reason = "peer disconnected", tail = "") => this.#finish(reason, tail),
    };
  }

  /** Starts delivering. */
  start(handlers: TransportHandlers): Promise<void> {
    this.#handlers = handlers;
    return Promise.resolve();
  }

  /** Delivers to the peer. */
  send(text: string): void {
    if (this.#closed) throw new TransportClosedError("The memory transport is closed");
    const message = JSON.parse(text) as Record<string, unknown>;
    this.peer.received.push(message);
    this.peer.onMessage(message);
  }

  /** Closes from the client side. */
  close(): Promise<void> {
    this.#finish("client closed", "");
    return Promise.resolve();
  }

  /** No stderr in memory. */
  stderrTail(): string {
    return "";
  }

  #finish(reason: string, tail: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#handlers?.onClose(new TransportClosedError(reason, tail));
    this.peer.onClose(reason);
  }
}
