/**
 * Load against the real app-server: a flood of 5,000 requests with the in-flight cap raised so
 * the server overloads (every call settles: result, `ServerBusyError` or `TimeoutError`; memory
 * stays bounded), and a consumer that stops reading (the per-stream bound and its policy hold).
 */
import { assert, assertEquals, assertInstanceOf } from "../support/assert.ts";
import {
  Codex,
  type CodexEvent,
  retryOnOverload,
  ServerBusyError,
  StreamOverflowError,
  TimeoutError,
} from "../../mod.ts";
import {
  echoReply,
  lastUserText,
  reply,
  ResponsesModelServer,
  writeCodexHome,
} from "../../src/testing/mod.ts";
import { describeOutcome, within } from "./_support.ts";

const many = Array.from({ length: 600 }, (_, i) => `w${i}`).join(" ");
const model = await ResponsesModelServer.start({
  fallback: (request) =>
    lastUserText(request).startsWith("many")
      ? reply.text(many, { chunks: 600 })
      : echoReply(request),
});
const home = await writeCodexHome({ modelServerUrl: model.url });

/** V8 heap in use after full collections (the test task runs with `--expose-gc`). */
async function settledHeap(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  assert(gc, "the test task runs with --v8-flags=--expose-gc");
  // Two rounds with a task between: FinalizationRegistry callbacks and pending timers' closures.
  for (let i = 0; i < 2; i++) {
    gc();
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
  }
  gc();
  return Deno.memoryUsage().heapUsed;
}

/** Sends `count` calls at once; resolves with how each one settled (the calls are dropped). */
async function flood(codex: Codex, count: number) {
  const calls = Array.from({ length: count }, () => codex.request("thread/loaded/list", {}));
  const settled = await within(Promise.allSettled(calls), 60_000);
  assertEquals(settled.status, "fulfilled", describeOutcome(settled));
  const counts = { ok: 0, busy: 0, timeout: 0, other: 0 };
  for (const s of (settled as { value: PromiseSettledResult<unknown>[] }).value) {
    if (s.status === "fulfilled") counts.ok++;
    else if (s.reason instanceof ServerBusyError) counts.busy++;
    else if (s.reason instanceof TimeoutError) counts.timeout++;
    else counts.other++;
  }
  return counts;
}

/**
 * Heap the flood may leave behind. What a leak would keep is the 5,000 calls themselves (each a
 * pending entry, a promise, a timer and a result or error): far more than this.
 */
const RETAINED_BOUND_BYTES = 2_000_000;

Deno.test("[in-process] a flood of 5,000 requests: every call settles and nothing is retained", async () => {
  await using codex = await Codex.connect({
    codexHome: home.dir,
    worker: false,
    maxInFlight: 5_000,
    requestTimeoutMs: 3_000,
  });
  // A first, smaller flood compiles and sizes everything a flood uses, so the baseline is warm.
  await flood(codex, 500);
  await answeredAfterFlood(codex);
  const heapBefore = await settledHeap();
  const counts = await flood(codex, 5_000);
  assertEquals(counts.other, 0, "only results, ServerBusyError or TimeoutError");
  assertEquals(counts.ok + counts.busy + counts.timeout, 5_000);
  const stats = await codex.stats();
  assertEquals(stats.pendingRequests, 0, "no call is retained after the flood");
  const retries = await answeredAfterFlood(codex);
  const retained = (await settledHeap()) - heapBefore;
  console.log(
    `flood of 5000: ${JSON.stringify(counts)}; answered after ${retries} retries; ` +
      `heap retained ${(retained / 1e6).toFixed(2)} MB (bound ${RETAINED_BOUND_BYTES / 1e6} MB)`,
  );
  assert(
    retained < RETAINED_BOUND_BYTES,
    `the flood left ${(retained / 1e6).toFixed(2)} MB of heap behind`,
  );
});

/**
 * The server may still be working through the backlog of calls that timed out, and while its
 * outbound queue is full it drops replies outright (a timeout is then the only sign). A read is
 * safe to repeat, so the probe retries timeouts and overloads until one is answered.
 */
async function answeredAfterFlood(codex: Codex): Promise<number> {
  let retries = 0;
  const after = await retryOnOverload(
    () => codex.request("thread/loaded/list", {}, { timeoutMs: 10_000 }),
    { attempts: 12, retryTimeouts: true, onRetry: () => retries++ },
  );
  assertEquals(after.data.length, 0, "still usable");
  return retries;
}

for (const worker of [false, true]) {
  const mode = worker ? "worker" : "in-process";
  Deno.test(`[${mode}] a consumer that stops reading gets StreamOverflowError and the buffer is released`, async () => {
    await using codex = await Codex.connect({
      codexHome: home.dir,
      worker,
      maxBufferedEvents: 100,
    });
    const global = codex.events()[Symbol.asyncIterator]();
    const thread = await codex.threadStart({});
    const turn = await thread.turn("many deltas, nobody reads");
    // Wait, without reading the turn, until the server says the thread is idle again.
    while (true) {
      const next = await global.next();
      if (next.done) throw new Error("the global stream ended");
      const ev: CodexEvent = next.value;
      const p = ev.params as { threadId?: string; status?: { type?: string } };
      if (ev.method === "thread/status/changed" && p.threadId === thread.id) {
        if (p.status?.type === "idle") break;
      }
    }
    await global.return?.();
    // `turn/completed` follows the idle status in the same burst; one round trip later the
    // router has routed it (the server writes in order on one connection).
    await codex.request("thread/loaded/list", {});
    const read = await within((async () => {
      for await (const _ of turn.stream()) { /* the overflow surfaces here */ }
    })());
    assertEquals(read.status, "rejected", describeOutcome(read));
    const err = (read as { reason: unknown }).reason;
    assertInstanceOf(err, StreamOverflowError);
    assertEquals(err.limit, 100);
    const stats = await codex.stats();
    assertEquals(stats.activeTurns, 0, "the overflowed turn is no longer routed");
    assertEquals(stats.bufferedEvents ?? 0, 0, "its buffer was released");
    // The connection itself is fine.
    const next = await thread.run("a short turn after the overflow");
    assert(next.status === "completed");
  });
}

Deno.test({
  name: "teardown: the model server stops",
  fn: async () => {
    await home.cleanup();
    await model.close();
  },
});
