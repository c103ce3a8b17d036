/// <reference lib="dom" />
/**
 * The DOM of one transcript item: user text, the agent's markdown, a command with its output,
 * or a file change with its diff. Each item keeps its nodes and is updated in place; a streamed
 * delta touches only the end of its text.
 *
 * @module
 */
import { renderDiff } from "./diff_view.ts";
import { el, groupDigits, setData, setHidden, setText } from "./dom.ts";
import { MAX_SHOWN_CHARS } from "./limits.ts";
import { MarkdownTail } from "./markdown_tail.ts";
import type { FileChange, ItemView } from "./store.ts";
import { type TailSource, TextTail } from "./text_tail.ts";

export { MAX_SHOWN_CHARS } from "./limits.ts";

const LABELS: Readonly<Record<ItemView["kind"], string>> = {
  user: "You",
  agent: "Codex",
  command: "Command",
  file: "File change",
  other: "Item",
};

/** What shows an item's growing text. */
interface TextView {
  readonly root: HTMLElement;
  readonly hiddenChars: number;
  show(source: TailSource): void;
}

/** A file change's diff, rebuilt when the server reports other changes. */
class DiffBody implements TextView {
  readonly root = el("div", "body");
  readonly hiddenChars = 0;
  #changes: readonly FileChange[] | undefined;

  showChanges(changes: readonly FileChange[], base: string): void {
    if (changes === this.#changes) return;
    this.#changes = changes;
    this.root.replaceChildren(renderDiff(changes, base));
  }

  show(): void {}
}

/** Shown under an item that was streaming when the connection dropped, until it completes. */
const GAP_NOTE = "Reconnected: the rest appears when this item is complete.";

interface ItemNodes {
  readonly root: HTMLElement;
  readonly clipped: HTMLElement;
  readonly gap: HTMLElement;
  readonly body: TextView;
  readonly output: TextTail | undefined;
}

const itemNodes = new WeakMap<HTMLElement, ItemNodes>();

function createItem(item: ItemView): ItemNodes {
  const root = el("li", `item ${item.kind}`);
  root.dataset.itemId = item.id;
  const clipped = el("p", "clipped");
  const body: TextView = item.kind === "agent"
    ? new MarkdownTail(MAX_SHOWN_CHARS)
    : item.kind === "file"
    ? new DiffBody()
    : new TextTail(MAX_SHOWN_CHARS, "body");
  const output = item.kind === "command" ? new TextTail(MAX_SHOWN_CHARS, "output") : undefined;
  root.append(el("span", "label", LABELS[item.kind]), clipped, body.root);
  if (output) root.append(output.root);
  const gap = el("p", "gap", GAP_NOTE);
  gap.hidden = true;
  root.append(gap);
  const nodes = { root, clipped, gap, body, output };
  itemNodes.set(root, nodes);
  return nodes;
}

/**
 * Creates or updates the element of `item` (`existing` is the element it had); file paths are
 * shown relative to `cwd`.
 *
 * @example
 * ```ts ignore
 * const node = renderItem(view.items.get(id)!, shown?.el, view.cwd);
 * ```
 */
export function renderItem(
  item: ItemView,
  existing: HTMLElement | undefined,
  cwd = "",
): HTMLElement {
  const nodes = (existing && itemNodes.get(existing)) ?? createItem(item);
  const { root, clipped, gap, body, output } = nodes;
  setData(root, "status", item.status);
  setHidden(gap, !item.gapped);
  if (body instanceof DiffBody) body.showChanges(item.changes, cwd);
  else {
    body.show(
      item.kind === "command"
        ? { text: `$ ${item.text}`, rewrites: item.textRewrites }
        : { text: item.text, rewrites: item.textRewrites },
    );
  }
  const hidden = body.hiddenChars;
  setHidden(clipped, hidden <= 0);
  if (hidden > 0) setText(clipped, `… ${groupDigits(hidden)} earlier characters not shown`);
  output?.show({ text: item.output, rewrites: item.outputRewrites });
  return root;
}
