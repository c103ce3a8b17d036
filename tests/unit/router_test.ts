import { assert, assertEquals, assertInstanceOf, assertRejects } from "../support/assert.ts";
import { FakeAppServer } from "../support/fake_app_server.ts";
import { MessageRouter } from "../../src/router/message_router.ts";
import { within } from "../reliability/_support.ts";
import type { CodexEvent } from "../../src/core/events.ts";
import {
  AbortError,
  MethodNotFoundError,
  ServerBusyError,
  StreamConsumedError,
  StreamOverflowError,
  TimeoutError,
  TransportClosedError,
} from "../../src/errors/errors.ts";

async function startRouter(server: FakeAppServer, options = {}): Promise<MessageRouter> {
  const router = new MessageRouter(server.transport, options);
  await router.start();
  return router;
}

async function collect(events: AsyncIterable<CodexEvent[]>): Promise<CodexEvent[]> {
  const out: CodexEvent[] = [];
  for await (const batch of events) out.push(...batch);
  return out;
}

function delta(threadId: string, turnId: string, text: string) {
  return { threadId, turnId, itemId: "msg", delta: text };
}

Deno.test("matches responses to requests by id, whatever their order", async () => {
  const server = new FakeAppServer();
  const ids: unknown[] = [];
  server.on("model/list", (_p, _s, id) => {
    ids.push(id);
    return FakeAppServer.NO_REPLY;
  });
  const router = await startRouter(server);
  const a = router.request("model/list", { n: 1 });
  const b = router.request("model/list", { n: 2 });
  server.reply(ids[1], { which: "b" });
  server.reply(ids[0], { which: "a" });
  assertEquals(await a, { which: "a" });
  assertEquals(await b, { which: "b" });
  await router.close();
});

Deno.test("always sends params, even when the caller gives none", async () => {
  const server = new FakeAppServer();
  server.on("thread/loaded/list", () => ({ data: [] }));
  const router = await startRouter(server);
  await router.request("thread/loaded/list", undefined);
  assertEquals(server.transport.peer.received.at(-1)?.params, {});
  await router.close();
});

Deno.test("replays notifications that arrived before the turn was registered", async () => {
  const server = new FakeAppServer();
  server.on("turn/start", (params, s) => {
    const turnId = s.nextTurnId();
    const threadId = params.threadId as string;
    s.emit("turn/started", { threadId, turn: { id: turnId, items: [], status: "inProgress" } });
    s.emit("item/agentMessage/delta", delta(threadId, turnId, "early"));
    return { turn: { id: turnId, items: [], status: "inProgress", error: null } };
  });
  const router = await startRouter(server);
  const started = await router.startTurn("turn/start", { threadId: "t1", input: [] }, "t1");
  server.emit("item/agentMessage/delta", delta("t1", started.turnId, " late"));
  server.emit("turn/completed", FakeAppServer.turnCompleted("t1", started.turnId));
  const events = await collect(started.events);
  assertEquals(events.map((e) => e.method), [
    "turn/started",
    "item/agentMessage/delta",
    "item/agentMessage/delta",
    "turn/completed",
  ]);
  await router.close();
});

Deno.test("keeps a turn/completed that arrives before the turn/start response", async () => {
  const server = new FakeAppServer();
  server.on("turn/start", (params, s) => {
    const turnId = s.nextTurnId();
    const threadId = params.threadId as string;
    s.emit("item/agentMessage/delta", delta(threadId, turnId, "fast"));
    s.emit("turn/completed", FakeAppServer.turnCompleted(threadId, turnId));
    return { turn: { id: turnId, items: [], status: "inProgress", error: null } };
  });
  const router = await startRouter(server);
  const started = await router.startTurn("turn/start", { threadId: "t1", input: [] }, "t1");
  const events = await collect(started.events);
  assertEquals(events.map((e) => e.method), ["item/agentMessage/delta", "turn/completed"]);
  assertEquals(router.stats().activeTurns, 0);
  assertEquals(router.stats().captures, 0);
  await router.close();
});

