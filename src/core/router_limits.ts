/**
 * The router's limits (their defaults: `CONNECT_DEFAULTS` in `defaults.ts`), part of the connect
 * options; the router reads them and nothing else of those options.
 *
 * @example
 * ```ts
 * import type { RouterLimits } from "./router_limits.ts";
 * const limits: RouterLimits = { requestTimeoutMs: 0, maxInFlight: 8, maxBufferedEvents: 10_000 };
 * if (limits.requestTimeoutMs !== 0) throw new Error("0 turns the timeout off");
 * ```
 */
export interface RouterLimits {
  /** Default timeout of every request, in ms (default 120 000; 0 = none). */
  requestTimeoutMs?: number;
  /** Requests in flight at once (default 64); more wait in order. */
  maxInFlight?: number;
  /** Bound of each stream's buffer, in events (default 250 000). */
  maxBufferedEvents?: number;
}
