/**
 * {@link AppServerProcess}: a `codex app-server` the bridge spawns, listening on a WebSocket on
 * 127.0.0.1 and protected by a capability token that only the bridge knows.
 *
 * @module
 */
import { ConnectError } from "../errors/errors.ts";
import { runtime } from "../runtime/current.ts";
import type { ChildProcess } from "../runtime/runtime.ts";
import { resolveCodexBinary } from "../transport/codex_binary.ts";
import { StderrTail } from "../transport/stderr_tail.ts";
import { generateToken, sha256Hex } from "./token.ts";

/**
 * Options of {@link AppServerProcess.spawn}.
 *
 * @example
 * ```ts
 * import type { AppServerProcessOptions } from "./app_server_process.ts";
 * const options: AppServerProcessOptions = { codexHome: "/home/me/.cache/codex-demo" };
 * ```
 */
export interface AppServerProcessOptions {
  /** Path of the codex binary; default: the pinned npm `@openai/codex` binary. */
  readonly codexPath?: string;
  /** `CODEX_HOME` of the app-server (default: inherited). */
  readonly codexHome?: string;
  /** Extra environment variables. */
  readonly env?: Readonly<Record<string, string>>;
  /** Working directory. */
  readonly cwd?: string;
  /** Extra arguments after `app-server` (e.g. `-c key=value`). */
  readonly args?: readonly string[];
  /** How long to wait for `listening on:`, in ms (default 30 000). */
  readonly startTimeoutMs?: number;
  /**
   * Scheduling niceness of the app-server (0–19, default 10): an agent server that floods
   * events must not starve the browser that renders them on the same machine. 0 disables it.
   */
  readonly niceness?: number;
}

/** How the app-server process ended. */
export interface AppServerExit {
  /** Exit code (`null` when killed by a signal). */
  readonly code: number | null;
  /** The signal that killed it, if any. */
  readonly signal: string | null;
}

// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;
const LISTENING = /listening on: (ws:\/\/127\.0\.0\.1:\d+)/;

/**
 * A spawned `codex app-server --listen ws://127.0.0.1:0 --ws-auth capability-token`. Its token is
 * random per spawn and passed to the process only as a SHA-256 digest; it stays in this object.
 *
 * @example Spawn, read the URL, stop
 * ```ts ignore
 * import { AppServerProcess } from "./app_server_process.ts";
 * await using server = await AppServerProcess.spawn({ codexHome: "/path/to/codex-home" });
 * console.log(server.url); // ws://127.0.0.1:<port>
 * ```
 */
export class AppServerProcess implements AsyncDisposable {
  /** `ws://127.0.0.1:<port>` of the listener. */
  readonly url: string;
  /** The bearer token the listener accepts (never sent to a browser). */
  readonly token: string;
  /** Resolves when the process has exited. */
  readonly exited: Promise<AppServerExit>;
  readonly #child: ChildProcess;
  readonly #stderr: StderrTail;
  #exit: AppServerExit | undefined;

  private constructor(
    child: ChildProcess,
    url: string,
    token: string,
    stderr: StderrTail,
    exited: Promise<AppServerExit>,
  ) {
    this.#child = child;
    this.url = url;
    this.token = token;
    this.#stderr = stderr;
    this.exited = exited.then((exit) => (this.#exit = exit));
  }

  /** Spawns the app-server and resolves once it listens; rejects with `ConnectError` otherwise. */
  static async spawn(options: AppServerProcessOptions = {}): Promise<AppServerProcess> {
    const token = generateToken();
    const command = resolveCodexBinary(options.codexPath);
    const env: Record<string, string> = { ...options.env, NO_COLOR: "1" };
    if (options.codexHome) env.CODEX_HOME = options.codexHome;
    const niceness = Math.max(0, Math.min(19, Math.trunc(options.niceness ?? 10)));
    const nice = niceness > 0 ? findNice() : undefined;
    const child = await runtime.spawn({
      command: nice ?? command,
      args: [
        ...(nice ? ["-n", String(niceness), command] : []),
        "app-server",
        "--listen",
        "ws://127.0.0.1:0",
        "--ws-auth",
        "capability-token",
        "--ws-token-sha256",
        await sha256Hex(token),
        ...(options.args ?? []),
      ],
      env,
      cwd: options.cwd,
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    });
    const stderr = new StderrTail(60, [token]);
    const exited: Promise<AppServerExit> = child.status;
    let announce!: (url: string) => void;
    const listening = new Promise<string>((resolve) => announce = resolve);
    const drained = (async () => {
      let seen = "";
      let found = false;
      for await (const chunk of child.stderr) {
        stderr.push(chunk);
        if (found) continue;
        seen = (seen + chunk.replace(ANSI, "")).slice(-4096);
        const match = LISTENING.exec(seen);
        if (match) {
          found = true;
          announce(match[1]);
        }
      }
    })();
    drained.catch(() => {});
    const timeoutMs = options.startTimeoutMs ?? 30_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const failure = Promise.race([
      exited.then((exit) => `exited with code ${exit.code ?? exit.signal}`),
      new Promise<string>((resolve) => {
        timer = setTimeout(() => resolve(`did not listen within ${timeoutMs} ms`), timeoutMs);
      }),
    ]);
    try {
      const winner = await Promise.race([
        listening.then((url) => ({ url })),
        failure.then((reason) => ({ reason })),
      ]);
      if ("reason" in winner) {
        child.kill("SIGKILL");
        await child.status;
        await drained.catch(() => {});
        const tail = stderr.text();
        throw new ConnectError(
          `codex app-server ${winner.reason}${tail ? `; stderr:\n${tail}` : ""}`,
        );
      }
      const exitedAfterDrain = Promise.all([exited, drained.catch(() => {})]).then(([e]) => e);
      return new AppServerProcess(child, winner.url, token, stderr, exitedAfterDrain);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The exit status once the process has exited, else `undefined`. */
  get exitStatus(): AppServerExit | undefined {
    return this.#exit;
  }

  /** The last lines of the app-server's stderr (redacted). */
  stderrTail(): string {
    return this.#stderr.text();
  }

  /** Stops the process (SIGTERM, then SIGKILL if it is still there after `graceMs`). */
  async close(graceMs = 2_000): Promise<void> {
    if (this.#exit) return;
    this.#child.kill("SIGTERM");
    let timer: ReturnType<typeof setTimeout> | undefined;
    const killed = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.#child.kill("SIGKILL");
        resolve();
      }, graceMs);
    });
    await Promise.race([this.exited, killed]);
    clearTimeout(timer);
    await this.exited;
  }

  /** `await using server = ...` stops it. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/**
 * Describes an app-server exit for a close reason, e.g. `codex app-server exited (code 1)`.
 *
 * @example
 * ```ts
 * import { describeExit } from "./app_server_process.ts";
 * if (describeExit({ code: null, signal: "SIGKILL" }) !== "codex app-server exited (SIGKILL)") {
 *   throw new Error("unexpected");
 * }
 * ```
 */
export function describeExit(exit: AppServerExit): string {
  return `codex app-server exited (${exit.signal ?? `code ${exit.code}`})`;
}

function findNice(): string | undefined {
  return ["/usr/bin/nice", "/bin/nice"].find((path) => runtime.fs.isFile(path));
}
