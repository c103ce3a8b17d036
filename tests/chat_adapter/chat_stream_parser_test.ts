// Ports of codex's Chat Completions stream tests (codex-api `sse/chat.rs`), plus the behaviours
// of its `process_chat_sse` that those tests did not pin.

import { ChatStreamParser, toResponsesUsage } from "../../src/chat_adapter/chat_stream_parser.ts";
import type { ChatStreamEvent } from "../../src/chat_adapter/stream_events.ts";
import {
  assert,
  assertEquals,
  buildBody,
  collectEvents,
  describeEvent,
  encodeAll,
} from "./_helpers.ts";

function toolDelta(id: string | undefined, fn: Record<string, unknown>, index?: number) {
  const call: Record<string, unknown> = { function: fn };
  if (id !== undefined) call.id = id;
  if (index !== undefined) call.index = index;
  return { choices: [{ delta: { tool_calls: [call] } }] };
}

const finish = (reason: string) => ({ choices: [{ finish_reason: reason }] });

function functionCalls(events: ChatStreamEvent[]) {
  return events.flatMap((event) =>
    event.type === "item_done" && event.item.type === "function_call" ? [event.item] : []
  );
}

// --- the four tests of codex's sse/chat.rs ------------------------------------------------

Deno.test("ChatStreamParser emits several tool calls in order, then completes", () => {
  const body = buildBody([
    toolDelta("call_a", { name: "do_a", arguments: '{"foo":1}' }),
    toolDelta("call_b", { name: "do_b", arguments: '{"bar":2}' }),
    finish("tool_calls"),
  ]);
  const events = collectEvents(body);
  assertEquals(events, [
    {
      type: "item_done",
      item: { type: "function_call", call_id: "call_a", name: "do_a", arguments: '{"foo":1}' },
    },
    {
      type: "item_done",
      item: { type: "function_call", call_id: "call_b", name: "do_b", arguments: '{"bar":2}' },
    },
    { type: "completed" },
  ]);
  const sse = encodeAll(events);
  assertEquals(sse.map((e) => e.event), [
    "response.output_item.done",
    "response.output_item.done",
    "response.completed",
  ]);
  assertEquals(sse[0].data.item, {
    type: "function_call",
    id: "fc_resp_1_0",
    call_id: "call_a",
    name: "do_a",
    arguments: '{"foo":1}',
  });
  assertEquals([sse[0].data.output_index, sse[1].data.output_index], [0, 1]);
});

Deno.test("ChatStreamParser concatenates tool call arguments across deltas", () => {
  const body = buildBody([
    toolDelta("call_a", { name: "do_a" }),
    toolDelta("call_a", { arguments: '{ "foo":' }),
    toolDelta("call_a", { arguments: "1}" }),
    finish("tool_calls"),
  ]);
  const events = collectEvents(body);
  assertEquals(events, [
    {
      type: "item_done",
      item: { type: "function_call", call_id: "call_a", name: "do_a", arguments: '{ "foo":1}' },
    },
    { type: "completed" },
  ]);
  assertEquals(encodeAll(events).map((e) => e.event), [
    "response.output_item.done",
    "response.completed",
  ]);
});

Deno.test("ChatStreamParser emits tool calls even when content and reasoning are present", () => {
  const body = buildBody([
    {
      choices: [{
        delta: {
          content: [{ text: "hi" }],
          reasoning: "because",
          tool_calls: [{ id: "call_a", function: { name: "do_a", arguments: "{}" } }],
        },
      }],
    },
    finish("tool_calls"),
  ]);
  const events = collectEvents(body);
  assertEquals(events.map(describeEvent), [
    "added:reasoning",
    "reasoning_delta:because",
    "added:message",
    "text_delta:hi",
    "done:reasoning",
    "done:function_call:call_a",
    "done:message",
    "completed",
  ]);
  assertEquals(functionCalls(events)[0].name, "do_a");
  // Responses items are sequential: the encoder closes the reasoning before the message opens,
  // and the message before the call, so codex sees each item start and finish once.
  const sse = encodeAll(events);
  assertEquals(sse.map((e) => e.event), [
    "response.output_item.added",
    "response.reasoning_text.delta",
    "response.output_item.done",
    "response.output_item.added",
    "response.output_text.delta",
    "response.output_item.done",
    "response.output_item.done",
    "response.completed",
  ]);
  assertEquals(sse[2].data.item, {
    type: "reasoning",
    id: "rs_resp_1_0",
    summary: [],
    content: [{ type: "reasoning_text", text: "because" }],
  });
  assertEquals(sse[5].data.item, {
    type: "message",
    id: "msg_resp_1_1",
    role: "assistant",
    content: [{ type: "output_text", text: "hi", annotations: [] }],
  });
  assertEquals(sse[6].data.item, {
    type: "function_call",
    id: "fc_resp_1_2",
    call_id: "call_a",
    name: "do_a",
    arguments: "{}",
  });
  assertEquals(sse.map((e) => e.data.output_index).slice(0, 7), [0, 0, 0, 1, 1, 1, 2]);
});

