import type { Deadline } from "../util/deadline.ts";

/**
 * Caps the number of requests in flight (the app-server drops replies when flooded). Waiters are
 * served in order; each waits within its {@link Deadline}, and leaves the queue when that settles
 * otherwise (timeout, abort, close).
 *
 * @example
 * ```ts
 * import { InFlightLimiter } from "./in_flight_limiter.ts";
 * import { Deadline } from "../util/deadline.ts";
 * const limiter = new InFlightLimiter(1);
 * const granted: string[] = [];
 * limiter.enqueue(new Deadline("a"), () => granted.push("a"));
 * limiter.enqueue(new Deadline("b"), () => granted.push("b"));
 * if (granted.join() !== "a" || limiter.waiting !== 1) throw new Error("b should wait");
 * limiter.release();
 * if (granted.join() !== "a,b" || limiter.active !== 1) throw new Error("b should hold the slot");
 * ```
 */
export class InFlightLimiter {
  readonly #max: number;
  #active = 0;
  readonly #waiters: Array<{ call: Deadline<unknown>; grant: () => void }> = [];

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

  /**
   * Runs `grant` once a slot is taken for `call` (at once when one is free). A call that
   * settles first (timeout, abort, close) leaves the queue and is never granted.
   */
  enqueue(call: Deadline<unknown>, grant: () => void): void {
    if (call.settled) return;
    if (this.tryAcquire()) return grant();
    const waiter = { call, grant };
    this.#waiters.push(waiter);
    call.onSettled(() => {
      const i = this.#waiters.indexOf(waiter);
      if (i >= 0) this.#waiters.splice(i, 1);
    });
  }

  /** Frees a slot and hands it to the next waiter. */
  release(): void {
    this.#active = Math.max(0, this.#active - 1);
    while (this.#waiters.length > 0 && this.#active < this.#max) {
      const next = this.#waiters.shift()!;
      if (next.call.settled) continue;
      this.#active++;
      next.grant();
    }
  }
}
