import { resolveCodexBinary } from "../src/transport/codex_binary.ts";
import {
  DEFAULT_MOCK_MODEL,
  functionCallOutputs,
  type ModelRequest,
  offlineConfig,
  reply,
  ResponsesModelServer,
  writeCodexHome,
} from "../src/testing/mod.ts";

// --- tiny assertion and SSE helpers (no std imports) ---------------------------------------

function assert(condition: unknown, message = "Assertion failed"): asserts condition {
  if (!condition) throw new Error(message);
}

function assertEquals(actual: unknown, expected: unknown, message = ""): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${message}\n  actual:   ${a}\n  expected: ${e}`);
}

interface ParsedEvent {
  event: string;
  data: Record<string, unknown> & { type: string };
}

function parseSse(text: string): ParsedEvent[] {
  return text.split("\n\n").filter((frame) => frame.trim() !== "").map((frame) => {
    const lines = frame.split("\n");
    const event = lines.find((l) => l.startsWith("event: "))?.slice(7) ?? "";
    const data = lines.find((l) => l.startsWith("data: "))?.slice(6) ?? "null";
    return { event, data: JSON.parse(data) };
  });
}

function post(server: ResponsesModelServer, body: unknown, signal?: AbortSignal) {
  return fetch(`${server.url}/responses`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-test": "yes" },
    body: JSON.stringify(body),
    signal,
  });
}

function userInput(text: string) {
  return {
    model: "m",
    stream: true,
    input: [
      { type: "message", role: "user", content: [{ type: "input_text", text: "<env/>" }] },
      { type: "message", role: "user", content: [{ type: "input_text", text }] },
    ],
  };
}

function deltasOf(events: ParsedEvent[]): string {
  return events.filter((e) => e.event === "response.output_text.delta")
    .map((e) => e.data.delta).join("");
}

// --- unit tests against the HTTP server ------------------------------------------------------

Deno.test("ResponsesModelServer streams a text reply as the Responses API event sequence", async () => {
  await using server = await ResponsesModelServer.start();
  assert(server.url === `http://127.0.0.1:${server.port}/v1`, server.url);
  server.enqueue(
    reply.text("hello world", { chunks: 4, usage: { inputTokens: 7, cachedTokens: 3 } }),
  );
  const response = await post(server, userInput("x"));
  assertEquals(response.status, 200);
  assertEquals(response.headers.get("content-type"), "text/event-stream");
  const text = await response.text();
  assert(text.startsWith('event: response.created\ndata: {"type":"response.created"'), text);
  const events = parseSse(text);
  assertEquals(events.map((e) => e.event), [
    "response.created",
    "response.output_item.added",
    "response.output_text.delta",
    "response.output_text.delta",
    "response.output_text.delta",
    "response.output_text.delta",
    "response.output_item.done",
    "response.completed",
  ]);
  for (const e of events) assertEquals(e.data.type, e.event);
  assertEquals(deltasOf(events), "hello world");
  const done = events[6]!.data.item as Record<string, unknown>;
  assertEquals(done.content, [{ type: "output_text", text: "hello world", annotations: [] }]);
  const completed = events[7]!.data.response as Record<string, unknown>;
  assertEquals(completed.usage, {
    input_tokens: 7,
    input_tokens_details: { cached_tokens: 3 },
    output_tokens: 5,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: 12,
  });
});

Deno.test("ResponsesModelServer answers in enqueue order, then falls back to the echo reply", async () => {
  await using server = await ResponsesModelServer.start({ script: [reply.text("first")] });
  server.enqueue(
    reply.text("second"),
    (request) => reply.text(`third saw request ${request.index}`),
  );
  assertEquals(server.pending, 3);
  const texts: string[] = [];
  for (let i = 0; i < 4; i++) {
    texts.push(deltasOf(parseSse(await (await post(server, userInput(`q${i}`))).text())));
  }
  assertEquals(texts, ["first", "second", "third saw request 2", "Hi! (mock reply to: q3)"]);
  assertEquals(server.pending, 0);
});

