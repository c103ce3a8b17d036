/**
 * The shape of one benchmark's results and its rendering as Markdown for `BENCHMARKS.md`.
 *
 * @module
 */

/** A target and whether this run met it. */
export interface Target {
  /** What is required, e.g. `≥ 50x the naive design`. */
  text: string;
  /** Met, not met, or not measured (`undefined`). */
  met: boolean | undefined;
  /** The measured value it was judged on. */
  measured: string;
}

/** One benchmark's section of the report. */
export interface Section {
  /** Heading, e.g. `1. Worker → main thread delivery (Deno)`. */
  title: string;
  /** What was measured and how (a few sentences). */
  method: string;
  /** A table: the first row is the header. */
  table: string[][];
  /** Further tables, rendered after the first. */
  extraTables?: string[][][];
  /** Targets of the issue, judged on this run. */
  targets: Target[];
  /** Findings, explanations of misses. */
  notes: string[];
  /** Wall time the benchmark took, in seconds. */
  seconds?: number;
}

/**
 * Renders a table as GitHub Markdown.
 *
 * @example
 * ```ts
 * import { markdownTable } from "./report.ts";
 * console.assert(markdownTable([["a", "b"], ["1", "2"]]).includes("| 1 | 2 |"));
 * ```
 */
export function markdownTable(rows: string[][]): string {
  if (rows.length === 0) return "";
  const [header, ...body] = rows;
  const align = header.map((_, i) => (i === 0 ? "---" : "---:"));
  return [header, align, ...body].map((r) => `| ${r.join(" | ")} |`).join("\n");
}

/**
 * Renders one section.
 *
 * @example
 * ```ts
 * import { renderSection } from "./report.ts";
 * const md = renderSection({ title: "T", method: "m", table: [], targets: [], notes: [] });
 * console.assert(md.startsWith("## T"));
 * ```
 */
export function renderSection(s: Section): string {
  const parts = [`## ${s.title}`, "", s.method, ""];
  for (const t of [s.table, ...(s.extraTables ?? [])]) {
    if (t.length > 0) parts.push(markdownTable(t), "");
  }
  if (s.targets.length > 0) {
    parts.push("| target | measured | result |", "| --- | ---: | --- |");
    for (const t of s.targets) {
      const result = t.met === undefined ? "not measured" : t.met ? "**met**" : "**not met**";
      parts.push(`| ${t.text} | ${t.measured} | ${result} |`);
    }
    parts.push("");
  }
  for (const n of s.notes) parts.push(`- ${n}`);
  if (s.notes.length > 0) parts.push("");
  if (s.seconds !== undefined) parts.push(`_This benchmark took ${s.seconds.toFixed(1)} s._`, "");
  return parts.join("\n");
}

/** The row label of a section's targets in the report's summary table. */
export function summaryLabel(s: Section): string {
  return s.title.replace(/\s*\(.*$/, "");
}

/**
 * Puts `s` into an existing report: replaces the section with the same number (`## 9. …`) or
 * appends it, and replaces its rows in the summary table of targets (appended after the others).
 * For `deno task bench NAME --merge`, which measures one section without re-running the rest.
 *
 * @example
 * ```ts
 * import { mergeSection } from "./report.ts";
 * const report = "# B\n\n## Targets\n\n| benchmark | target | measured | result |\n" +
 *   "| --- | --- | ---: | --- |\n| 1. A | t | 1 | met |\n\n## 1. A\n\nold\n";
 * const merged = mergeSection(report, {
 *   title: "1. A",
 *   method: "new",
 *   table: [],
 *   targets: [{ text: "t", met: false, measured: "2" }],
 *   notes: [],
 * });
 * if (merged.includes("old") || !merged.includes("| 1. A | t | 2 | **not met** |")) {
 *   throw new Error(merged);
 * }
 * ```
 */
export function mergeSection(report: string, s: Section): string {
  const number = s.title.slice(0, s.title.indexOf(".") + 1);
  const start = report.indexOf(`\n## ${number} `);
  const rendered = renderSection(s).trimEnd() + "\n";
  let out: string;
  if (start < 0) out = report.trimEnd() + "\n\n" + rendered;
  else {
    const next = report.indexOf("\n## ", start + 1);
    out = report.slice(0, start + 1) + rendered + (next < 0 ? "" : report.slice(next));
  }
  const label = summaryLabel(s);
  const lines = out.split("\n");
  const header = lines.indexOf("| benchmark | target | measured | result |");
  if (header < 0) return out;
  let end = header + 2;
  while (end < lines.length && lines[end].startsWith("| ")) end++;
  const kept = lines.slice(header + 2, end).filter((line) => !line.startsWith(`| ${label} |`));
  const rows = s.targets.map((t) => {
    const result = t.met === undefined ? "not measured" : t.met ? "met" : "**not met**";
    return `| ${label} | ${t.text} | ${t.measured} | ${result} |`;
  });
  lines.splice(header + 2, end - header - 2, ...kept, ...rows);
  return lines.join("\n");
}
