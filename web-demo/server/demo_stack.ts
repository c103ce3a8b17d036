/**
 * Everything the web demo runs on, in one object: the scripted offline model, a hermetic
 * CODEX_HOME pointing at it, a scratch workspace (the threads' working directory, with a sample
 * file to edit) and the bridge, which spawns the real `codex app-server` and serves the built
 * page.
 *
 * @module
 */
import { BridgeServer } from "../../src/bridge/mod.ts";
import { type CodexHome, ResponsesModelServer, writeCodexHome } from "../../src/testing/mod.ts";
import { demoReply, SAMPLE_FILES } from "./offline_model.ts";

/**
 * Options of {@link startDemoStack}.
 *
 * @example
 * ```ts
 * import type { DemoStackOptions } from "./demo_stack.ts";
 * const options: DemoStackOptions = { port: 8787, staticDir: "web-demo/dist" };
 * ```
 */
export interface DemoStackOptions {
  /** Bridge port on 127.0.0.1 (default 0: any free port). */
  readonly port?: number;
  /** The built page to serve (default: `web-demo/dist` next to this file). */
  readonly staticDir?: string;
  /** Extra allowed origins (e.g. a vite dev server). */
  readonly allowedOrigins?: readonly string[];
  /** Receives the bridge's connection log lines. */
  readonly log?: (line: string) => void;
}

/**
 * The running demo: `pageUrl` is what to open in a browser.
 *
 * @example
 * ```ts ignore
 * import { startDemoStack } from "./demo_stack.ts";
 * await using stack = await startDemoStack();
 * console.log(stack.bridge.pageUrl);
 * ```
 */
export interface DemoStack extends AsyncDisposable {
  /** The bridge (page, session endpoint and WebSocket relay). */
  readonly bridge: BridgeServer;
  /** The scripted model server. */
  readonly model: ResponsesModelServer;
  /** The hermetic CODEX_HOME (threads are stored here, so they can be resumed). */
  readonly home: CodexHome;
  /** The threads' working directory. */
  readonly workspace: string;
  /** Stops everything and removes the temporary directories. */
  close(): Promise<void>;
}

/** The default location of the built page. */
export const DEFAULT_STATIC_DIR = new URL("../dist", import.meta.url).pathname;

/**
 * Starts the model server, writes CODEX_HOME, and starts the bridge (which spawns the
 * app-server). Everything started is stopped again if a later step fails.
 *
 * @example
 * ```ts ignore
 * import { startDemoStack } from "./demo_stack.ts";
 * const stack = await startDemoStack({ port: 8787 });
 * try {
 *   console.log(`open ${stack.bridge.pageUrl}/`);
 * } finally {
 *   await stack.close();
 * }
 * ```
 */
export async function startDemoStack(options: DemoStackOptions = {}): Promise<DemoStack> {
  const cleanups: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
  };
  try {
    const model = await ResponsesModelServer.start({ fallback: demoReply });
    cleanups.push(() => model.close());
    const home = await writeCodexHome({ modelServerUrl: model.url });
    cleanups.push(() => home.cleanup());
    const workspace = await Deno.makeTempDir({ dir: home.dir, prefix: "workspace_" });
    for (const [name, content] of Object.entries(SAMPLE_FILES)) {
      await Deno.writeTextFile(`${workspace}/${name}`, content);
    }
    const bridge = await BridgeServer.start({
      port: options.port,
      staticDir: options.staticDir ?? DEFAULT_STATIC_DIR,
      allowedOrigins: options.allowedOrigins,
      appServer: { codexHome: home.dir, cwd: workspace },
      log: options.log,
    });
    cleanups.push(() => bridge.close());
    return { bridge, model, home, workspace, close, [Symbol.asyncDispose]: close };
  } catch (err) {
    await close();
    throw err;
  }
}
