// The adapter end to end over HTTP, against a scripted Chat Completions server on 127.0.0.1.

import {
  ChatAdapterServer,
  DROPPED_TOOLS_HEADER,
} from "../../src/chat_adapter/chat_adapter_server.ts";
import { assert, assertEquals, parseSse } from "./_helpers.ts";

interface RecordedRequest {
  readonly path: string;
  readonly headers: Headers;
  // deno-lint-ignore no-explicit-any
  readonly body: any;
}

/** `released` settles when the upstream is disposed, for answers that must hang until then. */
type Script = (request: Request, released: Promise<void>) => Response | Promise<Response>;

/** A Chat Completions server that records requests and answers with `script`. */
function startUpstream(script: Script) {
  const requests: RecordedRequest[] = [];
  let release!: () => void;
  const released = new Promise<void>((resolve) => release = resolve);
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (request) => {
      const body = await request.json();
      requests.push({ path: new URL(request.url).pathname, headers: request.headers, body });
      return script(request, released);
    },
  );
  return {
    requests,
    url: `http://127.0.0.1:${server.addr.port}/v1`,
    [Symbol.asyncDispose]: () => {
      release();
      return server.shutdown();
    },
  };
}

/** An SSE response made of raw `chunks`, each sent as its own write. */
function sseResponse(chunks: readonly string[]): Response {
  const bytes = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(bytes.encode(chunk));
      controller.close();
    },
  });
  return new Response(body, { headers: { "content-type": "text/event-stream" } });
}

const data = (chunk: unknown) => `data: ${JSON.stringify(chunk)}\n\n`;

/** An SSE response that sends `chunks`, then nothing until the reader or the test leaves. */
function hangingResponse(
  released: Promise<void>,
  chunks: readonly string[],
  onCancel?: () => void,
): Response {
  const bytes = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(bytes.encode(chunk));
      released.then(() => {
        try {
          controller.close();
        } catch {
          // Already cancelled by the reader.
        }
      });
    },
    cancel() {
      onCancel?.();
    },
  });
  return new Response(body, { headers: { "content-type": "text/event-stream" } });
}

function memoryLogger() {
  const lines: string[] = [];
  return {
    lines,
    logger: {
      warn: (message: string) => lines.push(`warn ${message}`),
      debug: (message: string) => lines.push(`debug ${message}`),
    },
  };
}

