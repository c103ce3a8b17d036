/**
 * The demo's state: open threads and their items, updated from batches of SDK events. Applying
 * events only changes data and marks the thread dirty; the DOM is written once per animation
 * frame by `render.ts`.
 *
 * @module
 */
import type { CodexEvent } from "../../mod.ts";

/** One transcript entry. */
export interface ItemView {
  /** Item id (from the server). */
  readonly id: string;
  /** What it shows. */
  kind: "user" | "agent" | "command" | "file" | "other";
  /** User or agent text; the command line for commands; the summary for file changes. */
  text: string;
  /** Bumped when `text` is replaced rather than appended to (the renderer then rebuilds it). */
  textRewrites: number;
  /** Streamed command output. */
  output: string;
  /** Bumped when `output` is replaced rather than appended to. */
  outputRewrites: number;
  /** Item status (`inProgress`, `completed`, `declined`, `failed`...). */
  status: string;
  /** A file change's files and diffs (empty for other kinds). */
  changes: readonly FileChange[];
  /**
   * The item was streaming when the connection dropped (`sdk/gap`): deltas sent meanwhile are
   * lost, so later ones are not appended (they would follow a hole); its `item/completed`
   * brings the rest.
   */
  gapped: boolean;
  /** Bumped on every change, so the renderer skips unchanged items. */
  version: number;
}

/** One file of a `fileChange` item, as the server reports it. */
export interface FileChange {
  /** The file's path. */
  readonly path: string;
  /** `add`, `delete` or `update`. */
  readonly kind: string;
  /** For an update that renames the file: the new path. */
  readonly movePath: string | null;
  /** A unified diff (`update`), or the file's content (`add`, `delete`). */
  readonly diff: string;
}

/** Turn-level state of a thread panel. */
export type ThreadStatus = "idle" | "running" | "completed" | "interrupted" | "failed";

/** Token usage as the last `thread/tokenUsage/updated` reported it. */
export interface UsageView {
  /** Tokens of the whole thread. */
  total: number;
  /** Input tokens of the last model call. */
  lastInput: number;
  /** Output tokens of the last model call. */
  lastOutput: number;
}

/** One open thread. */
export interface ThreadView {
  /** Thread id ("" until the thread is started on the server). */
  id: string;
  /** Short label (preview or id). */
  title: string;
  /** The thread's working directory ("" until known): file paths are shown relative to it. */
  cwd: string;
  /** Items by id. */
  readonly items: Map<string, ItemView>;
  /** Item ids in display order. */
  readonly order: string[];
  /** Turn-level status. */
  status: ThreadStatus;
  /** The last turn's error or a transient notice (retrying...). */
  notice: string;
  /** Token usage. */
  usage: UsageView | undefined;
  /** Agent text deltas received (for the flood test and the footer). */
  deltas: number;
  /** Needs a render. */
  dirty: boolean;
}

/**
 * Creates an empty thread view.
 *
 * @example
 * ```ts
 * import { newThreadView } from "./store.ts";
 * const view = newThreadView("thr_1", "my thread");
 * if (view.status !== "idle") throw new Error();
 * ```
 */
export function newThreadView(id: string, title: string): ThreadView {
  return {
    id,
    title,
    cwd: "",
    items: new Map(),
    order: [],
    status: "idle",
    notice: "",
    usage: undefined,
    deltas: 0,
    dirty: true,
  };
}

type Loose = Record<string, unknown>;

function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function itemText(item: Loose): string {
  switch (item.type) {
    case "userMessage":
      return (Array.isArray(item.content) ? item.content : [])
        .map((c: Loose) => str(c.text))
        .join("");
    case "agentMessage":
      return str(item.text);
    case "commandExecution":
      return str(item.command);
    case "fileChange":
      return (Array.isArray(item.changes) ? item.changes : [])
        .map((c: Loose) => `${str((c.kind as Loose | undefined)?.type) || "edit"} ${str(c.path)}`)
        .join("\n");
    default:
      return str(item.type);
  }
}

function fileChanges(value: unknown): FileChange[] {
  return (Array.isArray(value) ? value : []).map((c: Loose) => {
    const kind = (c.kind ?? {}) as Loose;
    return {
      path: str(c.path),
      kind: str(kind.type) || "update",
      movePath: str(kind.move_path) || null,
      diff: str(c.diff),
    };
  });
}

function kindOf(type: unknown): ItemView["kind"] | undefined {
  switch (type) {
    case "userMessage":
      return "user";
    case "agentMessage":
      return "agent";
    case "commandExecution":
      return "command";
    case "fileChange":
      return "file";
    case "reasoning":
      return undefined;
    default:
      return "other";
  }
}

