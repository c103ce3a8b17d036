import { translateRequest } from "../../src/chat_adapter/request_translator.ts";
import { assertEquals } from "./_helpers.ts";

const text = (t: string) => ({ type: "input_text", text: t });
const message = (role: string, ...parts: string[]) => ({
  type: "message",
  role,
  content: parts.map((p) => role === "assistant" ? { type: "output_text", text: p } : text(p)),
});
const call = (id: string, name: string, args = "{}", extra: Record<string, unknown> = {}) => ({
  type: "function_call",
  call_id: id,
  name,
  arguments: args,
  ...extra,
});
const output = (id: string, out: unknown) => ({
  type: "function_call_output",
  call_id: id,
  output: out,
});

const EXEC_TOOL = {
  type: "function",
  name: "exec_command",
  description: "Runs a command",
  strict: false,
  parameters: { type: "object", properties: { cmd: { type: "string" } }, required: ["cmd"] },
};

Deno.test("translateRequest maps instructions and developer messages to one leading system message", () => {
  const { request } = translateRequest({
    model: "m",
    instructions: "base",
    input: [message("developer", "dev 1"), message("developer", "skills", "permissions")],
  });
  assertEquals(request.messages, [{
    role: "system",
    content: "base\n\ndev 1\n\nskills\n\npermissions",
  }]);
});

Deno.test("translateRequest keeps a later developer message in place as a system message", () => {
  const { request } = translateRequest({
    input: [message("developer", "d"), message("user", "u"), message("developer", "late")],
  });
  assertEquals(request.messages, [
    { role: "system", content: "d" },
    { role: "user", content: "u" },
    { role: "system", content: "late" },
  ]);
});

Deno.test("translateRequest turns content parts into string content", () => {
  const { request } = translateRequest({
    input: [
      message("user", "<environment_context/>"),
      message("user", "a", "b"),
      message("assistant", "Hel", "lo"),
      { role: "user", content: "plain string" },
    ],
  });
  assertEquals(request.messages, [
    { role: "user", content: "<environment_context/>" },
    { role: "user", content: "a\n\nb" },
    { role: "assistant", content: "Hello" },
    { role: "user", content: "plain string" },
  ]);
});

Deno.test("translateRequest accepts input given as a string", () => {
  assertEquals(translateRequest({ input: "hi" }).request.messages, [{
    role: "user",
    content: "hi",
  }]);
});

Deno.test("translateRequest sends user images as image_url parts", () => {
  const { request } = translateRequest({
    input: [{
      type: "message",
      role: "user",
      content: [text("what is it"), { type: "input_image", image_url: "data:image/png;base64,AA" }],
    }],
  });
  assertEquals(request.messages, [{
    role: "user",
    content: [
      { type: "text", text: "what is it" },
      { type: "image_url", image_url: { url: "data:image/png;base64,AA" } },
    ],
  }]);
});

Deno.test("translateRequest pairs a function call with its output", () => {
  const { request } = translateRequest({
    input: [
      message("user", "list"),
      call("call_1", "exec_command", '{"cmd":"ls"}'),
      output("call_1", "a.txt"),
      message("assistant", "There is a.txt"),
    ],
  });
  assertEquals(request.messages, [
    { role: "user", content: "list" },
    {
      role: "assistant",
      content: null,
      tool_calls: [{
        id: "call_1",
        type: "function",
        function: { name: "exec_command", arguments: '{"cmd":"ls"}' },
      }],
    },
    { role: "tool", tool_call_id: "call_1", content: "a.txt" },
    { role: "assistant", content: "There is a.txt" },
  ]);
});

Deno.test("translateRequest merges consecutive function calls into one assistant message", () => {
  const { request } = translateRequest({
    input: [
      message("assistant", "Let me look."),
      { type: "reasoning", summary: [], content: [{ type: "reasoning_text", text: "hmm" }] },
      call("a", "exec_command"),
      call("b", "get_goal"),
      output("b", "goal"),
      output("a", "files"),
    ],
  });
  assertEquals(request.messages, [
    {
      role: "assistant",
      content: "Let me look.",
      tool_calls: [
        { id: "a", type: "function", function: { name: "exec_command", arguments: "{}" } },
        { id: "b", type: "function", function: { name: "get_goal", arguments: "{}" } },
      ],
    },
    { role: "tool", tool_call_id: "a", content: "files" },
    { role: "tool", tool_call_id: "b", content: "goal" },
  ]);
});

Deno.test("translateRequest keeps calls from successive responses in separate messages", () => {
  const { request } = translateRequest({
    input: [call("a", "x"), output("a", "1"), call("b", "y"), output("b", "2")],
  });
  assertEquals(request.messages.map((m) => m.role), ["assistant", "tool", "assistant", "tool"]);
});

Deno.test("translateRequest answers a call without output with 'aborted' and drops orphans", () => {
  const { request } = translateRequest({
    input: [output("ghost", "lost"), call("a", "x"), message("user", "stop")],
  });
  assertEquals(request.messages, [
    {
      role: "assistant",
      content: null,
      tool_calls: [{ id: "a", type: "function", function: { name: "x", arguments: "{}" } }],
    },
    { role: "tool", tool_call_id: "a", content: "aborted" },
    { role: "user", content: "stop" },
  ]);
});