async function postResponses(adapterUrl: string, body: unknown) {
  const response = await fetch(`${adapterUrl}/responses`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { response, text, events: parseSse(text) };
}

const CODEX_REQUEST = {
  model: "mock-model",
  instructions: null,
  input: [
    { type: "message", role: "developer", content: [{ type: "input_text", text: "Be brief." }] },
    { type: "message", role: "user", content: [{ type: "input_text", text: "hi" }] },
  ],
  tools: [{
    type: "function",
    name: "exec_command",
    description: "Runs a command",
    strict: false,
    parameters: { type: "object", properties: { cmd: { type: "string" } } },
  }],
  tool_choice: "auto",
  parallel_tool_calls: true,
  reasoning: { summary: "auto" },
  store: false,
  stream: true,
  include: ["reasoning.encrypted_content"],
};

Deno.test("ChatAdapterServer streams a chat answer back as Responses SSE", async () => {
  await using upstream = startUpstream(() =>
    sseResponse([
      data({ choices: [{ index: 0, delta: { role: "assistant", content: "" } }] }),
      data({ choices: [{ index: 0, delta: { reasoning_content: "thinking" } }] }),
      data({ choices: [{ index: 0, delta: { content: "Hel" } }] }),
      data({ choices: [{ index: 0, delta: { content: "lo" } }] }),
      data({ choices: [{ index: 0, delta: {}, finish_reason: "stop" }] }),
      data({
        choices: [],
        usage: {
          prompt_tokens: 12,
          completion_tokens: 3,
          total_tokens: 15,
          prompt_tokens_details: { cached_tokens: 4 },
        },
      }),
      "data: [DONE]\n\n",
    ])
  );
  const { logger } = memoryLogger();
  await using adapter = await ChatAdapterServer.start({ upstreamUrl: upstream.url, logger });
  assertEquals(adapter.url, `http://127.0.0.1:${adapter.port}/v1`);
  const { response, events } = await postResponses(adapter.url, CODEX_REQUEST);
  assertEquals(response.status, 200);
  assertEquals(response.headers.get("content-type"), "text/event-stream");
  assertEquals(response.headers.get(DROPPED_TOOLS_HEADER), null);
  assertEquals(events.map((e) => e.event), [
    "response.created",
    "response.output_item.added",
    "response.reasoning_text.delta",
    "response.output_item.done",
    "response.output_item.added",
    "response.output_text.delta",
    "response.output_text.delta",
    "response.output_item.done",
    "response.completed",
  ]);
  assertEquals(events[3].data.item.content, [{ type: "reasoning_text", text: "thinking" }]);
  const responseId = events[0].data.response.id;
  assert(/^resp_[0-9a-f]{32}$/.test(responseId), responseId);
  assertEquals(events[7].data.item, {
    type: "message",
    id: `msg_${responseId}_1`,
    role: "assistant",
    content: [{ type: "output_text", text: "Hello", annotations: [] }],
  });
  assertEquals(events[8].data.response, {
    id: responseId,
    status: "completed",
    usage: {
      input_tokens: 12,
      input_tokens_details: { cached_tokens: 4 },
      output_tokens: 3,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 15,
    },
  });

  assertEquals(upstream.requests.length, 1);
  const [sent] = upstream.requests;
  assertEquals(sent.path, "/v1/chat/completions");
  assertEquals(sent.headers.get("authorization"), null);
  assertEquals(sent.headers.get("accept"), "text/event-stream");
  assertEquals(sent.body, {
    model: "mock-model",
    messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "hi" }],
    stream: true,
    stream_options: { include_usage: true },
    tools: [{
      type: "function",
      function: {
        name: "exec_command",
        description: "Runs a command",
        parameters: { type: "object", properties: { cmd: { type: "string" } } },
      },
    }],
    tool_choice: "auto",
    parallel_tool_calls: true,
  });
});

Deno.test("ChatAdapterServer assembles an exec_command call split across chunks", async () => {
  const stream = [
    data({
      choices: [{
        delta: {
          tool_calls: [{
            index: 0,
            id: "call_1",
            type: "function",
            function: { name: "exec_command", arguments: "" },
          }],
        },
      }],
    }),
    data({
      choices: [{ delta: { tool_calls: [{ index: 0, function: { arguments: '{"cmd":' } }] } }],
    }),
    data({
      choices: [{ delta: { tool_calls: [{ index: 0, function: { arguments: '"ls"}' } }] } }],
    }),
    data({ choices: [{ delta: {}, finish_reason: "tool_calls" }] }),
    "data: [DONE]\n\n",
  ].join("");
  // Cut the byte stream into 7-byte writes so that lines and JSON are split everywhere.
  const chunks = stream.match(/[\s\S]{1,7}/g)!;
  await using upstream = startUpstream(() => sseResponse(chunks));
  await using adapter = await ChatAdapterServer.start({
    upstreamUrl: upstream.url,
    logger: memoryLogger().logger,
    model: "upstream-model",
  });
  const { events } = await postResponses(adapter.url, CODEX_REQUEST);
  assertEquals(events.map((e) => e.event), [
    "response.created",
    "response.output_item.done",
    "response.completed",
  ]);
  const { item } = events[1].data;
  assertEquals([item.type, item.call_id, item.name, item.arguments], [
    "function_call",
    "call_1",
    "exec_command",
    '{"cmd":"ls"}',
  ]);
  assertEquals(upstream.requests[0].body.model, "upstream-model");
});

