import { AbortError, ServerBusyError, TimeoutError } from "../errors/errors.ts";
import { sleep } from "../util/deadline.ts";

/**
 * Options of {@link retryOnOverload}.
 *
 * @example
 * ```ts
 * import type { RetryOptions } from "./retry.ts";
 * const options: RetryOptions = { attempts: 5, initialDelayMs: 100, maxDelayMs: 1_000 };
 * console.assert(options.attempts === 5);
 * ```
 */
export interface RetryOptions {
  /** Total attempts, the first included (default 3; at least 1). */
  attempts?: number;
  /** Delay before the first retry, in ms (default 250); it doubles after each retry. */
  initialDelayMs?: number;
  /** Largest delay between attempts, in ms (default 2 000). */
  maxDelayMs?: number;
  /** Spread of the random jitter, as a fraction of the delay (default 0.2: ±20 %). */
  jitterRatio?: number;
  /**
   * Also retry a `TimeoutError` (default false). An overloaded app-server drops some replies
   * outright, and a timeout is then the only sign; turn this on only for calls that are safe to
   * repeat (reads such as `thread/loaded/list`), since the timed-out call may still have run.
   */
  retryTimeouts?: boolean;
  /** Stops retrying: the wait rejects with `AbortError` and no further attempt is made. */
  signal?: AbortSignal;
  /** Called before each wait (for logs and tests). */
  onRetry?: (
    info: { attempt: number; delayMs: number; error: ServerBusyError | TimeoutError },
  ) => void;
  /** Waits `ms` (injectable for tests; default: a timer that `signal` cancels). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** A number in [0, 1) (injectable for tests; default `Math.random`). */
  random?: () => number;
}

/**
 * Runs `fn`, and runs it again when it fails with `ServerBusyError` (the app-server's -32001
 * "Server overloaded; retry later."), waiting a jittered, exponentially growing delay between
 * attempts; with `retryTimeouts`, a `TimeoutError` is retried the same way. Every other error —
 * and the last retryable one — is thrown as is.
 *
 * @param fn The operation; it is called once per attempt.
 * @param options Attempts, delays, cancellation and (for tests) the clock.
 * @returns What `fn` resolved with.
 * @throws {ServerBusyError} When every attempt was refused as overloaded.
 * @throws {TimeoutError} When the last attempt timed out (or any did, without `retryTimeouts`).
 * @throws {AbortError} When `signal` aborts before or between attempts.
 *
 * @example Retry a call refused twice as overloaded (no real waiting)
 * ```ts
 * import { retryOnOverload } from "./retry.ts";
 * import { ServerBusyError } from "../errors/errors.ts";
 * let calls = 0;
 * const waits: number[] = [];
 * const value = await retryOnOverload(() => {
 *   calls++;
 *   if (calls < 3) throw new ServerBusyError("Server overloaded; retry later.");
 *   return Promise.resolve("ok");
 * }, { sleep: (ms) => { waits.push(ms); return Promise.resolve(); }, random: () => 0.5 });
 * if (value !== "ok" || calls !== 3) throw new Error("expected a success on the third call");
 * if (waits.join() !== "250,500") throw new Error(`unexpected waits ${waits}`);
 * ```
 */
export async function retryOnOverload<T>(
  fn: () => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 3;
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new RangeError(
      `Cannot retry: attempts must be an integer of at least 1, got ${attempts}`,
    );
  }
  const maxDelay = options.maxDelayMs ?? 2_000;
  const jitterRatio = options.jitterRatio ?? 0.2;
  const wait = options.sleep ??
    ((ms: number, signal?: AbortSignal) => sleep(ms, { signal, what: "retryOnOverload" }));
  const random = options.random ?? Math.random;
  let delay = options.initialDelayMs ?? 250;
  for (let attempt = 1;; attempt++) {
    if (options.signal?.aborted) throw new AbortError("retryOnOverload", options.signal.reason);
    try {
      return await fn();
    } catch (error) {
      const retryable = error instanceof ServerBusyError ||
        (options.retryTimeouts === true && error instanceof TimeoutError);
      if (!retryable || attempt >= attempts) throw error;
      const base = Math.min(delay, maxDelay);
      const jitter = base * jitterRatio * (random() * 2 - 1);
      const delayMs = Math.max(0, Math.round(base + jitter));
      options.onRetry?.({ attempt, delayMs, error });
      await wait(delayMs, options.signal);
      delay = Math.min(delay * 2, maxDelay);
    }
  }
}
