/// <reference lib="dom" />
/**
 * Thread panels: building one, and writing its view to the DOM. `renderThread` is called once
 * per animation frame for the threads that changed; each item element is updated only when its
 * version moved.
 *
 * The transcript stays pinned to the bottom while new output streams in, unless the reader
 * scrolled up: then a "New output" button appears, and brings them back down. Sending a message
 * (or a steer) pins it again, as the reader's own message appears at the bottom.
 *
 * @module
 */
import { el, setData, setHidden, setText } from "./dom.ts";
import { EXAMPLE_PROMPTS } from "./examples.ts";
import type { ThreadView } from "./store.ts";
import { renderItem } from "./transcript_items.ts";

export { groupDigits } from "./dom.ts";
export { MAX_SHOWN_CHARS } from "./limits.ts";

/** The elements of one thread panel. */
export interface ThreadPanel {
  /** The panel (`section.thread`). */
  readonly root: HTMLElement;
  /** The panel's heading. */
  readonly title: HTMLElement;
  /** The transcript list. */
  readonly transcript: HTMLElement;
  /** Shown while the transcript is empty: what to try (example prompts as chips). */
  readonly empty: HTMLElement;
  /** Shown when output arrived below while the reader had scrolled up. */
  readonly newOutput: HTMLButtonElement;
  /** Status badge. */
  readonly status: HTMLElement;
  /** Error / retry notice. */
  readonly notice: HTMLElement;
  /** Token usage line. */
  readonly usage: HTMLElement;
  /** Prompt input. */
  readonly prompt: HTMLTextAreaElement;
  /** Keyboard hint under the prompt. */
  readonly hint: HTMLElement;
  /** Send button (shown while no turn runs). */
  readonly send: HTMLButtonElement;
  /** Steer button (shown instead of Send while a turn runs). */
  readonly steer: HTMLButtonElement;
  /** Interrupt button. */
  readonly interrupt: HTMLButtonElement;
  /** Close-panel button. */
  readonly close: HTMLButtonElement;
  /** Rendered item elements by id, with the version they show. */
  readonly items: Map<string, { el: HTMLElement; version: number }>;
  /** The transcript follows new output (the reader has not scrolled up). */
  pinned: boolean;
}

/** What a panel's controls ask the page to do. */
export interface PanelActions {
  /** Send `text` as a new turn. */
  send(text: string): void;
  /** Steer the running turn with `text`. */
  steer(text: string): void;
  /** Interrupt the running turn. */
  interrupt(): void;
  /** Close the panel. */
  close(): void;
}

const HINT_IDLE = "Enter to send · Shift+Enter for a new line";
const HINT_RUNNING = "Enter to steer the running turn · Shift+Enter for a new line";
let panels = 0;

function button(className: string, text: string, label?: string): HTMLButtonElement {
  const node = el("button", className, text);
  node.type = "button";
  if (label) node.setAttribute("aria-label", label);
  return node;
}

function emptyState(send: (text: string) => void): HTMLElement {
  const empty = el("div", "empty");
  empty.append(el("p", "empty-title", "Ask anything, or start from an example:"));
  const chips = el("ul", "chips");
  chips.setAttribute("aria-label", "Example prompts");
  for (const prompt of EXAMPLE_PROMPTS) {
    const chip = button("chip", prompt);
    chip.addEventListener("click", () => send(prompt));
    const li = document.createElement("li");
    li.append(chip);
    chips.append(li);
  }
  empty.append(chips);
  return empty;
}

/** Takes the prompt's text (trimmed) and clears it; "" when there is none. */
function takePrompt(prompt: HTMLTextAreaElement): string {
  const text = prompt.value.trim();
  if (text) prompt.value = "";
  return text;
}

/**
 * Builds an (empty) panel for a thread. Enter in the prompt sends (or steers, while a turn
 * runs); Shift+Enter adds a line.
 *
 * @example
 * ```ts ignore
 * const panel = createPanel(view, { send, steer, interrupt, close });
 * document.querySelector("#threads")!.append(panel.root);
 * ```
 */
