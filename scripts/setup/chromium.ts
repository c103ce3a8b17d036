/**
 * Chromium for the browser end-to-end tests: Debian's `chromium` package (Playwright's own
 * browser download is not used).
 *
 * @module
 */
import { installDebianPackages } from "./debian_packages.ts";
import type { SetupStep } from "./step.ts";
import { hostSystem, type System } from "./system.ts";

/** The command names Chromium goes by on `PATH`. */
export const CHROMIUM_NAMES: readonly string[] = ["chromium", "chromium-browser"];

/**
 * The Chromium executable: `CHROMIUM_PATH` when set (it must exist), else the first of
 * {@link CHROMIUM_NAMES} on `PATH`; `undefined` when there is none.
 */
export function locateChromium(system: System = hostSystem()): string | undefined {
  const override = system.env("CHROMIUM_PATH");
  if (override) return system.isFile(override) ? override : undefined;
  for (const name of CHROMIUM_NAMES) {
    const path = system.which(name);
    if (path) return path;
  }
  return undefined;
}

/** Finds Chromium; throws with the set-up command to run when there is none. */
export function findChromium(system: System = hostSystem()): string {
  const path = locateChromium(system);
  if (path) return path;
  const override = system.env("CHROMIUM_PATH");
  throw new Error(
    override
      ? `CHROMIUM_PATH=${override} is not a file`
      : `Chromium not found (${CHROMIUM_NAMES.join(", ")} on PATH, or CHROMIUM_PATH): ` +
        "run `deno run -A scripts/setup.ts chromium`",
  );
}

/** Installs Debian's `chromium` when no Chromium is found. */
export const chromiumStep: SetupStep = {
  name: "chromium",
  async run(system) {
    const found = locateChromium(system);
    if (found) return { ok: true, detail: found };
    const override = system.env("CHROMIUM_PATH");
    if (override) return { ok: false, detail: `CHROMIUM_PATH=${override} is not a file` };
    const outcome = await installDebianPackages(system, ["chromium"]);
    if (!outcome.installed) {
      return {
        ok: false,
        detail: `Chromium not found; ${outcome.reason}\n(or set CHROMIUM_PATH to a Chromium)`,
      };
    }
    const installed = locateChromium(system);
    return installed
      ? { ok: true, detail: `installed ${installed}` }
      : { ok: false, detail: "apt-get installed chromium, but no chromium is on PATH" };
  },
};
