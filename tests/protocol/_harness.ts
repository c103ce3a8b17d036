import { Codex, type CodexOptions } from "../../mod.ts";
import {
  type CodexHome,
  functionCallOutputs,
  type ModelRequest,
  reply,
  ResponsesModelServer,
  type ScriptStep,
  writeCodexHome,
} from "../../src/testing/mod.ts";

/** A real app-server (spawned, pinned) against the offline model, torn down by `await using`. */
export interface Harness extends AsyncDisposable {
  model: ResponsesModelServer;
  home: CodexHome;
  codex: Codex;
  /** Connects another client to a fresh app-server on the same CODEX_HOME. */
  connect(options?: CodexOptions): Promise<Codex>;
}

/** Starts the model server, a CODEX_HOME and one connected `Codex`. */
export async function startHarness(
  options: CodexOptions & { script?: ScriptStep[] } = {},
): Promise<Harness> {
  const { script, ...codexOptions } = options;
  const model = await ResponsesModelServer.start({ script });
  const home = await writeCodexHome({ modelServerUrl: model.url });
  const connect = (more: CodexOptions = {}) =>
    Codex.connect({ codexHome: home.dir, worker: false, ...codexOptions, ...more });
  let codex: Codex;
  try {
    codex = await connect();
  } catch (err) {
    await home.cleanup();
    await model.close();
    throw err;
  }
  return {
    model,
    home,
    codex,
    connect,
    async [Symbol.asyncDispose]() {
      await codex.close();
      await home.cleanup();
      await model.close();
    },
  };
}

/** The text of the first `function_call_output` in a model request (what the tool returned). */
export function toolOutputText(request: ModelRequest): string {
  const output = functionCallOutputs(request)[0]?.output;
  return typeof output === "string" ? output : JSON.stringify(output ?? "");
}

/**
 * The model script of a one-command turn: call `exec_command` with `cmd`, then, once codex sends
 * the tool's output back, answer with text that quotes it (`tool said: …`).
 */
export function commandScript(cmd: string, callId: string): ScriptStep[] {
  return [
    reply.functionCall({ name: "exec_command", arguments: { cmd, login: false }, callId }),
    (request) => reply.text(`tool said: ${toolOutputText(request).slice(0, 400)}`),
  ];
}
