import type { CodexConnection } from "../core/connection.ts";
import type { InProcessConnectOptions } from "../client/connect_options.ts";
import { withReconnect } from "../client/reconnecting_connection.ts";
import { ConnectError } from "../errors/errors.ts";
import type {
  ClientRequestMethod,
  InitializeResponse,
  RequestParams,
  RequestResult,
  ThreadStartParams,
} from "../protocol/mod.ts";
import type { CodexEvent } from "../core/events.ts";
import type { RouterStats } from "../core/router_stats.ts";
import type { CallOptions } from "../core/call_options.ts";
import {
  ChatgptLoginHandle,
  DeviceCodeLoginHandle,
  type LoginCompletion,
  LoginCompletions,
} from "./login_handle.ts";
import { selectConnectionFactory } from "./connection_factory.ts";
import { type ServerRequestHandlers, ServerRequestRegistry } from "./server_request_registry.ts";
import { Thread } from "./thread.ts";
import { ThreadSearch } from "./thread_search.ts";
import { checkServerVersion, type VersionCheck, type VersionCheckMode } from "./version_check.ts";

/**
 * Options of {@link Codex.connect}: where the app-server is, how to reach it, handlers for its
 * requests and the version check.
 *
 * @example
 * ```ts
 * import type { CodexOptions } from "./codex.ts";
 * const options: CodexOptions = {
 *   worker: false,
 *   requestTimeoutMs: 30_000,
 *   versionCheck: "error",
 *   serverRequests: { "item/fileChange/requestApproval": () => ({ decision: "decline" }) },
 * };
 * console.assert(options.versionCheck === "error");
 * ```
 */
export interface CodexOptions extends InProcessConnectOptions {
  /** Connection-wide handlers for server requests (approvals, tool calls...). */
  serverRequests?: ServerRequestHandlers;
  /**
   * What to do when the app-server's version is outside the supported window
   * (`CODEX_VERSION_WINDOW`): `"warn"` (default: one `console.warn`), `"error"` (refuse with
   * `ConnectError`) or `"off"`. A server inside the window is accepted silently.
   */
  versionCheck?: VersionCheckMode;
}

/**
 * Options of thread-creating calls (`threadStart`, `threadResume`, `threadFork`): the call's
 * timeout and signal, and handlers for the thread's server requests.
 *
 * @example
 * ```ts
 * import type { ThreadCallOptions } from "./codex.ts";
 * const options: ThreadCallOptions = {
 *   timeoutMs: 10_000,
 *   serverRequests: { "item/commandExecution/requestApproval": () => ({ decision: "accept" }) },
 * };
 * console.assert(options.timeoutMs === 10_000);
 * ```
 */
export interface ThreadCallOptions extends CallOptions {
  /** Handlers for this thread's server requests. */
  serverRequests?: ServerRequestHandlers;
}

/**
 * Parameters of thread calls that take the thread id as their own argument.
 *
 * @example
 * ```ts
 * import type { ThreadParams } from "./codex.ts";
 * const params: ThreadParams<"thread/read"> = { includeTurns: true };
 * console.assert(params.includeTurns);
 * ```
 */
export type ThreadParams<M extends ClientRequestMethod> = Partial<
  Omit<RequestParams<M>, "threadId">
>;

/**
 * A connection to a Codex app-server: the entry point of the SDK. The router runs in a Web
 * Worker by default (`worker: false` runs it in-process; the API is the same). Thread lifecycle
 * (start, resume, fork, list, read, archive), models, account and login live here; turns live on
 * {@link Thread}. Every method takes `CallOptions` (`timeoutMs`, `signal`), and any method of
 * the protocol is reachable, typed, through {@link Codex.request}.
 *
 * @example One turn against the pinned app-server (stdio), offline: a scripted local model
 * ```ts
 * import { Codex } from "../../mod.ts";
 * import { reply, ResponsesModelServer, writeCodexHome } from "../testing/mod.ts";
 * await using model = await ResponsesModelServer.start({ script: [reply.text("hi there")] });
 * await using home = await writeCodexHome({ modelServerUrl: model.url });
 * await using codex = await Codex.connect({ codexHome: home.dir }); // router in a Worker
 * const thread = await codex.threadStart({});
 * const result = await thread.run("say hi");
 * if (result.finalResponse !== "hi there") throw new Error(`got ${result.finalResponse}`);
 * ```
 */
export class Codex implements AsyncDisposable {
  readonly #conn: CodexConnection;
  readonly #registry: ServerRequestRegistry;
  readonly #logins: LoginCompletions;
  readonly #versionCheck: VersionCheck;

