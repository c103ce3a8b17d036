import type { Codex, ThreadCallOptions, ThreadParams } from "../api/codex.ts";
import type { Thread } from "../api/thread.ts";
import type { CallOptions } from "../core/call_options.ts";
import type { CodexEvent } from "../core/events.ts";
import { PoolMemberUnavailableError, PoolThreadNotFoundError } from "../errors/errors.ts";
import type { RequestParams, RequestResult, ThreadStartParams } from "../protocol/mod.ts";
import { EventChannel } from "../util/event_channel.ts";
import { PoolMember } from "./pool_member.ts";
import { prepareMemberHome } from "./shared_home.ts";
import {
  type CodexPoolOptions,
  DEFAULT_MAX_RUNNING_TURNS_PER_MEMBER,
  type Placement,
  type PoolEvent,
  type PoolMemberInfo,
  type PoolMemberStateEvent,
  type PoolThread,
  type PoolThreadList,
} from "./pool_types.ts";

/**
 * A pool of app-servers: each member a real `codex app-server`, local (spawned with its own
 * `CODEX_HOME`) or remote (`url` + `token`). New threads go to a live member by the placement
 * rule (least busy by default); every call about a thread goes to the member that owns it; a
 * thread is the member's own `Thread` (same API), with `thread.member` naming its member.
 *
 * Each member runs at most `maxRunningTurnsPerMember` turns at once; more wait in order. When a
 * member's connection closes, its running turns fail with `TransportClosedError` naming the
 * member (a remote member reconnecting in time keeps them), new threads go to the live
 * members, and the member is restarted with backoff (`pool.members` shows it); calls on its
 * threads meanwhile fail fast with `PoolMemberUnavailableError` (resume a thread with
 * `pool.threadResume(id)` once the member is up again).
 *
 * What members share: each local member reads its own `CODEX_HOME` (config, auth, stored
 * threads); with `shared: { from }` the pool copies `auth.json` and `config.toml` from one
 * source into each before it starts (mode 0600, never logged): one login, one config.
 *
 * @example Two local members, threads placed least-busy, a turn on each (offline model)
 * ```ts
 * import { CodexPool } from "../../mod.ts";
 * import { reply, ResponsesModelServer, writeCodexHome } from "../testing/mod.ts";
 * await using model = await ResponsesModelServer.start({ fallback: () => reply.text("ok") });
 * await using a = await writeCodexHome({ modelServerUrl: model.url });
 * await using b = await writeCodexHome({ modelServerUrl: model.url });
 * await using pool = await CodexPool.connect({
 *   members: [{ id: "a", codexHome: a.dir }, { id: "b", codexHome: b.dir }],
 * });
 * const first = await pool.threadStart({});
 * const second = await pool.threadStart({});
 * if (first.member === second.member) throw new Error("least-busy spreads threads");
 * const result = await second.run("hi");
 * const again = await pool.threadResume(second.id); // routed to its owner
 * if (result.finalResponse !== "ok" || again.member !== second.member) throw new Error("?");
 * ```
 */
export class CodexPool implements AsyncDisposable {
  readonly #members: PoolMember[];
  readonly #byId = new Map<string, PoolMember>();
  readonly #owners = new Map<string, PoolMember>();
  readonly #placement: Placement;
  readonly #listeners = new Set<EventChannel<PoolEvent>>();
  #closed = false;

