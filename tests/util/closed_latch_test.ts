import { ClosedLatch } from "../../src/util/closed_latch.ts";
import { assert, assertEquals } from "../support/assert.ts";

Deno.test("the first close wins and every waiter gets its error", async () => {
  const latch = new ClosedLatch<Error>();
  const before = latch.wait();
  assert(!latch.closed && latch.error === undefined);
  const first = new Error("first");
  assert(latch.close(first));
  assert(!latch.close(new Error("second")), "a second close must be refused");
  assertEquals(await before, first);
  assertEquals(await latch.wait(), first);
  assertEquals(latch.error, first);
});

Deno.test("onClose runs once, at once when closed, and not after it is stopped", () => {
  const latch = new ClosedLatch<string>();
  const seen: string[] = [];
  latch.onClose((e) => seen.push(`a:${e}`));
  const stop = latch.onClose((e) => seen.push(`b:${e}`));
  stop();
  latch.close("gone");
  latch.close("again");
  latch.onClose((e) => seen.push(`c:${e}`));
  assertEquals(seen, ["a:gone", "c:gone"]);
});

Deno.test("throwIfClosed throws the closing error only once closed", () => {
  const latch = new ClosedLatch<Error>();
  latch.throwIfClosed();
  const gone = new Error("gone");
  latch.close(gone);
  let thrown: unknown;
  try {
    latch.throwIfClosed();
  } catch (err) {
    thrown = err;
  }
  assertEquals(thrown, gone);
});
