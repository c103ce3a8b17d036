/**
 * Scripted replies for {@link ResponsesModelServer}: the request and reply types, the `reply`
 * builders that produce OpenAI Responses API (SSE) event sequences, and small helpers that read a
 * recorded request so a reply can branch on it.
 *
 * @module
 */

/**
 * One Server-Sent Event of the Responses API stream. The SSE `event:` name is the object's `type`
 * and the `data:` line is the object as JSON. A plain string is written to the stream verbatim,
 * which lets a script send malformed or partial frames.
 *
 * @example Build an event by hand
 * ```ts
 * import type { SseEvent } from "./model_script.ts";
 * const event: SseEvent = { type: "response.created", response: { id: "resp_1" } };
 * ```
 */
export type SseEvent = { readonly type: string; readonly [key: string]: unknown } | string;

/**
 * A request that codex (or any client) sent to `POST /v1/responses`, as the server recorded it.
 *
 * @example Read the model slug of the first request
 * ```ts
 * import type { ModelRequest } from "./model_script.ts";
 * function modelOf(request: ModelRequest): unknown {
 *   return request.body.model;
 * }
 * ```
 */
export interface ModelRequest {
  /** Position of this request among all requests the server received, starting at 0. */
  readonly index: number;
  /** The parsed JSON body (`model`, `input`, `tools`, `stream`, …). */
  readonly body: ResponsesRequestBody;
  /** Request headers, names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * The parts of a Responses API request body that scripts usually look at. Other keys are kept.
 *
 * @example Count the tools codex offered
 * ```ts
 * import type { ResponsesRequestBody } from "./model_script.ts";
 * function toolCount(body: ResponsesRequestBody): number {
 *   return body.tools?.length ?? 0;
 * }
 * ```
 */
export interface ResponsesRequestBody {
  /** The model slug codex asked for. */
  readonly model?: string;
  /** Conversation so far: developer and user messages, tool calls and their outputs. */
  readonly input?: readonly ResponseInputItem[];
  /**
   * Tools offered in the classic shape. Codex 0.169 omits this for catalog models and sends an
   * `additional_tools` input item instead.
   */
  readonly tools?: readonly Record<string, unknown>[];
  /** Always true for codex. */
  readonly stream?: boolean;
  /** Any other key (`reasoning`, `include`, `prompt_cache_key`, `client_metadata`, …). */
  readonly [key: string]: unknown;
}

/**
 * One item of a request's `input` array: a message (`type: "message"`), a `function_call`, a
 * `function_call_output`, a `reasoning` item, and so on.
 *
 * @example Find function-call outputs
 * ```ts
 * import type { ResponseInputItem } from "./model_script.ts";
 * function isOutput(item: ResponseInputItem): boolean {
 *   return item.type === "function_call_output";
 * }
 * ```
 */
export interface ResponseInputItem {
  /** `message`, `function_call`, `function_call_output`, `additional_tools`, … */
  readonly type?: string;
  /** For messages: `user`, `developer` or `assistant`. */
  readonly role?: string;
  /** For messages: a string or a list of `{ type: "input_text", text }` parts. */
  readonly content?: unknown;
  /** For function calls and their outputs: the call id. */
  readonly call_id?: string;
  /** For `function_call_output`: what the tool returned (a string for `exec_command`). */
  readonly output?: unknown;
  /** Any other key. */
  readonly [key: string]: unknown;
}

/**
 * A reply that streams SSE events with status 200.
 *
 * @example Stream two raw events
 * ```ts
 * import type { StreamReply } from "./model_script.ts";
 * const r: StreamReply = {
 *   kind: "stream",
 *   events: [{ type: "response.created", response: { id: "r" } }, "event: x\ndata: {}\n\n"],
 * };
 * ```
 */
export interface StreamReply {
  /** Discriminant. */
  readonly kind: "stream";
  /** The events, in order. */
  readonly events: readonly SseEvent[];
  /** Milliseconds to wait before each event after the first. Default 0. */
  readonly delayMs?: number;
  /** With `delayMs`: how many events go out together per wait (a rate). Default 1. */
  readonly eventsPerDelay?: number;
  /**
   * Keep the stream open after the last event, until the client disconnects or the server closes.
   * Default false: the stream ends after the last event.
   */
  readonly hang?: boolean;
  /** The assistant text this reply streams, if any (for assertions). */
  readonly text?: string;
}

/**
 * A reply that answers with a non-2xx (or any) HTTP status and a fixed body instead of a stream.
 *
 * @example A rate limit
 * ```ts
 * import type { HttpReply } from "./model_script.ts";
 * const r: HttpReply = { kind: "http", status: 429, body: "{}", headers: { "retry-after": "0" } };
 * ```
 */
export interface HttpReply {
  /** Discriminant. */
  readonly kind: "http";
  /** HTTP status code. */
  readonly status: number;
  /** Response body, sent as is. */
  readonly body: string;
  /** Response headers. */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * What the model server sends back for one request.
 *
 * @example
 * ```ts
 * import { type Reply, reply } from "./model_script.ts";
 * const replies: Reply[] = [reply.text("hi"), reply.httpError(500)];
 * ```
 */
export type Reply = StreamReply | HttpReply;

/**
 * A reply computed from the request it answers, e.g. to answer a `function_call_output` with a
 * final text.
 *
 * @example Finish after the tool ran
 * ```ts
 * import { functionCallOutputs, reply, type ReplyFactory } from "./model_script.ts";
 * const step: ReplyFactory = (request) =>
 *   functionCallOutputs(request).length > 0
 *     ? reply.text("done")
 *     : reply.functionCall({ name: "exec_command", arguments: { cmd: "echo hi" } });
 * ```
 */
export type ReplyFactory = (request: ModelRequest) => Reply | Promise<Reply>;

/**
 * One step of a script: a fixed reply or a function of the request.
 *
 * @example
 * ```ts
 * import { reply, type ScriptStep } from "./model_script.ts";
 * const steps: ScriptStep[] = [reply.text("a"), () => reply.text("b")];
 * ```
 */
export type ScriptStep = Reply | ReplyFactory;

/**
 * Token usage reported in `response.completed`. Codex turns it into `thread/tokenUsage/updated`.
 *
 * @example
 * ```ts
 * import { reply, type Usage } from "./model_script.ts";
 * const usage: Usage = { inputTokens: 100, outputTokens: 20, cachedTokens: 50 };
 * reply.text("hi", { usage });
 * ```
 */
export interface Usage {
  /** `input_tokens`. Default 10. */
  readonly inputTokens?: number;
  /** `output_tokens`. Default 5. */
  readonly outputTokens?: number;
  /** `input_tokens_details.cached_tokens`. Default 0. */
  readonly cachedTokens?: number;
  /** `output_tokens_details.reasoning_tokens`. Default 0. */
  readonly reasoningTokens?: number;
  /** Defaults to `inputTokens + outputTokens`. */
  readonly totalTokens?: number;
}

/**
 * Options shared by the streaming builders.
 *
 * @example Slow down a reply so a test can interrupt it
 * ```ts
 * import { reply, type StreamOptions } from "./model_script.ts";
 * const options: StreamOptions = { delayMs: 50 };
 * reply.text("slow", options);
 * ```
 */
export interface StreamOptions {
  /** Milliseconds between events. Default 0. */
  readonly delayMs?: number;
  /**
   * With `delayMs`: events sent together per wait, so `{ delayMs: 10, eventsPerDelay: 40 }`
   * streams about 4 000 events a second. Default 1.
   */
  readonly eventsPerDelay?: number;
  /** The response id. Default: a fresh `resp_<n>`. */
  readonly responseId?: string;
  /** Usage for `response.completed`; `null` leaves usage out. Default 10 in, 5 out. */
  readonly usage?: Usage | null;
}

/**
 * Options of {@link reply.text}.
 *
 * @example
 * ```ts
 * import { reply, type TextOptions } from "./model_script.ts";
 * const options: TextOptions = { chunks: 3, itemId: "msg_custom" };
 * reply.text("hello world", options);
 * ```
 */
export interface TextOptions extends StreamOptions {
  /** Number of `response.output_text.delta` events the text is split into. Default 4. */
  readonly chunks?: number;
  /** The assistant message item id (codex uses it as the agentMessage item id). */
  readonly itemId?: string;
}

/**
 * Arguments of {@link reply.functionCall}.
 *
 * @example
 * ```ts
 * import { type FunctionCallOptions, reply } from "./model_script.ts";
 * const call: FunctionCallOptions = { name: "exec_command", arguments: { cmd: "ls" } };
 * reply.functionCall(call);
 * ```
 */
export interface FunctionCallOptions extends StreamOptions {
  /** Tool name, e.g. `exec_command`. */
  readonly name: string;
  /** An object (sent as its JSON text) or the raw arguments string. */
  readonly arguments: Record<string, unknown> | string;
  /** The call id; codex uses it as the item id. Default: a fresh `call_<n>`. */
  readonly callId?: string;
}

/**
 * Options of {@link reply.applyPatch}.
 *
 * @example
 * ```ts
 * import { type ApplyPatchOptions, reply } from "./model_script.ts";
 * const options: ApplyPatchOptions = { callId: "call_patch", workdir: "/repo" };
 * reply.applyPatch("notes.txt", "hello\n", options);
 * ```
 */
export interface ApplyPatchOptions extends StreamOptions {
  /** The call id; codex uses it as the fileChange item id. Default: a fresh `call_<n>`. */
  readonly callId?: string;
  /** `workdir` argument of `exec_command`. Default: the thread's cwd. */
  readonly workdir?: string;
}

let nextId = 1;
function freshId(prefix: string): string {
  return `${prefix}_${nextId++}`;
}

function usageJson(usage: Usage | null | undefined): Record<string, unknown> | undefined {
  if (usage === null) return undefined;
  const input = usage?.inputTokens ?? 10;
  const output = usage?.outputTokens ?? 5;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: usage?.cachedTokens ?? 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: usage?.reasoningTokens ?? 0 },
    total_tokens: usage?.totalTokens ?? input + output,
  };
}

