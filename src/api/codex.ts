import { CodexClient } from "../client/codex_client.ts";
import type { CodexConnection } from "../client/connection.ts";
import type { InProcessConnectOptions } from "../client/connect_options.ts";
import { serverVersionFromUserAgent } from "../client/initialize.ts";
import type {
  ClientRequestMethod,
  InitializeResponse,
  RequestParams,
  RequestResult,
  ThreadStartParams,
} from "../protocol/mod.ts";
import type { CodexEvent } from "../router/events.ts";
import type { RouterStats } from "../router/message_router.ts";
import type { CallOptions } from "../router/pending_requests.ts";
import { type ServerRequestHandlers, ServerRequestRegistry } from "./server_request_registry.ts";
import { Thread } from "./thread.ts";

/** Options of {@link Codex.connect}. */
export interface CodexOptions extends InProcessConnectOptions {
  /** Connection-wide handlers for server requests (approvals, tool calls...). */
  serverRequests?: ServerRequestHandlers;
}

/** Options of thread-creating calls. */
export interface ThreadCallOptions extends CallOptions {
  /** Handlers for this thread's server requests. */
  serverRequests?: ServerRequestHandlers;
}

/**
 * A connection to a Codex app-server: the entry point of the SDK. The router runs in a Web
 * Worker by default (`worker: false` runs it in-process; the API is the same).
 *
 * @example Run one turn against the pinned app-server (stdio)
 * ```ts ignore
 * import { Codex } from "./codex.ts";
 * await using codex = await Codex.connect({ config: { model: "gpt-5" } });
 * const thread = await codex.threadStart({});
 * const result = await thread.run("say hi");
 * console.log(result.finalResponse);
 * ```
 */
export class Codex implements AsyncDisposable {
  readonly #conn: CodexConnection;
  readonly #registry: ServerRequestRegistry;

  private constructor(conn: CodexConnection, registry: ServerRequestRegistry) {
    this.#conn = conn;
    this.#registry = registry;
  }

  /** Connects (spawning the pinned `codex app-server`, or to `url`) and initializes. */
  static async connect(options: CodexOptions = {}): Promise<Codex> {
    const { serverRequests, ...connectOptions } = options;
    if (options.transport && options.worker !== false) {
      throw new TypeError("A custom transport runs in-process: pass worker: false");
    }
    const conn = options.worker === false
      ? await CodexClient.connect(connectOptions)
      : await (await import("../../worker/worker_connection.ts")).WorkerConnection.connect(
        connectOptions,
      );
    const registry = new ServerRequestRegistry();
    registry.setConnection(serverRequests);
    try {
      await conn.setServerRequestHandler((event) => registry.dispatch(event));
    } catch (err) {
      await conn.close().catch(() => {});
      throw err;
    }
    return new Codex(conn, registry);
  }

  /** The `initialize` response (`userAgent`, `codexHome`, platform). */
  get metadata(): InitializeResponse {
    return this.#conn.metadata;
  }

  /** The app-server's version, parsed from its `userAgent`. */
  get serverVersion(): string | undefined {
    return serverVersionFromUserAgent(this.#conn.metadata.userAgent);
  }

  /** The underlying connection (in-process client or Worker proxy). */
  get connection(): CodexConnection {
    return this.#conn;
  }

  /** Sends any client request, typed by method. */
  async request<M extends ClientRequestMethod>(
    method: M,
    params: RequestParams<M>,
    options?: CallOptions,
  ): Promise<RequestResult<M>> {
    return await this.#conn.request(method, params, options) as RequestResult<M>;
  }

  /** Starts a new thread. */
  async threadStart(
    params: Partial<ThreadStartParams> = {},
    options: ThreadCallOptions = {},
  ): Promise<Thread> {
    const result = await this.request("thread/start", params as ThreadStartParams, options);
    return this.#thread(result.thread.id, result.thread, options.serverRequests);
  }

  /** Resumes a stored thread (after a restart, or one started elsewhere). */
  async threadResume(
    threadId: string,
    params: Partial<Omit<RequestParams<"thread/resume">, "threadId">> = {},
    options: ThreadCallOptions = {},
  ): Promise<Thread> {
    const result = await this.request(
      "thread/resume",
      { ...params, threadId } as RequestParams<"thread/resume">,
      options,
    );
    return this.#thread(result.thread.id, result.thread, options.serverRequests);
  }

  /** Returns a handle for a thread id without a request (for a thread already loaded). */
  thread(threadId: string): Thread {
    return new Thread(this.#conn, this.#registry, threadId);
  }

  /** Events that belong to no turn (thread status, warnings, account, ...), one at a time. */
  async *events(): AsyncGenerator<CodexEvent, void, undefined> {
    const source = await this.#conn.subscribe();
    try {
      for await (const batch of source) yield* batch;
    } finally {
      source.cancel();
    }
  }

  /** Router counters (for tests and diagnostics). */
  stats(): Promise<RouterStats> {
    return this.#conn.stats();
  }

  /** Closes the connection; the spawned app-server and the Worker are gone when it resolves. */
  close(): Promise<void> {
    return this.#conn.close();
  }

  /** `await using codex = ...` closes it. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #thread(id: string, info: Thread["info"], handlers?: ServerRequestHandlers): Thread {
    if (handlers) this.#registry.setThread(id, handlers);
    return new Thread(this.#conn, this.#registry, id, info);
  }
}
