/**
 * Per-call options shared by every request.
 *
 * @example
 * ```ts
 * import type { CallOptions } from "./call_options.ts";
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
