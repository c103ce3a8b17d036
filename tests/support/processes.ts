/**
 * The `codex` processes that are direct children of this test process (Linux /proc), sorted.
 * A spawned app-server is a child of the main process even when the Worker spawned it.
 */
export async function codexChildren(): Promise<number[]> {
  const self = String(Deno.pid);
  const pids: number[] = [];
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const stat = await Deno.readTextFile(`/proc/${entry.name}/stat`);
      // pid (comm) state ppid ...
      const close = stat.lastIndexOf(")");
      const comm = stat.slice(stat.indexOf("(") + 1, close);
      const fields = stat.slice(close + 2).split(" ");
      if (fields[0] === "Z") continue; // a zombie is already gone
      if (fields[1] === self && comm.startsWith("codex")) pids.push(Number(entry.name));
    } catch { /* the process ended while we looked */ }
  }
  return pids.sort((a, b) => a - b);
}
