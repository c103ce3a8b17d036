import { EventChannel } from "../util/event_channel.ts";
import type { CodexEvent } from "../core/events.ts";

/** A turn start in flight on one thread; returned by `beginCapture`. */
export interface Capture {
  /** The thread whose new turn is being captured. */
  readonly threadId: string;
}

interface CaptureGroup {
  starts: number;
  byTurn: Map<string, CodexEvent[]>;
  size: number;
}

interface Route {
  threadId: string;
  channel: EventChannel<CodexEvent>;
  /** Whether its `turn/started` was routed: before it, the server has no active turn. */
  started: boolean;
  /** Woken by `turn/started`, the turn's end or the connection's. */
  startWaiters: Array<() => void>;
}

/**
 * Per-turn event streams. Events of a thread are captured from the moment a turn start is sent,
 * keyed by turn id, and replayed into the turn's stream when the start is answered — including a
 * `turn/completed` that arrived first. A route is removed as soon as its turn completes, so
 * nothing is held for turns nobody consumes beyond their own (bounded) channel.
 *
 * @example
 * ```ts
 * import { TurnStreams } from "./turn_streams.ts";
 * const turns = new TurnStreams(100);
 * const capture = turns.beginCapture("thread-1");
 * const done = { method: "turn/completed", params: {} } as never;
 * turns.offer(done, "thread-1", "turn-1", "turn/completed");
 * const events = turns.register("turn-1", "thread-1", capture);
 * turns.endCapture(capture);
 * console.assert(events.size === 1 && events.done && turns.activeCount === 0);
 * ```
 */
export class TurnStreams {
  readonly #routes = new Map<string, Route>();
  readonly #captures = new Map<string, CaptureGroup>();
  readonly #limit: number;
  /** Set once the connection is gone: turns registered afterwards fail with it. */
  #failure: { error: unknown } | undefined;

  /** Creates the table; each stream holds at most `limit` unread events. */
  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Turns being routed. */
  get activeCount(): number {
    return this.#routes.size;
  }

  /** Threads with a start in flight. */
  get captureCount(): number {
    return this.#captures.size;
  }

  /** Events held for turns not registered yet. */
  get capturedEventCount(): number {
    let n = 0;
    for (const group of this.#captures.values()) n += group.size;
    return n;
  }

  /** Events waiting in the streams of routed turns (not yet read by their consumer). */
  get bufferedEventCount(): number {
    let n = 0;
    for (const route of this.#routes.values()) n += route.channel.size;
    return n;
  }

  /** Starts capturing the thread's turn events. */
  beginCapture(threadId: string): Capture {
    const group = this.#captures.get(threadId);
    if (group) group.starts++;
    else this.#captures.set(threadId, { starts: 1, byTurn: new Map(), size: 0 });
    return { threadId };
  }

  /** Routes an event of `turnId`; returns false when it belongs to no known or captured turn. */
  offer(event: CodexEvent, threadId: string | undefined, turnId: string, method: string): boolean {
    const route = this.#routes.get(turnId);
    if (route) {
      route.channel.push(event);
      if (method === "turn/started") wake(route);
      if (method === "turn/completed") {
        route.channel.end();
        this.#routes.delete(turnId);
        wake(route);
      }
      return true;
    }
    const group = threadId === undefined ? undefined : this.#captures.get(threadId);
    if (!group) return false;
    if (group.size >= this.#limit) return false; // over the bound: the global stream takes it
    const list = group.byTurn.get(turnId);
    if (list) list.push(event);
    else group.byTurn.set(turnId, [event]);
    group.size++;
    return true;
  }

  /** Creates the turn's stream from what was captured (or returns the live one). */
  register(turnId: string, threadId: string, capture: Capture): EventChannel<CodexEvent> {
    const existing = this.#routes.get(turnId);
    if (existing) return existing.channel;
    const group = this.#captures.get(capture.threadId);
    const early = group?.byTurn.get(turnId) ?? [];
    if (group) {
      group.byTurn.delete(turnId);
      group.size -= early.length;
    }
    const channel = new EventChannel<CodexEvent>({ name: `turn ${turnId}`, limit: this.#limit });
    channel.pushAll(early);
    if (early.some((ev) => ev.method === "turn/completed")) channel.end();
    // The start was answered but the connection died before this ran (same chunk): the
    // captured events are delivered, then the close error; nothing would ever end the stream.
    else if (this.#failure) channel.fail(this.#failure.error);
    else {
      const started = early.some((ev) => ev.method === "turn/started");
      this.#routes.set(turnId, { threadId, channel, started, startWaiters: [] });
    }
    return channel;
  }

  /**
   * Routes the events of a turn that is already running (one this connection did not start: a
   * turn followed again after a reconnection, once its thread is resumed) into a new stream;
   * returns the live stream when the turn is routed already.
   */
  follow(turnId: string, threadId: string): EventChannel<CodexEvent> {
    const existing = this.#routes.get(turnId);
    if (existing) return existing.channel;
    const channel = new EventChannel<CodexEvent>({ name: `turn ${turnId}`, limit: this.#limit });
    if (this.#failure) channel.fail(this.#failure.error);
    else this.#routes.set(turnId, { threadId, channel, started: true, startWaiters: [] });
    return channel;
  }

  /**
   * Resolves once the routed turn `turnId` has started (its `turn/started` was routed), or has
   * ended, or the connection did; `undefined` when there is nothing to wait for (the turn
   * already started, or is not routed here).
   */
  whenStarted(turnId: string): Promise<void> | undefined {
    const route = this.#routes.get(turnId);
    if (!route || route.started) return undefined;
    return new Promise((resolve) => route.startWaiters.push(resolve));
  }

  /** Ends one capture; returns the events of other turns it held (for the global stream). */
  endCapture(capture: Capture): CodexEvent[] {
    const group = this.#captures.get(capture.threadId);
    if (!group) return [];
    group.starts--;
    if (group.starts > 0) return [];
    this.#captures.delete(capture.threadId);
    return [...group.byTurn.values()].flat();
  }

  /**
   * Stops routing a turn: its buffer is dropped, and its later events (if any) go to the global
   * stream. Nothing of the turn is kept, even when its `turn/completed` never comes.
   */
  release(turnId: string): void {
    const route = this.#routes.get(turnId);
    if (!route) return;
    this.#routes.delete(turnId);
    route.channel.cancel();
    wake(route);
  }

  /**
   * Fails every live stream (the connection is gone). Captures stay until their start settles
   * (`endCapture`), so a start answered just before the close still gets its early events.
   */
  failAll(error: unknown): void {
    this.#failure ??= { error };
    for (const route of this.#routes.values()) {
      route.channel.fail(error);
      wake(route);
    }
    this.#routes.clear();
  }
}

/** Marks the route started and wakes whoever waits for that. */
function wake(route: Route): void {
  route.started = true;
  for (const resolve of route.startWaiters.splice(0)) resolve();
}
