/**
 * Playwright helpers for the e2e tests: Debian's Chromium (found on `PATH` or at `CHROMIUM_PATH`;
 * `deno task test` installs it when missing, see `scripts/setup.ts`) and a one-time vite build of
 * the demo.
 *
 * @module
 */
import { type Browser, chromium } from "playwright-core";
import { findChromium } from "../../../scripts/setup/chromium.ts";

/**
 * Launches headless Chromium with the flags this project's machines need.
 *
 * @example
 * ```ts ignore
 * const browser = await launchChromium();
 * try { (await browser.newPage()).goto("http://127.0.0.1:8787/"); } finally { await browser.close(); }
 * ```
 */
export async function launchChromium(): Promise<Browser> {
  return await chromium.launch({
    executablePath: findChromium(),
    headless: true,
    args: [...CHROMIUM_ARGS],
  });
}

/**
 * Chromium's flags here: headless, no sandbox (root in a container), no GPU, and none of the
 * background connections that a closed network refuses.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
];

const ROOT = new URL("../../../", import.meta.url).pathname;
let built: Promise<void> | undefined;

/**
 * Builds a vite project of this repository (`deno run -A npm:vite@8.3.8 build <dir> …`); throws
 * with vite's output when it fails.
 *
 * @example
 * ```ts ignore
 * await viteBuild("bench/browser", ["--outDir", "/tmp/page", "--emptyOutDir"]);
 * ```
 */
export async function viteBuild(dir: string, extraArgs: readonly string[] = []): Promise<void> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "npm:vite@8.3.8", "build", dir, ...extraArgs, "--logLevel", "error"],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) {
    const text = new TextDecoder().decode(output.stderr) + new TextDecoder().decode(output.stdout);
    throw new Error(`vite build of ${dir} failed:\n${text}`);
  }
}

/**
 * Builds `web-demo/` with vite once per process.
 *
 * @example
 * ```ts ignore
 * await buildWebDemo();
 * ```
 */
export function buildWebDemo(): Promise<void> {
  built ??= viteBuild("web-demo");
  return built;
}

/** Where the tests write screenshots (gitignored). */
export const SCREENSHOT_DIR = `${ROOT}tests/screenshots`;