Deno.test("ChatStreamParser drops partial tool calls on a stop finish reason", () => {
  const body = buildBody([
    toolDelta("call_a", { name: "do_a", arguments: "{}" }),
    finish("stop"),
  ]);
  const events = collectEvents(body);
  assertEquals(functionCalls(events), []);
  assertEquals(events.at(-1), { type: "completed" });
  assertEquals(encodeAll(events).map((e) => e.event), ["response.completed"]);
});

// --- the rest of process_chat_sse's behaviour --------------------------------------------

Deno.test("ChatStreamParser streams string content and closes the message on stop", () => {
  const events = collectEvents(buildBody([
    { choices: [{ delta: { role: "assistant", content: "Hel" } }] },
    { choices: [{ delta: { content: "lo" } }] },
    { choices: [{ delta: {}, finish_reason: "stop" }] },
  ]));
  assertEquals(events, [
    { type: "item_added", item: { type: "message", role: "assistant", content: [] } },
    { type: "text_delta", delta: "Hel" },
    { type: "text_delta", delta: "lo" },
    {
      type: "item_done",
      item: {
        type: "message",
        role: "assistant",
        content: [{ type: "output_text", text: "Hello" }],
      },
    },
    { type: "completed" },
  ]);
});

Deno.test("ChatStreamParser reads content given as an array of parts", () => {
  const events = collectEvents(buildBody([
    { choices: [{ delta: { content: [{ type: "text", text: "a" }, { text: "b" }, { x: 1 }] } }] },
    finish("stop"),
  ]));
  assertEquals(events.map(describeEvent), [
    "added:message",
    "text_delta:a",
    "text_delta:b",
    "done:message",
    "completed",
  ]);
});

Deno.test("ChatStreamParser reads reasoning as a string, {text} or {content}", async (t) => {
  const shapes: [string, unknown][] = [
    ["delta.reasoning string", { delta: { reasoning: "r" } }],
    ["delta.reasoning {text}", { delta: { reasoning: { text: "r" } } }],
    ["delta.reasoning {content}", { delta: { reasoning: { content: "r" } } }],
    ["delta.reasoning_content string", { delta: { reasoning_content: "r" } }],
    ["delta.reasoning_content {text}", { delta: { reasoning_content: { text: "r" } } }],
    ["message.reasoning string", { message: { reasoning: "r" } }],
    ["message.reasoning {text}", { message: { reasoning: { text: "r" } } }],
    ["message.reasoning {content}", { message: { reasoning: { content: "r" } } }],
  ];
  for (const [name, choice] of shapes) {
    await t.step(name, () => {
      const events = collectEvents(buildBody([{ choices: [choice] }, finish("stop")]));
      assertEquals(events, [
        { type: "item_added", item: { type: "reasoning", content: [] } },
        { type: "reasoning_delta", delta: "r" },
        {
          type: "item_done",
          item: { type: "reasoning", content: [{ type: "reasoning_text", text: "r" }] },
        },
        { type: "completed" },
      ]);
    });
  }
});

Deno.test("ChatStreamParser prefers delta.reasoning over a duplicate reasoning_content", () => {
  const events = collectEvents(buildBody([
    { choices: [{ delta: { reasoning: "r", reasoning_content: "r" } }] },
  ]));
  assertEquals(events.filter((e) => e.type === "reasoning_delta").length, 1);
});

