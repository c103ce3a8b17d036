import type { CodexOptions } from "../api/codex.ts";
import type { Thread } from "../api/thread.ts";
import type { CodexEvent } from "../core/events.ts";
import type { Thread as ThreadInfo } from "../protocol/mod.ts";
import type { SharedHome } from "./shared_home.ts";

/**
 * A member spawned on this machine: its own `codex app-server` with its own `CODEX_HOME` (its
 * config, auth and stored threads). Other `Codex.connect` options (`env`, `config`, `worker`...)
 * apply to this member only.
 *
 * @example
 * ```ts
 * import type { LocalPoolMember } from "./pool_types.ts";
 * const member: LocalPoolMember = { id: "a", codexHome: "/srv/codex/a" };
 * console.assert(member.codexHome === "/srv/codex/a");
 * ```
 */
export interface LocalPoolMember extends Omit<CodexOptions, "url" | "socket" | "token"> {
  /** The member's id in `pool.members`, `thread.member` and events (default `m<index>`). */
  id?: string;
  /** `CODEX_HOME` of the member's app-server. */
  codexHome: string;
}

/**
 * A member reached over WebSocket: an app-server listening elsewhere (`--listen ws://…`) with
 * its own authentication (a capability token or a signed bearer token). It reconnects with
 * backoff by default (`reconnect: true`), so its running turns go on across a short drop.
 *
 * @example
 * ```ts
 * import type { RemotePoolMember } from "./pool_types.ts";
 * const member: RemotePoolMember = { url: "wss://build-2:4500", token: "secret" };
 * console.assert(member.url.startsWith("wss:"));
 * ```
 */
export interface RemotePoolMember extends Omit<CodexOptions, "codexHome" | "socket"> {
  /** The member's id (default `m<index>`). */
  id?: string;
  /** WebSocket URL of the member's app-server. */
  url: string;
  /** Bearer token of the member's app-server (never logged). */
  token?: string;
}

/**
 * A member of the pool: local (`codexHome`) or remote (`url`).
 *
 * @example
 * ```ts
 * import type { PoolMemberSpec } from "./pool_types.ts";
 * const members: PoolMemberSpec[] = [{ codexHome: "/srv/a" }, { url: "ws://10.0.0.2:4500" }];
 * console.assert(members.length === 2);
 * ```
 */
export type PoolMemberSpec = LocalPoolMember | RemotePoolMember;

/**
 * A member's state: `"up"` (serving), `"starting"` (connecting or restarting), `"down"` (its
 * connection closed; a restart is scheduled, unless it is gone for good).
 *
 * @example
 * ```ts
 * import type { PoolMemberState } from "./pool_types.ts";
 * const serving = (state: PoolMemberState) => state === "up";
 * console.assert(!serving("starting"));
 * ```
 */
export type PoolMemberState = "up" | "down" | "starting";

/**
 * One member as `pool.members` shows it, at the moment it was read.
 *
 * @example
 * ```ts
 * import type { PoolMemberInfo } from "./pool_types.ts";
 * const info: PoolMemberInfo = {
 *   id: "a", state: "up", threads: 3, runningTurns: 1, waitingTurns: 0, restarts: 0, gone: false,
 * };
 * console.assert(info.runningTurns <= info.threads);
 * ```
 */
export interface PoolMemberInfo {
  /** The member's id. */
  id: string;
  /** Its state. */
  state: PoolMemberState;
  /** Threads the pool knows it owns. */
  threads: number;
  /** Turns running on it (holding one of its slots). */
  runningTurns: number;
  /** Turns waiting for one of its slots. */
  waitingTurns: number;
  /** Times it was restarted (local) or reconnected (remote) after its connection closed. */
  restarts: number;
  /** True when its restarts gave up: its threads fail fast with `PoolMemberUnavailableError`. */
  gone: boolean;
}

/**
 * Picks the member for a new thread among the live ones (never empty), or names one by id.
 *
 * @example Round-robin instead of least-busy
 * ```ts
 * import type { Placement } from "./pool_types.ts";
 * let next = 0;
 * const roundRobin: Placement = (live) => live[next++ % live.length].id;
 * console.assert(roundRobin([{ id: "a" } as never, { id: "b" } as never]) === "a");
 * ```
 */
export type Placement = "least-busy" | ((live: PoolMemberInfo[]) => string);

/**
 * Options of `CodexPool.connect`.
 *
 * @example
 * ```ts
 * import type { CodexPoolOptions } from "./pool_types.ts";
 * const options: CodexPoolOptions = {
 *   members: [{ codexHome: "/srv/codex/a" }, { codexHome: "/srv/codex/b" }],
 *   maxRunningTurnsPerMember: 32,
 * };
 * console.assert(options.members.length === 2);
 * ```
 */
