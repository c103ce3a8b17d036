/**
 * {@link ResponsesModelServer}: a scripted stand-in for the OpenAI Responses API on 127.0.0.1,
 * for running the real `codex app-server` offline in tests.
 *
 * @module
 */

import { runtime } from "../runtime/current.ts";
import type { HttpServer } from "../runtime/runtime.ts";
import {
  echoReply,
  encodeSseEvent,
  type ModelRequest,
  type Reply,
  type ReplyFactory,
  type ResponsesRequestBody,
  type ScriptStep,
  type StreamReply,
} from "./model_script.ts";

/**
 * Options of {@link ResponsesModelServer.start}.
 *
 * @example
 * ```ts
 * import { reply, ResponsesModelServer, type ResponsesModelServerOptions } from "./mod.ts";
 * const options: ResponsesModelServerOptions = { fallback: () => reply.text("always this") };
 * await using server = await ResponsesModelServer.start(options);
 * ```
 */
export interface ResponsesModelServerOptions {
  /** Port on 127.0.0.1. Default 0 (any free port). */
  readonly port?: number;
  /** Replies queued before the first request. */
  readonly script?: readonly ScriptStep[];
  /** Reply used when the queue is empty. Default {@link echoReply}. */
  readonly fallback?: ReplyFactory;
}

interface Waiter {
  readonly count: number;
  readonly resolve: (requests: ModelRequest[]) => void;
  readonly reject: (error: Error) => void;
}

const encoder = new TextEncoder();

/**
 * A scripted OpenAI Responses API server (SSE) on 127.0.0.1. Every `POST /v1/responses` is
 * recorded in {@link ResponsesModelServer.requests} and answered with the next queued reply, or
 * with the fallback when the queue is empty. Point codex at it with `writeCodexHome()` or
 * `offlineConfig()`.
 *
 * @example A scripted turn
 * ```ts
 * import { reply, ResponsesModelServer } from "./mod.ts";
 * await using server = await ResponsesModelServer.start();
 * server.enqueue(reply.text("hello world"));
 * const response = await fetch(`${server.url}/responses`, {
 *   method: "POST",
 *   body: JSON.stringify({ model: "m", input: [], stream: true }),
 * });
 * const sse = await response.text();
 * if (!sse.includes('"delta":"hel"')) throw new Error("unexpected");
 * ```
 */
export class ResponsesModelServer implements AsyncDisposable {
  /** Every `POST /v1/responses`, in arrival order. */
  readonly requests: ModelRequest[] = [];
  /** Reply used when the queue is empty. May be replaced at any time. */
  fallback: ReplyFactory;

  #server!: HttpServer;
  #queue: ScriptStep[] = [];
  #waiters: Waiter[] = [];
  #streams = new Set<AbortController>();
  #closed = false;
  #closing: Promise<void> | undefined;

  private constructor(options: ResponsesModelServerOptions) {
    this.fallback = options.fallback ?? echoReply;
    this.#queue.push(...(options.script ?? []));
  }

