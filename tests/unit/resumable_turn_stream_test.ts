/**
 * `ResumableTurnStream`: one turn's stream across connections, driven with in-memory sources
 * (what the real app-server does around a drop is in tests/reliability/turn_*_drop_test.ts).
 */
import { assertEquals, assertInstanceOf } from "../support/assert.ts";
import {
  ResumableTurnStream,
  type TurnResumption,
} from "../../src/client/resumable_turn_stream.ts";
import type { CodexConnection } from "../../src/core/connection.ts";
import type { CodexEvent } from "../../src/core/events.ts";
import type { Turn } from "../../src/protocol/mod.ts";
import { EventChannel } from "../../src/util/event_channel.ts";
import { StreamOverflowError, TransportClosedError } from "../../src/errors/errors.ts";
import { within } from "../reliability/_support.ts";

const T = "thread-1";
const U = "turn-1";

/** A connection that only records which turns it was told to stop routing. */
function fakeConn(): CodexConnection & { released: string[] } {
  const released: string[] = [];
  return { released, releaseTurn: (id: string) => released.push(id) } as never;
}

const ev = (method: string, params: Record<string, unknown> = {}) =>
  ({ method, params: { threadId: T, turnId: U, ...params } }) as CodexEvent;
const delta = (itemId: string, text: string) =>
  ev("item/agentMessage/delta", { itemId, delta: text });
const message = (id: string, text: string) => ({ type: "agentMessage", id, text, phase: null });
const completed = (item: Record<string, unknown>) => ev("item/completed", { item });
const turnDone = (status = "completed") =>
  ({
    method: "turn/completed",
    params: { threadId: T, turn: { id: U, status, items: [] } },
  }) as CodexEvent;
const approval = (id: number) =>
  ({
    method: "item/commandExecution/requestApproval",
    params: { threadId: T, turnId: U, itemId: "cmd", startedAtMs: 1 },
    serverRequest: { id },
  }) as CodexEvent;
const turn = (status: string, items: Array<Record<string, unknown>>) =>
  ({ id: U, status, items, error: null }) as unknown as Turn;

async function readAll(stream: ResumableTurnStream): Promise<CodexEvent[]> {
  const out: CodexEvent[] = [];
  for await (const batch of stream) out.push(...batch);
  return out;
}

function resumption(source: EventChannel<CodexEvent>, t: Turn, conn = fakeConn()): TurnResumption {
  return { source, conn, turn: t, message: "socket closed" };
}

Deno.test("without a drop, the turn's events pass through and the stream ends at turn/completed", async () => {
  const source = new EventChannel<CodexEvent>();
  const stream = new ResumableTurnStream(T, U, { source, conn: fakeConn() });
  source.pushAll([delta("m", "Hi"), completed(message("m", "Hi")), turnDone()]);
  const events = await readAll(stream);
  assertEquals(events.map((e) => e.method), [
    "item/agentMessage/delta",
    "item/completed",
    "turn/completed",
  ]);
});

Deno.test("after a drop: one gap, the items finished meanwhile, then live events, nothing twice", async () => {
  const first = new EventChannel<CodexEvent>();
  const ended: string[] = [];
  const stream = new ResumableTurnStream(T, U, { source: first, conn: fakeConn() }, {
    onEnd: () => ended.push("end"),
  });
  const user = { type: "userMessage", id: "u1", content: [] };
  first.pushAll([completed(user), approval(0), delta("a", "Hel")]);
  first.fail(new TransportClosedError("socket closed"));
  const second = new EventChannel<CodexEvent>();
  stream.resume(resumption(second, turn("inProgress", [user, message("a", "Hello")])));
  // Live on the new connection: a delta and the completion of the reconciled item (in flight
  // before the read), the request asked again, then a new item and the end.
  second.pushAll([
    delta("a", "lo"),
    completed(message("a", "Hello")),
    approval(3),
    delta("b", "Bye"),
    completed(message("b", "Bye")),
    turnDone(),
  ]);
  const events = await readAll(stream);
  assertEquals(events.map((e) => e.method), [
    "item/completed", // u1
    "item/commandExecution/requestApproval",
    "item/agentMessage/delta", // Hel
    "sdk/gap",
    "item/completed", // a, reconciled
    "item/agentMessage/delta", // Bye
    "item/completed", // b
    "turn/completed",
  ]);
  assertEquals(events[3].params, {
    threadId: T,
    turnId: U,
    message: "socket closed",
    status: "inProgress",
    reconciledItems: ["a"],
  });
  assertEquals((events[4].params as { item: { text: string } }).item.text, "Hello");
  assertEquals(ended, ["end"], "onEnd once");
});

