/**
 * `agentMessage.moderation.display` across the supported window. Codex 0.171 sends a `mode`
 * union (show / hide / block); 0.169 sends a flat object with an open `action` string. The SDK
 * delivers the item as the server sent it (nothing is rewritten or invented), types `display` as
 * the union of both shapes, and {@link agentMessageDisplayMode} reads either.
 *
 * @module
 */

import type * as gen from "./generated/index.ts";

/**
 * `AgentMessageDisplay` as a codex 0.169 app-server sends it.
 *
 * @example
 * ```ts
 * import type { LegacyAgentMessageDisplay } from "./agent_message_display.ts";
 * const d: LegacyAgentMessageDisplay = {
 *   action: "block", blockType: "cyber", cyberTrustedAccess: false, checkTrustedContacts: null,
 * };
 * console.assert(d.action === "block");
 * ```
 */
export interface LegacyAgentMessageDisplay {
  /** What to do with the answer; unknown actions are left to the producing client. */
  action: string;
  /** Why it is blocked, when it is. */
  blockType: string | null;
  /** Whether the account has trusted cyber access. */
  cyberTrustedAccess: boolean | null;
  /** Whether to check the user's trusted contacts. */
  checkTrustedContacts: boolean | null;
}

/**
 * `AgentMessageDisplay` as the pinned app-server (0.171) sends it: a `mode` union.
 *
 * @example
 * ```ts
 * import type { PinnedAgentMessageDisplay } from "./agent_message_display.ts";
 * const d: PinnedAgentMessageDisplay = { mode: "block", version: 1, reason: { kind: "cyber" } };
 * console.assert(d.mode === "block");
 * ```
 */
export type PinnedAgentMessageDisplay = gen.v2.AgentMessageDisplay;

/**
 * How a client should present a moderated answer: the pinned (0.171) `mode` union, or the 0.169
 * shape. Tell them apart with `"mode" in display`, or read both with
 * {@link agentMessageDisplayMode}.
 *
 * @example
 * ```ts
 * import type { AgentMessageDisplay } from "./agent_message_display.ts";
 * const d: AgentMessageDisplay = { mode: "hide", version: 1, replacement: { kind: "wellbeingPromptHelpline" } };
 * console.assert("mode" in d);
 * ```
 */
export type AgentMessageDisplay = PinnedAgentMessageDisplay | LegacyAgentMessageDisplay;

/**
 * `agentMessage.moderation`, with {@link AgentMessageDisplay} from either end of the window.
 *
 * @example
 * ```ts
 * import type { AgentMessageModeration } from "./agent_message_display.ts";
 * const m: AgentMessageModeration = { moderated: false, display: null };
 * console.assert(!m.moderated);
 * ```
 */
export type AgentMessageModeration = {
  /** Whether the answer was moderated. */
  moderated: boolean;
  /** How to present it, when the server says. */
  display: AgentMessageDisplay | null;
};

/**
 * The presentation a display asks for, from either shape: `"show"`, `"hide"` or `"block"` (a
 * 0.169 server's `action`, which may also be a value this SDK does not know: it is returned as
 * is, for the caller to decide).
 *
 * @param display `item.moderation.display` of an `agentMessage` item.
 * @returns The mode (0.171) or action (0.169).
 *
 * @example Read both shapes
 * ```ts
 * import { agentMessageDisplayMode } from "./agent_message_display.ts";
 * const current = agentMessageDisplayMode({
 *   mode: "block", version: 1, reason: { kind: "cyber", trustedAccess: false },
 * });
 * const legacy = agentMessageDisplayMode({
 *   action: "block", blockType: "cyber", cyberTrustedAccess: false, checkTrustedContacts: null,
 * });
 * if (current !== "block" || legacy !== "block") throw new Error("both read as block");
 * ```
 */
export function agentMessageDisplayMode(
  display: AgentMessageDisplay,
): "show" | "hide" | "block" | (string & Record<never, never>) {
  return "mode" in display ? display.mode : display.action;
}

/** @internal A `ThreadItem` whose `agentMessage` member carries {@link AgentMessageModeration}. */
export type WidenAgentMessage<T> = T extends { type: "agentMessage"; moderation: unknown }
  ? Omit<T, "moderation"> & { moderation: AgentMessageModeration | null }
  : T;
