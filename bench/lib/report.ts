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
