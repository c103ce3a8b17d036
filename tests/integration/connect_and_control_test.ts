/**
 * Connect failures clean up, and turn control (interrupt, steer) against the real app-server.
 */
import { assert, assertEquals, assertInstanceOf, assertRejects } from "../support/assert.ts";
import { describeOutcome, within } from "../reliability/_support.ts";
import { codexProcesses, processMarker } from "../support/processes.ts";
import { Codex, CodexError, ConnectError, isNotification, TurnStalledError } from "../../mod.ts";
import { reply, ResponsesModelServer, writeCodexHome } from "../../src/testing/mod.ts";

const model = await ResponsesModelServer.start();
const home = await writeCodexHome({ modelServerUrl: model.url });

for (const worker of [true, false]) {
  const mode = worker ? "worker" : "in-process";

  Deno.test(`[${mode}] a missing codex binary fails connect with a clear, typed error`, async () => {
    const err = await assertRejects(
      () => Codex.connect({ codexPath: "/nonexistent/codex", worker }),
      CodexError,
    );
    assertEquals(err.code, "CODEX_BINARY_NOT_FOUND");
    assert(err.message.includes("/nonexistent/codex"), "says what was tried");
  });

  Deno.test(`[${mode}] a config the app-server refuses fails connect and leaves no process`, async () => {
    const { marker, env } = processMarker();
    const err = await assertRejects(
      () =>
        Codex.connect({
          codexHome: home.dir,
          env,
          config: { approval_policy: "untrusted" }, // 0.169 refuses to start with this
          worker,
        }),
      ConnectError,
    );
    assert(err.message.includes("untrusted"), `the stderr tail explains why: ${err.message}`);
    assertEquals(await codexProcesses(marker), []);
  });

  Deno.test(`[${mode}] interrupt ends a running turn with status interrupted`, async () => {
    await using codex = await Codex.connect({ codexHome: home.dir, worker });
    const thread = await codex.threadStart({});
    model.enqueue(reply.hang({ text: "partial answer" }));
    const turn = await thread.turn("long task");
    const stream = turn.stream();
    for await (const ev of stream) {
      if (isNotification(ev, "item/agentMessage/delta")) break; // the model is mid-answer
    }
    await turn.interrupt();
    const result = await turn.run();
    assertEquals(result.status, "interrupted");
    assertEquals(result.finalResponse, null);
  });

  Deno.test(`[${mode}] a turn whose model goes quiet fails run with TurnStalledError and is interrupted`, async () => {
    await using codex = await Codex.connect({ codexHome: home.dir, worker });
    const thread = await codex.threadStart({});
    model.enqueue(reply.hang({ text: "partial answer" })); // then silence, connection held open
    const turn = await thread.turn("long task");
    const stalled = await within(turn.run({ idleTimeoutMs: 1_500 }), 60_000);
    assertEquals(stalled.status, "rejected", describeOutcome(stalled));
    const err = (stalled as { reason: unknown }).reason;
    assertInstanceOf(err, TurnStalledError);
    assertEquals(err.turnId, turn.id);
    // The watchdog interrupted the turn: the server completes it as interrupted.
    const ended = await within(turn.run(), 60_000);
    assertEquals(ended.status, "fulfilled", describeOutcome(ended));
    assertEquals((ended as { value: { status: string } }).value.status, "interrupted");
  });

  Deno.test(`[${mode}] interrupt right after turn() returns interrupts the turn`, async () => {
    // The app-server answers turn/start before the turn is active and refuses to interrupt it
    // until then ("no active turn to interrupt"); the SDK holds the interrupt until turn/started.
    // Its own model: the interrupt may come before the model is asked, so a reply queued for
    // this turn could be left over for the next test.
    await using ownModel = await ResponsesModelServer.start({
      fallback: () => reply.hang({ text: "partial answer" }),
    });
    const ownHome = await writeCodexHome({ modelServerUrl: ownModel.url });
    try {
      await using codex = await Codex.connect({ codexHome: ownHome.dir, worker });
      const thread = await codex.threadStart({});
      const turn = await thread.turn("long task");
      await turn.interrupt();
      const result = await within(turn.run(), 60_000);
      assertEquals(result.status, "fulfilled", describeOutcome(result));
      assertEquals((result as { value: { status: string } }).value.status, "interrupted");
    } finally {
      await ownHome.cleanup();
    }
  });

  Deno.test(`[${mode}] steer adds input to the running turn, which then completes`, async () => {
    await using codex = await Codex.connect({ codexHome: home.dir, worker });
    const thread = await codex.threadStart({});
    model.enqueue(reply.hang({ text: "working on it" }));
    model.enqueue(reply.text("steered answer"));
    const turn = await thread.turn("first request");
    const texts: string[] = [];
    let steered = false;
    for await (const ev of turn.stream()) {
      if (isNotification(ev, "item/agentMessage/delta") && !steered) {
        steered = true;
        await turn.steer("actually, do this instead");
      }
      if (isNotification(ev, "item/completed") && ev.params.item.type === "userMessage") {
        texts.push(
          ev.params.item.content.map((c) => c.type === "text" ? c.text : "").join(""),
        );
      }
    }
    const result = await turn.run();
    assertEquals(result.status, "completed");
    assertEquals(result.finalResponse, "steered answer");
    assertEquals(texts, ["first request", "actually, do this instead"]);
  });
}

Deno.test({
  name: "teardown: shared servers stop",
  fn: async () => {
    await home.cleanup();
    await model.close();
  },
});
