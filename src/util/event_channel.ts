import { StreamConsumedError, StreamOverflowError } from "../errors/errors.ts";

/** Options of an {@link EventChannel}. */
export interface EventChannelOptions {
  /** What the channel carries, for error messages (e.g. `turn 0192…`). */
  name?: string;
  /** Bound on buffered items; reaching it fails the channel with `StreamOverflowError`. */
  limit?: number;
  /** Largest batch handed to the consumer at once (default 1024). */
  maxBatch?: number;
  /** Called once when the consumer stops early (`return()` / `break`). */
  onCancel?: () => void;
}

/**
 * A single-consumer, push-based, bounded queue that yields **batches**. Producers `push()` items
 * synchronously; the consumer reads arrays with `for await`. Ends with `end()` or `fail(err)`.
 * When more than `limit` items are waiting, the buffer is released and the consumer gets a
 * `StreamOverflowError` (never a silent drop, never unbounded growth).
 *
 * @example
 * ```ts
 * import { EventChannel } from "./event_channel.ts";
 * const ch = new EventChannel<number>();
 * ch.push(1); ch.push(2); ch.end();
 * const seen: number[] = [];
 * for await (const batch of ch) seen.push(...batch);
 * console.assert(seen.join() === "1,2");
 * ```
 */
export class EventChannel<T> implements AsyncIterable<T[]> {
  #buffer: T[] = [];
  #head = 0;
  #ended = false;
  #error: unknown = undefined;
  #failed = false;
  #taken = false;
  #cancelled = false;
  #waiter: ((value: void) => void) | undefined;
  readonly #limit: number;
  readonly #maxBatch: number;
  readonly #name: string;
  #onCancel: (() => void) | undefined;
  /**
   * Called synchronously after each accepted push with the number of waiting items (lets a
   * forwarder flush a full batch at once, whatever the task queue is doing).
   */
  onPush: ((size: number) => void) | undefined;
  /** Called synchronously once, when the channel ends or fails (lets a forwarder stop waiting). */
  onDone: (() => void) | undefined;

  /** Creates an open channel. */
  constructor(options: EventChannelOptions = {}) {
    this.#limit = options.limit ?? Infinity;
    this.#maxBatch = options.maxBatch ?? 1024;
    this.#name = options.name ?? "a stream";
    this.#onCancel = options.onCancel;
  }

  /** Items waiting to be read. */
  get size(): number {
    return this.#buffer.length - this.#head;
  }

  /** True once `end()` or `fail()` was called (items may still be waiting). */
  get done(): boolean {
    return this.#ended || this.#failed;
  }

  /** True once the consumer cancelled. */
  get cancelled(): boolean {
    return this.#cancelled;
  }

  /** Adds one item; ignored after the channel ended or was cancelled. */
  push(item: T): void {
    if (this.#ended || this.#failed || this.#cancelled) return;
    this.#buffer.push(item);
    if (this.size > this.#limit) {
      this.fail(new StreamOverflowError(this.#name, this.#limit), true);
      return;
    }
    this.#wake();
    this.onPush?.(this.size);
  }

  /** Adds several items in order. */
  pushAll(items: readonly T[]): void {
    for (const item of items) this.push(item);
  }

  /** Ends the channel after the buffered items. */
  end(): void {
    if (this.#ended || this.#failed) return;
    this.#ended = true;
    this.#wake();
    this.onDone?.();
  }

  /**
   * Fails the channel: the consumer reads what is buffered, then gets `error`. With
   * `dropBuffered` the buffer is released at once (used on overflow).
   */
  fail(error: unknown, dropBuffered = false): void {
    if (this.#ended || this.#failed) return;
    this.#failed = true;
    this.#error = error;
    if (dropBuffered) {
      this.#buffer = [];
      this.#head = 0;
    }
    this.#wake();
    this.onDone?.();
  }

  /** Takes up to `maxBatch` waiting items without waiting (an empty array when none). */
  drain(max = this.#maxBatch): T[] {
    const end = Math.min(this.#buffer.length, this.#head + max);
    const batch = this.#buffer.slice(this.#head, end);
    this.#head = end;
    if (this.#head === this.#buffer.length) {
      this.#buffer = [];
      this.#head = 0;
    } else if (this.#head > 4096 && this.#head * 2 > this.#buffer.length) {
      this.#buffer = this.#buffer.slice(this.#head);
      this.#head = 0;
    }
    return batch;
  }

  /**
   * Waits for the next batch: resolves to items, or `undefined` when the channel ended; rejects
   * with the failure.
   */
  async next(): Promise<T[] | undefined> {
    while (true) {
      if (this.size > 0) return this.drain();
      if (this.#failed) throw this.#error;
      if (this.#ended || this.#cancelled) return undefined;
      await new Promise<void>((resolve) => this.#waiter = resolve);
    }
  }

  /** Resolves once an item is waiting or the channel is done (takes nothing). */
  async ready(): Promise<void> {
    while (this.size === 0 && !this.done && !this.#cancelled) {
      await new Promise<void>((resolve) => this.#waiter = resolve);
    }
  }

  /** Stops reading: drops the buffer and tells the producer. */
  cancel(): void {
    if (this.#cancelled) return;
    this.#cancelled = true;
    this.#buffer = [];
    this.#head = 0;
    this.#wake();
    const onCancel = this.#onCancel;
    this.#onCancel = undefined;
    onCancel?.();
  }

  /** Iterates batches; a channel can be iterated once. */
  [Symbol.asyncIterator](): AsyncIterator<T[]> {
    if (this.#taken) throw new StreamConsumedError(this.#name);
    this.#taken = true;
    return {
      next: async () => {
        const batch = await this.next();
        return batch === undefined
          ? { done: true, value: undefined }
          : { done: false, value: batch };
      },
      return: () => {
        if (!this.done || this.size > 0) this.cancel();
        return Promise.resolve({ done: true, value: undefined });
      },
    };
  }

  #wake(): void {
    const waiter = this.#waiter;
    if (waiter) {
      this.#waiter = undefined;
      waiter();
    }
  }
}
