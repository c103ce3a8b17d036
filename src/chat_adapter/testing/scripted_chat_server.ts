/**
 * {@link ScriptedChatServer}: an offline OpenAI Chat Completions server on 127.0.0.1 that answers
 * from a script and records what it was sent, standing in for llama.cpp, vLLM or Ollama.
 *
 * @module
 */

import { runtime } from "../../runtime/current.ts";
import type { HttpServer } from "../../runtime/runtime.ts";
import type { ChatCompletionsRequest } from "../chat_types.ts";
import type {
  ChatReply,
  ChatReplyFactory,
  ChatScriptStep,
  RecordedChatRequest,
} from "./chat_script.ts";

/**
 * Options of {@link ScriptedChatServer.start}.
 *
 * @example
 * ```ts
 * import { chatReply, type ScriptedChatServerOptions } from "./mod.ts";
 * const options: ScriptedChatServerOptions = { script: [chatReply.text("hi")] };
 * console.assert(options.script?.length === 1);
 * ```
 */
export interface ScriptedChatServerOptions {
  /** Port on 127.0.0.1. Default 0 (any free port). */
  readonly port?: number;
  /** Replies queued before the first request. */
  readonly script?: readonly ChatScriptStep[];
  /** Reply used when the queue is empty. Default: HTTP 500 saying the script ran out. */
  readonly fallback?: ChatReplyFactory;
}

const encoder = new TextEncoder();

/**
 * A scripted Chat Completions server. `POST …/chat/completions` takes the next queued reply (or
 * the fallback) and streams it as SSE (`data: {…}` events, then `data: [DONE]`); every request
 * is recorded in {@link ScriptedChatServer.requests}.
 *
 * @example Answer one request
 * ```ts
 * import { chatReply, ScriptedChatServer } from "./mod.ts";
 * await using server = await ScriptedChatServer.start({ script: [chatReply.text("hi")] });
 * const response = await fetch(`${server.url}/chat/completions`, {
 *   method: "POST",
 *   body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "hello" }] }),
 * });
 * const sse = await response.text();
 * console.assert(sse.includes('"content":"hi"') && sse.endsWith("data: [DONE]\n\n"));
 * console.assert(server.requests[0].body.messages[0].role === "user");
 * ```
 */
export class ScriptedChatServer implements AsyncDisposable {
  /** Every chat completions request, in arrival order. */
  readonly requests: RecordedChatRequest[] = [];
  /** Reply used when the queue is empty. May be replaced at any time. */
  fallback: ChatReplyFactory;

  #server!: HttpServer;
  readonly #queue: ChatScriptStep[] = [];
  #closing: Promise<void> | undefined;

  private constructor(options: ScriptedChatServerOptions) {
    this.fallback = options.fallback ?? scriptRanOut;
    this.#queue.push(...(options.script ?? []));
  }

  /** Base URL ending in `/v1`, as a Chat Completions client expects it. */
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
   * @throws {Error} if `port` is taken.
   *
   * @example
   * ```ts
   * import { ScriptedChatServer } from "./mod.ts";
   * const server = await ScriptedChatServer.start();
   * console.assert(server.url.endsWith("/v1"));
   * await server.close();
   * ```
   */
  static async start(options: ScriptedChatServerOptions = {}): Promise<ScriptedChatServer> {
    const self = new ScriptedChatServer(options);
    self.#server = await runtime.serve({ port: options.port }, (request) => self.#handle(request));
    return self;
  }

  /**
   * Queues replies; each request takes the next one in order.
   *
   * @example
   * ```ts
   * import { chatReply, ScriptedChatServer } from "./mod.ts";
   * await using server = await ScriptedChatServer.start();
   * server.enqueue(chatReply.toolCall({ id: "call_1", name: "exec_command", arguments: "{}" }));
   * server.enqueue((request) => chatReply.text(`request ${request.index}`));
   * console.assert(server.pending === 2);
   * ```
   */
  enqueue(...steps: ChatScriptStep[]): void {
    this.#queue.push(...steps);
  }

  /**
   * Number of queued replies not yet used.
   *
   * @example
   * ```ts
   * import { chatReply, ScriptedChatServer } from "./mod.ts";
   * await using server = await ScriptedChatServer.start({ script: [chatReply.text("a")] });
   * console.assert(server.pending === 1);
   * ```
   */
  get pending(): number {
    return this.#queue.length;
  }

  /**
   * Drops the queued replies (after a failed test, so the next one starts clean).
   *
   * @returns How many were dropped.
   *
   * @example
   * ```ts
   * import { chatReply, ScriptedChatServer } from "./mod.ts";
   * await using server = await ScriptedChatServer.start({ script: [chatReply.text("a")] });
   * console.assert(server.clear() === 1 && server.pending === 0);
   * ```
   */
  clear(): number {
    return this.#queue.splice(0).length;
  }

  /**
   * Stops listening and waits until the answers in flight are over. Safe to call twice.
   *
   * @example
   * ```ts
   * import { ScriptedChatServer } from "./mod.ts";
   * const server = await ScriptedChatServer.start();
   * await server.close();
   * ```
   */
  close(): Promise<void> {
    this.#closing ??= this.#server.shutdown();
    return this.#closing;
  }

  /**
   * Same as {@link ScriptedChatServer.close}, for `await using`.
   *
   * @example
   * ```ts
   * import { ScriptedChatServer } from "./mod.ts";
   * {
   *   await using _server = await ScriptedChatServer.start();
   * } // closed here
   * ```
   */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #handle(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname;
    if (request.method !== "POST" || !path.endsWith("/chat/completions")) {
      await request.body?.cancel();
      return new Response(`No scripted route for ${request.method} ${path}`, { status: 404 });
    }
    let body: ChatCompletionsRequest;
    try {
      body = await request.json();
    } catch {
      return new Response("The request body is not JSON", { status: 400 });
    }
    const recorded: RecordedChatRequest = {
      index: this.requests.length,
      path,
      headers: Object.fromEntries(request.headers),
      body,
    };
    this.requests.push(recorded);
    const step = this.#queue.shift() ?? this.fallback;
    const reply = typeof step === "function" ? await step(recorded) : step;
    return toResponse(reply);
  }
}

function scriptRanOut(request: RecordedChatRequest): ChatReply {
  return {
    kind: "http",
    status: 500,
    body: JSON.stringify({
      error: { message: `No scripted reply left for request ${request.index}` },
    }),
  };
}

function toResponse(reply: ChatReply): Response {
  if (reply.kind === "http") {
    return new Response(reply.body, {
      status: reply.status,
      headers: { "content-type": "application/json" },
    });
  }
  const end = reply.end ?? "done";
  const payloads = [...reply.events, ...(end === "done" ? ["[DONE]"] : [])].map((event) =>
    `data: ${typeof event === "string" ? event : JSON.stringify(event)}\n\n`
  );
  const writes = reply.splitEvery === undefined
    ? payloads
    : cut(payloads.join(""), Math.max(1, reply.splitEvery));
  // One write per pull, and a turn of the event loop before the next: writes queued together
  // leave as one piece, and the client would never see an event (or a JSON text) cut in two.
  let next = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (next > 0) await new Promise((resolve) => setTimeout(resolve, 0));
      if (next < writes.length) controller.enqueue(encoder.encode(writes[next++]));
      else if (end === "reset") controller.error(new Error("the scripted server broke off"));
      else controller.close();
    },
  }, { highWaterMark: 0 });
  return new Response(body, {
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
  });
}

function cut(text: string, size: number): string[] {
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  return pieces;
}
