/**
 * A running turn survives a dropped WebSocket (`reconnect`), against the real app-server: the
 * client's socket is cut mid-message while the model is held at an exact delta, so the deltas
 * sent while the client is away are known. The same `TurnHandle` goes on: one `sdk/gap`, the
 * items that finished meanwhile, then the live events; nothing twice; `streamText()` and
 * `run()` exact. Worker and in-process.
 */
import { assert, assertEquals, assertInstanceOf } from "../support/assert.ts";
import {
  type Codex,
  type CodexEvent,
  type GapParams,
  TransportClosedError,
  type TurnHandle,
} from "../../mod.ts";
import { EventLog, turnIdOf } from "./_event_log.ts";
import { describeOutcome, within } from "./_support.ts";
import { TcpProxy } from "./_tcp_proxy.ts";
import {
  connectThrough,
  modelDelta,
  observe,
  startDropStack,
  WORDS,
  WORDS_TEXT,
} from "./_drop_stack.ts";

const stack = await startDropStack();
const { server, modelGate } = stack;

/** Reads a turn with `stream()` (events) or `streamText()` (strings), in the background. */
function reader(turn: TurnHandle, how: "stream" | "streamText"): EventLog<CodexEvent | string> {
  return new EventLog<CodexEvent | string>(how === "stream" ? turn.stream() : turn.streamText());
}

/** Whether the reader has seen the word (a delta event, or a text part). */
const saw = (word: string) => (e: CodexEvent | string) =>
  typeof e === "string"
    ? e === word
    : e.method === "item/agentMessage/delta" && (e.params as { delta: string }).delta === word;

const isDelta = (word: string) => (e: CodexEvent) =>
  e.method === "item/agentMessage/delta" && (e.params as { delta: string }).delta === word;

/**
 * Starts a `words…` turn held at `w05 `, waits until the client read `w01 `…`w04 `, then blocks
 * and cuts the client's socket (the model is still held).
 */
async function turnCutAtW05(codex: Codex, how: "stream" | "streamText") {
  const thread = await codex.threadStart({});
  const held = modelGate.holdWhenServerSends(modelDelta(WORDS[4]));
  const turn = await thread.turn("words across a drop");
  const log = reader(turn, how);
  await held;
  // A thread can be resumed once its first turn is stored; the model is held meanwhile.
  const observer = await observe(server, thread.id);
  const watched = new EventLog(observer.events());
  await log.waitFor(saw(WORDS[3]));
  return { thread, turn, log, observer, watched };
}

/** Checks the events of a turn read with `stream()`: one gap, no item or request twice. */
function checkOnce(events: CodexEvent[]): GapParams {
  const gaps = events.filter((e) => e.method === "sdk/gap");
  assertEquals(gaps.length, 1, "one sdk/gap");
  const completed = events.filter((e) => e.method === "item/completed")
    .map((e) => (e.params as { item: { id: string } }).item.id);
  assertEquals(completed.length, new Set(completed).size, `no item twice: ${completed}`);
  assertEquals(events.at(-1)?.method, "turn/completed", "the stream ends with its completion");
  return gaps[0].params as GapParams;
}

function agentText(events: CodexEvent[]): string | undefined {
  const done = events.find((e) =>
    e.method === "item/completed" &&
    (e.params as { item: { type: string } }).item.type === "agentMessage"
  );
  return (done?.params as { item: { text: string } } | undefined)?.item.text;
}

