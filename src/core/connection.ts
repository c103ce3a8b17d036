import type { CodexEvent } from "./events.ts";
import type { ServerRequestHandler } from "./server_request_handler.ts";
import type { CallOptions } from "./call_options.ts";
import type { RouterStats } from "./router_stats.ts";
import type { InitializeResponse } from "../protocol/mod.ts";

/**
 * A source of event batches: iterate with `for await (const batch of source)`.
 *
 * @example
 * ```ts
 * import type { EventSource } from "./connection.ts";
 * async function count<T>(source: EventSource<T>): Promise<number> {
 *   let n = 0;
 *   for await (const batch of source) n += batch.length;
 *   return n;
 * }
 * const batches = [[1, 2], [3]];
 * const source: EventSource<number> = {
 *   cancel: () => {},
 *   [Symbol.asyncIterator]: async function* () {
 *     yield* batches;
 *   },
 * };
 * if (await count(source) !== 3) throw new Error("three events in two batches");
 * ```
 */
export interface EventSource<T> extends AsyncIterable<T[]> {
  /** Stops the stream early and frees its buffer. */
  cancel(): void;
}

/**
 * What a turn start returns through a {@link CodexConnection}.
 *
 * @example
 * ```ts
 * import type { TurnStart } from "./connection.ts";
 * import { Codex } from "../../mod.ts";
 * import { reply, ResponsesModelServer, writeCodexHome } from "../testing/mod.ts";
 * await using model = await ResponsesModelServer.start({ script: [reply.text("ok")] });
 * await using home = await writeCodexHome({ modelServerUrl: model.url });
 * await using codex = await Codex.connect({ codexHome: home.dir, worker: false });
 * const thread = await codex.threadStart({});
 * const input = [{ type: "text", text: "hi", text_elements: [] }];
 * const params = { threadId: thread.id, input };
 * const started: TurnStart = await codex.connection.startTurn("turn/start", params, thread.id);
 * for await (const _ of started.events); // ends after the turn's turn/completed
 * if (!started.turnId) throw new Error("no turn id");
 * ```
 */
export interface TurnStart {
  /** The start request's result (`TurnStartResponse`, `ReviewStartResponse`, ...). */
  result: unknown;
  /** The new turn's id. */
  turnId: string;
  /** The turn's events (batches), captured from the moment the start was sent. */
  events: EventSource<CodexEvent>;
}

/**
 * Options of `CodexConnection.subscribe()`.
 *
 * @example A reader that must not take the program's backlog
 * ```ts
 * import type { SubscribeOptions } from "./connection.ts";
 * const options: SubscribeOptions = { observe: true };
 * if (!options.observe) throw new Error("an observer");
 * ```
 */
export interface SubscribeOptions {
  /**
   * Live events only: the subscription neither takes the events kept while nobody listened nor
   * keeps new ones from being kept for the next subscriber (the SDK's own readers: logins,
   * searches). Default false.
   */
  observe?: boolean;
}

/**
 * One connection to an app-server, as the public API sees it. Implemented in-process by
 * `CodexClient` and on a page's main thread by `WorkerConnection` (the router then runs in a
 * Web Worker): the Thread/Turn API is the same either way.
 *
 * **Advanced API**: most programs use `Codex`, `Thread` and `TurnHandle`; implement or call this
 * interface only to add a deployment (`codex.connection` exposes it).
 *
 * @example Code written against the interface runs on any deployment
 * ```ts
 * import { Codex, type CodexConnection } from "../../mod.ts";
 * import { writeCodexHome } from "../testing/mod.ts";
 * async function modelCount(conn: CodexConnection): Promise<number> {
 *   return (await conn.request("model/list", {}) as { data: unknown[] }).data.length;
 * }
 * await using home = await writeCodexHome({ modelServerUrl: "http://127.0.0.1:9/v1" });
 * await using inProcess = await Codex.connect({ codexHome: home.dir, worker: false });
 * await using inWorker = await Codex.connect({ codexHome: home.dir });
 * const [a, b] = [await modelCount(inProcess.connection), await modelCount(inWorker.connection)];
 * if (a === 0 || a !== b) throw new Error(`${a} ≠ ${b}`);
 * ```
 */
export interface CodexConnection {
  /** The `initialize` response. */
  readonly metadata: InitializeResponse;
  /** Sends a request and waits for its result. */
  request(method: string, params: unknown, options?: CallOptions): Promise<unknown>;
  /** Sends a turn-starting request for `threadId` and returns the turn's event stream. */
  startTurn(
    method: string,
    params: unknown,
    threadId: string,
    options?: CallOptions,
  ): Promise<TurnStart>;
  /**
   * Routes the events of a turn that is already running (one started on an earlier connection)
   * into a new stream. Call it before `thread/resume`: the stream then misses nothing the
   * resume brings. Ends after the turn's `turn/completed`.
   */
  followTurn(threadId: string, turnId: string): Promise<EventSource<CodexEvent>>;
  /** A new subscription to events that belong to no turn. */
  subscribe(options?: SubscribeOptions): Promise<EventSource<CodexEvent>>;
  /** Stops routing a turn (its handle was dropped). */
  releaseTurn(turnId: string): void;
  /** Sets the function that answers server requests. */
  setServerRequestHandler(handler: ServerRequestHandler | undefined): Promise<void>;
  /** Resolves with the closing error when the connection ends. */
  waitClosed(): Promise<Error>;
  /** Router counters (for tests and diagnostics). */
  stats(): Promise<RouterStats>;
  /** Closes the connection and everything it owns. */
  close(): Promise<void>;
}
