import { runtime } from "../runtime/current.ts";
import { openUnixWebSocket } from "../runtime/unix_websocket.ts";
import { resolveCodexBinary } from "../transport/codex_binary.ts";
import { StderrTail } from "../transport/stderr_tail.ts";
import { configToArgs } from "../transport/config_args.ts";
import type { WebSocketAppServerOptions } from "./ws_app_server.ts";
import { signal, stopChild } from "./stop_child.ts";

/**
 * Options of {@link startUnixSocketAppServer}: the same as a WebSocket app-server's.
 *
 * @example
 * ```ts
 * import type { UnixSocketAppServerOptions } from "./unix_socket_app_server.ts";
 * const options: UnixSocketAppServerOptions = { codexHome: "/srv/codex-home" };
 * ```
 */
export type UnixSocketAppServerOptions = WebSocketAppServerOptions;

/**
 * A running `codex app-server --listen unix://PATH`.
 *
 * @example
 * ```ts ignore
 * import { startUnixSocketAppServer } from "./unix_socket_app_server.ts";
 * await using server = await startUnixSocketAppServer({ codexHome: "/path/to/home" });
 * console.log(server.socket); // connect with { socket: server.socket }
 * ```
 */
export interface UnixSocketAppServer extends AsyncDisposable {
  /** The socket path to pass as `Codex.connect({ socket })`. */
  readonly socket: string;
  /** The process id. */
  readonly pid: number;
  /** The redacted stderr tail. */
  stderrTail(): string;
  /** Kills the process (SIGKILL) without waiting. */
  kill(): void;
  /** Stops the process (SIGTERM, then SIGKILL) and removes its folder. */
  close(): Promise<void>;
}

/**
 * Spawns the pinned `codex app-server` listening on a unix socket in a fresh private folder, and
 * resolves once the socket accepts connections.
 *
 * @example
 * ```ts ignore
 * import { startUnixSocketAppServer } from "./unix_socket_app_server.ts";
 * await using server = await startUnixSocketAppServer({ codexHome: "/path/to/home" });
 * ```
 */
export async function startUnixSocketAppServer(
  options: UnixSocketAppServerOptions = {},
): Promise<UnixSocketAppServer> {
  const dir = await runtime.fs.makeTempDir({ prefix: "codex-worker-sock-" });
  const socket = `${dir}/app-server.sock`;
  const env: Record<string, string> = { ...options.env };
  if (options.codexHome) env.CODEX_HOME = options.codexHome;
  const child = await runtime.spawn({
    command: resolveCodexBinary(options.codexPath),
    args: ["app-server", ...configToArgs(options.config ?? {}), "--listen", `unix://${socket}`],
    env,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  });
  const tail = new StderrTail(80, []);
  const stderrDone = (async () => {
    for await (const text of child.stderr) tail.push(text);
  })();
  let exited = false;
  child.status.then(() => exited = true);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await stopChild(child);
    await stderrDone;
    await runtime.fs.remove(dir).catch(() => {});
  };
  const deadline = Date.now() + (options.startTimeoutMs ?? 20_000);
  while (!(await accepts(socket))) {
    if (exited || Date.now() > deadline) {
      await close();
      throw new Error(
        `codex app-server ${exited ? "exited" : "did not listen in time"}\n${tail.text()}`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    socket,
    pid: child.pid,
    stderrTail: () => tail.text(),
    kill: () => signal(child, "SIGKILL"),
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** Whether the app-server at the unix socket `path` accepts a WebSocket now. */
function accepts(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = openUnixWebSocket(path);
    socket.onopen = () => {
      socket.onclose = () => resolve(true);
      socket.close();
    };
    socket.onerror = () => {};
    socket.onclose = () => resolve(false);
  });
}
