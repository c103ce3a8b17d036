import { AbortError, TimeoutError } from "../errors/errors.ts";

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
}

interface Entry {
  method: string;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  cleanup: () => void;
}

/**
 * The calls waiting for an answer. ONE path settles every call — response, error, timeout,
 * abort or close — so a call settles exactly once and its timer and listener are always freed.
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
  readonly #entries = new Map<number | string, Entry>();
  /** Called after any entry settles (to release an in-flight slot). */
  onSettled: (() => void) | undefined;

  /** Number of calls waiting. */
  get size(): number {
    return this.#entries.size;
  }

  /** The method of a waiting call. */
  methodOf(id: number | string): string | undefined {
    return this.#entries.get(id)?.method;
  }

  /** Registers a call and returns its answer. */
  add(id: number | string, method: string, options: CallOptions): Promise<unknown> {
    return new Promise((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const onAbort = () => this.settle(id, { ok: false, error: new AbortError(method) });
      const entry: Entry = {
        method,
        resolve,
        reject,
        cleanup: () => {
          if (timer !== undefined) clearTimeout(timer);
          options.signal?.removeEventListener("abort", onAbort);
        },
      };
      this.#entries.set(id, entry);
      if (options.timeoutMs && options.timeoutMs > 0) {
        const ms = options.timeoutMs;
        timer = setTimeout(
          () => this.settle(id, { ok: false, error: new TimeoutError(method, ms) }),
          ms,
        );
      }
      options.signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Settles one call; returns false when no such call is waiting (late or unknown id). */
  settle(
    id: number | string,
    outcome: { ok: true; value: unknown } | { ok: false; error: unknown },
  ): boolean {
    const entry = this.#entries.get(id);
    if (!entry) return false;
    this.#entries.delete(id);
    entry.cleanup();
    if (outcome.ok) entry.resolve(outcome.value);
    else entry.reject(outcome.error);
    this.onSettled?.();
    return true;
  }

  /** Settles every waiting call with `error`. */
  failAll(error: unknown): void {
    for (const id of [...this.#entries.keys()]) this.settle(id, { ok: false, error });
  }
}