Deno.test("ResponsesModelServer records every request body and its headers in order", async () => {
  await using server = await ResponsesModelServer.start();
  const seen = server.waitForRequests(2);
  await (await post(server, { model: "a", input: [] })).text();
  await (await post(server, { model: "b", input: [] })).text();
  const requests = await seen;
  assertEquals(requests.map((r) => [r.index, r.body.model]), [[0, "a"], [1, "b"]]);
  assertEquals(requests[0]!.headers["x-test"], "yes");
  assertEquals(server.requests.length, 2);
  // Already satisfied: resolves at once.
  assertEquals((await server.waitForRequests(1)).length, 2);
});

Deno.test("ResponsesModelServer fallback can be replaced and reply factories may be async", async () => {
  await using server = await ResponsesModelServer.start({
    fallback: async (request) => {
      await Promise.resolve();
      return reply.text(`model was ${request.body.model}`, { chunks: 1 });
    },
  });
  assertEquals(
    deltasOf(parseSse(await (await post(server, { model: "z" })).text())),
    "model was z",
  );
  server.fallback = () => reply.text("changed");
  assertEquals(deltasOf(parseSse(await (await post(server, {})).text())), "changed");
});

Deno.test("ResponsesModelServer sends HTTP errors with status and body", async () => {
  await using server = await ResponsesModelServer.start();
  server.enqueue(reply.httpError(500), reply.httpError(429, "slow down", { "retry-after": "0" }));
  const first = await post(server, {});
  assertEquals(first.status, 500);
  const body = await first.json();
  assertEquals(body.error.message, "mock http error 500");
  const second = await post(server, {});
  assertEquals([second.status, second.headers.get("retry-after"), await second.text()], [
    429,
    "0",
    "slow down",
  ]);
});

Deno.test("ResponsesModelServer answers 500 when a reply factory throws, 404 off the route", async () => {
  await using server = await ResponsesModelServer.start();
  server.enqueue(() => {
    throw new Error("script bug");
  });
  const response = await post(server, {});
  assertEquals(response.status, 500);
  assert((await response.text()).includes("script bug"));
  const other = await fetch(`${server.url}/models`);
  assertEquals(other.status, 404);
  await other.body?.cancel();
  assertEquals(server.requests.length, 1);
});

Deno.test("reply.truncated ends the stream without response.completed", async () => {
  await using server = await ResponsesModelServer.start({ script: [reply.truncated("partial")] });
  const events = parseSse(await (await post(server, {})).text());
  assertEquals(events[0]!.event, "response.created");
  assertEquals(deltasOf(events), "partial");
  assert(!events.some((e) => e.event === "response.completed" || e.event.endsWith(".done")));
});

Deno.test("reply.failed sends a response.failed event with the message", async () => {
  await using server = await ResponsesModelServer.start({ script: [reply.failed("mock failure")] });
  const events = parseSse(await (await post(server, {})).text());
  assertEquals(events.map((e) => e.event), ["response.created", "response.failed"]);
  const response = events[1]!.data.response as { error: { message: string } };
  assertEquals(response.error.message, "mock failure");
});

Deno.test("reply.functionCall streams a function_call item with JSON-string arguments", async () => {
  await using server = await ResponsesModelServer.start();
  server.enqueue(
    reply.functionCall({ name: "exec_command", arguments: { cmd: "echo hi" }, callId: "call_x" }),
  );
  const events = parseSse(await (await post(server, {})).text());
  assertEquals(events.map((e) => e.event), [
    "response.created",
    "response.output_item.added",
    "response.output_item.done",
    "response.completed",
  ]);
  assertEquals(events[2]!.data.item, {
    type: "function_call",
    id: "fc_call_x",
    call_id: "call_x",
    name: "exec_command",
    arguments: '{"cmd":"echo hi"}',
  });
});

Deno.test("reply.applyPatch wraps an Add File patch in an apply_patch heredoc", () => {
  const built = reply.applyPatch("dir/hello.txt", "line one\nline two\n", { callId: "call_p" });
  const done = built.events[2] as unknown as { item: { arguments: string; name: string } };
  assertEquals(done.item.name, "exec_command");
  assertEquals(
    JSON.parse(done.item.arguments).cmd,
    "apply_patch <<'EOF'\n*** Begin Patch\n*** Add File: dir/hello.txt\n+line one\n+line two\n" +
      "*** End Patch\nEOF\n",
  );
});