Deno.test("translateRequest reads tool output given as content items", () => {
  const { request } = translateRequest({
    input: [
      call("a", "view_image"),
      output("a", [text("line 1"), { type: "input_image", image_url: "data:," }, text("line 2")]),
    ],
  });
  assertEquals(request.messages[1], { role: "tool", tool_call_id: "a", content: "line 1\nline 2" });
});

Deno.test("translateRequest leaves out reasoning and other items and reports their types", () => {
  const translated = translateRequest({
    input: [
      { type: "reasoning", summary: [], encrypted_content: "x" },
      { type: "web_search_call", action: {} },
      message("user", "hi"),
    ],
  });
  assertEquals(translated.request.messages, [{ role: "user", content: "hi" }]);
  assertEquals(translated.droppedInputTypes, ["reasoning", "web_search_call"]);
});

Deno.test("translateRequest maps function tools and drops what chat cannot express", () => {
  const translated = translateRequest({
    tools: [
      EXEC_TOOL,
      { type: "custom", name: "apply_patch", format: { type: "grammar", syntax: "lark" } },
      { type: "web_search", external_web_access: false },
      { type: "local_shell" },
    ],
    tool_choice: "auto",
    parallel_tool_calls: true,
  });
  assertEquals(translated.request.tools, [{
    type: "function",
    function: {
      name: "exec_command",
      description: "Runs a command",
      parameters: EXEC_TOOL.parameters,
    },
  }]);
  assertEquals(translated.droppedTools, ["apply_patch", "web_search", "local_shell"]);
  assertEquals(translated.request.tool_choice, "auto");
  assertEquals(translated.request.parallel_tool_calls, true);
});

Deno.test("translateRequest flattens namespace tools and maps namespaced calls back", () => {
  const translated = translateRequest({
    tools: [
      {
        type: "namespace",
        name: "multi_agent_v1",
        description: "Sub-agents",
        tools: [
          { type: "function", name: "wait_agent", description: "Wait", parameters: {} },
          { type: "custom", name: "freeform" },
        ],
      },
    ],
    input: [call("a", "wait_agent", "{}", { namespace: "multi_agent_v1" })],
  });
  assertEquals(translated.request.tools?.map((t) => t.function.name), [
    "multi_agent_v1__wait_agent",
  ]);
  assertEquals(
    translated.namespacedTools.get("multi_agent_v1__wait_agent"),
    { namespace: "multi_agent_v1", name: "wait_agent" },
  );
  assertEquals(translated.droppedTools, ["multi_agent_v1.freeform"]);
  const first = translated.request.messages[0];
  assertEquals(
    first.role === "assistant" && first.tool_calls?.[0].function.name,
    "multi_agent_v1__wait_agent",
  );
});

Deno.test("translateRequest drops a namespace tool whose flattened name clashes", () => {
  const translated = translateRequest({
    tools: [
      { type: "function", name: "ns__t", parameters: {} },
      { type: "namespace", name: "ns", tools: [{ type: "function", name: "t" }] },
    ],
  });
  assertEquals(translated.request.tools?.length, 1);
  assertEquals(translated.droppedTools, ["ns.t"]);
});

Deno.test("translateRequest passes the model and sampling settings through", () => {
  const { request } = translateRequest({
    model: "codex-model",
    temperature: 0.2,
    top_p: 0.9,
    max_output_tokens: 512,
    tools: [EXEC_TOOL],
    tool_choice: { type: "function", name: "exec_command" },
    parallel_tool_calls: false,
    reasoning: { summary: "auto" },
    store: false,
  });
  assertEquals(request.model, "codex-model");
  assertEquals(request.stream, true);
  assertEquals(request.stream_options, { include_usage: true });
  assertEquals(request.temperature, 0.2);
  assertEquals(request.top_p, 0.9);
  assertEquals(request.max_tokens, 512);
  assertEquals(request.tool_choice, { type: "function", function: { name: "exec_command" } });
  assertEquals(request.parallel_tool_calls, false);
  assertEquals(Object.keys(request).includes("reasoning"), false);
  assertEquals(Object.keys(request).includes("store"), false);
});

Deno.test("translateRequest lets the adapter's model replace the requested one", () => {
  assertEquals(translateRequest({ model: "a" }, { model: "b" }).request.model, "b");
});

Deno.test("translateRequest omits tool settings when no tool survives", () => {
  const { request } = translateRequest({
    tools: [{ type: "web_search" }],
    tool_choice: "auto",
    parallel_tool_calls: true,
  });
  assertEquals(
    ["tools", "tool_choice", "parallel_tool_calls"].filter((key) => key in request),
    [],
  );
});

Deno.test("translateRequest maps a JSON schema text format to response_format", () => {
  const { request } = translateRequest({
    text: {
      format: { type: "json_schema", name: "out", schema: { type: "object" }, strict: true },
    },
  });
  assertEquals(request.response_format, {
    type: "json_schema",
    json_schema: { name: "out", schema: { type: "object" }, strict: true },
  });
});

Deno.test("translateRequest tolerates malformed fields", () => {
  const { request } = translateRequest({
    input: 5 as unknown as string,
    tools: { not: "an array" } as unknown as unknown[],
    instructions: "x",
  });
  assertEquals(request.messages, [{ role: "system", content: "x" }]);
  assertEquals("tools" in request, false);
});