/**
 * Adds or updates an item from a full `ThreadItem` (`item/started`, `item/completed`, history).
 *
 * @example
 * ```ts
 * import { newThreadView, upsertItem } from "./store.ts";
 * const view = newThreadView("t", "t");
 * upsertItem(view, { type: "agentMessage", id: "m1", text: "hi" });
 * if (view.items.get("m1")?.text !== "hi") throw new Error();
 * ```
 */
export function upsertItem(view: ThreadView, item: Loose, completed = false): void {
  const kind = kindOf(item.type);
  const id = str(item.id);
  if (kind === undefined || id === "") return;
  let entry = view.items.get(id);
  if (!entry) {
    entry = {
      id,
      kind,
      text: "",
      textRewrites: 0,
      output: "",
      outputRewrites: 0,
      status: "",
      changes: [],
      gapped: false,
      version: 0,
    };
    view.items.set(id, entry);
    view.order.push(id);
  }
  const text = itemText(item);
  if ((text !== "" || completed) && text !== entry.text) {
    if (!text.startsWith(entry.text)) entry.textRewrites++;
    entry.text = text;
  }
  const output = item.aggregatedOutput;
  if (typeof output === "string" && output !== entry.output) {
    if (!output.startsWith(entry.output)) entry.outputRewrites++;
    entry.output = output;
  }
  if (kind === "file") entry.changes = fileChanges(item.changes);
  entry.status = str(item.status) || (completed ? "completed" : entry.status || "inProgress");
  if (completed) entry.gapped = false;
  entry.version++;
  view.dirty = true;
}

/**
 * Applies one batch of a turn's events to its thread view.
 *
 * @example
 * ```ts
 * import { applyBatch, newThreadView } from "./store.ts";
 * const view = newThreadView("t", "t");
 * applyBatch(view, [
 *   { method: "item/started", params: { item: { type: "agentMessage", id: "m", text: "" } } },
 *   { method: "item/agentMessage/delta", params: { itemId: "m", delta: "he" } },
 *   { method: "item/agentMessage/delta", params: { itemId: "m", delta: "llo" } },
 * ] as never);
 * if (view.items.get("m")?.text !== "hello") throw new Error();
 * ```
 */
export function applyBatch(view: ThreadView, batch: readonly CodexEvent[]): void {
  for (const ev of batch) {
    const params = (ev.params ?? {}) as Loose;
    switch (ev.method) {
      case "item/agentMessage/delta": {
        const item = view.items.get(str(params.itemId));
        if (item && !item.gapped) {
          item.text += str(params.delta);
          item.version++;
        }
        view.deltas++;
        break;
      }
      case "item/commandExecution/outputDelta": {
        const item = view.items.get(str(params.itemId));
        if (item && !item.gapped) {
          item.output += str(params.delta);
          item.version++;
        }
        break;
      }
      case "item/fileChange/patchUpdated": {
        const item = view.items.get(str(params.itemId));
        if (item) {
          item.changes = fileChanges(params.changes);
          item.version++;
        }
        break;
      }
      case "sdk/gap":
        for (const item of view.items.values()) {
          if (item.status !== "inProgress") continue;
          if (item.kind !== "agent" && item.kind !== "command") continue;
          item.gapped = true;
          item.version++;
        }
        break;
      case "item/started":
        upsertItem(view, params.item as Loose);
        break;
      case "item/completed":
        upsertItem(view, params.item as Loose, true);
        break;
      case "turn/started":
        view.status = "running";
        view.notice = "";
        break;
      case "turn/completed": {
        const turn = params.turn as Loose;
        const status = str(turn.status);
        view.status = status === "failed"
          ? "failed"
          : status === "interrupted"
          ? "interrupted"
          : "completed";
        const error = turn.error as Loose | null;
        view.notice = status === "failed" ? `Turn failed: ${str(error?.message) || "error"}` : "";
        break;
      }
      case "error": {
        const error = params.error as Loose | undefined;
        if (params.willRetry) view.notice = `Retrying: ${str(error?.message)}`;
        break;
      }
      case "thread/tokenUsage/updated": {
        const usage = params.tokenUsage as Loose;
        const total = usage.total as Loose;
        const last = usage.last as Loose;
        view.usage = {
          total: Number(total.totalTokens ?? 0),
          lastInput: Number(last.inputTokens ?? 0),
          lastOutput: Number(last.outputTokens ?? 0),
        };
        break;
      }
    }
  }
  view.dirty = true;
}
