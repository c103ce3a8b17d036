// The scripted Chat Completions server used by the end-to-end tests and the example.

import { SseDecoder } from "../../src/chat_adapter/sse_decoder.ts";
import { chatReply, ScriptedChatServer } from "../../src/chat_adapter/testing/mod.ts";
import { assert, assertEquals } from "./_helpers.ts";

function post(url: string, body: unknown = { model: "m", messages: [] }): Promise<Response> {
  return fetch(`${url}/chat/completions`, { method: "POST", body: JSON.stringify(body) });
}

/** The `data:` payloads of an SSE body. */
async function readPayloads(response: Response): Promise<string[]> {
  const decoder = new SseDecoder();
  const payloads: string[] = [];
  for await (const text of response.body!.pipeThrough(new TextDecoderStream())) {
    payloads.push(...decoder.push(text));
  }
  return [...payloads, ...decoder.finish()];
}

/**
 * POSTs over a raw HTTP/1.1 connection and returns the body's chunks as the server wrote them
 * (one chunked-encoding chunk per write, whatever TCP does to the packets).
 */
async function rawWrites(port: number): Promise<string[]> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const body = JSON.stringify({ model: "m", messages: [] });
  await conn.write(new TextEncoder().encode(
    "POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n" +
      `content-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`,
  ));
  const raw = await new Response(conn.readable).text();
  const head = raw.indexOf("\r\n\r\n");
  assert(/transfer-encoding: chunked/i.test(raw.slice(0, head)), "a chunked response");
  const writes: string[] = [];
  for (let at = head + 4;;) {
    const eol = raw.indexOf("\r\n", at);
    const size = parseInt(raw.slice(at, eol), 16);
    if (size === 0) return writes;
    writes.push(raw.slice(eol + 2, eol + 2 + size)); // ASCII only, so chars are bytes
    at = eol + 2 + size + 2;
  }
}

Deno.test("ScriptedChatServer streams a tool call with its arguments cut into deltas", async () => {
  await using server = await ScriptedChatServer.start({
    script: [
      chatReply.toolCall({
        id: "call_1",
        name: "exec_command",
        arguments: { cmd: "echo hi" },
        argumentChunks: 3,
        usage: { prompt_tokens: 5, completion_tokens: 2 },
      }),
    ],
  });
  const payloads = await readPayloads(await post(server.url));
  assertEquals(payloads.at(-1), "[DONE]");
  // deno-lint-ignore no-explicit-any
  const chunks: any[] = payloads.slice(0, -1).map((p) => JSON.parse(p));
  const calls = chunks.flatMap((c) =>
    c.choices.flatMap((ch: { delta: { tool_calls?: unknown[] } }) => ch.delta.tool_calls ?? [])
  );
  assertEquals(calls.map((c) => c.id), ["call_1", undefined, undefined, undefined]);
  assertEquals(calls.map((c) => c.function.arguments).join(""), '{"cmd":"echo hi"}');
  assertEquals(calls.length - 1, 3, "three argument deltas");
  assertEquals(chunks.at(-2).choices[0].finish_reason, "tool_calls");
  assertEquals(chunks.at(-1).usage, { prompt_tokens: 5, completion_tokens: 2 });
});

Deno.test("ScriptedChatServer writes each event on its own by default", async () => {
  await using server = await ScriptedChatServer.start({
    script: [chatReply.text("Hello world", { chunks: 2 })],
  });
  const writes = await rawWrites(server.port);
  assertEquals(writes.length, 5, "role, two content deltas, finish, [DONE]");
  assert(writes.every((w) => w.startsWith("data: ") && w.endsWith("\n\n")), writes.join("|"));
  const text = writes.slice(0, -1).map((w) => JSON.parse(w.slice(6)).choices[0].delta.content);
  assertEquals(text, ["", "Hello ", "world", undefined]);
});

Deno.test("ScriptedChatServer cuts the SSE text at arbitrary places with splitEvery", async () => {
  await using server = await ScriptedChatServer.start({
    script: [chatReply.text("Hello world", { chunks: 2, splitEvery: 5 }), chatReply.text("x")],
  });
  const writes = await rawWrites(server.port);
  assert(writes.slice(0, -1).every((w) => w.length === 5), writes.join("|"));
  assert(writes.at(-1)!.length <= 5);
  const payloads = await readPayloads(await post(server.url));
  assertEquals(payloads.length, 4, "the next reply decodes whole");
  const decoder = new SseDecoder();
  const again = [...writes.flatMap((w) => decoder.push(w)), ...decoder.finish()];
  assertEquals(again.length, 5);
  assertEquals(again.at(-1), "[DONE]");
});

Deno.test("ScriptedChatServer records requests and says so when the script ran out", async () => {
  await using server = await ScriptedChatServer.start({ script: [chatReply.length("x")] });
  server.enqueue(chatReply.text("dropped"));
  assertEquals(server.clear(), 2);
  const response = await post(server.url, {
    model: "m",
    messages: [{ role: "user", content: "q" }],
  });
  assertEquals(response.status, 500);
  assert((await response.text()).includes("No scripted reply left for request 0"));
  assertEquals(server.requests.map((r) => [r.index, r.path, r.body.messages.length]), [
    [0, "/v1/chat/completions", 1],
  ]);
  const other = await fetch(`${server.url}/models`);
  assertEquals(other.status, 404);
  await other.body?.cancel();
});