Deno.test("routes interleaved turns of two threads each to its own stream", async () => {
  const server = new FakeAppServer();
  server.on("turn/start", (params) => ({
    turn: { id: `${params.threadId}-turn`, items: [], status: "inProgress", error: null },
  }));
  const router = await startRouter(server);
  const a = await router.startTurn("turn/start", { threadId: "A", input: [] }, "A");
  const b = await router.startTurn("turn/start", { threadId: "B", input: [] }, "B");
  for (let i = 0; i < 5; i++) {
    server.emit("item/agentMessage/delta", delta("A", a.turnId, `a${i}`));
    server.emit("item/agentMessage/delta", delta("B", b.turnId, `b${i}`));
  }
  server.emit("turn/completed", FakeAppServer.turnCompleted("B", b.turnId));
  server.emit("turn/completed", FakeAppServer.turnCompleted("A", a.turnId));
  const [ea, eb] = await Promise.all([collect(a.events), collect(b.events)]);
  const text = (evs: CodexEvent[]) =>
    evs.filter((e) => e.method === "item/agentMessage/delta")
      .map((e) => (e.params as { delta: string }).delta).join("");
  assertEquals(text(ea), "a0a1a2a3a4");
  assertEquals(text(eb), "b0b1b2b3b4");
  await router.close();
});

Deno.test("puts unknown notification methods on the global stream as UnknownNotification", async () => {
  const server = new FakeAppServer();
  const router = await startRouter(server);
  server.emit("brand/new/notification", { hello: 1 });
  const global = router.subscribe();
  const batch = await global.next();
  assert(batch);
  assertEquals(batch[0].method, "brand/new/notification");
  assertEquals((batch[0] as { unknown?: boolean }).unknown, true);
  assertEquals(batch[0].params, { hello: 1 });
  await router.close();
});

Deno.test("routes an unknown notification to its turn when params.turnId says which", async () => {
  const server = new FakeAppServer();
  server.on("turn/start", () => ({ turn: { id: "u1", items: [], status: "inProgress" } }));
  const router = await startRouter(server);
  const started = await router.startTurn("turn/start", { threadId: "t", input: [] }, "t");
  server.emit("future/thing", { threadId: "t", turnId: "u1", x: 1 });
  server.emit("turn/completed", FakeAppServer.turnCompleted("t", "u1"));
  const events = await collect(started.events);
  assertEquals(events.map((e) => e.method), ["future/thing", "turn/completed"]);
  await router.close();
});

Deno.test("delivers a known notification with a wrong shape as unknown, not thrown", async () => {
  const server = new FakeAppServer();
  server.on("turn/start", () => ({ turn: { id: "u1", items: [], status: "inProgress" } }));
  const router = await startRouter(server);
  const started = await router.startTurn("turn/start", { threadId: "t", input: [] }, "t");
  server.emit("item/agentMessage/delta", { threadId: "t", turnId: "u1", itemId: "m", delta: 5 });
  server.emit("turn/completed", FakeAppServer.turnCompleted("t", "u1"));
  const events = await collect(started.events);
  assertEquals((events[0] as { unknown?: boolean }).unknown, true);
  await router.close();
});

Deno.test("reports malformed lines as protocol errors and keeps going", async () => {
  const server = new FakeAppServer();
  server.on("model/list", () => ({ ok: 1 }));
  const router = await startRouter(server);
  server.transport.peer.sendRaw("{not json");
  server.transport.peer.sendRaw("[1,2]");
  server.transport.peer.sendRaw("42");
  assertEquals(await router.request("model/list", {}), { ok: 1 });
  const global = router.subscribe();
  const batch = (await global.next())!;
  assertEquals(batch.map((e) => e.method), [
    "sdk/protocolError",
    "sdk/protocolError",
    "sdk/protocolError",
  ]);
  assertEquals(router.stats().protocolErrors, 3);
  await router.close();
});

Deno.test("classifies -32600 unknown variant as MethodNotFoundError and -32001 as ServerBusyError", async () => {
  const server = new FakeAppServer();
  server.on("busy/method", (_p, s, id) => {
    s.replyError(id, -32001, "Server overloaded; retry later.");
    return FakeAppServer.NO_REPLY;
  });
  const router = await startRouter(server);
  const err = await assertRejects(() => router.request("no/such/method", {}), MethodNotFoundError);
  assertEquals(err.method, "no/such/method");
  await assertRejects(() => router.request("busy/method", {}), ServerBusyError);
  await router.close();
});

