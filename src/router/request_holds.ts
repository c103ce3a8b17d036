/**
 * Requests the router holds back until their turn has started. The app-server answers
 * `turn/start` before the turn is running, and refuses to interrupt a turn it has answered but
 * not started yet ("no active turn to interrupt"); so such a request waits for the turn's
 * `turn/started` (or its end, or the connection's) before it is sent. Its deadline covers the
 * wait: a timeout or abort while held settles it without sending.
 *
 * This is the router's only knowledge of a method's meaning beyond the generated tables; add a
 * method here when the server refuses it in the same window.
 *
 * @module
 */

/** Methods held until the turn named by their `turnId` param has started. */
export const HELD_UNTIL_TURN_STARTED: ReadonlySet<string> = new Set(["turn/interrupt"]);

/**
 * The turn a request must wait for, or `undefined` when it is sent at once.
 *
 * @example
 * ```ts
 * import { turnToStartFirst } from "./request_holds.ts";
 * if (turnToStartFirst("turn/interrupt", { threadId: "t", turnId: "u" }) !== "u") {
 *   throw new Error("an interrupt waits for its turn");
 * }
 * if (turnToStartFirst("turn/steer", { turnId: "u" }) !== undefined) {
 *   throw new Error("a steer is sent at once");
 * }
 * ```
 */
export function turnToStartFirst(method: string, params: unknown): string | undefined {
  if (!HELD_UNTIL_TURN_STARTED.has(method)) return undefined;
  const turnId = (params as { turnId?: unknown } | undefined)?.turnId;
  return typeof turnId === "string" ? turnId : undefined;
}
