/**
 * Property-based tests (fast-check) of the MessageRouter over random interleavings against the
 * memory transport: turn starts, their responses before or after their notifications (even after
 * `turn/completed`), duplicate and unknown response ids, unknown notification and server-request
 * methods, approvals inside turns, plain requests, and interleaved turns on several threads.
 */
import fc from "fast-check";
import { assert, assertEquals } from "../support/assert.ts";
import { MessageRouter } from "../../src/router/message_router.ts";
import type { CodexEvent } from "../../src/core/events.ts";
import { TransportClosedError } from "../../src/errors/errors.ts";
import { MemoryTransport } from "../../src/transport/memory_transport.ts";

/** Cases per property; the totals are printed by the last test. */
const RUNS = 300;
let casesRun = 0;

/** One turn of the scenario: its thread, its deltas, and where its response goes. */
interface TurnSpec {
  thread: number;
  deltas: number;
  /** Index among the turn's notifications before which the response is sent (may be last). */
  responseAt: number;
  /** Whether the response is sent a second time (a duplicate id). */
  duplicate: boolean;
  /** Index among the notifications before which an approval request is sent, or -1. */
  approvalAt: number;
}

/** Something the server (or client) does, in the merged schedule. */
type Action =
  | { kind: "start"; turn: number }
  | { kind: "notify"; turn: number; index: number }
  | { kind: "respond"; turn: number }
  | { kind: "approval"; turn: number }
  | { kind: "noise"; n: number; what: "unknownMethod" | "status" | "unknownId" | "weirdRequest" }
  | { kind: "call"; n: number }
  | { kind: "answerCall"; n: number };

const turnSpec = fc.record({
  thread: fc.integer({ min: 0, max: 2 }),
  deltas: fc.integer({ min: 0, max: 5 }),
  responseAt: fc.nat(),
  duplicate: fc.boolean(),
  approvalAt: fc.integer({ min: -1, max: 7 }),
});

