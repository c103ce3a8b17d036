import { assertEquals, assertRejects } from "../support/assert.ts";
import {
  AbortError,
  InvalidParamsError,
  retryOnOverload,
  type RetryOptions,
  ServerBusyError,
  TimeoutError,
} from "../../mod.ts";

/** A clock that records waits instead of sleeping. */
function fakeClock(random = 0.5): Required<Pick<RetryOptions, "sleep" | "random">> & {
  waits: number[];
} {
  const waits: number[] = [];
  return {
    waits,
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
    random: () => random,
  };
}

function failing(errors: unknown[], value = "done") {
  let calls = 0;
  const fn = () => {
    const error = errors[calls++];
    return error === undefined ? Promise.resolve(value) : Promise.reject(error);
  };
  return { fn, calls: () => calls };
}

const busy = () => new ServerBusyError("Server overloaded; retry later.");

Deno.test("retryOnOverload retries ServerBusyError with exponential backoff from 250 ms", async () => {
  const clock = fakeClock();
  const op = failing([busy(), busy()]);
  assertEquals(await retryOnOverload(op.fn, clock), "done");
  assertEquals(op.calls(), 3);
  assertEquals(clock.waits, [250, 500]);
});

Deno.test("retryOnOverload gives up after 3 attempts with the last ServerBusyError", async () => {
  const clock = fakeClock();
  const last = busy();
  const op = failing([busy(), busy(), last]);
  const err = await assertRejects(() => retryOnOverload(op.fn, clock), ServerBusyError);
  assertEquals(err, last);
  assertEquals(op.calls(), 3);
  assertEquals(clock.waits.length, 2);
});

Deno.test("retryOnOverload never retries other errors", async () => {
  for (const error of [new TimeoutError("x", 1), new InvalidParamsError(-32602, "bad")]) {
    const clock = fakeClock();
    const op = failing([error]);
    await assertRejects(() => retryOnOverload(op.fn, clock), Error);
    assertEquals(op.calls(), 1);
    assertEquals(clock.waits, []);
  }
});

Deno.test("retryOnOverload retries TimeoutError only when retryTimeouts is set", async () => {
  const clock = fakeClock();
  const op = failing([new TimeoutError("thread/loaded/list", 5_000), busy()]);
  const retried: string[] = [];
  const value = await retryOnOverload(op.fn, {
    ...clock,
    retryTimeouts: true,
    onRetry: ({ error }) => retried.push(error.code),
  });
  assertEquals(value, "done");
  assertEquals(op.calls(), 3);
  assertEquals(retried, ["TIMEOUT", "SERVER_BUSY"]);
  const last = new TimeoutError("thread/loaded/list", 5_000);
  const spent = failing([new TimeoutError("x", 1), new TimeoutError("x", 1), last]);
  const err = await assertRejects(
    () => retryOnOverload(spent.fn, { ...fakeClock(), retryTimeouts: true }),
    TimeoutError,
  );
  assertEquals(err, last);
});

Deno.test("retryOnOverload caps the delay at maxDelayMs", async () => {
  const clock = fakeClock();
  const op = failing(Array.from({ length: 6 }, busy));
  await retryOnOverload(op.fn, { ...clock, attempts: 7, initialDelayMs: 500, maxDelayMs: 2_000 });
  assertEquals(clock.waits, [500, 1_000, 2_000, 2_000, 2_000, 2_000]);
});

Deno.test("retryOnOverload jitters each delay by ±20 % by default", async () => {
  const low = fakeClock(0);
  await retryOnOverload(failing([busy(), busy()]).fn, low);
  assertEquals(low.waits, [200, 400]);
  const high = fakeClock(0.999_999);
  await retryOnOverload(failing([busy(), busy()]).fn, high);
  assertEquals(high.waits, [300, 600]);
});

Deno.test("retryOnOverload stops with AbortError when its signal aborts between attempts", async () => {
  const controller = new AbortController();
  const op = failing([busy(), busy()]);
  const err = await assertRejects(
    () =>
      retryOnOverload(op.fn, {
        signal: controller.signal,
        sleep: () => {
          controller.abort();
          return Promise.resolve();
        },
      }),
    AbortError,
  );
  assertEquals(err.code, "ABORTED");
  assertEquals(op.calls(), 1);
});

Deno.test("retryOnOverload's default sleep is cancelled by the signal", async () => {
  const controller = new AbortController();
  const op = failing([busy(), busy()]);
  const pending = retryOnOverload(op.fn, {
    signal: controller.signal,
    initialDelayMs: 60_000,
    onRetry: () => controller.abort(),
  });
  await assertRejects(() => pending, AbortError);
  assertEquals(op.calls(), 1);
});

Deno.test("retryOnOverload refuses fewer than one attempt", async () => {
  await assertRejects(() => retryOnOverload(() => Promise.resolve(1), { attempts: 0 }), RangeError);
});
