/**
 * Stops a spawned app-server: SIGTERM, then SIGKILL after `graceMs` (an app-server that served
 * threads may ignore SIGTERM), and waits for it to exit.
 *
 * @param child The process.
 * @param graceMs How long SIGTERM gets, in ms (default 3 000).
 *
 * @example
 * ```ts ignore
 * import { stopChild } from "./stop_child.ts";
 * await stopChild(new Deno.Command("sleep", { args: ["60"] }).spawn());
 * ```
 */
export async function stopChild(child: Deno.ChildProcess, graceMs = 3000): Promise<void> {
  signal(child, "SIGTERM");
  let killTimer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    child.status,
    new Promise<void>((r) => {
      killTimer = setTimeout(() => {
        signal(child, "SIGKILL");
        r();
      }, graceMs);
    }),
  ]);
  clearTimeout(killTimer);
  await child.status;
}

/**
 * Sends `sig` to `child`, ignoring a process that is already gone.
 *
 * @example
 * ```ts ignore
 * import { signal } from "./stop_child.ts";
 * signal(child, "SIGKILL");
 * ```
 */
export function signal(child: Deno.ChildProcess, sig: Deno.Signal): void {
  try {
    child.kill(sig);
  } catch { /* gone */ }
}