function created(responseId: string): SseEvent {
  return { type: "response.created", response: { id: responseId } };
}

function completed(responseId: string, usage: Usage | null | undefined): SseEvent {
  const json = usageJson(usage);
  return {
    type: "response.completed",
    response: json === undefined ? { id: responseId } : { id: responseId, usage: json },
  };
}

function splitText(text: string, chunks: number): string[] {
  const chars = Array.from(text);
  const count = Math.max(1, Math.min(Math.floor(chunks), chars.length));
  const size = Math.ceil(chars.length / count);
  const parts: string[] = [];
  for (let i = 0; i < chars.length; i += size) parts.push(chars.slice(i, i + size).join(""));
  return parts.length === 0 ? [""] : parts;
}

/** The start of an assistant message: item added plus one delta per part. */
function messageEvents(itemId: string, parts: readonly string[]): SseEvent[] {
  return [
    {
      type: "response.output_item.added",
      output_index: 0,
      item: { type: "message", role: "assistant", id: itemId, content: [] },
    },
    ...parts.filter((delta) => delta !== "").map((delta): SseEvent => ({
      type: "response.output_text.delta",
      item_id: itemId,
      output_index: 0,
      content_index: 0,
      delta,
    })),
  ];
}

function messageDone(itemId: string, text: string): SseEvent {
  return {
    type: "response.output_item.done",
    output_index: 0,
    item: {
      type: "message",
      role: "assistant",
      id: itemId,
      content: [{ type: "output_text", text, annotations: [] }],
    },
  };
}

