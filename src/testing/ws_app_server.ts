import { runtime } from "../runtime/current.ts";
import { resolveCodexBinary } from "../transport/codex_binary.ts";
import { StderrTail } from "../transport/stderr_tail.ts";
import { configToArgs, type ConfigValue } from "../transport/config_args.ts";
import { signal, stopChild } from "./stop_child.ts";

/** Options of {@link startWebSocketAppServer}. */
export interface WebSocketAppServerOptions {
  /** `CODEX_HOME` of the app-server. */
  codexHome?: string;
  /** Config overrides (`-c key=value`). */
  config?: Record<string, ConfigValue>;
  /** The codex binary (default: the pinned one). */
  codexPath?: string;
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** How long to wait for the listener, in ms (default 20 000). */
  startTimeoutMs?: number;
}

/** A running `codex app-server --listen ws://…` with capability-token auth. */
export interface WebSocketAppServer extends AsyncDisposable {
  /** `ws://127.0.0.1:PORT`. */
  readonly url: string;
  /** The bearer token it requires. */
  readonly token: string;
  /** The process id. */
  readonly pid: number;
  /** The redacted stderr tail. */
  stderrTail(): string;
  /** Kills the process (SIGKILL) without waiting. */
  kill(): void;
  /** Stops the process (SIGTERM, then SIGKILL) and removes its token file. */
  close(): Promise<void>;
}

/**
 * Spawns the pinned `codex app-server` listening on `ws://127.0.0.1:<free port>` with a random
 * capability token (written to a private temp file), and resolves once it listens.
 *
 * @example Connect the SDK to it over WebSocket
 * ```ts
 * import { Codex } from "../../mod.ts";
 * import { startWebSocketAppServer } from "./ws_app_server.ts";
 * import { writeCodexHome } from "./codex_home.ts";
 * await using home = await writeCodexHome({ modelServerUrl: "http://127.0.0.1:9/v1" });
 * await using server = await startWebSocketAppServer({ codexHome: home.dir });
 * await using codex = await Codex.connect({ url: server.url, token: server.token });
 * if (codex.metadata.codexHome !== home.dir) throw new Error(codex.metadata.codexHome);
 * ```
 */
export async function startWebSocketAppServer(
  options: WebSocketAppServerOptions = {},
): Promise<WebSocketAppServer> {
  const token = randomToken();
  const tokenDir = await runtime.fs.makeTempDir({ prefix: "codex-worker-ws-" });
  const tokenFile = `${tokenDir}/token`;
  await runtime.fs.writeTextFile(tokenFile, token, { mode: 0o600 });
  const env: Record<string, string> = { ...options.env };
  if (options.codexHome) env.CODEX_HOME = options.codexHome;
  const child = await runtime.spawn({
    command: resolveCodexBinary(options.codexPath),
    args: [
      "app-server",
      ...configToArgs(options.config ?? {}),
      "--listen",
      "ws://127.0.0.1:0",
      "--ws-auth",
      "capability-token",
      "--ws-token-file",
      tokenFile,
    ],
    env,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  });
  const tail = new StderrTail(80, [token]);
  let resolveUrl!: (url: string) => void;
  const urlFound = new Promise<string>((r) => resolveUrl = r);
  const stderrDone = (async () => {
    let seen = "";
    for await (const text of child.stderr) {
      tail.push(text);
      if (seen.length < 65536) {
        seen += text;
        const match = /listening on: (ws:\/\/127\.0\.0\.1:\d+)/.exec(seen);
        if (match) resolveUrl(match[1]);
      }
    }
  })();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const failed = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`codex app-server did not listen in time\n${tail.text()}`)),
      options.startTimeoutMs ?? 20_000,
    );
    child.status.then((status) =>
      reject(new Error(`codex app-server exited with code ${status.code}\n${tail.text()}`))
    );
  });
  failed.catch(() => {});
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    await stopChild(child);
    await stderrDone;
    await runtime.fs.remove(tokenDir).catch(() => {});
  };
  let url: string;
  try {
    url = await Promise.race([urlFound, failed]);
  } catch (err) {
    await close();
    throw err;
  } finally {
    clearTimeout(timer);
  }
  return {
    url,
    token,
    pid: child.pid,
    stderrTail: () => tail.text(),
    kill: () => signal(child, "SIGKILL"),
    close,
    [Symbol.asyncDispose]: close,
  };
}

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
