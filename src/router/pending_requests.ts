import type { CallOptions } from "../core/call_options.ts";
import { Deadline } from "../util/deadline.ts";

/**
 * The calls waiting for an answer, by id. Each is a {@link Deadline}: response, error, timeout,
 * abort or close settle it once, and settling frees its timer, its listener and its entry here.
 *
 * @example
 * ```ts
 * import { PendingRequests } from "./pending_requests.ts";
 * const pending = new PendingRequests();
 * const answer = pending.add(1, "model/list", {});
 * pending.settle(1, { ok: true, value: { data: [] } });
 * console.assert((await answer as { data: unknown[] }).data.length === 0);
 * ```
 */
export class PendingRequests {
  readonly #entries = new Map<number | string, Deadline<unknown>>();
  /** Called after any entry settles (to release an in-flight slot). */
  onSettled: (() => void) | undefined;

  /** Number of calls waiting. */
  get size(): number {
    return this.#entries.size;
  }

  /** Whether a call with `id` is waiting. */
  has(id: number | string): boolean {
    return this.#entries.has(id);
  }

  /** The method of a waiting call. */
  methodOf(id: number | string): string | undefined {
    return this.#entries.get(id)?.what;
  }

  /** Registers a call and returns its answer; its timeout and signal count from now. */
  add(id: number | string, method: string, options: CallOptions): Promise<unknown> {
    return this.track(id, new Deadline<unknown>(method, options));
  }

  /** Registers a sent call (its bound may have begun before, while it waited); its answer. */
  track(id: number | string, call: Deadline<unknown>): Promise<unknown> {
    if (call.settled) {
      this.onSettled?.();
      return call.promise;
    }
    this.#entries.set(id, call);
    call.onSettled(() => {
      this.#entries.delete(id);
      this.onSettled?.();
    });
    return call.promise;
  }

  /** Settles one call; returns false when no such call is waiting (late or unknown id). */
  settle(
    id: number | string,
    outcome: { ok: true; value: unknown } | { ok: false; error: unknown },
  ): boolean {
    const call = this.#entries.get(id);
    if (!call) return false;
    return outcome.ok ? call.resolve(outcome.value) : call.reject(outcome.error);
  }
}
