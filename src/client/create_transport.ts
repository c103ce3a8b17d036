import { ConnectError } from "../errors/errors.ts";
import { runtime } from "../runtime/current.ts";
import { resolveCodexBinary } from "../transport/codex_binary.ts";
import type { Transport } from "../transport/transport.ts";
import { transportFromSpec, type TransportSpec } from "../transport/transport_spec.ts";
import type { HandshakeOptions, TransportOptions } from "./connect_options.ts";

/** What opening a transport reads: where the server is, and how long connecting may take. */
type OpenOptions = TransportOptions & Pick<HandshakeOptions, "connectTimeoutMs">;

/**
 * The transport `options` ask for: WebSocket over a unix socket when `socket` is set, WebSocket
 * when `url` is, otherwise the pinned `codex app-server` on stdio.
 *
 * @throws {ConnectError} In a browser without `url` (a browser cannot start a process).
 * @throws {CodexBinaryNotFoundError} When the codex binary cannot be found.
 *
 * @example
 * ```ts
 * import { transportSpec } from "./create_transport.ts";
 * const spec = await transportSpec({ codexPath: "/bin/sh", config: { model: "m" }, codexHome: "/h" });
 * console.assert(spec.stdio?.args.join(" ") === 'app-server -c model="m"');
 * console.assert(spec.stdio?.env?.CODEX_HOME === "/h");
 * ```
 */
export async function transportSpec(options: OpenOptions): Promise<TransportSpec> {
  if (options.socket !== undefined) {
    if (options.url) throw new TypeError("Give either url or socket, not both");
    const { socket, connectTimeoutMs } = options;
    return { websocket: { url: `unix://${socket}`, socketPath: socket, connectTimeoutMs } };
  }
  if (options.url) {
    const { url, token, connectTimeoutMs } = options;
    return { websocket: { url, token, connectTimeoutMs } };
  }
  if (runtime.name === "browser") {
    throw new ConnectError("A browser cannot start codex app-server: connect with a url");
  }
  // Loaded here, not up front: browser bundles (which always pass a url) leave the TOML encoder out.
  const { configToArgs } = await import("../transport/config_args.ts");
  const env: Record<string, string> = { ...options.env };
  if (options.codexHome) env.CODEX_HOME = options.codexHome;
  return {
    stdio: {
      command: resolveCodexBinary(options.codexPath),
      args: ["app-server", ...configToArgs(options.config ?? {}), ...(options.args ?? [])],
      env,
      cwd: options.cwd,
      secrets: Object.values(options.env ?? {}).filter((v) => v.length >= 8),
    },
  };
}

/**
 * Builds the transport `options` ask for (see {@link transportSpec}).
 *
 * @example
 * ```ts
 * import { createTransport } from "./create_transport.ts";
 * const transport = await createTransport({ url: "ws://127.0.0.1:4500", token: "t" });
 * console.assert(transport.stderrTail() === "");
 * ```
 */
export async function createTransport(options: OpenOptions): Promise<Transport> {
  return transportFromSpec(await transportSpec(options));
}
