import type { CodexConnection, EventSource } from "../core/connection.ts";
import { Deadline } from "../util/deadline.ts";
import type { NotificationParams, RequestResult } from "../protocol/mod.ts";
import type { CodexEvent } from "../core/events.ts";
import type { CallOptions } from "../core/call_options.ts";

/**
 * How a login ended: the `account/login/completed` notification's params.
 *
 * @example
 * ```ts
 * import type { LoginCompletion } from "./login_handle.ts";
 * const done: LoginCompletion = {
 *   loginId: "l-1", success: false, error: "Login was not completed", onboardingEntrypoint: null,
 * };
 * console.assert(!done.success);
 * ```
 */
export type LoginCompletion = NotificationParams<"account/login/completed">;

/**
 * The completions of the logins in progress, by `loginId`. Not a router: it observes the
 * connection's global stream (live events only, `subscribe({ observe: true })`) while a login is
 * in progress, so it takes nothing from the program's own `codex.events()`; it keeps
 * completions that arrive before anyone waits for them.
 *
 * @example
 * ```ts
 * import { LoginCompletions } from "./login_handle.ts";
 * import { CodexClient } from "../client/codex_client.ts";
 * import { MemoryTransport } from "../transport/memory_transport.ts";
 * const transport = new MemoryTransport();
 * const metadata = { userAgent: "codex_worker/0.171.0", codexHome: "/h", platformFamily: "unix" };
 * transport.peer.onMessage = (m) => {
 *   if (m.method === "initialize") transport.peer.send({ id: m.id, result: metadata });
 * };
 * const conn = await CodexClient.connect({ transport });
 * const logins = new LoginCompletions(conn);
 * await logins.acquire(); // before account/login/start
 * const done = logins.completion("login-1");
 * const params = { loginId: "login-1", success: true, error: null };
 * transport.peer.send({ method: "account/login/completed", params });
 * if (!(await done).success) throw new Error("login-1 completed");
 * logins.release();
 * await conn.close();
 * ```
 */
export class LoginCompletions {
  readonly #conn: CodexConnection;
  #source: EventSource<CodexEvent> | undefined;
  #subscribing: Promise<void> | undefined;
  #users = 0;
  readonly #waiters = new Map<string, (c: LoginCompletion) => void>();
  readonly #failers = new Map<string, (e: unknown) => void>();
  readonly #early = new Map<string, LoginCompletion>();
  #error: unknown = undefined;

  /** Routes completions seen on `conn`. */
  constructor(conn: CodexConnection) {
    this.#conn = conn;
  }

  /** Starts listening (before a login is started, so its completion cannot be missed). */
  async acquire(): Promise<void> {
    this.#users++;
    try {
      this.#subscribing ??= this.#subscribe();
      await this.#subscribing;
    } catch (err) {
      this.release();
      throw err;
    }
  }

  /** Stops listening once no login is in progress. */
  release(): void {
    this.#users = Math.max(0, this.#users - 1);
    if (this.#users > 0 || this.#waiters.size > 0) return;
    this.#source?.cancel();
    this.#source = undefined;
    this.#subscribing = undefined;
    this.#early.clear();
  }

  /** The completion of `loginId` (already seen, or the next one to arrive). */
  completion(loginId: string): Promise<LoginCompletion> {
    const seen = this.#early.get(loginId);
    if (seen) {
      this.#early.delete(loginId);
      return Promise.resolve(seen);
    }
    if (this.#error !== undefined) return Promise.reject(this.#error);
    return new Promise((resolve, reject) => {
      this.#waiters.set(loginId, resolve);
      this.#failers.set(loginId, reject);
    });
  }

  async #subscribe(): Promise<void> {
    const source = await this.#conn.subscribe({ observe: true });
    this.#source = source;
    this.#pump(source);
  }

  async #pump(source: EventSource<CodexEvent>): Promise<void> {
    try {
      for await (const batch of source) {
        for (const ev of batch) {
          if (ev.method !== "account/login/completed") continue;
          const params = ev.params as LoginCompletion;
          if (typeof params?.loginId !== "string") continue;
          const waiter = this.#waiters.get(params.loginId);
          if (!waiter) {
            this.#early.set(params.loginId, params);
            continue;
          }
          this.#waiters.delete(params.loginId);
          this.#failers.delete(params.loginId);
          waiter(params);
        }
      }
    } catch (err) {
      this.#error = err;
      for (const fail of this.#failers.values()) fail(err);
      this.#waiters.clear();
      this.#failers.clear();
    }
  }
}

/**
 * Options of {@link LoginHandle.wait}.
 *
 * @example
 * ```ts
 * import type { LoginWaitOptions } from "./login_handle.ts";
 * const options: LoginWaitOptions = { timeoutMs: 5 * 60_000, signal: AbortSignal.timeout(600_000) };
 * console.assert(options.timeoutMs === 300_000);
 * ```
 */
export interface LoginWaitOptions {
  /** Stops waiting with `AbortError` (the login itself goes on; call `cancel()` to end it). */
  signal?: AbortSignal;
  /** Stops waiting with `TimeoutError` after this many ms (default: no limit). */
  timeoutMs?: number;
}

/**
 * A ChatGPT login in progress (browser or device code). Show the user its URL (and code), then
 * `await wait()`; `cancel()` ends it, and `wait()` then resolves with `success: false`.
 *
 * @example Start a login, give up on it, and see `wait()` report it
 * ```ts
 * import { Codex } from "../../mod.ts";
 * import { writeCodexHome } from "../testing/mod.ts";
 * await using home = await writeCodexHome({ modelServerUrl: "http://127.0.0.1:9/v1" });
 * await using codex = await Codex.connect({ codexHome: home.dir });
 * const login = await codex.loginChatgpt();
 * if (!login.authUrl.startsWith("https://")) throw new Error(login.authUrl); // show it to the user
 * await login.cancel(); // this user gives up
 * const { success } = await login.wait();
 * if (success) throw new Error("a cancelled login does not succeed");
 * ```
 */
export class LoginHandle {
  /** The server's id of this login. */
  readonly loginId: string;
  readonly #conn: CodexConnection;
  readonly #completion: Promise<LoginCompletion>;

