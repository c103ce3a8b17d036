/** A stream collected in the background, with waits for what it has seen (bounded, never hung). */
import type { CodexEvent } from "../../mod.ts";
import { within } from "./_support.ts";

/**
 * Collects a stream (of events, or of anything: `streamText()` parts) in the background;
 * `waitFor` resolves when a matching element arrived, and `done` when the stream ended.
 */
export class EventLog<T = CodexEvent> {
  readonly events: T[] = [];
  readonly done: Promise<void>;
  #waiters: Array<{ pred: (e: T) => boolean; resolve: (e: T) => void }> = [];

  constructor(stream: AsyncIterable<T>) {
    this.done = (async () => {
      for await (const ev of stream) {
        this.events.push(ev);
        for (const w of [...this.#waiters]) {
          if (w.pred(ev)) {
            this.#waiters.splice(this.#waiters.indexOf(w), 1);
            w.resolve(ev);
          }
        }
      }
    })();
    this.done.catch(() => {});
  }

  /** Resolves with the first matching event; rejects after 30 s instead of hanging. */
  async waitFor(pred: (e: T) => boolean): Promise<T> {
    const found = this.events.find(pred);
    if (found !== undefined) return found;
    const waiting = new Promise<T>((resolve) => this.#waiters.push({ pred, resolve }));
    const outcome = await within(waiting, 30_000);
    if (outcome.status !== "fulfilled") {
      const seen = this.events.map((e) => (e as { method?: string })?.method ?? String(e));
      throw new Error(`awaited event missing; seen: ${seen}`);
    }
    return outcome.value as T;
  }
}

/** The turn id of a `turn/*` event. */
export const turnIdOf = (ev: CodexEvent) => (ev.params as { turn?: { id?: string } })?.turn?.id;
