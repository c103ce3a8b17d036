/**
 * `RunResult` cases of the reference SDK's `thread.run` tests not covered in `turn_api_test.ts`,
 * run through `thread.run()` against a scripted app-server, in-process and behind the Worker.
 */
import { assertEquals, assertRejects } from "../support/assert.ts";
import { FakeAppServer } from "../support/fake_app_server.ts";
import { fakeSetups } from "../support/fake_setups.ts";
import { TurnFailedError } from "../../mod.ts";

const setups = fakeSetups;

/** One notification of the scripted turn, without its `threadId` / `turnId`. */
type Step = [method: string, params: Record<string, unknown>];

/** Answers `turn/start`, then plays `steps` and completes the turn with `completion`. */
function scriptTurn(
  server: FakeAppServer,
  steps: Step[],
  completion: { status?: string; error?: unknown } = {},
) {
  server.on("thread/start", () => ({ thread: { id: "thread-1" } }));
  server.on("turn/start", (params, s, id) => {
    const threadId = params.threadId as string;
    const turnId = s.nextTurnId();
    s.reply(id, { turn: { id: turnId, items: [], status: "inProgress", error: null } });
    s.emit("turn/started", { threadId, turn: { id: turnId, items: [], status: "inProgress" } });
    for (const [method, p] of steps) s.emit(method, { threadId, turnId, ...p });
    const done = FakeAppServer.turnCompleted(threadId, turnId, completion.status);
    s.emit("turn/completed", { ...done, turn: { ...done.turn, error: completion.error ?? null } });
    return FakeAppServer.NO_REPLY;
  });
}

const message = (id: string, text: string, phase: string | null): Step => [
  "item/completed",
  { item: { type: "agentMessage", id, text, phase }, completedAtMs: 2 },
];

function usage(total: number) {
  return {
    totalTokens: total,
    inputTokens: total - 1,
    cachedInputTokens: 0,
    outputTokens: 1,
    reasoningOutputTokens: 0,
  };
}

const tokenUsage = (last: number, total: number): Step => [
  "thread/tokenUsage/updated",
  { tokenUsage: { last: usage(last), total: usage(total), modelContextWindow: 1000 } },
];

for (const setup of setups) {
  const t = (name: string, fn: (server: FakeAppServer) => Promise<void>) =>
    Deno.test(`[${setup.name}] ${name}`, async () => {
      const server = new FakeAppServer();
      try {
        await fn(server);
      } finally {
        await server.close();
      }
    });

  t("a final_answer message beats a later message with no phase", async (server) => {
    scriptTurn(server, [
      message("a1", "the answer", "final_answer"),
      message("a2", "a later note with no phase", null),
    ]);
    await using codex = await setup.connect(server);
    const result = await (await codex.threadStart({})).run("x");
    assertEquals(result.finalResponse, "the answer");
    assertEquals(result.items.map((i) => i.id), ["a1", "a2"], "every item is still collected");
  });

  t("the last token-usage event of the turn wins", async (server) => {
    scriptTurn(server, [
      tokenUsage(10, 110),
      message("a1", "hello", null),
      tokenUsage(20, 130),
      tokenUsage(30, 160),
    ]);
    await using codex = await setup.connect(server);
    const result = await (await codex.threadStart({})).run("x");
    assertEquals(result.usage?.last.totalTokens, 30);
    assertEquals(result.usage?.total.totalTokens, 160);
  });

  t(
    "a failed turn with no error message rejects with the documented default message",
    async (server) => {
      scriptTurn(server, [], { status: "failed", error: null });
      await using codex = await setup.connect(server);
      const thread = await codex.threadStart({});
      const err = await assertRejects(() => thread.run("x"), TurnFailedError);
      assertEquals(err.message, "turn failed with status failed");
      assertEquals(err.turnError.message, "turn failed with status failed");
      assertEquals(err.code, "TURN_FAILED");
    },
  );

  t("a failed turn whose error has an empty message gets the same default", async (server) => {
    scriptTurn(server, [], { status: "failed", error: { message: "", codexErrorInfo: null } });
    await using codex = await setup.connect(server);
    const thread = await codex.threadStart({});
    const err = await assertRejects(() => thread.run("x"), TurnFailedError);
    assertEquals(err.message, "turn failed with status failed");
  });
}
