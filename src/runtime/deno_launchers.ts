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

/** How often the launchers are checked, in ms (a cheap read of a few /proc files). */
const POLL_MS = 250;

interface ProcStat {
  readonly ppid: number;
  readonly pgid: number;
  /** When it started (clock ticks since boot): a reused pid has another. */
  readonly start: string;
}

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
  const launchers = findLaunchers();
  if (launchers.length === 0) return () => {};
  const timer = setInterval(() => {
    const gone = launchers.some(([pid, start]) => readStat(pid)?.start !== start);
    if (!gone) return;
    clearInterval(timer);
    listener();
  }, POLL_MS);
  Deno.unrefTimer(timer);
  return () => clearInterval(timer);
}

/** The ancestors in this process's process group, nearest first, as `[pid, start]`. */
function findLaunchers(): Array<[number, string]> {
  if (Deno.build.os !== "linux") return [];
  if (Deno.permissions.querySync({ name: "read", path: "/proc" }).state !== "granted") return [];
  const self = readStat(Deno.pid);
  if (!self) return [];
  const launchers: Array<[number, string]> = [];
  for (let pid = self.ppid; pid > 1 && launchers.length < 64;) {
    const stat = readStat(pid);
    if (!stat || stat.pgid !== self.pgid) break;
    launchers.push([pid, stat.start]);
    pid = stat.ppid;
  }
  return launchers;
}

/** Fields of /proc/PID/stat (`pid (comm) state ppid pgrp session … starttime …`). */
function readStat(pid: number): ProcStat | undefined {
  try {
    const text = Deno.readTextFileSync(`/proc/${pid}/stat`);
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    if (fields[0] === "Z" || fields[0] === "X") return undefined; // exited, not yet reaped
    return { ppid: Number(fields[1]), pgid: Number(fields[2]), start: fields[19] };
  } catch {
    return undefined;
  }
}