Deno.test("times out a request that gets no reply and ignores the late reply", async () => {
  const server = new FakeAppServer();
  let lateId: unknown;
  server.on("slow", (_p, _s, id) => {
    lateId = id;
    return FakeAppServer.NO_REPLY;
  });
  const router = await startRouter(server);
  await assertRejects(() => router.request("slow", {}, { timeoutMs: 5 }), TimeoutError);
  server.reply(lateId, { late: true });
  assertEquals(router.stats().pendingRequests, 0);
  await router.close();
});

Deno.test("aborts a request through its AbortSignal", async () => {
  const server = new FakeAppServer();
  server.on("slow", () => FakeAppServer.NO_REPLY);
  const router = await startRouter(server);
  const controller = new AbortController();
  const call = router.request("slow", {}, { signal: controller.signal });
  controller.abort();
  await assertRejects(() => call, AbortError);
  assertEquals(router.stats().pendingRequests, 0);
  await router.close();
});

Deno.test("a dropped connection settles every pending call and stream with TransportClosedError", async () => {
  const server = new FakeAppServer();
  server.on("slow", () => FakeAppServer.NO_REPLY);
  server.on("turn/start", () => ({ turn: { id: "u1", items: [], status: "inProgress" } }));
  const router = await startRouter(server);
  const started = await router.startTurn("turn/start", { threadId: "t", input: [] }, "t");
  server.emit("item/agentMessage/delta", delta("t", "u1", "partial"));
  const pending = router.request("slow", {});
  const global = router.subscribe();
  server.transport.peer.disconnect("app-server died", "panic: boom");
  const err = await assertRejects(() => pending, TransportClosedError);
  assertEquals(err.stderrTail, "panic: boom");
  const seen: CodexEvent[] = [];
  await assertRejects(async () => {
    for await (const batch of started.events) seen.push(...batch);
  }, TransportClosedError);
  assertEquals(seen.length, 1, "events before the drop are still delivered");
  await assertRejects(() => global.next(), TransportClosedError);
  await assertRejects(() => router.request("model/list", {}), TransportClosedError);
});

Deno.test("answers server requests with the safe default when no handler is set", async () => {
  const server = new FakeAppServer();
  const router = await startRouter(server);
  server.transport.peer.send({
    id: 0,
    method: "item/commandExecution/requestApproval",
    params: { threadId: "t", turnId: "u", itemId: "i", command: "rm -rf /" },
  });
  server.transport.peer.send({
    id: 1,
    method: "mcpServer/elicitation/request",
    params: { threadId: "t" },
  });
  server.transport.peer.send({ id: 2, method: "unknown/request", params: {} });
  await waitUntil(() => server.clientResponses.length === 3);
  const byId = new Map(server.clientResponses.map((r) => [r.id, r]));
  assertEquals(byId.get(0)?.result, { decision: "decline" });
  assertEquals((byId.get(1)?.result as { action: string }).action, "cancel");
  assertEquals((byId.get(2)?.error as { code: number }).code, -32601);
  await router.close();
});

Deno.test("a throwing server-request handler produces an error answer and a visible event", async () => {
  const server = new FakeAppServer();
  const router = await startRouter(server);
  router.setServerRequestHandler(() => {
    throw new Error("handler exploded");
  });
  const global = router.subscribe();
  server.transport.peer.send({
    id: 7,
    method: "item/tool/call",
    params: { threadId: "t", turnId: "u", callId: "c", tool: "x", arguments: {} },
  });
  await waitUntil(() => server.clientResponses.length === 1);
  assertEquals(server.clientResponses[0].id, 7);
  assert(
    String((server.clientResponses[0].error as { message: string }).message)
      .includes("handler exploded"),
  );
  const events = (await global.next())!;
  assertEquals(events.map((e) => e.method), ["item/tool/call", "sdk/serverRequestFailed"]);
  await router.close();
});