  private constructor(conn: CodexConnection, registry: ServerRequestRegistry) {
    this.#conn = conn;
    this.#registry = registry;
    this.#logins = new LoginCompletions(conn);
    this.#versionCheck = checkServerVersion(conn.metadata.userAgent);
  }

  /**
   * Connects (spawning the pinned `codex app-server`, or to `url`) and initializes.
   *
   * @throws {ConnectError} When the app-server cannot be started or refuses `initialize`, or
   * (with `versionCheck: "error"`) runs a version outside the supported window.
   */
  static connect(options: CodexOptions = {}): Promise<Codex> {
    return Codex.connectWrapped(options, (conn) => conn);
  }

  /**
   * @internal Connects like {@link Codex.connect}, with the connection passed through `wrap`
   * before anything uses it (a pool gates and counts a member's turns this way).
   */
  static async connectWrapped(
    options: CodexOptions,
    wrap: (conn: CodexConnection) => CodexConnection,
  ): Promise<Codex> {
    const { serverRequests, versionCheck, ...connectOptions } = options;
    if (options.transport && options.worker !== false) {
      throw new TypeError("A custom transport runs in-process: pass worker: false");
    }
    const factory = selectConnectionFactory(options);
    const open = (): Promise<CodexConnection> => factory(connectOptions);
    const conn = wrap(withReconnect(await open(), open, options));
    const registry = new ServerRequestRegistry();
    registry.setConnection(serverRequests);
    try {
      const check = checkServerVersion(conn.metadata.userAgent);
      if (!check.supported && versionCheck === "error") throw new ConnectError(check.warning!);
      if (!check.supported && (versionCheck ?? "warn") === "warn") console.warn(check.warning);
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
    return this.#versionCheck.serverVersion;
  }

  /** The server's version judged against the supported window (`supported`, `warning`). */
  get versionCheck(): VersionCheck {
    return { ...this.#versionCheck };
  }

  /** The underlying connection (in-process client or Worker proxy). */
  get connection(): CodexConnection {
    return this.#conn;
  }

  /**
   * Sends any client request, typed by method.
   *
   * @throws {MethodNotFoundError} When the server does not know `method`.
   * @throws {InvalidParamsError} When it refuses the params.
   * @throws {ServerBusyError} When it is overloaded (see `retryOnOverload`).
   * @throws {TimeoutError} When no answer came within `timeoutMs`.
   */
  async request<M extends ClientRequestMethod>(
    method: M,
    params: RequestParams<M>,
    options?: CallOptions,
  ): Promise<RequestResult<M>> {
    return await this.#conn.request(method, params, options) as RequestResult<M>;
  }

  // --- threads -------------------------------------------------------------------------------

  /** Starts a new thread (`thread/start`). */
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
    params: ThreadParams<"thread/resume"> = {},
    options: ThreadCallOptions = {},
  ): Promise<Thread> {
    const result = await this.request(
      "thread/resume",
      { ...params, threadId } as RequestParams<"thread/resume">,
      options,
    );
    return this.#thread(result.thread.id, result.thread, options.serverRequests);
  }

  /** Forks a stored thread into a new one (`thread/fork`); returns the new thread. */
  async threadFork(
    threadId: string,
    params: ThreadParams<"thread/fork"> = {},
    options: ThreadCallOptions = {},
  ): Promise<Thread> {
    const result = await this.request(
      "thread/fork",
      { ...params, threadId } as RequestParams<"thread/fork">,
      options,
    );
    return this.#thread(result.thread.id, result.thread, options.serverRequests);
  }

  /** Lists stored threads, newest first, one page at a time (`nextCursor`). */
  async threadList(
    params: RequestParams<"thread/list"> = {},
    options?: CallOptions,
  ): Promise<RequestResult<"thread/list">> {
    return await this.request("thread/list", params, options);
  }

  /** Reads a stored thread without loading it (with its turns when `includeTurns`). */
  async threadRead(
    threadId: string,
    params: ThreadParams<"thread/read"> = {},
    options?: CallOptions,
  ): Promise<RequestResult<"thread/read">> {
    return await this.request("thread/read", { ...params, threadId }, options);
  }

  /** Archives a thread (it leaves `threadList()` unless `archived: true`). */
  async threadArchive(threadId: string, options?: CallOptions): Promise<void> {
    await this.request("thread/archive", { threadId }, options);
  }

  /** Restores an archived thread; returns it (not loaded: resume it to run turns). */
  async threadUnarchive(threadId: string, options?: CallOptions): Promise<Thread> {
    const result = await this.request("thread/unarchive", { threadId }, options);
    return new Thread(this.#conn, this.#registry, result.thread.id, result.thread);
  }

  /**
   * Searches stored threads by text (`thread/search/stream`, **experimental**: needs
   * `experimentalApi` at connect, the default, and codex 0.171 or later). Iterate the returned
   * search for best-effort partial batches and then the final page (`update.final`), or await
   * `search.result`. Leaving the loop, `search.cancel()` or `options.signal` cancels it on the
   * server.
   */
  threadSearch(
    params: RequestParams<"thread/search/stream">,
    options?: CallOptions,
  ): ThreadSearch {
    return new ThreadSearch(this.#conn, params, options);
  }

  /** Returns a handle for a thread id without a request (for a thread already loaded). */
  thread(threadId: string): Thread {
    return new Thread(this.#conn, this.#registry, threadId);
  }

  // --- models, commands ----------------------------------------------------------------------

  /** Lists the models the server offers (`model/list`; `includeHidden` for all of them). */
  async models(
    params: RequestParams<"model/list"> = {},
    options?: CallOptions,
  ): Promise<RequestResult<"model/list">> {
    return await this.request("model/list", params, options);
  }

  /**
   * Makes a configured model provider the default for new threads and unscoped model lists
   * (`modelProvider/default/set`, 0.171 and later: an older server refuses it with
   * `MethodNotFoundError`). The choice is written to the server's `config.toml`.
   *
   * @throws {JsonRpcError} When no provider has that id (`Model provider … is not configured`).
   */
  async setDefaultModelProvider(
    providerId: string,
    options?: CallOptions,
  ): Promise<RequestResult<"modelProvider/default/set">> {
    return await this.request("modelProvider/default/set", { providerId }, options);
  }

  /**
   * Runs a command (argv) in the server's sandbox, outside any thread (`command/exec`), and
   * returns its exit code and buffered output.
   */
  async commandExec(
    command: string[],
    params: Partial<Omit<RequestParams<"command/exec">, "command">> = {},
    options?: CallOptions,
  ): Promise<RequestResult<"command/exec">> {
    return await this.request("command/exec", { ...params, command }, options);
  }

  // --- account and login ---------------------------------------------------------------------

  /** Reads the account the server is logged in with (`account: null` when none). */
  async account(
    params: RequestParams<"account/read"> = {},
    options?: CallOptions,
  ): Promise<RequestResult<"account/read">> {
    return await this.request("account/read", params, options);
  }

  /** Logs in with an OpenAI API key (the key is sent to the server only, never logged). */
  async loginApiKey(apiKey: string, options?: CallOptions): Promise<void> {
    await this.request("account/login/start", { type: "apiKey", apiKey }, options);
  }

  /**
   * Starts a browser ChatGPT login: open the handle's `authUrl`, then `await login.wait()`.
   * `login.cancel()` ends it.
   */
  async loginChatgpt(options?: CallOptions): Promise<ChatgptLoginHandle> {
    const { result, completion } = await this.#startLogin({ type: "chatgpt" }, "chatgpt", options);
    const r = result as { loginId: string; authUrl: string };
    return new ChatgptLoginHandle(this.#conn, r, completion);
  }

  /**
   * Starts a device-code ChatGPT login: the user opens `verificationUrl` and enters `userCode`,
   * then `await login.wait()`.
   */
  async loginChatgptDeviceCode(options?: CallOptions): Promise<DeviceCodeLoginHandle> {
    const { result, completion } = await this.#startLogin(
      { type: "chatgptDeviceCode" },
      "chatgptDeviceCode",
      options,
    );
    const r = result as { loginId: string; verificationUrl: string; userCode: string };
    return new DeviceCodeLoginHandle(this.#conn, r, completion);
  }

  /** Logs out (`account/logout`). */
  async logout(options?: CallOptions): Promise<void> {
    await this.request("account/logout", undefined, options);
  }

  // --- streams, lifecycle --------------------------------------------------------------------

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

  async #startLogin(
    params: RequestParams<"account/login/start">,
    type: string,
    options: CallOptions | undefined,
  ): Promise<{ result: unknown; completion: Promise<LoginCompletion> }> {
    // Listen before starting: the completion may come right after (or even before) the answer.
    await this.#logins.acquire();
    let result: RequestResult<"account/login/start">;
    try {
      result = await this.request("account/login/start", params, options);
      if (result.type !== type || !("loginId" in result)) {
        throw new TypeError(`account/login/start answered ${JSON.stringify(result.type)}`);
      }
    } catch (err) {
      this.#logins.release();
      throw err;
    }
    const completion = this.#logins.completion(result.loginId);
    completion.then(() => this.#logins.release(), () => this.#logins.release());
    return { result, completion };
  }
}
