/**
 * Main-thread side of the synthetic delivery benchmark, runtime-neutral (Deno and the Chromium
 * page share it). It opens one path of `synthetic_worker.ts` and consumes a turn the way an
 * application does:
 *
 * - `sdk`: `portToSource` (as `WorkerConnection.startTurn`) wrapped in the real `TurnHandle`,
 *   read with `for await (const batch of turn.batches())`;
 * - `raw`: `port.onmessage` over arrays;
 * - `naive`: `await host.next()` per event.
 *
 * @module
 */

import * as Comlink from "comlink";
import { TurnHandle } from "../../src/api/turn_handle.ts";
import type { CodexConnection } from "../../src/core/connection.ts";
import type { CodexEvent } from "../../src/core/events.ts";
import { portToSource } from "../../worker/port_channel.ts";
import { percentile } from "../lib/stats.ts";
import { SYNTHETIC_THREAD } from "./synthetic_source.ts";
import type { SyntheticHost, SyntheticMode } from "./synthetic_worker.ts";

/** Measures main-thread responsiveness around a run (a heartbeat; the page adds LoAF, rAF). */
export interface Probe {
  /** Starts measuring. */
  start(): void;
  /** Stops; returns named figures in ms (at least `heartbeatGapMs`). */
  stop(): Record<string, number>;
}

/** A flood's figures. */
export interface FloodFigures {
  /** Events (deltas) per second, `turn/start` → last batch on this thread. */
  eventsPerSec: number;
  /** Messages (batches) this thread handled. */
  batches: number;
  /** `turn/start` → first batch on this thread, ms (how soon the flood starts to show). */
  firstBatchMs: number;
  /** The probe's figures. */
  probe: Record<string, number>;
}

/** A paced run's figures. */
export interface PacedFigures {
  /** Latency percentiles, ms (source stamp → receipt on this thread, clock offset corrected). */
  p50: number;
  p99: number;
  /** The probe's figures. */
  probe: Record<string, number>;
}

/** One open path. */
export interface SyntheticPath {
  /** A flood of `count` deltas arriving `linesPerTask` per macrotask. */
  flood(count: number, linesPerTask: number, probe: Probe): Promise<FloodFigures>;
  /** `count` deltas, one every `intervalMs`. */
  paced(count: number, intervalMs: number, probe: Probe): Promise<PacedFigures>;
  /** Closes the path and terminates its Worker. */
  close(): Promise<void>;
}

interface DeltaLike {
  method: string;
  params?: { t?: number };
}

/** The connection a `TurnHandle` needs here: only `releaseTurn` is ever called. */
const detached = { releaseTurn() {} } as unknown as CodexConnection;

/**
 * A heartbeat probe: the longest gap of a `setTimeout(0)` chain on this thread.
 *
 * @example
 * ```ts ignore
 * import { heartbeatProbe } from "./synthetic_driver.ts";
 * const p = heartbeatProbe();
 * p.start();
 * console.log(p.stop().heartbeatGapMs);
 * ```
 */
export function heartbeatProbe(): Probe {
  let last = 0;
  let max = 0;
  let running = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = () => {
    const t = performance.now();
    max = Math.max(max, t - last);
    last = t;
    if (running) timer = setTimeout(tick, 0);
  };
  return {
    start() {
      running = true;
      max = 0;
      last = performance.now();
      timer = setTimeout(tick, 0);
    },
    stop() {
      running = false;
      clearTimeout(timer);
      return { heartbeatGapMs: Math.max(max, performance.now() - last) };
    },
  };
}

/**
 * Opens a path: a fresh Worker running `synthetic_worker.ts` in `mode`.
 *
 * @example
 * ```ts ignore
 * import { heartbeatProbe, openSyntheticPath } from "./synthetic_driver.ts";
 * const path = await openSyntheticPath("sdk", 4);
 * console.log(await path.flood(100_000, 256, heartbeatProbe()));
 * await path.close();
 * ```
 */