Deno.test("a never-consumed turn leaves no buffer behind once it completes", async () => {
  const server = new FakeAppServer();
  server.on("turn/start", () => ({ turn: { id: "u1", items: [], status: "inProgress" } }));
  const router = await startRouter(server);
  await router.startTurn("turn/start", { threadId: "t", input: [] }, "t");
  server.emit("item/agentMessage/delta", delta("t", "u1", "x"));
  server.emit("turn/completed", FakeAppServer.turnCompleted("t", "u1"));
  assertEquals(router.stats(), {
    pendingRequests: 0,
    activeTurns: 0,
    captures: 0,
    capturedEvents: 0,
    bufferedEvents: 0,
    pendingServerRequests: 0,
    protocolErrors: 0,
  });
  await router.close();
});

Deno.test("a stream can be read once; a second reader gets StreamConsumedError", async () => {
  const server = new FakeAppServer();
  server.on("turn/start", () => ({ turn: { id: "u1", items: [], status: "inProgress" } }));
  const router = await startRouter(server);
  const started = await router.startTurn("turn/start", { threadId: "t", input: [] }, "t");
  server.emit("turn/completed", FakeAppServer.turnCompleted("t", "u1"));
  await collect(started.events);
  let error: unknown;
  try {
    started.events[Symbol.asyncIterator]();
  } catch (err) {
    error = err;
  }
  assertInstanceOf(error, StreamConsumedError);
  await router.close();
});

Deno.test("a stream over its bound fails with StreamOverflowError and frees its buffer", async () => {
  const server = new FakeAppServer();
  server.on("turn/start", () => ({ turn: { id: "u1", items: [], status: "inProgress" } }));
  const router = await startRouter(server, { maxBufferedEvents: 10 });
  const started = await router.startTurn("turn/start", { threadId: "t", input: [] }, "t");
  for (let i = 0; i < 11; i++) server.emit("item/agentMessage/delta", delta("t", "u1", "x"));
  assertEquals((started.events as unknown as { size: number }).size, 0);
  await assertRejects(() => collect(started.events), StreamOverflowError);
  await router.close();
});

Deno.test("caps requests in flight and serves the waiting ones in order", async () => {
  const server = new FakeAppServer();
  const ids: unknown[] = [];
  server.on("slow", (_p, _s, id) => {
    ids.push(id);
    return FakeAppServer.NO_REPLY;
  });
  const router = await startRouter(server, { maxInFlight: 2 });
  const calls = [1, 2, 3, 4].map((n) => router.request("slow", { n }));
  assertEquals(ids.length, 2, "only two requests are on the wire");
  server.reply(ids[0], 1);
  await calls[0];
  assertEquals(ids.length, 3);
  server.reply(ids[1], 2);
  server.reply(ids[2], 3);
  await calls[2];
  server.reply(ids[3], 4);
  assertEquals(await Promise.all(calls), [1, 2, 3, 4]);
  await router.close();
});

Deno.test("a call that times out or is aborted while queued for a slot is never sent", async () => {
  const server = new FakeAppServer();
  const sent: unknown[] = [];
  server.on("slow", (p) => {
    sent.push(p.n);
    return FakeAppServer.NO_REPLY;
  });
  const router = await startRouter(server, { maxInFlight: 1 });
  const first = router.request("slow", { n: 1 });
  const timedOut = router.request("slow", { n: 2 }, { timeoutMs: 10 });
  const controller = new AbortController();
  const aborted = router.request("slow", { n: 3 }, { signal: controller.signal });
  const last = router.request("slow", { n: 4 });
  await assertRejects(() => timedOut, TimeoutError);
  controller.abort();
  await assertRejects(() => aborted, AbortError);
  server.reply(1, "one");
  assertEquals(await first, "one");
  await waitUntil(() => sent.length === 2);
  assertEquals(sent, [1, 4], "the slot went to the next live call");
  server.reply(2, "four");
  assertEquals(await last, "four");
  assertEquals((await router.stats()).pendingRequests, 0);
  await router.close();
});

