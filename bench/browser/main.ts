/// <reference lib="dom" />
/**
 * The delivery benchmark page: exposes `window.__bench.measure(plan)`, which runs one
 * {@link PathPlan} on a fresh synthetic Worker (`bench/delivery/synthetic_worker.ts`) with the
 * page probe, and shows a running event count (so frames have something to paint).
 *
 * @module
 */

import {
  type BenchPageApi,
  measurePath,
  type PathFigures,
  type PathPlan,
} from "../delivery/synthetic_driver.ts";
import { pageProbe } from "./page_probe.ts";

const api = globalThis as unknown as { __bench: BenchPageApi };

const count = document.getElementById("count")!;
let runs = 0;

api.__bench = {
  async measure(plan: PathPlan): Promise<PathFigures> {
    const figures = await measurePath(plan, pageProbe);
    count.textContent = String(++runs);
    return figures;
  },
  ready: true,
  isolated: globalThis.crossOriginIsolated,
};