Deno.test("ChatAdapterServer accepts a whole completion from a server that ignores stream", async () => {
  await using upstream = startUpstream(() =>
    Response.json({
      object: "chat.completion",
      choices: [{
        index: 0,
        message: {
          role: "assistant",
          content: "whole",
          tool_calls: [{
            id: "call_1",
            type: "function",
            function: { name: "exec_command", arguments: '{"cmd":"ls"}' },
          }],
        },
        finish_reason: "tool_calls",
      }],
      usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
    })
  );
  await using adapter = await ChatAdapterServer.start({
    upstreamUrl: upstream.url,
    logger: memoryLogger().logger,
  });
  const { events } = await postResponses(adapter.url, CODEX_REQUEST);
  assertEquals(events.map((e) => e.event), [
    "response.created",
    "response.output_item.added",
    "response.output_text.delta",
    "response.output_item.done",
    "response.output_item.done",
    "response.completed",
  ]);
  assertEquals(events[4].data.item.call_id, "call_1");
  assertEquals(events[5].data.response.usage.total_tokens, 7);
});

Deno.test("ChatAdapterServer turns a length finish into a context window failure", async () => {
  await using upstream = startUpstream(() =>
    sseResponse([
      data({ choices: [{ delta: { content: "partial" } }] }),
      data({ choices: [{ delta: {}, finish_reason: "length" }] }),
      "data: [DONE]\n\n",
    ])
  );
  await using adapter = await ChatAdapterServer.start({
    upstreamUrl: upstream.url,
    logger: memoryLogger().logger,
  });
  const { events } = await postResponses(adapter.url, CODEX_REQUEST);
  assertEquals(events.at(-1)?.event, "response.failed");
  assertEquals(events.at(-1)?.data.response.error.code, "context_length_exceeded");
});

Deno.test("ChatAdapterServer fails the response with the status and body of an HTTP error", async () => {
  await using upstream = startUpstream(() =>
    Response.json(
      { error: { message: "model 'nope' not found", type: "invalid_request_error" } },
      { status: 404, statusText: "Not Found" },
    )
  );
  const { lines, logger } = memoryLogger();
  await using adapter = await ChatAdapterServer.start({ upstreamUrl: upstream.url, logger });
  const { response, events } = await postResponses(adapter.url, CODEX_REQUEST);
  assertEquals(response.status, 200);
  assertEquals(events.map((e) => e.event), ["response.created", "response.failed"]);
  const { error } = events[1].data.response;
  assertEquals(error.code, "upstream_http_error");
  assertEquals(
    error.message,
    "Upstream chat completions request failed: HTTP 404 Not Found: " +
      '{"error":{"message":"model \'nope\' not found","type":"invalid_request_error"}}',
  );
  assert(lines.some((line) => line.startsWith("warn") && line.includes("HTTP 404")), lines.join());
});

Deno.test("ChatAdapterServer maps an upstream context-size error to context_length_exceeded", async () => {
  await using upstream = startUpstream(() =>
    Response.json({
      error: {
        code: 400,
        message: "the request exceeds the available context size, try increasing it",
        type: "exceed_context_size_error",
      },
    }, { status: 400 })
  );
  await using adapter = await ChatAdapterServer.start({
    upstreamUrl: upstream.url,
    logger: memoryLogger().logger,
  });
  const { events } = await postResponses(adapter.url, CODEX_REQUEST);
  assertEquals(events[1].data.response.error.code, "context_length_exceeded");
});

Deno.test("ChatAdapterServer fails the response when the upstream goes idle", async (t) => {
  await t.step("after a first chunk", async () => {
    await using upstream = startUpstream((_request, released) =>
      hangingResponse(released, [data({ choices: [{ delta: { content: "par" } }] })])
    );
    await using adapter = await ChatAdapterServer.start({
      upstreamUrl: upstream.url,
      idleTimeoutMs: 100,
      logger: memoryLogger().logger,
    });
    const { events } = await postResponses(adapter.url, CODEX_REQUEST);
    assertEquals(events.map((e) => e.event), [
      "response.created",
      "response.output_item.added",
      "response.output_text.delta",
      "response.failed",
    ]);
    const { error } = events[3].data.response;
    assertEquals(error.code, "upstream_idle_timeout");
    assert(error.message.endsWith("stream idle for 100 ms"), error.message);
  });
  await t.step("before sending headers", async () => {
    await using upstream = startUpstream((_request, released) =>
      released.then(() => new Response(null))
    );
    await using adapter = await ChatAdapterServer.start({
      upstreamUrl: upstream.url,
      idleTimeoutMs: 50,
      logger: memoryLogger().logger,
    });
    const { events } = await postResponses(adapter.url, CODEX_REQUEST);
    assertEquals(events.map((e) => e.event), ["response.created", "response.failed"]);
    assertEquals(events[1].data.response.error.code, "upstream_idle_timeout");
  });
});

