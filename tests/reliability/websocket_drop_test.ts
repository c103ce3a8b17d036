/**
 * A WebSocket to the real app-server drops (a TCP proxy in between is cut; the server lives on).
 * Without `reconnect`, running turns end with `TransportClosedError` and the connection is over.
 * With it, the client reconnects with backoff, re-subscribes its threads, says so in one
 * `sdk/reconnected` event, and the cut turns go on in their own streams (see
 * `turn_across_drop_test.ts` for the details of what those streams carry).
 */
import { assert, assertEquals, assertInstanceOf } from "../support/assert.ts";
import { Codex, type CodexEvent, TransportClosedError } from "../../mod.ts";
import {
  ResponsesModelServer,
  startWebSocketAppServer,
  writeCodexHome,
} from "../../src/testing/mod.ts";
import { EventLog, turnIdOf } from "./_event_log.ts";
import { describeOutcome, scriptedModel, SLOW_TEXT, within } from "./_support.ts";
import { TcpProxy } from "./_tcp_proxy.ts";

const model = await ResponsesModelServer.start({ fallback: scriptedModel });
const home = await writeCodexHome({ modelServerUrl: model.url });
const server = await startWebSocketAppServer({ codexHome: home.dir });

async function readAll(stream: AsyncIterator<CodexEvent>, into: CodexEvent[]): Promise<void> {
  while (true) {
    const next = await stream.next();
    if (next.done) return;
    into.push(next.value);
  }
}

async function firstDelta(stream: AsyncIterator<CodexEvent>): Promise<void> {
  while (true) {
    const next = await stream.next();
    if (next.done) throw new Error("the stream ended before a delta");
    if (next.value.method === "item/agentMessage/delta") return;
  }
}

