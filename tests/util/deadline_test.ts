import { AbortError, TimeoutError } from "../../src/errors/errors.ts";
import { ClosedLatch } from "../../src/util/closed_latch.ts";
import { Deadline, sleep } from "../../src/util/deadline.ts";
import { assert, assertEquals, assertRejects } from "../support/assert.ts";

Deno.test("a deadline settles once and runs its onSettled callbacks once", async () => {
  const deadline = new Deadline<string>("call");
  let settledRuns = 0;
  deadline.onSettled(() => settledRuns++);
  assert(deadline.resolve("first"));
  assert(!deadline.resolve("second"), "a second resolve must be refused");
  assert(!deadline.reject(new Error("late")), "a reject after resolve must be refused");
  assertEquals(await deadline.promise, "first");
  deadline.onSettled(() => settledRuns++); // runs at once: it has settled
  assertEquals(settledRuns, 2);
});

Deno.test("a deadline whose time is up rejects with TimeoutError naming what timed out", async () => {
  const deadline = new Deadline<void>("model/list", { timeoutMs: 5 });
  const err = await assertRejects(() => deadline.promise, TimeoutError, "model/list");
  assertEquals(err.timeoutMs, 5);
  assert(deadline.settled);
});

Deno.test("aborting the signal rejects with AbortError and the reason as cause", async () => {
  const controller = new AbortController();
  const deadline = new Deadline<void>("turn/start", { signal: controller.signal });
  controller.abort("user left");
  const err = await assertRejects(() => deadline.promise, AbortError, "turn/start");
  assertEquals(err.cause, "user left");
  const already = new Deadline<void>("again", { signal: controller.signal });
  await assertRejects(() => already.promise, AbortError);
});

Deno.test("settling removes the abort listener: a later abort runs nothing", async () => {
  const controller = new AbortController();
  let aborts = 0;
  const deadline = new Deadline<number>("x", {
    signal: controller.signal,
    onAbort: (d) => {
      aborts++;
      d.reject(new Error("aborted"));
    },
  });
  deadline.resolve(1);
  controller.abort();
  assertEquals(aborts, 0);
  assertEquals(await deadline.promise, 1);
});

Deno.test("closing the latch rejects the deadline with the closing error, even when closed before", async () => {
  const latch = new ClosedLatch<Error>();
  const open = new Deadline<void>("queued call", { closed: latch });
  const gone = new Error("connection closed");
  latch.close(gone);
  assertEquals(await open.promise.catch((e) => e), gone);
  const late = new Deadline<void>("late call", { closed: latch, timeoutMs: 60_000 });
  assertEquals(await late.promise.catch((e) => e), gone);
});

Deno.test("onTimeout can re-arm the timer (a sliding bound) before it gives up", async () => {
  let checks = 0;
  const deadline = new Deadline<void>("idle watch", {
    timeoutMs: 1,
    onTimeout: (d) => {
      checks++;
      if (checks < 3) d.expireIn(1);
      else d.reject(new TimeoutError("idle watch", 3));
    },
  });
  await assertRejects(() => deadline.promise, TimeoutError);
  assertEquals(checks, 3);
});

Deno.test("a zero or infinite timeout never expires", async () => {
  for (const timeoutMs of [0, Infinity]) {
    const deadline = new Deadline<string>("x", { timeoutMs });
    await sleep(2);
    assert(!deadline.settled, `timeoutMs ${timeoutMs} expired`);
    deadline.resolve("done");
    assertEquals(await deadline.promise, "done");
  }
});

Deno.test("sleep waits, rejects on abort and ends early when the latch closes", async () => {
  await sleep(1);
  const controller = new AbortController();
  const aborted = sleep(60_000, { signal: controller.signal, what: "retry" });
  controller.abort();
  await assertRejects(() => aborted, AbortError, "retry");
  const latch = new ClosedLatch();
  const backoff = sleep(60_000, { closed: latch });
  latch.close(new Error("closing"));
  await backoff; // resolves: a backoff has nothing left to wait for
});
