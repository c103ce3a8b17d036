/// <reference lib="dom" />
/**
 * An in-page probe for responsiveness, installed with `page.addInitScript(installPerfProbe)`:
 * Long Animation Frames (`long-animation-frame`), the largest gap between
 * `requestAnimationFrame` callbacks, and the largest gap of a `setTimeout(0)` heartbeat (which
 * also catches floods of small tasks that the `longtask` observer misses).
 *
 * @module
 */

/** Figures the probe reports. */
export interface PerfFigures {
  /** Durations of long animation frames seen while measuring (ms). */
  loafs: number[];
  /** Per long animation frame: time spent in scripts (ms), to tell script from layout/CPU. */
  loafScripts: number[];
  /** Largest gap between two animation frames (ms). */
  maxRafGap: number;
  /** Largest gap between two heartbeat ticks (ms). */
  maxHeartbeatGap: number;
  /** Animation frames seen while measuring. */
  frames: number;
  /** Measuring time (ms). */
  elapsed: number;
}

/** Installs `window.__perf` with `start()` and `stop(): PerfFigures`. Runs in the page. */
export function installPerfProbe(): void {
  const state = {
    running: false,
    loafs: [] as number[],
    loafScripts: [] as number[],
    maxRafGap: 0,
    maxHeartbeatGap: 0,
    frames: 0,
    started: 0,
    lastFrame: 0,
    lastBeat: 0,
  };
  new PerformanceObserver((list) => {
    if (!state.running) return;
    for (const entry of list.getEntries()) {
      // A frame that began before measuring started (e.g. the click that set it up) is not
      // part of what is measured.
      if (entry.startTime < state.started) continue;
      state.loafs.push(entry.duration);
      const scripts = (entry as unknown as { scripts?: { duration: number }[] }).scripts ?? [];
      state.loafScripts.push(scripts.reduce((sum, s) => sum + s.duration, 0));
      const e = entry as unknown as {
        blockingDuration: number;
        renderStart: number;
        styleAndLayoutStart: number;
        scripts: { invoker: string; duration: number; sourceFunctionName: string }[];
      };
      (globalThis as unknown as { __loafDetails: unknown[] }).__loafDetails ??= [];
      (globalThis as unknown as { __loafDetails: unknown[] }).__loafDetails.push({
        at: Math.round(entry.startTime - state.started),
        d: Math.round(entry.duration),
        b: Math.round(e.blockingDuration),
        render: Math.round(e.renderStart - entry.startTime),
        layout: Math.round(e.styleAndLayoutStart - entry.startTime),
        scripts: e.scripts.map((x) =>
          `${x.invoker}${x.sourceFunctionName ? `(${x.sourceFunctionName})` : ""}:${
            Math.round(x.duration)
          }`
        ).join(","),
      });
    }
  }).observe({ type: "long-animation-frame", buffered: false });
  const frame = (now: number) => {
    if (state.running) {
      if (state.lastFrame) state.maxRafGap = Math.max(state.maxRafGap, now - state.lastFrame);
      state.frames++;
    }
    state.lastFrame = now;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  const beat = () => {
    const now = performance.now();
    if (state.running && state.lastBeat) {
      const gap = now - state.lastBeat;
      state.maxHeartbeatGap = Math.max(state.maxHeartbeatGap, gap);
      if (gap > 40) {
        const g = globalThis as unknown as { __beatDetails: unknown[] };
        (g.__beatDetails ??= []).push({
          at: Math.round(state.lastBeat - state.started),
          gap: Math.round(gap),
        });
      }
    }
    state.lastBeat = now;
    if (state.running) setTimeout(beat, 0);
  };
  (globalThis as unknown as { __perf: unknown }).__perf = {
    start() {
      Object.assign(state, {
        running: true,
        loafs: [],
        loafScripts: [],
        maxRafGap: 0,
        maxHeartbeatGap: 0,
        frames: 0,
        started: performance.now(),
        lastFrame: 0,
        lastBeat: 0,
      });
      setTimeout(beat, 0);
    },
    stop() {
      state.running = false;
      return {
        loafs: state.loafs,
        loafScripts: state.loafScripts,
        maxRafGap: Math.round(state.maxRafGap * 10) / 10,
        maxHeartbeatGap: Math.round(state.maxHeartbeatGap * 10) / 10,
        frames: state.frames,
        elapsed: Math.round(performance.now() - state.started),
      };
    },
  };
}