function streamReply(
  events: SseEvent[],
  options: StreamOptions | undefined,
  extra: { hang?: boolean; text?: string } = {},
): StreamReply {
  return {
    kind: "stream",
    events,
    ...(options?.delayMs ? { delayMs: options.delayMs } : {}),
    ...(options?.eventsPerDelay ? { eventsPerDelay: options.eventsPerDelay } : {}),
    ...(extra.hang ? { hang: true } : {}),
    ...(extra.text !== undefined ? { text: extra.text } : {}),
  };
}

function textReply(text: string, options: TextOptions | undefined, parts: string[]): StreamReply {
  const responseId = options?.responseId ?? freshId("resp");
  const itemId = options?.itemId ?? `msg_${responseId}`;
  return streamReply(
    [
      created(responseId),
      ...messageEvents(itemId, parts),
      messageDone(itemId, text),
      completed(responseId, options?.usage),
    ],
    options,
    { text },
  );
}

/** Builds the `apply_patch` heredoc that adds `path` with `content`. */
function addFileCommand(path: string, content: string): string {
  const body = content.endsWith("\n") ? content.slice(0, -1) : content;
  const lines = body === "" ? [] : body.split("\n").map((line) => `+${line}`);
  return ["apply_patch <<'EOF'", "*** Begin Patch", `*** Add File: ${path}`, ...lines]
    .concat(["*** End Patch", "EOF", ""]).join("\n");
}

