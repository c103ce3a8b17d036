/**
 * The first thing the Worker runs, before comlink and the router are loaded: it spawns the
 * app-server named by the main thread's first message, then loads the rest and serves it. The
 * app-server's start-up and the Worker's module loading overlap instead of adding up. Keep this
 * module's imports to the runtime adapter: every module here is on that path.
 *
 * @module
 */
import { runtime } from "../src/runtime/current.ts";
import type { ChildProcess, MessageEndpoint } from "../src/runtime/runtime.ts";
import type { TransportSpec } from "../src/transport/transport_spec.ts";

const BOOT = "codexWorkerBoot";

/**
 * The transport the boot message named, with its process when it was spawned at once.
 *
 * @example
 * ```ts
 * import type { EarlyStart } from "./worker_boot.ts";
 * const early: EarlyStart = { spec: { websocket: { url: "ws://127.0.0.1:4500" } } };
 * console.assert(early.spawned === undefined);
 * ```
 */
export interface EarlyStart {
  /** The transport. */
  readonly spec: TransportSpec;
  /** Its app-server, spawned already (stdio only). */
  readonly spawned?: Promise<ChildProcess>;
}

/**
 * The message that tells a starting Worker which transport to start at once.
 *
 * @example
 * ```ts
 * import { bootMessage } from "./worker_boot.ts";
 * const message = bootMessage({ websocket: { url: "ws://127.0.0.1:4500" } });
 * console.assert(structuredClone(message) !== undefined);
 * ```
 */
export function bootMessage(spec: TransportSpec): Record<string, TransportSpec> {
  return { [BOOT]: spec };
}

/**
 * Runs the Worker on `endpoint` (its global scope, or a port): spawns the boot message's
 * app-server as soon as it arrives, then loads the host, keeping every other message until it is
 * loaded, and serves it (the host takes the early start on `connect`, or reaps it on `close`).
 *
 * @example
 * ```ts
 * import { bootMessage, bootWorker } from "./worker_boot.ts";
 * const { port1, port2 } = new MessageChannel();
 * bootWorker(port1);
 * port1.start();
 * port2.postMessage(bootMessage({ websocket: { url: "ws://127.0.0.1:1" } }));
 * await new Promise((resolve) => setTimeout(resolve, 100));
 * port1.close();
 * port2.close();
 * ```
 */
export function bootWorker(endpoint: MessageEndpoint): void {
  const queued: MessageEvent[] = [];
  let deliver: ((event: MessageEvent) => void) | undefined;
  let early: EarlyStart | undefined;
  let loading = false;
  const relay: MessageEndpoint = {
    postMessage: (message, transfer) => endpoint.postMessage(message, transfer),
    addEventListener: (_type, listener) => {
      deliver = listener;
      for (const event of queued.splice(0)) listener(event);
    },
    removeEventListener: () => {
      deliver = undefined;
    },
  };
  const handOver = () => {
    const taken = early;
    early = undefined;
    return taken;
  };
  endpoint.addEventListener("message", (event: MessageEvent) => {
    const spec = loading ? undefined : (event.data as Record<string, TransportSpec>)?.[BOOT];
    if (spec !== undefined) early = { spec, spawned: spawnEarly(spec) };
    else if (deliver) deliver(event);
    else queued.push(event);
    if (loading) return;
    loading = true;
    // Loaded only now: a Worker runs no task (not even this message) while a dynamic import
    // started during its evaluation is loading. A failed load is the Worker's uncaught error,
    // which the main thread reports.
    import("./worker_host.ts").then(({ exposeHost }) => exposeHost(relay, handOver));
  });
}

function spawnEarly(spec: TransportSpec): Promise<ChildProcess> | undefined {
  if (!spec.stdio) return undefined; // a WebSocket is dialed by the transport itself
  const { command, args, env, cwd } = spec.stdio;
  const spawned = runtime.spawn({ command, args, env, cwd });
  spawned.catch(() => {}); // the transport's start() reports it
  return spawned;
}
