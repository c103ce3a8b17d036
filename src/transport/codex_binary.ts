/**
 * Finds the native `codex` executable shipped by the pinned npm package `@openai/codex`.
 *
 * The npm package is a thin Node launcher (`bin/codex.js`); the real binary lives in a
 * per-platform package (`@openai/codex-linux-x64`, ...) that is only resolvable from inside the
 * launcher's package. Spawning the native binary directly avoids an extra Node/Deno process
 * between the SDK and the app-server's stdio.
 *
 * @module
 */

import { CodexError } from "../errors/errors.ts";
import { runtime } from "../runtime/current.ts";

/** One supported platform: the npm package that carries the binary and its vendor triple. */
interface PlatformTarget {
  readonly packageName: string;
  readonly triple: string;
  readonly executable: string;
}

const TARGETS: Readonly<Record<string, PlatformTarget>> = {
  "linux/x86_64": {
    packageName: "@openai/codex-linux-x64",
    triple: "x86_64-unknown-linux-musl",
    executable: "codex",
  },
  "linux/aarch64": {
    packageName: "@openai/codex-linux-arm64",
    triple: "aarch64-unknown-linux-musl",
    executable: "codex",
  },
  "darwin/x86_64": {
    packageName: "@openai/codex-darwin-x64",
    triple: "x86_64-apple-darwin",
    executable: "codex",
  },
  "darwin/aarch64": {
    packageName: "@openai/codex-darwin-arm64",
    triple: "aarch64-apple-darwin",
    executable: "codex",
  },
  "windows/x86_64": {
    packageName: "@openai/codex-win32-x64",
    triple: "x86_64-pc-windows-msvc",
    executable: "codex.exe",
  },
  "windows/aarch64": {
    packageName: "@openai/codex-win32-arm64",
    triple: "aarch64-pc-windows-msvc",
    executable: "codex.exe",
  },
};

/**
 * The native codex binary could not be found. `triedPaths` lists every location that was
 * checked, in order, so the message says what to install or which override to pass.
 *
 * @example Catch a missing binary
 * ```ts
 * import { CodexBinaryNotFoundError, resolveCodexBinary } from "./codex_binary.ts";
 * try {
 *   resolveCodexBinary("/definitely/not/here/codex");
 * } catch (err) {
 *   if (!(err instanceof CodexBinaryNotFoundError)) throw err;
 *   if (err.code !== "CODEX_BINARY_NOT_FOUND") throw new Error("unexpected code");
 *   if (err.triedPaths[0] !== "/definitely/not/here/codex") throw new Error("unexpected path");
 * }
 * ```
 */
export class CodexBinaryNotFoundError extends CodexError {
  /** Every path that was checked, in order. */
  readonly triedPaths: readonly string[];

  /**
   * Creates the error.
   *
   * @param triedPaths Every path that was checked, in order.
   * @param reason A short explanation put before the list of paths.
   */
  constructor(triedPaths: readonly string[], reason = "codex binary not found") {
    const list = triedPaths.length > 0
      ? triedPaths.map((p) => `  - ${p}`).join("\n")
      : "  (no candidate path)";
    super("CODEX_BINARY_NOT_FOUND", `${reason}; tried:\n${list}`, {
      data: { triedPaths: [...triedPaths] },
    });
    this.name = "CodexBinaryNotFoundError";
    this.triedPaths = [...triedPaths];
  }
}

function platformTarget(): PlatformTarget | undefined {
  return TARGETS[`${runtime.os}/${runtime.arch}`];
}

/** The native path of a `file:` URL (`/C:/x` becomes `C:/x`). */
function pathOfFileUrl(url: URL): string {
  const path = decodeURIComponent(url.pathname);
  return /^\/[A-Za-z]:/.test(path) ? path.slice(1) : path;
}

