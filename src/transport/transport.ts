import type { TransportClosedError } from "../errors/errors.ts";

/**
 * What a transport reports to its owner.
 *
 * @example
 * ```ts
 * import type { TransportHandlers } from "./transport.ts";
 * const handlers: TransportHandlers = {
 *   onMessage: (text) => console.log(text.length),
 *   onClose: (error) => console.log(error.message),
 * };
 * console.assert(typeof handlers.onMessage === "function");
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
