/**
 * Options and event params of reconnection (`ConnectOptions.reconnect`).
 *
 * @module
 */

/**
 * How a WebSocket connection is re-established after it drops (`ConnectOptions.reconnect`).
 *
 * @example
 * ```ts
 * import type { ReconnectOptions } from "./reconnect_options.ts";
 * const reconnect: ReconnectOptions = { maxAttempts: 5, initialDelayMs: 200, maxDelayMs: 2000 };
 * console.assert(reconnect.maxAttempts === 5);
 * ```
 */
export interface ReconnectOptions {
  /** Attempts before giving up (default 8); then the connection closes for good. */
  maxAttempts?: number;
  /** Delay before the first attempt, in ms (default 100); doubled after each failure. */
  initialDelayMs?: number;
  /** Largest delay between attempts, in ms (default 5 000). */
  maxDelayMs?: number;
}

/**
 * A turn whose events may be incomplete because the connection dropped while it ran.
 *
 * @example
 * ```ts
 * import type { InterruptedTurn } from "./reconnect_options.ts";
 * const cut: InterruptedTurn = { threadId: "t", turnId: "u", status: "completed", items: [] };
 * console.assert(cut.status === "completed");
 * ```
 */
export interface InterruptedTurn {
  /** The thread. */
  threadId: string;
  /** The turn. */
  turnId: string;
  /** Its status as `thread/read` reports it after the reconnection (`unknown` if not found). */
  status: string;
  /** Its items as `thread/read` (`includeTurns`) reports them: the reconciled, finished items. */
  items: unknown[];
}

/**
 * Params of the `sdk/reconnected` event on the global stream.
 *
 * @example
 * ```ts
 * import type { ReconnectedParams } from "./reconnect_options.ts";
 * function cutTurns(p: ReconnectedParams): number {
 *   return p.turns.length;
 * }
 * const params: ReconnectedParams = { attempt: 2, threads: ["t"], failedThreads: [], turns: [] };
 * if (cutTurns(params) !== 0) throw new Error("no turn was running");
 * ```
 */
export interface ReconnectedParams {
  /** Which attempt succeeded (1 = the first). */
  attempt: number;
  /** Threads re-subscribed with `thread/resume`. */
  threads: string[];
  /** Threads that could not be resumed, with the server's message. */
  failedThreads: Array<{ threadId: string; message: string }>;
  /** Turns that were running at the disconnection (their streams go on after an `sdk/gap`). */
  turns: InterruptedTurn[];
}
