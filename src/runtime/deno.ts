/**
 * The Deno adapter: processes with `Deno.Command` (on Linux, killed when the process that spawned
 * them dies: `deno_parent_death.ts`), `Deno.serve`, Deno's `WebSocket` (which can
 * send headers), module Web Workers, `Deno.env` and the file system.
 *
 * @module
 */
import type {
  ChildProcess,
  FileSystem,
  MessageEndpoint,
  ProcessSignal,
  ProcessStatus,
  Runtime,
  SpawnOptions,
} from "./runtime.ts";
import { onLauncherExit } from "./deno_launchers.ts";
import { dieWithParent } from "./deno_parent_death.ts";
import { startWebWorker } from "./web_worker.ts";

const encoder = new TextEncoder();

function text(stream: ReadableStream<Uint8Array> | null): AsyncIterable<string> {
  if (!stream) return (async function* () {})();
  return stream.pipeThrough(new TextDecoderStream() as TransformStream<Uint8Array, string>);
}

async function spawn(options: SpawnOptions): Promise<ChildProcess> {
  // On Linux the child dies with this process (see deno_parent_death.ts).
  const line = await dieWithParent(options.command, options.args ?? [], options.env);
  // An executor turns a synchronous failure (command not found) into a rejection.
  return new Promise((resolve) => {
    const piped = (mode: "piped" | "null" | undefined) => mode ?? "piped";
    const child = new Deno.Command(line.command, {
      args: [...line.args],
      env: options.env ? { ...options.env } : undefined,
      cwd: options.cwd,
      stdin: piped(options.stdin),
      stdout: piped(options.stdout),
      stderr: piped(options.stderr),
    }).spawn();
    const writer = options.stdin === "null" ? undefined : child.stdin.getWriter();
    writer?.closed.catch(() => {});
    const status: Promise<ProcessStatus> = child.status.then((s) => ({
      code: s.signal ? null : s.code,
      signal: s.signal,
    }));
    resolve({
      pid: child.pid,
      stdout: text(options.stdout === "null" ? null : child.stdout),
      stderr: text(options.stderr === "null" ? null : child.stderr),
      status,
      write: (data) => {
        writer?.write(encoder.encode(data)).catch(() => {});
      },
      closeStdin: async () => {
        await writer?.close().catch(() => {});
      },
      kill: (signal: ProcessSignal = "SIGKILL") => {
        try {
          child.kill(signal);
        } catch { /* already gone */ }
      },
    });
  });
}

const fs: FileSystem = {
  makeTempDir: (options) => Deno.makeTempDir(options),
  mkdir: (path) => Deno.mkdir(path, { recursive: true }),
  readFile: (path) => Deno.readFile(path),
  writeTextFile: (path, text, options) => Deno.writeTextFile(path, text, options),
  remove: (path) => Deno.remove(path, { recursive: true }),
  isFile(path) {
    try {
      return Deno.statSync(path).isFile;
    } catch {
      return false;
    }
  },
  realPath: (path) => Deno.realPathSync(path),
  cwd() {
    try {
      return Deno.cwd();
    } catch {
      return undefined; // no read access to it
    }
  },
};

/**
 * The runtime of Deno.
 *
 * @example
 * ```ts
 * import { denoRuntime } from "./deno.ts";
 * if (denoRuntime.env("PATH") === undefined) throw new Error("no PATH");
 * ```
 */
export const denoRuntime: Runtime = {
  name: "deno",
  get os() {
    return Deno.build.os;
  },
  get arch() {
    return Deno.build.arch;
  },
  spawn,
  webSocketHeaders: true,
  openWebSocket(url, options = {}) {
    const { protocols, headers } = options;
    // Deno's WebSocket takes headers (the app-server accepts credentials only as a header).
    const init = { protocols: protocols ? [...protocols] : undefined, headers };
    return new (WebSocket as unknown as new (url: string, init: unknown) => WebSocket)(url, init);
  },
  startCodexWorker: startWebWorker,
  workerScope: () => globalThis as unknown as MessageEndpoint,
  serve(options, handler) {
    return new Promise((resolve) => {
      const server = Deno.serve(
        { hostname: options.hostname ?? "127.0.0.1", port: options.port ?? 0, onListen: () => {} },
        (request) =>
          handler(request, {
            upgradeWebSocket: (req, upgrade) => Deno.upgradeWebSocket(req, upgrade),
          }),
      );
      resolve({
        port: server.addr.port,
        shutdown: async () => {
          await server.shutdown();
          await server.finished;
        },
      });
    });
  },
  args: () => Deno.args,
  env(name) {
    // Asking first: reading a variable without permission would prompt the user.
    const state = Deno.permissions.querySync({ name: "env", variable: name }).state;
    return state === "granted" ? Deno.env.get(name) : undefined;
  },
  fs,
  onSignal(signal, listener) {
    Deno.addSignalListener(signal as Deno.Signal, listener);
    return () => Deno.removeSignalListener(signal as Deno.Signal, listener);
  },
  onLauncherExit,
  exit: (code) => Deno.exit(code),
};