const scenario = fc.record({
  turns: fc.array(turnSpec, { minLength: 1, maxLength: 5 }),
  noise: fc.array(
    fc.constantFrom("unknownMethod", "status", "unknownId", "weirdRequest") as fc.Arbitrary<
      "unknownMethod" | "status" | "unknownId" | "weirdRequest"
    >,
    { maxLength: 6 },
  ),
  calls: fc.integer({ min: 0, max: 3 }),
  /** Picks the next queue at each step of the merge. */
  picks: fc.array(fc.nat(), { minLength: 80, maxLength: 80 }),
  /** Whether to yield to the event loop after each step (lets continuations interleave). */
  yields: fc.array(fc.constantFrom("none", "microtask", "macrotask"), {
    minLength: 80,
    maxLength: 80,
  }),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

/** The notifications of turn `t` (in server order), as [method, params]. */
function turnNotifications(t: number, spec: TurnSpec): Array<[string, Record<string, unknown>]> {
  const threadId = `thread-${spec.thread}`;
  const turnId = `turn-${t}`;
  const turn = { id: turnId, items: [], status: "inProgress", error: null };
  const list: Array<[string, Record<string, unknown>]> = [
    ["turn/started", { threadId, turn }],
  ];
  for (let i = 0; i < spec.deltas; i++) {
    list.push(["item/agentMessage/delta", { threadId, turnId, itemId: "m", delta: `${t}:${i}` }]);
  }
  list.push(["turn/completed", { threadId, turn: { ...turn, status: "completed" } }]);
  return list;
}

/** Builds the per-turn queues and merges them (keeping each queue's order) with `picks`. */
function schedule(s: Scenario): Action[] {
  const queues: Action[][] = s.turns.map((spec, t) => {
    const count = spec.deltas + 2;
    const responseAt = spec.responseAt % (count + 1);
    const approvalAt = spec.approvalAt < 0 ? -1 : 1 + (spec.approvalAt % (count - 1));
    const q: Action[] = [{ kind: "start", turn: t }];
    for (let i = 0; i <= count; i++) {
      if (i === responseAt) {
        q.push({ kind: "respond", turn: t });
        if (spec.duplicate) q.push({ kind: "respond", turn: t });
      }
      if (i === approvalAt) q.push({ kind: "approval", turn: t });
      if (i < count) q.push({ kind: "notify", turn: t, index: i });
    }
    return q;
  });
  for (let n = 0; n < s.calls; n++) {
    queues.push([{ kind: "call", n }, { kind: "answerCall", n }]);
  }
  s.noise.forEach((what, n) => queues.push([{ kind: "noise", n, what }]));
  const out: Action[] = [];
  let step = 0;
  while (queues.some((q) => q.length > 0)) {
    const live = queues.filter((q) => q.length > 0);
    const pick = s.picks[step++ % s.picks.length] + step;
    out.push(live[pick % live.length].shift()!);
  }
  return out;
}

function yieldNow(how: string): Promise<void> {
  if (how === "microtask") return Promise.resolve();
  if (how === "macrotask") return new Promise((resolve) => setTimeout(resolve, 0));
  return Promise.resolve();
}

async function collect(source: AsyncIterable<CodexEvent[]>): Promise<CodexEvent[]> {
  const out: CodexEvent[] = [];
  for await (const batch of source) out.push(...batch);
  return out;
}

/** Runs one scenario and checks every invariant. */
async function runScenario(s: Scenario): Promise<void> {
  casesRun++;
  const transport = new MemoryTransport();
  const router = new MessageRouter(transport, { requestTimeoutMs: 0 });
  await router.start();
  const global = router.subscribe();
  const peer = transport.peer;
  const requestIdOfTurn = new Map<number, unknown>();
  const requestIdOfCall = new Map<number, unknown>();
  peer.onMessage = (message) => {
    const params = message.params as { tag?: number; call?: number } | undefined;
    if (message.method === "turn/start") requestIdOfTurn.set(params!.tag!, message.id);
    if (message.method === "model/list") requestIdOfCall.set(params!.call!, message.id);
  };
  const sent = new Map<number, CodexEvent[]>(); // what the server sent per turn, in order
  const globalSent: string[] = [];
  const serverRequestIds: number[] = [];
  const unknownRequestIds = new Set<number>();
  let nextServerRequestId = 0;
  const starts: Array<Promise<{ turnId: string; events: CodexEvent[] }>> = [];
  const calls: Array<Promise<unknown>> = [];
  const actions = schedule(s);

  for (const [step, action] of actions.entries()) {
    switch (action.kind) {
      case "start": {
        const spec = s.turns[action.turn];
        const started = router.startTurn(
          "turn/start",
          { threadId: `thread-${spec.thread}`, tag: action.turn },
          `thread-${spec.thread}`,
        );
        // The stream is read from the moment the start resolves (like a TurnHandle).
        starts[action.turn] = started.then(async (st) => ({
          turnId: st.turnId,
          events: await collect(st.events),
        }));
        starts[action.turn].catch(() => {});
        break;
      }
      case "respond": {
        const turnId = `turn-${action.turn}`;
        peer.send({
          id: requestIdOfTurn.get(action.turn),
          result: { turn: { id: turnId, items: [], status: "inProgress", error: null } },
        });
        break;
      }
      case "notify": {
        const [method, params] = turnNotifications(action.turn, s.turns[action.turn])[
          action.index
        ];
        const list = sent.get(action.turn) ?? [];
        list.push({ method, params } as CodexEvent);
        sent.set(action.turn, list);
        peer.send({ method, params, emittedAtMs: step });
        break;
      }
      case "approval": {
        const spec = s.turns[action.turn];
        const id = nextServerRequestId++;
        serverRequestIds.push(id);
        const params = {
          threadId: `thread-${spec.thread}`,
          turnId: `turn-${action.turn}`,
          itemId: `call-${id}`,
          startedAtMs: 0,
        };
        const list = sent.get(action.turn) ?? [];
        list.push({ method: "item/commandExecution/requestApproval", params } as CodexEvent);
        sent.set(action.turn, list);
        peer.send({ id, method: "item/commandExecution/requestApproval", params });
        break;
      }
      case "noise": {
        if (action.what === "unknownMethod") {
          globalSent.push(`vendor/unknown/${action.n}`);
          peer.send({ method: `vendor/unknown/${action.n}`, params: { n: action.n } });
        } else if (action.what === "status") {
          globalSent.push("thread/status/changed");
          peer.send({
            method: "thread/status/changed",
            params: { threadId: "thread-0", status: { type: "idle" } },
          });
        } else if (action.what === "unknownId") {
          peer.send({ id: 900_000 + action.n, result: { stray: true } });
        } else {
          const id = nextServerRequestId++;
          serverRequestIds.push(id);
          unknownRequestIds.add(id);
          globalSent.push(`vendor/ask/${action.n}`);
          peer.send({ id, method: `vendor/ask/${action.n}`, params: {} });
        }
        break;
      }
      case "call": {
        const call = router.request("model/list", { call: action.n });
        call.catch(() => {});
        calls[action.n] = call;
        break;
      }
      case "answerCall":
        peer.send({ id: requestIdOfCall.get(action.n), result: { call: action.n } });
        break;
    }
    await yieldNow(s.yields[step % s.yields.length]);
  }

  // Every turn start settles with its own turn id and exactly the turn's events, in order.
  for (const [t] of s.turns.entries()) {
    const { turnId, events } = await starts[t];
    assertEquals(turnId, `turn-${t}`);
    const seen = events.map((e) => ({ method: e.method, params: e.params }));
    assertEquals(seen, sent.get(t), `turn ${t}: each event once, in order`);
  }
  // Every plain request settles with its own answer.
  for (const [n, call] of calls.entries()) assertEquals(await call, { call: n });
  // Every server request (approvals and unknown methods) is answered exactly once.
  await waitFor(() => router.stats().pendingServerRequests === 0);
  for (const id of serverRequestIds) {
    const answers = peer.received.filter((m) => m.id === id && !("method" in m));
    assertEquals(answers.length, 1, `server request ${id} answered once`);
    const answer = answers[0];
    if (unknownRequestIds.has(id)) {
      assertEquals((answer.error as { code: number }).code, -32601, "unknown methods: -32601");
    } else {
      assertEquals(answer.result, { decision: "decline" }, "approvals are declined by default");
    }
  }
  // Nothing stays buffered or routed once every turn completed.
  const stats = router.stats();
  assertEquals(
    {
      pendingRequests: stats.pendingRequests,
      activeTurns: stats.activeTurns,
      captures: stats.captures,
      capturedEvents: stats.capturedEvents,
      pendingServerRequests: stats.pendingServerRequests,
    },
    {
      pendingRequests: 0,
      activeTurns: 0,
      captures: 0,
      capturedEvents: 0,
      pendingServerRequests: 0,
    },
  );
  // The global stream got the non-turn traffic exactly once, in order, and no turn event.
  await router.close();
  const globalSeen: string[] = [];
  try {
    for await (const batch of global) globalSeen.push(...batch.map((e) => e.method));
  } catch (err) {
    assert(err instanceof TransportClosedError, String(err));
  }
  assertEquals(globalSeen.filter((m) => !m.startsWith("sdk/")), globalSent);
}

/** Lets queued promise callbacks (the default answers) run. */
async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) await Promise.resolve();
  assert(condition(), "condition never held");
}

