/**
 * {@link stopOnSignals}: runs a clean shutdown (for the bridge: stop the app-server it spawned)
 * on Ctrl-C and on the signals a supervisor or a closed terminal sends. Without it, a `SIGTERM`
 * (from `kill`, `timeout`, systemd, a container stop) ends Deno at once and leaves the spawned
 * `codex app-server` running with nobody to stop it.
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
 * (`0` for Ctrl-C). A second signal while `stop` runs exits at once. Returns a function that
 * removes the listeners.
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
  const handlers = STOP_SIGNALS.map((signal) => {
    const handler = async () => {
      if (stopping) runtime.exit(1);
      stopping = true;
      try {
        await stop();
      } finally {
        runtime.exit(signal === "SIGINT" ? 0 : 128 + (SIGNAL_NUMBERS[signal] ?? 0));
      }
    };
    return runtime.onSignal(signal, handler);
  });
  return () => {
    for (const remove of handlers) remove();
  };
}

const SIGNAL_NUMBERS: Partial<Record<ProcessSignal, number>> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGTERM: 15,
  SIGBREAK: 21,
};
