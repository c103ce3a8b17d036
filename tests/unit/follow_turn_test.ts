/** `MessageRouter.followTurn`: routing a turn that another connection started. */
import { assertEquals, assertInstanceOf } from "../support/assert.ts";
import { FakeAppServer } from "../support/fake_app_server.ts";
import { MessageRouter } from "../../src/router/message_router.ts";
import type { CodexEvent } from "../../src/core/events.ts";
import { TransportClosedError } from "../../src/errors/errors.ts";
import { within } from "../reliability/_support.ts";

async function startRouter(server: FakeAppServer): Promise<MessageRouter> {
  const router = new MessageRouter(server.transport);
  await router.start();
  return router;
}

const delta = (turnId: string, text: string) => ({
  threadId: "t",
  turnId,
  itemId: "m",
  delta: text,
});

Deno.test("a followed turn's events go to its stream, which ends at its turn/completed", async () => {
  const server = new FakeAppServer();
  const router = await startRouter(server);
  const events = router.followTurn("t", "u");
  server.emit("item/agentMessage/delta", delta("u", "Hi"));
  server.emit("turn/completed", { threadId: "t", turn: { id: "u", status: "completed" } });
  const seen: CodexEvent[] = [];
  for await (const batch of events) seen.push(...batch);
  assertEquals(seen.map((e) => e.method), ["item/agentMessage/delta", "turn/completed"]);
  assertEquals(router.stats().activeTurns, 0);
  await router.close();
});

Deno.test("a released turn is no longer routed: its later events go to the global stream", async () => {
  const server = new FakeAppServer();
  const router = await startRouter(server);
  const global = router.subscribe();
  const events = router.followTurn("t", "u");
  router.releaseTurn("u");
  assertEquals(router.stats().activeTurns, 0, "nothing is kept for a turn that never completes");
  assertEquals(events.cancelled, true);
  server.emit("item/agentMessage/delta", delta("u", "late"));
  const next = await within(global.next(), 5_000);
  const batch = (next as { value: CodexEvent[] }).value;
  assertEquals(batch.map((e) => e.method), ["item/agentMessage/delta"]);
  await router.close();
});

Deno.test("following a turn on a closed connection fails its stream with the close error", async () => {
  const server = new FakeAppServer();
  const router = await startRouter(server);
  await router.close();
  const read = await within(router.followTurn("t", "u").next());
  assertInstanceOf((read as { reason: unknown }).reason, TransportClosedError);
});
