/**
 * The offline setup shared by the benchmarks that run the real `codex app-server`: a scripted
 * Responses-API model server on 127.0.0.1, a hermetic CODEX_HOME pointing at it, and the pinned
 * binary's path.
 *
 * @module
 */

import { resolveCodexBinary } from "../../src/transport/codex_binary.ts";
import { type CodexHome, ResponsesModelServer, writeCodexHome } from "../../src/testing/mod.ts";

/** A running offline model and its CODEX_HOME. */
export interface Offline extends AsyncDisposable {
  /** The scripted model (echoes the last user message by default). */
  server: ResponsesModelServer;
  /** CODEX_HOME for every client of this run. */
  home: CodexHome;
  /** The pinned native codex binary. */
  bin: string;
  /** A scratch working directory for threads. */
  cwd: string;
}

/**
 * Starts the model server and writes the CODEX_HOME.
 *
 * @example
 * ```ts ignore
 * import { startOffline } from "./offline.ts";
 * await using offline = await startOffline();
 * console.log(offline.home.dir);
 * ```
 */
export async function startOffline(): Promise<Offline> {
  const server = await ResponsesModelServer.start();
  const home = await writeCodexHome({ modelServerUrl: server.url });
  const cwd = `${home.dir}/work`;
  await Deno.mkdir(cwd, { recursive: true });
  const dispose = async () => {
    await home.cleanup();
    await server.close();
  };
  return { server, home, bin: resolveCodexBinary(), cwd, [Symbol.asyncDispose]: dispose };
}
