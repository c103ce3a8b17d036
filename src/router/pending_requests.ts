import { Deadline } from "../util/deadline.ts";

/**
 * Per-call options shared by every request.
 *
 * @example
 * ```ts
 * import type { CallOptions } from "./pending_requests.ts";
 * const options: CallOptions = { timeoutMs: 5_000, signal: new AbortController().signal };
 * console.assert(options.timeoutMs === 5_000);
 * ```
 */
export interface CallOptions {
  /** Milliseconds before the call fails with `TimeoutError`; 0 disables the timeout. */
  timeoutMs?: number;
  /** Cancels the call with `AbortError`. */
  signal?: AbortSignal;
  /**
   * The JSON-RPC id to send the request with, for requests whose notifications or cancel name
   * it (`thread/search/stream`). Default: the router's next number. A string id never collides
   * with those; one already waiting is refused with `TypeError`.
   */
  requestId?: string;
}

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
