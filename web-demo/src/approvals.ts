/// <reference lib="dom" />
/**
 * Approval requests shown in one `<dialog>`, one at a time, in arrival order. Each request
 * resolves with the user's decision; a request the server withdrew (`serverRequest/resolved`,
 * e.g. after an interrupt) is dropped from the queue.
 *
 * The dialog fails closed: it opens with Decline focused (Enter declines), Esc declines, and so
 * does any other way of closing it. Approving takes a deliberate move (Tab, or a click).
 *
 * @module
 */

/** The user's answer: approve once, decline, or the request's other way to approve. */
export type Decision =
  | "accept"
  | "acceptForSession"
  | "decline"
  | { acceptWithExecpolicyAmendment: { execpolicy_amendment: string[] } };

/** A request's second way to approve, beside "Approve" (once). */
export interface AlsoApprove<D extends Decision = Decision> {
  /** The button's text, e.g. "Approve for this session". */
  readonly label: string;
  /** What it means beyond this request (the button's tooltip). */
  readonly hint: string;
  /** The decision it sends. */
  readonly decision: D;
}

/** What the dialog shows for one request. */
export interface ApprovalRequest<D extends Decision = Decision> {
  /** JSON-RPC id of the server's request. */
  readonly requestId: number | string;
  /** The thread it belongs to. */
  readonly threadId: string;
  /** The thread as the page names it (its panel title). */
  readonly threadLabel: string;
  /** "Run this command?" or "Apply this file change?". */
  readonly title: string;
  /** Builds what is asked about: the command and where it runs, or the diff. */
  readonly body: () => Node;
  /**
   * A second way to approve, when the request offers one: for the session (`acceptForSession`),
   * or always for commands like this one (an exec-policy rule).
   */
  readonly alsoApprove?: AlsoApprove<D>;
}

interface Pending extends ApprovalRequest {
  readonly resolve: (decision: Decision) => void;
}

/**
 * Drives the approval dialog (`#approval-title`, `#approval-thread`, `#approval-body` and the
 * buttons `#decline`, `#approve`, `#approve-session`).
 *
 * @example
 * ```ts ignore
 * const approvals = new ApprovalQueue(document.querySelector("dialog")!, (threadId) => {});
 * const decision = await approvals.ask({
 *   requestId: 0, threadId, threadLabel: "Thread 1", title: "Run this command?",
 *   body: () => document.createTextNode("ls"),
 * });
 * ```
 */
export class ApprovalQueue {
  readonly #dialog: HTMLDialogElement;
  readonly #queue: Pending[] = [];
  readonly #settled: (threadId: string) => void;
  readonly #decline: HTMLButtonElement;
  readonly #also: HTMLButtonElement;
  #closing = false;
  /** Requests withdrawn before they were asked (an approval can wait for its diff first). */
  readonly #withdrawn = new Set<string>();

  /**
   * Wires the dialog's buttons. `settled` is called with the last request's thread when the
   * queue empties (the page returns focus to that thread's composer).
   */
  constructor(dialog: HTMLDialogElement, settled: (threadId: string) => void = () => {}) {
    this.#dialog = dialog;
    this.#settled = settled;
    this.#decline = dialog.querySelector<HTMLButtonElement>("#decline")!;
    this.#also = dialog.querySelector<HTMLButtonElement>("#approve-session")!;
    this.#decline.addEventListener("click", () => this.#answer("decline"));
    dialog.querySelector("#approve")!.addEventListener("click", () => this.#answer("accept"));
    this.#also.addEventListener("click", () => this.#answer("also"));
    // Esc: `cancel` (kept open, then declined), or, when the browser skips `cancel`, `close`.
    dialog.addEventListener("cancel", (ev) => {
      ev.preventDefault();
      this.#answer("decline");
    });
    dialog.addEventListener("close", () => {
      if (!this.#closing && this.#queue.length > 0) this.#answer("decline");
    });
  }

  /** Number of requests waiting (including the one shown). */
  get size(): number {
    return this.#queue.length;
  }

  /** Queues a request; resolves with the user's decision. */
  ask<D extends Decision>(request: ApprovalRequest<D>): Promise<D | "accept" | "decline"> {
    return new Promise((resolve) => {
      if (this.#withdrawn.delete(`${request.threadId}\n${request.requestId}`)) {
        resolve("decline");
        return;
      }
      // The request's own decisions are the only ones its `alsoApprove` can resolve with.
      this.#queue.push({ ...request, resolve: resolve as (decision: Decision) => void });
      if (this.#queue.length === 1) this.#show();
    });
  }

  /** Drops a request the server no longer waits for. */
  withdraw(requestId: number | string, threadId?: string): void {
    const index = this.#queue.findIndex((p) =>
      p.requestId === requestId && (threadId === undefined || p.threadId === threadId)
    );
    if (index < 0) {
      if (threadId !== undefined) this.#withdrawn.add(`${threadId}\n${requestId}`);
      return;
    }
    const [pending] = this.#queue.splice(index, 1);
    pending.resolve("decline");
    if (index === 0) this.#show(pending.threadId);
  }

  /** Declines everything (the connection is gone). */
  clear(): void {
    const last = this.#queue.at(-1)?.threadId;
    this.#withdrawn.clear();
    for (const pending of this.#queue.splice(0)) pending.resolve("decline");
    this.#show(last);
  }

  #answer(decision: "accept" | "decline" | "also"): void {
    const pending = this.#queue.shift();
    if (!pending) return;
    pending.resolve(decision === "also" ? pending.alsoApprove?.decision ?? "accept" : decision);
    this.#show(pending.threadId);
  }

  #show(previousThread?: string): void {
    const next = this.#queue[0];
    if (!next) {
      if (this.#dialog.open) {
        this.#closing = true;
        this.#dialog.close();
        this.#closing = false;
      }
      if (previousThread !== undefined) this.#settled(previousThread);
      return;
    }
    this.#dialog.querySelector("#approval-title")!.textContent = next.title;
    this.#dialog.querySelector("#approval-thread")!.textContent = `in ${next.threadLabel}`;
    this.#dialog.querySelector("#approval-body")!.replaceChildren(next.body());
    this.#also.hidden = next.alsoApprove === undefined;
    this.#also.textContent = next.alsoApprove?.label ?? "";
    this.#also.title = next.alsoApprove?.hint ?? "";
    this.#dialog.dataset.threadId = next.threadId;
    if (!this.#dialog.open) this.#dialog.showModal();
    this.#decline.focus();
  }
}