Deno.test("ChatStreamParser closes reasoning before the message on stop", () => {
  const events = collectEvents(buildBody([
    { choices: [{ delta: { reasoning_content: "think " } }] },
    { choices: [{ delta: { reasoning_content: "more" } }] },
    { choices: [{ delta: { content: "answer" } }] },
    finish("stop"),
  ]));
  assertEquals(events.map(describeEvent), [
    "added:reasoning",
    "reasoning_delta:think ",
    "reasoning_delta:more",
    "added:message",
    "text_delta:answer",
    "done:reasoning",
    "done:message",
    "completed",
  ]);
  const done = events[5];
  assert(done.type === "item_done" && done.item.type === "reasoning");
  assertEquals(done.item.content, [{ type: "reasoning_text", text: "think more" }]);
});

Deno.test("ChatStreamParser accumulates tool calls by index when ids are missing", () => {
  // OpenAI style: the id only on the first delta of each call, then the index alone.
  const events = collectEvents(buildBody([
    toolDelta("call_a", { name: "exec_command", arguments: "" }, 0),
    toolDelta(undefined, { arguments: '{"cmd":' }, 0),
    toolDelta("call_b", { name: "get_goal", arguments: "{}" }, 1),
    toolDelta(undefined, { arguments: '"ls"}' }, 0),
    finish("tool_calls"),
  ]));
  assertEquals(functionCalls(events), [
    { type: "function_call", call_id: "call_a", name: "exec_command", arguments: '{"cmd":"ls"}' },
    { type: "function_call", call_id: "call_b", name: "get_goal", arguments: "{}" },
  ]);
});

Deno.test("ChatStreamParser gives synthetic ids to tool calls that have none", () => {
  const parser = new ChatStreamParser({ syntheticCallIdPrefix: "call_x_" });
  const events = [
    ...parser.push(JSON.stringify(toolDelta(undefined, { name: "a", arguments: "{" }, 0))),
    ...parser.push(JSON.stringify(toolDelta(undefined, { name: "b", arguments: "{}" }, 1))),
    ...parser.push(JSON.stringify(toolDelta(undefined, { arguments: "}" }, 0))),
    ...parser.push(JSON.stringify(finish("tool_calls"))),
    ...parser.finish(),
  ];
  assertEquals(functionCalls(events), [
    { type: "function_call", call_id: "call_x_0", name: "a", arguments: "{}" },
    { type: "function_call", call_id: "call_x_1", name: "b", arguments: "{}" },
  ]);
  assertEquals(
    collectEvents(buildBody([toolDelta(undefined, { name: "a" }), finish("tool_calls")]))
      .map(describeEvent),
    ["done:function_call:tool-call-0", "completed"],
  );
});

Deno.test("ChatStreamParser continues the latest call when a delta has neither id nor index", () => {
  const events = collectEvents(buildBody([
    toolDelta("call_a", { name: "a", arguments: '{"x":' }),
    toolDelta(undefined, { arguments: "1}" }),
    finish("tool_calls"),
  ]));
  assertEquals(functionCalls(events), [
    { type: "function_call", call_id: "call_a", name: "a", arguments: '{"x":1}' },
  ]);
});

Deno.test("ChatStreamParser fails with context_length_exceeded on a length finish", () => {
  const parser = new ChatStreamParser();
  const events = [
    ...parser.push(JSON.stringify({ choices: [{ delta: { content: "partial" } }] })),
    ...parser.push(JSON.stringify(finish("length"))),
  ];
  assertEquals(events.map(describeEvent), [
    "added:message",
    "text_delta:partial",
    "failed:context_length_exceeded",
  ]);
  assert(parser.done);
  assertEquals(parser.push(JSON.stringify({ choices: [{ delta: { content: "more" } }] })), []);
  assertEquals(parser.finish(), []);
  const sse = encodeAll(events);
  assertEquals(sse.at(-1)?.data, {
    type: "response.failed",
    response: {
      id: "resp_1",
      status: "failed",
      error: {
        code: "context_length_exceeded",
        message: "The model stopped because it reached its token limit (finish_reason: length)",
      },
    },
  });
});

Deno.test("ChatStreamParser flushes and completes when the stream ends without a finish reason", () => {
  const events = collectEvents(buildBody([
    { choices: [{ delta: { reasoning: "r" } }] },
    { choices: [{ delta: { content: "text" } }] },
    toolDelta("call_a", { name: "a", arguments: "{}" }),
  ]));
  assertEquals(events.map(describeEvent), [
    "added:reasoning",
    "reasoning_delta:r",
    "added:message",
    "text_delta:text",
    "done:reasoning",
    "done:message",
    "completed",
  ]);
});

