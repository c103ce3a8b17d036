import { CONNECT_DEFAULTS } from "../src/core/defaults.ts";
import * as Comlink from "comlink";
import type {
  CodexConnection,
  EventSource,
  SubscribeOptions,
  TurnStart,
} from "../src/core/connection.ts";
import type { ConnectOptions } from "../src/client/connect_options.ts";
import { transportSpec } from "../src/client/create_transport.ts";
import { AbortError, ConnectError, TransportClosedError } from "../src/errors/errors.ts";
import { errorFromWire, type WireError } from "../src/errors/wire.ts";
import type { InitializeResponse } from "../src/protocol/mod.ts";
import { runtime } from "../src/runtime/current.ts";
import type { WorkerHandle } from "../src/runtime/runtime.ts";
import type { CodexEvent, ServerRequestEvent } from "../src/core/events.ts";
import type { RouterStats } from "../src/core/router_stats.ts";
import type { ServerRequestHandler } from "../src/core/server_request_handler.ts";
import type { CallOptions } from "../src/core/call_options.ts";
import { ClosedLatch } from "../src/util/closed_latch.ts";
import { installErrorTransfer } from "./error_transfer.ts";
import { portToSource } from "./port_channel.ts";
import type { EventChannel } from "../src/util/event_channel.ts";
import { bootMessage } from "./worker_boot.ts";
import type { WorkerHost } from "./worker_host.ts";

/**
 * The main-thread side of a connection whose router runs in a Web Worker. Control calls go over
 * comlink; each stream arrives on its own `MessagePort` in batches. If the Worker dies, every
 * pending call rejects instead of hanging.
 *
 * @example The router in a Worker, over stdio
 * ```ts
 * import { WorkerConnection } from "./worker_connection.ts";
 * import { writeCodexHome } from "../src/testing/mod.ts";
 * await using home = await writeCodexHome({ modelServerUrl: "http://127.0.0.1:9/v1" });
 * const conn = await WorkerConnection.connect({ codexHome: home.dir });
 * const started = await conn.request("thread/start", {}) as { thread: { id: string } };
 * await conn.close();
 * if (!started.thread.id) throw new Error("no thread");
 * ```
 */
export class WorkerConnection implements CodexConnection {
  readonly #worker: WorkerHandle;
  readonly #host: Comlink.Remote<WorkerHost>;
  readonly #maxBuffered: number;
  readonly #dead: Promise<never>;
  #kill!: (error: Error) => void;
  readonly #crashed: Promise<never>;
  #crash!: (error: Error) => void;
  readonly #closed = new ClosedLatch<Error>();
  #metadata: InitializeResponse | undefined;
  #nextCallId = 1;
  #terminated = false;
  #closing: Promise<void> | undefined;
  /** Streams from the Worker not finished yet: a crashed Worker never ends their ports. */
  readonly #sources = new Set<EventChannel<CodexEvent>>();

