import type { WorkerHandle } from "./runtime.ts";

/**
 * Starts the SDK's router Worker as a module Web Worker (Deno and browsers). The
 * `new Worker(new URL(…, import.meta.url))` form is what bundlers (vite) recognise to emit the
 * Worker as its own chunk: keep it literal.
 *
 * @example
 * ```ts
 * import { startWebWorker } from "./web_worker.ts";
 * const worker = startWebWorker();
 * worker.terminate();
 * ```
 */
export function startWebWorker(): WorkerHandle {
  const worker = new Worker(new URL("../../worker/codex_worker.ts", import.meta.url), {
    type: "module",
  });
  return {
    endpoint: worker,
    onError(listener) {
      worker.addEventListener("error", (event: ErrorEvent) => {
        event.preventDefault?.();
        listener(event.message);
      });
    },
    terminate: () => worker.terminate(),
  };
}
