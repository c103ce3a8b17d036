import { AbortError, TimeoutError } from "../errors/errors.ts";

/**
 * Caps the number of requests in flight (the app-server drops replies when flooded). Waiters are
 * served in order; a waiter that times out or is aborted leaves the queue.
 *
 * @example
 * ```ts
 * import { InFlightLimiter } from "./in_flight_limiter.ts";
 * const limiter = new InFlightLimiter(1);
 * await limiter.acquire("a", {});
 * const second = limiter.acquire("b", {});
 * limiter.release();
 * await second;
 * console.assert(limiter.active === 1);
 * ```
 */
export class InFlightLimiter {
  readonly #max: number;
  #active = 0;
  readonly #waiters: Array<{ grant: () => void; fail: (e: unknown) => void }> = [];

  /** Allows at most `max` concurrent holders. */
  constructor(max: number) {
    this.#max = Math.max(1, max);
  }

  /** Current holders. */
  get active(): number {
    return this.#active;
  }

  /** Waiters. */
  get waiting(): number {
    return this.#waiters.length;
  }

  /** Takes a slot at once when one is free; returns false otherwise. */
  tryAcquire(): boolean {
    if (this.#active < this.#max && this.#waiters.length === 0) {
      this.#active++;
      return true;
    }
    return false;
  }

  /** Waits for a slot. */
  acquire(what: string, options: { timeoutMs?: number; signal?: AbortSignal }): Promise<void> {
    if (options.signal?.aborted) return Promise.reject(new AbortError(what));
    if (this.#active < this.#max && this.#waiters.length === 0) {
      this.#active++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const cleanup = () => {
        if (timer !== undefined) clearTimeout(timer);
        options.signal?.removeEventListener("abort", onAbort);
        const i = this.#waiters.indexOf(waiter);
        if (i >= 0) this.#waiters.splice(i, 1);
      };
      const waiter = {
        grant: () => {
          cleanup();
          this.#active++;
          resolve();
        },
        fail: (e: unknown) => {
          cleanup();
          reject(e);
        },
      };
      const onAbort = () => waiter.fail(new AbortError(what));
      this.#waiters.push(waiter);
      if (options.timeoutMs && options.timeoutMs > 0) {
        const ms = options.timeoutMs;
        timer = setTimeout(() => waiter.fail(new TimeoutError(what, ms)), ms);
      }
      options.signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Frees a slot and hands it to the next waiter. */
  release(): void {
    this.#active = Math.max(0, this.#active - 1);
    const next = this.#waiters[0];
    if (next && this.#active < this.#max) next.grant();
  }

  /** Fails every waiter. */
  failAll(error: unknown): void {
    for (const w of [...this.#waiters]) w.fail(error);
  }
}
