/// <reference lib="dom" />
/**
 * Shows the tail of a growing text without re-laying it all out on every frame.
 *
 * The text is kept in blocks of about {@link CHUNK_CHARS} characters. A streamed delta is
 * appended to the last block's text node, so a frame lays out one small block; the blocks before
 * it are unchanged and the browser reuses their layout. Blocks end at a newline (which ends a line
 * anyway, so no line break is added), or, in a line of more than two blocks' worth, at a space;
 * once more than the visible limit is shown the oldest blocks are removed.
 *
 * @module
 */

/** Target size of one block, in characters. */
export const CHUNK_CHARS = 1_024;

/** Source text, and a counter that moves when it was replaced rather than appended to. */
export interface TailSource {
  /** The whole text so far. */
  readonly text: string;
  /** Bumped whenever `text` is replaced by something that is not an extension of it. */
  readonly rewrites: number;
}

/**
 * A block element showing the last `maxChars` (or a little more) of a text that grows.
 *
 * @example
 * ```ts ignore
 * const tail = new TextTail(6_000);
 * document.body.append(tail.root);
 * tail.show({ text: "hello", rewrites: 0 });
 * tail.show({ text: "hello world", rewrites: 0 }); // appends " world"
 * console.log(tail.hiddenChars); // 0
 * ```
 */
export class TextTail {
  /** The element holding the blocks. */
  readonly root: HTMLElement;
  readonly #maxChars: number;
  readonly #blocks: Text[] = [];
  /** Characters of the source consumed (shown or dropped). */
  #consumed = 0;
  /** Characters in the blocks now in the DOM. */
  #shown = 0;
  #rewrites = -1;

  /** Creates an empty tail that keeps about `maxChars` characters visible. */
  constructor(maxChars: number, className = "body") {
    this.#maxChars = maxChars;
    this.root = document.createElement("div");
    this.root.className = className;
  }

  /** Characters of the text that are not shown (removed from the head). */
  get hiddenChars(): number {
    return this.#consumed - this.#shown;
  }

  /** Brings the DOM in line with `source`: appends what is new, or rebuilds after a rewrite. */
  show(source: TailSource): void {
    const { text } = source;
    if (source.rewrites !== this.#rewrites || text.length < this.#consumed) {
      this.#rewrites = source.rewrites;
      this.#reset(text);
      return;
    }
    if (text.length === this.#consumed) return;
    this.#append(text.slice(this.#consumed));
    this.#trim();
  }

  #reset(text: string): void {
    for (const block of this.#blocks.splice(0)) block.parentElement?.remove();
    this.#shown = 0;
    const start = Math.max(0, text.length - this.#maxChars);
    this.#consumed = start;
    if (text.length > start) this.#append(text.slice(start));
  }

  #newBlock(): Text {
    const span = document.createElement("span");
    span.className = "chunk";
    const node = document.createTextNode("");
    span.append(node);
    this.root.append(span);
    this.#blocks.push(node);
    return node;
  }

  #append(s: string): void {
    this.#consumed += s.length;
    this.#shown += s.length;
    while (s.length > 0) {
      const last = this.#blocks.at(-1) ?? this.#newBlock();
      const room = CHUNK_CHARS - last.length;
      if (room > 0) {
        const take = s.slice(0, room);
        last.appendData(take);
        s = s.slice(take.length);
        continue;
      }
      // The block is full: it goes on up to the next newline (within another block's worth),
      // where the line ends anyway, so the block boundary adds no line break. A line longer
      // than that is cut after its last space within the limit.
      const limit = Math.min(s.length, 2 * CHUNK_CHARS - last.length);
      const newline = s.indexOf("\n");
      let cut = newline >= 0 && newline < limit ? newline + 1 : -1;
      if (cut === -1 && limit === s.length && last.length + s.length < 2 * CHUNK_CHARS) {
        last.appendData(s); // no line end yet: wait for more text
        return;
      }
      if (cut === -1) cut = s.lastIndexOf(" ", limit - 1) + 1 || limit;
      last.appendData(s.slice(0, cut));
      s = s.slice(cut);
      this.#newBlock();
    }
  }

  #trim(): void {
    while (this.#blocks.length > 1 && this.#shown - this.#blocks[0].length >= this.#maxChars) {
      const first = this.#blocks.shift()!;
      this.#shown -= first.length;
      first.parentElement?.remove();
    }
  }
}