Deno.test("reply.deltas floods many small deltas, paced by delayMs on the server", async () => {
  await using server = await ResponsesModelServer.start();
  const flood = reply.deltas(500, { size: 3 });
  assertEquals(flood.text?.length, 1500);
  server.enqueue(flood, reply.text("slow", { chunks: 4, delayMs: 5 }));
  const events = parseSse(await (await post(server, {})).text());
  assertEquals(events.filter((e) => e.event === "response.output_text.delta").length, 500);
  assertEquals(deltasOf(events), flood.text);
  assertEquals(deltasOf(parseSse(await (await post(server, {})).text())), "slow");
});

Deno.test("reply.events writes raw strings verbatim", async () => {
  await using server = await ResponsesModelServer.start();
  server.enqueue(reply.events([": comment\n\n", { type: "response.created", response: {} }]));
  const text = await (await post(server, {})).text();
  assertEquals(
    text,
    ': comment\n\nevent: response.created\ndata: {"type":"response.created","response":{}}\n\n',
  );
});

async function readFirstEvent(body: ReadableStream<Uint8Array>) {
  const reader = body.pipeThrough(new TextDecoderStream() as TransformStream<Uint8Array, string>)
    .getReader();
  let text = "";
  while (!text.includes("\n\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  return { reader, text };
}

Deno.test("reply.hang keeps the stream open until the server closes", async () => {
  const server = await ResponsesModelServer.start({ script: [reply.hang({ text: "thinking" })] });
  const response = await post(server, {});
  const { reader, text: first } = await readFirstEvent(response.body!);
  assert(first.startsWith("event: response.created"), first);
  const closed = server.close();
  let rest = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    rest += value;
  }
  await closed;
  const events = parseSse(first + rest);
  assertEquals(deltasOf(events), "thinking");
  assert(!events.some((e) => e.event === "response.completed"));
});

Deno.test("a hanging reply with a pending delay closes cleanly after the client disconnects", async () => {
  await using server = await ResponsesModelServer.start({
    script: [reply.hang({ delayMs: 10_000 })],
  });
  const abort = new AbortController();
  const response = await post(server, {}, abort.signal);
  const { reader } = await readFirstEvent(response.body!);
  abort.abort();
  await reader.closed.catch(() => {});
  // Close must not wait for the 10 s delay timer (the sanitizer would also flag a leaked timer).
});

Deno.test("waitForRequests rejects when the server closes first", async () => {
  const server = await ResponsesModelServer.start();
  const waiting = server.waitForRequests(1);
  await server.close();
  const error = await waiting.then(() => undefined, (e: Error) => e);
  assert(error instanceof Error && error.message.includes("0 of 1"), String(error));
  await server.close(); // idempotent
});

// --- codex home -------------------------------------------------------------------------------

Deno.test("writeCodexHome writes an offline config.toml outside /tmp and cleans up", async () => {
  const home = await writeCodexHome({
    modelServerUrl: "http://127.0.0.1:1234/v1",
    extraToml: '[shell_environment_policy]\ninherit = "core"',
  });
  assert(!home.dir.startsWith("/tmp/"), home.dir);
  const toml = await Deno.readTextFile(`${home.dir}/config.toml`);
  assertEquals(
    toml,
    `approval_policy = "never"
sandbox_mode = "read-only"
model = "${DEFAULT_MOCK_MODEL}"
model_provider = "mock"

[features]
plugins = false
unbounded_connection_retries = false
shell_snapshot = false

[model_providers.mock]
name = "Mock Responses"
base_url = "http://127.0.0.1:1234/v1"
wire_api = "responses"
request_max_retries = 0
stream_max_retries = 0

[shell_environment_policy]
inherit = "core"
`,
  );
  assertEquals((home.config.features as Record<string, unknown>).plugins, false);
  await home.cleanup();
  const exists = await Deno.stat(home.dir).then(() => true, () => false);
  assert(!exists, "cleanup should remove the directory it created");
});

Deno.test("writeCodexHome refuses approval_policy untrusted, which codex rejects in config.toml", async () => {
  const error = await writeCodexHome({
    modelServerUrl: "http://127.0.0.1:1/v1",
    approvalPolicy: "untrusted" as "never",
  }).then(() => undefined, (e: unknown) => e);
  assert(error instanceof TypeError, String(error));
});

Deno.test("offlineConfig returns the same settings as flat -c overrides", () => {
  assertEquals(offlineConfig("http://127.0.0.1:9/v1", { model: "m" }), {
    model: "m",
    model_provider: "mock",
    "features.plugins": false,
    "features.unbounded_connection_retries": false,
    "features.shell_snapshot": false,
    "model_providers.mock": {
      name: "Mock Responses",
      base_url: "http://127.0.0.1:9/v1",
      wire_api: "responses",
      request_max_retries: 0,
      stream_max_retries: 0,
    },
  });
});

// --- integration with the real codex app-server -------------------------------------------

const CODEX_BIN = resolveCodexBinary(Deno.env.get("CODEX_BIN"));

interface Message {
  id?: number;
  method?: string;
  params?: Record<string, unknown> & { turn?: { status: string; id: string } };
  result?: Record<string, unknown>;
  error?: { message: string };
}

/** A raw newline-delimited JSON-RPC client over the child's stdio, just enough for this test. */
function rawClient(child: Deno.ChildProcess, onServerRequest: (m: Message) => unknown) {
  const writer = child.stdin.getWriter();
  const encoder = new TextEncoder();
  const notifications: Message[] = [];
  const pending = new Map<number, (m: Message) => void>();
  let watchers: { match: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];
  let nextId = 1;
  const send = (m: unknown) => writer.write(encoder.encode(JSON.stringify(m) + "\n"));
  const reading = (async () => {
    let buffer = "";
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
      buffer += chunk;
      let nl;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const message: Message = JSON.parse(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
        if (message.method !== undefined && message.id !== undefined) {
          await send({ id: message.id, result: onServerRequest(message) });
        } else if (message.method !== undefined) {
          notifications.push(message);
          const hit = watchers.filter((w) => w.match(message));
          watchers = watchers.filter((w) => !hit.includes(w));
          for (const w of hit) w.resolve(message);
        } else if (message.id !== undefined) {
          pending.get(message.id)?.(message);
        }
      }
    }
  })();
  return {
    notifications,
    reading,
    writer,
    async request(method: string, params: Record<string, unknown>) {
      const id = nextId++;
      const answered = new Promise<Message>((resolve) => pending.set(id, resolve));
      await send({ id, method, params });
      const answer = await answered;
      if (answer.error) throw new Error(`${method}: ${answer.error.message}`);
      return answer.result!;
    },
    notify: (method: string, params: Record<string, unknown>) => send({ method, params }),
    /** The next notification matching `match` (including one that already arrived after `from`). */
    waitFor(match: (m: Message) => boolean, from = 0): Promise<Message> {
      const seen = notifications.slice(from).find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => watchers.push({ match, resolve }));
    },
  };
}

