/**
 * The stack of the turn-across-a-drop tests: the real app-server behind a cuttable proxy (the
 * client's WebSocket), and the model server behind a second proxy that can hold its stream at an
 * exact delta (so a turn is paused mid-message while the client is away, deterministically).
 */
import { Codex, type CodexOptions } from "../../mod.ts";
import {
  lastUserText,
  type ModelRequest,
  reply,
  ResponsesModelServer,
  startWebSocketAppServer,
  type WebSocketAppServer,
  writeCodexHome,
} from "../../src/testing/mod.ts";
import { scriptedModel } from "./_support.ts";
import { TcpProxy } from "./_tcp_proxy.ts";

/** The words a `words…` prompt streams, one delta each (`w01 ` … `w12 `). */
export const WORDS = Array.from({ length: 12 }, (_, i) => `w${String(i + 1).padStart(2, "0")} `);
/** The whole text of a `words…` answer. */
export const WORDS_TEXT = WORDS.join("");

/** The SSE text of the model's delta `word` (what a hold on the model proxy waits for). */
export function modelDelta(word: string): string {
  return `"delta":${JSON.stringify(word)}`;
}

/** The running stack; `close()` stops it all. */
export interface DropStack {
  server: WebSocketAppServer;
  /** The proxy in front of the model server: `holdWhenServerSends(modelDelta(w))`, `release()`. */
  modelGate: TcpProxy;
  close(): Promise<void>;
}

/** `words…` streams {@link WORDS}; everything else is {@link scriptedModel}. */
function model(request: ModelRequest) {
  if (lastUserText(request).startsWith("words")) {
    return reply.text(WORDS_TEXT, { chunks: WORDS.length, delayMs: 20 });
  }
  return scriptedModel(request);
}

/** Starts the model server, its gate, a CODEX_HOME and a WebSocket app-server. */
export async function startDropStack(): Promise<DropStack> {
  const models = await ResponsesModelServer.start({ fallback: model });
  const modelGate = new TcpProxy(models.url);
  const home = await writeCodexHome({ modelServerUrl: `${modelGate.httpUrl}/v1` });
  const server = await startWebSocketAppServer({ codexHome: home.dir });
  return {
    server,
    modelGate,
    async close() {
      await server.close();
      await modelGate.close();
      await home.cleanup();
      await models.close();
    },
  };
}

/** Connects through `proxy` with a quick reconnection (and `options`). */
export function connectThrough(
  proxy: TcpProxy,
  server: WebSocketAppServer,
  worker: boolean,
  options: Partial<CodexOptions> = {},
): Promise<Codex> {
  return Codex.connect({
    url: proxy.url,
    token: server.token,
    worker,
    reconnect: { initialDelayMs: 20, maxDelayMs: 200, maxAttempts: 100 },
    ...options,
  });
}

/** A second, direct connection that watches a thread while the client is cut off. */
export async function observe(server: WebSocketAppServer, threadId: string): Promise<Codex> {
  const observer = await Codex.connect({ url: server.url, token: server.token, worker: false });
  await observer.threadResume(threadId, { excludeTurns: true });
  return observer;
}
