import type { CodexConnection } from "../core/connection.ts";
import type {
  RequestParams,
  RequestResult,
  Thread as ThreadInfo,
  TurnStartParams,
} from "../protocol/mod.ts";
import type { CallOptions } from "../core/call_options.ts";
import { type Input, toUserInput } from "./input.ts";
import type { RunResult } from "./run_result.ts";
import type { ServerRequestHandlers, ServerRequestRegistry } from "./server_request_registry.ts";
import { checkIdleTimeout, TurnHandle, type TurnRunOptions } from "./turn_handle.ts";

/**
 * Per-turn settings: every `turn/start` field except `threadId` and `input` (they persist for
 * later turns, as the server defines), plus handlers for this turn's server requests.
 *
 * @example
 * ```ts
 * import type { TurnOptions } from "./thread.ts";
 * const options: TurnOptions = {
 *   effort: "low",
 *   sandboxPolicy: { type: "readOnly", networkAccess: false },
 *   outputSchema: { type: "object", properties: { answer: { type: "string" } } },
 *   serverRequests: { "item/tool/requestUserInput": () => ({ answers: {} }) },
 * };
 * console.assert(options.effort === "low");
 * ```
 */
export type TurnOptions = Partial<Omit<TurnStartParams, "threadId" | "input">> & {
  /** Handlers for this turn's approvals and tool calls (most specific wins). */
  serverRequests?: ServerRequestHandlers;
  /** Timeout of the `turn/start` request, in ms. */
  timeoutMs?: number;
  /** Cancels the `turn/start` request (and, for `run()`, the wait). */
  signal?: AbortSignal;
};

/**
 * What `thread.review()` reviews: uncommitted changes, a base branch, a commit or custom text.
 *
 * @example
 * ```ts
 * import type { ReviewTarget } from "./thread.ts";
 * const targets: ReviewTarget[] = [
 *   { type: "uncommittedChanges" },
 *   { type: "baseBranch", branch: "main" },
 *   { type: "custom", instructions: "Look for race conditions" },
 * ];
 * console.assert(targets.length === 3);
 * ```
 */
export type ReviewTarget = RequestParams<"review/start">["target"];

/**
 * Options of `thread.review()`.
 *
 * @example
 * ```ts
 * import type { ReviewOptions } from "./thread.ts";
 * const options: ReviewOptions = { delivery: "inline", timeoutMs: 5_000 };
 * console.assert(options.delivery === "inline");
 * ```
 */
export interface ReviewOptions {
  /** Where the review runs: `inline` (on this thread, the default and only choice in 0.169). */
  delivery?: RequestParams<"review/start">["delivery"];
  /** Handlers for the review turn's server requests. */
  serverRequests?: ServerRequestHandlers;
  /** Timeout of the `review/start` request, in ms. */
  timeoutMs?: number;
  /** Cancels the `review/start` request. */
  signal?: AbortSignal;
}

/**
 * A conversation thread on the app-server. Create one with `codex.threadStart()` or resume one
 * with `codex.threadResume()`.
 *
 * @example Two turns on one thread (offline: a scripted local model)
 * ```ts
 * import { Codex } from "../../mod.ts";
 * import { reply, ResponsesModelServer, writeCodexHome } from "../testing/mod.ts";
 * const script = [reply.text("Hello!"), reply.text("Goodbye!")];
 * await using model = await ResponsesModelServer.start({ script });
 * await using home = await writeCodexHome({ modelServerUrl: model.url });
 * await using codex = await Codex.connect({ codexHome: home.dir, worker: false });
 * const thread = await codex.threadStart({});
 * await thread.run("say hi");
 * const second = await thread.run("now say goodbye"); // the model sees the first exchange
 * if (second.finalResponse !== "Goodbye!") throw new Error(`got ${second.finalResponse}`);
 * ```
 */
