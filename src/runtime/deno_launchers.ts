/**
 * Noticing that the process which launched this one is gone (Linux). `npx deno task demo` runs
 * `npm exec` → `sh` → `deno task` → `deno run …`; a `kill -TERM` of the top process ends `npm` and
 * `sh`, but `deno task` and the program below it keep running with nobody to stop them. So a
 * long-running entry point watches its launchers: its ancestors that share its process group
 * (the job a shell or a supervisor started), and stops when one of them exits. A program started
 * in a process group of its own (`setsid`, a systemd service, a shell job of its own) has no
 * such launcher and is unaffected.
 *
 * @module
 */

import { findLaunchers, launcherGone, parseProcStat, type ProcStat } from "./launcher_watch.ts";

/** How often the launchers are checked, in ms (a cheap read of a few /proc files). */
const POLL_MS = 250;

/**
 * Calls `listener` once, soon after one of this process's launchers exits; returns a function
 * that stops watching. Never calls it where /proc cannot be read (not Linux, no permission).
 * The watch does not keep the process alive.
 *
 * @example
 * ```ts
 * import { onLauncherExit } from "./deno_launchers.ts";
 * const stop = onLauncherExit(() => console.log("launcher gone"));
 * stop();
 * ```
 */
export function onLauncherExit(listener: () => void): () => void {
  const launchers = ownLaunchers();
  if (launchers.length === 0) return () => {};
  const timer = setInterval(() => {
    if (!launcherGone(launchers, readStat)) return;
    clearInterval(timer);
    listener();
  }, POLL_MS);
  Deno.unrefTimer(timer);
  return () => clearInterval(timer);
}

/** The ancestors in this process's process group, nearest first, as `[pid, start]`. */
function ownLaunchers(): Array<[number, string]> {
  if (Deno.build.os !== "linux") return [];
  if (Deno.permissions.querySync({ name: "read", path: "/proc" }).state !== "granted") return [];
  return findLaunchers(Deno.pid, readStat);
}

function readStat(pid: number): ProcStat | undefined {
  try {
    return parseProcStat(Deno.readTextFileSync(`/proc/${pid}/stat`));
  } catch {
    return undefined;
  }
}