Deno.test("property: random interleavings route each turn event exactly once, in order, and settle every request", async () => {
  await fc.assert(fc.asyncProperty(scenario, runScenario), { numRuns: RUNS });
});

Deno.test("property: a connection lost at a random point settles every call and stream with TransportClosedError", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(turnSpec, { minLength: 1, maxLength: 4 }),
      fc.integer({ min: 0, max: 40 }),
      fc.integer({ min: 0, max: 3 }),
      async (turns, cut, calls) => {
        casesRun++;
        const transport = new MemoryTransport();
        const router = new MessageRouter(transport, { requestTimeoutMs: 0 });
        await router.start();
        const ids = new Map<number, unknown>();
        transport.peer.onMessage = (m) => {
          const tag = (m.params as { tag?: number }).tag;
          if (m.method === "turn/start") ids.set(tag!, m.id);
        };
        const outcomes: Array<Promise<string>> = [];
        const settle = (p: Promise<unknown>) =>
          p.then(() => "ok", (e) => e instanceof TransportClosedError ? "closed" : String(e));
        let step = 0;
        let cutDone = false;
        const maybeCut = () => {
          if (step++ === cut && !cutDone) {
            cutDone = true;
            transport.peer.disconnect("peer vanished", "last words");
          }
        };
        for (const [t, spec] of turns.entries()) {
          maybeCut();
          const threadId = `thread-${spec.thread}`;
          const started = router.startTurn("turn/start", { threadId, tag: t }, threadId);
          outcomes.push(settle(started.then((st) => collect(st.events))));
          for (let n = 0; n < calls; n++) outcomes.push(settle(router.request("model/list", {})));
          for (const [method, params] of turnNotifications(t, spec)) {
            maybeCut();
            if (method === "turn/completed" && !cutDone) {
              transport.peer.send({
                id: ids.get(t),
                result: { turn: { id: `turn-${t}`, items: [], status: "inProgress" } },
              });
            }
            if (!cutDone) transport.peer.send({ method, params });
          }
        }
        if (!cutDone) transport.peer.disconnect("peer vanished", "last words");
        const results = await Promise.all(outcomes);
        for (const r of results) assert(r === "ok" || r === "closed", r);
        const stats = router.stats();
        assertEquals([stats.pendingRequests, stats.activeTurns, stats.captures], [0, 0, 0]);
        await router.close();
      },
    ),
    { numRuns: RUNS },
  );
});

Deno.test("property-test case count", () => {
  console.log(`router property cases run: ${casesRun}`);
  assertEquals(casesRun, 2 * RUNS);
});

Deno.test("a turn start answered in the same tick as the connection loss gets its early events, then TransportClosedError", async () => {
  const transport = new MemoryTransport();
  const router = new MessageRouter(transport);
  await router.start();
  let startId: unknown;
  transport.peer.onMessage = (m) => startId = m.id;
  const started = router.startTurn("turn/start", { threadId: "th" }, "th");
  const threadId = "th";
  transport.peer.send({ id: startId, result: { turn: { id: "tu" } } });
  transport.peer.send({
    method: "item/agentMessage/delta",
    params: { threadId, turnId: "tu", itemId: "m", delta: "last words" },
  });
  transport.peer.disconnect("gone in the same chunk");
  const { events } = await started;
  const seen: string[] = [];
  let failure: unknown;
  try {
    for await (const batch of events) seen.push(...batch.map((e) => e.method));
  } catch (err) {
    failure = err;
  }
  assertEquals(seen, ["item/agentMessage/delta"]);
  assert(failure instanceof TransportClosedError, String(failure));
  assertEquals(router.stats().activeTurns, 0);
  assertEquals(router.stats().captures, 0);
  await router.close();
});
