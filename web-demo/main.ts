/// <reference lib="dom" />
/**
 * The web demo's main thread. It uses the SDK exactly as a Deno script does:
 * `Codex.connect({ url, token })` runs the router in a Web Worker; turns are read with
 * `turn.batches()`, applied to plain state, and rendered once per animation frame.
 *
 * The page opens on a ready thread: its prompt has the focus, and example prompts are offered
 * as chips. A panel's thread is started on the server when its first message is sent.
 *
 * The bridge hands the page its WebSocket URL and token through `POST bridge/session` (same
 * origin), so the token is never in the page's URL, history or logs.
 *
 * @module
 */
import type { Codex, CodexEvent, Thread } from "../mod.ts";
import { ApprovalQueue } from "./src/approvals.ts";
import { ConnectionKeeper, type ConnectionState } from "./src/connection.ts";
import { createPanel, renderThread, type ThreadPanel } from "./src/render.ts";
import { copyCodeOnClick } from "./src/safe_html.ts";
import { serverRequestHandlers } from "./src/server_requests.ts";
import { applyBatch, newThreadView, type ThreadView, upsertItem } from "./src/store.ts";

interface OpenThread {
  view: ThreadView;
  panel: ThreadPanel;
  /** Started on the server with the panel's first message. */
  thread: Thread | undefined;
  turn: { steer(text: string): Promise<void>; interrupt(): Promise<void> } | undefined;
  /** Bumped for every turn and on a lost connection: older turn streams stop writing. */
  seq: number;
  /** Interrupt was clicked while the turn was still starting: interrupt it once it has an id. */
  interruptWanted: boolean;
  /** Steering texts sent while the turn was still starting, in order: sent once it has an id. */
  steersWanted: string[];
  /** Turns of this panel that have ended (completed, failed or interrupted). */
  turnsEnded: number;
  /** The title is still the placeholder: the first message names the panel. */
  untitled: boolean;
}

const $ = <T extends Element>(selector: string) => document.querySelector<T>(selector)!;
const connDetail = $<HTMLElement>("#conn-detail");
const threadsEl = $<HTMLElement>("#threads");
const threadList = $<HTMLElement>("#thread-list");
const untrusted = $<HTMLInputElement>("#ask-approval");

/** Open panels, by their key (`data-panel`). */
const open = new Map<string, OpenThread>();
/** Checks run after every applied batch (e.g. an approval waiting for its item). */
const afterBatch = new Set<() => boolean>();
let framePending = false;

function find(idOrKey: string): OpenThread | undefined {
  return open.get(idOrKey) ?? [...open.values()].find((e) => e.view.id === idOrKey);
}

const approvals = new ApprovalQueue(
  $<HTMLDialogElement>("#approval-dialog"),
  (threadId) => {
    const prompt = find(threadId)?.panel.prompt;
    if (!prompt) return;
    // Closing a modal dialog restores the focus to the prompt while the page is still inert,
    // and Chromium then ignores typing in it: focusing it anew makes it editable again.
    prompt.blur();
    prompt.focus();
  },
);

const keeper = new ConnectionKeeper({
  serverRequests: serverRequestHandlers({ approvals, find, afterBatch }),
  $: { status: $("#conn-status"), detail: connDetail, reconnect: $("#reconnect") },
  onState: () => {
    for (const entry of open.values()) entry.view.dirty = true;
    scheduleRender();
  },
  onConnected: (codex) => refreshThreadList(codex).catch(() => {}),
  resumeOpenThreads,
  onLost: () => {
    approvals.clear();
    for (const entry of open.values()) {
      entry.seq++;
      if (entry.view.status === "running") {
        entry.view.status = "failed";
        entry.view.notice = "Connection lost during this turn";
      }
      entry.turn = undefined;
    }
  },
  onGlobal: handleGlobal,
});

/** Test and debugging hooks (read-only use); they take a thread id or a panel key. */
const demo = {
  states: keeper.states as readonly ConnectionState[],
  deltas: (id: string) => find(id)?.view.deltas ?? 0,
  turnsEnded: (id: string) => find(id)?.turnsEnded ?? 0,
  openThreads: () => [...open.values()].flatMap((e) => e.view.id ? [e.view.id] : []),
};
(globalThis as { __demo?: typeof demo }).__demo = demo;

function scheduleRender(): void {
  if (framePending) return;
  framePending = true;
  requestAnimationFrame(() => {
    framePending = false;
    const connected = keeper.state === "connected";
    for (const entry of open.values()) {
      if (entry.view.dirty) renderThread(entry.view, entry.panel, connected);
    }
  });
}

function handleGlobal(batch: CodexEvent[]): void {
  let listChanged = false;
  for (const ev of batch) {
    if (ev.method === "serverRequest/resolved") {
      const params = ev.params as { requestId: number | string; threadId: string };
      approvals.withdraw(params.requestId, params.threadId);
    } else if (ev.method === "thread/started") listChanged = true;
  }
  if (listChanged && keeper.codex) refreshThreadList(keeper.codex).catch(() => {});
}

async function refreshThreadList(codex = keeper.codex): Promise<void> {
  if (!codex) return;
  const result = await codex.request("thread/list", { limit: 30 });
  const rows = result.data.map((info) => {
    const li = document.createElement("li");
    li.dataset.threadId = info.id;
    const label = document.createElement("span");
    label.className = "preview";
    label.textContent = info.preview || "(empty thread)";
    label.title = info.id;
    const button = document.createElement("button");
    button.className = "resume";
    button.textContent = find(info.id) ? "Open" : "Resume";
    button.setAttribute("aria-label", `${button.textContent}: ${label.textContent}`);
    button.addEventListener("click", () => resumeThread(info.id, info.preview).catch(showError));
    li.append(label, button);
    return li;
  });
  threadList.replaceChildren(...rows);
  $("#thread-count").textContent = `(${rows.length})`;
}

