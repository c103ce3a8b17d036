import { EventChannel } from "../util/event_channel.ts";
import type { SubscribeOptions } from "../core/connection.ts";
import type { CodexEvent } from "../core/events.ts";

/**
 * Events that belong to no turn, fanned out to every subscriber. While nobody subscribes, the
 * last `backlog` events are kept for the next subscriber; older ones are dropped and announced
 * with one `sdk/lagged` event carrying the count. An observer (`{ observe: true }`: the SDK's
 * own readers, such as a login waiting for its completion) sees live events only: it neither
 * takes the backlog nor keeps events from going into it, so it never competes with the
 * program's own subscription.
 *
 * @example
 * ```ts
 * import { GlobalStream } from "./global_stream.ts";
 * const global = new GlobalStream(10, 100);
 * global.push({ method: "sdk/lagged", params: { dropped: 0 } });
 * const sub = global.subscribe();
 * console.assert(sub.size === 1);
 * ```
 */
export class GlobalStream {
  readonly #subscribers = new Set<EventChannel<CodexEvent>>();
  readonly #observers = new Set<EventChannel<CodexEvent>>();
  #backlog: CodexEvent[] = [];
  #dropped = 0;
  readonly #backlogLimit: number;
  readonly #limit: number;
  #error: unknown = undefined;

  /** Keeps `backlog` events while unsubscribed; each subscription holds at most `limit`. */
  constructor(backlog: number, limit: number) {
    this.#backlogLimit = backlog;
    this.#limit = limit;
  }

  /** Number of live subscriptions. */
  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  /** Delivers one event. */
  push(event: CodexEvent): void {
    for (const observer of this.#observers) observer.push(event);
    if (this.#subscribers.size === 0) {
      this.#backlog.push(event);
      if (this.#backlog.length > this.#backlogLimit) {
        this.#backlog.shift();
        this.#dropped++;
      }
      return;
    }
    for (const sub of this.#subscribers) sub.push(event);
  }

  /** A new subscription; the first one after a quiet period gets the backlog. */
  subscribe(options: SubscribeOptions = {}): EventChannel<CodexEvent> {
    const set = options.observe ? this.#observers : this.#subscribers;
    const channel: EventChannel<CodexEvent> = new EventChannel<CodexEvent>({
      name: "the global stream",
      limit: this.#limit,
      onCancel: () => set.delete(channel),
    });
    if (this.#error !== undefined) {
      channel.fail(this.#error);
      return channel;
    }
    if (options.observe) {
      set.add(channel);
      return channel;
    }
    if (this.#dropped > 0) {
      channel.push({ method: "sdk/lagged", params: { dropped: this.#dropped } });
    }
    channel.pushAll(this.#backlog);
    this.#backlog = [];
    this.#dropped = 0;
    this.#subscribers.add(channel);
    return channel;
  }

  /** Fails every subscription (the connection is gone). */
  failAll(error: unknown): void {
    this.#error = error;
    for (const sub of [...this.#subscribers, ...this.#observers]) sub.fail(error);
    this.#subscribers.clear();
    this.#observers.clear();
  }
}
