/**
 * The app-server versions this SDK works with: the one place that declares them. The newest is
 * the pinned version (the generated types come from it); the oldest is the oldest release the
 * test suite runs against (the `@openai/codex-oldest` alias in `deno.json`). What differs
 * between them is listed in the README's compatibility table.
 *
 * @module
 */

import { CODEX_VERSION } from "./generated/notification_routes.ts";

/**
 * A closed range of codex releases, by semantic-version order.
 *
 * @example
 * ```ts
 * import type { CodexVersionWindow } from "./version_window.ts";
 * const window: CodexVersionWindow = { oldest: "0.169.0", newest: "0.171.0" };
 * console.assert(window.oldest < window.newest);
 * ```
 */
export interface CodexVersionWindow {
  /** The oldest supported release (inclusive). */
  readonly oldest: string;
  /** The newest supported release (inclusive): the pinned one. */
  readonly newest: string;
}

/**
 * The app-server releases this SDK supports and tests: 0.169.0 to the pinned 0.171.0.
 *
 * @example
 * ```ts
 * import { CODEX_VERSION_WINDOW } from "./version_window.ts";
 * if (CODEX_VERSION_WINDOW.oldest !== "0.169.0") throw new Error("unexpected oldest");
 * ```
 */
export const CODEX_VERSION_WINDOW: CodexVersionWindow = Object.freeze({
  oldest: "0.169.0",
  newest: CODEX_VERSION,
});

const SEMVER = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

/**
 * Orders two versions by semantic-version precedence: negative when `a` is older, 0 when equal,
 * positive when newer. A pre-release (`0.172.0-alpha.1`) is older than its release.
 *
 * @throws {TypeError} When either is not a `major.minor.patch[-pre]` version.
 *
 * @example
 * ```ts
 * import { compareCodexVersions } from "./version_window.ts";
 * console.assert(compareCodexVersions("0.169.0", "0.171.0") < 0);
 * console.assert(compareCodexVersions("0.171.0-alpha.2", "0.171.0") < 0);
 * console.assert(compareCodexVersions("0.171.0", "0.171.0") === 0);
 * ```
 */
export function compareCodexVersions(a: string, b: string): number {
  const pa = parse(a);
  const pb = parse(b);
  for (let i = 0; i < 3; i++) {
    const d = (pa.core[i] ?? 0) - (pb.core[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  if (pa.pre === pb.pre) return 0;
  if (pa.pre === undefined) return 1;
  if (pb.pre === undefined) return -1;
  return comparePre(pa.pre.split("."), pb.pre.split("."));
}

/**
 * Whether `version` lies inside `window` (default: {@link CODEX_VERSION_WINDOW}). A version
 * that is not `major.minor.patch[-pre]` is outside.
 *
 * @example
 * ```ts
 * import { isInCodexVersionWindow } from "./version_window.ts";
 * console.assert(isInCodexVersionWindow("0.170.0"));
 * console.assert(!isInCodexVersionWindow("0.168.2"));
 * console.assert(!isInCodexVersionWindow("not a version"));
 * ```
 */
export function isInCodexVersionWindow(
  version: string,
  window: CodexVersionWindow = CODEX_VERSION_WINDOW,
): boolean {
  if (!SEMVER.test(version)) return false;
  return compareCodexVersions(version, window.oldest) >= 0 &&
    compareCodexVersions(version, window.newest) <= 0;
}

function parse(version: string): { core: number[]; pre: string | undefined } {
  const m = SEMVER.exec(version);
  if (!m) throw new TypeError(`not a version: ${JSON.stringify(version)}`);
  return { core: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] };
}

function comparePre(a: string[], b: string[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x) ? Number(x) : undefined;
    const ny = /^\d+$/.test(y) ? Number(y) : undefined;
    if (nx !== undefined && ny !== undefined) {
      if (nx !== ny) return Math.sign(nx - ny);
    } else if (nx !== undefined) return -1;
    else if (ny !== undefined) return 1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
