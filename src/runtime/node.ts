/**
 * The Node adapter: processes with `node:child_process` (on Linux, killed when the thread that
 * spawned them dies: `node_process_guard.ts`), WebSockets with the `ws` client (it
 * sends headers, and Node 20 has no `WebSocket` global), HTTP + WebSocket serving with
 * `node:http` and `ws` ({@link ./node_serve.ts}), the router in a `node:worker_threads` Worker
 * ({@link ./node_worker.ts}), `process.env` and the file system.
 *
 * @module
 */
import { spawn as nodeSpawn } from "node:child_process";
import { realpathSync, statSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { join } from "node:path";
import process from "node:process";
import { nodeDieWithParent, nodeOnLauncherExit } from "./node_process_guard.ts";
import { nodeWorkerScope, startNodeWorker } from "./node_worker.ts";
import type {
  ChildProcess,
  FileSystem,
  ProcessSignal,
  ProcessStatus,
  Runtime,
  SpawnOptions,
} from "./runtime.ts";

type Readable = NodeJS.ReadableStream & AsyncIterable<string>;

function text(stream: Readable | null): AsyncIterable<string> {
  if (!stream) return (async function* () {})();
  stream.setEncoding("utf8"); // decodes across chunk boundaries, like TextDecoderStream
  return stream;
}

async function spawn(options: SpawnOptions): Promise<ChildProcess> {
  // On Linux the child dies with the thread that spawned it (see node_process_guard.ts).
  const line = await nodeDieWithParent(options.command, options.args ?? [], options.env);
  return new Promise((resolve, reject) => {
    const mode = (m: "piped" | "null" | undefined) => (m === "null" ? "ignore" : "pipe");
    const child = nodeSpawn(line.command, [...line.args], {
      env: options.env ? { ...process.env, ...options.env } : process.env,
      cwd: options.cwd,
      stdio: [mode(options.stdin), mode(options.stdout), mode(options.stderr)],
      windowsHide: true,
    });
    const status = new Promise<ProcessStatus>((settle) => {
      child.once("exit", (code, signal) => settle({ code: signal ? null : code, signal }));
    });
    const stdin = child.stdin;
    stdin?.on("error", () => {}); // a write after the process is gone is dropped
    child.once("error", (err) => reject(err)); // cannot start (ENOENT, EACCES): before "spawn"
    child.once("spawn", () => {
      child.removeAllListeners("error");
      child.on("error", () => {}); // later failures (a kill after exit) change nothing
      resolve({
        pid: child.pid!,
        stdout: text(child.stdout as Readable | null),
        stderr: text(child.stderr as Readable | null),
        status,
        write: (data) => {
          if (stdin && !stdin.destroyed && stdin.writable) stdin.write(data);
        },
        closeStdin: () =>
          new Promise<void>((done) => {
            if (!stdin || stdin.destroyed || stdin.writableEnded) return done();
            stdin.end(() => done());
            stdin.once("error", () => done());
          }),
        kill: (signal: ProcessSignal = "SIGKILL") => {
          try {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          } catch { /* already gone */ }
        },
      });
    });
  });
}

const fs: FileSystem = {
  makeTempDir: (options = {}) => mkdtemp(join(options.dir ?? tmpdir(), options.prefix ?? "tmp")),
  mkdir: async (path) => {
    await mkdir(path, { recursive: true });
  },
  readFile: async (path) => new Uint8Array(await readFile(path)),
  writeTextFile: (path, text, options) => writeFile(path, text, { mode: options?.mode }),
  remove: (path) => rm(path, { recursive: true }),
  isFile(path) {
    try {
      return statSync(path).isFile();
    } catch {
      return false;
    }
  },
  realPath: (path) => realpathSync(path),
  cwd() {
    try {
      return process.cwd();
    } catch {
      return undefined; // deleted under us
    }
  },
};

/**
 * The `ws` client, loaded on first use: loading it takes longer than anything else at start-up
 * (it brings `https`, `tls`, `zlib`...), and a stdio connection never needs it (neither does the
 * worker thread's boot, which spawns the app-server).
 */
let NodeWebSocket:
  | (new (url: string, protocols?: string[], options?: unknown) => unknown)
  | undefined;
const load = createRequire(import.meta.url);

const OS: Record<string, string> = { win32: "windows" };
const ARCH: Record<string, string> = { x64: "x86_64", arm64: "aarch64" };

/**
 * The runtime of Node (20 and later).
 *
 * @example
 * ```ts
 * import { nodeRuntime } from "./node.ts";
 * if (nodeRuntime.env("PATH") === undefined) throw new Error("no PATH");
 * ```
 */
export const nodeRuntime: Runtime = {
  name: "node",
  os: OS[process.platform] ?? process.platform,
  arch: ARCH[process.arch] ?? process.arch,
  spawn,
  webSocketHeaders: true,
  openWebSocket(url, options = {}) {
    const protocols = options.protocols ? [...options.protocols] : undefined;
    NodeWebSocket ??= load("ws") as typeof NodeWebSocket & object;
    const socket = new NodeWebSocket(url, protocols, { headers: { ...options.headers } });
    return socket as unknown as WebSocket;
  },
  startCodexWorker: startNodeWorker,
  workerScope: nodeWorkerScope,
  // Loaded on first use, like `ws` (which it needs).
  serve: async (options, handler) => (await import("./node_serve.ts")).serveNode(options, handler),
  args: () => process.argv.slice(2),
  env: (name) => process.env[name],
  fs,
  onSignal(signal, listener) {
    process.on(signal, listener);
    return () => void process.off(signal, listener);
  },
  onLauncherExit: nodeOnLauncherExit,
  exit: (code) => process.exit(code),
};
