// The chat adapter when its Chat Completions upstream breaks off mid-answer: the connection
// resets, or closes cleanly without a finish reason or `[DONE]`. A cut-off answer must fail,
// never pass for a whole one: over HTTP (what codex reads) and end to end through the real
// app-server.

import { assert, assertEquals, assertRejects } from "../support/assert.ts";
import { Codex, isNotification, TurnFailedError } from "../../mod.ts";
import { chatAdapterProviderConfig, ChatAdapterServer } from "../../src/chat_adapter/mod.ts";
import { chatReply, ScriptedChatServer } from "../../src/chat_adapter/testing/mod.ts";
import { writeCodexHome } from "../../src/testing/mod.ts";
import { parseSse } from "./_helpers.ts";

const REQUEST = {
  model: "m",
  instructions: null,
  input: [{ type: "message", role: "user", content: [{ type: "input_text", text: "hi" }] }],
  tools: [],
  stream: true,
};

const silent = { warn: () => {} };

for (const end of ["reset", "eof"] as const) {
  Deno.test(`the adapter fails a response whose upstream breaks off mid-answer (${end})`, async () => {
    await using upstream = await ScriptedChatServer.start({
      script: [chatReply.broken("The answer is forty", { chunks: 3, end })],
    });
    await using adapter = await ChatAdapterServer.start({
      upstreamUrl: upstream.url,
      logger: silent,
    });
    const response = await fetch(`${adapter.url}/responses`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(REQUEST),
    });
    const events = parseSse(await response.text());
    const names = events.map((e) => e.event);
    assertEquals(names.filter((n) => n === "response.output_text.delta").length, 3);
    assertEquals(names.at(-1), "response.failed", `the response ends failed: ${names.join(" ")}`);
    assert(!names.includes("response.completed"), "a cut-off answer never completes");
    assert(!names.includes("response.output_item.done"), "nor is the message closed as whole");
    const { error } = events.at(-1)!.data.response;
    assertEquals(error.code, "upstream_stream_error");
    assert(error.message.startsWith(`Upstream ${upstream.url}`), error.message);
  });
}

Deno.test("[worker] an upstream that breaks mid-answer fails the turn with the reason, after its partial text streamed", async () => {
  await using upstream = await ScriptedChatServer.start({
    script: [chatReply.broken("The answer is forty", { chunks: 3 })],
  });
  await using adapter = await ChatAdapterServer.start({
    upstreamUrl: upstream.url,
    logger: silent,
  });
  await using home = await writeCodexHome({ modelServerUrl: "http://127.0.0.1:9/v1" });
  await using codex = await Codex.connect({
    worker: true,
    codexHome: home.dir,
    config: {
      ...chatAdapterProviderConfig(adapter, { model: "qwen3-8b" }),
      "features.plugins": false,
      "features.unbounded_connection_retries": false,
    },
  });
  const thread = await codex.threadStart({});
  const turn = await thread.turn("what is the answer?");
  const text: string[] = [];
  for await (const ev of turn.stream()) {
    if (isNotification(ev, "item/agentMessage/delta")) text.push(ev.params.delta);
  }
  assertEquals(text.join(""), "The answer is forty", "the partial answer streamed");
  const err = await assertRejects(() => turn.run(), TurnFailedError);
  assert(/stream broke|upstream/i.test(err.message), `the user is told why: ${err.message}`);
  assert(upstream.requests.length >= 1);
});
