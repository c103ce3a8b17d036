/**
 * Small statistics helpers for benchmarks: medians with their spread, percentiles, formatting.
 *
 * @module
 */

/** The median of several runs with the smallest and largest value. */
export interface Spread {
  /** Median of the runs. */
  median: number;
  /** Smallest run. */
  min: number;
  /** Largest run. */
  max: number;
  /** Number of runs. */
  runs: number;
}

/**
 * Median, min and max of `values`.
 *
 * @example
 * ```ts
 * import { spread } from "./stats.ts";
 * console.assert(spread([3, 1, 2]).median === 2);
 * ```
 */
export function spread(values: readonly number[]): Spread {
  if (values.length === 0) return { median: NaN, min: NaN, max: NaN, runs: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], runs: sorted.length };
}

/**
 * The `p`-th percentile (0–100) of `values` (nearest rank).
 *
 * @example
 * ```ts
 * import { percentile } from "./stats.ts";
 * console.assert(percentile([1, 2, 3, 4], 50) === 2);
 * ```
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1];
}

/**
 * Formats a number with a fixed number of significant-looking decimals and thin grouping.
 *
 * @example
 * ```ts
 * import { num } from "./stats.ts";
 * console.assert(num(1234567) === "1 234 567");
 * ```
 */
export function num(value: number, decimals = 0): string {
  if (!Number.isFinite(value)) return String(value);
  const fixed = value.toFixed(decimals);
  const [int, frac] = fixed.split(".");
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, " ");
  return frac ? `${grouped}.${frac}` : grouped;
}

/**
 * `median (min–max)` of a spread.
 *
 * @example
 * ```ts
 * import { fmtSpread, spread } from "./stats.ts";
 * console.assert(fmtSpread(spread([1, 2, 3])) === "2 (1–3)");
 * ```
 */
export function fmtSpread(s: Spread, decimals = 0, unit = ""): string {
  return `${num(s.median, decimals)}${unit} (${num(s.min, decimals)}–${num(s.max, decimals)})`;
}

/**
 * Ratio `a / b` of two spreads' medians, formatted `1.23x`.
 *
 * @example
 * ```ts
 * import { ratio } from "./stats.ts";
 * console.assert(ratio(3, 2) === "1.50x");
 * ```
 */
export function ratio(a: number, b: number, decimals = 2): string {
  return `${(a / b).toFixed(decimals)}x`;
}

/**
 * Per-run ratios' spread (`a[i] / b[i]`), for baselines run in the same repetition.
 *
 * @example
 * ```ts
 * import { pairedRatios } from "./stats.ts";
 * console.assert(pairedRatios([2, 4], [1, 2]).median === 2);
 * ```
 */
export function pairedRatios(a: readonly number[], b: readonly number[]): Spread {
  return spread(a.map((x, i) => x / b[i]));
}
