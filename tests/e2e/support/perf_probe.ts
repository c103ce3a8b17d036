/// <reference lib="dom" />
/**
 * An in-page probe for responsiveness, installed with `page.addInitScript(installPerfProbe)`:
 * Long Animation Frames (`long-animation-frame`), the largest gap between
 * `requestAnimationFrame` callbacks, and the largest gap of a `setTimeout(0)` heartbeat (which
 * also catches floods of small tasks that the `longtask` observer misses).
 *
 * It also measures the page's own work per frame, which does not depend on what else the
 * machine runs: the time inside the page's `requestAnimationFrame` callbacks and its `message`
 * handlers (Worker, MessagePort, WebSocket), including the promise continuations a handler
 * starts (the SDK's stream hands each batch to the page's `for await` loop that way), summed
 * between two frames.
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
  /** The page's own work in each frame while measuring (ms), in frame order. */
  work: number[];
}

/** Percentiles of the page's work per frame (ms, one decimal). */
export interface WorkStats {
  /** Frames measured. */
  frames: number;
  /** Median. */
  p50: number;
  /** 99th percentile. */
  p99: number;
  /** Largest. */
  max: number;
}

/**
 * p50/p99/max of per-frame work figures (nearest rank).
 *
 * @example
 * ```ts ignore
 * workStats([0.5, 0.7, 3.9]); // { frames: 3, p50: 0.7, p99: 3.9, max: 3.9 }
 * ```
 */
export function workStats(work: readonly number[]): WorkStats {
  const sorted = [...work].sort((a, b) => a - b);
  const rank = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const round = (ms: number | undefined) => Math.round((ms ?? 0) * 10) / 10;
  return {
    frames: sorted.length,
    p50: round(rank(0.5)),
    p99: round(rank(0.99)),
    max: round(sorted.at(-1)),
  };
}

/**
 * Installs `window.__perf` with `start()` and `stop(): PerfFigures`. Runs in the page, before
 * the page's own scripts (it wraps `requestAnimationFrame` and `message` listeners).
 */
export function installPerfProbe(): void {
  const rawRequestFrame = globalThis.requestAnimationFrame.bind(globalThis);
  let work = 0;
  /** Microtask hops waited after a handler, so the continuations it started are counted. */
  const CONTINUATION_HOPS = 32;
  const settle = (t0: number, hops: number) => {
    if (hops > 0) queueMicrotask(() => settle(t0, hops - 1));
    else work += performance.now() - t0;
  };
  const timedHandler = (fn: (ev: Event) => unknown) =>
    function (this: unknown, ev: Event) {
      const t0 = performance.now();
      try {
        return fn.call(this, ev);
      } finally {
        settle(t0, CONTINUATION_HOPS);
      }
    };
  globalThis.requestAnimationFrame = (callback: FrameRequestCallback) =>
    rawRequestFrame((now) => {
      const t0 = performance.now();
      try {
        callback(now);
      } finally {
        work += performance.now() - t0;
      }
    });
  const wrapped = new WeakMap<object, EventListener>();
  const add = EventTarget.prototype.addEventListener;
  const remove = EventTarget.prototype.removeEventListener;
  EventTarget.prototype.addEventListener = function (
    this: EventTarget,
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ) {
    if (type !== "message" || typeof listener !== "function") {
      return add.call(this, type, listener, options);
    }
    let timed = wrapped.get(listener);
    if (!timed) wrapped.set(listener, timed = timedHandler(listener));
    return add.call(this, type, timed, options);
  };
  EventTarget.prototype.removeEventListener = function (
    this: EventTarget,
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ) {
    const timed = listener && wrapped.get(listener);
    return remove.call(this, type, timed ?? listener, options);
  };
  for (const proto of [MessagePort.prototype, Worker.prototype, WebSocket.prototype]) {
    const property = Object.getOwnPropertyDescriptor(proto, "onmessage");
    if (!property?.set || !property.get) continue;
    const { get, set } = property;
    Object.defineProperty(proto, "onmessage", {
      configurable: true,
      enumerable: property.enumerable,
      get() {
        return get.call(this);
      },
      set(fn: ((ev: Event) => unknown) | null) {
        set.call(this, typeof fn === "function" ? timedHandler(fn) : fn);
      },
    });
  }
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
    work: [] as number[],
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
  // The probe's own frame callback is not wrapped: it runs first in each frame (it asks for
  // the next frame before the page does) and closes the previous frame's work.
  const frame = (now: number) => {
    if (state.running) {
      if (state.lastFrame) state.maxRafGap = Math.max(state.maxRafGap, now - state.lastFrame);
      state.frames++;
      if (state.lastFrame) state.work.push(work);
    }
    work = 0;
    state.lastFrame = now;
    rawRequestFrame(frame);
  };
  rawRequestFrame(frame);
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
        work: [],
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
        work: state.work.map((ms) => Math.round(ms * 1000) / 1000),
      };
    },
  };
}
