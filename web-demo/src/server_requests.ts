/// <reference lib="dom" />
/**
 * The page's answers to the server's approval requests: each is shown in the approval dialog
 * (the command with its directory and reason, or the file change's diff) and answered with the
 * user's decision. A second way to approve is offered where the request has one: "Approve for
 * this session" (`acceptForSession`), or, for a command whose decisions offer an exec-policy
 * amendment instead, "Always allow" its command prefix.
 *
 * @module
 */
import type { ServerRequestHandlers } from "../../mod.ts";
import { alsoApproveCommand, commandBody, fileChangeBody, FOR_SESSION } from "./approval_bodies.ts";
import type { ApprovalQueue } from "./approvals.ts";
import type { FileChange, ThreadView } from "./store.ts";

/** How long a file-change approval waits for its item's diff to reach the page. */
export const ITEM_WAIT_MS = 5_000;

/** What the handlers need from the page. */
export interface RequestContext {
  /** The approval dialog's queue. */
  readonly approvals: ApprovalQueue;
  /** The open panel of a thread. */
  find(threadId: string): { readonly view: ThreadView } | undefined;
  /** Checks the page runs after every batch it applies (true: done, remove it). */
  readonly afterBatch: Set<() => boolean>;
}

/**
 * The changes of a file-change item, once the thread's stream has delivered it (the request
 * can arrive before the item's `item/started`); `undefined` after {@link ITEM_WAIT_MS}.
 */
function changesOf(
  ctx: RequestContext,
  threadId: string,
  itemId: string,
): Promise<readonly FileChange[] | undefined> {
  const look = () => {
    const changes = ctx.find(threadId)?.view.items.get(itemId)?.changes;
    return changes && changes.length > 0 ? changes : undefined;
  };
  const now = look();
  if (now) return Promise.resolve(now);
  return new Promise((resolve) => {
    const check = () => {
      const changes = look();
      if (!changes) return false;
      clearTimeout(timer);
      resolve(changes);
      return true;
    };
    const timer = setTimeout(() => {
      ctx.afterBatch.delete(check);
      resolve(undefined);
    }, ITEM_WAIT_MS);
    ctx.afterBatch.add(check);
  });
}

/**
 * Handlers for `item/commandExecution/requestApproval` and `item/fileChange/requestApproval`.
 *
 * @example
 * ```ts ignore
 * Codex.connect({ url, token, serverRequests: serverRequestHandlers({ approvals, find, afterBatch }) });
 * ```
 */
export function serverRequestHandlers(ctx: RequestContext): ServerRequestHandlers {
  const label = (threadId: string) => ctx.find(threadId)?.view.title ?? `thread ${threadId}`;
  return {
    "item/commandExecution/requestApproval": async (params, request) => ({
      decision: await ctx.approvals.ask({
        requestId: request.requestId,
        threadId: params.threadId,
        threadLabel: label(params.threadId),
        title: "Run this command?",
        body: () => commandBody(params),
        alsoApprove: alsoApproveCommand(params.availableDecisions),
      }),
    }),
    "item/fileChange/requestApproval": async (params, request) => {
      const changes = await changesOf(ctx, params.threadId, params.itemId);
      return {
        decision: await ctx.approvals.ask({
          requestId: request.requestId,
          threadId: params.threadId,
          threadLabel: label(params.threadId),
          title: "Apply this file change?",
          body: () => fileChangeBody(changes, params, ctx.find(params.threadId)?.view.cwd),
          alsoApprove: FOR_SESSION,
        }),
      };
    },
  };
}
