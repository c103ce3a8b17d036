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
export async function codexProcesses(marker: string): Promise<number[]> {
  const needle = `${MARKER_VAR}=${marker}`;
  const pids: number[] = [];
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const stat = await Deno.readTextFile(`/proc/${entry.name}/stat`);
      const close = stat.lastIndexOf(")");
      const comm = stat.slice(stat.indexOf("(") + 1, close);
      const state = stat.slice(close + 2).split(" ")[0];
      if (!comm.startsWith("codex") || state === "Z" || state === "X") continue;
      const environ = await Deno.readTextFile(`/proc/${entry.name}/environ`);
      if (environ.split("\0").includes(needle)) pids.push(Number(entry.name));
    } catch { /* the process ended while we looked */ }
  }
  return pids.sort((a, b) => a - b);
}

/**
 * Direct `codex` children of this process (all test files' app-servers while tests run in
 * parallel: use {@link codexProcesses} with a marker for leak checks).
 */
export async function codexChildren(): Promise<number[]> {
  const self = String(Deno.pid);
  const pids: number[] = [];
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const stat = await Deno.readTextFile(`/proc/${entry.name}/stat`);
      const close = stat.lastIndexOf(")");
      const comm = stat.slice(stat.indexOf("(") + 1, close);
      const fields = stat.slice(close + 2).split(" ");
      if (fields[0] === "Z") continue;
      if (fields[1] === self && comm.startsWith("codex")) pids.push(Number(entry.name));
    } catch { /* the process ended while we looked */ }
  }
  return pids.sort((a, b) => a - b);
}
