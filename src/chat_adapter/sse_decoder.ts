/**
 * {@link SseDecoder}: incremental `text/event-stream` framing, independent of how the bytes were
 * split into chunks. The framing itself is `eventsource-parser`'s.
 *
 * @module
 */
import { createParser, type EventSourceParser } from "eventsource-parser";

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
 * if (payloads.join("|") !== '{"a":1}|[DONE]') throw new Error(`got ${payloads}`);
 * ```
 */
export class SseDecoder {
  #payloads: string[] = [];
  readonly #parser: EventSourceParser = createParser({
    onEvent: (event) => this.#payloads.push(event.data),
  });

  /** Feeds a chunk of text and returns the payloads of the events it completed. */
  push(chunk: string): string[] {
    this.#parser.feed(chunk);
    return this.#take();
  }

  /**
   * Ends the stream. An event whose blank terminating line never arrived is still returned,
   * which is more forgiving than the specification and matches what chat servers expect.
   */
  finish(): string[] {
    // Two line ends complete a last line (even after a lone `\r`) and end its event.
    this.#parser.feed("\n\n");
    this.#parser.reset();
    return this.#take();
  }

  #take(): string[] {
    const payloads = this.#payloads;
    this.#payloads = [];
    return payloads;
  }
}
