import { EventChannel } from "../../src/util/event_channel.ts";
import { nextMacrotask } from "../../src/util/next_macrotask.ts";
import { channelToPort, portToSource, type PumpTimer } from "../../worker/port_channel.ts";
import { assert, assertEquals } from "../support/assert.ts";

/**
 * A timer that never fires by itself: the test sees every wait the pump starts, and a batch that
 * arrives while a wait is still pending was cut short, not waited out.
 */
class ManualTimer implements PumpTimer {
  readonly waits = new Map<number, number>();
  #next = 0;

  set(_callback: () => void, ms: number): unknown {
    const handle = ++this.#next;
    this.waits.set(handle, ms);
    return handle;
  }

  clear(handle: unknown): void {
    this.waits.delete(handle as number);
  }

  /** The wait pending now (the pump is inside its interval), after at most `tasks` tasks. */
  async pendingWait(tasks = 100): Promise<number | undefined> {
    for (let i = 0; i < tasks && this.waits.size === 0; i++) await nextMacrotask();
    return [...this.waits.values()][0];
  }
}

/** `promise`, or "still waiting" if it has not settled after `ms` (a hang fails, not stalls). */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | "still waiting"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"still waiting">((resolve) => {
    timer = setTimeout(() => resolve("still waiting"), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A pump with a 60 s interval whose first event has left; the second waits in the interval. */
async function pumpInsideItsInterval() {
  const channel = new EventChannel<number>();
  const timer = new ManualTimer();
  const source = portToSource<number>(channelToPort(channel, 60_000, timer));
  const batches = source[Symbol.asyncIterator]();
  channel.push(1);
  assertEquals((await batches.next()).value, [1], "the first event leaves at once");
  assertEquals(timer.waits.size, 0, "with no wait");
  channel.push(2);
  const wait = await timer.pendingWait();
  assert(wait !== undefined && wait > 59_000, `the pump waits out its interval (wait ${wait})`);
  return { channel, timer, batches };
}

Deno.test("[worker] a stream that ends during the batch interval is delivered at once", async () => {
  const { channel, timer, batches } = await pumpInsideItsInterval();
  channel.end();
  assertEquals(timer.waits.size, 0, "the end cleared the interval's wait");
  const last = await within(batches.next(), 10_000);
  assertEquals(last === "still waiting" ? last : last.value, [2], "the timer never fired");
  assertEquals((await batches.next()).done, true);
});

Deno.test("[worker] a stream that fails during the batch interval reports the failure at once", async () => {
  const { channel, timer, batches } = await pumpInsideItsInterval();
  channel.fail(new Error("the connection closed"));
  assertEquals(timer.waits.size, 0, "the failure cleared the interval's wait");
  const last = await within(batches.next(), 10_000);
  assertEquals(last === "still waiting" ? last : last.value, [2], "the timer never fired");
  const failure = await batches.next().then(() => undefined, (err: Error) => err.message);
  assertEquals(failure, "the connection closed");
});

Deno.test("[worker] a cancelled stream clears the interval's wait", async () => {
  const { timer, batches } = await pumpInsideItsInterval();
  await batches.return?.();
  for (let i = 0; i < 100 && timer.waits.size > 0; i++) await nextMacrotask();
  assertEquals(timer.waits.size, 0, "no timer is left behind by a cancelled stream");
});