export interface CodexPoolOptions {
  /** The members: each a real app-server, local or remote. */
  members: PoolMemberSpec[];
  /** Where new threads go: `"least-busy"` (default: fewest running turns, then fewest threads). */
  placement?: Placement;
  /**
   * Turns one member runs at once (default {@link DEFAULT_MAX_RUNNING_TURNS_PER_MEMBER}); more
   * wait in order, their `timeoutMs` and `signal` still running.
   */
  maxRunningTurnsPerMember?: number;
  /** Restarts (local) or reconnections (remote) tried after a member's connection closes, before it is gone for good (default 5). */
  maxRestarts?: number;
  /** First restart delay in ms, doubled per failed attempt up to 5 s (default 250). */
  restartDelayMs?: number;
  /**
   * Remote members only: probe each every this many ms, and give its connection up when a probe
   * gets no answer within the same time (default 10 000; a link cut mid-turn sends no close, so
   * without a probe its turns would wait for TCP to time out).
   */
  heartbeatMs?: number;
  /**
   * Local members only: files copied from one source `CODEX_HOME` into each member's before it
   * starts (default `auth.json` and `config.toml`: one login and one config for all).
   */
  shared?: SharedHome;
  /** Options for every member (each member's own options win). */
  defaults?: CodexOptions;
}

/**
 * Default per-member bound on running turns: one app-server on 2 cores ran 50 concurrent short
 * turns in about 1.6 s while using about 1.75 cores (`BENCHMARKS.md`), so more than 50 at once
 * only adds queueing inside the app-server.
 *
 * @example
 * ```ts
 * import { DEFAULT_MAX_RUNNING_TURNS_PER_MEMBER } from "./pool_types.ts";
 * console.assert(DEFAULT_MAX_RUNNING_TURNS_PER_MEMBER === 50);
 * ```
 */
export const DEFAULT_MAX_RUNNING_TURNS_PER_MEMBER = 50;

/**
 * A thread of the pool: the member's own {@link Thread} (same API), naming its member.
 *
 * @example
 * ```ts
 * import type { PoolThread } from "./pool_types.ts";
 * const describe = (t: PoolThread) => `${t.id} on ${t.member}`;
 * console.assert(typeof describe === "function");
 * ```
 */
export type PoolThread = Thread & { readonly member: string };

/**
 * A member's state changed (`down` when its connection closed, `starting` while it restarts,
 * `up` when it serves again; `gone` once its restarts gave up).
 *
 * @example
 * ```ts
 * import type { PoolMemberStateEvent } from "./pool_types.ts";
 * const ev: PoolMemberStateEvent = {
 *   method: "pool/memberState",
 *   pool: true,
 *   params: { state: "down", restarts: 0, gone: false, message: "app-server killed by SIGKILL" },
 * };
 * console.assert(ev.params.state === "down");
 * ```
 */
export interface PoolMemberStateEvent {
  /** The event's method. */
  method: "pool/memberState";
  /** Marks the pool's own events (no app-server sends it). */
  pool: true;
  /** The new state. */
  params: { state: PoolMemberState; restarts: number; gone: boolean; message?: string };
}

/**
 * An event of a member's global stream, or a change of its state, tagged with the member.
 *
 * @example
 * ```ts
 * import type { PoolEvent } from "./pool_types.ts";
 * const ev: PoolEvent = { method: "sdk/disconnected", params: { message: "closed" }, member: "a" };
 * console.assert(ev.member === "a");
 * ```
 */
export type PoolEvent = (CodexEvent | PoolMemberStateEvent) & { readonly member: string };

/**
 * Narrows a pool event to a member's state change (an unknown notification of the same method
 * does not match: it is the pool's own event).
 *
 * @example
 * ```ts
 * import { isMemberStateEvent, type PoolEvent } from "./pool_types.ts";
 * const ev: PoolEvent = {
 *   method: "pool/memberState",
 *   pool: true,
 *   params: { state: "up", restarts: 1, gone: false },
 *   member: "a",
 * };
 * if (!isMemberStateEvent(ev) || ev.params.state !== "up") throw new Error("a state change");
 * ```
 */
export function isMemberStateEvent(
  event: PoolEvent,
): event is PoolMemberStateEvent & { readonly member: string } {
  return event.method === "pool/memberState" && (event as { pool?: unknown }).pool === true;
}

/**
 * `pool.threadList()`'s answer: every live member's page merged, newest first, each entry
 * tagged with its member; `nextCursors` holds each member's cursor for the next page.
 *
 * @example
 * ```ts
 * import type { PoolThreadList } from "./pool_types.ts";
 * const list: PoolThreadList = { data: [], nextCursors: { a: null } };
 * console.assert(list.data.length === 0);
 * ```
 */
export interface PoolThreadList {
  /** Threads of every live member, newest (`updatedAt`) first. */
  data: Array<ThreadInfo & { member: string }>;
  /** Each member's `nextCursor` (pass it back as `cursors`). */
  nextCursors: Record<string, string | null>;
}
