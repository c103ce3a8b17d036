/**
 * {@link streamResponse}: one adapted request. It POSTs the chat request upstream and streams
 * the answer back as Responses SSE, failing the response on HTTP errors, connection errors and
 * idle timeouts.
 *
 * @module
 */

import type { ChatCompletionsRequest } from "./chat_types.ts";
import { ChatStreamParser } from "./chat_stream_parser.ts";
import { type NamespacedToolName, ResponsesEncoder } from "./responses_encoder.ts";
import { SseDecoder } from "./sse_decoder.ts";
import type { ChatStreamEvent } from "./stream_events.ts";
import { displayUrl, httpError, redact } from "./upstream_errors.ts";

/**
 * Options of {@link streamResponse}.
 *
 * @example
 * ```ts
 * import type { StreamResponseOptions } from "./response_stream.ts";
 * const options: StreamResponseOptions = {
 *   endpoint: "http://127.0.0.1:9/v1/chat/completions",
 *   request: { model: "m", messages: [], stream: true, stream_options: { include_usage: true } },
 *   responseId: "resp_1",
 *   idleTimeoutMs: 1000,
 * };
 * console.assert(options.idleTimeoutMs === 1000);
 * ```
 */
export interface StreamResponseOptions {
  /** The full `…/chat/completions` URL. */
  readonly endpoint: string;
  readonly request: ChatCompletionsRequest;
  readonly responseId: string;
  /** How long to wait for response headers, and then for each chunk. */
  readonly idleTimeoutMs: number;
  /** Sent as `Authorization: Bearer <apiKey>`; redacted from every message. */
  readonly apiKey?: string;
  readonly namespacedTools?: ReadonlyMap<string, NamespacedToolName>;
  /** Aborts the upstream request; the response then fails. */
  readonly signal?: AbortSignal;
  /**
   * Called when the response fails, with its Responses error code and message (already
   * redacted). The code is `adapter_closed` when `signal` or the reader stopped the request.
   */
  readonly onFailure?: (code: string, message: string) => void;
}

/**
 * The SSE body and a promise that settles once the upstream exchange is over.
 *
 * @example
 * ```ts
 * import { streamResponse, type ResponseStream } from "./response_stream.ts";
 * const stream: ResponseStream = streamResponse({
 *   endpoint: "http://127.0.0.1:9/v1/chat/completions",
 *   request: { model: "m", messages: [], stream: true, stream_options: { include_usage: true } },
 *   responseId: "resp_1",
 *   idleTimeoutMs: 1000,
 * });
 * await stream.body.cancel();
 * await stream.done;
 * ```
 */
export interface ResponseStream {
  readonly body: ReadableStream<Uint8Array>;
  readonly done: Promise<void>;
}

const TIMEOUT = Symbol("timeout");

/**
 * Starts one upstream exchange and returns its Responses SSE body. `response.created` is sent
 * at once; the stream always ends with `response.completed` or `response.failed` unless the
 * reader cancels it, which aborts the upstream request.
 *
 * @example Upstream unreachable
 * ```ts
 * import { streamResponse } from "./response_stream.ts";
 * const { body, done } = streamResponse({
 *   endpoint: "http://127.0.0.1:9/v1/chat/completions",
 *   request: { model: "m", messages: [], stream: true, stream_options: { include_usage: true } },
 *   responseId: "resp_1",
 *   idleTimeoutMs: 5000,
 * });
 * const text = await new Response(body).text();
 * await done;
 * console.assert(text.includes("event: response.failed"));
 * ```
 */
export function streamResponse(options: StreamResponseOptions): ResponseStream {
  const abort = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, abort.signal]) : abort.signal;
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => resolveDone = resolve);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      run(options, signal, controller)
        .catch(() => {
          // run() reports its failures on the stream; never leave a rejection unhandled.
        })
        .finally(() => {
          abort.abort();
          resolveDone();
        });
    },
    cancel() {
      abort.abort();
    },
  });
  return { body, done };
}

