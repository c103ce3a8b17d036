/**
 * What differs between runtimes (Deno, browsers, Node), as small interfaces. The rest of the SDK
 * imports these and the adapter {@link ./current.ts} picked; only the adapters (`deno.ts`,
 * `browser.ts`, ...) touch a runtime's own API.
 *
 * @module
 */

/** A signal the SDK sends to, or listens for on, a process. */
export type ProcessSignal = "SIGINT" | "SIGTERM" | "SIGKILL" | "SIGHUP" | "SIGBREAK";

/**
 * How to spawn a process. `env` is merged over the parent's environment.
 *
 * @example
 * ```ts
 * import type { SpawnOptions } from "./runtime.ts";
 * const options: SpawnOptions = { command: "codex", args: ["app-server"], stderr: "piped" };
 * console.assert(options.stdin === undefined); // "piped" by default
 * ```
 */
export interface SpawnOptions {
  /** The executable. */
  readonly command: string;
  /** Its arguments. */
  readonly args?: readonly string[];
  /** Variables set over the parent's environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** The working directory. */
  readonly cwd?: string;
  /** `"piped"` (default) or `"null"`. */
  readonly stdin?: "piped" | "null";
  /** `"piped"` (default) or `"null"`. */
  readonly stdout?: "piped" | "null";
  /** `"piped"` (default) or `"null"`. */
  readonly stderr?: "piped" | "null";
}

/**
 * How a process ended: an exit code, or the signal that killed it.
 *
 * @example
 * ```ts
 * import type { ProcessStatus } from "./runtime.ts";
 * const killed: ProcessStatus = { code: null, signal: "SIGKILL" };
 * console.assert(killed.code === null);
 * ```
 */
export interface ProcessStatus {
  /** The exit code, `null` when a signal ended it. */
  readonly code: number | null;
  /** The signal that ended it, else `null`. */
  readonly signal: string | null;
}

/**
 * A spawned process. Its output streams are UTF-8 text, decoded by the adapter; a stream that
 * was not piped is empty.
 *
 * @example Run a process and read what it prints
 * ```ts
 * import { runtime } from "./current.ts";
 * const child = await runtime.spawn({ command: "echo", args: ["hi"], stdin: "null" });
 * let out = "";
 * for await (const text of child.stdout) out += text;
 * if (out !== "hi\n" || (await child.status).code !== 0) throw new Error("unexpected");
 * ```
 */
export interface ChildProcess {
  /** The process id. */
  readonly pid: number;
  /** Its standard output, as text chunks. */
  readonly stdout: AsyncIterable<string>;
  /** Its standard error, as text chunks. */
  readonly stderr: AsyncIterable<string>;
  /** Resolves once the process has exited. */
  readonly status: Promise<ProcessStatus>;
  /** Writes to its standard input; a write after the process is gone is dropped. */
  write(text: string): void;
  /** Closes its standard input (the end of input); resolves once closed. */
  closeStdin(): Promise<void>;
  /** Sends a signal (default `SIGKILL`); does nothing once the process is gone. */
  kill(signal?: ProcessSignal): void;
}

/**
 * Options of {@link Runtime.openWebSocket}.
 *
 * @example
 * ```ts
 * import type { WebSocketOptions } from "./runtime.ts";
 * const options: WebSocketOptions = { headers: { authorization: "Bearer t" } };
 * console.assert(options.protocols === undefined);
 * ```
 */