/**
 * The shape of {@link reply} (spelled out so the public API has explicit types).
 *
 * @example
 * ```ts
 * import { reply, type ReplyBuilders } from "./model_script.ts";
 * const builders: ReplyBuilders = reply;
 * builders.text("hi");
 * ```
 */
export interface ReplyBuilders {
  /** An assistant message streamed as deltas, then `response.completed`. */
  text(text: string, options?: TextOptions): StreamReply;
  /** An assistant message of `count` deltas of `size` characters. */
  deltas(count: number, options?: TextOptions & { size?: number }): StreamReply;
  /** A `function_call` output item, then `response.completed`. */
  functionCall(options: FunctionCallOptions): StreamReply;
  /** An `exec_command` running an `apply_patch` heredoc that adds `path`. */
  applyPatch(path: string, content: string, options?: ApplyPatchOptions): StreamReply;
  /** A plain HTTP error response. */
  httpError(
    status: number,
    body?: string | Record<string, unknown>,
    headers?: Record<string, string>,
  ): HttpReply;
  /** A stream that ends before `response.completed`. */
  truncated(text?: string, options?: TextOptions): StreamReply;
  /** A stream that stays open. */
  hang(options?: TextOptions & { text?: string }): StreamReply;
  /** `response.created` then `response.failed`. */
  failed(message: string, options?: StreamOptions & { code?: string }): StreamReply;
  /** Raw SSE events. */
  events(events: readonly SseEvent[], options?: { delayMs?: number; hang?: boolean }): StreamReply;
}

/**
 * Builders for {@link Reply} values. Each call allocates fresh response, item and call ids, so a
 * built reply should be enqueued once.
 *
 * @example A tool call, then a final answer
 * ```ts
 * import { reply } from "./model_script.ts";
 * const script = [
 *   reply.functionCall({ name: "exec_command", arguments: { cmd: "echo hi" } }),
 *   reply.text("the command printed hi", { chunks: 4 }),
 * ];
 * ```
 */
