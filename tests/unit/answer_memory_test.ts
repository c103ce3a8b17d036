/** `AnswerMemory`: a server request asked again after a reconnection gets the first answer. */
import { assertEquals } from "../support/assert.ts";
import { AnswerMemory } from "../../src/client/answer_memory.ts";
import type { ServerRequestEvent } from "../../src/core/events.ts";

const approval = (id: number, turnId = "turn-1", itemId = "cmd") =>
  ({
    method: "item/commandExecution/requestApproval",
    params: { threadId: "t", turnId, itemId, startedAtMs: 1 },
    serverRequest: { id },
  }) as unknown as ServerRequestEvent;

function counting(memory: AnswerMemory) {
  const calls: number[] = [];
  const handler = memory.wrap((event) => {
    calls.push(event.serverRequest.id as number);
    return { result: { decision: "accept", call: calls.length } };
  });
  return { calls, handler };
}

Deno.test("a request asked again (new id, same params) gets the first answer, not a new call", async () => {
  const memory = new AnswerMemory(() => true);
  const { calls, handler } = counting(memory);
  const first = await handler(approval(0));
  const again = await handler(approval(5));
  assertEquals(calls, [0]);
  assertEquals(again, first);
});

Deno.test("a pending answer is shared: the repeat waits for the same decision", async () => {
  const memory = new AnswerMemory(() => true);
  const decision = Promise.withResolvers<{ result: unknown }>();
  let calls = 0;
  const handler = memory.wrap(() => {
    calls++;
    return decision.promise;
  });
  const first = handler(approval(0));
  const again = handler(approval(1));
  decision.resolve({ result: { decision: "decline" } });
  assertEquals(await first, await again);
  assertEquals(calls, 1);
});

Deno.test("different requests, untracked turns and forgotten turns are answered anew", async () => {
  const tracked = new Set(["turn-1"]);
  const memory = new AnswerMemory((turnId) => tracked.has(turnId));
  const { calls, handler } = counting(memory);
  await handler(approval(0, "turn-1", "cmd-a"));
  await handler(approval(1, "turn-1", "cmd-b")); // another item
  await handler(approval(2, "turn-2")); // a turn this client does not follow
  await handler(approval(3, "turn-2"));
  assertEquals(memory.size, 2);
  memory.forget("turn-1");
  assertEquals(memory.size, 0);
  await handler(approval(4, "turn-1", "cmd-a"));
  assertEquals(calls, [0, 1, 2, 3, 4]);
});