Deno.test("ChatStreamParser completes once even if the stream goes on after stop", () => {
  const events = collectEvents(buildBody([
    { choices: [{ delta: { content: "a" }, finish_reason: "stop" }] },
    finish("stop"),
  ]));
  assertEquals(events.map(describeEvent), [
    "added:message",
    "text_delta:a",
    "done:message",
    "completed",
  ]);
});

Deno.test("ChatStreamParser skips malformed JSON, empty payloads and chunks without choices", () => {
  const body = 'data: {"choices":[{"delta":{"content":"a"}}]}\n\n' +
    "data: {not json\n\n" +
    "data: \n\n" +
    'data: {"object":"chat.completion.chunk"}\n\n' +
    'data: {"choices":"nope"}\n\n' +
    'data: ["array"]\n\n' +
    'data: {"choices":[null,{"delta":{"content":"b"}}]}\n\n';
  assertEquals(collectEvents(body).map(describeEvent), [
    "added:message",
    "text_delta:a",
    "text_delta:b",
    "done:message",
    "completed",
  ]);
});

Deno.test("ChatStreamParser ignores empty content and reasoning strings", () => {
  const events = collectEvents(buildBody([
    { choices: [{ delta: { role: "assistant", content: "", reasoning_content: "" } }] },
    toolDelta("call_a", { name: "a", arguments: "{}" }),
    finish("tool_calls"),
  ]));
  assertEquals(events.map(describeEvent), ["done:function_call:call_a", "completed"]);
});

Deno.test("ChatStreamParser treats [DONE] as the end of the stream", () => {
  const parser = new ChatStreamParser();
  const events = [
    ...parser.push(JSON.stringify({ choices: [{ delta: { content: "a" } }] })),
    ...parser.push("[DONE]"),
  ];
  assertEquals(events.map(describeEvent), [
    "added:message",
    "text_delta:a",
    "done:message",
    "completed",
  ]);
  assert(parser.done);
  assertEquals(parser.push(JSON.stringify({ choices: [{ delta: { content: "b" } }] })), []);
});

Deno.test("ChatStreamParser reports upstream usage, sent after the finish reason", () => {
  const events = collectEvents(buildBody([
    { choices: [{ delta: { content: "a" } }] },
    finish("stop"),
    {
      choices: [],
      usage: {
        prompt_tokens: 100,
        completion_tokens: 20,
        total_tokens: 120,
        prompt_tokens_details: { cached_tokens: 64 },
        completion_tokens_details: { reasoning_tokens: 7 },
      },
    },
  ]));
  assertEquals(events.at(-1), {
    type: "completed",
    usage: {
      input_tokens: 100,
      input_tokens_details: { cached_tokens: 64 },
      output_tokens: 20,
      output_tokens_details: { reasoning_tokens: 7 },
      total_tokens: 120,
    },
  });
  assertEquals(encodeAll(events).at(-1)?.data.response.usage.total_tokens, 120);
});

Deno.test("toResponsesUsage fills missing counts with zero and sums a missing total", () => {
  assertEquals(toResponsesUsage({ prompt_tokens: 3, completion_tokens: 4, usage: null }), {
    input_tokens: 3,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: 4,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: 7,
  });
});

Deno.test("ChatStreamParser.fail fails an unfinished answer", () => {
  const parser = new ChatStreamParser();
  const events = [
    ...parser.push(JSON.stringify({ choices: [{ delta: { content: "a" } }] })),
    ...parser.fail("upstream_idle_timeout", "idle timeout waiting for SSE"),
  ];
  assertEquals(events.at(-1), {
    type: "failed",
    code: "upstream_idle_timeout",
    message: "idle timeout waiting for SSE",
  });
  assertEquals(parser.finish(), []);
});

Deno.test("ChatStreamParser.fail completes an answer whose finish reason arrived", () => {
  const parser = new ChatStreamParser();
  const events = [
    ...parser.push(JSON.stringify({ choices: [{ delta: { content: "a" } }] })),
    ...parser.push(JSON.stringify(finish("stop"))),
    ...parser.fail("upstream_idle_timeout", "idle"),
  ];
  assertEquals(events.map(describeEvent), [
    "added:message",
    "text_delta:a",
    "done:message",
    "completed",
  ]);
});