for (const worker of [false, true]) {
  const mode = worker ? "worker" : "in-process";

  Deno.test(`[${mode}] without reconnect, a dropped WebSocket ends the running turn's stream with TransportClosedError`, async () => {
    await using proxy = new TcpProxy(server.url);
    const codex = await Codex.connect({ url: proxy.url, token: server.token, worker });
    try {
      const thread = await codex.threadStart({});
      const turn = await thread.turn("hang on the wire");
      const stream = turn.stream()[Symbol.asyncIterator]();
      await firstDelta(stream);
      const rest = within((async () => {
        while (!(await stream.next()).done) { /* read on */ }
      })());
      await proxy.cut();
      const outcome = await rest;
      assertEquals(outcome.status, "rejected", describeOutcome(outcome));
      const err = (outcome as { reason: unknown }).reason;
      assertInstanceOf(err, TransportClosedError);
      assertEquals(err.code, "TRANSPORT_CLOSED");
      assert(!err.message.includes(server.token), "the token is not in the message");
      assertInstanceOf(await codex.connection.waitClosed(), TransportClosedError);
      const later = await within(codex.request("model/list", {}));
      assertInstanceOf((later as { reason: unknown }).reason, TransportClosedError);
      // The server kept the turn running: interrupt it from a fresh connection.
      await using direct = await Codex.connect({ url: server.url, token: server.token, worker });
      await direct.threadResume(thread.id);
      await direct.request("turn/interrupt", { threadId: thread.id, turnId: turn.id });
    } finally {
      await codex.close();
    }
  });

  Deno.test(`[${mode}] with reconnect, the client comes back with backoff, resumes its threads, and the cut turns go on in their own streams`, async () => {
    await using proxy = new TcpProxy(server.url);
    const codex = await Codex.connect({
      url: proxy.url,
      token: server.token,
      worker,
      reconnect: { initialDelayMs: 20, maxDelayMs: 200, maxAttempts: 100 },
    });
    const observer = await Codex.connect({ url: server.url, token: server.token, worker: false });
    try {
      const log = new EventLog(codex.events());
      // Thread A: a turn that keeps running. Thread B: a turn that finishes while we are away.
      const threadA = await codex.threadStart({});
      const turnA = await threadA.turn("hang while away");
      const streamA = turnA.stream()[Symbol.asyncIterator]();
      await firstDelta(streamA);
      const threadB = await codex.threadStart({});
      const turnB = await threadB.turn("slow while away");
      const streamB = turnB.stream()[Symbol.asyncIterator]();
      await firstDelta(streamB);
      const observed = new EventLog(observer.events());
      await observer.threadResume(threadB.id, { excludeTurns: true });

      proxy.block();
      const eventsA: CodexEvent[] = [];
      const eventsB: CodexEvent[] = [];
      const endA = within(readAll(streamA, eventsA), 60_000);
      const endB = within(readAll(streamB, eventsB), 60_000);
      await proxy.cut();
      await log.waitFor((e) => e.method === "sdk/disconnected");

      // Turn B completes on the server while the client cannot reach it.
      const read = await observer.threadRead(threadB.id, { includeTurns: true });
      const statusB = read.thread.turns.find((t) => t.id === turnB.id)?.status;
      if (statusB !== "completed") {
        await observed.waitFor((e) => e.method === "turn/completed" && turnIdOf(e) === turnB.id);
      }
      // Let the backoff retry against a refusing endpoint twice before the way is open again.
      const refused = await within(proxy.refusals(2), 30_000);
      assertEquals(
        refused.status,
        "fulfilled",
        `retries while blocked: ${describeOutcome(refused)}`,
      );
      proxy.unblock();
      const reconnected = await log.waitFor((e) => e.method === "sdk/reconnected");
      const params = reconnected.params as {
        attempt: number;
        threads: string[];
        failedThreads: unknown[];
        turns: Array<{ turnId: string; status: string; items: Array<Record<string, unknown>> }>;
      };
      assert(params.attempt >= 2, `backoff retried while blocked (attempt ${params.attempt})`);
      assertEquals([...params.threads].sort(), [threadA.id, threadB.id].sort());
      assertEquals(params.failedThreads, []);
      const cutA = params.turns.find((t) => t.turnId === turnA.id);
      const cutB = params.turns.find((t) => t.turnId === turnB.id);
      assertEquals(cutA?.status, "inProgress", "A still runs: its events may be incomplete");
      assertEquals(cutB?.status, "completed", "B finished while away");
      const message = cutB?.items.find((i) => i.type === "agentMessage");
      assertEquals(message?.text, SLOW_TEXT, "B's finished items are reconciled");

      // B's stream ended normally: the gap, its answer reconciled, its completion.
      const b = await endB;
      assertEquals(b.status, "fulfilled", `turn B: ${describeOutcome(b)}`);
      assertEquals(eventsB.filter((e) => e.method === "sdk/gap").length, 1);
      assertEquals((await turnB.run()).finalResponse, SLOW_TEXT);
      // A goes on in its own stream: interrupting it completes it there.
      await turnA.interrupt();
      const a = await endA;
      assertEquals(a.status, "fulfilled", `turn A: ${describeOutcome(a)}`);
      assertEquals(eventsA.filter((e) => e.method === "sdk/gap").length, 1);
      assertEquals((await turnA.run()).status, "interrupted");
      assert(
        !log.events.some((e) => e.method === "turn/completed" && turnIdOf(e) === turnA.id),
        "A's events are its own, not the global stream's",
      );
      // And the threads keep working through the new connection.
      const after = await threadB.run("echo after the reconnection");
      assertEquals(after.status, "completed");
      assert(String(after.finalResponse).includes("echo after the reconnection"));
    } finally {
      await codex.close();
      await observer.close();
    }
  });
}

Deno.test(`[in-process] with reconnect, giving up after maxAttempts closes the connection with TransportClosedError`, async () => {
  const proxy = new TcpProxy(server.url);
  const codex = await Codex.connect({
    url: proxy.url,
    token: server.token,
    worker: false,
    reconnect: { initialDelayMs: 10, maxDelayMs: 40, maxAttempts: 3 },
  });
  try {
    proxy.block();
    await proxy.cut();
    const closed = await within(codex.connection.waitClosed(), 10_000);
    assertEquals(closed.status, "fulfilled", describeOutcome(closed));
    const err = (closed as { value: unknown }).value;
    assertInstanceOf(err, TransportClosedError);
    assert(err.message.includes("after 3 attempts"), err.message);
    assert(!err.message.includes(server.token), "the token is not in the message");
    const later = await within(codex.request("model/list", {}));
    assertInstanceOf((later as { reason: unknown }).reason, TransportClosedError);
  } finally {
    await codex.close();
    await proxy.close();
  }
});

Deno.test({
  name: "teardown: the shared servers stop",
  fn: async () => {
    await server.close();
    await home.cleanup();
    await model.close();
  },
});
