/** `GapText`: the agent text of a turn's stream stays exact across `sdk/gap`s. */
import { assertEquals } from "../support/assert.ts";
import { GapText } from "../../src/api/gap_text.ts";
import type { CodexEvent } from "../../src/core/events.ts";

const delta = (itemId: string, text: string) =>
  ({ method: "item/agentMessage/delta", params: { itemId, delta: text } }) as CodexEvent;
const started = (id: string) =>
  ({
    method: "item/started",
    params: { item: { type: "agentMessage", id, text: "" } },
  }) as CodexEvent;
const completed = (id: string, text: string) =>
  ({
    method: "item/completed",
    params: { item: { type: "agentMessage", id, text } },
  }) as CodexEvent;
const gap = { method: "sdk/gap", params: {} } as CodexEvent;

function text(events: CodexEvent[]): string[] {
  const gapText = new GapText();
  return events.map((ev) => gapText.next(ev)).filter((t): t is string => t !== undefined);
}

Deno.test("without a gap, the text is the deltas, and a completion adds nothing", () => {
  assertEquals(
    text([started("a"), delta("a", "Hel"), delta("a", "lo"), completed("a", "Hello")]),
    ["Hel", "lo"],
  );
});

Deno.test("a message open at the gap is held, then completed from its final text", () => {
  const parts = text([
    started("a"),
    delta("a", "Hel"),
    gap,
    delta("a", "o!"), // "l" was lost in the gap
    completed("a", "Hello!"),
  ]);
  assertEquals(parts, ["Hel", "lo!"]);
  assertEquals(parts.join(""), "Hello!");
});

Deno.test("a message that started after the gap streams as usual", () => {
  assertEquals(
    text([gap, started("b"), delta("b", "Bye"), completed("b", "Bye")]),
    ["Bye"],
  );
});

Deno.test("a message whose start fell in the gap is yielded whole at its completion", () => {
  assertEquals(text([gap, delta("c", "lo"), completed("c", "Hello")]), ["Hello"]);
});

Deno.test("a message open across two gaps is held from the first", () => {
  const parts = text([
    started("a"),
    delta("a", "A"),
    gap,
    started("b"),
    delta("b", "B1"),
    gap,
    delta("b", "B3"),
    delta("a", "A3"),
    completed("b", "B1B2B3"),
    completed("a", "A1A2A3"),
  ]);
  assertEquals(parts, ["A", "B1", "B2B3", "1A2A3"]);
});

Deno.test("items other than agent messages and unknown notifications add no text", () => {
  const unknown = { ...delta("a", "x"), unknown: true } as CodexEvent;
  const command = {
    method: "item/completed",
    params: { item: { type: "commandExecution", id: "cmd", aggregatedOutput: "out" } },
  } as CodexEvent;
  assertEquals(text([gap, unknown, command]), []);
});
