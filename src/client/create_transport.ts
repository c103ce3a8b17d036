import type { Transport } from "../transport/transport.ts";
import type { ConnectOptions } from "./connect_options.ts";

/**
 * Builds the transport `options` ask for: WebSocket over a unix socket when `socket` is set,
 * WebSocket when `url` is, otherwise the pinned `codex app-server` on stdio. Stdio modules are loaded lazily so browsers never load them.
 *
 * @example
 * ```ts ignore
 * import { createTransport } from "./create_transport.ts";
 * const transport = await createTransport({ config: { model: "gpt-5" } });
 * ```
 */
export async function createTransport(options: ConnectOptions): Promise<Transport> {
  if (options.socket !== undefined) {
    if (options.url) throw new TypeError("Give either url or socket, not both");
    const { WebSocketTransport } = await import("../transport/websocket_transport.ts");
    return new WebSocketTransport({
      url: `unix://${options.socket}`,
      socketPath: options.socket,
      connectTimeoutMs: options.connectTimeoutMs,
    });
  }
  if (options.url) {
    const { WebSocketTransport } = await import("../transport/websocket_transport.ts");
    return new WebSocketTransport({
      url: options.url,
      token: options.token,
      connectTimeoutMs: options.connectTimeoutMs,
    });
  }
  const { configToArgs } = await import("../transport/config_args.ts");
  const { resolveCodexBinary } = await import("../transport/codex_binary.ts");
  const { StdioTransport } = await import("../transport/stdio_transport.ts");
  const command = resolveCodexBinary(options.codexPath);
  const env: Record<string, string> = { ...options.env };
  if (options.codexHome) env.CODEX_HOME = options.codexHome;
  return new StdioTransport({
    command,
    args: ["app-server", ...configToArgs(options.config ?? {}), ...(options.args ?? [])],
    env,
    cwd: options.cwd,
    secrets: Object.values(options.env ?? {}).filter((v) => v.length >= 8),
  });
}
