/**
 * The walking skeleton end to end: the real `codex app-server` (stdio, WebSocket and WebSocket
 * over a unix socket), the router in a Worker and in-process, the offline model server standing
 * in for the model.
 */
import { assert, assertEquals, assertRejects } from "../support/assert.ts";
import { Codex, isNotification, TransportClosedError, TurnFailedError } from "../../mod.ts";
import {
  reply,
  ResponsesModelServer,
  startUnixSocketAppServer,
  startWebSocketAppServer,
  writeCodexHome,
} from "../../src/testing/mod.ts";
import { codexProcesses, processMarker } from "../support/processes.ts";

const model = await ResponsesModelServer.start();
const home = await writeCodexHome({ modelServerUrl: model.url });
const wsServer = await startWebSocketAppServer({ codexHome: home.dir });
const socketServer = await startUnixSocketAppServer({ codexHome: home.dir });

type Mode = { transport: "stdio" | "websocket" | "unix socket"; worker: boolean };
const modes: Mode[] = [
  { transport: "stdio", worker: true },
  { transport: "stdio", worker: false },
  { transport: "websocket", worker: true },
  { transport: "websocket", worker: false },
  { transport: "unix socket", worker: true },
  { transport: "unix socket", worker: false },
];

function connect(mode: Mode): Promise<Codex> {
  if (mode.transport === "stdio") {
    return Codex.connect({ codexHome: home.dir, worker: mode.worker });
  }
  if (mode.transport === "unix socket") {
    return Codex.connect({ socket: socketServer.socket, worker: mode.worker });
  }
  return Codex.connect({ url: wsServer.url, token: wsServer.token, worker: mode.worker });
}

function label(mode: Mode): string {
  return `[${mode.transport}, ${mode.worker ? "worker" : "in-process"}]`;
}

/** Replies whose text names the prompt, so concurrent turns can be told apart. */
function scriptedText(prompt: string): string {
  return `answer to ${prompt}: ` + Array.from({ length: 12 }, (_, i) => `w${i}`).join(" ");
}

model.fallback = (req) => {
  const input = req.body.input as Array<{ role?: string; content?: Array<{ text?: string }> }>;
  const last = [...input].reverse().find((m) => m.role === "user");
  const prompt = last?.content?.map((c) => c.text ?? "").join("") ?? "";
  if (prompt.includes("please fail")) return reply.httpError(500, { error: "model exploded" });
  return reply.text(scriptedText(prompt), { chunks: 6 });
};

for (const mode of modes) {
  Deno.test(`${label(mode)} deltas of a turn arrive in order and concatenate to the final text`, async () => {
    await using codex = await connect(mode);
    const thread = await codex.threadStart({});
    const turn = await thread.turn("order check");
    const methods: string[] = [];
    let text = "";
    for await (const ev of turn.stream()) {
      methods.push(ev.method);
      if (isNotification(ev, "item/agentMessage/delta")) text += ev.params.delta;
    }
    assertEquals(methods.at(-1), "turn/completed");
    assert(methods.filter((m) => m === "item/agentMessage/delta").length >= 2, "several deltas");
    const result = await turn.run();
    assertEquals(text, scriptedText("order check"));
    assertEquals(result.finalResponse, text);
  });

  Deno.test(`${label(mode)} thread.run returns the final response and token usage`, async () => {
    await using codex = await connect(mode);
    const thread = await codex.threadStart({});
    const result = await thread.run("usage check");
    assertEquals(result.finalResponse, scriptedText("usage check"));
    assertEquals(result.status, "completed");
    assert(result.usage !== null, "token usage is reported");
    assertEquals(result.usage.last.totalTokens, 15);
    assert(result.items.some((i) => i.type === "agentMessage"));
    assert(result.items.some((i) => i.type === "userMessage"));
  });

  Deno.test(`${label(mode)} two threads run turns at the same time and each stream sees only its own`, async () => {
    await using codex = await connect(mode);
    const [a, b] = await Promise.all([codex.threadStart({}), codex.threadStart({})]);
    const [ta, tb] = await Promise.all([a.turn("thread A"), b.turn("thread B")]);
    const read = async (turn: typeof ta) => {
      let text = "";
      for await (const ev of turn.stream()) {
        const p = ev.params as { threadId?: string; turnId?: string; delta?: string };
        if (p.threadId !== undefined) assertEquals(p.threadId, turn.threadId);
        if (ev.method === "item/agentMessage/delta") text += p.delta;
      }
      return text;
    };
    const [textA, textB] = await Promise.all([read(ta), read(tb)]);
    assertEquals(textA, scriptedText("thread A"));
    assertEquals(textB, scriptedText("thread B"));
  });

  Deno.test(`${label(mode)} a turn whose model call fails rejects run() with TurnFailedError`, async () => {
    await using codex = await connect(mode);
    const thread = await codex.threadStart({});
    const err = await assertRejects(() => thread.run("please fail"), TurnFailedError);
    assert(err.message.length > 0, "carries the server's message");
    assertEquals(err.turnError.codexErrorInfo !== undefined, true);
  });
}

Deno.test("[stdio] close() leaves no app-server process behind, in a Worker and in-process", async () => {
  for (const worker of [true, false]) {
    const { marker, env } = processMarker();
    const codex = await Codex.connect({ codexHome: home.dir, env, worker });
    assertEquals((await codexProcesses(marker)).length, 1, "one app-server while connected");
    await codex.close();
    assertEquals(await codexProcesses(marker), [], "none after close()");
    await assertRejects(() => codex.request("model/list", {}), TransportClosedError);
    await codex.close(); // twice is fine
  }
});

Deno.test("[worker] close() terminates the Worker: later calls fail fast instead of hanging", async () => {
  const codex = await Codex.connect({ codexHome: home.dir, worker: true });
  await codex.close();
  const conn = codex.connection as { terminated?: boolean };
  assertEquals(conn.terminated, true);
  await assertRejects(() => codex.threadStart({}), TransportClosedError);
});

Deno.test({
  name: "teardown: shared servers stop",
  fn: async () => {
    await wsServer.close();
    await socketServer.close();
    await home.cleanup();
    await model.close();
  },
});