for (const worker of [false, true]) {
  const mode = worker ? "worker" : "in-process";

  for (const how of ["stream", "streamText"] as const) {
    Deno.test(`[${mode}] a turn cut mid-message goes on in the same handle; ${how}() and run() are exact`, async () => {
      await using proxy = new TcpProxy(server.url);
      const codex = await connectThrough(proxy, server, worker);
      const global = new EventLog(codex.events());
      const { turn, log, observer, watched } = await turnCutAtW05(codex, how);
      try {
        proxy.block();
        await proxy.cut();
        // While the client is away, the app-server streams w05…w08, then the model is held.
        const heldAgain = modelGate.holdWhenServerSends(modelDelta(WORDS[8]));
        modelGate.release();
        await heldAgain;
        await watched.waitFor(isDelta(WORDS[7]));
        proxy.unblock();
        await global.waitFor((e) => e.method === "sdk/reconnected");
        modelGate.release();
        const ended = await within(log.done, 30_000);
        assertEquals(ended.status, "fulfilled", describeOutcome(ended));
        const result = await turn.run();
        assertEquals(result.status, "completed");
        assertEquals(result.finalResponse, WORDS_TEXT, "run() has the whole answer");
        if (how === "streamText") {
          assertEquals((log.events as string[]).join(""), WORDS_TEXT, "streamText() is exact");
          return;
        }
        const events = log.events as CodexEvent[];
        const gap = checkOnce(events);
        assertEquals(gap.status, "inProgress");
        assertEquals(gap.turnId, turn.id);
        assertEquals(gap.reconciledItems, [], "nothing finished while the client was away");
        const deltas = events.filter((e) => e.method === "item/agentMessage/delta")
          .map((e) => (e.params as { delta: string }).delta);
        assertEquals(deltas, [...WORDS.slice(0, 4), ...WORDS.slice(8)], "w05…w08 were missed");
        const gapAt = events.findIndex((e) => e.method === "sdk/gap");
        assert(events.findIndex(isDelta(WORDS[3])) < gapAt, "the gap follows what was read");
        assert(events.findIndex(isDelta(WORDS[8])) > gapAt, "the live events follow the gap");
        assertEquals(agentText(events), WORDS_TEXT, "the completed item has the full text");
      } finally {
        modelGate.release();
        await codex.close();
        await observer.close();
      }
    });

    Deno.test(`[${mode}] a turn that ended while the client was away ends its stream normally (${how})`, async () => {
      await using proxy = new TcpProxy(server.url);
      const codex = await connectThrough(proxy, server, worker);
      const { turn, log, observer, watched } = await turnCutAtW05(codex, how);
      try {
        proxy.block();
        await proxy.cut();
        modelGate.release();
        await watched.waitFor((e) => e.method === "turn/completed" && turnIdOf(e) === turn.id);
        proxy.unblock();
        const ended = await within(log.done, 30_000);
        assertEquals(ended.status, "fulfilled", describeOutcome(ended));
        const result = await turn.run();
        assertEquals(result.status, "completed");
        assertEquals(result.finalResponse, WORDS_TEXT);
        assertEquals(
          result.items.filter((i) => i.type === "agentMessage").length,
          1,
          "the answer is in run()'s items once",
        );
        if (how === "streamText") {
          assertEquals((log.events as string[]).join(""), WORDS_TEXT, "streamText() is exact");
          return;
        }
        const events = log.events as CodexEvent[];
        const gap = checkOnce(events);
        assertEquals(gap.status, "completed");
        const message = result.items.find((i) => i.type === "agentMessage")!;
        assertEquals(gap.reconciledItems, [message.id], "the answer was reconciled");
        const after = events.slice(events.findIndex((e) => e.method === "sdk/gap") + 1);
        assertEquals(after.map((e) => e.method), ["item/completed", "turn/completed"]);
        assertEquals(agentText(events), WORDS_TEXT);
      } finally {
        await codex.close();
        await observer.close();
      }
    });
  }

  Deno.test(`[${mode}] when reconnecting fails for good, the cut turn's stream and run() end with TransportClosedError`, async () => {
    const proxy = new TcpProxy(server.url);
    const codex = await connectThrough(proxy, server, worker, {
      reconnect: { initialDelayMs: 10, maxDelayMs: 40, maxAttempts: 3 },
    });
    const { turn, log, observer } = await turnCutAtW05(codex, "stream");
    try {
      proxy.block();
      await proxy.cut();
      const ended = await within(log.done, 30_000); // a Worker starts per attempt
      assertEquals(ended.status, "rejected", describeOutcome(ended));
      const err = (ended as { reason: unknown }).reason;
      assertInstanceOf(err, TransportClosedError);
      assert(err.message.includes("after 3 attempts"), err.message);
      const run = await within(turn.run());
      assertInstanceOf((run as { reason: unknown }).reason, TransportClosedError);
    } finally {
      modelGate.release();
      await codex.close();
      await observer.close();
      await proxy.close();
    }
  });
}

Deno.test({
  name: "teardown: the shared servers stop",
  fn: () => stack.close(),
});
