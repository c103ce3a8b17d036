import type { ChildProcess } from "../runtime/runtime.ts";
import { StdioTransport, type StdioTransportOptions } from "./stdio_transport.ts";
import type { Transport } from "./transport.ts";
import { WebSocketTransport, type WebSocketTransportOptions } from "./websocket_transport.ts";

/**
 * A transport described as plain data (structured-clone safe): the main thread works it out
 * (the codex binary is looked up there) and a Worker starts it from its first message.
 *
 * @example
 * ```ts
 * import type { TransportSpec } from "./transport_spec.ts";
 * const spec: TransportSpec = { websocket: { url: "ws://127.0.0.1:4500", token: "t" } };
 * console.assert(structuredClone(spec).websocket?.url === "ws://127.0.0.1:4500");
 * ```
 */
export type TransportSpec =
  | { readonly websocket: WebSocketTransportOptions; readonly stdio?: undefined }
  | { readonly stdio: StdioTransportOptions; readonly websocket?: undefined };

/**
 * The transport a {@link TransportSpec} describes (not started). `spawned` is its process when a
 * stdio spec was spawned already (see `StdioTransport`).
 *
 * @example
 * ```ts
 * import { transportFromSpec } from "./transport_spec.ts";
 * const transport = transportFromSpec({ websocket: { url: "ws://127.0.0.1:1" } });
 * console.assert(transport.stderrTail() === "");
 * ```
 */
export function transportFromSpec(
  spec: TransportSpec,
  spawned?: Promise<ChildProcess>,
): Transport {
  return spec.websocket
    ? new WebSocketTransport(spec.websocket)
    : new StdioTransport(spec.stdio as StdioTransportOptions, spawned);
}
