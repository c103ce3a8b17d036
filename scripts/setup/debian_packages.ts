/**
 * Installs Debian packages when the user may: as root, or through `sudo` without a password.
 * Otherwise it changes nothing and returns the exact command for the user to run.
 *
 * @module
 */
import type { System } from "./system.ts";

/** The outcome of {@link installDebianPackages}. */
export type InstallOutcome =
  | { readonly installed: true }
  | { readonly installed: false; readonly reason: string };

/** The command a user runs to install `packages` by hand. */
export function manualInstallCommand(packages: readonly string[]): string {
  return `sudo apt-get update && sudo apt-get install -y ${packages.join(" ")}`;
}

/**
 * Installs `packages` with `apt-get` (non-interactive), as root or with `sudo -n`. Returns why
 * not, with the command to run, when there is no `apt-get`, no permission, or apt-get fails.
 */
export async function installDebianPackages(
  system: System,
  packages: readonly string[],
): Promise<InstallOutcome> {
  const manual = manualInstallCommand(packages);
  if (!system.which("apt-get")) {
    return { installed: false, reason: `apt-get is not available: install ${packages.join(" ")}` };
  }
  const root = (await system.read("id", ["-u"])).stdout === "0";
  const sudo = !root && system.which("sudo") !== undefined &&
    (await system.read("sudo", ["-n", "true"])).code === 0;
  if (!root && !sudo) {
    return {
      installed: false,
      reason: `installing needs root or password-less sudo; run:\n  ${manual}`,
    };
  }
  const apt = (args: string[]) =>
    root
      ? system.run("env", ["DEBIAN_FRONTEND=noninteractive", "apt-get", ...args])
      : system.run("sudo", ["-n", "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", ...args]);
  system.log(`installing ${packages.join(" ")} with apt-get${root ? "" : " (sudo)"}`);
  if (await apt(["update", "-qq"]) !== 0) {
    return { installed: false, reason: `apt-get update failed; run:\n  ${manual}` };
  }
  if (await apt(["install", "-y", "-qq", ...packages]) !== 0) {
    return { installed: false, reason: `apt-get install failed; run:\n  ${manual}` };
  }
  return { installed: true };
}
