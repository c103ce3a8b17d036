/**
 * The runtime-neutral part of watching a process's launchers (Linux /proc): which ancestors
 * share its process group, and whether one of them is gone. The adapters (`deno_launchers.ts`,
 * `node.ts`) bring the file reads and the timer.
 *
 * @module
 */

/** The fields of `/proc/PID/stat` that the watch uses. */
export interface ProcStat {
  /** The parent's pid. */
  readonly ppid: number;
  /** The process group. */
  readonly pgid: number;
  /** When it started (clock ticks since boot): a reused pid has another. */
  readonly start: string;
}

/**
 * Parses `/proc/PID/stat` (`pid (comm) state ppid pgrp session … starttime …`); `undefined` for
 * a process that exited but is not reaped yet.
 *
 * @example
 * ```ts
 * import { parseProcStat } from "./launcher_watch.ts";
 * const fields = Array.from({ length: 20 }, (_, i) => String(i));
 * const stat = parseProcStat(`42 (a b) S 7 9 ${fields.slice(3).join(" ")} 1234`);
 * if (stat?.ppid !== 7 || stat.pgid !== 9) throw new Error(JSON.stringify(stat));
 * ```
 */
export function parseProcStat(text: string): ProcStat | undefined {
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  if (fields[0] === "Z" || fields[0] === "X") return undefined; // exited, not yet reaped
  return { ppid: Number(fields[1]), pgid: Number(fields[2]), start: fields[19] };
}

/**
 * The ancestors of `self` in its process group, nearest first, as `[pid, start]`.
 *
 * @param self This process's pid.
 * @param readStat Reads a process's stat (`undefined` when it cannot be read).
 *
 * @example
 * ```ts
 * import { findLaunchers } from "./launcher_watch.ts";
 * const table: Record<number, { ppid: number; pgid: number; start: string }> = {
 *   10: { ppid: 9, pgid: 5, start: "a" },
 *   9: { ppid: 5, pgid: 5, start: "b" },
 *   5: { ppid: 1, pgid: 4, start: "c" },
 * };
 * const found = findLaunchers(10, (pid) => table[pid]);
 * if (JSON.stringify(found) !== '[[9,"b"]]') throw new Error(JSON.stringify(found));
 * ```
 */
export function findLaunchers(
  self: number,
  readStat: (pid: number) => ProcStat | undefined,
): Array<[number, string]> {
  const own = readStat(self);
  if (!own) return [];
  const launchers: Array<[number, string]> = [];
  for (let pid = own.ppid; pid > 1 && launchers.length < 64;) {
    const stat = readStat(pid);
    if (!stat || stat.pgid !== own.pgid) break;
    launchers.push([pid, stat.start]);
    pid = stat.ppid;
  }
  return launchers;
}

/**
 * Whether one of `launchers` is gone (exited, or its pid now names another process).
 *
 * @example
 * ```ts
 * import { launcherGone } from "./launcher_watch.ts";
 * if (!launcherGone([[9, "b"]], () => undefined)) throw new Error("pid 9 is gone");
 * ```
 */
export function launcherGone(
  launchers: ReadonlyArray<[number, string]>,
  readStat: (pid: number) => ProcStat | undefined,
): boolean {
  return launchers.some(([pid, start]) => readStat(pid)?.start !== start);
}
