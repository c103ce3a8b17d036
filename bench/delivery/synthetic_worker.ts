/**
 * Worker of the synthetic delivery benchmark (Deno and Chromium). The same synthetic source
 * (`synthetic_source.ts`) feeds one of three delivery paths:
 *
 * - `sdk`: the real code — `MessageRouter` over a `MemoryTransport` (the source plays the
 *   app-server through `peer.sendRaw`), the turn's stream leaving through
 *   `worker/port_channel.ts`'s `channelToPort`, as `WorkerHost.startTurn` does;
 * - `raw`: the ceiling — `JSON.parse` each line, post arrays (≤512) on a bare `MessagePort`,
 *   flushed at the microtask checkpoint;
 * - `naive`: `JSON.parse` each line into a queue the main thread pulls with one comlink call
 *   per event.
 *
 * @module
 */

import * as Comlink from "comlink";
import { MessageRouter } from "../../src/router/message_router.ts";
import { MemoryTransport } from "../../src/transport/memory_transport.ts";
import { channelToPort, MIN_POST_INTERVAL_MS } from "../../worker/port_channel.ts";
import {
  nextMacrotask,
  produceTurn,
  type SourceShape,
  SYNTHETIC_THREAD,
  turnStartResult,
} from "./synthetic_source.ts";

/** A delivery path. */
export type SyntheticMode = "sdk" | "raw" | "naive";

const MAX_RAW_BATCH = 512;

/**
 * What the synthetic Worker exposes over comlink.
 *
 * @example
 * ```ts ignore
 * import * as Comlink from "comlink";
 * import type { SyntheticHost } from "./synthetic_worker.ts";
 * const host = Comlink.wrap<SyntheticHost>(worker);
 * await host.open("sdk", 4);
 * ```
 */
export class SyntheticHost {
  #mode: SyntheticMode = "sdk";
  #interval = MIN_POST_INTERVAL_MS;
  #transport: MemoryTransport | undefined;
  #router: MessageRouter | undefined;
  #rawPort: MessagePort | undefined;
  #pending: unknown[] = [];
  #flushQueued = false;
  #queue: unknown[] = [];
  #head = 0;
  #waiter: (() => void) | undefined;
  #turnSeq = 0;

  /**
   * Opens a path. `minPostIntervalMs` is passed to `channelToPort` (sdk only). Returns the port
   * raw batches arrive on (raw only).
   */
  async open(mode: SyntheticMode, minPostIntervalMs: number): Promise<MessagePort | undefined> {
    this.#mode = mode;
    this.#interval = minPostIntervalMs;
    if (mode === "sdk") {
      const transport = new MemoryTransport();
      transport.peer.onMessage = (m) => {
        if (m.method === "turn/start") {
          transport.peer.send({ id: m.id, result: turnStartResult(`turn-${this.#turnSeq}`) });
        }
      };
      this.#transport = transport;
      this.#router = new MessageRouter(transport, { maxBufferedEvents: 1_000_000 });
      await this.#router.start();
      return undefined;
    }
    if (mode === "naive") return undefined;
    const { port1, port2 } = new MessageChannel();
    this.#rawPort = port1;
    return Comlink.transfer(port2, [port2]);
  }

  /** This thread's clock (`timeOrigin + now()`), for the main thread's offset estimate. */
  clock(): number {
    return performance.timeOrigin + performance.now();
  }

  /**
   * Starts one turn of `shape`; the source begins one macrotask after this call returns. In sdk
   * mode the turn's events leave on the returned port, as `WorkerHost.startTurn` returns them.
   */
  async turn(shape: SourceShape): Promise<{ turnId: string; port?: MessagePort }> {
    const turnId = `turn-${++this.#turnSeq}`;
    if (this.#mode === "sdk") {
      const started = await this.#router!.startTurn(
        "turn/start",
        { threadId: SYNTHETIC_THREAD, input: [] },
        SYNTHETIC_THREAD,
      );
      const port = channelToPort(started.events, this.#interval);
      const peer = this.#transport!.peer;
      this.#produce(turnId, shape, (line) => peer.sendRaw(line));
      return Comlink.transfer({ turnId: started.turnId, port }, [port]);
    }
    if (this.#mode === "raw") {
      this.#produce(turnId, shape, (line) => this.#deliverRaw(JSON.parse(line)));
    } else {
      this.#produce(turnId, shape, (line) => this.#deliverNaive(JSON.parse(line)));
    }
    return { turnId };
  }

  /** Naive mode: the next event (one call per event). */
  async next(): Promise<unknown> {
    while (this.#head >= this.#queue.length) {
      await new Promise<void>((resolve) => this.#waiter = resolve);
    }
    const ev = this.#queue[this.#head++];
    if (this.#head > 4096 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    return ev;
  }

  /** Closes the path. */
  async close(): Promise<void> {
    this.#rawPort?.close();
    await this.#router?.close();
  }

  #produce(turnId: string, shape: SourceShape, sink: (line: string) => void): void {
    nextMacrotask().then(() => produceTurn(turnId, shape, sink));
  }

  #deliverNaive(message: unknown): void {
    this.#queue.push(message);
    const w = this.#waiter;
    this.#waiter = undefined;
    w?.();
  }

  #deliverRaw(message: unknown): void {
    this.#pending.push(message);
    if (!this.#flushQueued) {
      this.#flushQueued = true;
      queueMicrotask(() => this.#flush());
    }
  }

  #flush(): void {
    this.#flushQueued = false;
    const all = this.#pending;
    this.#pending = [];
    for (let i = 0; i < all.length; i += MAX_RAW_BATCH) {
      this.#rawPort!.postMessage(all.slice(i, i + MAX_RAW_BATCH));
    }
  }
}

Comlink.expose(new SyntheticHost());