function approvalParams() {
  return untrusted.checked ? { approvalPolicy: "untrusted" as const } : {};
}

function isEmptyDraft(entry: OpenThread): boolean {
  return !entry.thread && entry.view.order.length === 0 && entry.view.status === "idle";
}

function addPanel(thread: Thread | undefined, title: string): OpenThread {
  const view = newThreadView(thread?.id ?? "", title);
  view.cwd = thread?.info?.cwd ?? "";
  // deno-lint-ignore prefer-const
  let entry: OpenThread;
  const panel = createPanel(view, {
    send: (text) => runTurn(entry, text).catch(showError),
    steer: (text) => {
      if (view.status !== "running") return;
      if (entry.turn) entry.turn.steer(text).catch(showError);
      else entry.steersWanted.push(text); // the turn is starting
    },
    interrupt: () => {
      if (entry.turn) entry.turn.interrupt().catch(showError);
      else if (view.status === "running") entry.interruptWanted = true; // the turn is starting
    },
    close: () => {
      open.delete(panel.root.dataset.panel!);
      panel.root.remove();
      if (open.size === 0) newThread();
    },
  });
  entry = {
    view,
    panel,
    thread,
    turn: undefined,
    seq: 0,
    interruptWanted: false,
    steersWanted: [],
    turnsEnded: 0,
    untitled: thread === undefined,
  };
  open.set(panel.root.dataset.panel!, entry);
  threadsEl.append(panel.root);
  threadsEl.dataset.count = String(open.size);
  scheduleRender();
  return entry;
}

/** Focuses an empty panel that is ready for a first message, or opens one. */
function newThread(): void {
  const ready = [...open.values()].find(isEmptyDraft) ??
    addPanel(undefined, `Thread ${open.size + 1}`);
  ready.panel.prompt.focus();
}

async function resumeThread(threadId: string, preview: string): Promise<void> {
  const codex = keeper.codex;
  if (!codex) return;
  const existing = find(threadId);
  if (existing) {
    existing.panel.prompt.focus();
    return;
  }
  const thread = await codex.threadResume(threadId, approvalParams());
  // An untouched empty panel gives way to the thread the user asked for.
  for (const [key, entry] of open) {
    if (isEmptyDraft(entry)) {
      open.delete(key);
      entry.panel.root.remove();
    }
  }
  const entry = addPanel(thread, preview || threadId.slice(0, 8));
  loadHistory(entry.view, thread);
  entry.panel.prompt.focus();
}

function loadHistory(view: ThreadView, thread: Thread): void {
  for (const turn of thread.info?.turns ?? []) {
    for (const item of turn.items) upsertItem(view, item as Record<string, unknown>, true);
    if (turn.status === "failed") view.notice = `Turn failed: ${turn.error?.message ?? "error"}`;
  }
  view.dirty = true;
  scheduleRender();
}

async function resumeOpenThreads(codex: Codex): Promise<void> {
  for (const entry of open.values()) {
    if (!entry.thread) continue;
    const thread = await codex.threadResume(entry.view.id, approvalParams());
    entry.thread = thread;
    entry.view.notice = "";
    if (entry.view.status === "running") entry.view.status = "idle";
    loadHistory(entry.view, thread);
  }
}

async function runTurn(entry: OpenThread, text: string): Promise<void> {
  const { view } = entry;
  const seq = ++entry.seq;
  const current = () => entry.seq === seq;
  entry.interruptWanted = false;
  entry.steersWanted = [];
  view.status = "running";
  view.notice = "";
  if (entry.untitled) {
    entry.untitled = false;
    view.title = text.length > 48 ? `${text.slice(0, 47)}…` : text;
  }
  view.dirty = true;
  scheduleRender();
  try {
    if (!entry.thread) {
      const codex = keeper.codex;
      if (!codex) throw new Error("not connected");
      entry.thread = await codex.threadStart(approvalParams());
      view.id = entry.thread.id;
      view.cwd = entry.thread.info?.cwd ?? "";
      if (!current()) return;
    }
    const turn = await entry.thread.turn(text);
    if (!current()) return;
    entry.turn = turn;
    for (const steer of entry.steersWanted.splice(0)) turn.steer(steer).catch(showError);
    if (entry.interruptWanted) turn.interrupt().catch(showError);
    for await (const batch of turn.batches()) {
      if (!current()) break; // the connection was lost: this stream is stale
      applyBatch(view, batch);
      for (const check of afterBatch) if (check()) afterBatch.delete(check);
      scheduleRender();
    }
  } catch (err) {
    if (current() && keeper.state === "connected") {
      view.status = "failed";
      view.notice = `Turn failed: ${(err as Error).message}`;
    }
  } finally {
    if (current()) {
      entry.turnsEnded++;
      entry.turn = undefined;
      view.dirty = true;
      scheduleRender();
      refreshThreadList().catch(() => {});
    }
  }
}

function showError(err: unknown): void {
  connDetail.textContent = (err as Error).message;
}

$<HTMLButtonElement>("#new-thread").addEventListener("click", newThread);
$<HTMLButtonElement>("#refresh-threads").addEventListener(
  "click",
  () => refreshThreadList().catch(showError),
);
document.addEventListener("click", copyCodeOnClick);
if (matchMedia("(max-width: 720px)").matches) $<HTMLDetailsElement>("#thread-picker").open = false;

newThread();
keeper.start();
