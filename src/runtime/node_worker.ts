/**
 * The router's Worker on Node: a `node:worker_threads` Worker. Node's Worker and `parentPort`
 * are event emitters that hand a listener the message itself; comlink and the SDK's streams
 * expect `addEventListener("message")` with a `MessageEvent`, so both are wrapped (what
 * comlink's own Node adapter does). Ports travel as they are: Node's global `MessageChannel` is
 * the worker_threads one.
 *
 * @module
 */
import { parentPort, Worker } from "node:worker_threads";
import type { MessageEndpoint, WorkerHandle } from "./runtime.ts";

/** What Node's Worker and MessagePort share: `on`/`off` for messages, and `postMessage`. */
interface NodeEmitterPort {
  on(type: "message", listener: (data: unknown) => void): unknown;
  off(type: "message", listener: (data: unknown) => void): unknown;
  postMessage(message: unknown, transfer?: readonly unknown[]): void;
}

/**
 * Wraps a Node `Worker` or `MessagePort` as a {@link MessageEndpoint}.
 *
 * @example
 * ```ts
 * import { MessageChannel } from "node:worker_threads";
 * import { emitterEndpoint } from "./node_worker.ts";
 * const { port1, port2 } = new MessageChannel();
 * const got = new Promise((resolve) => emitterEndpoint(port2).addEventListener("message", resolve));
 * port1.postMessage("hi");
 * const event = await got as MessageEvent;
 * port1.close();
 * if (event.data !== "hi") throw new Error("unexpected");
 * ```
 */
export function emitterEndpoint(port: NodeEmitterPort): MessageEndpoint {
  const wrapped = new Map<(event: MessageEvent) => void, (data: unknown) => void>();
  return {
    postMessage: (message, transfer) => port.postMessage(message, transfer),
    addEventListener(_type, listener) {
      if (wrapped.has(listener)) return;
      const onData = (data: unknown) => listener({ data } as MessageEvent);
      wrapped.set(listener, onData);
      port.on("message", onData);
    },
    removeEventListener(_type, listener) {
      const onData = wrapped.get(listener);
      if (onData) port.off("message", onData);
      wrapped.delete(listener);
    },
  };
}

/**
 * Starts the SDK's router Worker as a worker thread. An uncaught error, or an exit that
 * {@link WorkerHandle.terminate} did not ask for, is reported to `onError`'s listener. The npm
 * build points the URL at its bundled Worker entry.
 *
 * @example
 * ```ts ignore
 * import { startNodeWorker } from "./node_worker.ts";
 * const worker = startNodeWorker();
 * worker.terminate();
 * ```
 */
export function startNodeWorker(): WorkerHandle {
  const worker = new Worker(new URL("../../worker/codex_worker.ts", import.meta.url));
  let terminated = false;
  return {
    endpoint: emitterEndpoint(worker as unknown as NodeEmitterPort),
    onError(listener) {
      worker.on("error", (error: Error) => listener(error?.message ?? String(error)));
      worker.on("exit", (code: number) => {
        if (!terminated) listener(`the worker thread exited (code ${code})`);
      });
    },
    terminate() {
      terminated = true;
      worker.terminate().catch(() => {});
    },
  };
}

/**
 * Inside the worker thread: its channel to the thread that started it.
 *
 * @example
 * ```ts
 * import { nodeWorkerScope } from "./node_worker.ts";
 * const outside = (() => {
 *   try {
 *     nodeWorkerScope();
 *   } catch (err) {
 *     return err;
 *   }
 * })();
 * if (!(outside instanceof TypeError)) throw new Error("the main thread has no parentPort");
 * ```
 */
export function nodeWorkerScope(): MessageEndpoint {
  if (!parentPort) throw new TypeError("nodeWorkerScope() runs only inside a worker thread");
  return emitterEndpoint(parentPort as unknown as NodeEmitterPort);
}
