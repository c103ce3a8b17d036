/**
 * {@link stopOnSignals}: runs a clean shutdown (for the bridge: stop the app-server it spawned)
 * on Ctrl-C and on the signals a supervisor or a closed terminal sends. Without it, a `SIGTERM`
 * (from `kill`, `timeout`, systemd, a container stop) ends Deno at once and leaves the spawned
 * `codex app-server` running with nobody to stop it.
 *
 * {@link startStoppable} is how an entry point starts: the handlers are installed before anything
 * starts, so no signal can arrive between a ready line and the handlers (a supervisor that acts on
 * the ready line would otherwise kill the process inside that window).
 *
 * @module
 */
import { runtime } from "../runtime/current.ts";
import type { ProcessSignal } from "../runtime/runtime.ts";

/**
 * The signals that stop a long-running entry point: SIGINT, SIGTERM and SIGHUP (on Windows,
 * where Deno can listen to no others, SIGINT and SIGBREAK).
 */
export const STOP_SIGNALS: readonly ProcessSignal[] = runtime.os === "windows"
  ? ["SIGINT", "SIGBREAK"]
  : ["SIGINT", "SIGTERM", "SIGHUP"];

/**
 * Calls `stop` once on the first of {@link STOP_SIGNALS}, then exits with `128 + signal number`
 * (`0` for Ctrl-C). A second signal while `stop` runs exits at once. The same happens, as for a
 * SIGHUP (exit code 129), when a process that launched this one exits (on Linux: an ancestor in
 * its process group, such as the `npm exec` of `npx deno task …`, which does not pass its SIGTERM
 * on to `deno task`). Returns a function that removes the listeners.
 *
 * @example
 * ```ts ignore
 * import { BridgeServer } from "./bridge_server.ts";
 * const bridge = await BridgeServer.start({ appServer: {} });
 * stopOnSignals(() => bridge.close());
 * ```
 */
export function stopOnSignals(stop: () => Promise<void> | void): () => void {
  let stopping = false;
  const stopOn = async (signal: ProcessSignal) => {
    if (stopping) runtime.exit(1);
    stopping = true;
    try {
      await stop();
    } finally {
      runtime.exit(signal === "SIGINT" ? 0 : 128 + (SIGNAL_NUMBERS[signal] ?? 0));
    }
  };
  const removers = STOP_SIGNALS.map((signal) => runtime.onSignal(signal, () => stopOn(signal)));
  // A launcher that is gone (a `kill` of the `npx … task …` above `deno task`) is a hang-up.
  removers.push(runtime.onLauncherExit(() => stopOn("SIGHUP")));
  return () => {
    for (const remove of removers) remove();
  };
}

/** What {@link startStoppable} starts: anything that can be closed. */
export interface Stoppable {
  /** Stops it and releases what it holds (processes, servers, temporary files). */
  close(): Promise<void> | void;
}

/**
 * Installs the {@link stopOnSignals} handlers, then runs `start`, and resolves with what it
 * started. A stop signal that arrives while `start` runs waits for it and closes what it started
 * (or nothing, when it failed); one that arrives later closes it. Print the ready line after this
 * resolves: the handlers are already in place.
 *
 * @example
 * ```ts ignore
 * import { BridgeServer } from "./bridge_server.ts";
 * const bridge = await startStoppable(() => BridgeServer.start({ appServer: {} }));
 * console.log(`bridge listening on ${bridge.wsUrl}`);
 * ```
 */
export function startStoppable<T extends Stoppable>(start: () => Promise<T>): Promise<T> {
  // A handler runs on a later turn, once `starting` is set.
  const remove = stopOnSignals(async () => {
    const started = await starting.catch(() => undefined);
    await started?.close();
  });
  const starting = start();
  starting.catch(remove);
  return starting;
}

const SIGNAL_NUMBERS: Partial<Record<ProcessSignal, number>> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGTERM: 15,
  SIGBREAK: 21,
};