function dirnameOf(path: string): string {
  return path.slice(0, Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")));
}

/** Directories to search upwards from: this module's folder, then the working directory. */
function searchStarts(): string[] {
  const starts: string[] = [];
  const here = new URL(".", import.meta.url);
  if (here.protocol === "file:") starts.push(pathOfFileUrl(here));
  const cwd = runtime.fs.cwd();
  if (cwd !== undefined) starts.push(cwd);
  return [...new Set(starts.map((dir) => dir.replace(/[/\\]+$/, "")))];
}

/**
 * Node's lookup of an installed package: `<dir>/node_modules/<name>/<file>` in `dir` and each
 * parent, nearest first. Works for npm's layouts and Deno's `node_modules/.deno/` alike.
 */
function findInstalled(
  dir: string,
  name: string,
  file: string,
  tried: string[],
): string | undefined {
  for (let at = dir; at !== ""; at = dirnameOf(at)) {
    if (at.endsWith("/node_modules") || at.endsWith("\\node_modules")) continue;
    const candidate = `${at}/node_modules/${name}/${file}`;
    if (runtime.fs.isFile(candidate)) return candidate;
    tried.push(candidate);
  }
  return undefined;
}

/**
 * The package folder of `@openai/codex` under a `node_modules/`: the pin's, or, for another
 * `version` (installed through an alias import such as `deno.json`'s `@openai/codex-oldest`),
 * Deno's per-version folder `node_modules/.deno/`.
 */
function codexPackage(version: string | undefined): string {
  return version === undefined
    ? "@openai/codex"
    : `.deno/@openai+codex@${version}/node_modules/@openai/codex`;
}

function candidatesFrom(
  start: string,
  target: PlatformTarget,
  tried: string[],
  version: string | undefined,
): string[] {
  const launcher = findInstalled(start, codexPackage(version), "bin/codex.js", []);
  if (launcher === undefined) {
    tried.push(`${start}/node_modules/${codexPackage(version)}/bin/codex.js (and in parents)`);
    return [];
  }
  // The platform package is a dependency of the launcher's package: look it up from the real
  // location (under Deno, node_modules/@openai/codex links into node_modules/.deno/).
  const codexDir = dirnameOf(dirnameOf(runtime.fs.realPath(launcher)));
  const tail = `vendor/${target.triple}/bin/${target.executable}`;
  const found: string[] = [];
  const platformJson = findInstalled(codexDir, target.packageName, "package.json", []);
  if (platformJson !== undefined) found.push(`${dirnameOf(platformJson)}/${tail}`);
  else tried.push(`${target.packageName}/package.json (from ${codexDir})`);
  // Older single-package releases shipped vendor/ inside @openai/codex itself.
  found.push(`${codexDir}/${tail}`);
  return found;
}

/**
 * Returns the absolute path of the native codex binary.
 *
 * With `override`, that path is checked and returned; a missing override throws rather than
 * silently falling back. Without it, the binary is resolved from the installed npm package
 * `@openai/codex` (found the way Node finds packages: in `node_modules/` of this module's folder
 * or a parent, then of the working directory or a parent), through the platform package that
 * matches the runtime's OS and architecture. That is the pinned release, unless `version` (or
 * the environment variable {@link CODEX_VERSION_ENV}, `CODEX_WORKER_CODEX_VERSION`) names another
 * installed one.
 *
 * @param override An explicit path to a codex executable.
 * @param version An installed `@openai/codex` release to use instead of the pinned one.
 * @returns The absolute path of an existing codex executable.
 * @throws {CodexBinaryNotFoundError} When no executable exists at any candidate path, or the
 * platform is not one codex ships for.
 *
 * @example Resolve the pinned binary (after `deno install`)
 * ```ts
 * import { CodexBinaryNotFoundError, resolveCodexBinary } from "./codex_binary.ts";
 * try {
 *   const bin = resolveCodexBinary();
 *   if (!bin.includes("codex")) throw new Error(`unexpected path ${bin}`);
 * } catch (err) {
 *   // Not installed in this checkout: the error lists every path it tried.
 *   if (!(err instanceof CodexBinaryNotFoundError)) throw err;
 * }
 * ```
 */
export function resolveCodexBinary(override?: string, version?: string): string {
  if (override !== undefined) {
    if (runtime.fs.isFile(override)) return override;
    throw new CodexBinaryNotFoundError([override], "codex binary override does not exist");
  }
  version ??= codexVersionFromEnv();
  const target = platformTarget();
  if (target === undefined) {
    throw new CodexBinaryNotFoundError(
      [],
      `codex ships no binary for ${runtime.os}/${runtime.arch}; pass an explicit path`,
    );
  }
  const tried: string[] = [];
  for (const start of searchStarts()) {
    for (const candidate of candidatesFrom(start, target, tried, version)) {
      if (runtime.fs.isFile(candidate)) return candidate;
      tried.push(candidate);
    }
  }
  const pkg = version === undefined ? "npm:@openai/codex" : `npm:@openai/codex@${version}`;
  throw new CodexBinaryNotFoundError(
    tried,
    `codex binary not found (is ${pkg} installed? run \`deno install\`)`,
  );
}

/**
 * The environment variable that picks which installed `@openai/codex` release
 * {@link resolveCodexBinary} finds by default (e.g. `0.169.0`, the oldest of the supported
 * window, which `deno install` brings through `deno.json`'s `@openai/codex-oldest` alias).
 * Unset: the pinned release. The test suite runs its real-app-server tests once per release.
 *
 * @example
 * ```ts
 * import { CODEX_VERSION_ENV } from "./codex_binary.ts";
 * console.assert(CODEX_VERSION_ENV === "CODEX_WORKER_CODEX_VERSION");
 * ```
 */
export const CODEX_VERSION_ENV = "CODEX_WORKER_CODEX_VERSION";

/**
 * The release {@link CODEX_VERSION_ENV} names, when it is set and readable (else `undefined`:
 * the pinned release).
 *
 * @throws {CodexBinaryNotFoundError} When it is set to something that is not a version.
 *
 * @example
 * ```ts
 * import { codexVersionFromEnv } from "./codex_binary.ts";
 * const version = codexVersionFromEnv(); // e.g. "0.169.0" under CODEX_WORKER_CODEX_VERSION
 * console.assert(version === undefined || /^\d+\.\d+\.\d+/.test(version));
 * ```
 */
export function codexVersionFromEnv(): string | undefined {
  try {
    const value = runtime.env(CODEX_VERSION_ENV)?.trim();
    if (!value) return undefined;
    if (!/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/.test(value)) {
      throw new CodexBinaryNotFoundError([], `${CODEX_VERSION_ENV}=${value} is not a version`);
    }
    return value;
  } catch (err) {
    if (err instanceof CodexBinaryNotFoundError) throw err;
    return undefined; // no env access: the pinned release
  }
}