  /** @internal Created by `Codex.loginChatgpt()` / `loginChatgptDeviceCode()`. */
  constructor(conn: CodexConnection, loginId: string, completion: Promise<LoginCompletion>) {
    this.#conn = conn;
    this.loginId = loginId;
    this.#completion = completion;
    completion.catch(() => {}); // observed through wait()
  }

  /** Waits for the login to complete; `success` tells whether it worked. */
  async wait(options: LoginWaitOptions = {}): Promise<LoginCompletion> {
    const wait = new Deadline<LoginCompletion>(`login ${this.loginId}`, options);
    this.#completion.then((c) => wait.resolve(c), (err) => wait.reject(err));
    return await wait.promise;
  }

  /** Cancels the login (`account/login/cancel`); returns the server's status. */
  async cancel(options?: CallOptions): Promise<RequestResult<"account/login/cancel">["status"]> {
    const result = await this.#conn.request(
      "account/login/cancel",
      { loginId: this.loginId },
      options,
    ) as RequestResult<"account/login/cancel">;
    return result.status;
  }
}

/**
 * A browser login: open {@link ChatgptLoginHandle.authUrl}, then `wait()`.
 *
 * @example A wait bounded by a timeout (the login goes on)
 * ```ts
 * import { Codex } from "../../mod.ts";
 * import { writeCodexHome } from "../testing/mod.ts";
 * await using home = await writeCodexHome({ modelServerUrl: "http://127.0.0.1:9/v1" });
 * await using codex = await Codex.connect({ codexHome: home.dir });
 * const login = await codex.loginChatgpt();
 * const waited = await login.wait({ timeoutMs: 50 }).catch((err) => err);
 * if (waited.code !== "TIMEOUT") throw new Error("nobody logged in within 50 ms");
 * await login.cancel(); // the login went on after the wait gave up
 * ```
 */
export class ChatgptLoginHandle extends LoginHandle {
  /** The URL to open in a browser. */
  readonly authUrl: string;

  /** @internal Created by `Codex.loginChatgpt()`. */
  constructor(
    conn: CodexConnection,
    info: { loginId: string; authUrl: string },
    completion: Promise<LoginCompletion>,
  ) {
    super(conn, info.loginId, completion);
    this.authUrl = info.authUrl;
  }
}

/**
 * A device-code login: the user opens {@link DeviceCodeLoginHandle.verificationUrl} on any device
 * and enters {@link DeviceCodeLoginHandle.userCode}; then `wait()` resolves.
 *
 * @example A login for a device without a browser (it reaches OpenAI, so it is only defined here)
 * ```ts
 * import type { Codex } from "../../mod.ts";
 * async function logInFromAnotherDevice(codex: Codex): Promise<boolean> {
 *   const login = await codex.loginChatgptDeviceCode();
 *   console.log(`Open ${login.verificationUrl} and enter ${login.userCode}`);
 *   const { success } = await login.wait({ timeoutMs: 15 * 60_000 });
 *   return success;
 * }
 * ```
 */
export class DeviceCodeLoginHandle extends LoginHandle {
  /** The URL the user opens. */
  readonly verificationUrl: string;
  /** The one-time code the user enters there. */
  readonly userCode: string;

  /** @internal Created by `Codex.loginChatgptDeviceCode()`. */
  constructor(
    conn: CodexConnection,
    info: { loginId: string; verificationUrl: string; userCode: string },
    completion: Promise<LoginCompletion>,
  ) {
    super(conn, info.loginId, completion);
    this.verificationUrl = info.verificationUrl;
    this.userCode = info.userCode;
  }
}
