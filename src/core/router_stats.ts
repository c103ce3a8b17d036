/**
 * Counters for tests and diagnostics (`codex.connection.stats()`).
 *
 * **Advanced API**: the router's internals, for diagnostics and leak tests; fields may be added
 * in any release.
 *
 * @example A connection is idle when nothing waits and no turn is routed
 * ```ts
 * import type { RouterStats } from "./router_stats.ts";
 * const idle = (s: RouterStats): boolean => s.pendingRequests === 0 && s.activeTurns === 0;
 * const stats: RouterStats = {
 *   pendingRequests: 0,
 *   activeTurns: 1,
 *   captures: 0,
 *   capturedEvents: 0,
 *   bufferedEvents: 12,
 *   pendingServerRequests: 0,
 *   protocolErrors: 0,
 * };
 * if (idle(stats)) throw new Error("a turn is still routed");
 * ```
 */
export interface RouterStats {
  /** Requests waiting for an answer. */
  pendingRequests: number;
  /** Turns being routed. */
  activeTurns: number;
  /** Threads with a turn start in flight. */
  captures: number;
  /** Events held for turns whose start is not answered yet. */
  capturedEvents: number;
  /** Unread events in the streams of turns still being routed. */
  bufferedEvents: number;
  /** Server requests whose answer is being computed. */
  pendingServerRequests: number;
  /** Malformed messages seen. */
  protocolErrors: number;
}
