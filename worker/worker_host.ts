import * as Comlink from "comlink";
import { CodexClient } from "../src/client/codex_client.ts";
import type { SerializableConnectOptions } from "../src/client/connect_options.ts";
import { errorToWire, type WireError } from "../src/errors/wire.ts";
import type { InitializeResponse } from "../src/protocol/mod.ts";
import type { CodexEvent, ServerRequestEvent } from "../src/core/events.ts";
import type { RouterStats } from "../src/core/router_stats.ts";
import type { MessageEndpoint } from "../src/runtime/runtime.ts";
import type { Transport } from "../src/transport/transport.ts";
import { transportFromSpec } from "../src/transport/transport_spec.ts";
import type { EventChannel } from "../src/util/event_channel.ts";
import { installErrorTransfer } from "./error_transfer.ts";
import { channelToPort } from "./port_channel.ts";
import type { EarlyStart } from "./worker_boot.ts";

/** The main thread's server-request callback, as the Worker sees it. */
export type RemoteServerRequestHandler = (
  event: ServerRequestEvent,
) => Promise<{ result: unknown } | undefined>;

/**
 * The object the Worker exposes over comlink: control calls only (a few per turn). Streams
 * leave as `MessagePort`s that carry batches (see `port_channel.ts`).
 *
 * @example
 * ```ts
 * import { WorkerHost } from "./worker_host.ts";
 * const host = new WorkerHost();
 * await host.close(); // nothing to close yet
 * ```
 */
export class WorkerHost {
  /** What the Worker started before the router was loaded, until `connect` takes it. */
  #early: (() => EarlyStart | undefined) | undefined;
  #client: CodexClient | undefined;
  /** The connect in progress: `close()` aborts it and waits until its app-server is reaped. */
  #connecting: { controller: AbortController; settled: Promise<unknown> } | undefined;
  readonly #calls = new Map<number, AbortController>();
  #batchIntervalMs: number | undefined;

  /** `early` hands over what the Worker's boot started (its app-server), once. */
  constructor(early?: () => EarlyStart | undefined) {
    this.#early = early;
  }

  /** Connects the in-Worker client; returns the `initialize` response. */
  async connect(
    options: SerializableConnectOptions,
    onClosed: (error: WireError) => void,
  ): Promise<InitializeResponse> {
    this.#batchIntervalMs = options.batchIntervalMs;
    const controller = new AbortController();
    const transport = this.#takeEarly();
    const attempt = CodexClient.connect({
      ...options,
      transport,
      worker: false,
      signal: controller.signal,
    });
    this.#connecting = { controller, settled: attempt.catch(() => {}) };
    try {
      this.#client = await attempt;
    } finally {
      this.#connecting = undefined;
    }
    this.#client.waitClosed().then((err) => onClosed(errorToWire(err)));
    return this.#client.metadata;
  }

  /** Sends a request; `callId` lets the main thread abort it. */
  async request(
    callId: number,
    method: string,
    params: unknown,
    timeoutMs: number | undefined,
    requestId?: string,
  ): Promise<unknown> {
    const controller = new AbortController();
    this.#calls.set(callId, controller);
    try {
      return await this.#requireClient().request(method, params, {
        timeoutMs,
        signal: controller.signal,
        requestId,
      });
    } finally {
      this.#calls.delete(callId);
    }
  }

  /** Aborts a call started with `callId`. */
  abort(callId: number): void {
    this.#calls.get(callId)?.abort();
  }

  /** Starts a turn; its events leave through the returned port. */
  async startTurn(
    callId: number,
    method: string,
    params: unknown,
    threadId: string,
    timeoutMs: number | undefined,
  ): Promise<{ result: unknown; turnId: string; port: MessagePort }> {
    const controller = new AbortController();
    this.#calls.set(callId, controller);
    try {
      const started = await this.#requireClient().startTurn(method, params, threadId, {
        timeoutMs,
        signal: controller.signal,
      });
      const port = channelToPort(
        started.events as EventChannel<CodexEvent>,
        this.#batchIntervalMs,
      );
      return Comlink.transfer({ result: started.result, turnId: started.turnId, port }, [port]);
    } finally {
      this.#calls.delete(callId);
    }
  }

  /** A running turn's events (see `CodexConnection.followTurn`) as a port. */
  async followTurn(threadId: string, turnId: string): Promise<MessagePort> {
    const source = await this.#requireClient().followTurn(threadId, turnId);
    const port = channelToPort(source as EventChannel<CodexEvent>, this.#batchIntervalMs);
    return Comlink.transfer(port, [port]);
  }

  /** A global-stream subscription as a port (`observe`: live events only, see `GlobalStream`). */
  async subscribe(observe = false): Promise<MessagePort> {
    const source = await this.#requireClient().subscribe({ observe });
    const port = channelToPort(source as EventChannel<CodexEvent>, this.#batchIntervalMs);
    return Comlink.transfer(port, [port]);
  }

  /** Stops routing a turn. */
  releaseTurn(turnId: string): void {
    this.#client?.releaseTurn(turnId);
  }

  /** Routes server requests to the main thread's handler. */
  async setServerRequestHandler(handler: RemoteServerRequestHandler | undefined): Promise<void> {
    await this.#requireClient().setServerRequestHandler(
      handler ? (event) => handler(event) : undefined,
    );
  }

  /** Router counters. */
  stats(): Promise<RouterStats> {
    return this.#requireClient().stats();
  }

  /**
   * Closes the connection. A connect still in progress is aborted first, and this resolves only
   * once its half-started app-server is gone (so terminating the Worker cannot orphan it).
   */
  async close(): Promise<void> {
    const connecting = this.#connecting;
    if (connecting) {
      connecting.controller.abort();
      await connecting.settled;
    }
    await this.#client?.close();
    await this.#takeEarly()?.close();
  }

  #takeEarly(): Transport | undefined {
    const early = this.#early?.();
    this.#early = undefined;
    return early && transportFromSpec(early.spec, early.spawned);
  }

  #requireClient(): CodexClient {
    if (!this.#client) throw new Error("The Worker is not connected");
    return this.#client;
  }
}

/**
 * Serves a {@link WorkerHost} over comlink on `endpoint` (the Worker's side of its channel).
 *
 * @example
 * ```ts
 * import { exposeHost } from "./worker_host.ts";
 * const { port1, port2 } = new MessageChannel();
 * exposeHost(port1);
 * port1.close();
 * port2.close();
 * ```
 */
export function exposeHost(endpoint: MessageEndpoint, early?: () => EarlyStart | undefined): void {
  installErrorTransfer();
  Comlink.expose(new WorkerHost(early), endpoint as Comlink.Endpoint);
}
