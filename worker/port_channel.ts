import { CONNECT_DEFAULTS } from "../src/core/defaults.ts";
import { errorFromWire, errorToWire, type WireError } from "../src/errors/wire.ts";
import { EventChannel } from "../src/util/event_channel.ts";
import { nextMacrotask } from "../src/util/next_macrotask.ts";

/** Messages on a stream port. */
type PortMessage<T> = { b: T[] } | { end: true } | { err: WireError };

/** Largest batch posted in one message (keeps each structured clone short). */
export const MAX_PORT_BATCH = 512;

/**
 * Least time between two posts on one port, in ms. An idle stream posts its first event at
 * once (no added latency); under a flood, events gather for this long (or until a full batch),
 * so the main thread handles a few hundred messages a second instead of one per incoming frame.
 * 2 ms keeps a token stream's latency within ~0.1 ms of a bare port (the sweep in
 * `BENCHMARKS.md`: 4 ms added 2.3 ms to the paced p50 for the same throughput).
 */
export const MIN_POST_INTERVAL_MS = 2;

/**
 * The timer a pump waits out its interval with. Tests pass one they control, so they can see
 * that the pump is inside its interval and that nothing but the stream's end cut it short.
 *
 * @example
 * ```ts
 * import type { PumpTimer } from "./port_channel.ts";
 * const timer: PumpTimer = {
 *   set: (callback, ms) => setTimeout(callback, ms),
 *   clear: (handle) => clearTimeout(handle as number),
 * };
 * clearTimeout(timer.set(() => {}, 10) as number);
 * ```
 */
export interface PumpTimer {
  /** Calls `callback` after `ms`; returns a handle for `clear`. */
  set(callback: () => void, ms: number): unknown;
  /** Cancels a callback set with `set`. */
  clear(handle: unknown): void;
}

const realTimer: PumpTimer = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Worker side: pumps an {@link EventChannel} into a fresh `MessagePort` as **batches**. After
 * the first waiting item it yields one macrotask (or, right after a post, waits out
 * {@link MIN_POST_INTERVAL_MS}) so that everything that arrives meanwhile (other lines, other
 * frames) travels in the same message. The consumer's `"cancel"` stops it.
 * `minPostIntervalMs` overrides {@link MIN_POST_INTERVAL_MS} (benchmarks sweep it); `timer`
 * replaces `setTimeout` for the interval's wait (tests).
 *
 * @example
 * ```ts
 * import { channelToPort, portToSource } from "./port_channel.ts";
 * import { EventChannel } from "../src/util/event_channel.ts";
 * const ch = new EventChannel<number>();
 * const source = portToSource<number>(channelToPort(ch));
 * ch.push(1); ch.push(2); ch.end();
 * const seen: number[] = [];
 * for await (const batch of source) seen.push(...batch);
 * console.assert(seen.join() === "1,2");
 * ```
 */
export function channelToPort<T>(
  channel: EventChannel<T>,
  minPostIntervalMs: number = MIN_POST_INTERVAL_MS,
  timer: PumpTimer = realTimer,
): MessagePort {
  const { port1, port2 } = new MessageChannel();
  let cancelled = false;
  // The receiver closes both ends: it answers "done" after end/err, or sends "cancel". Closing
  // here right after posting could drop messages still in flight.
  port1.onmessage = (ev: MessageEvent) => {
    if (ev.data === "cancel") {
      cancelled = true;
      channel.cancel();
      stopWaiting?.(); // nothing more will be posted: do not keep a timer alive
    }
    port1.close();
  };
  const post = (message: PortMessage<T>) => {
    if (!cancelled) port1.postMessage(message);
  };
  let lastPost = -Infinity;
  const flush = (max: number) => {
    while (channel.size > 0 && !cancelled) {
      post({ b: channel.drain(Math.min(max, MAX_PORT_BATCH)) });
      if (max !== Infinity) break;
    }
    lastPost = performance.now();
  };
  // A full batch leaves at once, from inside the push: under a flood the first events do not
  // wait for the pump's turn in a busy task queue. Order holds: nothing is taken out of the
  // channel anywhere else.
  channel.onPush = (size) => {
    if (size >= MAX_PORT_BATCH) flush(MAX_PORT_BATCH);
  };
  // The stream's last events (a turn's completion) do not wait out the rest of an interval.
  let stopWaiting: (() => void) | undefined;
  channel.onDone = () => stopWaiting?.();
  const interval = (ms: number) =>
    new Promise<void>((resolve) => {
      const finish = () => {
        timer.clear(handle);
        stopWaiting = undefined;
        resolve();
      };
      const handle = timer.set(finish, ms);
      stopWaiting = finish;
    });
  (async () => {
    try {
      while (!cancelled) {
        await channel.ready();
        if (channel.size === 0) {
          if (await channel.next() === undefined) break; // ended (a failure throws)
          continue;
        }
        if (!channel.done) {
          const wait = lastPost + minPostIntervalMs - performance.now();
          await (wait > 0 ? interval(wait) : nextMacrotask());
        }
        flush(Infinity);
      }
      post({ end: true });
    } catch (err) {
      post({ err: errorToWire(err) });
    }
  })();
  return port2;
}

/**
 * Main-thread side: turns a port from {@link channelToPort} back into an event source of
 * batches, bounded by `limit` unread events.
 * `onFinish` runs once the stream is over on this side: ended, failed, overflowed or cancelled.
 *
 * @example
 * ```ts
 * import { channelToPort, portToSource } from "./port_channel.ts";
 * import { EventChannel } from "../src/util/event_channel.ts";
 * const ch = new EventChannel<string>();
 * const source = portToSource<string>(channelToPort(ch));
 * ch.end();
 * for await (const _ of source) { /* none *\/ }
 * ```
 */
export function portToSource<T>(
  port: MessagePort,
  limit: number = CONNECT_DEFAULTS.maxBufferedEvents,
  onFinish?: () => void,
): EventChannel<T> {
  const channel = new EventChannel<T>({
    name: "a Worker stream",
    limit,
    onCancel: () => {
      port.postMessage("cancel");
      port.close();
      onFinish?.();
    },
  });
  const finish = () => {
    port.postMessage("done");
    port.close();
    onFinish?.();
  };
  port.onmessage = (ev: MessageEvent<PortMessage<T>>) => {
    const data = ev.data;
    if ("b" in data) {
      channel.pushAll(data.b);
      if (channel.done) { // overflowed: stop the sender
        port.postMessage("cancel");
        port.close();
        onFinish?.();
      }
    } else if ("end" in data) {
      channel.end();
      finish();
    } else if ("err" in data) {
      channel.fail(errorFromWire(data.err));
      finish();
    }
  };
  return channel;
}
