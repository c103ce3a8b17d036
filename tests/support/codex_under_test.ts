/**
 * The codex release the real-app-server tests run against: the pinned one, or the one
 * `CODEX_WORKER_CODEX_VERSION` names (the window's oldest, in `deno task test:oldest`). The SDK
 * itself spawns that release by default, so tests only need this to know what to expect.
 */
import { codexVersionFromEnv } from "../../src/transport/codex_binary.ts";
import { compareCodexVersions, PINNED_CODEX_VERSION } from "../../src/protocol/mod.ts";

/** The release under test. */
export const CODEX_UNDER_TEST: string = codexVersionFromEnv() ?? PINNED_CODEX_VERSION;

/** Whether the release under test is `version` or newer. */
export function codexAtLeast(version: string): boolean {
  return compareCodexVersions(CODEX_UNDER_TEST, version) >= 0;
}
