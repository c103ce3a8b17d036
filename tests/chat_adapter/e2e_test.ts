// End to end through the public API: Codex.connect → the real pinned `codex app-server` → the
// chat adapter → a scripted Chat Completions server on 127.0.0.1. Only the model is simulated.

import { assert, assertEquals, assertRejects } from "../support/assert.ts";
import { Codex, type ServerRequestHandlers, TurnFailedError } from "../../mod.ts";
import { chatAdapterProviderConfig, ChatAdapterServer } from "../../src/chat_adapter/mod.ts";
import type { ChatMessage } from "../../src/chat_adapter/mod.ts";
import {
  chatReply,
  type ChatScriptStep,
  type RecordedChatRequest,
  ScriptedChatServer,
} from "../../src/chat_adapter/testing/mod.ts";
import { writeCodexHome } from "../../src/testing/mod.ts";

const MODEL = "qwen3-8b";

const upstream = await ScriptedChatServer.start();
const adapterLog: string[] = [];
const adapter = await ChatAdapterServer.start({
  upstreamUrl: upstream.url,
  logger: { warn: (line) => adapterLog.push(line) },
});
// Hermetic: no login, no user config. Its own provider points nowhere (port 9, discard), so
// a turn only works if `config` below routes it through the adapter.
const home = await writeCodexHome({ modelServerUrl: "http://127.0.0.1:9/v1" });

function connect(worker: boolean, serverRequests?: ServerRequestHandlers): Promise<Codex> {
  return Codex.connect({
    worker,
    codexHome: home.dir,
    serverRequests,
    config: {
      ...chatAdapterProviderConfig(adapter, { model: MODEL }),
      "features.plugins": false,
      "features.unbounded_connection_retries": false,
    },
  });
}

/**
 * Gives the upstream a fresh script; returns a function that reads the requests made since,
 * checking that every scripted reply was used.
 */
function script(...steps: ChatScriptStep[]): () => RecordedChatRequest[] {
  upstream.clear(); // what a failed test left over
  upstream.enqueue(...steps);
  const from = upstream.requests.length;
  return () => {
    assertEquals(upstream.pending, 0, "every scripted reply was requested");
    return upstream.requests.slice(from);
  };
}

function lastUserText(messages: readonly ChatMessage[]): string {
  const user = messages.findLast((m) => m.role === "user");
  if (!user) return "";
  return typeof user.content === "string"
    ? user.content
    : user.content.map((part) => part.type === "text" ? part.text : "").join("");
}

for (const worker of [true, false]) {
  const mode = worker ? "worker" : "in-process";

  Deno.test(`[${mode}] a chat model's streamed answer reaches streamText() and run() with its usage`, async () => {
    const requests = script(
      chatReply.text("Hello from a chat model!", {
        chunks: 4,
        reasoning: "The user greets me.",
        usage: { prompt_tokens: 120, completion_tokens: 9, total_tokens: 129 },
      }),
      chatReply.text("Second answer.", {
        chunks: 2,
        usage: {
          prompt_tokens: 200,
          completion_tokens: 4,
          total_tokens: 204,
          prompt_tokens_details: { cached_tokens: 96 },
          completion_tokens_details: { reasoning_tokens: 1 },
        },
        splitEvery: 7,
      }),
    );
    await using codex = await connect(worker);
    const thread = await codex.threadStart({});

    const turn = await thread.turn("hello there");
    const deltas: string[] = [];
    for await (const delta of turn.streamText()) deltas.push(delta);
    assertEquals(deltas, ["Hello ", "from a", " chat ", "model!"], "one delta per chunk");
    const first = await turn.run();
    assertEquals(first.finalResponse, "Hello from a chat model!");
    assertEquals(first.usage?.last.totalTokens, 129);
    assert(
      first.items.some((i) =>
        i.type === "reasoning" && i.content.join("") === "The user greets me."
      ),
      "the reasoning delta became a reasoning item",
    );

    const second = await thread.run("and again");
    assertEquals(second.status, "completed");
    assertEquals(second.finalResponse, "Second answer.");
    const { last, total } = second.usage!;
    assertEquals(
      [last.inputTokens, last.cachedInputTokens, last.outputTokens, last.reasoningOutputTokens],
      [200, 96, 4, 1],
    );
    assertEquals(last.totalTokens, 204);
    assertEquals(total.totalTokens, 129 + 204, "usage adds up over the thread");

    const [req1, req2] = requests();
    for (const req of [req1, req2]) {
      assertEquals(req.body.model, MODEL);
      assertEquals(req.body.stream, true);
      assertEquals(req.body.messages[0].role, "system", "instructions become a system message");
    }
    assertEquals(lastUserText(req1.body.messages), "hello there");
    assertEquals(lastUserText(req2.body.messages), "and again");
    assert(
      req2.body.messages.some((m) =>
        m.role === "assistant" && m.content === "Hello from a chat model!"
      ),
      "the second request carries the first answer as history",
    );
  });
}

