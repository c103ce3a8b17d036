/**
 * Splits decoded text into lines synchronously: `\n` or `\r\n` terminated; a partial last line
 * waits for the next chunk. All lines of one chunk come out together, so a reader can route a
 * whole chunk in one task (which lets the Worker batch them into one message).
 *
 * @example
 * ```ts
 * import { LineBuffer } from "./line_splitter.ts";
 * const lines = new LineBuffer();
 * console.assert(lines.push("a\r\nb").join("|") === "a");
 * console.assert(lines.push("c\nd").join("|") === "bc");
 * console.assert(lines.flush() === "d");
 * ```
 */
export class LineBuffer {
  #rest = "";

  /** Adds a chunk; returns the lines it completed. */
  push(chunk: string): string[] {
    const text = this.#rest + chunk;
    const lines: string[] = [];
    let start = 0;
    let nl = text.indexOf("\n");
    while (nl >= 0) {
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      lines.push(text.slice(start, end));
      start = nl + 1;
      nl = text.indexOf("\n", start);
    }
    this.#rest = start === 0 ? text : text.slice(start);
    return lines;
  }

  /** Characters of the unfinished line. */
  get pending(): number {
    return this.#rest.length;
  }

  /** Returns the unterminated last line (if any) and resets. */
  flush(): string | undefined {
    const rest = this.#rest.endsWith("\r") ? this.#rest.slice(0, -1) : this.#rest;
    this.#rest = "";
    return rest.length > 0 ? rest : undefined;
  }
}

/**
 * A `TransformStream` over {@link LineBuffer}: text in, lines out.
 *
 * @example
 * ```ts
 * import { LineSplitter } from "./line_splitter.ts";
 * const lines = await Array.fromAsync(
 *   ReadableStream.from(["a\r\nb", "c\n", "d"]).pipeThrough(new LineSplitter()),
 * );
 * console.assert(lines.join("|") === "a|bc|d");
 * ```
 */
export class LineSplitter extends TransformStream<string, string> {
  /** Creates the splitter. */
  constructor() {
    const buffer = new LineBuffer();
    super({
      transform(chunk, controller) {
        for (const line of buffer.push(chunk)) controller.enqueue(line);
      },
      flush(controller) {
        const last = buffer.flush();
        if (last !== undefined) controller.enqueue(last);
      },
    });
  }
}
