/**
 * A WebSocket dropped at the two delicate moments of a turn, against the real app-server: right
 * before `turn/start`'s answer (the turn is found after the reconnection and its handle works),
 * and while an approval waits for the user (the request is answered once: the app-server asks
 * again after `thread/resume`, and the handler's first answer is sent, the handler is not called
 * twice). Worker and in-process.
 */
import { assert, assertEquals } from "../support/assert.ts";
import type { CodexEvent } from "../../mod.ts";
import { EventLog } from "./_event_log.ts";
import { describeOutcome, within } from "./_support.ts";
import { TcpProxy } from "./_tcp_proxy.ts";
import { connectThrough, modelDelta, startDropStack, WORDS, WORDS_TEXT } from "./_drop_stack.ts";

const stack = await startDropStack();
const { server, modelGate } = stack;

for (const worker of [false, true]) {
  const mode = worker ? "worker" : "in-process";

  Deno.test(`[${mode}] a turn/start cut before its answer returns the turn it started, once`, async () => {
    await using proxy = new TcpProxy(server.url);
    const codex = await connectThrough(proxy, server, worker);
    try {
      const thread = await codex.threadStart({});
      // The answer is the first message that carries a turn object as its result. The model is
      // held mid-answer, so the turn still runs once its handle is back.
      const cut = proxy.cutWhenServerSends(`"result":{"turn":{`);
      const held = modelGate.holdWhenServerSends(modelDelta(WORDS[4]));
      const started = await within(thread.turn("words before the answer"), 30_000);
      assertEquals(started.status, "fulfilled", describeOutcome(started));
      const tripped = await within(cut, 0);
      assertEquals(tripped.status, "fulfilled", "the answer never reached the client");
      const turn = (started as { value: Awaited<ReturnType<typeof thread.turn>> }).value;
      await held;
      modelGate.release();
      const events: CodexEvent[] = [];
      for await (const ev of turn.stream()) events.push(ev);
      assertEquals(events[0].method, "sdk/gap", "the stream starts with the gap");
      assertEquals(events.filter((e) => e.method === "sdk/gap").length, 1);
      const live = events.filter((e) => e.method === "item/agentMessage/delta")
        .map((e) => (e.params as { delta: string }).delta);
      // w01…w04 went out while the client reconnected: some or all of them may be missing.
      assertEquals(live.slice(-8), WORDS.slice(4), "the rest of the answer streamed live");
      assert(WORDS_TEXT.endsWith(live.join("")), `no delta twice or out of order: ${live}`);
      const result = await turn.run();
      assertEquals(result.status, "completed");
      assertEquals(result.finalResponse, WORDS_TEXT);
      const read = await thread.read({ includeTurns: true });
      assertEquals(read.thread.turns.map((t) => t.id), [turn.id], "the turn started once");
    } finally {
      modelGate.release();
      await codex.close();
    }
  });

  Deno.test(`[${mode}] an approval pending at the drop is answered once, by the first answer`, async () => {
    await using proxy = new TcpProxy(server.url);
    const codex = await connectThrough(proxy, server, worker);
    const cwd = await Deno.makeTempDir({ prefix: "codex-approval-drop-" });
    try {
      let calls = 0;
      const asked = Promise.withResolvers<void>();
      const user = Promise.withResolvers<"accept">();
      const thread = await codex.threadStart(
        { approvalPolicy: "untrusted", sandbox: "workspace-write", cwd },
        {
          serverRequests: {
            "item/commandExecution/requestApproval": async () => {
              calls++;
              asked.resolve();
              return { decision: await user.promise }; // the user is still deciding
            },
          },
        },
      );
      const global = new EventLog(codex.events());
      const turn = await thread.turn("approve across a drop");
      const log = new EventLog(turn.stream());
      assertEquals((await within(asked.promise, 30_000)).status, "fulfilled", "asked");
      await log.waitFor((e) => "serverRequest" in e);
      await proxy.cut();
      await global.waitFor((e) => e.method === "sdk/reconnected");
      user.resolve("accept");
      const ended = await within(log.done, 30_000);
      assertEquals(ended.status, "fulfilled", describeOutcome(ended));
      assertEquals(calls, 1, "the handler was asked once");
      const requests = log.events.filter((e) => "serverRequest" in e);
      assertEquals(requests.length, 1, "the stream shows the request once");
      const result = await turn.run();
      assertEquals(result.status, "completed");
      const commands = result.items.filter((i) => i.type === "commandExecution") as Array<
        { status: string }
      >;
      assertEquals(commands.map((c) => c.status), ["completed"], "the command ran once");
      assertEquals(await Deno.readTextFile(`${cwd}/approved.txt`), "approved-42\n");
      assert(String(result.finalResponse).includes("approve across a drop"));
    } finally {
      await codex.close();
      await Deno.remove(cwd, { recursive: true });
    }
  });
}

Deno.test({
  name: "teardown: the shared servers stop",
  fn: () => stack.close(),
});
