import { Codex, type CodexOptions } from "../api/codex.ts";
import type { CodexEvent } from "../core/events.ts";
import {
  ConnectError,
  PoolMemberUnavailableError,
  TimeoutError,
  TransportClosedError,
} from "../errors/errors.ts";
import { sleep } from "../util/deadline.ts";
import { MemberConnection, nameMember } from "./member_connection.ts";
import type {
  PoolMemberInfo,
  PoolMemberSpec,
  PoolMemberState,
  PoolMemberStateEvent,
} from "./pool_types.ts";
import { TurnSlots } from "./turn_slots.ts";

/** What a member needs from its pool. */
export interface MemberHooks {
  /** The member's options, merged with the pool's defaults. */
  options: CodexOptions;
  /** Turns one connection of the member runs at once. */
  maxRunningTurns: number;
  /** Restart attempts before the member is gone for good. */
  maxRestarts: number;
  /** First restart delay, in ms. */
  restartDelayMs: number;
  /** Interval and bound of the liveness probe, in ms (0: none). */
  heartbeatMs: number;
  /** Receives the member's global events and its state changes. */
  emit(member: string, event: CodexEvent | PoolMemberStateEvent): void;
}

const MAX_RESTART_DELAY_MS = 5_000;

/**
 * One member of a pool: a `Codex` on its app-server, re-created with backoff when its
 * connection closes (a local member's app-server is spawned again with the same `CODEX_HOME`,
 * so its stored threads survive; a remote member is dialed again).
 *
 * @example
 * ```ts
 * import { PoolMember } from "./pool_member.ts";
 * const member = new PoolMember("a", { codexHome: "/srv/a" }, {
 *   options: { codexHome: "/srv/a" }, maxRunningTurns: 4, maxRestarts: 3, restartDelayMs: 100,
 *   heartbeatMs: 0,
 *   emit: () => {},
 * });
 * console.assert(member.info().state === "starting");
 * ```
 */
export class PoolMember {
  /** The member's id. */
  readonly id: string;
  /** How the member was given. */
  readonly spec: PoolMemberSpec;
  /** Threads it owns. */
  readonly threads = new Set<string>();
  /** Threads being started on it right now (placement counts them as its threads). */
  placing = 0;
  #hooks: MemberHooks;
  #state: PoolMemberState = "starting";
  #codex: Codex | undefined;
  #conn: MemberConnection | undefined;
  #restarts = 0;
  #gone = false;
  #closing = false;
  readonly #stop = new AbortController();
  #restarting: Promise<void> | undefined;

  /** Creates the member (not connected yet: call {@link start}). */
  constructor(id: string, spec: PoolMemberSpec, hooks: MemberHooks) {
    this.id = id;
    this.spec = spec;
    this.#hooks = hooks;
  }

  /** The member's state. */
  get state(): PoolMemberState {
    return this.#state;
  }

  /** A snapshot for `pool.members`. */
  info(): PoolMemberInfo {
    return {
      id: this.id,
      state: this.#state,
      threads: this.threads.size,
      runningTurns: this.#conn?.slots.running ?? 0,
      waitingTurns: this.#conn?.slots.waiting ?? 0,
      restarts: this.#restarts,
      gone: this.#gone,
    };
  }

