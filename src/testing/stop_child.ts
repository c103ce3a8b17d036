import type { ChildProcess, ProcessSignal } from "../runtime/runtime.ts";

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
 * import { runtime } from "../runtime/current.ts";
 * await stopChild(await runtime.spawn({ command: "sleep", args: ["60"] }));
 * ```
 */
export async function stopChild(child: ChildProcess, graceMs = 3000): Promise<void> {
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
export function signal(child: ChildProcess, sig: ProcessSignal): void {
  child.kill(sig); // does nothing once the process is gone
}
