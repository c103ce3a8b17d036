import { formatSseEvent, ResponsesEncoder } from "../../src/chat_adapter/responses_encoder.ts";
import { assertEquals, parseSse } from "./_helpers.ts";

Deno.test("ResponsesEncoder writes the exact SSE bytes of a text answer", () => {
  const encoder = new ResponsesEncoder({ responseId: "resp_1" });
  const text = encoder.created() +
    encoder.encode({
      type: "item_added",
      item: { type: "message", role: "assistant", content: [] },
    }) +
    encoder.encode({ type: "text_delta", delta: "Hi" }) +
    encoder.encode({
      type: "item_done",
      item: { type: "message", role: "assistant", content: [{ type: "output_text", text: "Hi" }] },
    }) +
    encoder.encode({
      type: "completed",
      usage: {
        input_tokens: 10,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: 5,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 15,
      },
    });
  assertEquals(
    text,
    'event: response.created\ndata: {"type":"response.created","response":{"id":"resp_1",' +
      '"status":"in_progress"}}\n\n' +
      'event: response.output_item.added\ndata: {"type":"response.output_item.added",' +
      '"output_index":0,"item":{"type":"message","id":"msg_resp_1_0","role":"assistant",' +
      '"content":[]}}\n\n' +
      'event: response.output_text.delta\ndata: {"type":"response.output_text.delta",' +
      '"item_id":"msg_resp_1_0","output_index":0,"content_index":0,"delta":"Hi"}\n\n' +
      'event: response.output_item.done\ndata: {"type":"response.output_item.done",' +
      '"output_index":0,"item":{"type":"message","id":"msg_resp_1_0","role":"assistant",' +
      '"content":[{"type":"output_text","text":"Hi","annotations":[]}]}}\n\n' +
      'event: response.completed\ndata: {"type":"response.completed","response":{"id":"resp_1",' +
      '"status":"completed","usage":{"input_tokens":10,"input_tokens_details":{"cached_tokens":0},' +
      '"output_tokens":5,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":15}}}\n\n',
  );
});

Deno.test("ResponsesEncoder sends reasoning deltas as response.reasoning_text.delta", () => {
  const encoder = new ResponsesEncoder({ responseId: "r" });
  const events = parseSse(
    encoder.encode({ type: "item_added", item: { type: "reasoning", content: [] } }) +
      encoder.encode({ type: "reasoning_delta", delta: "hmm" }),
  );
  assertEquals(events[0].data.item, { type: "reasoning", id: "rs_r_0", summary: [], content: [] });
  assertEquals(events[1].data, {
    type: "response.reasoning_text.delta",
    item_id: "rs_r_0",
    output_index: 0,
    content_index: 0,
    delta: "hmm",
  });
});

Deno.test("ResponsesEncoder splits a flattened tool name back into namespace and name", () => {
  const encoder = new ResponsesEncoder({
    responseId: "r",
    namespacedTools: new Map([["multi_agent_v1__wait_agent", {
      namespace: "multi_agent_v1",
      name: "wait_agent",
    }]]),
  });
  const [event] = parseSse(encoder.encode({
    type: "item_done",
    item: {
      type: "function_call",
      call_id: "c",
      name: "multi_agent_v1__wait_agent",
      arguments: "{}",
    },
  }));
  assertEquals(event.data.item, {
    type: "function_call",
    id: "fc_r_0",
    call_id: "c",
    namespace: "multi_agent_v1",
    name: "wait_agent",
    arguments: "{}",
  });
});

Deno.test("ResponsesEncoder writes failures as response.failed with code and message", () => {
  const encoder = new ResponsesEncoder({ responseId: "r" });
  assertEquals(
    encoder.encode({ type: "failed", code: "upstream_http_error", message: "HTTP 500" }),
    formatSseEvent("response.failed", {
      type: "response.failed",
      response: {
        id: "r",
        status: "failed",
        error: { code: "upstream_http_error", message: "HTTP 500" },
      },
    }),
  );
});

Deno.test("ResponsesEncoder keeps items sequential when the chat stream interleaves them", () => {
  const encoder = new ResponsesEncoder({ responseId: "r" });
  const events = parseSse([
    encoder.encode({ type: "item_added", item: { type: "reasoning", content: [] } }),
    encoder.encode({ type: "reasoning_delta", delta: "a" }),
    encoder.encode({
      type: "item_added",
      item: { type: "message", role: "assistant", content: [] },
    }),
    encoder.encode({ type: "text_delta", delta: "x" }),
    encoder.encode({ type: "reasoning_delta", delta: "b" }),
    encoder.encode({ type: "text_delta", delta: "y" }),
    encoder.encode({
      type: "item_done",
      item: { type: "reasoning", content: [{ type: "reasoning_text", text: "ab" }] },
    }),
    encoder.encode({
      type: "item_done",
      item: { type: "message", role: "assistant", content: [{ type: "output_text", text: "xy" }] },
    }),
    encoder.encode({ type: "completed" }),
  ].join(""));
  assertEquals(
    events.map((e) => {
      const item = e.data.item;
      if (e.event === "response.output_item.added") return `+${item.id}`;
      if (e.event === "response.output_item.done") {
        return `-${item.id}:${item.content[0].text}`;
      }
      if (e.event.endsWith(".delta")) return `${e.data.item_id}:${e.data.delta}`;
      return e.event;
    }),
    [
      "+rs_r_0",
      "rs_r_0:a",
      "-rs_r_0:a",
      "+msg_r_1",
      "msg_r_1:x",
      "-msg_r_1:x",
      "+rs_r_2",
      "rs_r_2:b",
      "-rs_r_2:b",
      "+msg_r_3",
      "msg_r_3:y",
      "-msg_r_3:y",
      "response.completed",
    ],
  );
});

Deno.test("ResponsesEncoder leaves the open item unfinished when the response fails", () => {
  const encoder = new ResponsesEncoder({ responseId: "r" });
  const events = parseSse(
    encoder.encode({ type: "text_delta", delta: "x" }) +
      encoder.encode({ type: "failed", code: "context_length_exceeded", message: "full" }),
  );
  assertEquals(events.map((e) => e.event), [
    "response.output_item.added",
    "response.output_text.delta",
    "response.failed",
  ]);
});