Deno.test("ChatAdapterServer completes when only the usage chunk is late", async () => {
  await using upstream = startUpstream((_request, released) =>
    hangingResponse(released, [
      data({ choices: [{ delta: { content: "done" }, finish_reason: "stop" }] }),
    ])
  );
  await using adapter = await ChatAdapterServer.start({
    upstreamUrl: upstream.url,
    idleTimeoutMs: 100,
    logger: memoryLogger().logger,
  });
  const { events } = await postResponses(adapter.url, CODEX_REQUEST);
  assertEquals(events.at(-1)?.event, "response.completed");
});

Deno.test("ChatAdapterServer fails the response when the upstream is unreachable", async () => {
  const closed = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => new Response(),
  );
  const port = closed.addr.port;
  await closed.shutdown();
  await using adapter = await ChatAdapterServer.start({
    upstreamUrl: `http://127.0.0.1:${port}/v1`,
    logger: memoryLogger().logger,
  });
  const { events } = await postResponses(adapter.url, CODEX_REQUEST);
  assertEquals(events.map((e) => e.event), ["response.created", "response.failed"]);
  const { error } = events[1].data.response;
  assertEquals(error.code, "upstream_unreachable");
  assert(
    error.message.startsWith(`Cannot reach upstream http://127.0.0.1:${port}/v1/chat/completions`),
    error.message,
  );
});

Deno.test("ChatAdapterServer sends the API key upstream and never shows it", async () => {
  const secret = `sk-test-${crypto.randomUUID()}`;
  const envName = `CHAT_ADAPTER_TEST_KEY_${crypto.randomUUID().replaceAll("-", "")}`;
  Deno.env.set(envName, secret);
  try {
    await using upstream = startUpstream((request) =>
      Response.json(
        {
          error: { message: `Incorrect API key provided: ${request.headers.get("authorization")}` },
        },
        { status: 401 },
      )
    );
    const { lines, logger } = memoryLogger();
    await using adapter = await ChatAdapterServer.start({
      upstreamUrl: upstream.url,
      apiKeyEnv: envName,
      logger,
    });
    const { text, events } = await postResponses(adapter.url, CODEX_REQUEST);
    assertEquals(upstream.requests[0].headers.get("authorization"), `Bearer ${secret}`);
    assertEquals(events[1].data.response.error.message.includes("Bearer [redacted]"), true);
    assert(!text.includes(secret), "the key leaked into the SSE output");
    assert(lines.length > 0);
    assert(!lines.some((line) => line.includes(secret)), "the key leaked into the logs");
  } finally {
    Deno.env.delete(envName);
  }
});

Deno.test("ChatAdapterServer refuses to start when the API key variable is unset", async () => {
  let error: unknown;
  try {
    await ChatAdapterServer.start({
      upstreamUrl: "http://127.0.0.1:1/v1",
      apiKeyEnv: "CHAT_ADAPTER_TEST_SURELY_UNSET",
    });
  } catch (e) {
    error = e;
  }
  assert(error instanceof Error && error.message.includes("CHAT_ADAPTER_TEST_SURELY_UNSET"));
});

Deno.test("ChatAdapterServer rejects an upstream URL that is not http(s)", async () => {
  for (const upstreamUrl of ["not a url", "ftp://127.0.0.1/v1"]) {
    let error: unknown;
    try {
      await ChatAdapterServer.start({ upstreamUrl });
    } catch (e) {
      error = e;
    }
    assert(error instanceof TypeError, upstreamUrl);
  }
});