export const reply: ReplyBuilders = {
  /**
   * An assistant message streamed as `chunks` deltas, then `response.completed` with usage.
   *
   * @example
   * ```ts
   * import { reply } from "./model_script.ts";
   * const r = reply.text("hello world", { chunks: 4, usage: { inputTokens: 7 } });
   * if (r.text !== "hello world") throw new Error("unexpected");
   * ```
   */
  text(text: string, options?: TextOptions): StreamReply {
    return textReply(text, options, splitText(text, options?.chunks ?? 4));
  },

  /**
   * An assistant message of `count` deltas of `size` characters each (letters a–z in turn), for
   * floods and benchmarks. The full text is in the reply's `text`.
   *
   * @example
   * ```ts
   * import { reply } from "./model_script.ts";
   * const r = reply.deltas(1000, { size: 2 });
   * if (r.text?.length !== 2000) throw new Error("unexpected");
   * ```
   */
  deltas(count: number, options?: TextOptions & { size?: number }): StreamReply {
    const size = options?.size ?? 1;
    const parts = Array.from(
      { length: count },
      (_, i) => String.fromCharCode(97 + (i % 26)).repeat(size),
    );
    return textReply(parts.join(""), options, parts);
  },

  /**
   * A `function_call` output item (added, then done) followed by `response.completed`, matching
   * what the real API streams. Codex runs the tool and sends the next request with a
   * `function_call_output` for `callId`.
   *
   * @example
   * ```ts
   * import { reply } from "./model_script.ts";
   * reply.functionCall({ name: "exec_command", arguments: { cmd: "echo hi" }, callId: "call_1" });
   * ```
   */
  functionCall(options: FunctionCallOptions): StreamReply {
    const responseId = options.responseId ?? freshId("resp");
    const callId = options.callId ?? freshId("call");
    const item = {
      type: "function_call",
      id: `fc_${callId}`,
      call_id: callId,
      name: options.name,
      arguments: typeof options.arguments === "string"
        ? options.arguments
        : JSON.stringify(options.arguments),
    };
    return streamReply(
      [
        created(responseId),
        { type: "response.output_item.added", output_index: 0, item },
        { type: "response.output_item.done", output_index: 0, item },
        completed(responseId, options.usage),
      ],
      options,
    );
  },

  /**
   * An `exec_command` call whose `cmd` is an `apply_patch <<'EOF'` heredoc adding `path` with
   * `content`. Codex intercepts it and reports a `fileChange` item (which needs a file-change
   * approval under the `untrusted` policy).
   *
   * @example
   * ```ts
   * import { reply } from "./model_script.ts";
   * reply.applyPatch("hello.txt", "hello from apply_patch\n", { callId: "call_patch" });
   * ```
   */
  applyPatch(path: string, content: string, options?: ApplyPatchOptions): StreamReply {
    const args: Record<string, unknown> = { cmd: addFileCommand(path, content) };
    if (options?.workdir !== undefined) args.workdir = options.workdir;
    return reply.functionCall({ ...options, name: "exec_command", arguments: args });
  },

  /**
   * A plain HTTP response with `status` instead of a stream. An object body is sent as JSON.
   * Default body: an OpenAI-style error object.
   *
   * @example
   * ```ts
   * import { reply } from "./model_script.ts";
   * reply.httpError(500);
   * reply.httpError(429, { error: { message: "slow down" } }, { "retry-after": "0" });
   * ```
   */
  httpError(
    status: number,
    body?: string | Record<string, unknown>,
    headers?: Record<string, string>,
  ): HttpReply {
    const payload = body ?? {
      error: { message: `mock http error ${status}`, type: "server_error", code: null },
    };
    const text = typeof payload === "string" ? payload : JSON.stringify(payload);
    const contentType = typeof payload === "string" ? "text/plain" : "application/json";
    return {
      kind: "http",
      status,
      body: text,
      headers: { "content-type": contentType, ...headers },
    };
  },

  /**
   * Streams `text` as deltas, then ends the stream without `output_item.done` or
   * `response.completed`. Codex fails the turn ("stream closed before response.completed").
   *
   * @example
   * ```ts
   * import { reply } from "./model_script.ts";
   * reply.truncated("partial answ");
   * ```
   */
  truncated(text = "", options?: TextOptions): StreamReply {
    const responseId = options?.responseId ?? freshId("resp");
    const itemId = options?.itemId ?? `msg_${responseId}`;
    const parts = text === "" ? [] : splitText(text, options?.chunks ?? 4);
    return streamReply(
      [created(responseId), ...(parts.length ? messageEvents(itemId, parts) : [])],
      options,
      { text },
    );
  },

  /**
   * Sends `response.created` (and `text` as deltas, if given), then keeps the stream open until
   * the client disconnects or the server closes. Gives a test a turn that stays running.
   *
   * @example
   * ```ts
   * import { reply } from "./model_script.ts";
   * reply.hang();
   * reply.hang({ text: "thinking about it" });
   * ```
   */
  hang(options?: TextOptions & { text?: string }): StreamReply {
    const truncated = reply.truncated(options?.text ?? "", options);
    return { ...truncated, hang: true };
  },

  /**
   * `response.created` then a `response.failed` event with `message`. Codex fails the turn
   * ("stream disconnected before completion: <message>").
   *
   * @example
   * ```ts
   * import { reply } from "./model_script.ts";
   * reply.failed("mock failure event");
   * ```
   */
  failed(message: string, options?: StreamOptions & { code?: string }): StreamReply {
    const responseId = options?.responseId ?? freshId("resp");
    return streamReply(
      [
        created(responseId),
        {
          type: "response.failed",
          response: {
            id: responseId,
            status: "failed",
            error: { code: options?.code ?? "server_error", message },
          },
        },
      ],
      options,
    );
  },

  /**
   * A stream of arbitrary events (objects become `event:`/`data:` frames, strings are sent
   * verbatim).
   *
   * @example
   * ```ts
   * import { reply } from "./model_script.ts";
   * reply.events([
   *   { type: "response.created", response: { id: "resp_x" } },
   *   { type: "response.completed", response: { id: "resp_x" } },
   * ]);
   * ```
   */
  events(events: readonly SseEvent[], options?: { delayMs?: number; hang?: boolean }): StreamReply {
    return { kind: "stream", events, ...options };
  },
};

