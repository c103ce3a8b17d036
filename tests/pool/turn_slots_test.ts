/**
 * The per-member bound on running turns: beyond it, turns wait first come, first served; a
 * waiting turn's timeout and abort still end its wait (and free its place in the queue); a
 * member going down fails every waiting turn.
 */
import { assertEquals, assertRejects } from "../support/assert.ts";
import { AbortError, TimeoutError, TransportClosedError } from "../../mod.ts";
import { TurnSlots } from "../../src/pool/turn_slots.ts";

Deno.test("turn slots: waiters are served in order", async () => {
  const slots = new TurnSlots(1);
  const first = await slots.acquire("first");
  const order: string[] = [];
  const waiting = ["a", "b", "c"].map((name) =>
    slots.acquire(name).then((release) => {
      order.push(name);
      release();
    })
  );
  assertEquals([slots.running, slots.waiting], [1, 3]);
  first();
  await Promise.all(waiting);
  assertEquals(order, ["a", "b", "c"]);
  assertEquals([slots.running, slots.waiting], [0, 0]);
});

Deno.test("turn slots: a waiting turn's timeout and abort still run; down fails the rest", async () => {
  const slots = new TurnSlots(1);
  const held = await slots.acquire("held");
  await assertRejects(() => slots.acquire("timed", { timeoutMs: 5 }), TimeoutError);
  const controller = new AbortController();
  const aborted = slots.acquire("aborted", { signal: controller.signal });
  controller.abort();
  await assertRejects(() => aborted, AbortError);
  assertEquals(slots.waiting, 0, "the queue let go of both");
  const stranded = slots.acquire("stranded");
  slots.failWaiting(new TransportClosedError("Pool member a: gone"));
  await assertRejects(() => stranded, TransportClosedError, "Pool member a");
  held();
  held(); // a second release changes nothing
  assertEquals(slots.running, 0);
  const again = await slots.acquire("again");
  assertEquals(slots.running, 1);
  again();
});