/** Waits for a condition driven by the in-memory server (promise turns, not wall-clock sleeps). */
async function waitUntil(condition: () => boolean, maxTurns = 1000): Promise<void> {
  for (let i = 0; i < maxTurns; i++) {
    if (condition()) return;
    await new Promise<void>((r) => queueMicrotask(r));
    await Promise.resolve();
  }
  throw new Error("condition not reached");
}

/** A `turn/start` that is answered at once; `turn/started` is left to the test. */
function answerWithoutStarting(server: FakeAppServer): void {
  server.on("turn/start", (_p, s) => ({
    turn: { id: s.nextTurnId(), items: [], status: "inProgress", error: null },
  }));
}

function turnStarted(threadId: string, turnId: string) {
  return { threadId, turn: { id: turnId, items: [], status: "inProgress" } };
}

Deno.test("turn/interrupt waits for the turn's turn/started: the server refuses it before", async () => {
  const server = new FakeAppServer();
  answerWithoutStarting(server);
  server.on("turn/interrupt", () => ({}));
  server.on("thread/loaded/list", () => ({ data: [] }));
  const router = await startRouter(server);
  const turn = await router.startTurn("turn/start", { threadId: "t1", input: [] }, "t1");
  const interrupt = router.request("turn/interrupt", { threadId: "t1", turnId: turn.turnId });
  // One round trip later (the wire keeps order), the interrupt has still not been sent.
  await router.request("thread/loaded/list", {});
  const sent = () => server.transport.peer.received.map((m) => m.method);
  assert(!sent().includes("turn/interrupt"), `sent before the turn started: ${sent()}`);
  server.emit("turn/started", turnStarted("t1", turn.turnId));
  const answered = await within(interrupt); // woken by turn/started, not by its 120 s timeout
  assertEquals(answered, { status: "fulfilled", value: {} });
  assertEquals(sent().at(-1), "turn/interrupt");
  await router.close();
});

Deno.test("turn/interrupt is sent at once when turn/started arrived before the start's answer", async () => {
  const server = new FakeAppServer();
  server.on("turn/start", (params, s) => {
    const turnId = s.nextTurnId();
    s.emit("turn/started", turnStarted(params.threadId as string, turnId));
    return { turn: { id: turnId, items: [], status: "inProgress", error: null } };
  });
  server.on("turn/interrupt", () => ({}));
  const router = await startRouter(server);
  const turn = await router.startTurn("turn/start", { threadId: "t1", input: [] }, "t1");
  assertEquals(await router.request("turn/interrupt", { threadId: "t1", turnId: turn.turnId }), {});
  await router.close();
});

Deno.test("a turn/interrupt waiting for its turn to start honours its timeout and abort", async () => {
  const server = new FakeAppServer();
  answerWithoutStarting(server);
  const sent: string[] = [];
  server.on("turn/interrupt", () => {
    sent.push("turn/interrupt");
    return {};
  });
  const router = await startRouter(server);
  const turn = await router.startTurn("turn/start", { threadId: "t1", input: [] }, "t1");
  const params = { threadId: "t1", turnId: turn.turnId };
  // The turn never starts: the timeout covers the wait, and a call that times out is not sent.
  await assertRejects(
    () => router.request("turn/interrupt", params, { timeoutMs: 20 }),
    TimeoutError,
  );
  const controller = new AbortController();
  const aborted = router.request("turn/interrupt", params, { signal: controller.signal });
  controller.abort();
  await assertRejects(() => aborted, AbortError);
  server.emit("turn/started", turnStarted("t1", turn.turnId));
  assertEquals(await router.request("turn/interrupt", params), {});
  assertEquals(sent, ["turn/interrupt"], "only the interrupt sent after turn/started");
  assertEquals((await router.stats()).pendingRequests, 0);
  await router.close();
});

Deno.test("a turn/interrupt waiting for its turn to start settles when the connection drops", async () => {
  const server = new FakeAppServer();
  answerWithoutStarting(server);
  const router = await startRouter(server);
  const turn = await router.startTurn("turn/start", { threadId: "t1", input: [] }, "t1");
  const interrupt = router.request("turn/interrupt", { threadId: "t1", turnId: turn.turnId });
  server.transport.peer.disconnect("gone");
  await assertRejects(() => interrupt, TransportClosedError);
});