export class Thread {
  /** The thread id. */
  readonly id: string;
  /** The thread as the server last described it (from start/resume/fork). */
  readonly info: ThreadInfo | undefined;
  readonly #conn: CodexConnection;
  readonly #registry: ServerRequestRegistry;

  /** @internal Created by `Codex`. */
  constructor(
    conn: CodexConnection,
    registry: ServerRequestRegistry,
    id: string,
    info?: ThreadInfo,
  ) {
    this.#conn = conn;
    this.#registry = registry;
    this.id = id;
    this.info = info;
  }

  /** Starts a turn and returns its handle; its events are captured from the start. */
  turn(input: Input, options: TurnOptions = {}): Promise<TurnHandle> {
    const { serverRequests, timeoutMs, signal, ...overrides } = options;
    const params = { ...overrides, threadId: this.id, input: toUserInput(input) };
    return this.#startTurn("turn/start", params, { serverRequests, timeoutMs, signal });
  }

  /**
   * Runs one turn to completion: `finalResponse`, `items`, `usage`, status and timing. Rejects
   * with `TurnFailedError` when the turn fails.
   */
  async run(input: Input, options: TurnOptions & TurnRunOptions = {}): Promise<RunResult> {
    const { interruptOnAbort, idleTimeoutMs, ...turnOptions } = options;
    checkIdleTimeout(idleTimeoutMs); // before the turn starts: a bad value must not leave it running
    const turn = await this.turn(input, turnOptions);
    return await turn.run({ signal: options.signal, interruptOnAbort, idleTimeoutMs });
  }

  /** Sets handlers for this thread's server requests (`undefined` clears them). */
  setServerRequestHandlers(handlers: ServerRequestHandlers | undefined): void {
    this.#registry.setThread(this.id, handlers);
  }

  /**
   * Starts a code review on this thread (`review/start`, inline delivery by default) and returns
   * its turn: stream it or `await review.run()`; the review text is the run's `finalResponse`.
   */
  review(
    target: ReviewTarget,
    options: ReviewOptions = {},
  ): Promise<TurnHandle> {
    const { serverRequests, timeoutMs, signal, delivery } = options;
    const params = { threadId: this.id, target, ...(delivery ? { delivery } : {}) };
    return this.#startTurn("review/start", params, { serverRequests, timeoutMs, signal });
  }

  /**
   * The one path that starts a turn (`turn/start`, `review/start`): its handlers are active
   * from the moment the request is sent, and the handle owns the captured stream.
   */
  async #startTurn(
    method: string,
    params: unknown,
    options: Pick<TurnOptions, "serverRequests" | "timeoutMs" | "signal">,
  ): Promise<TurnHandle> {
    const { serverRequests, timeoutMs, signal } = options;
    const done = serverRequests ? this.#registry.beginTurn(this.id, serverRequests) : undefined;
    try {
      const started = await this.#conn.startTurn(method, params, this.id, { timeoutMs, signal });
      if (serverRequests) this.#registry.setTurn(started.turnId, serverRequests);
      return new TurnHandle(this.#conn, this.id, started.turnId, started.events, () => {
        if (serverRequests) this.#registry.setTurn(started.turnId, undefined);
      });
    } finally {
      done?.();
    }
  }

  /** Renames the thread. */
  async setName(name: string, options?: CallOptions): Promise<void> {
    await this.#conn.request("thread/name/set", { threadId: this.id, name }, options);
  }

  /** Starts compacting the thread's history. */
  async compact(options?: CallOptions): Promise<void> {
    await this.#conn.request("thread/compact/start", { threadId: this.id }, options);
  }

  /** Reads the thread (with its turns when `includeTurns`). */
  async read(
    params: Partial<Omit<RequestParams<"thread/read">, "threadId">> = {},
    options?: CallOptions,
  ): Promise<RequestResult<"thread/read">> {
    return await this.#conn.request(
      "thread/read",
      { ...params, threadId: this.id },
      options,
    ) as RequestResult<"thread/read">;
  }
}
