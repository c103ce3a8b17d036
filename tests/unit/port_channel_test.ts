import { EventChannel } from "../../src/util/event_channel.ts";
import { channelToPort, portToSource } from "../../worker/port_channel.ts";
import { assertEquals } from "../support/assert.ts";

/**
 * `promise`, or "still waiting" if it has not settled after `ms`: tells "cut the 60 s interval
 * short" from "waited it out" without waiting a minute.
 */
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

Deno.test("[worker] a stream that ends during the batch interval is delivered at once", async () => {
  const channel = new EventChannel<number>();
  // An interval far longer than the test may take: only an end that cuts it short finishes.
  const source = portToSource<number>(channelToPort(channel, 60_000));
  const batches = source[Symbol.asyncIterator]();
  channel.push(1);
  assertEquals((await batches.next()).value, [1], "the first event leaves at once");
  channel.push(2);
  await new Promise((resolve) => setTimeout(resolve, 0)); // the pump is now inside its interval
  channel.end();
  const last = await within(batches.next(), 10_000);
  assertEquals(last === "still waiting" ? last : last.value, [2], "not after the 60 s interval");
  assertEquals((await batches.next()).done, true);
});

Deno.test("[worker] a stream that fails during the batch interval reports the failure at once", async () => {
  const channel = new EventChannel<number>();
  const source = portToSource<number>(channelToPort(channel, 60_000));
  const batches = source[Symbol.asyncIterator]();
  channel.push(1);
  assertEquals((await batches.next()).value, [1]);
  channel.push(2);
  await new Promise((resolve) => setTimeout(resolve, 0));
  channel.fail(new Error("the connection closed"));
  const last = await within(batches.next(), 10_000);
  assertEquals(last === "still waiting" ? last : last.value, [2], "not after the 60 s interval");
  const failure = await batches.next().then(() => undefined, (err: Error) => err.message);
  assertEquals(failure, "the connection closed");
});
