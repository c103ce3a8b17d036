/// <reference lib="dom" />
/**
 * Approval requests shown in one `<dialog>`, one at a time, in arrival order. Each request
 * resolves with the user's decision; a request the server withdrew (`serverRequest/resolved`,
 * e.g. after an interrupt) is dropped from the queue.
 *
 * @module
 */

/** What the dialog shows for one request. */
export interface ApprovalRequest {
  /** JSON-RPC id of the server's request. */
  readonly requestId: number | string;
  /** The thread it belongs to. */
  readonly threadId: string;
  /** "Run this command?" or "Apply this file change?". */
  readonly title: string;
  /** The command line, or the files. */
  readonly detail: string;
}

/** The user's answer. */
export type Decision = "accept" | "decline";

interface Pending extends ApprovalRequest {
  readonly resolve: (decision: Decision) => void;
}

/**
 * Drives the approval dialog.
 *
 * @example
 * ```ts ignore
 * const approvals = new ApprovalQueue(document.querySelector("dialog")!);
 * const decision = await approvals.ask({ requestId: 0, threadId, title: "Run?", detail: "ls" });
 * ```
 */
export class ApprovalQueue {
  readonly #dialog: HTMLDialogElement;
  readonly #queue: Pending[] = [];

  /** Wires the dialog's buttons (`#approve`, `#decline`). */
  constructor(dialog: HTMLDialogElement) {
    this.#dialog = dialog;
    dialog.querySelector("#approve")!.addEventListener("click", () => this.#answer("accept"));
    dialog.querySelector("#decline")!.addEventListener("click", () => this.#answer("decline"));
    dialog.addEventListener("cancel", (ev) => {
      ev.preventDefault();
      this.#answer("decline");
    });
  }

  /** Number of requests waiting (including the one shown). */
  get size(): number {
    return this.#queue.length;
  }

  /** Queues a request; resolves with the user's decision. */
  ask(request: ApprovalRequest): Promise<Decision> {
    return new Promise((resolve) => {
      this.#queue.push({ ...request, resolve });
      if (this.#queue.length === 1) this.#show();
    });
  }

  /** Drops a request the server no longer waits for. */
  withdraw(requestId: number | string, threadId?: string): void {
    const index = this.#queue.findIndex((p) =>
      p.requestId === requestId && (threadId === undefined || p.threadId === threadId)
    );
    if (index < 0) return;
    const [pending] = this.#queue.splice(index, 1);
    pending.resolve("decline");
    if (index === 0) this.#show();
  }

  /** Declines everything (the connection is gone). */
  clear(): void {
    for (const pending of this.#queue.splice(0)) pending.resolve("decline");
    this.#show();
  }

  #answer(decision: Decision): void {
    const pending = this.#queue.shift();
    pending?.resolve(decision);
    this.#show();
  }

  #show(): void {
    const next = this.#queue[0];
    if (!next) {
      if (this.#dialog.open) this.#dialog.close();
      return;
    }
    this.#dialog.querySelector("#approval-title")!.textContent = next.title;
    this.#dialog.querySelector("#approval-detail")!.textContent = next.detail;
    this.#dialog.querySelector("#approval-thread")!.textContent = `thread ${next.threadId}`;
    this.#dialog.dataset.threadId = next.threadId;
    if (!this.#dialog.open) this.#dialog.showModal();
  }
}
