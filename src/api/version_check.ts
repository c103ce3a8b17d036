import { serverVersionFromUserAgent } from "../client/initialize.ts";
import {
  CODEX_VERSION_WINDOW,
  type CodexVersionWindow,
  compareCodexVersions,
  isInCodexVersionWindow,
  PINNED_CODEX_VERSION,
} from "../protocol/mod.ts";

/**
 * What `Codex.connect()` does when the app-server's version is outside the supported window
 * (`CODEX_VERSION_WINDOW`, 0.169.0 – 0.171.0): `"warn"` (default) prints one warning, `"error"`
 * refuses the connection with `ConnectError`, `"off"` does nothing. A server inside the window
 * is accepted silently. The result is always on `codex.versionCheck`.
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
 * The connected app-server's version judged against the SDK's supported window.
 *
 * @example
 * ```ts
 * import { checkServerVersion, type VersionCheck } from "./version_check.ts";
 * const check: VersionCheck = checkServerVersion("codex_worker/0.169.0 (Debian)");
 * if (!check.supported || check.warning !== undefined) throw new Error("0.169.0 is supported");
 * ```
 */
export interface VersionCheck {
  /** The server's version, parsed from `userAgent`; `undefined` when it carries none. */
  serverVersion: string | undefined;
  /** The version the SDK is pinned to (its protocol types come from that binary). */
  pinnedVersion: string;
  /** The supported releases (inclusive); the pin is the newest. */
  window: CodexVersionWindow;
  /** True when the server's version is inside {@link VersionCheck.window}. */
  supported: boolean;
  /** True when the server runs exactly the pinned version. */
  matches: boolean;
  /** Why the server is not supported (outside the window or no version), else `undefined`. */
  warning: string | undefined;
}

/**
 * Judges the app-server version in `userAgent` against `window` (default: the SDK's
 * `CODEX_VERSION_WINDOW`). Inside it, there is no warning. An older server refuses the methods
 * and fields it lacks (`MethodNotFoundError`, `InvalidParamsError`); a newer one may send
 * notifications of shapes the SDK does not know (delivered as `UnknownNotification`).
 *
 * @param userAgent The `userAgent` of the `initialize` response.
 * @param window The supported releases.
 * @returns The verdict, with a warning text when the server is outside the window.
 *
 * @example Judge servers inside and outside the window
 * ```ts
 * import { checkServerVersion } from "./version_check.ts";
 * const old = checkServerVersion("codex_worker/0.150.0 (Linux)");
 * if (old.supported || old.serverVersion !== "0.150.0") throw new Error("0.150.0 is outside");
 * if (!old.warning?.includes("0.169.0")) throw new Error("the warning names the window");
 * if (!checkServerVersion("codex_worker/0.171.0 (Linux)").supported) throw new Error("inside");
 * ```
 */
export function checkServerVersion(
  userAgent: string,
  window: CodexVersionWindow = CODEX_VERSION_WINDOW,
): VersionCheck {
  const serverVersion = serverVersionFromUserAgent(userAgent);
  const supported = serverVersion !== undefined && isInCodexVersionWindow(serverVersion, window);
  const range = `${window.oldest} – ${window.newest}`;
  let warning: string | undefined;
  if (serverVersion === undefined) {
    warning = `The app-server reports no version (userAgent ${JSON.stringify(userAgent)}); ` +
      `this SDK supports codex ${range}`;
  } else if (!supported && compareCodexVersions(serverVersion, window.oldest) < 0) {
    warning = `The app-server reports version ${serverVersion}, older than this SDK supports ` +
      `(${range}): methods or fields it does not know will be refused (MethodNotFoundError)`;
  } else if (!supported) {
    warning = `The app-server reports version ${serverVersion}, newer than this SDK supports ` +
      `(${range}): notifications it does not type arrive as UnknownNotification`;
  }
  return {
    serverVersion,
    pinnedVersion: PINNED_CODEX_VERSION,
    window: { oldest: window.oldest, newest: window.newest },
    supported,
    matches: serverVersion === PINNED_CODEX_VERSION,
    warning,
  };
}