  private constructor(worker: WorkerHandle, maxBuffered: number) {
    this.#worker = worker;
    this.#maxBuffered = maxBuffered;
    this.#host = Comlink.wrap<WorkerHost>(worker.endpoint as Comlink.Endpoint);
    this.#dead = new Promise<never>((_, reject) => {
      this.#kill = reject;
    });
    this.#dead.catch(() => {});
    this.#crashed = new Promise<never>((_, reject) => {
      this.#crash = reject;
    });
    this.#crashed.catch(() => {});
    worker.onError((message) => {
      const error = new TransportClosedError(`The SDK Worker failed: ${message}`);
      this.#crash(error);
      this.#onClosed(error);
      for (const source of this.#sources) source.fail(error);
      this.#sources.clear();
    });
  }

  /** Starts the Worker and connects inside it; the Worker is terminated if that fails. */
  static async connect(options: ConnectOptions): Promise<WorkerConnection> {
    installErrorTransfer();
    const interval = options.batchIntervalMs;
    if (interval !== undefined && !(interval >= 0 && interval <= 1_000)) {
      throw new RangeError(`batchIntervalMs must be between 0 and 1000 ms, got ${interval}`);
    }
    const { signal, ...serializable } = options;
    // Worked out here, so that the Worker starts the transport before it loads the router (and a
    // missing codex binary fails before any Worker starts).
    const spec = await transportSpec(serializable);
    const worker = runtime.startCodexWorker();
    worker.endpoint.postMessage(bootMessage(spec));
    const conn = new WorkerConnection(
      worker,
      options.maxBufferedEvents ?? CONNECT_DEFAULTS.maxBufferedEvents,
    );
    // On abort the Worker first aborts its own connect and reaps a half-started app-server;
    // only then is it terminated (terminating at once could orphan the child process).
    let stopping: Promise<unknown> | undefined;
    const onAbort = () => {
      stopping = Promise.race([conn.#host.close(), conn.#crashed]).catch(() => {});
      conn.#onClosed(new ConnectError("Codex.connect() was aborted"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      if (signal?.aborted) throw new ConnectError("Codex.connect() was aborted");
      conn.#metadata = await conn.#call(() =>
        conn.#host.connect(
          serializable,
          Comlink.proxy((wire: WireError) => conn.#onClosed(errorFromWire(wire))),
        )
      );
      return conn;
    } catch (err) {
      await stopping;
      await conn.#terminate();
      throw err;
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
  }

  /** True once the Worker was terminated. */
  get terminated(): boolean {
    return this.#terminated;
  }

  /** The `initialize` response. */
  get metadata(): InitializeResponse {
    return this.#metadata!;
  }

  /** Sends a request through the Worker. */
  request(method: string, params: unknown, options: CallOptions = {}): Promise<unknown> {
    return this.#withSignal(
      options,
      (callId) => this.#host.request(callId, method, params, options.timeoutMs, options.requestId),
    );
  }

  /** Starts a turn; its events arrive on a port in batches. */
  async startTurn(
    method: string,
    params: unknown,
    threadId: string,
    options: CallOptions = {},
  ): Promise<TurnStart> {
    const started = await this.#withSignal(
      options,
      (callId) => this.#host.startTurn(callId, method, params, threadId, options.timeoutMs),
    );
    return {
      result: started.result,
      turnId: started.turnId,
      events: this.#source(started.port),
    };
  }

  /** Routes a running turn's events into a new stream, on a port from the Worker. */
  async followTurn(threadId: string, turnId: string): Promise<EventSource<CodexEvent>> {
    const port = await this.#call(() => this.#host.followTurn(threadId, turnId));
    return this.#source(port);
  }

  /** Subscribes to the global stream. */
  async subscribe(options?: SubscribeOptions): Promise<EventSource<CodexEvent>> {
    const port = await this.#call(() => this.#host.subscribe(options?.observe === true));
    return this.#source(port);
  }

  /** Stops routing a turn. */
  releaseTurn(turnId: string): void {
    if (!this.#closed.closed) this.#host.releaseTurn(turnId).catch(() => {});
  }

  /** Sets the main-thread function that answers server requests. */
  async setServerRequestHandler(handler: ServerRequestHandler | undefined): Promise<void> {
    await this.#call(() =>
      this.#host.setServerRequestHandler(
        handler
          ? Comlink.proxy(async (event: ServerRequestEvent) => await handler(event))
          : undefined,
      )
    );
  }

  /** Resolves when the connection ends. */
  waitClosed(): Promise<Error> {
    return this.#closed.wait();
  }

  /** Router counters from inside the Worker. */
  stats(): Promise<RouterStats> {
    return this.#call(() => this.#host.stats());
  }

  /** Closes the connection and terminates the Worker. */
  close(): Promise<void> {
    // One close for all callers: a second concurrent close() would otherwise wait for a
    // comlink answer from a Worker the first one has terminated, and hang.
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    if (this.#terminated) return;
    try {
      // Wait for the Worker to close its connection (and reap the app-server), unless the
      // Worker itself is gone.
      await Promise.race([this.#host.close(), this.#crashed]);
    } catch { /* the Worker is gone already */ }
    this.#onClosed(new TransportClosedError("The connection was closed by the client"));
    await this.#terminate();
  }

  /** A stream from a port of the Worker, failed with the Worker if it crashes first. */
  #source(port: MessagePort): EventSource<CodexEvent> {
    const source: EventChannel<CodexEvent> = portToSource<CodexEvent>(
      port,
      this.#maxBuffered,
      () => this.#sources.delete(source),
    );
    if (this.#closed.error) source.fail(this.#closed.error);
    else this.#sources.add(source);
    return source;
  }

  #call<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#closed.error) return Promise.reject(this.#closed.error);
    return Promise.race([fn(), this.#dead]);
  }

  #withSignal<T>(options: CallOptions, fn: (callId: number) => Promise<T>): Promise<T> {
    const callId = this.#nextCallId++;
    const signal = options.signal;
    if (!signal) return this.#call(() => fn(callId));
    if (signal.aborted) return Promise.reject(new AbortError("the call"));
    const onAbort = () => this.#host.abort(callId).catch(() => {});
    signal.addEventListener("abort", onAbort, { once: true });
    return this.#call(() => fn(callId)).finally(() => signal.removeEventListener("abort", onAbort));
  }

  #onClosed(error: Error): void {
    if (!this.#closed.close(error)) return;
    this.#kill(error);
  }

  async #terminate(): Promise<void> {
    if (this.#terminated) return;
    this.#terminated = true;
    this.#host[Comlink.releaseProxy]();
    this.#worker.terminate();
    await Promise.resolve();
  }
}
