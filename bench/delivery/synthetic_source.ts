/**
 * A synthetic app-server for the delivery benchmarks: it produces the notification lines of one
 * turn (`turn/started`, N `item/agentMessage/delta`, `turn/completed`, real shapes) straight
 * into a sink inside the Worker, with no process, pipe or socket in between. Runtime-neutral
 * (Deno and browsers).
 *
 * Two shapes of arrival:
 *
 * - flood: `linesPerTask` lines per macrotask (256 ≈ one 64 KiB stdio read; 1 = one WebSocket
 *   frame per line, what the browser bridge delivers), as fast as the thread allows;
 * - paced: one line every `intervalMs` (`setTimeout`), the token-streaming regime.
 *
 * Every delta carries `t`: its production time (`performance.timeOrigin + performance.now()`).
 *
 * @module
 */

/** Thread id of the synthetic turn. */
export const SYNTHETIC_THREAD = "019e1a2b-3c4d-7e5f-8a9b-0c1d2e3f4a5b";

/** How lines arrive. */
export type SourceShape =
  | { kind: "flood"; count: number; linesPerTask: number }
  | { kind: "paced"; count: number; intervalMs: number };

function now(): number {
  return performance.timeOrigin + performance.now();
}

function turnObject(id: string, status: string): Record<string, unknown> {
  return { id, items: [], itemsView: "notLoaded", status, error: null, startedAt: null };
}

/**
 * The `turn/start` response of turn `turnId`, as the app-server answers it.
 *
 * @example
 * ```ts
 * import { turnStartResult } from "./synthetic_source.ts";
 * console.assert(turnStartResult("tu").turn.id === "tu");
 * ```
 */
export function turnStartResult(turnId: string): { turn: Record<string, unknown> } {
  return { turn: turnObject(turnId, "inProgress") };
}

function deltaLine(turnId: string, seq: number): string {
  return `{"method":"item/agentMessage/delta","params":{"threadId":"${SYNTHETIC_THREAD}",` +
    `"turnId":"${turnId}","itemId":"msg_resp_1","delta":"token ","seq":${seq},"t":${now()}}}`;
}

import { nextMacrotask } from "../../src/util/next_macrotask.ts";
export { nextMacrotask };

/**
 * Produces one turn's lines into `sink`; resolves after `turn/completed` was produced.
 *
 * @example
 * ```ts
 * import { produceTurn } from "./synthetic_source.ts";
 * const lines: string[] = [];
 * await produceTurn("tu", { kind: "paced", count: 3, intervalMs: 0 }, (l) => lines.push(l));
 * console.assert(lines.length === 5 && lines[4].includes("turn/completed"));
 * ```
 */
export async function produceTurn(
  turnId: string,
  shape: SourceShape,
  sink: (line: string) => void,
): Promise<void> {
  const threadId = SYNTHETIC_THREAD;
  sink(JSON.stringify({
    method: "turn/started",
    params: { threadId, turn: turnObject(turnId, "inProgress") },
  }));
  if (shape.kind === "flood") {
    const step = Math.max(1, shape.linesPerTask);
    for (let i = 0; i < shape.count; i += step) {
      const end = Math.min(shape.count, i + step);
      for (let j = i; j < end; j++) sink(deltaLine(turnId, j));
      await nextMacrotask();
    }
  } else {
    for (let i = 0; i < shape.count; i++) {
      sink(deltaLine(turnId, i));
      await new Promise((resolve) => setTimeout(resolve, shape.intervalMs));
    }
  }
  sink(JSON.stringify({
    method: "turn/completed",
    params: {
      threadId,
      turn: { ...turnObject(turnId, "completed"), startedAt: 1, completedAt: 2, durationMs: 1 },
    },
  }));
}
