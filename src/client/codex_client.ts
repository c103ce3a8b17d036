import { ConnectError, TransportClosedError } from "../errors/errors.ts";
import type { InitializeResponse } from "../protocol/mod.ts";
import type { CodexEvent } from "../core/events.ts";
import { MessageRouter } from "../router/message_router.ts";
import type { RouterStats } from "../core/router_stats.ts";
import type { ServerRequestHandler } from "../core/server_request_handler.ts";
import type { CallOptions } from "../core/call_options.ts";
import type { Transport } from "../transport/transport.ts";
import type {
  CodexConnection,
  EventSource,
  SubscribeOptions,
  TurnStart,
} from "../core/connection.ts";
import type { InProcessConnectOptions } from "./connect_options.ts";
import { createTransport } from "./create_transport.ts";
import { initializeConnection } from "./initialize.ts";

/**
 * The in-process connection: transport + router + handshake. `Codex.connect({ worker: false })`
 * uses it directly; with `worker: true` it runs inside the Web Worker.
 *
 * @example Connect in-process, call a method, close
 * ```ts
 * import { CodexClient } from "./codex_client.ts";
 * import { writeCodexHome } from "../testing/mod.ts";
 * await using home = await writeCodexHome({ modelServerUrl: "http://127.0.0.1:9/v1" });
 * const client = await CodexClient.connect({ codexHome: home.dir });
 * const models = await client.request("model/list", {}) as { data: unknown[] };
 * await client.close();
 * if (models.data.length === 0) throw new Error("the bundled catalog lists models");
 * ```
 */
export class CodexClient implements CodexConnection {
  readonly #router: MessageRouter;
  readonly #transport: Transport;
  #metadata: InitializeResponse | undefined;

  private constructor(transport: Transport, router: MessageRouter) {
    this.#transport = transport;
    this.#router = router;
  }

  /** Connects, initializes and returns a ready client; cleans everything up on failure. */
  static async connect(options: InProcessConnectOptions = {}): Promise<CodexClient> {
    if (options.signal?.aborted) throw new ConnectError("Codex.connect() was aborted");
    const transport = options.transport ?? await createTransport(options);
    const { requestTimeoutMs, maxInFlight, maxBufferedEvents } = options;
    const router = new MessageRouter(transport, {
      requestTimeoutMs,
      maxInFlight,
      maxBufferedEvents,
    });
    const client = new CodexClient(transport, router);
    try {
      await router.start();
      client.#metadata = await initializeConnection(router, options);
      return client;
    } catch (err) {
      await router.close().catch(() => {});
      if (err instanceof ConnectError) throw err;
      const tail = transport.stderrTail();
      const reason = err instanceof Error ? err.message : String(err);
      const message = err instanceof TransportClosedError
        ? reason
        : `Could not connect to the app-server: ${reason}${tail ? `\n${tail}` : ""}`;
      throw new ConnectError(message, err);
    }
  }

  /** The `initialize` response. */
  get metadata(): InitializeResponse {
    return this.#metadata!;
  }

  /** The underlying transport (for tests that inject faults). */
  get transport(): Transport {
    return this.#transport;
  }

  /** Sends a request. */
  request(method: string, params: unknown, options?: CallOptions): Promise<unknown> {
    return this.#router.request(method, params, options);
  }

  /** Starts a turn and returns its stream. */
  async startTurn(
    method: string,
    params: unknown,
    threadId: string,
    options?: CallOptions,
  ): Promise<TurnStart> {
    const started = await this.#router.startTurn(method, params, threadId, options);
    return { result: started.result, turnId: started.turnId, events: started.events };
  }

  /** Routes a running turn's events into a new stream (see `CodexConnection.followTurn`). */
  followTurn(threadId: string, turnId: string): Promise<EventSource<CodexEvent>> {
    return Promise.resolve(this.#router.followTurn(threadId, turnId));
  }

  /** Subscribes to the global stream. */
  subscribe(options?: SubscribeOptions): Promise<EventSource<CodexEvent>> {
    return Promise.resolve(this.#router.subscribe(options));
  }

  /** Stops routing a turn. */
  releaseTurn(turnId: string): void {
    this.#router.releaseTurn(turnId);
  }

  /** Sets the server-request handler. */
  setServerRequestHandler(handler: ServerRequestHandler | undefined): Promise<void> {
    this.#router.setServerRequestHandler(handler);
    return Promise.resolve();
  }

  /** Resolves when the connection ends. */
  waitClosed(): Promise<Error> {
    return this.#router.waitClosed();
  }

  /** Router counters. */
  stats(): Promise<RouterStats> {
    return Promise.resolve(this.#router.stats());
  }

  /** Closes the connection (and the spawned app-server). */
  close(): Promise<void> {
    return this.#router.close();
  }
}
