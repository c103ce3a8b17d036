/**
 * Main-thread stall monitor: a chain of `setTimeout(0)` ticks; the longest gap between two ticks
 * is the longest time the thread could not run a task (one long task or a flood of small ones).
 *
 * @module
 */

/** A running heartbeat; `stop()` returns the longest gap in ms. */
export interface Heartbeat {
  /** Stops ticking and returns the longest gap seen, in ms. */
  stop(): number;
}

/**
 * Starts a heartbeat on the current thread.
 *
 * @example
 * ```ts
 * import { startHeartbeat } from "./heartbeat.ts";
 * const hb = startHeartbeat();
 * await new Promise((r) => setTimeout(r, 5));
 * console.assert(hb.stop() >= 0);
 * ```
 */
export function startHeartbeat(): Heartbeat {
  let last = performance.now();
  let maxGap = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = true;
  const tick = () => {
    const t = performance.now();
    maxGap = Math.max(maxGap, t - last);
    last = t;
    if (running) timer = setTimeout(tick, 0);
  };
  timer = setTimeout(tick, 0);
  return {
    stop() {
      running = false;
      clearTimeout(timer);
      return Math.max(maxGap, performance.now() - last);
    },
  };
}
