import { assert, assertEquals, assertRejects } from "../support/assert.ts";
import {
  type CodexEvent,
  InvalidParamsError,
  MethodNotFoundError,
  PINNED_CODEX_VERSION,
} from "../../mod.ts";
import { DEFAULT_MOCK_MODEL, reply } from "../../src/testing/mod.ts";
import { CODEX_UNDER_TEST } from "../support/codex_under_test.ts";
import { startHarness } from "./_harness.ts";

/** Collects global events until `stop` matches one (or the stream ends). */
function watchGlobal(codex: { events(): AsyncGenerator<CodexEvent> }) {
  const seen: CodexEvent[] = [];
  let waiters: Array<{ match: (e: CodexEvent) => boolean; resolve: (e: CodexEvent) => void }> = [];
  const it = codex.events();
  (async () => {
    for await (const ev of it) {
      seen.push(ev);
      const hit = waiters.filter((w) => w.match(ev));
      waiters = waiters.filter((w) => !hit.includes(w));
      for (const w of hit) w.resolve(ev);
    }
  })().catch(() => {});
  return {
    seen,
    next(match: (e: CodexEvent) => boolean): Promise<CodexEvent> {
      const found = seen.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ match, resolve }));
    },
  };
}

Deno.test("Codex methods against the real app-server", async (t) => {
  await using h = await startHarness();
  const { codex } = h;
  const global = watchGlobal(codex);

  await t.step("the server version is parsed from userAgent and is inside the window", () => {
    assertEquals(codex.serverVersion, CODEX_UNDER_TEST);
    assertEquals(codex.versionCheck.supported, true);
    assertEquals(codex.versionCheck.matches, CODEX_UNDER_TEST === PINNED_CODEX_VERSION);
    assertEquals(codex.versionCheck.warning, undefined);
  });

  await t.step("an unknown method is refused with MethodNotFoundError", async () => {
    const err = await assertRejects(
      () => codex.request("no/such/method" as "model/list", {}),
      MethodNotFoundError,
    );
    assertEquals(err.method, "no/such/method");
    assertEquals(err.code, "METHOD_NOT_FOUND");
  });

  const thread = await codex.threadStart({});
  h.model.enqueue(reply.text("answer one"));
  await thread.run("first question");

  await t.step(
    "input over the server's limit is refused with InvalidParamsError and limits",
    async () => {
      const err = await assertRejects(
        () => thread.run("x".repeat(1_048_577)),
        InvalidParamsError,
      );
      assertEquals(err.rpcCode, -32602);
      assertEquals(err.limits, { maxChars: 1_048_576, actualChars: 1_048_577 });
    },
  );

  await t.step("setName renames the thread and threadRead shows it", async () => {
    await thread.setName("pelican talk");
    const read = await codex.threadRead(thread.id, { includeTurns: true });
    assertEquals(read.thread.name, "pelican talk");
    assertEquals(read.thread.turns.length, 1);
  });

  await t.step("threadList lists the thread and threadFork copies it", async () => {
    const fork = await codex.threadFork(thread.id);
    assert(fork.id !== thread.id);
    assertEquals(fork.info?.forkedFromId, thread.id);
    const ids = (await codex.threadList({})).data.map((t) => t.id);
    assert(ids.includes(thread.id) && ids.includes(fork.id), JSON.stringify(ids));
  });

  await t.step("compact runs a compaction turn on the thread", async () => {
    const compacted = global.next((e) =>
      e.method === "turn/completed" && (e.params as { threadId: string }).threadId === thread.id
    );
    await thread.compact();
    const done = await compacted;
    assertEquals((done.params as { turn: { status: string } }).turn.status, "completed");
  });

  await t.step("review runs as a turn whose final response is the review", async () => {
    h.model.enqueue(reply.text("looks good to me"));
    const review = await thread.review({ type: "custom", instructions: "review the chat" });
    const result = await review.run();
    assertEquals(result.status, "completed");
    assertEquals(result.finalResponse, "looks good to me");
    assert(result.items.some((i) => i.type === "exitedReviewMode"), "the review mode ended");
  });

  await t.step("threadArchive hides a thread and threadUnarchive restores it", async () => {
    await codex.threadArchive(thread.id);
    assert(!(await codex.threadList({})).data.some((t) => t.id === thread.id));
    const archived = await codex.threadList({ archived: true });
    assert(archived.data.some((t) => t.id === thread.id));
    const restored = await codex.threadUnarchive(thread.id);
    assertEquals(restored.id, thread.id);
    assert((await codex.threadList({})).data.some((t) => t.id === thread.id));
  });

  await t.step("models() lists the bundled catalog", async () => {
    const models = await codex.models();
    assert(models.data.some((m) => m.id === DEFAULT_MOCK_MODEL), "the default model is listed");
  });

  await t.step("commandExec runs a command outside any thread", async () => {
    const out = await codex.commandExec(["echo", "hi there"]);
    assertEquals(out, { exitCode: 0, stdout: "hi there\n", stderr: "" });
  });

  await t.step("API-key login and logout update the account's auth mode", async () => {
    assertEquals((await codex.account()).account, null);
    const loggedIn = global.next((e) =>
      e.method === "account/updated" && (e.params as { authMode: unknown }).authMode === "apikey"
    );
    await codex.loginApiKey("sk-test-not-a-real-key");
    await loggedIn;
    const loggedOut = global.next((e) =>
      e.method === "account/updated" && (e.params as { authMode: unknown }).authMode === null
    );
    await codex.logout();
    await loggedOut;
  });

  await t.step("a ChatGPT login handle is cancelled and its wait() reports failure", async () => {
    const login = await codex.loginChatgpt();
    assert(login.authUrl.startsWith("https://auth.openai.com/"), login.authUrl);
    assert(login.loginId.length > 0);
    assertEquals(await login.cancel(), "canceled");
    const completion = await login.wait();
    assertEquals(completion.loginId, login.loginId);
    assertEquals(completion.success, false);
  });
});