  private constructor(options: CodexPoolOptions) {
    this.#placement = options.placement ?? "least-busy";
    const ids = new Set<string>();
    this.#members = options.members.map((spec, i) => {
      const id = spec.id ?? `m${i}`;
      if (ids.has(id)) throw new TypeError(`Two pool members have the id ${id}`);
      ids.add(id);
      const { id: _, ...own } = spec;
      const member = new PoolMember(id, spec, {
        options: { ...options.defaults, ...own },
        maxRunningTurns: options.maxRunningTurnsPerMember ?? DEFAULT_MAX_RUNNING_TURNS_PER_MEMBER,
        maxRestarts: options.maxRestarts ?? 5,
        restartDelayMs: options.restartDelayMs ?? 250,
        heartbeatMs: "url" in spec ? options.heartbeatMs ?? 10_000 : 0,
        emit: (from, event) => this.#emit(from, event),
      });
      this.#byId.set(id, member);
      return member;
    });
  }

  /**
   * Connects every member (in parallel). A remote member reconnects on its own by default
   * (`reconnect: true`).
   *
   * @throws {ConnectError} When a member cannot be started; the others are closed again.
   */
  static async connect(options: CodexPoolOptions): Promise<CodexPool> {
    if (options.members.length === 0) throw new TypeError("A pool needs at least one member");
    const pool = new CodexPool({
      ...options,
      members: options.members.map((m) => "url" in m ? { reconnect: true, ...m } : m),
    });
    const { shared } = options;
    if (shared) {
      for (const m of options.members) {
        if ("codexHome" in m) await prepareMemberHome(shared, m.codexHome);
      }
    }
    const started = await Promise.allSettled(pool.#members.map((m) => m.start()));
    const failed = started.find((s) => s.status === "rejected");
    if (failed) {
      await pool.close();
      throw (failed as PromiseRejectedResult).reason;
    }
    return pool;
  }

  /** Each member now: id, state, threads it owns, running and waiting turns, restarts. */
  get members(): PoolMemberInfo[] {
    return this.#members.map((m) => m.info());
  }

  /**
   * Starts a thread on a live member chosen by the placement rule.
   *
   * @throws {PoolMemberUnavailableError} When no member is up.
   */
  async threadStart(
    params: Partial<ThreadStartParams> = {},
    options: ThreadCallOptions = {},
  ): Promise<PoolThread> {
    const member = this.#place();
    member.placing++;
    try {
      return this.#own(member, await member.codex().threadStart(params, options));
    } finally {
      member.placing--;
    }
  }

  /** Resumes a thread on the member that owns it. */
  async threadResume(
    threadId: string,
    params: ThreadParams<"thread/resume"> = {},
    options: ThreadCallOptions = {},
  ): Promise<PoolThread> {
    const member = await this.#owner(threadId, options);
    return this.#own(member, await member.codex().threadResume(threadId, params, options));
  }

  /** Forks a thread on the member that owns it; the new thread belongs to that member too. */
  async threadFork(
    threadId: string,
    params: ThreadParams<"thread/fork"> = {},
    options: ThreadCallOptions = {},
  ): Promise<PoolThread> {
    const member = await this.#owner(threadId, options);
    return this.#own(member, await member.codex().threadFork(threadId, params, options));
  }

  /** Reads a thread on the member that owns it. */
  async threadRead(
    threadId: string,
    params: ThreadParams<"thread/read"> = {},
    options?: CallOptions,
  ): Promise<RequestResult<"thread/read">> {
    const member = await this.#owner(threadId, options);
    return await member.codex().threadRead(threadId, params, options);
  }

  /** Archives a thread on the member that owns it. */
  async threadArchive(threadId: string, options?: CallOptions): Promise<void> {
    const member = await this.#owner(threadId, options);
    await member.codex().threadArchive(threadId, options);
  }

  /**
   * Lists the threads of every live member, merged newest first, each tagged with its member
   * (the pool learns their owners). Pass a member's `nextCursors` entry back in `cursors` for
   * its next page; a member whose cursor is `null` there is skipped.
   */
  async threadList(
    params: Omit<RequestParams<"thread/list">, "cursor"> & {
      cursors?: Record<string, string | null>;
    } = {},
    options?: CallOptions,
  ): Promise<PoolThreadList> {
    const { cursors, ...rest } = params;
    const live = this.#members.filter((m) =>
      m.state === "up" && !(cursors && cursors[m.id] === null)
    );
    const pages = await Promise.all(live.map(async (m) => {
      const cursor = cursors?.[m.id];
      const page = await m.codex().threadList({ ...rest, ...(cursor ? { cursor } : {}) }, options);
      return { member: m, page };
    }));
    const data: PoolThreadList["data"] = [];
    const nextCursors: Record<string, string | null> = {};
    for (const { member, page } of pages) {
      nextCursors[member.id] = page.nextCursor;
      for (const thread of page.data) {
        this.#claim(member, thread.id);
        data.push({ ...thread, member: member.id });
      }
    }
    data.sort((x, y) => y.updatedAt - x.updatedAt);
    return { data, nextCursors };
  }

  /** The member's `Codex` (for calls the pool does not route), by member id. */
  member(id: string): Codex {
    const member = this.#byId.get(id);
    if (!member) throw new TypeError(`No pool member has the id ${id}`);
    return member.codex();
  }

  /**
   * Every member's events that belong to no turn, each tagged with its member, and a
   * `pool/memberState` event each time a member's state changes. Events of a member that
   * restarts resume from its new connection. The subscription starts at the call (read it, or
   * `return()` it after reading, to let it go).
   */
  events(): AsyncGenerator<PoolEvent, void, undefined> {
    // Subscribed at the call, not at the first read: nothing between the two is missed.
    const channel = new EventChannel<PoolEvent>({ name: "the pool's events" });
    const listeners = this.#listeners;
    listeners.add(channel);
    if (this.#closed) channel.end();
    return (async function* () {
      try {
        for await (const batch of channel) yield* batch;
      } finally {
        listeners.delete(channel);
      }
    })();
  }

  /** Closes every member; spawned app-servers are gone when it resolves. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#members.map((m) => m.close()));
    for (const channel of this.#listeners) channel.end();
  }

  /** `await using pool = ...` closes it. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #emit(member: string, event: CodexEvent | PoolMemberStateEvent): void {
    for (const channel of this.#listeners) channel.push({ ...event, member } as PoolEvent);
  }

  #place(): PoolMember {
    const live = this.#members.filter((m) => m.state === "up");
    if (live.length === 0) {
      const gone = this.#members.every((m) => m.info().gone);
      throw new PoolMemberUnavailableError("(any)", "down", gone, "no member of the pool is up");
    }
    // Threads being started count as the member's: concurrent starts spread too.
    const infos = live.map((m) => {
      const info = m.info();
      return { ...info, threads: info.threads + m.placing };
    });
    if (this.#placement !== "least-busy") {
      const id = this.#placement(infos);
      const chosen = live.find((m) => m.id === id);
      if (!chosen) throw new TypeError(`The placement chose ${id}, which is not a live member`);
      return chosen;
    }
    let best = infos[0];
    for (const info of infos.slice(1)) {
      const busy = info.runningTurns + info.waitingTurns;
      const bestBusy = best.runningTurns + best.waitingTurns;
      if (busy < bestBusy || (busy === bestBusy && info.threads < best.threads)) best = info;
    }
    return this.#byId.get(best.id)!;
  }

  /** The owner of `threadId`: known, or found by asking the live members (`thread/read`). */
  async #owner(threadId: string, options?: CallOptions): Promise<PoolMember> {
    const known = this.#owners.get(threadId);
    if (known) return known;
    const live = this.#members.filter((m) => m.state === "up");
    const found = await Promise.any(live.map(async (m) => {
      await m.codex().threadRead(threadId, {}, options);
      return m;
    })).catch(() => undefined);
    if (!found) throw new PoolThreadNotFoundError(threadId);
    this.#claim(found, threadId);
    return found;
  }

  #claim(member: PoolMember, threadId: string): void {
    const previous = this.#owners.get(threadId);
    if (previous === member) return;
    previous?.threads.delete(threadId);
    this.#owners.set(threadId, member);
    member.threads.add(threadId);
  }

  #own(member: PoolMember, thread: Thread): PoolThread {
    this.#claim(member, thread.id);
    return Object.defineProperty(thread, "member", {
      value: member.id,
      enumerable: true,
    }) as PoolThread;
  }
}