Deno.test("ChatAdapterServer lists dropped tools in a header and a warning", async () => {
  await using upstream = startUpstream(() =>
    sseResponse([data({ choices: [{ finish_reason: "stop" }] })])
  );
  const { lines, logger } = memoryLogger();
  await using adapter = await ChatAdapterServer.start({ upstreamUrl: upstream.url, logger });
  const { response } = await postResponses(adapter.url, {
    ...CODEX_REQUEST,
    tools: [
      ...CODEX_REQUEST.tools,
      { type: "custom", name: "apply_patch", format: { type: "grammar" } },
      { type: "web_search", external_web_access: false },
    ],
  });
  assertEquals(response.headers.get(DROPPED_TOOLS_HEADER), "apply_patch,web_search");
  assert(
    lines.some((line) => line.startsWith("warn") && line.includes("apply_patch, web_search")),
    lines.join("\n"),
  );
  assertEquals(upstream.requests[0].body.tools.length, 1);
  await postResponses(adapter.url, {
    ...CODEX_REQUEST,
    tools: [{ type: "custom", name: "apply_patch" }, { type: "web_search" }],
  });
  assertEquals(lines.filter((line) => line.startsWith("warn")).length, 1, "warned only once");
});

Deno.test("ChatAdapterServer uses an upstream URL that already names the endpoint", async () => {
  await using upstream = startUpstream(() =>
    sseResponse([data({ choices: [{ finish_reason: "stop" }] })])
  );
  await using adapter = await ChatAdapterServer.start({
    upstreamUrl: `${upstream.url}/chat/completions/`,
    logger: memoryLogger().logger,
  });
  await postResponses(adapter.url, CODEX_REQUEST);
  assertEquals(upstream.requests[0].path, "/v1/chat/completions");
});

Deno.test("ChatAdapterServer answers other paths with 404 and bad JSON with 400", async () => {
  await using adapter = await ChatAdapterServer.start({
    upstreamUrl: "http://127.0.0.1:1/v1",
    logger: memoryLogger().logger,
  });
  const notFound = await fetch(`${adapter.url}/models`);
  assertEquals([notFound.status, (await notFound.json()).error.message], [
    404,
    "No route for /v1/models",
  ]);
  const badJson = await fetch(`${adapter.url}/responses`, { method: "POST", body: "{" });
  assertEquals(badJson.status, 400);
  await badJson.body?.cancel();
});

Deno.test("ChatAdapterServer aborts the upstream request when the client goes away", async () => {
  let upstreamAborted!: () => void;
  const aborted = new Promise<void>((resolve) => upstreamAborted = resolve);
  let started!: () => void;
  const streaming = new Promise<void>((resolve) => started = resolve);
  await using upstream = startUpstream((_request, released) => {
    started();
    return hangingResponse(
      released,
      [data({ choices: [{ delta: { content: "x" } }] })],
      () => upstreamAborted(),
    );
  });
  await using adapter = await ChatAdapterServer.start({
    upstreamUrl: upstream.url,
    logger: memoryLogger().logger,
  });
  const response = await fetch(`${adapter.url}/responses`, {
    method: "POST",
    body: JSON.stringify(CODEX_REQUEST),
  });
  await streaming;
  await response.body?.cancel();
  await aborted;
});

Deno.test("ChatAdapterServer.close fails the responses in flight", async () => {
  let started!: () => void;
  const streaming = new Promise<void>((resolve) => started = resolve);
  await using upstream = startUpstream((_request, released) => {
    started();
    return hangingResponse(released, [data({ choices: [{ delta: { content: "x" } }] })]);
  });
  const adapter = await ChatAdapterServer.start({
    upstreamUrl: upstream.url,
    logger: memoryLogger().logger,
  });
  const pending = postResponses(adapter.url, CODEX_REQUEST);
  await streaming;
  await adapter.close();
  const { events } = await pending;
  assertEquals(events.at(-1)?.data.response.error.code, "adapter_closed");
  await adapter.close();
});
