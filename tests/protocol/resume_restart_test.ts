import { assert, assertEquals } from "../support/assert.ts";
import { lastUserText, reply } from "../../src/testing/mod.ts";
import { startHarness } from "./_harness.ts";

Deno.test("a thread resumes after the app-server restarts on the same CODEX_HOME", async () => {
  await using h = await startHarness({
    script: [reply.text("first answer"), reply.text("second answer")],
  });
  const thread = await h.codex.threadStart({});
  const first = await thread.run("remember the word pelican");
  assertEquals(first.finalResponse, "first answer");
  await h.codex.close();

  await using second = await h.connect();
  const listed = await second.threadList({});
  const stored = listed.data.find((t) => t.id === thread.id);
  assert(stored, "the restarted server lists the thread");
  assertEquals(stored.status, { type: "notLoaded" });

  const resumed = await second.threadResume(thread.id);
  assertEquals(resumed.id, thread.id);
  const result = await resumed.run("what was the word?");
  assertEquals(result.finalResponse, "second answer");
  const request = h.model.requests.at(-1)!;
  assertEquals(lastUserText(request), "what was the word?");
  const history = JSON.stringify(request.body.input);
  assert(history.includes("remember the word pelican"), "the model sees the earlier user turn");
  assert(history.includes("first answer"), "and the earlier answer");
});