async function run(
  options: StreamResponseOptions,
  signal: AbortSignal,
  controller: ReadableStreamDefaultController<Uint8Array>,
): Promise<void> {
  const bytes = new TextEncoder();
  const encoder = new ResponsesEncoder({
    responseId: options.responseId,
    namespacedTools: options.namespacedTools,
  });
  const parser = new ChatStreamParser({ syntheticCallIdPrefix: `call_${options.responseId}_` });
  const write = (text: string) => {
    if (text === "") return;
    try {
      controller.enqueue(bytes.encode(text));
    } catch {
      // The reader is gone.
    }
  };
  const emit = (events: ChatStreamEvent[]) => {
    for (const event of events) {
      if (event.type === "failed") options.onFailure?.(event.code, event.message);
      write(encoder.encode(event));
    }
  };
  const fail = (code: string, message: string) =>
    emit(parser.fail(code, redact(message, options.apiKey)));
  const idle = options.idleTimeoutMs;
  const where = displayUrl(options.endpoint);
  write(encoder.created());
  try {
    const headers: Record<string, string> = {
      "content-type": "application/json",
      accept: "text/event-stream",
    };
    if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
    let response: Response;
    try {
      const answer = await withTimeout(
        fetch(options.endpoint, {
          method: "POST",
          headers,
          body: JSON.stringify(options.request),
          signal,
        }),
        idle,
      );
      if (answer === TIMEOUT) {
        return fail(
          "upstream_idle_timeout",
          `Upstream ${where} sent no response within ${idle} ms`,
        );
      }
      response = answer;
    } catch (error) {
      if (signal.aborted) return fail("adapter_closed", "The chat adapter stopped the request");
      return fail("upstream_unreachable", `Cannot reach upstream ${where}: ${describe(error)}`);
    }
    if (!response.ok) {
      const text = await withTimeout(response.text(), idle).catch(() => "");
      const error = httpError(
        response.status,
        response.statusText,
        text === TIMEOUT ? "" : redact(text, options.apiKey),
      );
      return fail(error.code, error.message);
    }
    if (!response.body) return emit(parser.finish());
    if (response.headers.get("content-type")?.includes("application/json")) {
      // A server that ignored `stream: true` answered with one whole completion.
      const text = await withTimeout(response.text(), idle).catch((error) => error as Error);
      if (text instanceof Error) {
        return fail("upstream_stream_error", `Upstream ${where} body broke: ${describe(text)}`);
      }
      if (text === TIMEOUT) {
        return fail("upstream_idle_timeout", `Upstream ${where} body idle for ${idle} ms`);
      }
      emit(parser.push(asStreamChunk(text)));
      return emit(parser.finish());
    }
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    const sse = new SseDecoder();
    try {
      while (!parser.done) {
        const chunk = await withTimeout(reader.read(), idle);
        if (chunk === TIMEOUT) {
          return fail("upstream_idle_timeout", `Upstream ${where} stream idle for ${idle} ms`);
        }
        const payloads = chunk.done ? sse.finish() : sse.push(chunk.value);
        for (const payload of payloads) {
          emit(parser.push(payload));
          if (parser.done) break;
        }
        // A body that ends before `[DONE]` or a finish reason is a cut-off answer, not a whole
        // one (`fail` still completes when a `stop` or `tool_calls` finish was seen).
        if (chunk.done) {
          emit(parser.fail(
            "upstream_stream_error",
            `Upstream ${where} stream ended before the answer finished`,
          ));
        }
      }
    } catch (error) {
      if (signal.aborted) return fail("adapter_closed", "The chat adapter stopped the request");
      return fail("upstream_stream_error", `Upstream ${where} stream broke: ${describe(error)}`);
    } finally {
      reader.cancel().catch(() => {});
    }
  } finally {
    try {
      controller.close();
    } catch {
      // Already cancelled by the reader.
    }
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMEOUT> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<typeof TIMEOUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMEOUT), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A non-streamed completion as one stream chunk: each choice's `message` becomes its `delta`. */
function asStreamChunk(text: string): string {
  try {
    const completion = JSON.parse(text);
    if (!Array.isArray(completion?.choices)) return text;
    const choices = completion.choices.map((choice: Record<string, unknown>) => ({
      ...choice,
      delta: choice?.message,
      message: undefined,
    }));
    return JSON.stringify({ ...completion, choices });
  } catch {
    return text;
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
    return `${error.message}${cause}`;
  }
  return String(error);
}