type RawClient = ReturnType<typeof rawClient>;

/** Starts a turn and resolves with its turn/completed and every notification scoped to it. */
async function runTurn(
  client: RawClient,
  threadId: string,
  text: string,
  extra: Record<string, unknown> = {},
) {
  const from = client.notifications.length;
  const result = await client.request("turn/start", {
    threadId,
    input: [{ type: "text", text, text_elements: [] }],
    ...extra,
  });
  const turnId = (result.turn as { id: string }).id;
  const completed = await client.waitFor(
    (m) => m.method === "turn/completed" && m.params?.turn?.id === turnId,
    from,
  );
  const events = client.notifications.slice(from).filter((m) =>
    m.params?.turnId === turnId || m.params?.turn?.id === turnId
  );
  return { completed, events };
}

function agentDeltas(events: Message[]): string {
  return events.filter((m) => m.method === "item/agentMessage/delta")
    .map((m) => m.params!.delta).join("");
}

Deno.test({
  name: "the real codex app-server runs text, tool, patch and failing turns against the mock",
  async fn() {
    await using server = await ResponsesModelServer.start();
    await using home = await writeCodexHome({ modelServerUrl: server.url });
    const cwd = await Deno.makeTempDir({ dir: home.dir, prefix: "cwd_" });
    const child = new Deno.Command(CODEX_BIN, {
      args: ["app-server"],
      env: { CODEX_HOME: home.dir },
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const stderr = child.stderr.pipeThrough(new TextDecoderStream()).pipeTo(new WritableStream());
    const approvals: string[] = [];
    const client = rawClient(child, (request) => {
      approvals.push(request.method!);
      return { decision: "accept" };
    });
    try {
      await client.request("initialize", {
        clientInfo: { name: "codex_worker_test", title: null, version: "0.0.0" },
        capabilities: { experimentalApi: true },
      });
      await client.notify("initialized", {});
      const started = await client.request("thread/start", {
        modelProvider: "mock",
        model: DEFAULT_MOCK_MODEL,
        cwd,
      });
      const threadId = (started.thread as { id: string }).id;

      // 1. A scripted text reply streams as agent-message deltas.
      const scripted = reply.text("Hello from the mock model!", { chunks: 5 });
      server.enqueue(scripted);
      const text = await runTurn(client, threadId, "say hi");
      assertEquals(text.completed.params!.turn!.status, "completed");
      assertEquals(agentDeltas(text.events), scripted.text);
      assert(text.events.some((m) => m.method === "thread/tokenUsage/updated"), "token usage");
      assert(
        !client.notifications.some((m) =>
          m.method === "warning" && String(m.params?.message).includes("Model metadata")
        ),
        "the default model slug is in codex's bundled catalog",
      );
      const first = server.requests[0]!;
      assertEquals(first.body.model, DEFAULT_MOCK_MODEL);
      assertEquals(first.headers.originator, "codex_worker_test");

      // 2. A function call runs exec_command; the follow-up request carries its output.
      server.enqueue(
        reply.functionCall({
          name: "exec_command",
          arguments: { cmd: "echo tool-output-42", login: false },
          callId: "call_echo",
        }),
        (request: ModelRequest) => {
          const output = functionCallOutputs(request).find((o) => o.call_id === "call_echo");
          return reply.text(`tool said: ${String(output?.output).includes("tool-output-42")}`);
        },
      );
      const tool = await runTurn(client, threadId, "run a tool");
      assertEquals(tool.completed.params!.turn!.status, "completed");
      assertEquals(agentDeltas(tool.events), "tool said: true");
      const command = tool.events.find((m) =>
        m.method === "item/completed" &&
        (m.params?.item as { type?: string })?.type === "commandExecution"
      );
      assertEquals((command?.params?.item as { id: string }).id, "call_echo");

      // 3. An apply_patch heredoc becomes a fileChange that asks for approval under untrusted.
      server.enqueue(reply.applyPatch("hello.txt", "hello from apply_patch\n"), reply.text("ok"));
      const patch = await runTurn(client, threadId, "write a file", {
        approvalPolicy: "untrusted",
      });
      assertEquals(patch.completed.params!.turn!.status, "completed");
      assert(approvals.includes("item/fileChange/requestApproval"), approvals.join());
      assertEquals(await Deno.readTextFile(`${cwd}/hello.txt`), "hello from apply_patch\n");

      // 4. response.failed fails the turn (no retries are configured).
      server.enqueue(reply.failed("mock failure event"));
      const failed = await runTurn(client, threadId, "fail please");
      assertEquals(failed.completed.params!.turn!.status, "failed");
      assertEquals(server.pending, 0);
    } finally {
      await client.writer.close().catch(() => {});
      try {
        child.kill("SIGTERM");
      } catch {
        // already exited after stdin closed
      }
      await child.status;
      await client.reading;
      await stderr;
    }
  },
});