export function createPanel(view: ThreadView, actions: PanelActions): ThreadPanel {
  const n = ++panels;
  const root = el("section", "thread");
  root.dataset.panel = `p${n}`;
  if (view.id) root.dataset.threadId = view.id;
  const header = el("header", "thread-header");
  const title = el("h2", "thread-title", view.title);
  title.id = `thread-title-${n}`;
  root.setAttribute("aria-labelledby", title.id);
  const status = el("span", "status");
  status.setAttribute("aria-live", "polite");
  const usage = el("span", "usage");
  const close = button("close", "×", `Close ${view.title}`);
  header.append(title, status, usage, close);

  const wrap = el("div", "transcript-wrap");
  const prompt = el("textarea", "prompt");
  const empty = emptyState((text) => {
    prompt.focus(); // the conversation goes on from the keyboard
    follow();
    actions.send(text);
  });
  const transcript = el("ol", "transcript");
  transcript.tabIndex = 0; // a scrolling region is reachable with the keyboard
  transcript.setAttribute("aria-label", "Transcript");
  const newOutput = button("new-output", "New output ↓", "Jump to the new output");
  newOutput.hidden = true;
  wrap.append(empty, transcript, newOutput);

  const notice = el("p", "notice");
  notice.setAttribute("role", "status");
  const form = el("form", "composer");
  form.setAttribute("aria-label", "Message");
  prompt.rows = 2;
  prompt.placeholder = "Message Codex";
  prompt.setAttribute("aria-label", "Message");
  const hint = el("p", "hint", HINT_IDLE);
  hint.id = `composer-hint-${n}`;
  prompt.setAttribute("aria-describedby", hint.id);
  const send = button("send", "Send");
  send.type = "submit";
  const steer = button("steer", "Steer");
  steer.hidden = true;
  const interrupt = button("interrupt", "Interrupt", "Interrupt the running turn");
  const buttons = el("div", "composer-buttons");
  buttons.append(send, steer, interrupt);
  form.append(prompt, buttons, hint);
  root.append(header, wrap, notice, form);

  const panel: ThreadPanel = {
    root,
    title,
    transcript,
    empty,
    newOutput,
    status,
    notice,
    usage,
    prompt,
    hint,
    send,
    steer,
    interrupt,
    close,
    items: new Map(),
    pinned: true,
  };
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const text = takePrompt(prompt);
    if (!text) return;
    follow();
    actions.send(text);
  });
  steer.addEventListener("click", () => {
    const text = takePrompt(prompt);
    if (!text) return;
    follow();
    actions.steer(text);
  });
  prompt.addEventListener("keydown", (ev) => {
    if (ev.key !== "Enter" || ev.shiftKey || ev.isComposing || ev.altKey) return;
    ev.preventDefault();
    (steer.hidden ? send : steer).click();
  });
  interrupt.addEventListener("click", () => actions.interrupt());
  close.addEventListener("click", () => actions.close());
  transcript.addEventListener("scroll", () => {
    const below = transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight;
    panel.pinned = below <= 8;
    if (panel.pinned) setHidden(newOutput, true);
  }, { passive: true });
  newOutput.addEventListener("click", () => {
    follow();
    transcript.scrollTop = transcript.scrollHeight;
  });
  return panel;

  /** The transcript follows new output again (a message was sent, or the reader asked to). */
  function follow(): void {
    panel.pinned = true;
    setHidden(newOutput, true);
  }
}

/**
 * Brings a panel in line with its view (only changed items are touched).
 *
 * @example
 * ```ts ignore
 * requestAnimationFrame(() => renderThread(view, panel, true));
 * ```
 */
export function renderThread(view: ThreadView, panel: ThreadPanel, connected: boolean): void {
  view.dirty = false;
  setData(panel.root, "status", view.status);
  if (view.id) setData(panel.root, "threadId", view.id);
  setText(panel.title, view.title);
  setText(panel.status, view.status);
  const statusClass = `status ${view.status}`;
  if (panel.status.className !== statusClass) panel.status.className = statusClass;
  setText(panel.notice, view.notice);
  setHidden(panel.notice, view.notice === "");
  setText(
    panel.usage,
    view.usage
      ? `tokens: ${view.usage.total} total · last ${view.usage.lastInput} in / ${view.usage.lastOutput} out`
      : "",
  );
  const running = view.status === "running";
  setHidden(panel.send, running);
  setHidden(panel.steer, !running);
  for (
    const [control, disabled] of [
      [panel.send, !connected],
      [panel.steer, !connected],
      [panel.interrupt, !running || !connected],
    ] as const
  ) {
    if (control.disabled !== disabled) control.disabled = disabled;
  }
  setText(panel.hint, running ? HINT_RUNNING : HINT_IDLE);
  setHidden(panel.empty, view.order.length > 0);
  let changed = false;
  for (const id of view.order) {
    const item = view.items.get(id)!;
    const shown = panel.items.get(id);
    if (shown && shown.version === item.version) continue;
    const node = renderItem(item, shown?.el, view.cwd);
    if (!shown) panel.transcript.append(node);
    panel.items.set(id, { el: node, version: item.version });
    changed = true;
  }
  if (!changed) return;
  if (panel.pinned) panel.transcript.scrollTop = panel.transcript.scrollHeight;
  else setHidden(panel.newOutput, false);
}
