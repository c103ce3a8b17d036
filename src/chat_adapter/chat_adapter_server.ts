/**
 * {@link ChatAdapterServer}: a local Responses API endpoint (what codex speaks) in front of a
 * Chat Completions server (llama.cpp, vLLM, Ollama, LM Studio…).
 *
 * @module
 */

import { runtime } from "../runtime/current.ts";
import type { HttpServer } from "../runtime/runtime.ts";
import { type ResponsesRequest, translateRequest } from "./request_translator.ts";
import { streamResponse } from "./response_stream.ts";
import { displayUrl } from "./upstream_errors.ts";

/**
 * Where the adapter reports what it does. Messages never contain the API key.
 *
 * @example
 * ```ts
 * import type { ChatAdapterLogger } from "./chat_adapter_server.ts";
 * const lines: string[] = [];
 * const logger: ChatAdapterLogger = { warn: (m) => lines.push(m), debug: (m) => lines.push(m) };
 * logger.warn("dropped tools: web_search");
 * console.assert(lines.length === 1);
 * ```
 */
export interface ChatAdapterLogger {
  /** Dropped tools, upstream failures. */
  warn(message: string): void;
  /** One line per request. */
  debug?(message: string): void;
}

/**
 * Options of {@link ChatAdapterServer.start}.
 *
 * @example
 * ```ts
 * import type { ChatAdapterOptions } from "./chat_adapter_server.ts";
 * const options: ChatAdapterOptions = {
 *   upstreamUrl: "http://127.0.0.1:8080/v1",
 *   apiKeyEnv: "LLAMA_API_KEY",
 *   model: "qwen3-8b",
 * };
 * console.assert(options.port === undefined);
 * ```
 */
export interface ChatAdapterOptions {
  /**
   * Base URL of the Chat Completions server, such as `http://127.0.0.1:8080/v1`; the adapter
   * POSTs to `{upstreamUrl}/chat/completions` (a URL already ending in `/chat/completions` is
   * used as is).
   */
  readonly upstreamUrl: string;
  /** Name of the environment variable holding the upstream API key, read once at start. */
  readonly apiKeyEnv?: string;
  /** Port on 127.0.0.1. Default 0: any free port. */
  readonly port?: number;
  /** How long to wait for upstream headers and then for each chunk. Default 300 000 ms. */
  readonly idleTimeoutMs?: number;
  /** Upstream model name; default: the model codex asks for. */
  readonly model?: string;
  /** Default: warnings to `console.warn`, no debug output. */
  readonly logger?: ChatAdapterLogger;
}

/** Header listing the tools that were dropped from a request, comma-separated. */
export const DROPPED_TOOLS_HEADER = "x-codex-worker-dropped-tools";

const DEFAULT_IDLE_TIMEOUT_MS = 300_000;

const consoleLogger: ChatAdapterLogger = {
  warn: (message) => console.warn(`[chat_adapter] ${message}`),
};

/**
 * A running adapter on 127.0.0.1. Codex POSTs Responses requests to `{url}/responses`; each is
 * translated (see `translateRequest`), sent upstream as a streaming Chat Completions request,
 * and answered with Responses SSE. Dropped tools are listed in the {@link DROPPED_TOOLS_HEADER}
 * response header and logged (a warning the first time a given list is seen, debug after).
 * Upstream failures end the response with `response.failed`, whose message codex shows.
 *
 * @example Translate a chat stream
 * ```ts
 * import { ChatAdapterServer } from "./chat_adapter_server.ts";
 * await using upstream = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () =>
 *   new Response(
 *     'data: {"choices":[{"delta":{"content":"hi"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n',
 *     { headers: { "content-type": "text/event-stream" } },
 *   ));
 * await using adapter = await ChatAdapterServer.start({
 *   upstreamUrl: `http://127.0.0.1:${upstream.addr.port}/v1`,
 * });
 * const response = await fetch(`${adapter.url}/responses`, {
 *   method: "POST",
 *   body: JSON.stringify({ model: "m", input: [{ role: "user", content: "hello" }] }),
 * });
 * const sse = await response.text();
 * console.assert(sse.includes('"delta":"hi"') && sse.includes("event: response.completed"));
 * ```
 */
export class ChatAdapterServer {
  #server!: HttpServer;
  readonly #closing = new AbortController();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #warnedDropped = new Set<string>();
  #closed: Promise<void> | undefined;

  private constructor() {}

  /** Base URL to give codex as the provider's `base_url`, ending in `/v1`. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  /** The port the adapter listens on. */
  get port(): number {
    return this.#server.port;
  }

