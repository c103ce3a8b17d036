/**
 * Something that tells when it closes (a {@link ClosedLatch} of any error type).
 *
 * @example
 * ```ts
 * import { ClosedLatch, type CloseWatch } from "./closed_latch.ts";
 * const watch: CloseWatch = new ClosedLatch<TypeError>();
 * let seen: unknown;
 * watch.onClose((error) => seen = error);
 * (watch as ClosedLatch<TypeError>).close(new TypeError("gone"));
 * if (!(seen instanceof TypeError)) throw new Error("the watcher did not run");
 * ```
 */
export interface CloseWatch {
  /** Runs `watcher` once on close (at once if closed); returns what stops watching. */
  onClose(watcher: (error: unknown) => void): () => void;
}

/**
 * Remembers that something closed, and why: the first `close(error)` wins, every watcher runs
 * once with that error, and later watchers run at once. A connection's "closed" state in one
 * place, instead of an error field, a waiter list and a `waitClosed()` in each class.
 *
 * @example
 * ```ts
 * import { ClosedLatch } from "./closed_latch.ts";
 * const latch = new ClosedLatch<Error>();
 * const closed = latch.wait();
 * latch.close(new Error("gone"));
 * latch.close(new Error("ignored: the first close wins"));
 * if ((await closed).message !== "gone" || latch.error?.message !== "gone") {
 *   throw new Error("the latch kept the wrong error");
 * }
 * ```
 */
export class ClosedLatch<E = Error> implements CloseWatch {
  #closed: { error: E } | undefined;
  readonly #watchers = new Set<(error: E) => void>();

  /** The error it closed with; `undefined` while open. */
  get error(): E | undefined {
    return this.#closed?.error;
  }

  /** True once closed. */
  get closed(): boolean {
    return this.#closed !== undefined;
  }

  /** Closes with `error` and runs every watcher; returns false if it was already closed. */
  close(error: E): boolean {
    if (this.#closed) return false;
    this.#closed = { error };
    const watchers = [...this.#watchers];
    this.#watchers.clear();
    for (const watcher of watchers) watcher(error);
    return true;
  }

  /** Throws the closing error, if closed. */
  throwIfClosed(): void {
    if (this.#closed) throw this.#closed.error;
  }

  /** Resolves with the closing error once closed. */
  wait(): Promise<E> {
    if (this.#closed) return Promise.resolve(this.#closed.error);
    return new Promise((resolve) => this.#watchers.add(resolve));
  }

  /** Runs `watcher` once on close (at once if closed); returns what stops watching. */
  onClose(watcher: (error: E) => void): () => void {
    if (this.#closed) {
      watcher(this.#closed.error);
      return () => {};
    }
    this.#watchers.add(watcher);
    return () => this.#watchers.delete(watcher);
  }
}
