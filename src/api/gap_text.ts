import type { CodexEvent } from "../core/events.ts";

/**
 * The agent text of a turn's stream, exact across `sdk/gap`s (reconnections). Without a gap,
 * each `item/agentMessage/delta` is the text. After a gap, an agent message that may have lost
 * deltas (one open at the gap, or one whose start was not seen since) is held back: its deltas
 * are not yielded, and its `item/completed` yields the rest of its full text, after what was
 * already yielded. So the text adds up to the agent messages' final text, none of it twice.
 *
 * @example
 * ```ts
 * import { GapText } from "./gap_text.ts";
 * const text = new GapText();
 * const delta = (d: string) =>
 *   ({ method: "item/agentMessage/delta", params: { itemId: "m", delta: d } }) as never;
 * const parts = [
 *   text.next(delta("Hel")),
 *   text.next({ method: "sdk/gap", params: {} } as never),
 *   text.next(delta("o!")), // after the gap: held (the "l" was lost)
 *   text.next({
 *     method: "item/completed",
 *     params: { item: { type: "agentMessage", id: "m", text: "Hello!" } },
 *   } as never),
 * ];
 * console.assert(parts.join("") === "Hello!");
 * ```
 */
export class GapText {
  /** Characters yielded per agent message. */
  readonly #yielded = new Map<string, number>();
  /** Agent messages started since the last gap (their deltas are complete). */
  readonly #whole = new Set<string>();
  #gapped = false;

  /** The text `event` adds, if any. */
  next(event: CodexEvent): string | undefined {
    if ("unknown" in event && event.unknown) return undefined;
    switch (event.method) {
      case "item/agentMessage/delta": {
        const { itemId, delta } = event.params as { itemId: string; delta: string };
        if (this.#gapped && !this.#whole.has(itemId)) return undefined;
        this.#yielded.set(itemId, (this.#yielded.get(itemId) ?? 0) + delta.length);
        return delta;
      }
      case "sdk/gap":
        this.#gapped = true;
        this.#whole.clear();
        return undefined;
      case "item/started": {
        const item = (event.params as { item?: { type?: string; id?: string } }).item;
        if (this.#gapped && item?.type === "agentMessage" && item.id) this.#whole.add(item.id);
        return undefined;
      }
      case "item/completed": {
        const item = (event.params as { item?: { type?: string; id?: string; text?: unknown } })
          .item;
        if (item?.type !== "agentMessage" || !item.id) return undefined;
        const yielded = this.#yielded.get(item.id) ?? 0;
        this.#yielded.delete(item.id);
        if (!this.#gapped || this.#whole.delete(item.id)) return undefined;
        const rest = typeof item.text === "string" ? item.text.slice(yielded) : "";
        return rest === "" ? undefined : rest;
      }
    }
    return undefined;
  }
}
