/**
 * The browser adapter: WebSockets without headers, module Web Workers, and nothing that needs a
 * process or a file system (those throw a `NotSupportedError`).
 *
 * @module
 */
import type { FileSystem, MessageEndpoint, Runtime } from "./runtime.ts";
import { startWebWorker } from "./web_worker.ts";

function unsupported(what: string): DOMException {
  return new DOMException(`${what} is not possible in a browser`, "NotSupportedError");
}

function refuse(what: string): () => never {
  return () => {
    throw unsupported(what);
  };
}

const fs: FileSystem = {
  makeTempDir: () => Promise.reject(unsupported("Creating a directory")),
  mkdir: () => Promise.reject(unsupported("Creating a directory")),
  readFile: () => Promise.reject(unsupported("Reading a file")),
  writeTextFile: () => Promise.reject(unsupported("Writing a file")),
  remove: () => Promise.reject(unsupported("Removing a file")),
  isFile: () => false,
  realPath: refuse("Reading the file system"),
  cwd: () => undefined,
};

/**
 * The runtime of browsers.
 *
 * @example
 * ```ts
 * import { browserRuntime } from "./browser.ts";
 * const spawned = await browserRuntime.spawn({ command: "codex" }).catch((e) => e);
 * if (!(spawned instanceof DOMException) || spawned.name !== "NotSupportedError") {
 *   throw new Error("unexpected");
 * }
 * ```
 */
export const browserRuntime: Runtime = {
  name: "browser",
  os: "browser",
  arch: "",
  spawn: () =>
    Promise.reject(unsupported("Starting codex app-server (connect with a url instead)")),
  webSocketHeaders: false,
  openWebSocket(url, options = {}) {
    if (options.headers && Object.keys(options.headers).length > 0) {
      throw unsupported("Sending WebSocket headers");
    }
    return new WebSocket(url, options.protocols ? [...options.protocols] : undefined);
  },
  startCodexWorker: startWebWorker,
  workerScope: () => globalThis as unknown as MessageEndpoint,
  serve: () => Promise.reject(unsupported("Serving HTTP")),
  args: () => [],
  env: () => undefined,
  fs,
  onSignal: () => () => {},
  onLauncherExit: () => () => {},
  exit: refuse("Exiting the process"),
};
