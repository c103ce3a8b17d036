import { assert, assertEquals } from "../support/assert.ts";
import { reply } from "../../src/testing/mod.ts";
import { startHarness, toolOutputText } from "./_harness.ts";

Deno.test("a dynamic tool call is answered by a main-thread handler through the Worker", async () => {
  await using h = await startHarness({ worker: true, versionCheck: "off" });
  h.model.enqueue(
    reply.functionCall({
      name: "lookup_ticket",
      arguments: { id: "ABC-123" },
      callId: "call_tool",
    }),
    (request) => reply.text(`the tool answered: ${toolOutputText(request)}`),
  );
  assertEquals(
    h.codex.connection.constructor.name,
    "WorkerConnection",
    "the router is in a Worker",
  );
  const calls: Array<{ tool: string; arguments: unknown; onMainThread: boolean }> = [];
  const thread = await h.codex.threadStart({
    dynamicTools: [{
      type: "function",
      name: "lookup_ticket",
      description: "Looks up a support ticket by id",
      inputSchema: {
        type: "object",
        properties: { id: { type: "string" } },
        required: ["id"],
      },
    }],
  }, {
    serverRequests: {
      "item/tool/call": (params) => {
        // This closure lives on the main thread; the router that received the request runs
        // in the Worker, so the call crossed the boundary.
        calls.push({
          tool: params.tool,
          arguments: params.arguments,
          onMainThread: typeof (globalThis as { document?: unknown }).document === "undefined" &&
            !("WorkerGlobalScope" in globalThis),
        });
        const id = (params.arguments as { id: string }).id;
        return {
          contentItems: [{ type: "inputText", text: `ticket ${id} is OPEN` }],
          success: true,
        };
      },
    },
  });
  const result = await thread.run("what is the status of ABC-123?");
  assertEquals(result.status, "completed");
  assertEquals(calls, [{
    tool: "lookup_ticket",
    arguments: { id: "ABC-123" },
    onMainThread: true,
  }]);
  assert(
    toolOutputText(h.model.requests.at(-1)!).includes("ticket ABC-123 is OPEN"),
    "the model received the handler's answer",
  );
  assertEquals(result.finalResponse, "the tool answered: ticket ABC-123 is OPEN");
});