Deno.test("a turn that ended during the gap ends the stream with its read state", async () => {
  const first = new EventChannel<CodexEvent>();
  const stream = new ResumableTurnStream(T, U, { source: first, conn: fakeConn() });
  first.push(delta("a", "Hel"));
  first.fail(new TransportClosedError("socket closed"));
  const second = new EventChannel<CodexEvent>();
  const conn = fakeConn();
  stream.resume(resumption(second, turn("interrupted", [message("a", "Hello")]), conn));
  const events = await readAll(stream);
  assertEquals(events.map((e) => e.method), [
    "item/agentMessage/delta",
    "sdk/gap",
    "item/completed",
    "turn/completed",
  ]);
  assertEquals((events[3].params as { turn: { status: string } }).turn.status, "interrupted");
  assertEquals(conn.released, [U], "the new connection stops routing the ended turn");
  assertEquals(second.cancelled, true);
});

Deno.test("items still streaming are not reconciled from the read of a running turn", async () => {
  const first = new EventChannel<CodexEvent>();
  const stream = new ResumableTurnStream(T, U, { source: first, conn: fakeConn() });
  first.fail(new TransportClosedError("socket closed"));
  const second = new EventChannel<CodexEvent>();
  const open = { ...message("a", "Hel"), completedAtMs: null };
  stream.resume(resumption(second, turn("inProgress", [open])));
  second.pushAll([completed(message("a", "Hello")), turnDone()]);
  const events = await readAll(stream);
  assertEquals(events.map((e) => e.method), ["sdk/gap", "item/completed", "turn/completed"]);
  assertEquals((events[0].params as { reconciledItems: string[] }).reconciledItems, []);
});

Deno.test("a later verdict replaces one not taken yet; a failure verdict fails the stream", async () => {
  const first = new EventChannel<CodexEvent>();
  const stream = new ResumableTurnStream(T, U, { source: first, conn: fakeConn() });
  const replaced = new EventChannel<CodexEvent>();
  const conn = fakeConn();
  stream.resume(resumption(replaced, turn("inProgress", []), conn));
  stream.fail(new TransportClosedError("Reconnecting failed after 3 attempts"));
  assertEquals(replaced.cancelled, true, "the replaced source is cancelled");
  assertEquals(conn.released, [U]);
  first.push(delta("a", "Hel"));
  first.fail(new TransportClosedError("socket closed"));
  const out: CodexEvent[] = [];
  const read = await within((async () => {
    for await (const batch of stream) out.push(...batch);
  })());
  assertEquals(out.map((e) => e.method), ["item/agentMessage/delta"], "what came first is kept");
  assertEquals(read.status, "rejected");
  const err = (read as { reason: unknown }).reason;
  assertInstanceOf(err, TransportClosedError);
  assertEquals(err.message, "Reconnecting failed after 3 attempts");
});

Deno.test("an error other than the connection's end fails the stream at once", async () => {
  const source = new EventChannel<CodexEvent>();
  const stream = new ResumableTurnStream(T, U, { source, conn: fakeConn() });
  source.fail(new StreamOverflowError("turn turn-1", 10));
  const read = await within(readAll(stream));
  assertInstanceOf((read as { reason: unknown }).reason, StreamOverflowError);
});

Deno.test("the stream is bounded: an unread flood fails it with StreamOverflowError", async () => {
  const source = new EventChannel<CodexEvent>();
  const ended: string[] = [];
  const stream = new ResumableTurnStream(T, U, { source, conn: fakeConn() }, {
    limit: 5,
    onEnd: () => ended.push("end"),
  });
  for (let i = 0; i < 6; i++) source.push(delta("a", "x"));
  const read = await within(readAll(stream));
  assertInstanceOf((read as { reason: unknown }).reason, StreamOverflowError);
  assertEquals(ended, ["end"]);
  assertEquals(source.cancelled, true, "the connection's stream is released too");
});

Deno.test("cancelling while a reconnection is pending drops the verdict that comes later", async () => {
  const first = new EventChannel<CodexEvent>();
  const stream = new ResumableTurnStream(T, U, { source: first, conn: fakeConn() });
  first.fail(new TransportClosedError("socket closed"));
  const iterator = stream[Symbol.asyncIterator]();
  const pending = iterator.next();
  await iterator.return?.();
  assertEquals((await within(pending)).status, "fulfilled", "the reader is let go");
  const late = new EventChannel<CodexEvent>();
  const conn = fakeConn();
  stream.resume(resumption(late, turn("inProgress", []), conn));
  assertEquals(late.cancelled, true);
  assertEquals(conn.released, [U]);
  assertEquals(stream.finished, true);
});