/**
 * Encodes one event as SSE bytes (`event: <type>\ndata: <json>\n\n`); strings pass through.
 *
 * @example
 * ```ts
 * import { encodeSseEvent } from "./model_script.ts";
 * const text = encodeSseEvent({ type: "response.created", response: { id: "r" } });
 * if (!text.startsWith("event: response.created\ndata: {")) throw new Error("unexpected");
 * ```
 */
export function encodeSseEvent(event: SseEvent): string {
  if (typeof event === "string") return event;
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part) =>
      typeof part === "object" && part !== null && typeof part.text === "string" ? part.text : ""
    )
    .join("");
}

/**
 * The text of the last user message in the request's input (codex's `<environment_context>`
 * message comes before the user's own text). Empty if there is none.
 *
 * @example
 * ```ts
 * import { lastUserText, type ModelRequest } from "./model_script.ts";
 * const request: ModelRequest = {
 *   index: 0,
 *   headers: {},
 *   body: { input: [{ type: "message", role: "user", content: [{ type: "input_text", text: "hi" }] }] },
 * };
 * if (lastUserText(request) !== "hi") throw new Error("unexpected");
 * ```
 */
export function lastUserText(request: ModelRequest): string {
  const input = request.body.input ?? [];
  for (let i = input.length - 1; i >= 0; i--) {
    const item = input[i];
    if (item?.role === "user" && (item.type === undefined || item.type === "message")) {
      return textOf(item.content);
    }
  }
  return "";
}

/**
 * The `function_call_output` items of the request's input, in order.
 *
 * @example
 * ```ts
 * import { functionCallOutputs, type ModelRequest } from "./model_script.ts";
 * const request: ModelRequest = {
 *   index: 1,
 *   headers: {},
 *   body: { input: [{ type: "function_call_output", call_id: "call_1", output: "ok" }] },
 * };
 * if (functionCallOutputs(request)[0]?.call_id !== "call_1") throw new Error("unexpected");
 * ```
 */
export function functionCallOutputs(request: ModelRequest): ResponseInputItem[] {
  return (request.body.input ?? []).filter((item) => item.type === "function_call_output");
}

/**
 * The default reply when the script is empty: the last user text echoed back as
 * `Hi! (mock reply to: <text>)` in four deltas.
 *
 * @example
 * ```ts
 * import { echoReply, type ModelRequest } from "./model_script.ts";
 * const request: ModelRequest = {
 *   index: 0,
 *   headers: {},
 *   body: { input: [{ role: "user", content: [{ type: "input_text", text: "say hi" }] }] },
 * };
 * if (echoReply(request).text !== "Hi! (mock reply to: say hi)") throw new Error("unexpected");
 * ```
 */
export function echoReply(request: ModelRequest): StreamReply {
  return reply.text(`Hi! (mock reply to: ${lastUserText(request)})`, { chunks: 4 });
}
