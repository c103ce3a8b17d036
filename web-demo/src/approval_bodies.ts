/// <reference lib="dom" />
/**
 * What the approval dialog shows for each kind of request: for a command, the command line, its
 * working directory and the reason codex gives; for a file change, the reason and the diff.
 *
 * @module
 */
import { renderDiff } from "./diff_view.ts";
import { el } from "./dom.ts";
import type { AlsoApprove } from "./approvals.ts";
import type { FileChange } from "./store.ts";

/** The fields of a command approval request the dialog shows. */
export interface CommandFacts {
  /** The command line. */
  readonly command?: string | null;
  /** Its working directory. */
  readonly cwd?: string | null;
  /** Why codex asks (e.g. the model's justification for running outside the sandbox). */
  readonly reason?: string | null;
}

function facts(rows: ReadonlyArray<readonly [string, string, boolean]>): HTMLElement {
  const list = el("dl", "approval-facts");
  for (const [term, value, code] of rows) {
    const dd = el("dd", "");
    dd.append(code ? el("code", "", value) : value);
    list.append(el("dt", "", term), dd);
  }
  return list;
}

/**
 * The body of a command approval.
 *
 * @example
 * ```ts ignore
 * commandBody({ command: "ls", cwd: "/repo", reason: null });
 * ```
 */
export function commandBody(request: CommandFacts): HTMLElement {
  const rows: Array<readonly [string, string, boolean]> = [
    ["Command", request.command || "(not given)", true],
    ["Directory", request.cwd || "(not given)", true],
  ];
  if (request.reason) rows.push(["Reason", request.reason, false]);
  return facts(rows);
}

/**
 * The body of a file-change approval: the reason (when given) and the diff (paths relative to
 * `cwd`); `undefined` changes (the item never arrived) say so instead.
 *
 * @example
 * ```ts ignore
 * fileChangeBody(item.changes, { reason: null, grantRoot: null }, view.cwd);
 * ```
 */
export function fileChangeBody(
  changes: readonly FileChange[] | undefined,
  request: { readonly reason?: string | null; readonly grantRoot?: string | null },
  cwd?: string,
): HTMLElement {
  const root = el("div", "approval-change");
  const rows: Array<readonly [string, string, boolean]> = [];
  if (request.reason) rows.push(["Reason", request.reason, false]);
  if (request.grantRoot) rows.push(["Write access to", request.grantRoot, true]);
  if (rows.length) root.append(facts(rows));
  root.append(
    changes
      ? renderDiff(changes, cwd)
      : el("p", "notice", "The change itself did not arrive; decline unless you know what it is."),
  );
  return root;
}

/**
 * Whether a request's `availableDecisions` offer `decision` (a string decision, or an object
 * decision keyed by it). A request without the list offers what its schema does: `fallback`.
 *
 * @example
 * ```ts
 * import { offers } from "./approval_bodies.ts";
 * if (offers(["accept", "cancel"], "acceptForSession", true)) throw new Error("not offered");
 * ```
 */
export function offers(available: unknown, decision: string, fallback: boolean): boolean {
  if (!Array.isArray(available)) return fallback;
  return available.some((d) =>
    d === decision || (typeof d === "object" && d !== null && decision in d)
  );
}

/** "Approve for this session": the same request is not asked again in this session. */
export const FOR_SESSION: AlsoApprove<"acceptForSession"> = {
  label: "Approve for this session",
  hint: "Approves this, and the same request again until the app-server restarts.",
  decision: "acceptForSession",
};

/** Longest command prefix shown on the "Always allow" button; a longer one ends with "…". */
const MAX_PREFIX_CHARS = 40;

/**
 * The second way to approve a command request offers: "Approve for this session" where its
 * `availableDecisions` include `acceptForSession` (or it has no list), else "Always allow" the
 * command's prefix where they include an exec-policy amendment (a rule codex keeps, so later
 * sessions do not ask either), else none.
 *
 * @example
 * ```ts
 * import { alsoApproveCommand } from "./approval_bodies.ts";
 * const amend = { acceptWithExecpolicyAmendment: { execpolicy_amendment: ["echo", "hi"] } };
 * const also = alsoApproveCommand(["accept", amend, "cancel"]);
 * if (also?.label !== "Always allow: echo hi") throw new Error(also?.label);
 * ```
 */
export function alsoApproveCommand(available: unknown): AlsoApprove | undefined {
  if (offers(available, "acceptForSession", true)) return FOR_SESSION;
  const amendment = (Array.isArray(available) ? available : []).find((d) =>
    typeof d === "object" && d !== null && "acceptWithExecpolicyAmendment" in d
  )?.acceptWithExecpolicyAmendment?.execpolicy_amendment;
  if (!Array.isArray(amendment) || amendment.length === 0) return undefined;
  const prefix = amendment.join(" ");
  const shown = prefix.length > MAX_PREFIX_CHARS
    ? `${prefix.slice(0, MAX_PREFIX_CHARS - 1)}…`
    : prefix;
  return {
    label: `Always allow: ${shown}`,
    hint: `Adds a rule to codex's command policy: commands starting with "${prefix}" run ` +
      "without asking, in later sessions too.",
    decision: { acceptWithExecpolicyAmendment: { execpolicy_amendment: amendment.map(String) } },
  };
}
