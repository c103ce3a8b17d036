/**
 * Hostile bytes from the server side of stdio. The rule (see `MessageRouter.handleMessage`): a
 * malformed message is reported as an `sdk/protocolError` event on the global stream and
 * skipped, never fatal, because the framing (one message per line) survives it; only the end of
 * the transport is fatal. Invalid UTF-8 is decoded with U+FFFD replacement first. Server requests
 * of unknown methods get a -32601 error answer.
 */
import { assert, assertEquals } from "../support/assert.ts";
import { MessageRouter } from "../../src/router/message_router.ts";
import type { CodexEvent } from "../../src/core/events.ts";
import { StdioTransport } from "../../src/transport/stdio_transport.ts";

Deno.test("malformed lines become protocol errors and are skipped; the connection keeps working", async () => {
  const transport = new StdioTransport({
    command: Deno.execPath(),
    args: ["run", "--quiet", new URL("./_hostile_server.ts", import.meta.url).pathname],
  });
  const router = new MessageRouter(transport, { maxMessageChars: 1_000_000 });
  await router.start();
  try {
    const global = router.subscribe();
    await router.request("initialize", {});
    assertEquals(await router.request("hostile/go", {}), { done: true }, "still answered");
    const events: CodexEvent[] = [];
    for await (const batch of global) {
      events.push(...batch);
      if (batch.some((e) => e.method === "test/answer")) break;
    }
    const errors = events.filter((e) => e.method === "sdk/protocolError").map((e) =>
      (e.params as { message: string }).message
    );
    assertEquals(errors.length, 7, errors.join("\n"));
    assert(errors[0].startsWith("Invalid JSON"), errors[0]);
    assertEquals(errors[1], "A JSON-RPC message must be an object");
    assertEquals(errors[2], "A JSON-RPC message must be an object");
    assertEquals(errors[3], "JSON-RPC batches are not supported");
    assert(errors[4].includes("exceeds the limit"), errors[4]);
    assert(errors[5].startsWith("Invalid JSON"), "invalid UTF-8 outside a string");
    assert(errors[6].startsWith("Message is neither"), errors[6]);
    for (const e of events.filter((e) => e.method === "sdk/protocolError")) {
      assert((e.params as { excerpt: string }).excerpt.length <= 200, "excerpts are bounded");
    }
    const utf8 = events.find((e) => e.method === "test/utf8");
    assertEquals((utf8?.params as { s: string }).s, "\uFFFD\uFFFD", "replacement characters");
    assert(events.some((e) => e.method === "test/after"), "a valid line after them is routed");
    assert(!events.some((e) => e.method === "test/batched" || e.method === "test/huge"));
    const answer = events.find((e) => e.method === "test/answer")?.params as {
      id: number;
      error?: { code: number };
    };
    assertEquals(answer.error?.code, -32601, "the unknown server request got an error answer");
    assertEquals(router.stats().protocolErrors, 7);
    assertEquals(router.stats().pendingServerRequests, 0);
  } finally {
    await router.close();
  }
});
