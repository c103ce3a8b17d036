/**
 * The routing rule (`src/protocol/routes.ts`): where a message names its thread and turn, for
 * every method of the pinned schema and for methods it does not know.
 */
import { assertEquals } from "../support/assert.ts";
import {
  classifyNotification,
  notificationThreadId,
  notificationTurnId,
  routeNotification,
  SERVER_NOTIFICATION_METHODS,
  SERVER_REQUEST_METHODS,
  serverRequestThreadId,
  serverRequestTurnId,
} from "../../src/protocol/mod.ts";

Deno.test("routeNotification agrees with the single-purpose readers for every method", () => {
  const params = { threadId: "th", turnId: "tu", thread: { id: "th" }, turn: { id: "tu" } };
  for (const method of SERVER_NOTIFICATION_METHODS) {
    const routed = routeNotification(method, params);
    assertEquals(routed.threadId, notificationThreadId(method, params), method);
    assertEquals(routed.turnId, notificationTurnId(method, params), method);
    assertEquals(routed.notification, classifyNotification(method, params), method);
  }
});

Deno.test("a turn's notifications name it by turnId or turn.id", () => {
  const delta = { threadId: "th", turnId: "tu", itemId: "i", delta: "x" };
  assertEquals(notificationTurnId("item/agentMessage/delta", delta), "tu");
  const completed = { threadId: "th", turn: { id: "tu", items: [], status: "completed" } };
  assertEquals(notificationTurnId("turn/completed", completed), "tu");
  assertEquals(notificationThreadId("thread/started", { thread: { id: "th" } }), "th");
});

Deno.test("serverRequest/resolved names no turn: the router joins it by request id", () => {
  assertEquals(
    notificationTurnId("serverRequest/resolved", { threadId: "th", requestId: 3 }),
    undefined,
  );
});

Deno.test("server requests that carry a turn are routed to it", () => {
  const params = { threadId: "th", turnId: "tu", itemId: "i" };
  for (const method of SERVER_REQUEST_METHODS) {
    const turnId = serverRequestTurnId(method, params);
    if (turnId !== undefined) assertEquals(turnId, "tu", method);
    const threadId = serverRequestThreadId(method, params);
    if (threadId !== undefined) assertEquals(threadId, "th", method);
  }
  const approval = "item/commandExecution/requestApproval";
  assertEquals(serverRequestTurnId(approval, params), "tu");
  assertEquals(serverRequestThreadId(approval, params), "th");
});

Deno.test("methods the schema does not know fall back to threadId, then thread.id", () => {
  assertEquals(notificationThreadId("future/event", { threadId: "a" }), "a");
  assertEquals(notificationThreadId("future/event", { thread: { id: "b" } }), "b");
  assertEquals(notificationTurnId("future/event", { turn: { id: "c" } }), "c");
  assertEquals(serverRequestTurnId("future/request", { turnId: "d" }), "d");
  assertEquals(notificationThreadId("future/event", { threadId: 5 }), undefined);
});
