/**
 * `ReconnectingConnection` over in-memory app-servers: each connection is a fresh scripted
 * server, and "the network" drops by disconnecting the first one.
 */
import { assert, assertEquals, assertInstanceOf, assertRejects } from "../support/assert.ts";
import { FakeAppServer } from "../support/fake_app_server.ts";
import { CodexClient } from "../../src/client/codex_client.ts";
import type { CodexConnection } from "../../src/core/connection.ts";
import { ReconnectingConnection } from "../../src/client/reconnecting_connection.ts";
import type { CodexEvent } from "../../src/core/events.ts";
import { StreamOverflowError, TransportClosedError } from "../../src/errors/errors.ts";
import { within } from "../reliability/_support.ts";

/** A connection that counts its `close()` calls. */
function counted(conn: CodexConnection): CodexConnection & { closes: number } {
  const spy = {
    closes: 0,
    get metadata() {
      return conn.metadata;
    },
    request: conn.request.bind(conn),
    startTurn: conn.startTurn.bind(conn),
    followTurn: conn.followTurn.bind(conn),
    subscribe: conn.subscribe.bind(conn),
    releaseTurn: conn.releaseTurn.bind(conn),
    setServerRequestHandler: conn.setServerRequestHandler.bind(conn),
    waitClosed: conn.waitClosed.bind(conn),
    stats: conn.stats.bind(conn),
    close: () => {
      spy.closes++;
      return conn.close();
    },
  };
  return spy;
}

const turnStarted = { turn: { id: "turn-1", items: [], status: "inProgress", error: null } };
const answer = { type: "agentMessage", id: "m", text: "Hello", phase: null };

/** The first server runs the turn; the second one knows it (resume, read) and finishes it. */
async function setup(second: (server: FakeAppServer) => void) {
  const first = new FakeAppServer();
  first.on("turn/start", (p, s) => {
    s.emit("item/agentMessage/delta", {
      threadId: p.threadId,
      turnId: "turn-1",
      itemId: "m",
      delta: "Hel",
    });
    return turnStarted;
  });
  const next = new FakeAppServer();
  second(next);
  const inner = counted(await CodexClient.connect({ transport: first.transport }));
  const conn = new ReconnectingConnection(
    inner,
    async () => await CodexClient.connect({ transport: next.transport }),
    { initialDelayMs: 1, maxAttempts: 2 },
  );
  const started = await conn.startTurn("turn/start", { threadId: "t", input: [] }, "t");
  const events: CodexEvent[] = [];
  const done = within((async () => {
    for await (const batch of started.events) events.push(...batch);
  })());
  return { first, next, inner, conn, events, done };
}

Deno.test("after the drop the turn goes on, and the dropped connection is closed once drained", async () => {
  const { first, inner, conn, events, done } = await setup((next) => {
    next.on("thread/resume", (p, s) => {
      queueMicrotask(() => {
        s.emit("item/completed", { threadId: p.threadId, turnId: "turn-1", item: answer });
        s.emit("turn/completed", FakeAppServer.turnCompleted("t", "turn-1"));
      });
      return { thread: { id: p.threadId } };
    });
    next.on("thread/read", () => ({
      thread: { id: "t", turns: [{ id: "turn-1", status: "inProgress", items: [] }] },
    }));
  });
  first.transport.peer.disconnect("network down");
  const outcome = await done;
  assertEquals(outcome.status, "fulfilled");
  assertEquals(events.map((e) => e.method), [
    "item/agentMessage/delta",
    "sdk/gap",
    "item/completed",
    "turn/completed",
  ]);
  assertEquals(inner.closes, 1, "the dropped connection was closed");
  await conn.close();
  assertEquals(inner.closes, 1, "and only once");
});

Deno.test("a thread that cannot be resumed fails its turn's stream with TransportClosedError", async () => {
  const { first, conn, done } = await setup((next) => {
    next.on("thread/resume", (_p, s, id) => {
      s.replyError(id, -32600, "no rollout found for thread id t");
      return FakeAppServer.NO_REPLY;
    });
  });
  first.transport.peer.disconnect("network down");
  const outcome = await done;
  assertEquals(outcome.status, "rejected");
  const err = (outcome as { reason: unknown }).reason;
  assertInstanceOf(err, TransportClosedError);
  assert(err.message.includes("Thread t could not be resumed"), err.message);
  assert(err.message.includes("no rollout found"), err.message);
  await conn.close();
});

Deno.test("the reconnecting global stream keeps the caller's maxBufferedEvents bound", async () => {
  const server = new FakeAppServer();
  const inner = await CodexClient.connect({ transport: server.transport });
  const refuse = () => Promise.reject(new Error("no second connection in this test"));
  const conn = new ReconnectingConnection(inner, refuse, { maxBufferedEvents: 3 });
  const source = await conn.subscribe();
  for (let i = 0; i < 5; i++) server.emit("configWarning", { summary: `w${i}`, details: null });
  await assertRejects(async () => {
    for await (const _batch of source) { /* nobody reads fast enough: all 5 are buffered */ }
  }, StreamOverflowError);
  await conn.close();
  await server.close();
});
