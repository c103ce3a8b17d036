import { Deadline } from "../util/deadline.ts";

/**
 * A first-come, first-served bound on a member's running turns. `acquire()` takes a slot at
 * once when one is free and nobody waits; otherwise it waits in order. A waiting turn's
 * `timeoutMs` and `signal` still run: it leaves the queue with `TimeoutError` or `AbortError`.
 *
 * @example Two slots, a third turn waits until one is released
 * ```ts
 * import { TurnSlots } from "./turn_slots.ts";
 * const slots = new TurnSlots(2);
 * const a = await slots.acquire("a");
 * await slots.acquire("b");
 * const third = slots.acquire("c");
 * const counts = () => `${slots.running}/${slots.waiting}`;
 * if (counts() !== "2/1") throw new Error("the third waits");
 * a();
 * await third;
 * if (counts() !== "2/0") throw new Error("the third runs");
 * ```
 */
export class TurnSlots {
  readonly #cap: number;
  #used = 0;
  readonly #queue: Deadline<void>[] = [];

  /** Creates a bound of `cap` running turns (at least 1). */
  constructor(cap: number) {
    if (!(Number.isInteger(cap) && cap >= 1)) {
      throw new RangeError(`maxRunningTurnsPerMember must be an integer ≥ 1, got ${cap}`);
    }
    this.#cap = cap;
  }

  /** Slots in use (turns running). */
  get running(): number {
    return this.#used;
  }

  /** Turns waiting for a slot. */
  get waiting(): number {
    return this.#queue.length;
  }

  /**
   * Takes a slot, waiting in order when none is free; resolves with the function that releases
   * it (calling it more than once releases it once).
   *
   * @throws {TimeoutError} When `timeoutMs` passes while waiting.
   * @throws {AbortError} When `signal` aborts while waiting.
   */
  async acquire(
    what: string,
    options: { timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<() => void> {
    if (this.#used < this.#cap && this.#queue.length === 0) {
      this.#used++;
      return this.#releaser();
    }
    const wait = new Deadline<void>(what, options);
    this.#queue.push(wait);
    wait.onSettled(() => {
      const i = this.#queue.indexOf(wait);
      if (i >= 0) this.#queue.splice(i, 1);
    });
    await wait.promise;
    return this.#releaser();
  }

  /** Rejects every waiting turn with `error` (the member went down). */
  failWaiting(error: Error): void {
    for (const wait of this.#queue.splice(0)) wait.reject(error);
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#used--;
      while (this.#used < this.#cap && this.#queue.length > 0) {
        if (this.#queue.shift()!.resolve()) this.#used++;
      }
    };
  }
}
