/**
 * Finds app-server processes this test started. Test files run in parallel inside ONE process,
 * so "children of this process" would also see other files' app-servers: tests tag their
 * app-servers with a marker environment variable and look for that marker instead.
 */

/** The environment variable that tags an app-server for leak checks. */
export const MARKER_VAR = "CODEX_WORKER_TEST_MARKER";

/** A fresh marker, plus the `env` to pass to `Codex.connect` to tag its app-server. */
export function processMarker(): { marker: string; env: Record<string, string> } {
  const marker = crypto.randomUUID();
  return { marker, env: { [MARKER_VAR]: marker } };
}

/** Live (non-zombie) `codex` processes whose environment carries `marker`, sorted by pid. */
export function codexProcesses(marker: string): Promise<number[]> {
  return markedProcesses(marker, "codex");
}

/**
 * Live (non-zombie) processes whose name starts with `name` (any name when empty) and whose
 * environment carries `marker`, sorted by pid.
 */
export async function markedProcesses(marker: string, name = ""): Promise<number[]> {
  const needle = `${MARKER_VAR}=${marker}`;
  const pids: number[] = [];
  for (const proc of await liveProcesses(name)) {
    try {
      const environ = await Deno.readTextFile(`/proc/${proc.pid}/environ`);
      if (environ.split("\0").includes(needle)) pids.push(proc.pid);
    } catch { /* the process ended while we looked */ }
  }
  return pids;
}

/**
 * Direct `codex` children of this process (all test files' app-servers while tests run in
 * parallel: use {@link codexProcesses} with a marker for leak checks).
 */
export async function codexChildren(): Promise<number[]> {
  return (await liveProcesses("codex")).filter((p) => p.ppid === Deno.pid).map((p) => p.pid);
}

/** Live (not zombie) processes named `name*`, sorted by pid, from /proc. */
async function liveProcesses(name: string): Promise<Array<{ pid: number; ppid: number }>> {
  const found: Array<{ pid: number; ppid: number }> = [];
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const stat = await Deno.readTextFile(`/proc/${entry.name}/stat`);
      // pid (comm) state ppid ...
      const close = stat.lastIndexOf(")");
      const comm = stat.slice(stat.indexOf("(") + 1, close);
      const [state, ppid] = stat.slice(close + 2).split(" ");
      if (!comm.startsWith(name) || state === "Z" || state === "X") continue;
      found.push({ pid: Number(entry.name), ppid: Number(ppid) });
    } catch { /* the process ended while we looked */ }
  }
  return found.sort((a, b) => a.pid - b.pid);
}
