/**
 * A WebSocket to the real app-server drops (a TCP proxy in between is cut; the server lives on).
 * Without `reconnect`, running turns end with `TransportClosedError` and the connection is over.
 * With it, the client reconnects with backoff, re-subscribes its threads, reconciles the turns
 * that were cut off from `thread/read`, and says so in one `sdk/reconnected` event.
 */
import { assert, assertEquals, assertInstanceOf } from "../support/assert.ts";
import { Codex, type CodexEvent, TransportClosedError } from "../../mod.ts";
import {
  ResponsesModelServer,
  startWebSocketAppServer,
  writeCodexHome,
} from "../../src/testing/mod.ts";
import { describeOutcome, scriptedModel, SLOW_TEXT, within } from "./_support.ts";
import { TcpProxy } from "./_tcp_proxy.ts";

const model = await ResponsesModelServer.start({ fallback: scriptedModel });
const home = await writeCodexHome({ modelServerUrl: model.url });
const server = await startWebSocketAppServer({ codexHome: home.dir });

/** Collects a stream in the background; `waitFor` resolves when a matching event arrived. */
class EventLog {
  readonly events: CodexEvent[] = [];
  readonly done: Promise<void>;
  #waiters: Array<{ pred: (e: CodexEvent) => boolean; resolve: (e: CodexEvent) => void }> = [];

  constructor(stream: AsyncIterable<CodexEvent>) {
    this.done = (async () => {
      for await (const ev of stream) {
        this.events.push(ev);
        for (const w of [...this.#waiters]) {
          if (w.pred(ev)) {
            this.#waiters.splice(this.#waiters.indexOf(w), 1);
            w.resolve(ev);
          }
        }
      }
    })();
    this.done.catch(() => {});
  }

  /** Resolves with the first matching event; rejects after 30 s instead of hanging. */
  async waitFor(pred: (e: CodexEvent) => boolean): Promise<CodexEvent> {
    const found = this.events.find(pred);
    if (found) return found;
    const waiting = new Promise<CodexEvent>((resolve) => this.#waiters.push({ pred, resolve }));
    const outcome = await within(waiting, 30_000);
    if (outcome.status !== "fulfilled") {
      throw new Error(`awaited event missing; seen: ${this.events.map((e) => e.method)}`);
    }
    return outcome.value as CodexEvent;
  }
}

const turnIdOf = (ev: CodexEvent) => (ev.params as { turn?: { id?: string } })?.turn?.id;

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

  Deno.test(`[${mode}] with reconnect, the client comes back with backoff, resumes its threads and reports the cut turns`, async () => {
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
      const endA = within((async () => {
        while (!(await streamA.next()).done) { /* read on */ }
      })());
      const endB = within((async () => {
        while (!(await streamB.next()).done) { /* read on */ }
      })());
      await proxy.cut();
      for (const [name, end] of [["A", await endA], ["B", await endB]] as const) {
        assertEquals(end.status, "rejected", `turn ${name}: ${describeOutcome(end)}`);
        assertInstanceOf((end as { reason: unknown }).reason, TransportClosedError);
      }
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

      // Re-subscribed: A's events reach this client again (interrupting it completes it).
      await codex.request("turn/interrupt", { threadId: threadA.id, turnId: turnA.id });
      const doneA = await log.waitFor((e) =>
        e.method === "turn/completed" && turnIdOf(e) === turnA.id
      );
      assertEquals((doneA.params as { turn: { status: string } }).turn.status, "interrupted");
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