  /**
   * Starts an adapter.
   *
   * @throws {TypeError} if `upstreamUrl` is not an http(s) URL.
   * @throws {Error} if `apiKeyEnv` names an unset environment variable.
   */
  static async start(options: ChatAdapterOptions): Promise<ChatAdapterServer> {
    const context = handlerContext(options);
    const self = new ChatAdapterServer();
    self.#server = await runtime.serve(
      { port: options.port },
      (request) => self.#handle(request, context),
    );
    return self;
  }

  /** Stops listening, fails the responses in flight, and waits until they are over. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      this.#closing.abort();
      await Promise.all(this.#inFlight);
      await this.#server.shutdown();
    })();
    return this.#closed;
  }

  /** Same as {@link ChatAdapterServer.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #handle(request: Request, context: HandlerContext): Promise<Response> {
    const path = new URL(request.url).pathname;
    if (!path.endsWith("/responses")) return jsonError(404, `No route for ${path}`);
    if (request.method !== "POST") return jsonError(405, "Use POST");
    if (this.#closing.signal.aborted) return jsonError(503, "The chat adapter is closing");
    let body: ResponsesRequest;
    try {
      body = await request.json();
    } catch {
      return jsonError(400, "The request body is not JSON");
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      return jsonError(400, "The request body must be a JSON object");
    }
    const translated = translateRequest(body, { model: context.model });
    const { logger } = context;
    const responseId = `resp_${crypto.randomUUID().replaceAll("-", "")}`;
    logger.debug?.(
      `${responseId}: model ${translated.request.model}, ` +
        `${translated.request.messages.length} messages, ` +
        `${translated.request.tools?.length ?? 0} tools → ${displayUrl(context.endpoint)}`,
    );
    if (translated.droppedTools.length > 0) {
      // Codex offers the same tools on every request: warn once per distinct list.
      const list = translated.droppedTools.join(", ");
      const line = `${responseId}: dropped tools chat cannot express: ${list}`;
      if (this.#warnedDropped.has(list)) logger.debug?.(line);
      else {
        this.#warnedDropped.add(list);
        logger.warn(line);
      }
    }
    if (translated.droppedInputTypes.length > 0) {
      logger.debug?.(
        `${responseId}: left out input items: ${translated.droppedInputTypes.join(", ")}`,
      );
    }
    const stream = streamResponse({
      endpoint: context.endpoint,
      request: translated.request,
      responseId,
      idleTimeoutMs: context.idleTimeoutMs,
      apiKey: context.apiKey,
      namespacedTools: translated.namespacedTools,
      signal: this.#closing.signal,
      onFailure: (code, message) => {
        const line = `${responseId}: response failed (${code}): ${message}`;
        if (code === "adapter_closed") logger.debug?.(line);
        else logger.warn(line);
      },
    });
    this.#inFlight.add(stream.done);
    stream.done.then(() => this.#inFlight.delete(stream.done));
    const headers = new Headers({
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
    });
    if (translated.droppedTools.length > 0) {
      headers.set(DROPPED_TOOLS_HEADER, translated.droppedTools.join(","));
    }
    return new Response(stream.body, { headers });
  }
}

interface HandlerContext {
  readonly endpoint: string;
  readonly apiKey: string | undefined;
  readonly logger: ChatAdapterLogger;
  readonly idleTimeoutMs: number;
  readonly model: string | undefined;
}

function handlerContext(options: ChatAdapterOptions): HandlerContext {
  const endpoint = chatCompletionsEndpoint(options.upstreamUrl);
  let apiKey: string | undefined;
  if (options.apiKeyEnv !== undefined) {
    apiKey = runtime.env(options.apiKeyEnv);
    if (!apiKey) {
      throw new Error(
        `Cannot start the chat adapter: environment variable "${options.apiKeyEnv}" is not set`,
      );
    }
  }
  return {
    endpoint,
    apiKey,
    logger: options.logger ?? consoleLogger,
    idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    model: options.model,
  };
}

function chatCompletionsEndpoint(upstreamUrl: string): string {
  let url: URL;
  try {
    url = new URL(upstreamUrl);
  } catch {
    throw new TypeError(`Cannot use upstream URL "${upstreamUrl}": not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(`Cannot use upstream URL "${displayUrl(upstreamUrl)}": not http(s)`);
  }
  const path = url.pathname.replace(/\/+$/, "");
  url.pathname = path.endsWith("/chat/completions") ? path : `${path}/chat/completions`;
  return url.href;
}

function jsonError(status: number, message: string): Response {
  return Response.json({ error: { message } }, { status });
}
