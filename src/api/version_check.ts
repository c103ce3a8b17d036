import { serverVersionFromUserAgent } from "../client/initialize.ts";
import { PINNED_CODEX_VERSION } from "../protocol/mod.ts";

/**
 * What `Codex.connect()` does when the app-server's version differs from the pinned one:
 * `"warn"` (default) prints one warning, `"error"` refuses the connection with `ConnectError`,
 * `"off"` does nothing. The result is always on `codex.versionCheck`.
 *
 * @example
 * ```ts
 * import type { VersionCheckMode } from "./version_check.ts";
 * const strict: VersionCheckMode = "error";
 * console.assert(strict === "error");
 * ```
 */
export type VersionCheckMode = "warn" | "error" | "off";

/**
 * The connected app-server's version compared with the one this SDK's types were generated from.
 *
 * @example
 * ```ts
 * import { checkServerVersion, type VersionCheck } from "./version_check.ts";
 * const check: VersionCheck = checkServerVersion("codex_worker/0.169.0 (Debian)", "0.169.0");
 * if (!check.matches) throw new Error("expected a match");
 * ```
 */
export interface VersionCheck {
  /** The server's version, parsed from `userAgent`; `undefined` when it carries none. */
  serverVersion: string | undefined;
  /** The version the SDK is pinned to (its protocol types come from that binary). */
  pinnedVersion: string;
  /** True when both are known and equal. */
  matches: boolean;
  /** A readable explanation when they differ, else `undefined`. */
  warning: string | undefined;
}

/**
 * Compares the app-server version in `userAgent` with `pinned` (default: the SDK's pinned
 * version). A mismatch is not fatal — most methods keep working — but methods or fields the
 * server does not know are refused (`MethodNotFoundError`, `InvalidParamsError`).
 *
 * @param userAgent The `userAgent` of the `initialize` response.
 * @param pinned The expected version.
 * @returns The comparison, with a warning text when they differ.
 *
 * @example Detect a server older than the pinned version
 * ```ts
 * import { checkServerVersion } from "./version_check.ts";
 * const check = checkServerVersion("codex_worker/0.150.0 (Linux)", "0.169.0");
 * if (check.matches || check.serverVersion !== "0.150.0") throw new Error("expected a mismatch");
 * if (!check.warning?.includes("0.169.0")) throw new Error("the warning names both versions");
 * ```
 */
export function checkServerVersion(
  userAgent: string,
  pinned: string = PINNED_CODEX_VERSION,
): VersionCheck {
  const serverVersion = serverVersionFromUserAgent(userAgent);
  const matches = serverVersion === pinned;
  const warning = matches ? undefined : (
    `The app-server reports version ${serverVersion ?? "(unknown)"} but this SDK is pinned to ` +
    `${pinned}: methods or fields it does not know will be refused (MethodNotFoundError)`
  );
  return { serverVersion, pinnedVersion: pinned, matches, warning };
}
