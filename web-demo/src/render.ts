/// <reference lib="dom" />
/**
 * Writes thread views to the DOM. Called once per animation frame for the threads that changed;
 * each item element is updated only when its version moved.
 *
 * @module
 */
import type { ItemView, ThreadView } from "./store.ts";
import { TextTail } from "./text_tail.ts";

/** The elements of one thread panel. */
export interface ThreadPanel {
  /** The panel (`section.thread`). */
  readonly root: HTMLElement;
  /** The transcript list. */
  readonly transcript: HTMLElement;
  /** Status badge. */
  readonly status: HTMLElement;
  /** Error / retry notice. */
  readonly notice: HTMLElement;
  /** Token usage line. */
  readonly usage: HTMLElement;
  /** Prompt input. */
  readonly prompt: HTMLTextAreaElement;
  /** Buttons. */
  readonly send: HTMLButtonElement;
  /** Steer button. */
  readonly steer: HTMLButtonElement;
  /** Interrupt button. */
  readonly interrupt: HTMLButtonElement;
  /** Close-panel button. */
  readonly close: HTMLButtonElement;
  /** Rendered item elements by id, with the version they show. */
  readonly items: Map<string, { el: HTMLElement; version: number }>;
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text = "",
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text) node.textContent = text;
  return node;
}

/**
 * Sets an element's text only when it changed, through one lasting text node: replacing
 * `textContent` on every frame would create a node per frame (garbage for the DOM's collector)
 * and invalidate layout for nothing.
 */
function setText(node: HTMLElement, value: string): void {
  const first = node.firstChild;
  if (first instanceof Text && first === node.lastChild) {
    if (first.data !== value) first.data = value;
  } else if (value !== "" || first) {
    node.textContent = value;
  }
}

/**
 * `12345` → `"12,345"`. Not `toLocaleString`: its first call loads locale data, a 50 ms task
 * in the middle of a stream.
 *
 * @example
 * ```ts ignore
 * groupDigits(1234567); // "1,234,567"
 * ```
 */
export function groupDigits(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Sets an attribute-backed property only when it changed. */
function setData(node: HTMLElement, key: string, value: string): void {
  if (node.dataset[key] !== value) node.dataset[key] = value;
}

/**
 * Builds an (empty) panel for a thread.
 *
 * @example
 * ```ts ignore
 * const panel = createPanel(view);
 * document.querySelector("#threads")!.append(panel.root);
 * ```
 */
export function createPanel(view: ThreadView): ThreadPanel {
  const root = el("section", "thread");
  root.dataset.threadId = view.id;
  const header = el("header", "thread-header");
  const title = el("h2", "thread-title", view.title);
  title.title = view.id;
  const status = el("span", "status");
  const usage = el("span", "usage");
  const close = el("button", "close", "×");
  close.title = "Close this panel";
  header.append(title, status, usage, close);
  const transcript = el("ol", "transcript");
  const notice = el("p", "notice");
  notice.setAttribute("role", "status");
  const form = el("form", "composer");
  const prompt = el("textarea", "prompt");
  prompt.rows = 2;
  prompt.placeholder =
    'Try: "hello", "run a command", "write a file", "a long answer", "flood", "fail"';
  const send = el("button", "send", "Send");
  send.type = "submit";
  const steer = el("button", "steer", "Steer");
  steer.type = "button";
  const interrupt = el("button", "interrupt", "Interrupt");
  interrupt.type = "button";
  form.append(prompt, send, steer, interrupt);
  root.append(header, transcript, notice, form);
  return {
    root,
    transcript,
    status,
    notice,
    usage,
    prompt,
    send,
    steer,
    interrupt,
    close,
    items: new Map(),
  };
}

const LABELS: Readonly<Record<ItemView["kind"], string>> = {
  user: "You",
  agent: "Codex",
  command: "Command",
  file: "File change",
  other: "Item",
};

/**
 * Longest text an item shows in full. A longer one shows its tail (see `TextTail`): the DOM
 * holds what a reader can follow, not 100k streamed characters.
 */
export const MAX_SHOWN_CHARS = 6_000;

/** The DOM of one transcript item. */
interface ItemNodes {
  readonly root: HTMLElement;
  readonly clipped: HTMLElement;
  readonly body: TextTail;
  readonly output: TextTail | undefined;
}

const itemNodes = new WeakMap<HTMLElement, ItemNodes>();

function createItem(item: ItemView): ItemNodes {
  const root = el("li", `item ${item.kind}`);
  root.dataset.itemId = item.id;
  const clipped = el("p", "clipped");
  const body = new TextTail(MAX_SHOWN_CHARS, "body");
  const output = item.kind === "command" ? new TextTail(MAX_SHOWN_CHARS, "output") : undefined;
  root.append(el("span", "label", LABELS[item.kind]), clipped, body.root);
  if (output) root.append(output.root);
  const nodes = { root, clipped, body, output };
  itemNodes.set(root, nodes);
  return nodes;
}

function renderItem(item: ItemView, existing: HTMLElement | undefined): HTMLElement {
  const nodes = (existing && itemNodes.get(existing)) ?? createItem(item);
  const { root, clipped, body, output } = nodes;
  setData(root, "status", item.status);
  body.show(
    item.kind === "command"
      ? { text: `$ ${item.text}`, rewrites: item.textRewrites }
      : { text: item.text, rewrites: item.textRewrites },
  );
  const hidden = body.hiddenChars;
  if (clipped.hidden !== hidden <= 0) clipped.hidden = hidden <= 0;
  if (hidden > 0) {
    setText(clipped, `… ${groupDigits(hidden)} earlier characters not shown`);
  }
  output?.show({ text: item.output, rewrites: item.outputRewrites });
  return root;
}

/**
 * Brings a panel in line with its view (only changed items are touched).
 *
 * @example
 * ```ts ignore
 * requestAnimationFrame(() => renderThread(view, panel));
 * ```
 */
export function renderThread(view: ThreadView, panel: ThreadPanel, connected: boolean): void {
  view.dirty = false;
  setData(panel.root, "status", view.status);
  setText(panel.status, view.status);
  const statusClass = `status ${view.status}`;
  if (panel.status.className !== statusClass) panel.status.className = statusClass;
  setText(panel.notice, view.notice);
  if (panel.notice.hidden !== (view.notice === "")) panel.notice.hidden = view.notice === "";
  setText(
    panel.usage,
    view.usage
      ? `tokens: ${view.usage.total} total · last ${view.usage.lastInput} in / ${view.usage.lastOutput} out`
      : "",
  );
  const running = view.status === "running";
  for (
    const [button, disabled] of [
      [panel.send, running || !connected],
      [panel.steer, !running || !connected],
      [panel.interrupt, !running || !connected],
    ] as const
  ) {
    if (button.disabled !== disabled) button.disabled = disabled;
  }
  const atBottom =
    panel.transcript.scrollHeight - panel.transcript.scrollTop - panel.transcript.clientHeight < 40;
  for (const id of view.order) {
    const item = view.items.get(id)!;
    const shown = panel.items.get(id);
    if (shown && shown.version === item.version) continue;
    const node = renderItem(item, shown?.el);
    if (!shown) panel.transcript.append(node);
    panel.items.set(id, { el: node, version: item.version });
  }
  if (atBottom) panel.transcript.scrollTop = panel.transcript.scrollHeight;
}
