/**
 * The web demo's DOM-free parts: its thread state across a reconnection (`sdk/gap`), and the
 * second way to approve that a command request offers.
 */
import { assert, assertEquals } from "../support/assert.ts";
import type { CodexEvent } from "../../src/core/events.ts";
import { applyBatch, newThreadView } from "../../web-demo/src/store.ts";
import { alsoApproveCommand, FOR_SESSION } from "../../web-demo/src/approval_bodies.ts";

const started = (id: string, type = "agentMessage") =>
  ({ method: "item/started", params: { item: { type, id, text: "" } } }) as CodexEvent;
const delta = (itemId: string, text: string) =>
  ({ method: "item/agentMessage/delta", params: { itemId, delta: text } }) as CodexEvent;
const completed = (id: string, text: string) =>
  ({
    method: "item/completed",
    params: { item: { type: "agentMessage", id, text } },
  }) as CodexEvent;
const gap = { method: "sdk/gap", params: {} } as CodexEvent;

Deno.test("web demo state: a message streaming at a gap holds later deltas, then completes", () => {
  const view = newThreadView("t", "t");
  applyBatch(view, [started("done"), delta("done", "Earlier."), completed("done", "Earlier.")]);
  applyBatch(view, [started("m"), delta("m", "Hel")]);
  applyBatch(view, [gap, delta("m", "o!")]); // the "l" was lost while no socket listened
  const m = view.items.get("m")!;
  assertEquals(m.text, "Hel", "nothing is shown after the hole");
  assert(m.gapped, "the item says it waits for its completion");
  assert(!view.items.get("done")!.gapped, "a completed item is not waiting");
  applyBatch(view, [completed("m", "Hello!")]);
  assertEquals(m.text, "Hello!");
  assertEquals(m.textRewrites, 0, "the rest is appended, not a rewrite");
  assert(!m.gapped);
  // A message started after the gap streams as usual.
  applyBatch(view, [started("n"), delta("n", "Hi"), delta("n", " there")]);
  assertEquals(view.items.get("n")!.text, "Hi there");
});

Deno.test("web demo approvals: a command's second way to approve is the one it offers", () => {
  const rule = (prefix: string[]) => ({
    acceptWithExecpolicyAmendment: { execpolicy_amendment: prefix },
  });
  assertEquals(alsoApproveCommand(["accept", "acceptForSession", "cancel"]), FOR_SESSION);
  assertEquals(alsoApproveCommand(undefined), FOR_SESSION, "no list: what the schema offers");
  assertEquals(alsoApproveCommand(["accept", "cancel"]), undefined);
  const echo = alsoApproveCommand(["accept", rule(["echo", "hi"]), "cancel"]);
  assertEquals(echo?.label, "Always allow: echo hi");
  assertEquals(echo?.decision, rule(["echo", "hi"]));
  assert(echo!.hint.includes("later sessions"), echo!.hint);
  const long = ["node", "-e", "console.log('a rather long script that goes on and on')"];
  const cut = alsoApproveCommand(["accept", rule(long)]);
  assertEquals(cut?.label.length, "Always allow: ".length + 40);
  assert(cut!.label.endsWith("…") && cut!.hint.includes(long.join(" ")), cut!.hint);
});
