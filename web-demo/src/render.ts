/// <reference lib="dom" />
/**
 * Writes thread views to the DOM. Called once per animation frame for the threads that changed;
 * each item element is updated only when its version moved.
 *
 * @module
 */
import type { ItemView, ThreadView } from "./store.ts";

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
 * Longest text an item shows in full. A longer one shows its tail: laying out an ever-growing
 * text node costs time proportional to its length on every frame, which at 100k streamed
 * characters means long animation frames.
 */
export const MAX_SHOWN_CHARS = 6_000;

function renderItem(item: ItemView, existing: HTMLElement | undefined): HTMLElement {
  const root = existing ?? el("li", `item ${item.kind}`);
  if (!existing) {
    root.dataset.itemId = item.id;
    root.append(el("span", "label", LABELS[item.kind]), el("p", "clipped"), el("div", "body"));
    if (item.kind === "command") root.append(el("pre", "output"));
  }
  root.dataset.status = item.status;
  root.dataset.length = String(item.text.length);
  const text = item.kind === "command" ? `$ ${item.text}` : item.text;
  const clipped = root.querySelector<HTMLElement>(".clipped")!;
  const hidden = text.length - MAX_SHOWN_CHARS;
  clipped.hidden = hidden <= 0;
  if (hidden > 0) {
    clipped.textContent = `… ${hidden.toLocaleString("en")} earlier characters not shown`;
  }
  root.querySelector<HTMLElement>(".body")!.textContent = hidden > 0 ? text.slice(hidden) : text;
  if (item.kind === "command") {
    root.querySelector<HTMLElement>(".output")!.textContent = item.output.length > MAX_SHOWN_CHARS
      ? item.output.slice(-MAX_SHOWN_CHARS)
      : item.output;
  }
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
  panel.root.dataset.status = view.status;
  panel.status.textContent = view.status;
  panel.status.className = `status ${view.status}`;
  panel.notice.textContent = view.notice;
  panel.notice.hidden = view.notice === "";
  panel.usage.textContent = view.usage
    ? `tokens: ${view.usage.total} total · last ${view.usage.lastInput} in / ${view.usage.lastOutput} out`
    : "";
  const running = view.status === "running";
  panel.send.disabled = running || !connected;
  panel.steer.disabled = !running || !connected;
  panel.interrupt.disabled = !running || !connected;
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
