/**
 * {@link SseDecoder}: incremental `text/event-stream` framing, independent of how the bytes were
 * split into chunks.
 *
 * @module
 */

/**
 * Splits a Server-Sent Events stream into the `data` payload of each event. Feed it decoded text
 * in chunks of any size; lines may be split anywhere, including between `\r` and `\n`. Multi-line
 * `data:` fields are joined with `\n`, comments (`:`) and other fields (`event:`, `id:`) are
 * ignored, and an event without data is skipped, as the SSE specification says.
 *
 * @example Chunks split mid-line
 * ```ts
 * import { SseDecoder } from "./sse_decoder.ts";
 * const decoder = new SseDecoder();
 * const payloads = [
 *   ...decoder.push('event: message\ndata: {"a"'),
 *   ...decoder.push(":1}\r\n\r\ndata: [DONE]\n"),
 *   ...decoder.finish(),
 * ];
 * console.assert(payloads.join("|") === '{"a":1}|[DONE]');
 * ```
 */
export class SseDecoder {
  #buffer = "";
  #data: string[] = [];
  #pendingCarriageReturn = false;

  /** Feeds a chunk of text and returns the payloads of the events it completed. */
  push(chunk: string): string[] {
    let text = chunk;
    if (this.#pendingCarriageReturn && text.startsWith("\n")) text = text.slice(1);
    this.#pendingCarriageReturn = false;
    this.#buffer += text;
    const payloads: string[] = [];
    let start = 0;
    for (let i = 0; i < this.#buffer.length; i++) {
      const char = this.#buffer[i];
      if (char !== "\n" && char !== "\r") continue;
      if (char === "\r") {
        if (i + 1 === this.#buffer.length) this.#pendingCarriageReturn = true;
        else if (this.#buffer[i + 1] === "\n") {
          this.#line(this.#buffer.slice(start, i), payloads);
          start = ++i + 1;
          continue;
        }
      }
      this.#line(this.#buffer.slice(start, i), payloads);
      start = i + 1;
    }
    this.#buffer = this.#buffer.slice(start);
    return payloads;
  }

  /**
   * Ends the stream. An event whose blank terminating line never arrived is still returned,
   * which is more forgiving than the specification and matches what chat servers expect.
   */
  finish(): string[] {
    const payloads: string[] = [];
    if (this.#buffer !== "") this.#line(this.#buffer, payloads);
    this.#buffer = "";
    this.#pendingCarriageReturn = false;
    this.#line("", payloads);
    return payloads;
  }

  #line(line: string, payloads: string[]): void {
    if (line === "") {
      if (this.#data.length > 0) payloads.push(this.#data.join("\n"));
      this.#data = [];
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    if (field !== "data") return;
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    this.#data.push(value);
  }
}
