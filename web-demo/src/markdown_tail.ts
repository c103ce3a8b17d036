/// <reference lib="dom" />
/**
 * Renders a growing markdown text (an agent message being streamed) without re-rendering what
 * is done.
 *
 * The text is lexed with `marked` from the start of its last open block only. Blocks that are
 * followed by another block are complete (no later text can change them): they are rendered
 * once, sanitized ({@link safeFragment}; raw HTML in the markdown is shown as text) and kept. Only the last block is rendered again when
 * the text grows, so a delta costs the size of one block, not of the message.
 *
 * While the open block is a paragraph whose rendering ends with its source text, a delta of
 * plain word characters (letters, digits, spaces, `,;'"?-`: nothing markdown gives a meaning to
 * in the middle of a line) is appended to that last text node as text, with no lexing at all.
 *
 * A block that grows past a limit ({@link OPEN_LIMITS}) is closed by force at a line end or a
 * space: a 100 000-character paragraph is shown as consecutive pieces, and a long code block as
 * consecutive `<pre>`s (its opening fence is carried into the next piece). Paragraph pieces cut at
 * a space or a line end are marked `flow` and laid out inline, so they read as one paragraph with
 * no line break where the cut fell (a line end in the source becomes a space, as markdown shows
 * it). A cut inside a word longer than half the limit keeps the pieces as blocks: such a word is
 * broken anywhere anyway, and one inline run of thousands of characters would be laid out again
 * on every frame. Like
 * `TextTail`, once more than `maxChars` characters are shown the oldest blocks are removed.
 *
 * @module
 */
import { Marked, type Token, type TokensList } from "marked";
import { OPEN_LIMITS } from "./limits.ts";
import { safeFragment } from "./safe_html.ts";
import type { TailSource } from "./text_tail.ts";

export { OPEN_LIMITS } from "./limits.ts";

/** `<`, `>`, `&` and `"` as entities: the model's raw HTML is shown as text, never parsed. */
function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

const markdown = new Marked({
  gfm: true,
  async: false,
  renderer: { html: ({ text }) => escapeHtml(text) },
});

/**
 * Characters that, appended in the middle of a paragraph's last line, cannot change how the
 * paragraph renders: no emphasis, code, link, autolink (`.`, `:`, `@`, `/`), entity, escape,
 * HTML, table or line break.
 */
