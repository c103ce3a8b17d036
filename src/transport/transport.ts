import type { TransportClosedError } from "../errors/errors.ts";

/**
 * What a transport reports to its owner.
 *
 * @example
 * ```ts
 * import type { TransportHandlers } from "./transport.ts";
 * import { MemoryTransport } from "./memory_transport.ts";
 * const seen: string[] = [];
 * const handlers: TransportHandlers = {
 *   onMessage: (text) => seen.push(text),
 *   onClose: (error) => seen.push(error.code),
 * };
 * const transport = new MemoryTransport();
 * await transport.start(handlers);
 * transport.peer.send({ method: "warning", params: {} });
 * await transport.close();
 * if (seen.length !== 2 || seen[1] !== "TRANSPORT_CLOSED") throw new Error(seen.join());
 * ```
 */
export interface TransportHandlers {
  /** One complete message text (a stdio line or a WebSocket text frame). */
  onMessage(text: string): void;
  /** The connection is gone; called exactly once. */
  onClose(error: TransportClosedError): void;
}

/**
 * A duplex, message-oriented connection to an app-server. Implementations: `StdioTransport`,
 * `WebSocketTransport`, `MemoryTransport`.
 *
 * **Advanced API**: `Codex.connect` builds the transport from its options; implement this
 * interface only for a carrier the SDK does not have (pass it as `transport`, with
 * `worker: false`).
 *
 * @example A transport that echoes nothing
 * ```ts
 * import type { Transport } from "./transport.ts";
 * const t: Transport = {
 *   start: () => Promise.resolve(),
 *   send: (_text) => {},
 *   close: () => Promise.resolve(),
 *   stderrTail: () => "",
 * };
 * await t.start({ onMessage: () => {}, onClose: () => {} });
 * ```
 */
export interface Transport {
  /** Opens the connection and starts delivering messages to `handlers`. */
  start(handlers: TransportHandlers): Promise<void>;
  /** Sends one message text. Throws `TransportClosedError` once closed. */
  send(text: string): void;
  /** Closes the connection and releases every resource; idempotent. */
  close(): Promise<void>;
  /** The redacted tail of the app-server's stderr, when the transport has one. */
  stderrTail(): string;
}
