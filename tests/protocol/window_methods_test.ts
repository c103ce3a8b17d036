/**
 * The methods 0.171 added, against the real app-server at either end of the window:
 * `setDefaultModelProvider` writes the default to config.toml and `modelProvider/list` reports
 * it; the experimental `threadSearch` finds stored threads and can be cancelled. A 0.169 server
 * (the window's oldest) refuses both with `MethodNotFoundError`.
 */
import { assert, assertEquals, assertRejects } from "../support/assert.ts";
import { JsonRpcError, MethodNotFoundError, type ThreadSearchUpdate } from "../../mod.ts";
import { within } from "../reliability/_support.ts";
import { MOCK_PROVIDER_ID } from "../../src/testing/mod.ts";
import { codexAtLeast } from "../support/codex_under_test.ts";
import { startHarness } from "./_harness.ts";

Deno.test("setDefaultModelProvider sets the default on 0.171; an older server refuses it", async () => {
  await using h = await startHarness();
  if (!codexAtLeast("0.171.0")) {
    await assertRejects(() => h.codex.setDefaultModelProvider("openai"), MethodNotFoundError);
    return;
  }
  const written = await h.codex.setDefaultModelProvider("openai");
  assertEquals(written.status, "ok");
  assert(written.filePath.endsWith("config.toml"), written.filePath);
  assert((await Deno.readTextFile(written.filePath)).includes(`model_provider = "openai"`));
  const list = await h.codex.request("modelProvider/list", {});
  assertEquals(list.defaultProviderId, "openai");
  await h.codex.setDefaultModelProvider(MOCK_PROVIDER_ID);
  assertEquals((await h.codex.request("modelProvider/list", {})).defaultProviderId, "mock");
  const err = await assertRejects(
    () => h.codex.setDefaultModelProvider("no-such-provider"),
    JsonRpcError,
    "not configured",
  );
  assert(!(err instanceof MethodNotFoundError));
});

Deno.test("threadSearch finds stored threads by text on 0.171; an older server refuses it", async () => {
  await using h = await startHarness();
  if (!codexAtLeast("0.171.0")) {
    await assertRejects(
      () => h.codex.threadSearch({ searchTerm: "banana" }).result,
      MethodNotFoundError,
    );
    return;
  }
  const banana = await h.codex.threadStart();
  await banana.run("tell me about banana bread");
  const apple = await h.codex.threadStart();
  await apple.run("tell me about apple pie");
  const updates: ThreadSearchUpdate[] = [];
  for await (const update of h.codex.threadSearch({ searchTerm: "banana" })) updates.push(update);
  const final = updates.at(-1);
  assert(final?.final, "the last update is the final page");
  assertEquals(updates.filter((u) => u.final).length, 1);
  const found = final.data.map((r) => r.thread.id);
  assert(found.includes(banana.id) && !found.includes(apple.id), JSON.stringify(found));
  assert(final.data[0].snippet.includes("banana"), final.data[0].snippet);

  // Cancelled at once: the search settles (cancelled, or done first) and nothing hangs.
  const cancelled = h.codex.threadSearch({ searchTerm: "banana" });
  await cancelled.cancel();
  const outcome = await within(cancelled.result);
  assert(outcome.status !== "hung", "a cancelled search settles");

  // Without the experimental API the server refuses the search.
  await using plain = await h.connect({ experimentalApi: false });
  await assertRejects(
    () => plain.threadSearch({ searchTerm: "banana" }).result,
    JsonRpcError,
    "experimentalApi",
  );
});
