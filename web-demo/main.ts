/// <reference lib="dom" />
/**
 * The web demo's main thread. It uses the SDK exactly as a Deno script does:
 * `Codex.connect({ url, token })` runs the router in a Web Worker; turns are read with
 * `turn.batches()`, applied to plain state, and rendered once per animation frame.
 *
 * The bridge hands the page its WebSocket URL and token through `POST bridge/session` (same
 * origin), so the token is never in the page's URL, history or logs.
 *
 * @module
 */
import { Codex, type CodexEvent, type ServerRequestHandlers, type Thread } from "../mod.ts";
import { ApprovalQueue } from "./src/approvals.ts";
import { createPanel, renderThread, type ThreadPanel } from "./src/render.ts";
import { applyBatch, newThreadView, type ThreadView, upsertItem } from "./src/store.ts";

/** Connection states the header shows. */
type ConnectionState = "connecting" | "connected" | "reconnecting" | "disconnected";

interface OpenThread {
  view: ThreadView;
  panel: ThreadPanel;
  thread: Thread;
  turn: { steer(text: string): Promise<void>; interrupt(): Promise<void> } | undefined;
  /** Bumped for every turn and on a lost connection: older turn streams stop writing. */
  seq: number;
  /** Interrupt was clicked while the turn was still starting: interrupt it once it has an id. */
  interruptWanted: boolean;
  /** Steering texts sent while the turn was still starting, in order: sent once it has an id. */
  steersWanted: string[];
  /** Turns of this panel that have ended (completed, failed or interrupted). */
  turnsEnded: number;
}

const $ = <T extends Element>(selector: string) => document.querySelector<T>(selector)!;
const connStatus = $<HTMLElement>("#conn-status");
const connDetail = $<HTMLElement>("#conn-detail");
const threadsEl = $<HTMLElement>("#threads");
const threadList = $<HTMLElement>("#thread-list");
const untrusted = $<HTMLInputElement>("#ask-approval");
const approvals = new ApprovalQueue($<HTMLDialogElement>("#approval-dialog"));

const open = new Map<string, OpenThread>();
let codex: Codex | undefined;
let state: ConnectionState = "connecting";
let generation = 0;
let framePending = false;

/** Test and debugging hooks (read-only use). */
const demo = {
  states: [] as ConnectionState[],
  deltas: (threadId: string) => open.get(threadId)?.view.deltas ?? 0,
  turnsEnded: (threadId: string) => open.get(threadId)?.turnsEnded ?? 0,
  openThreads: () => [...open.keys()],
};
(globalThis as { __demo?: typeof demo }).__demo = demo;

function setState(next: ConnectionState, detail = ""): void {
  state = next;
  demo.states.push(next);
  connStatus.textContent = next;
  connStatus.className = `conn ${next}`;
  document.body.dataset.connection = next;
  connDetail.textContent = detail;
  for (const entry of open.values()) entry.view.dirty = true;
  scheduleRender();
}

function scheduleRender(): void {
  if (framePending) return;
  framePending = true;
  requestAnimationFrame(() => {
    framePending = false;
    for (const entry of open.values()) {
      if (entry.view.dirty) renderThread(entry.view, entry.panel, state === "connected");
    }
  });
}

const serverRequests: ServerRequestHandlers = {
  "item/commandExecution/requestApproval": async (params, ctx) => ({
    decision: await approvals.ask({
      requestId: ctx.requestId,
      threadId: params.threadId,
      title: "Run this command?",
      detail: params.command ?? "(no command)",
    }),
  }),
  "item/fileChange/requestApproval": async (params, ctx) => ({
    decision: await approvals.ask({
      requestId: ctx.requestId,
      threadId: params.threadId,
      title: "Apply this file change?",
      detail: fileChangeDetail(params.threadId, params.itemId),
    }),
  }),
};

function fileChangeDetail(threadId: string, itemId: string): string {
  const item = open.get(threadId)?.view.items.get(itemId);
  return item?.text || "a file change";
}

async function connect(): Promise<Codex> {
  const response = await fetch("bridge/session", { method: "POST" });
  if (!response.ok) throw new Error(`the bridge refused the session (HTTP ${response.status})`);
  const session = await response.json() as { url: string; token: string };
  return await Codex.connect({
    url: session.url,
    token: session.token,
    serverRequests,
    clientInfo: { name: "codex_worker_web_demo", title: "codex-worker web demo", version: "0.1.0" },
    connectTimeoutMs: 15_000,
    // A dropped socket is survived: running turns go on in their handles (an `sdk/gap`). When
    // every attempt fails, `waitClosed` resolves and the page starts over (below).
    reconnect: { maxAttempts: 5, initialDelayMs: 250, maxDelayMs: 2_000 },
    // The page renders once per animation frame, so one batch per frame is all it can use.
    // `?batchIntervalMs=N` overrides it (the full-stack benchmark compares settings).
    batchIntervalMs: Number(new URLSearchParams(location.search).get("batchIntervalMs") ?? 16),
  });
}

async function start(reconnecting: boolean): Promise<void> {
  const gen = ++generation;
  const delays = reconnecting ? [250, 500, 1000, 2000] : [0];
  let lastError = "";
  for (const delay of delays) {
    if (delay) await new Promise((r) => setTimeout(r, delay));
    try {
      const connected = await connect();
      if (gen !== generation) {
        await connected.close();
        return;
      }
      codex = connected;
      try {
        // Open panels are re-attached before the page says "connected" (and enables Send).
        if (reconnecting) await resumeOpenThreads();
      } catch (err) {
        codex = undefined;
        await connected.close().catch(() => {});
        throw err;
      }
      watch(connected, gen);
      setState("connected", connected.metadata.userAgent);
      await refreshThreadList().catch(() => {});
      return;
    } catch (err) {
      lastError = (err as Error).message;
    }
  }
  setState("disconnected", lastError);
}

