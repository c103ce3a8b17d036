/**
 * The defaults of the connect options, each defined once. The router, the in-process client,
 * the Worker on both sides of its boundary and the reconnecting connection all read them from
 * here, so a default changes in one line.
 *
 * @example A stream's buffer bound unless the caller gives one
 * ```ts
 * import { CONNECT_DEFAULTS } from "./defaults.ts";
 * const limit = (given?: number) => given ?? CONNECT_DEFAULTS.maxBufferedEvents;
 * if (limit() !== 250_000 || limit(10) !== 10) throw new Error("unexpected bound");
 * ```
 */
export const CONNECT_DEFAULTS = {
  /** Default timeout of every request, in ms (0 = none). */
  requestTimeoutMs: 120_000,
  /** Timeout of connect + initialize, in ms. */
  connectTimeoutMs: 30_000,
  /** Requests in flight at once; more wait in order. */
  maxInFlight: 64,
  /** Bound of each stream's buffer, in events. */
  maxBufferedEvents: 250_000,
  /** Bound of the global stream's backlog kept while nobody listens, in events. */
  globalBacklog: 1_000,
  /** Largest message accepted, in characters (64 Mi). */
  maxMessageChars: 64 * 1024 * 1024,
  /** Reconnection (`reconnect: true`): attempts, then the backoff's first and longest delay. */
  reconnect: { maxAttempts: 8, initialDelayMs: 100, maxDelayMs: 5_000 },
} as const;
