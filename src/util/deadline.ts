import { AbortError, TimeoutError } from "../errors/errors.ts";
import type { CloseWatch } from "./closed_latch.ts";

/** Largest delay one timer takes (2^31 - 1 ms); longer waits are chained. */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * What ends a {@link Deadline} besides its owner.
 *
 * @example
 * ```ts
 * import type { DeadlineOptions } from "./deadline.ts";
 * const options: DeadlineOptions<void> = { timeoutMs: 5_000, signal: AbortSignal.timeout(9_000) };
 * if (options.timeoutMs !== 5_000) throw new Error("unexpected");
 * ```
 */
export interface DeadlineOptions<T> {
  /** Ms until the time is up; 0, absent or `Infinity`: never. */
  timeoutMs?: number;
  /** Aborting it ends the wait. */
  signal?: AbortSignal;
  /** Closing it ends the wait with the closing error. */
  closed?: CloseWatch;
  /** Runs when the time is up (default: reject with `TimeoutError`); may `expireIn()` again. */
  onTimeout?: (deadline: Deadline<T>) => void;
  /** Runs when `signal` aborts (default: reject with `AbortError`). */
  onAbort?: (deadline: Deadline<T>) => void;
}

/**
 * One pending thing with a bound: a promise that settles exactly once — by its owner
 * (`resolve`, `reject`), or when its time is up, its `AbortSignal` aborts or its connection
 * closes — whichever comes first. Settling frees the timer and the abort listener and runs the
 * `onSettled` callbacks once, so whatever holds the pending thing (a queue, a map) lets go of it
 * on every path. Requests in every state, turn and login waits, retries and reconnection
 * backoffs all wait through one.
 *
 * @example A call that times out; a late answer changes nothing
 * ```ts
 * import { Deadline } from "./deadline.ts";
 * import { TimeoutError } from "../errors/errors.ts";
 * const call = new Deadline<string>("model/list", { timeoutMs: 10 });
 * let freed = false;
 * call.onSettled(() => freed = true);
 * const outcome = await call.promise.catch((err) => err);
 * if (!(outcome instanceof TimeoutError) || !freed) throw new Error("expected a timeout");
 * if (call.resolve("late")) throw new Error("a deadline settles once");
 * ```
 */
export class Deadline<T = void> {
  /** Settles once, whichever way. */
  readonly promise: Promise<T>;
  /** What is waited for, for error messages (`turn/start`, `turn 0192…`). */
  readonly what: string;
  #resolve!: (value: T) => void;
  #reject!: (error: unknown) => void;
  #settled = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #onSettled: Array<() => void> | undefined;
  readonly #options: DeadlineOptions<T>;
  #onAbortEvent: (() => void) | undefined;
  #stopWatchingClose: (() => void) | undefined;

  /** Starts the bound: the timer, the abort listener and the close watch begin now. */
  constructor(what: string, options: DeadlineOptions<T> = {}) {
    this.what = what;
    this.#options = options;
    this.promise = new Promise<T>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    const { signal, closed, timeoutMs } = options;
    if (signal?.aborted) {
      this.#aborted();
      return;
    }
    if (closed) {
      this.#stopWatchingClose = closed.onClose((error) => this.reject(error));
      if (this.#settled) return;
    }
    if (signal) {
      this.#onAbortEvent = () => this.#aborted();
      signal.addEventListener("abort", this.#onAbortEvent, { once: true });
    }
    if (timeoutMs !== undefined && timeoutMs > 0) this.expireIn(timeoutMs);
  }

  /** True once settled. */
  get settled(): boolean {
    return this.#settled;
  }

  /** Resolves it; false when it had settled already. */
  resolve(value: T): boolean {
    if (this.#settled) return false;
    this.#resolve(value);
    this.#finish();
    return true;
  }

  /** Rejects it; false when it had settled already. */
  reject(error: unknown): boolean {
    if (this.#settled) return false;
    this.#reject(error);
    this.#finish();
    return true;
  }

  /** (Re)arms the timer: the time is up `ms` from now (`Infinity`: never). */
  expireIn(ms: number): void {
    if (this.#settled) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (!Number.isFinite(ms)) return;
    const step = Math.min(Math.max(0, ms), MAX_TIMER_MS);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (step < ms) this.expireIn(ms - step);
      else if (this.#options.onTimeout) this.#options.onTimeout(this);
      else this.reject(new TimeoutError(this.what, this.#options.timeoutMs ?? ms));
    }, step);
  }

  /** Runs `fn` once when it settles (at once if it has). */
  onSettled(fn: () => void): void {
    if (this.#settled) fn();
    else (this.#onSettled ??= []).push(fn);
  }

  #aborted(): void {
    if (this.#options.onAbort) this.#options.onAbort(this);
    else this.reject(new AbortError(this.what, this.#options.signal?.reason));
  }

  /** Marks it settled and lets go of everything that could still end it. */
  #finish(): void {
    this.#settled = true;
    clearTimeout(this.#timer);
    if (this.#onAbortEvent) this.#options.signal!.removeEventListener("abort", this.#onAbortEvent);
    this.#stopWatchingClose?.();
    const callbacks = this.#onSettled;
    this.#onSettled = undefined;
    if (callbacks) { for (const fn of callbacks) fn(); }
  }
}

/**
 * Waits `ms`, unless `signal` aborts (`AbortError`) or `closed` closes (resolves early: a
 * backoff has nothing left to wait for).
 *
 * @example
 * ```ts
 * import { sleep } from "./deadline.ts";
 * import { AbortError } from "../errors/errors.ts";
 * await sleep(1);
 * const controller = new AbortController();
 * const waiting = sleep(60_000, { signal: controller.signal, what: "retry" });
 * controller.abort();
 * if (!(await waiting.catch((e) => e) instanceof AbortError)) throw new Error("expected abort");
 * ```
 */
export function sleep(
  ms: number,
  options: { signal?: AbortSignal; closed?: CloseWatch; what?: string } = {},
): Promise<void> {
  const wait = new Deadline<void>(options.what ?? "sleep", {
    timeoutMs: ms,
    signal: options.signal,
    onTimeout: (d) => d.resolve(),
  });
  if (options.closed) wait.onSettled(options.closed.onClose(() => wait.resolve()));
  if (!(ms > 0)) wait.resolve();
  return wait.promise;
}
