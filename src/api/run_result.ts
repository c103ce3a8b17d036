import { TurnFailedError } from "../errors/errors.ts";
import type { ThreadItem, ThreadTokenUsage, Turn, TurnStatus } from "../protocol/mod.ts";
import type { CodexEvent } from "../core/events.ts";

/**
 * The outcome of a completed turn.
 *
 * @example
 * ```ts
 * import type { RunResult } from "./run_result.ts";
 * function summary(r: RunResult): string {
 *   return `${r.status}: ${r.finalResponse ?? "(no answer)"} in ${r.durationMs} ms`;
 * }
 * const result = { status: "completed", finalResponse: "Hi", durationMs: 12 } as RunResult;
 * if (summary(result) !== "completed: Hi in 12 ms") throw new Error(summary(result));
 * ```
 */
export interface RunResult {
  /** The turn id. */
  id: string;
  /** The thread id. */
  threadId: string;
  /**
   * `completed` or `interrupted`. A failed turn rejects with `TurnFailedError` carrying the
   * server's message, or `turn failed with status failed` when the server gave none.
   */
  status: TurnStatus;
  /**
   * The agent's answer: the last agent message with phase `final_answer`; else the last one
   * with no phase; `null` when only commentary completed.
   */
  finalResponse: string | null;
  /** Every item that completed, in order (built from `item/completed`). */
  items: ThreadItem[];
  /** Items that started but never completed (after a steer or interrupt), closed out. */
  incompleteItems: ThreadItem[];
  /** The last token usage reported for the turn, if any. */
  usage: ThreadTokenUsage | null;
  /** The completed turn as the server reported it (its `items` are only a summary). */
  turn: Turn;
  /** Unix ms when the turn started / completed, and its duration, as the server reported. */
  startedAt: number | null;
  /** Unix ms of completion. */
  completedAt: number | null;
  /** Duration in ms. */
  durationMs: number | null;
}

/**
 * Picks the final response: the last agent message with phase `final_answer` wins, even over
 * later commentary; else the last message with no phase; commentary only → `null`; an empty
 * last message stays `""`.
 *
 * @example
 * ```ts
 * import { finalResponseFromItems } from "./run_result.ts";
 * const items = [
 *   { type: "agentMessage", id: "a", text: "answer", phase: "final_answer" },
 *   { type: "agentMessage", id: "b", text: "note", phase: "commentary" },
 * ] as never;
 * console.assert(finalResponseFromItems(items) === "answer");
 * ```
 */
export function finalResponseFromItems(items: readonly ThreadItem[]): string | null {
  let lastUnphased: string | null = null;
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i] as { type?: string; text?: unknown; phase?: unknown };
    if (item.type !== "agentMessage" || typeof item.text !== "string") continue;
    if (item.phase === "final_answer") return item.text;
    if ((item.phase === null || item.phase === undefined) && lastUnphased === null) {
      lastUnphased = item.text;
    }
  }
  return lastUnphased;
}

/**
 * Builds a {@link RunResult} from a turn's events as they pass.
 *
 * @example
 * ```ts
 * import { TurnAccumulator } from "./run_result.ts";
 * const acc = new TurnAccumulator("u", "t");
 * acc.add({ method: "turn/completed", params: { threadId: "t", turn: { id: "u", items: [], status: "completed", error: null } } } as never);
 * console.assert(acc.completed && acc.result().status === "completed");
 * ```
 */
export class TurnAccumulator {
  readonly #turnId: string;
  readonly #threadId: string;
  readonly #items: ThreadItem[] = [];
  readonly #open = new Map<string, ThreadItem>();
  #usage: ThreadTokenUsage | null = null;
  #turn: Turn | undefined;

  /** Accumulates events of turn `turnId` on thread `threadId`. */
  constructor(turnId: string, threadId: string) {
    this.#turnId = turnId;
    this.#threadId = threadId;
  }

  /** True once `turn/completed` was seen. */
  get completed(): boolean {
    return this.#turn !== undefined;
  }

  /** Feeds one event. */
  add(event: CodexEvent): void {
    const params = event.params as Record<string, unknown> | undefined;
    if (!params || "unknown" in event) return;
    switch (event.method) {
      case "item/started": {
        const item = params.item as ThreadItem & { id: string };
        if (item?.id) this.#open.set(item.id, item);
        break;
      }
      case "item/completed": {
        const item = params.item as ThreadItem & { id: string };
        if (item) {
          this.#open.delete(item.id);
          this.#items.push(item);
        }
        break;
      }
      case "thread/tokenUsage/updated":
        this.#usage = params.tokenUsage as ThreadTokenUsage;
        break;
      case "turn/completed": {
        const turn = params.turn as Turn;
        if (turn?.id === this.#turnId) this.#turn = turn;
        break;
      }
    }
  }

  /**
   * The result; throws `TurnFailedError` for a failed turn (message: the server's, or
   * `turn failed with status failed` when it gave none). Call once completed.
   */
  result(): RunResult {
    const turn = this.#turn;
    if (!turn) throw new Error("The turn has not completed");
    if (turn.status === "failed") {
      const error = turn.error as
        | { message?: string; codexErrorInfo?: unknown; additionalDetails?: string | null }
        | null;
      throw new TurnFailedError(this.#turnId, {
        message: error?.message || `turn failed with status ${turn.status}`,
        codexErrorInfo: error?.codexErrorInfo,
        additionalDetails: error?.additionalDetails ?? null,
      });
    }
    const t = turn as Turn & {
      startedAt?: number | null;
      completedAt?: number | null;
      durationMs?: number | null;
    };
    return {
      id: this.#turnId,
      threadId: this.#threadId,
      status: turn.status,
      finalResponse: finalResponseFromItems(this.#items),
      items: [...this.#items],
      incompleteItems: [...this.#open.values()],
      usage: this.#usage,
      turn,
      startedAt: t.startedAt ?? null,
      completedAt: t.completedAt ?? null,
      durationMs: t.durationMs ?? null,
    };
  }
}