function watch(connection: Codex, gen: number): void {
  (async () => {
    const source = await connection.connection.subscribe();
    for await (const batch of source) handleGlobal(batch);
  })().catch(() => {});
  connection.connection.waitClosed().then((error) => {
    if (gen !== generation) return;
    codex = undefined;
    approvals.clear();
    for (const entry of open.values()) {
      entry.seq++;
      if (entry.view.status === "running") {
        entry.view.status = "failed";
        entry.view.notice = "Connection lost during this turn";
      }
      entry.turn = undefined;
    }
    setState("reconnecting", error.message);
    start(true);
  });
}

function handleGlobal(batch: CodexEvent[]): void {
  let listChanged = false;
  for (const ev of batch) {
    if (ev.method === "sdk/disconnected") {
      setState("reconnecting", (ev.params as { message: string }).message);
    } else if (ev.method === "sdk/reconnected") {
      setState("connected", codex?.metadata.userAgent);
      listChanged = true;
    } else if (ev.method === "serverRequest/resolved") {
      const params = ev.params as { requestId: number | string; threadId: string };
      approvals.withdraw(params.requestId, params.threadId);
    } else if (ev.method === "thread/started") listChanged = true;
  }
  if (listChanged) refreshThreadList().catch(() => {});
}

async function refreshThreadList(): Promise<void> {
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
    button.textContent = open.has(info.id) ? "Open" : "Resume";
    button.addEventListener("click", () => resumeThread(info.id, info.preview).catch(showError));
    li.append(label, button);
    return li;
  });
  threadList.replaceChildren(...rows);
}

function approvalParams() {
  return untrusted.checked ? { approvalPolicy: "untrusted" as const } : {};
}

function addPanel(thread: Thread, title: string): OpenThread {
  const view = newThreadView(thread.id, title);
  const panel = createPanel(view);
  const entry: OpenThread = {
    view,
    panel,
    thread,
    turn: undefined,
    seq: 0,
    interruptWanted: false,
    steersWanted: [],
    turnsEnded: 0,
  };
  panel.root.querySelector("form")!.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const text = panel.prompt.value.trim();
    if (!text) return;
    panel.prompt.value = "";
    runTurn(entry, text).catch(showError);
  });
  panel.steer.addEventListener("click", () => {
    const text = panel.prompt.value.trim();
    if (!text || view.status !== "running") return;
    panel.prompt.value = "";
    if (entry.turn) entry.turn.steer(text).catch(showError);
    else entry.steersWanted.push(text); // the turn is starting
  });
  panel.interrupt.addEventListener("click", () => {
    if (entry.turn) entry.turn.interrupt().catch(showError);
    else if (view.status === "running") entry.interruptWanted = true; // the turn is starting
  });
  panel.close.addEventListener("click", () => {
    open.delete(thread.id);
    panel.root.remove();
  });
  open.set(thread.id, entry);
  threadsEl.append(panel.root);
  scheduleRender();
  return entry;
}

async function newThread(): Promise<void> {
  if (!codex) return;
  const thread = await codex.threadStart(approvalParams());
  const entry = addPanel(thread, `Thread ${open.size + 1}`);
  entry.panel.prompt.focus();
}

async function resumeThread(threadId: string, preview: string): Promise<void> {
  if (!codex) return;
  const existing = open.get(threadId);
  if (existing) {
    existing.panel.prompt.focus();
    return;
  }
  const thread = await codex.threadResume(threadId, approvalParams());
  const entry = addPanel(thread, preview || threadId.slice(0, 8));
  loadHistory(entry.view, thread);
}

function loadHistory(view: ThreadView, thread: Thread): void {
  for (const turn of thread.info?.turns ?? []) {
    for (const item of turn.items) upsertItem(view, item as Record<string, unknown>, true);
    if (turn.status === "failed") view.notice = `Turn failed: ${turn.error?.message ?? "error"}`;
  }
  view.dirty = true;
  scheduleRender();
}

async function resumeOpenThreads(): Promise<void> {
  if (!codex) return;
  for (const entry of open.values()) {
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
  view.dirty = true;
  scheduleRender();
  try {
    const turn = await entry.thread.turn(text);
    if (!current()) return;
    entry.turn = turn;
    for (const steer of entry.steersWanted.splice(0)) turn.steer(steer).catch(showError);
    if (entry.interruptWanted) turn.interrupt().catch(showError);
    for await (const batch of turn.batches()) {
      if (!current()) break; // the connection was lost: this stream is stale
      applyBatch(view, batch);
      scheduleRender();
    }
  } catch (err) {
    if (current() && state === "connected") {
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

$<HTMLButtonElement>("#new-thread").addEventListener("click", () => newThread().catch(showError));
$<HTMLButtonElement>("#refresh-threads").addEventListener(
  "click",
  () => refreshThreadList().catch(showError),
);
$<HTMLButtonElement>("#reconnect").addEventListener("click", () => {
  if (state === "disconnected") {
    setState("reconnecting");
    start(true);
  }
});

setState("connecting");
start(false);
