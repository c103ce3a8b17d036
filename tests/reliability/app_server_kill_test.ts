/**
 * Fault injection against the real app-server: it is SIGKILLed mid-request, mid-turn and
 * mid-approval, in a Worker and in-process, many times. Every pending call, stream and handler
 * must settle with `TransportClosedError` (carrying the stderr tail) within a bounded time.
 */
import { assert, assertEquals, assertInstanceOf } from "../support/assert.ts";
import { type CodexEvent, TransportClosedError } from "../../mod.ts";
import { ResponsesModelServer, writeCodexHome } from "../../src/testing/mod.ts";
import {
  connectKillable,
  describeOutcome,
  isGone,
  type KillableCodex,
  type Outcome,
  scriptedModel,
  SETTLE_BOUND_MS,
  within,
} from "./_support.ts";

const model = await ResponsesModelServer.start({ fallback: scriptedModel });
const home = await writeCodexHome({ modelServerUrl: model.url });

/** Trials per (scenario, mode); the total is printed at the end. */
const REPEATS = 4;
let trials = 0;

function assertClosedWithTail(outcome: Outcome, what: string, tail: string | undefined): void {
  assertEquals(outcome.status, "rejected", `${what}: ${describeOutcome(outcome)}`);
  const err = (outcome as { reason: unknown }).reason;
  assertInstanceOf(err, TransportClosedError, `${what}: ${describeOutcome(outcome)}`);
  assert(err.message.includes("killed by SIGKILL"), `${what}: ${err.message}`);
  assertEquals(typeof err.stderrTail, "string", `${what}: the error carries the stderr tail`);
  if (err.stderrTail) assert(err.message.includes(err.stderrTail), "the tail is in the message");
  if (tail !== undefined) assertEquals(err.stderrTail, tail, `${what}: the transport's own tail`);
}

/** Reads a stream in the background, recording its events; resolves/rejects when it ends. */
function drain(stream: AsyncIterable<CodexEvent>, seen: CodexEvent[]): Promise<void> {
  return (async () => {
    for await (const ev of stream) seen.push(ev);
  })();
}

/** Waits until `seen` holds an event matching `pred` (fed by a background reader). */
async function waitForEvent(
  stream: AsyncIterator<CodexEvent>,
  pred: (ev: CodexEvent) => boolean,
): Promise<CodexEvent[]> {
  const seen: CodexEvent[] = [];
  while (true) {
    const next = await stream.next();
    if (next.done) throw new Error(`the stream ended before the awaited event: ${seen.length}`);
    seen.push(next.value);
    if (pred(next.value)) return seen;
  }
}

async function finish(k: KillableCodex): Promise<void> {
  await k.codex.close();
  assert(await isGone(k.pid), `app-server ${k.pid} is reaped after close()`);
  trials++;
}

for (const worker of [false, true]) {
  const mode = worker ? "worker" : "in-process";

  Deno.test(`[${mode}] SIGKILL with requests in flight: each call rejects with TransportClosedError, ${REPEATS} trials`, async () => {
    for (let i = 0; i < REPEATS; i++) {
      const k = await connectKillable({ codexHome: home.dir, worker });
      const global = k.codex.events();
      const globalDone = drain(global, []);
      const calls = [
        k.codex.request("thread/loaded/list", {}),
        k.codex.request("model/list", {}),
        k.codex.threadStart({}),
        k.codex.request("thread/list", {}),
      ];
      // Worker mode: let the requests reach the Worker's router before the fault.
      if (worker) await k.codex.stats();
      const tail = k.stderrTail();
      k.kill();
      const outcomes = await Promise.all(calls.map((c) => within(c)));
      for (const [n, outcome] of outcomes.entries()) {
        // A call may have been answered before the kill landed; none may hang.
        if (outcome.status !== "fulfilled") assertClosedWithTail(outcome, `call ${n}`, tail);
      }
      assertClosedWithTail(await within(globalDone), "the global stream", undefined);
      assertInstanceOf(
        await within(k.codex.connection.waitClosed()).then((o) => (o as { value?: unknown }).value),
        TransportClosedError,
      );
      await finish(k);
    }
  });

  Deno.test(`[${mode}] SIGKILL mid-turn: the turn's stream, run() and new calls reject with TransportClosedError, ${REPEATS} trials`, async () => {
    for (let i = 0; i < REPEATS; i++) {
      const k = await connectKillable({ codexHome: home.dir, worker });
      const thread = await k.codex.threadStart({});
      const turn = await thread.turn("hang here");
      const stream = turn.stream()[Symbol.asyncIterator]();
      const seen = await waitForEvent(stream, (ev) => ev.method === "item/agentMessage/delta");
      assert(seen.some((ev) => ev.method === "turn/started"), "the turn was running");
      const result = turn.run();
      const rest = (async () => {
        while (!(await stream.next()).done) { /* read on */ }
      })();
      const tail = k.stderrTail();
      k.kill();
      assertClosedWithTail(await within(rest), "the turn's stream", tail);
      assertClosedWithTail(await within(result), "turn.run()", tail);
      assertClosedWithTail(await within(k.codex.request("model/list", {})), "a later call", tail);
      assertClosedWithTail(await within(thread.turn("again")), "a later turn", tail);
      if (!worker) {
        const stats = await k.codex.stats();
        assertEquals(stats.pendingRequests, 0, "no call is left waiting");
        assertEquals(stats.activeTurns, 0, "no turn is left routed");
      }
      await finish(k);
    }
  });

  Deno.test(`[${mode}] SIGKILL mid-approval: the pending approval, the turn and the handler settle, ${REPEATS} trials`, async () => {
    for (let i = 0; i < REPEATS; i++) {
      const k = await connectKillable({ codexHome: home.dir, worker });
      let asked!: () => void;
      const approvalAsked = new Promise<void>((resolve) => asked = resolve);
      // A handler on the main thread that never answers: the app-server dies meanwhile.
      const thread = await k.codex.threadStart({ approvalPolicy: "untrusted", cwd: home.dir }, {
        serverRequests: {
          "item/commandExecution/requestApproval": () => {
            asked();
            return new Promise<never>(() => {});
          },
        },
      });
      const turn = await thread.turn("approve this");
      const events: CodexEvent[] = [];
      const streamDone = drain(turn.stream(), events);
      const asks = await within(approvalAsked, 30_000);
      assertEquals(asks.status, "fulfilled", "the app-server asked for an approval");
      assert(
        events.length === 0 || events.some((e) => e.method === "turn/started"),
        "the approval belongs to a running turn",
      );
      const tail = k.stderrTail();
      k.kill();
      assertClosedWithTail(await within(streamDone), "the turn's stream", tail);
      assertClosedWithTail(await within(turn.run()), "turn.run()", tail);
      if (!worker) {
        const stats = await k.codex.stats();
        assertEquals(stats.pendingServerRequests, 0, "the router stopped waiting for the handler");
        assertEquals(stats.pendingRequests, 0);
      }
      await finish(k);
    }
  });
}

Deno.test({
  name: "teardown: the model server stops; trial count",
  fn: async () => {
    console.log(
      `app-server kill trials: ${trials} (bound ${SETTLE_BOUND_MS} ms per settle, all settled)`,
    );
    assertEquals(trials, REPEATS * 3 * 2, "every trial ran");
    await home.cleanup();
    await model.close();
  },
});
