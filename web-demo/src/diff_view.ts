/// <reference lib="dom" />
/**
 * Shows a file change as a unified diff: a summary line with the counts, then each file with its
 * hunks, added and removed lines coloured (and marked `+`/`-`, for readers who do not see the
 * colours). The `diff` library reads the server's hunks (`update`) or makes them from the file's
 * content (`add`, `delete`). A long diff scrolls; past {@link MAX_DIFF_LINES} lines the rest is
 * summarised with a count.
 *
 * @module
 */
import { parsePatch, structuredPatch, type StructuredPatchHunk } from "diff";
import { el, groupDigits } from "./dom.ts";
import { MAX_DIFF_LINES } from "./limits.ts";
import type { FileChange } from "./store.ts";

export { MAX_DIFF_LINES } from "./limits.ts";

/** One file's hunks and counts. */
export interface FileDiff {
  /** The change as the server reported it. */
  readonly change: FileChange;
  /** Its hunks. */
  readonly hunks: readonly StructuredPatchHunk[];
  /** Lines added. */
  readonly added: number;
  /** Lines removed. */
  readonly removed: number;
}

/**
 * Hunks and counts of one file change.
 *
 * @example
 * ```ts
 * import { fileDiff } from "./diff_view.ts";
 * const diff = fileDiff({ path: "a.txt", kind: "add", movePath: null, diff: "one\ntwo\n" });
 * if (diff.added !== 2 || diff.removed !== 0) throw new Error("unexpected counts");
 * ```
 */
export function fileDiff(change: FileChange): FileDiff {
  const hunks = change.kind === "add"
    ? structuredPatch(change.path, change.path, "", change.diff).hunks
    : change.kind === "delete"
    ? structuredPatch(change.path, change.path, change.diff, "").hunks
    : parsePatch(change.diff)[0]?.hunks ?? [];
  let added = 0;
  let removed = 0;
  for (const hunk of hunks) {
    for (const line of hunk.lines) {
      if (line[0] === "+") added++;
      else if (line[0] === "-") removed++;
    }
  }
  return { change, hunks, added, removed };
}

/**
 * `"2 files changed: +12 −3"`.
 *
 * @example
 * ```ts
 * import { fileDiff, summarize } from "./diff_view.ts";
 * const text = summarize([fileDiff({ path: "a", kind: "add", movePath: null, diff: "x\n" })]);
 * if (text !== "1 file changed: +1 −0") throw new Error(text);
 * ```
 */
export function summarize(diffs: readonly FileDiff[]): string {
  const added = diffs.reduce((n, d) => n + d.added, 0);
  const removed = diffs.reduce((n, d) => n + d.removed, 0);
  const files = diffs.length === 1 ? "1 file" : `${diffs.length} files`;
  return `${files} changed: +${added} −${removed}`;
}

const LINE_CLASS: Readonly<Record<string, string>> = { "+": "add", "-": "del", "\\": "meta" };

/**
 * `path` relative to the directory `base` when it lies inside it.
 *
 * @example
 * ```ts
 * import { relativePath } from "./diff_view.ts";
 * if (relativePath("/repo/src/a.ts", "/repo") !== "src/a.ts") throw new Error("unexpected");
 * ```
 */
export function relativePath(path: string, base: string | undefined): string {
  if (!base) return path;
  const prefix = base.endsWith("/") ? base : `${base}/`;
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

/**
 * Builds the diff view of a change's files (a fresh element; the caller places it). Paths are
 * shown relative to `base` (the thread's working directory).
 *
 * @example
 * ```ts ignore
 * dialogBody.append(renderDiff(item.changes, view.cwd));
 * ```
 */
export function renderDiff(
  changes: readonly FileChange[],
  base?: string,
  maxLines = MAX_DIFF_LINES,
): HTMLElement {
  const diffs = changes.map(fileDiff);
  const root = el("div", "diff");
  root.append(el("p", "diff-summary", summarize(diffs)));
  const body = el("div", "diff-body");
  // A scrolling region must be reachable with the keyboard.
  body.tabIndex = 0;
  body.setAttribute("role", "region");
  body.setAttribute("aria-label", "Diff");
  let budget = maxLines;
  let hidden = 0;
  for (const diff of diffs) {
    const { change } = diff;
    const file = el("section", "diff-file");
    const title = el("h3", "diff-path");
    title.title = change.path;
    const path = relativePath(change.path, base);
    const target = change.movePath ? `${path} → ${relativePath(change.movePath, base)}` : path;
    title.append(
      el("span", "diff-kind", change.kind),
      ` ${target} `,
      el("span", "count-add", `+${diff.added}`),
      " ",
      el("span", "count-del", `−${diff.removed}`),
    );
    const lines = el("pre", "diff-lines");
    for (const hunk of diff.hunks) {
      if (budget <= 0) {
        hidden += hunk.lines.length + 1;
        continue;
      }
      const header = `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`;
      lines.append(el("span", "line hunk", header + "\n"));
      budget--;
      for (const line of hunk.lines) {
        if (budget <= 0) {
          hidden++;
          continue;
        }
        lines.append(el("span", `line ${LINE_CLASS[line[0]] ?? "ctx"}`, line + "\n"));
        budget--;
      }
    }
    file.append(title, lines);
    body.append(file);
  }
  root.append(body);
  if (hidden > 0) {
    root.append(el("p", "diff-more", `… ${groupDigits(hidden)} more lines not shown`));
  }
  return root;
}
