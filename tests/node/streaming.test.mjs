/**
 * A streamed turn through the installed package on Node, over stdio and WebSocket, with the
 * router in a worker thread and in-process; two threads at once each see only their own events.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { isNotification } from "@codex-worker/sdk";
import { answerTo, startOffline } from "./_support.mjs";

let offline;
before(async () => {
  offline = await startOffline();
});
after(() => offline.close());

for (const transport of ["stdio", "websocket"]) {
  for (const worker of [true, false]) {
    test(`[${transport}, worker: ${worker}] a turn streams its deltas in order`, async (t) => {
      const codex = await offline.connect(transport, { worker });
      t.after(() => codex.close()); // Node 20 has no `await using`
      const thread = await codex.threadStart({});
      const turn = await thread.turn("stream check");
      const methods = [];
      let text = "";
      for await (const ev of turn.stream()) {
        methods.push(ev.method);
        if (isNotification(ev, "item/agentMessage/delta")) text += ev.params.delta;
      }
      assert.equal(methods.at(-1), "turn/completed");
      assert.ok(methods.filter((m) => m === "item/agentMessage/delta").length >= 2, "deltas");
      assert.equal(text, answerTo("stream check"));
      const result = await turn.run();
      assert.equal(result.finalResponse, text);
    });
  }
}

test("[stdio, worker] streamText and batches give the same text", async (t) => {
  const codex = await offline.connect("stdio");
  t.after(() => codex.close()); // Node 20 has no `await using`
  const thread = await codex.threadStart({});
  let streamed = "";
  for await (const delta of (await thread.turn("text check")).streamText()) streamed += delta;
  assert.equal(streamed, answerTo("text check"));
  let batched = "";
  for await (const batch of (await thread.turn("batch check")).batches()) {
    for (const ev of batch) {
      if (isNotification(ev, "item/agentMessage/delta")) batched += ev.params.delta;
    }
  }
  assert.equal(batched, answerTo("batch check"));
});

test("[stdio, worker] two threads at once each see only their own events", async (t) => {
  const codex = await offline.connect("stdio");
  t.after(() => codex.close()); // Node 20 has no `await using`
  const [a, b] = await Promise.all([codex.threadStart({}), codex.threadStart({})]);
  assert.notEqual(a.id, b.id);
  const runOne = async (thread, prompt) => {
    const turn = await thread.turn(prompt);
    const threadIds = new Set();
    let text = "";
    for await (const ev of turn.stream()) {
      if (typeof ev.params?.threadId === "string") threadIds.add(ev.params.threadId);
      if (isNotification(ev, "item/agentMessage/delta")) text += ev.params.delta;
    }
    return { threadIds: [...threadIds], text };
  };
  const [ra, rb] = await Promise.all([runOne(a, "first thread"), runOne(b, "second thread")]);
  assert.deepEqual(ra, { threadIds: [a.id], text: answerTo("first thread") });
  assert.deepEqual(rb, { threadIds: [b.id], text: answerTo("second thread") });
});
