/// <reference lib="dom" />
/**
 * The page's responsiveness probe for the delivery benchmark: longest Long Animation Frame
 * (`long-animation-frame`, ≥50 ms frames) and their count, the largest gap between
 * `requestAnimationFrame` callbacks, and the largest gap of a `setTimeout(0)` heartbeat.
 *
 * @module
 */

import { heartbeatProbe, type Probe } from "../delivery/synthetic_driver.ts";

let loafs: number[] = [];
let observing = false;
new PerformanceObserver((list) => {
  if (observing) { for (const entry of list.getEntries()) loafs.push(entry.duration); }
}).observe({ type: "long-animation-frame", buffered: false });

let lastFrame = 0;
let maxRafGap = 0;
let frames = 0;
const frame = (now: number) => {
  if (observing) {
    if (lastFrame) maxRafGap = Math.max(maxRafGap, now - lastFrame);
    frames++;
  }
  lastFrame = now;
  requestAnimationFrame(frame);
};
requestAnimationFrame(frame);

/**
 * A probe measuring LoAF, rAF gaps and a heartbeat on the page.
 *
 * @example
 * ```ts ignore
 * import { pageProbe } from "./page_probe.ts";
 * const p = pageProbe();
 * p.start();
 * console.log(p.stop());
 * ```
 */
export function pageProbe(): Probe {
  const heartbeat = heartbeatProbe();
  return {
    start() {
      loafs = [];
      maxRafGap = 0;
      frames = 0;
      lastFrame = 0;
      observing = true;
      heartbeat.start();
    },
    stop() {
      observing = false;
      return {
        ...heartbeat.stop(),
        longestLoafMs: loafs.length ? Math.max(...loafs) : 0,
        loafs: loafs.length,
        rafGapMs: maxRafGap,
        frames,
      };
    },
  };
}
