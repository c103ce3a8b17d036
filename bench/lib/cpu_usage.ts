/**
 * CPU time per process and per thread from `/proc` (Linux), to tell which part of a full stack
 * used the machine during a benchmark.
 *
 * @module
 */

/** One thread's counters: CPU ticks (user + system) and time spent runnable but not running. */
export interface ThreadCpu {
  /** User + system CPU time, in clock ticks. */
  ticks: number;
  /** Time the thread was ready to run but waited for a core (`schedstat`), in ns. */
  waitedNs: number;
}

/** {@link ThreadCpu} by `pid/tid process:type thread`, for the processes whose name matches. */
export type CpuSample = Map<string, ThreadCpu>;

/** Clock ticks per second (`getconf CLK_TCK`, 100 on Linux). */
const TICKS_PER_SECOND = 100;

function parseStat(stat: string): { name: string; ticks: number } {
  const close = stat.lastIndexOf(")");
  const name = stat.slice(stat.indexOf("(") + 1, close);
  const fields = stat.slice(close + 2).split(" ");
  return { name, ticks: Number(fields[11]) + Number(fields[12]) };
}

/**
 * Samples every thread of the processes whose command name matches `names`; a Chromium
 * process is labelled with its `--type` (renderer, gpu-process, utility).
 *
 * @example
 * ```ts ignore
 * const before = sampleCpu(/^(chromium|codex)$/);
 * // ... work ...
 * console.log(cpuShares(before, sampleCpu(/^(chromium|codex)$/), 10));
 * ```
 */
export function sampleCpu(names: RegExp): CpuSample {
  const out: CpuSample = new Map();
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const proc = parseStat(Deno.readTextFileSync(`/proc/${entry.name}/stat`));
      if (!names.test(proc.name)) continue;
      const cmdline = Deno.readTextFileSync(`/proc/${entry.name}/cmdline`).replaceAll("\0", " ");
      const type = /--type=(\S+)/.exec(cmdline)?.[1] ?? "main";
      for (const task of Deno.readDirSync(`/proc/${entry.name}/task`)) {
        const dir = `/proc/${entry.name}/task/${task.name}`;
        const thread = parseStat(Deno.readTextFileSync(`${dir}/stat`));
        const waitedNs = Number(Deno.readTextFileSync(`${dir}/schedstat`).split(" ")[1]) || 0;
        out.set(`${entry.name}/${task.name} ${proc.name}:${type} ${thread.name}`, {
          ticks: thread.ticks,
          waitedNs,
        });
      }
    } catch { /* the process ended meanwhile */ }
  }
  return out;
}

/** Percent of `seconds` that `amount` (seconds per thread) grew by, summed by `group(key)`. */
function percentBy(
  before: CpuSample,
  after: CpuSample,
  seconds: number,
  group: (key: string) => string,
  amount: (thread: ThreadCpu) => number,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const [key, thread] of after) {
    const earlier = before.get(key);
    const grew = amount(thread) - (earlier ? amount(earlier) : 0);
    if (grew <= 0) continue;
    const g = group(key);
    out.set(g, (out.get(g) ?? 0) + (grew / seconds) * 100);
  }
  return out;
}

/**
 * Percent of one core used between two samples, summed by `group(key)` (keys are
 * `pid/tid process:type thread`).
 *
 * @example
 * ```ts ignore
 * const shares = cpuShares(before, after, seconds, (key) => key.split(" ")[1]);
 * ```
 */
export function cpuShares(
  before: CpuSample,
  after: CpuSample,
  seconds: number,
  group: (key: string) => string = (key) => key,
): Map<string, number> {
  return percentBy(before, after, seconds, group, (t) => t.ticks / TICKS_PER_SECOND);
}

/**
 * Percent of the time between two samples that threads spent ready to run but waiting for a
 * core, summed by `group(key)`: how much a thread was held back by the machine, not by its work.
 *
 * @example
 * ```ts ignore
 * const waits = waitShares(before, after, seconds, (key) => key.split(" ")[1]);
 * ```
 */
export function waitShares(
  before: CpuSample,
  after: CpuSample,
  seconds: number,
  group: (key: string) => string = (key) => key,
): Map<string, number> {
  return percentBy(before, after, seconds, group, (t) => t.waitedNs / 1e9);
}

/** CPU time of one process, in seconds: its own threads, and its children it has waited for. */
export interface ProcessCpu {
  /** User + system time of the process's own threads. */
  self: number;
  /** User + system time of its children that exited and were reaped (e.g. shells it ran). */
  children: number;
}

/**
 * CPU time of process `pid` so far (`/proc/<pid>/stat`: utime, stime, cutime, cstime).
 *
 * @example
 * ```ts ignore
 * const { self } = processCpu(Deno.pid);
 * ```
 */
export function processCpu(pid: number): ProcessCpu {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const seconds = (i: number, j: number) =>
    (Number(fields[i]) + Number(fields[j])) / TICKS_PER_SECOND;
  return { self: seconds(11, 12), children: seconds(13, 14) };
}

/**
 * The pid of the live process named like `name` whose environment holds `entry` (`KEY=value`),
 * e.g. the app-server a connection spawned with a marker variable.
 *
 * @example
 * ```ts ignore
 * const pid = findProcessWithEnv(/^codex/, "MY_MARKER=1234");
 * ```
 */
export function findProcessWithEnv(name: RegExp, entry: string): number {
  for (const dir of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(dir.name)) continue;
    try {
      const { name: command } = parseStat(Deno.readTextFileSync(`/proc/${dir.name}/stat`));
      if (!name.test(command)) continue;
      const environ = Deno.readTextFileSync(`/proc/${dir.name}/environ`).split("\0");
      if (environ.includes(entry)) return Number(dir.name);
    } catch { /* the process ended meanwhile */ }
  }
  throw new Error(`no ${name} process with ${entry.split("=")[0]} in its environment`);
}