export interface WebSocketOptions {
  /** Subprotocols to offer. */
  readonly protocols?: readonly string[];
  /** Request headers (only where {@link Runtime.webSocketHeaders} is true). */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * The server's side of an accepted WebSocket upgrade: the socket (open once the `open` event
 * fires) and the response to return from the handler.
 *
 * @example
 * ```ts
 * import { runtime } from "./current.ts";
 * import type { UpgradedWebSocket } from "./runtime.ts";
 * const greet = (u: UpgradedWebSocket) =>
 *   u.socket.addEventListener("open", () => u.socket.send("hi"));
 * const server = await runtime.serve({}, (request, context) => {
 *   const upgraded = context.upgradeWebSocket(request);
 *   greet(upgraded);
 *   return upgraded.response;
 * });
 * const ws = new WebSocket(`ws://127.0.0.1:${server.port}/`);
 * const greeting = await new Promise((resolve) => ws.onmessage = (e) => resolve(e.data));
 * await new Promise((resolve) => (ws.onclose = resolve, ws.close()));
 * await server.shutdown();
 * if (greeting !== "hi") throw new Error(`got ${greeting}`);
 * ```
 */
export interface UpgradedWebSocket {
  /** The server-side socket. */
  readonly socket: WebSocket;
  /** What the request handler returns. */
  readonly response: Response;
}

/**
 * What a request handler can do besides answering: upgrade to a WebSocket.
 *
 * @example
 * ```ts
 * import { runtime } from "./current.ts";
 * import type { RequestContext } from "./runtime.ts";
 * const handler = (request: Request, context: RequestContext) =>
 *   request.headers.get("upgrade") === "websocket"
 *     ? context.upgradeWebSocket(request).response
 *     : new Response("plain HTTP");
 * const server = await runtime.serve({}, handler);
 * const text = await (await fetch(`http://127.0.0.1:${server.port}/`)).text();
 * await server.shutdown();
 * if (text !== "plain HTTP") throw new Error(`got ${text}`);
 * ```
 */
export interface RequestContext {
  /** Accepts the request's WebSocket upgrade, answering with `protocol` when given. */
  upgradeWebSocket(request: Request, options?: { protocol?: string }): UpgradedWebSocket;
}

/**
 * Answers one HTTP request (`request.signal` aborts when the client goes away).
 *
 * @example
 * ```ts
 * import type { RequestHandler } from "./runtime.ts";
 * const handler: RequestHandler = (request) => new Response(new URL(request.url).pathname);
 * const context = { upgradeWebSocket: () => ({}) as never };
 * const answer = await handler(new Request("http://127.0.0.1/health"), context);
 * if (await answer.text() !== "/health") throw new Error("the handler echoes the path");
 * ```
 */
export type RequestHandler = (
  request: Request,
  context: RequestContext,
) => Response | Promise<Response>;

/**
 * Where {@link Runtime.serve} listens: loopback by default.
 *
 * @example
 * ```ts
 * import type { ServeOptions } from "./runtime.ts";
 * const options: ServeOptions = { port: 0 };
 * console.assert(options.hostname === undefined); // 127.0.0.1
 * ```
 */
export interface ServeOptions {
  /** Default `127.0.0.1`. */
  readonly hostname?: string;
  /** Default 0: any free port. */
  readonly port?: number;
}

/**
 * A listening HTTP (+ WebSocket) server.
 *
 * @example
 * ```ts
 * import { runtime } from "./current.ts";
 * const server = await runtime.serve({}, () => new Response("ok"));
 * const text = await (await fetch(`http://127.0.0.1:${server.port}/`)).text();
 * await server.shutdown();
 * if (text !== "ok") throw new Error("unexpected");
 * ```
 */
export interface HttpServer {
  /** The port it listens on. */
  readonly port: number;
  /** Stops listening and resolves once every connection is done. */
  shutdown(): Promise<void>;
}

/**
 * The part of a `Worker` (or a port) that comlink and the SDK's streams use.
 *
 * @example
 * ```ts
 * import type { MessageEndpoint } from "./runtime.ts";
 * const { port1 } = new MessageChannel();
 * const endpoint: MessageEndpoint = port1;
 * endpoint.addEventListener("message", () => {});
 * port1.close();
 * ```
 */
export interface MessageEndpoint {
  /** Posts a message, transferring `transfer`. */
  postMessage(message: unknown, transfer?: unknown[]): void;
  /** Adds a `message` listener. */
  addEventListener(type: "message", listener: (event: MessageEvent) => void): void;
  /** Removes a `message` listener. */
  removeEventListener(type: "message", listener: (event: MessageEvent) => void): void;
}

/**
 * The SDK's router Worker, started by {@link Runtime.startCodexWorker}.
 *
 * @example
 * ```ts
 * import { runtime } from "./current.ts";
 * import type { WorkerHandle } from "./runtime.ts";
 * const worker: WorkerHandle = runtime.startCodexWorker();
 * const failures: string[] = [];
 * worker.onError((message) => failures.push(message));
 * worker.terminate(); // stopping it is not a failure
 * if (failures.length > 0) throw new Error(failures.join("\n"));
 * ```
 */
export interface WorkerHandle {
  /** Messages to and from the Worker. */
  readonly endpoint: MessageEndpoint;
  /** Calls `listener` when the Worker fails (an uncaught error or a failed load). */
  onError(listener: (message: string) => void): void;
  /** Stops the Worker at once. */
  terminate(): void;
}

/**
 * Files and directories (paths are native paths).
 *
 * @example
 * ```ts
 * import { runtime } from "./current.ts";
 * const dir = await runtime.fs.makeTempDir({ prefix: "example_" });
 * await runtime.fs.writeTextFile(`${dir}/a.txt`, "hi", { mode: 0o600 });
 * const ok = runtime.fs.isFile(`${dir}/a.txt`);
 * await runtime.fs.remove(dir);
 * if (!ok) throw new Error("unexpected");
 * ```
 */
export interface FileSystem {
  /** Creates a fresh private directory (in `dir`, default the system's temp dir). */
  makeTempDir(options?: { dir?: string; prefix?: string }): Promise<string>;
  /** Creates a directory and its parents; an existing one is fine. */
  mkdir(path: string): Promise<void>;
  /** Reads a whole file. */
  readFile(path: string): Promise<Uint8Array>;
  /** Writes a text file (with `mode` when given). */
  writeTextFile(path: string, text: string, options?: { mode?: number }): Promise<void>;
  /** Removes a file or a directory with its contents. */
  remove(path: string): Promise<void>;
  /** Whether `path` is an existing file (following links). */
  isFile(path: string): boolean;
  /** The canonical path (links resolved); throws when it does not exist. */
  realPath(path: string): string;
  /** The current working directory, or `undefined` when it cannot be read. */
  cwd(): string | undefined;
}

/**
 * One runtime's implementation of everything the SDK needs from it. Where a runtime lacks a
 * capability (a browser spawns no process), its method throws a `NotSupportedError`
 * `DOMException` that says so.
 *
 * @example
 * ```ts
 * import { runtime } from "./current.ts";
 * console.assert(["deno", "browser", "node"].includes(runtime.name));
 * ```
 */
export interface Runtime {
  /** Which runtime. */
  readonly name: "deno" | "browser" | "node";
  /** `linux`, `darwin`, `windows`... (`browser` in a browser). */
  readonly os: string;
  /** `x86_64`, `aarch64`... (empty in a browser). */
  readonly arch: string;
  /** Spawns a process; rejects when it cannot start. */
  spawn(options: SpawnOptions): Promise<ChildProcess>;
  /** Whether {@link Runtime.openWebSocket} can send request headers (browsers cannot). */
  readonly webSocketHeaders: boolean;
  /** Opens a client WebSocket. */
  openWebSocket(url: string, options?: WebSocketOptions): WebSocket;
  /** Starts the SDK's router Worker (`worker/codex_worker.ts`). */
  startCodexWorker(): WorkerHandle;
  /** Inside a Worker: its channel to the thread that started it. */
  workerScope(): MessageEndpoint;
  /** Serves HTTP and WebSocket upgrades (on 127.0.0.1 unless told otherwise). */
  serve(options: ServeOptions, handler: RequestHandler): Promise<HttpServer>;
  /** The program's command-line arguments (after the program's own path). */
  args(): readonly string[];
  /** An environment variable (`undefined` when unset). */
  env(name: string): string | undefined;
  /** Files and directories. */
  readonly fs: FileSystem;
  /** Calls `listener` on `signal`; returns a function that stops listening. */
  onSignal(signal: ProcessSignal, listener: () => void): () => void;
  /**
   * Calls `listener` once when a process that launched this one exits (an ancestor in its
   * process group, e.g. `npm exec` above `deno task`); returns a function that stops watching.
   * Where this cannot be known (browsers, not Linux) it never calls.
   */
  onLauncherExit(listener: () => void): () => void;
  /** Ends the process with `code`. */
  exit(code: number): never;
}