export async function openSyntheticPath(
  mode: SyntheticMode,
  minPostIntervalMs: number,
): Promise<SyntheticPath> {
  const worker = new Worker(new URL("./synthetic_worker.ts", import.meta.url), {
    type: "module",
  });
  const host = Comlink.wrap<SyntheticHost>(worker);
  const rawPort = await host.open(mode, minPostIntervalMs);
  const offset = await clockOffset(host);

  /** Runs one turn; `onBatch` sees every delivery; resolves after `turn/completed`. */
  async function turn(
    shape: Parameters<SyntheticHost["turn"]>[0],
    onBatch: (events: DeltaLike[]) => void,
  ): Promise<number> {
    let batches = 0;
    if (mode === "sdk") {
      const { turnId, port } = await host.turn(shape);
      const handle = new TurnHandle(
        detached,
        SYNTHETIC_THREAD,
        turnId,
        portToSource<CodexEvent>(port!, 1_000_000),
      );
      for await (const batch of handle.batches()) {
        batches++;
        onBatch(batch as DeltaLike[]);
      }
      return batches;
    }
    if (mode === "naive") {
      await host.turn(shape);
      while (true) {
        const ev = await host.next() as DeltaLike;
        batches++;
        onBatch([ev]);
        if (ev.method === "turn/completed") return batches;
      }
    }
    return await new Promise<number>((resolve) => {
      rawPort!.onmessage = (m: MessageEvent<DeltaLike[]>) => {
        batches++;
        onBatch(m.data);
        if (m.data[m.data.length - 1]?.method === "turn/completed") resolve(batches);
      };
      host.turn(shape);
    });
  }

  return {
    async flood(count, linesPerTask, probe) {
      let received = 0;
      let firstBatchMs = 0;
      probe.start();
      const t0 = performance.now();
      const batches = await turn({ kind: "flood", count, linesPerTask }, (events) => {
        if (received === 0) firstBatchMs = performance.now() - t0;
        received += events.length;
      });
      const ms = performance.now() - t0;
      const figures = probe.stop();
      if (received !== count + 2) throw new Error(`${mode}: ${received} of ${count + 2} events`);
      return { eventsPerSec: count / (ms / 1000), batches, firstBatchMs, probe: figures };
    },
    async paced(count, intervalMs, probe) {
      const latencies: number[] = [];
      probe.start();
      await turn({ kind: "paced", count, intervalMs }, (events) => {
        const t = performance.timeOrigin + performance.now() + offset;
        for (const ev of events) if (ev.params?.t !== undefined) latencies.push(t - ev.params.t);
      });
      const figures = probe.stop();
      if (latencies.length !== count) throw new Error(`${mode}: ${latencies.length} of ${count}`);
      return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), probe: figures };
    },
    async close() {
      rawPort?.close();
      await host.close();
      host[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}

/** Worker clock − this clock, from the ping with the smallest round trip. */
async function clockOffset(host: Comlink.Remote<SyntheticHost>): Promise<number> {
  let best = Infinity;
  let offset = 0;
  for (let i = 0; i < 30; i++) {
    const t0 = performance.timeOrigin + performance.now();
    const w = await host.clock();
    const t1 = performance.timeOrigin + performance.now();
    if (t1 - t0 < best) {
      best = t1 - t0;
      offset = w - (t0 + t1) / 2;
    }
  }
  return offset;
}

/** What to measure on one path (one fresh Worker). */
export interface PathPlan {
  /** Delivery path. */
  mode: SyntheticMode;
  /** `channelToPort`'s least time between posts (sdk only). */
  minPostIntervalMs: number;
  /** Floods to run after a 5 000-event warm-up, in order. */
  floods: Array<{ count: number; linesPerTask: number }>;
  /** A paced run after the floods (omitted: none). */
  paced?: { count: number; intervalMs: number };
}

/** Figures of one {@link PathPlan}. */
export interface PathFigures {
  /** One per planned flood, in order. */
  floods: FloodFigures[];
  /** The paced run, if planned. */
  paced?: PacedFigures;
}

/**
 * Runs a plan on a fresh path; `probe()` makes the probe of each measured run.
 *
 * @example
 * ```ts ignore
 * import { heartbeatProbe, measurePath } from "./synthetic_driver.ts";
 * const figures = await measurePath({
 *   mode: "raw",
 *   minPostIntervalMs: 4,
 *   floods: [{ count: 100_000, linesPerTask: 256 }],
 * }, heartbeatProbe);
 * console.log(figures.floods[0].eventsPerSec);
 * ```
 */
export async function measurePath(plan: PathPlan, probe: () => Probe): Promise<PathFigures> {
  const path = await openSyntheticPath(plan.mode, plan.minPostIntervalMs);
  try {
    await path.flood(5_000, plan.floods[0]?.linesPerTask ?? 256, probe());
    const floods: FloodFigures[] = [];
    for (const f of plan.floods) floods.push(await path.flood(f.count, f.linesPerTask, probe()));
    const paced = plan.paced
      ? await path.paced(plan.paced.count, plan.paced.intervalMs, probe())
      : undefined;
    return { floods, paced };
  } finally {
    await path.close();
  }
}

/**
 * What the benchmark page exposes as `globalThis.__bench` (see `bench/browser/main.ts`).
 *
 * @example
 * ```ts ignore
 * import type { BenchPageApi } from "./synthetic_driver.ts";
 * const api = (globalThis as unknown as { __bench: BenchPageApi }).__bench;
 * console.log(api.isolated);
 * ```
 */
export interface BenchPageApi {
  /** Runs a plan on a fresh Worker; resolves with its figures. */
  measure(plan: PathPlan): Promise<PathFigures>;
  /** True once the page is ready. */
  ready: boolean;
  /** `crossOriginIsolated` (5 µs timers instead of 100 µs). */
  isolated: boolean;
}