const PLAIN = /^[\p{L}\p{N} ,;'"?-]+$/u;

/** An opening code fence line (with its info string and newline). */
const FENCE = /^ {0,3}(?:`{3,}|~{3,})[^\n]*\n/;

interface Block {
  readonly nodes: ChildNode[];
  readonly chars: number;
}

function limitOf(token: Token | undefined): number {
  switch (token?.type) {
    case "paragraph":
    case "text":
    case "heading":
      return OPEN_LIMITS.paragraph;
    case "code":
      return OPEN_LIMITS.code;
    default:
      return OPEN_LIMITS.other;
  }
}

/** Where to cut `text` at or before `limit`: after a newline, else a space, else at the limit. */
function breakBefore(text: string, limit: number): number {
  const newline = text.lastIndexOf("\n", limit - 1);
  if (newline >= limit / 2) return newline + 1;
  const space = text.lastIndexOf(" ", limit - 1);
  return space >= limit / 2 ? space + 1 : limit;
}

/** Where to start showing a text that is too long: at a block or line start near the cut. */
function startOfTail(text: string, maxChars: number): number {
  if (text.length <= maxChars) return 0;
  const from = text.length - maxChars;
  const paragraph = text.indexOf("\n\n", from);
  if (paragraph >= 0 && paragraph < from + 2_048) return paragraph + 2;
  const line = text.indexOf("\n", from);
  return line >= 0 && line < from + 1_024 ? line + 1 : from;
}

/**
 * The text node that ends the rendering of a lone open paragraph, when it shows the end of the
 * source as is (nothing trimmed or escaped there).
 */
function plainTail(tokens: readonly Token[], root: HTMLElement, src: string): Text | undefined {
  if (tokens.length !== 1 || tokens[0].type !== "paragraph") return undefined;
  const paragraph = root.lastElementChild;
  const last = paragraph?.tagName === "P" ? paragraph.lastChild : null;
  return last instanceof Text && last.data !== "" && src.endsWith(last.data) ? last : undefined;
}

/**
 * A markdown view of the last `maxChars` (or a little more) of a text that grows.
 *
 * @example
 * ```ts ignore
 * const view = new MarkdownTail(6_000);
 * document.body.append(view.root);
 * view.show({ text: "# Hi\n\nSome `code`", rewrites: 0 });
 * view.show({ text: "# Hi\n\nSome `code` and more", rewrites: 0 }); // re-renders the paragraph only
 * ```
 */
export class MarkdownTail {
  /** The element holding the rendered blocks. */
  readonly root: HTMLElement;
  readonly #maxChars: number;
  readonly #blocks: Block[] = [];
  #blockChars = 0;
  #open: ChildNode[] = [];
  /** Source offset where the open block starts. */
  #start = 0;
  /** An opening fence carried into the open block after a long code block was cut. */
  #carry = "";
  /** The open block continues one that was cut by force. */
  #continues = false;
  /** ...and continues it on the same line (the cut fell at a space or a line end). */
  #flows = false;
  /** Source characters not shown (before the first kept block). */
  #dropped = 0;
  /** Length of the text last shown. */
  #seen = 0;
  /** The open paragraph's last text node, when plain text may be appended to it as is. */
  #plainTail: Text | undefined;
  #rewrites = -1;

  /** Creates an empty view that keeps about `maxChars` source characters. */
  constructor(maxChars: number, className = "body markdown") {
    this.#maxChars = maxChars;
    this.root = document.createElement("div");
    this.root.className = className;
  }

  /** Source characters that are not shown (removed from the head). */
  get hiddenChars(): number {
    return this.#dropped;
  }

  /** Brings the DOM in line with `source`: renders what is new, or rebuilds after a rewrite. */
  show(source: TailSource): void {
    const { text } = source;
    if (source.rewrites !== this.#rewrites || text.length < this.#seen) {
      this.#rewrites = source.rewrites;
      this.#reset(text);
    } else if (text.length !== this.#seen) {
      const added = text.slice(this.#seen);
      this.#seen = text.length;
      if (
        this.#plainTail && PLAIN.test(added) &&
        text.length - this.#start <= OPEN_LIMITS.paragraph
      ) {
        this.#plainTail.appendData(added);
      } else this.#update(text);
    }
    this.#trim();
  }

  #reset(text: string): void {
    for (const block of this.#blocks.splice(0)) for (const node of block.nodes) node.remove();
    this.#blockChars = 0;
    this.#replaceOpen(undefined);
    this.#carry = "";
    this.#continues = this.#flows = false;
    this.#start = this.#dropped = startOfTail(text, this.#maxChars);
    this.#seen = text.length;
    this.#update(text);
  }

  #update(text: string): void {
    for (;;) {
      const src = this.#carry + text.slice(this.#start);
      let tokens: Token[] = markdown.lexer(src);
      const links = (tokens as TokensList).links;
      let last = tokens.length - 1;
      while (last > 0 && tokens[last].type === "space") last--;
      if (last > 0) {
        // Everything before the last block is complete: no later text can change it.
        const tail = tokens.slice(last).map((t) => t.raw).join("");
        const cut = src.length - tail.length - this.#carry.length;
        if (cut > 0 && src.endsWith(tail)) {
          this.#commit(tokens.slice(0, last), links, cut, false);
          this.#carry = "";
          tokens = tokens.slice(last);
        }
      }
      const open = tokens[0];
      if (text.length - this.#start <= limitOf(open)) {
        this.#replaceOpen(this.#render(tokens, links));
        this.#plainTail = plainTail(tokens, this.root, src);
        return;
      }
      this.#cutOpen(text, open);
    }
  }

  /** Closes the open block by force at about its limit; the rest is lexed again. */
  #cutOpen(text: string, open: Token | undefined): void {
    const region = text.slice(this.#start);
    const limit = limitOf(open);
    const fence = open?.type === "code" ? FENCE.exec(this.#carry + region)?.[0] : undefined;
    let cut: number;
    if (fence !== undefined) {
      const bodyStart = this.#carry ? 0 : fence.length;
      const newline = region.lastIndexOf("\n", limit - 1);
      cut = newline >= bodyStart ? newline + 1 : limit;
    } else {
      cut = breakBefore(region, limit);
    }
    const piece = this.#carry + region.slice(0, cut);
    const part = markdown.lexer(piece);
    const flows = fence === undefined && /\s$/.test(piece);
    this.#commit(part, (part as TokensList).links, cut, true, flows);
    this.#carry = fence !== undefined ? this.#carry || fence : "";
  }

  #render(tokens: Token[], links: TokensList["links"]): DocumentFragment {
    return safeFragment(markdown.parser(Object.assign(tokens, { links }) as TokensList));
  }

  #commit(
    tokens: Token[],
    links: TokensList["links"],
    chars: number,
    cutAfter: boolean,
    flowsAfter = false,
  ): void {
    const fragment = this.#render(tokens, links);
    this.#markStart(fragment);
    const last = fragment.lastElementChild;
    if (cutAfter) last?.classList.add("cut-end");
    const flows = flowsAfter && last?.tagName === "P";
    if (flows) {
      last.classList.add("flow");
      // The space the cut fell on (markdown drops a paragraph's closing line end).
      if (!/\s$/.test(last.textContent ?? "")) last.append(" ");
    }
    const nodes = [...fragment.childNodes];
    this.root.insertBefore(fragment, this.#open[0] ?? null);
    this.#blocks.push({ nodes, chars });
    this.#blockChars += chars;
    this.#start += chars;
    this.#continues = cutAfter;
    this.#flows = flows;
  }

  /** Marks the first block of `fragment` as the continuation of a piece cut by force. */
  #markStart(fragment: DocumentFragment): void {
    const first = fragment.firstElementChild;
    if (!this.#continues || !first) return;
    first.classList.add("cut-start");
    if (this.#flows && first.tagName === "P") first.classList.add("flow");
  }

  #replaceOpen(fragment: DocumentFragment | undefined): void {
    this.#plainTail = undefined;
    for (const node of this.#open) node.remove();
    this.#open = fragment ? [...fragment.childNodes] : [];
    if (!fragment) return;
    this.#markStart(fragment);
    this.root.append(fragment);
  }

  #trim(): void {
    const openChars = this.#seen - this.#start;
    while (
      this.#blocks.length > 0 &&
      this.#blockChars + openChars - this.#blocks[0].chars >= this.#maxChars
    ) {
      const first = this.#blocks.shift()!;
      for (const node of first.nodes) node.remove();
      this.#blockChars -= first.chars;
      this.#dropped += first.chars;
    }
  }
}
