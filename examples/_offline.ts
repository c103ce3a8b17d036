/**
 * Shared setup of the examples: by default each one runs offline — the real, pinned
 * `codex app-server` talks to a scripted local model ({@link ResponsesModelServer}) through a
 * throwaway CODEX_HOME. Pass `--real` to use your own Codex login and config instead.
 *
 * @module
 */
import process from "node:process";
import { Codex, type CodexOptions } from "../mod.ts";
import {
  type CodexHome,
  ResponsesModelServer,
  type ScriptStep,
  writeCodexHome,
} from "../src/testing/mod.ts";

/** True when the example was started with `--real`. */
export const REAL: boolean = process.argv.includes("--real");

/** A connected `Codex` plus the offline model it talks to (absent with `--real`). */
export interface Session extends AsyncDisposable {
  /** The connection. */
  codex: Codex;
  /** The scripted model (offline only): queue replies, read the requests codex sent. */
  model: ResponsesModelServer | undefined;
  /** The CODEX_HOME used offline (to reconnect to the same threads). */
  home: CodexHome | undefined;
  /** Connects another client with the same settings (same CODEX_HOME offline). */
  reconnect(options?: CodexOptions): Promise<Codex>;
}

/**
 * Connects to Codex: offline, with `script` as the model's replies (an empty script echoes the
 * prompt), or, with `--real`, with your own setup. Close it with `await using`.
 */
export async function connect(
  script: ScriptStep[] = [],
  options: CodexOptions = {},
): Promise<Session> {
  const model = REAL ? undefined : await ResponsesModelServer.start({ script });
  const home = model ? await writeCodexHome({ modelServerUrl: model.url }) : undefined;
  const reconnect = (more: CodexOptions = {}) =>
    Codex.connect({ ...(home ? { codexHome: home.dir } : {}), ...options, ...more });
  let codex: Codex;
  try {
    codex = await reconnect();
  } catch (err) {
    await home?.cleanup();
    await model?.close();
    throw err;
  }
  return {
    codex,
    model,
    home,
    reconnect,
    async [Symbol.asyncDispose]() {
      await codex.close();
      await home?.cleanup();
      await model?.close();
    },
  };
}
