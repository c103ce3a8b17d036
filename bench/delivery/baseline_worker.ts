/**
 * Worker for the delivery baselines of benchmark 1. It reads the same fake app-server's stdout
 * as the SDK does (line split + `JSON.parse`), then hands events to the main thread either
 *
 * - `naive`: one comlink call per event (the main thread awaits `next()` for each), or
 * - `raw`: a bare `MessagePort` posting arrays, flushed at the microtask checkpoint, ≤512 each
 *   (the ceiling: no routing, no classification, no channel).
 *
 * @module
 */
/// <reference lib="deno.worker" />

import * as Comlink from "comlink";
import { LineBuffer } from "../../src/transport/line_splitter.ts";

const MAX_BATCH = 512;

/** What the baseline worker exposes over comlink. */
export class BaselineHost {
  #child: Deno.ChildProcess | undefined;
  #writer: WritableStreamDefaultWriter<Uint8Array> | undefined;
  #queue: unknown[] = [];
  #head = 0;
  #waiter: (() => void) | undefined;
  #port: MessagePort | undefined;
  #pending: unknown[] = [];
  #flushQueued = false;
  #mode: "naive" | "raw" = "raw";
  #nextId = 1;

  /** Spawns the fake app-server; returns the port raw batches arrive on (raw mode). */
  open(mode: "naive" | "raw", command: string): MessagePort | undefined {
    this.#mode = mode;
    this.#child = new Deno.Command(command, {
      args: ["app-server"],
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    this.#writer = this.#child.stdin.getWriter();
    this.#read(this.#child);
    if (mode === "naive") return undefined;
    const { port1, port2 } = new MessageChannel();
    this.#port = port1;
    return Comlink.transfer(port2, [port2]);
  }

  /** Sends `turn/start` with `input` (the fake server streams what it says). */
  async startTurn(input: string): Promise<void> {
    const msg = {
      id: this.#nextId++,
      method: "turn/start",
      params: { threadId: "thread-b", input: [{ type: "text", text: input, text_elements: [] }] },
    };
    await this.#writer!.write(new TextEncoder().encode(JSON.stringify(msg) + "\n"));
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

  /** Stops the fake server. */
  async close(): Promise<void> {
    this.#port?.close();
    await this.#writer?.close().catch(() => {});
    await this.#child?.status;
  }

  async #read(child: Deno.ChildProcess): Promise<void> {
    const lines = new LineBuffer();
    for await (const text of child.stdout.pipeThrough(new TextDecoderStream())) {
      for (const l of lines.push(text)) if (l.length > 0) this.#deliver(JSON.parse(l));
    }
  }

  #deliver(message: { id?: unknown }): void {
    if (message.id !== undefined) return; // the turn/start response
    if (this.#mode === "naive") {
      this.#queue.push(message);
      const w = this.#waiter;
      this.#waiter = undefined;
      w?.();
      return;
    }
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
    for (let i = 0; i < all.length; i += MAX_BATCH) {
      this.#port!.postMessage(all.slice(i, i + MAX_BATCH));
    }
  }
}

Comlink.expose(new BaselineHost());
