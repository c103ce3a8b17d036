import { redactSecrets } from "./redact.ts";

/**
 * Keeps the last lines of a process's stderr (bounded), redacted, for error messages.
 *
 * @example
 * ```ts
 * import { StderrTail } from "./stderr_tail.ts";
 * const tail = new StderrTail(2);
 * tail.push("a\nb\nc\n");
 * console.assert(tail.text() === "b\nc");
 * ```
 */
export class StderrTail {
  #lines: string[] = [];
  #partial = "";
  readonly #maxLines: number;
  readonly #secrets: readonly string[];

  /** Creates a tail of at most `maxLines` lines. */
  constructor(maxLines = 60, secrets: readonly string[] = []) {
    this.#maxLines = maxLines;
    this.#secrets = secrets;
  }

  /** Adds decoded stderr text. */
  push(text: string): void {
    const parts = (this.#partial + text).split("\n");
    this.#partial = parts.pop() ?? "";
    if (this.#partial.length > 4096) this.#partial = this.#partial.slice(-4096);
    for (const line of parts) {
      this.#lines.push(line.length > 2000 ? line.slice(0, 2000) + "…" : line);
    }
    if (this.#lines.length > this.#maxLines) {
      this.#lines.splice(0, this.#lines.length - this.#maxLines);
    }
  }

  /** The redacted tail. */
  text(): string {
    const lines = this.#partial ? [...this.#lines, this.#partial] : this.#lines;
    return redactSecrets(lines.join("\n").trim(), this.#secrets);
  }
}