  /**
   * The member's `Codex`, for a call about one of its threads.
   *
   * @throws {PoolMemberUnavailableError} When it is not up (fast: no call waits for a restart).
   */
  codex(): Codex {
    if (this.#state !== "up" || !this.#codex) {
      throw new PoolMemberUnavailableError(this.id, this.#state, this.#gone);
    }
    return this.#codex;
  }

  /** Connects the first time; rejects with `ConnectError` naming the member. */
  async start(): Promise<void> {
    try {
      await this.#connect();
    } catch (err) {
      this.#setState("down", errorText(err));
      throw new ConnectError(`Pool member ${this.id} did not start: ${errorText(err)}`, err);
    }
  }

  /** Stops restarting and closes the member's connection (its spawned app-server is gone). */
  async close(): Promise<void> {
    this.#closing = true;
    this.#stop.abort();
    await this.#restarting?.catch(() => {});
    const codex = this.#codex;
    this.#codex = undefined;
    this.#state = "down";
    await codex?.close();
  }

  async #connect(restart = false): Promise<void> {
    this.#setState("starting");
    const slots = new TurnSlots(this.#hooks.maxRunningTurns);
    let conn: MemberConnection | undefined;
    const codex = await Codex.connectWrapped(this.#hooks.options, (inner) => {
      conn = new MemberConnection(this.id, inner, slots);
      return conn;
    });
    if (this.#closing) {
      await codex.close();
      throw new ConnectError(`Pool member ${this.id} is closing`);
    }
    this.#codex = codex;
    this.#conn = conn!;
    if (restart) this.#restarts++;
    this.#setState("up");
    this.#pump(codex);
    conn!.waitClosed().then((error) => this.#onClosed(conn!, error));
    if (this.#hooks.heartbeatMs > 0) this.#heartbeat(codex, conn!);
  }

  /**
   * Probes the member every `heartbeatMs` (`model/list`, bounded by the same time): a link cut
   * mid-turn sends no close, so without an answer the connection is given up on, its turns
   * fail with `TransportClosedError` naming the member, and the member is reconnected.
   */
  #heartbeat(codex: Codex, conn: MemberConnection): void {
    const ms = this.#hooks.heartbeatMs;
    (async () => {
      while (!this.#closing && conn === this.#conn) {
        await sleep(ms, { signal: this.#stop.signal, what: "heartbeat" });
        if (this.#closing || conn !== this.#conn) return;
        try {
          await codex.request("model/list", {}, { timeoutMs: ms });
        } catch (err) {
          if (!(err instanceof TimeoutError)) return; // closed: #onClosed reports it
          const error = new TransportClosedError(`no answer to the heartbeat within ${ms} ms`);
          conn.kill(error);
          this.#onClosed(conn, error);
          codex.close().catch(() => {});
          return;
        }
      }
    })().catch(() => {/* stopped */});
  }

  /** Forwards the member's global events to the pool while this connection lasts. */
  #pump(codex: Codex): void {
    (async () => {
      for await (const ev of codex.events()) this.#hooks.emit(this.id, ev);
    })().catch(() => {/* the connection closed: #onClosed reports it */});
  }

  #onClosed(conn: MemberConnection, error: Error): void {
    conn.markClosed(error);
    if (this.#closing || conn !== this.#conn) return;
    this.#codex = undefined;
    this.#setState("down", errorText(nameMember(this.id, error)));
    this.#restarting = this.#restart();
  }

  /** Reconnects with backoff; gives up (gone for good) after `maxRestarts` failed attempts. */
  async #restart(): Promise<void> {
    let delay = this.#hooks.restartDelayMs;
    for (let attempt = 1; attempt <= this.#hooks.maxRestarts; attempt++) {
      await sleep(delay, { signal: this.#stop.signal, what: `restart of ${this.id}` }).catch(
        () => {},
      );
      if (this.#closing) return;
      try {
        await this.#connect(true);
        return;
      } catch (err) {
        if (this.#closing) return;
        this.#setState("down", errorText(err));
        delay = Math.min(delay * 2, MAX_RESTART_DELAY_MS);
      }
    }
    this.#gone = true;
    this.#setState("down", "its restarts gave up");
  }

  #setState(state: PoolMemberState, message?: string): void {
    this.#state = state;
    if (this.#closing) return;
    const params = { state, restarts: this.#restarts, gone: this.#gone, message };
    this.#hooks.emit(this.id, { method: "pool/memberState", pool: true, params });
  }
}

function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split("\n")[0];
}