Deno.test("[worker] an exec_command call split over deltas runs after approval, and its output goes back as a tool message", async () => {
  const callId = "call_e2e_exec";
  const args = { cmd: "echo chat-adapter-$((40+2))", login: false, yield_time_ms: 20000 };
  const requests = script(
    chatReply.toolCall({
      id: callId,
      name: "exec_command",
      arguments: args,
      argumentChunks: 5,
      splitEvery: 11,
    }),
    chatReply.text("The command printed chat-adapter-42.", { chunks: 3 }),
  );
  const approvals: string[] = [];
  await using codex = await connect(true, {
    "item/commandExecution/requestApproval": (params) => {
      approvals.push(String(params.command));
      return { decision: "accept" };
    },
  });
  const thread = await codex.threadStart({ approvalPolicy: "untrusted", cwd: home.dir });
  const result = await thread.run("run the command");

  assertEquals(approvals.length, 1, "one approval was asked");
  assert(approvals[0].includes("echo chat-adapter-"), approvals[0]);
  const command = result.items.find((i) => i.type === "commandExecution");
  assert(command?.type === "commandExecution", "a command item completed");
  assertEquals(command.status, "completed");
  assert(String(command.aggregatedOutput).includes("chat-adapter-42"), "the command ran");
  assertEquals(result.finalResponse, "The command printed chat-adapter-42.");

  const [first, followUp] = requests();
  assert(
    first.body.tools?.some((t) => t.function.name === "exec_command"),
    "exec_command is offered as a chat tool",
  );
  const messages = followUp.body.messages;
  const callAt = messages.findIndex((m) =>
    m.role === "assistant" && m.tool_calls?.some((c) => c.id === callId)
  );
  assert(callAt >= 0, "the follow-up carries the assistant's tool call");
  const call = messages[callAt];
  assert(call.role === "assistant" && call.tool_calls !== undefined);
  assertEquals(call.tool_calls[0].function.name, "exec_command");
  assertEquals(JSON.parse(call.tool_calls[0].function.arguments), args);
  const output = messages[callAt + 1];
  assert(output?.role === "tool", `a tool message follows the call: ${JSON.stringify(output)}`);
  assertEquals(output.tool_call_id, callId);
  assert(output.content.includes("chat-adapter-42"), `tool output: ${output.content}`);
});

Deno.test("[worker] a length finish fails the turn as a context window overflow", async () => {
  const requests = script(chatReply.length("The answer would be very lo"));
  await using codex = await connect(true);
  const thread = await codex.threadStart({});
  const error = await assertRejects(() => thread.run("write a novel"), TurnFailedError);
  assertEquals(error.turnError.codexErrorInfo, "contextWindowExceeded");
  assert(error.message.length > 0, "the user is told why");
  assertEquals(requests().length, 1, "no retry");
});

Deno.test("teardown: the adapter, the upstream and the CODEX_HOME go away", async () => {
  await adapter.close();
  await upstream.close();
  await home.cleanup();
  assert(
    adapterLog.some((line) => line.includes("dropped tools") && line.includes("web_search")),
    `codex's web_search tool was dropped with a warning: ${adapterLog.join(" | ")}`,
  );
});