  /** Base URL including `/v1`, e.g. `http://127.0.0.1:40123/v1` (codex's provider `base_url`). */
  get url(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  /** The port the server listens on. */
  get port(): number {
    return this.#server.port;
  }

  /**
   * Starts a server on 127.0.0.1.
   *
   * @example
   * ```ts
   * import { ResponsesModelServer } from "./mod.ts";
   * const server = await ResponsesModelServer.start({ port: 0 });
   * if (!server.url.endsWith("/v1")) throw new Error("unexpected");
   * await server.close();
   * ```
   */
  static async start(options: ResponsesModelServerOptions = {}): Promise<ResponsesModelServer> {
    const self = new ResponsesModelServer(options);
    self.#server = await runtime.serve({ port: options.port }, (request) => self.#handle(request));
    return self;
  }

  /**
   * Queues replies; each request takes the next one in order.
   *
   * @example
   * ```ts
   * import { reply, ResponsesModelServer } from "./mod.ts";
   * await using server = await ResponsesModelServer.start();
   * server.enqueue(reply.functionCall({ name: "exec_command", arguments: { cmd: "ls" } }));
   * server.enqueue((request) => reply.text(`seen ${request.index} requests before`));
   * ```
   */
  enqueue(...replies: ScriptStep[]): void {
    this.#queue.push(...replies);
  }

  /**
   * Number of queued replies not yet used; 0 at the end of a test means the script ran out.
   *
   * @example
   * ```ts
   * import { reply, ResponsesModelServer } from "./mod.ts";
   * await using server = await ResponsesModelServer.start({ script: [reply.text("a")] });
   * if (server.pending !== 1) throw new Error("unexpected");
   * ```
   */
  get pending(): number {
    return this.#queue.length;
  }

  /**
   * Resolves with the recorded requests once at least `count` have arrived. Rejects if the server
   * closes first.
   *
   * @example
   * ```ts
   * import { ResponsesModelServer } from "./mod.ts";
   * await using server = await ResponsesModelServer.start();
   * const seen = server.waitForRequests(1);
   * await (await fetch(`${server.url}/responses`, { method: "POST", body: "{}" })).text();
   * const [first] = await seen;
   * if (first?.index !== 0) throw new Error("unexpected");
   * ```
   */
  waitForRequests(count: number): Promise<ModelRequest[]> {
    if (this.requests.length >= count) return Promise.resolve([...this.requests]);
    if (this.#closed) {
      return Promise.reject(new Error("Cannot wait for requests: server is closed"));
    }
    const waiting = new Promise<ModelRequest[]>((resolve, reject) =>
      this.#waiters.push({ count, resolve, reject })
    );
    // Closing rejects it; a caller that never awaits it must not get an unhandled rejection.
    waiting.catch(() => {});
    return waiting;
  }

  /**
   * Ends every open stream (including hanging ones), stops listening and waits until the server
   * has finished. Safe to call more than once.
   *
   * @example
   * ```ts
   * import { ResponsesModelServer } from "./mod.ts";
   * const server = await ResponsesModelServer.start();
   * await server.close();
   * ```
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  /**
   * Same as {@link ResponsesModelServer.close}, for `await using`.
   *
   * @example
   * ```ts
   * import { ResponsesModelServer } from "./mod.ts";
   * {
   *   await using _server = await ResponsesModelServer.start();
   * } // closed here
   * ```
   */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #close(): Promise<void> {
    this.#closed = true;
    for (const stream of this.#streams) stream.abort();
    this.#streams.clear();
    const waiters = this.#waiters.splice(0);
    for (const waiter of waiters) {
      waiter.reject(
        new Error(`Server closed after ${this.requests.length} of ${waiter.count} requests`),
      );
    }
    await this.#server.shutdown();
  }

  async #handle(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (request.method !== "POST" || pathname !== "/v1/responses") {
      await request.body?.cancel();
      return new Response(`no mock route for ${request.method} ${pathname}`, { status: 404 });
    }
    const text = await request.text();
    let body: ResponsesRequestBody;
    try {
      body = text === "" ? {} : JSON.parse(text);
    } catch {
      return new Response("request body is not JSON", { status: 400 });
    }
    const recorded: ModelRequest = {
      index: this.requests.length,
      body,
      headers: Object.fromEntries(request.headers),
    };
    this.requests.push(recorded);
    this.#notifyWaiters();

    const step = this.#queue.shift() ?? this.fallback;
    let answer: Reply;
    try {
      answer = typeof step === "function" ? await step(recorded) : step;
    } catch (error) {
      return new Response(`mock reply factory threw: ${error}`, { status: 500 });
    }
    if (answer.kind === "http") {
      return new Response(answer.body, { status: answer.status, headers: answer.headers });
    }
    return new Response(this.#stream(answer), {
      headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
    });
  }

  #notifyWaiters(): void {
    const ready = this.#waiters.filter((waiter) => this.requests.length >= waiter.count);
    if (ready.length === 0) return;
    this.#waiters = this.#waiters.filter((waiter) => !ready.includes(waiter));
    for (const waiter of ready) waiter.resolve([...this.requests]);
  }

  /** The body of a streamed reply; ends on completion, client disconnect or server close. */
  #stream(answer: StreamReply): ReadableStream<Uint8Array> {
    // One way to end: abort. A client disconnect cancels the body stream (`request.signal` is not
    // used: Deno also aborts it after every successful response, and warns).
    const abort = new AbortController();
    const { signal } = abort;
    return new ReadableStream<Uint8Array>({
      start: (controller) => {
        const end = () => {
          this.#streams.delete(abort);
          try {
            controller.close();
          } catch {
            // already cancelled by the client
          }
        };
        if (this.#closed) return end();
        this.#streams.add(abort);
        signal.addEventListener("abort", end, { once: true });
        (async () => {
          for (const [i, event] of answer.events.entries()) {
            if (i > 0 && answer.delayMs && i % (answer.eventsPerDelay ?? 1) === 0) {
              await delay(answer.delayMs, signal);
            }
            if (signal.aborted) return;
            controller.enqueue(encoder.encode(encodeSseEvent(event)));
          }
          if (!answer.hang) abort.abort();
        })();
      },
      cancel: () => abort.abort(),
    });
  }
}

/** Resolves after `ms`, or at once when `signal` aborts (the timer is cleared, never leaked). */
function delay(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
