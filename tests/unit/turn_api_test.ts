/**
 * Thread/Turn semantics (the reference SDK's `thread.run` and router tests, ported), run against
 * a scripted app-server both in-process (memory transport) and behind the Worker (the same
 * script over a local WebSocket).
 */
import { assert, assertEquals, assertInstanceOf, assertRejects } from "../support/assert.ts";
import { FakeAppServer } from "../support/fake_app_server.ts";
import {
  Codex,
  ConnectError,
  isNotification,
  StreamConsumedError,
  TransportClosedError,
  TurnFailedError,
  TurnStalledError,
} from "../../mod.ts";
import { within } from "../reliability/_support.ts";

type Setup = { name: string; connect: (server: FakeAppServer) => Promise<Codex> };
const setups: Setup[] = [
  {
    name: "in-process",
    connect: (server) => Codex.connect({ transport: server.transport, worker: false }),
  },
  {
    name: "worker",
    connect: (server) => Codex.connect({ url: server.listen(), worker: true }),
  },
];

interface ScriptedItem {
  type: string;
  id: string;
  text?: string;
  phase?: string | null;
}

/** A turn/start handler that emits the given completed items, usage and completion. */
function scriptTurn(
  server: FakeAppServer,
  items: ScriptedItem[],
  options: { status?: string; error?: unknown; deltas?: string[]; early?: boolean } = {},
) {
  server.on("turn/start", (params, s, id) => {
    const threadId = params.threadId as string;
    const turnId = s.nextTurnId();
    const play = () => {
      s.emit("turn/started", { threadId, turn: { id: turnId, items: [], status: "inProgress" } });
      for (const d of options.deltas ?? []) {
        s.emit("item/agentMessage/delta", { threadId, turnId, itemId: "m", delta: d });
      }
      for (const item of items) {
        s.emit("item/started", { threadId, turnId, item, startedAtMs: 1 });
        s.emit("item/completed", { threadId, turnId, item, completedAtMs: 2 });
      }
      s.emit("thread/tokenUsage/updated", {
        threadId,
        turnId,
        tokenUsage: {
          total: usage(15),
          last: usage(15),
          modelContextWindow: 1000,
        },
      });
      s.emit(
        "turn/completed",
        FakeAppServer.turnCompleted(
          threadId,
          turnId,
          options.status ?? "completed",
          (options.error ?? null) as null,
        ),
      );
    };
    if (options.early) {
      play();
      return { turn: { id: turnId, items: [], status: "inProgress", error: null } };
    }
    s.reply(id, { turn: { id: turnId, items: [], status: "inProgress", error: null } });
    play();
    return FakeAppServer.NO_REPLY;
  });
}

function usage(total: number) {
  return {
    totalTokens: total,
    inputTokens: 10,
    cachedInputTokens: 0,
    outputTokens: 5,
    reasoningOutputTokens: 0,
  };
}

function startThread(server: FakeAppServer) {
  server.on("thread/start", () => ({ thread: { id: "thread-1" } }));
}

const agent = (id: string, text: string, phase: string | null = null): ScriptedItem => ({
  type: "agentMessage",
  id,
  text,
  phase,
});

/** Answers `turn/start` at once (turn/started follows), then hands the turn to `then`. */
function answerTurnStart(
  server: FakeAppServer,
  then: (s: FakeAppServer, threadId: string, turnId: string) => void,
) {
  server.on("turn/start", (params, s, id) => {
    const threadId = params.threadId as string;
    const turnId = s.nextTurnId();
    s.reply(id, { turn: { id: turnId, items: [], status: "inProgress", error: null } });
    s.emit("turn/started", { threadId, turn: { id: turnId, items: [], status: "inProgress" } });
    then(s, threadId, turnId);
    return FakeAppServer.NO_REPLY;
  });
}

for (const setup of setups) {
  const t = (name: string, fn: (server: FakeAppServer) => Promise<void>) =>
    Deno.test(`[${setup.name}] ${name}`, async () => {
      const server = new FakeAppServer();
      startThread(server);
      try {
        await fn(server);
      } finally {
        await server.close();
      }
    });

  t("thread.run accepts string input and returns a run result", async (server) => {
    scriptTurn(server, [agent("a1", "hello")]);
    await using codex = await setup.connect(server);
    const thread = await codex.threadStart({});
    const result = await thread.run("say hi");
    assertEquals(result.finalResponse, "hello");
    assertEquals(result.items.length, 1);
    assertEquals(result.usage?.last.totalTokens, 15);
    assertEquals(result.status, "completed");
    assertEquals(result.durationMs, 1);
    const sent = server.transport.peer.received.find((m) => m.method === "turn/start") ??
      undefined;
    if (setup.name === "in-process") {
      assertEquals((sent?.params as { input: unknown[] }).input, [
        { type: "text", text: "say hi", text_elements: [] },
      ]);
    }
  });

  t(
    "thread.run uses the last completed assistant message as the final response",
    async (server) => {
      scriptTurn(server, [agent("a1", "first"), agent("a2", "second")]);
      await using codex = await setup.connect(server);
      const result = await (await codex.threadStart({})).run("x");
      assertEquals(result.finalResponse, "second");
    },
  );

  t("thread.run preserves an empty last assistant message", async (server) => {
    scriptTurn(server, [agent("a1", "first"), agent("a2", "")]);
    await using codex = await setup.connect(server);
    const result = await (await codex.threadStart({})).run("x");
    assertEquals(result.finalResponse, "");
  });

  t("thread.run prefers an explicit final answer over later commentary", async (server) => {
    scriptTurn(server, [
      agent("a1", "thinking", "commentary"),
      agent("a2", "the answer", "final_answer"),
      agent("a3", "one more note", "commentary"),
    ]);
    await using codex = await setup.connect(server);
    const result = await (await codex.threadStart({})).run("x");
    assertEquals(result.finalResponse, "the answer");
  });

  t("thread.run returns null when only commentary messages complete", async (server) => {
    scriptTurn(server, [agent("a1", "note", "commentary"), agent("a2", "note 2", "commentary")]);
    await using codex = await setup.connect(server);
    const result = await (await codex.threadStart({})).run("x");
    assertEquals(result.finalResponse, null);
  });

  t(
    "thread.run rejects a failed turn with TurnFailedError carrying the server's message",
    async (server) => {
      scriptTurn(server, [], {
        status: "failed",
        error: { message: "model exploded", codexErrorInfo: "internalServerError" },
      });
      await using codex = await setup.connect(server);
      const err = await assertRejects(
        async () => await (await codex.threadStart({})).run("x"),
        TurnFailedError,
        "model exploded",
      );
      assertEquals(err.turnError.codexErrorInfo, "internalServerError");
    },
  );

  t("an interrupted turn resolves with status interrupted", async (server) => {
    scriptTurn(server, [], { status: "interrupted" });
    await using codex = await setup.connect(server);
    const result = await (await codex.threadStart({})).run("x");
    assertEquals(result.status, "interrupted");
  });

  t("turn.run returns the completed turn payload", async (server) => {
    scriptTurn(server, [agent("a1", "hello")]);
    await using codex = await setup.connect(server);
    const turn = await (await codex.threadStart({})).turn("x");
    const result = await turn.run();
    assertEquals(result.turn.id, turn.id);
    assertEquals(result.turn.status, "completed");
    assertEquals(result.id, turn.id);
    assertEquals(result.threadId, "thread-1");
  });

  t("a turn completed before the turn/start response still streams and runs", async (server) => {
    scriptTurn(server, [agent("a1", "fast")], { early: true, deltas: ["fa", "st"] });
    await using codex = await setup.connect(server);
    const turn = await (await codex.threadStart({})).turn("x");
    const text: string[] = [];
    for await (const d of turn.streamText()) text.push(d);
    assertEquals(text, ["fa", "st"]);
    assertEquals((await turn.run()).finalResponse, "fast");
  });

  t("a turn's stream rejects a second consumer", async (server) => {
    scriptTurn(server, [agent("a1", "x")]);
    await using codex = await setup.connect(server);
    const turn = await (await codex.threadStart({})).turn("x");
    for await (const _ of turn.stream()) { /* read all */ }
    await assertRejects(async () => {
      for await (const _ of turn.stream()) { /* never */ }
    }, StreamConsumedError);
    assertEquals((await turn.run()).finalResponse, "x", "run() still returns what was read");
  });

  t("leaving a stream early keeps the rest: a later stream or run() continues", async (server) => {
    scriptTurn(server, [agent("a1", "abc")], { deltas: ["a", "b", "c"] });
    await using codex = await setup.connect(server);
    const turn = await (await codex.threadStart({})).turn("x");
    const seen: string[] = [];
    for await (const ev of turn.stream()) {
      seen.push(ev.method);
      if (ev.method === "item/agentMessage/delta") break;
    }
    for await (const d of turn.streamText()) seen.push(d);
    assertEquals(seen, ["turn/started", "item/agentMessage/delta", "b", "c"]);
    assertEquals((await turn.run()).finalResponse, "abc");
  });

  t(
    "a second reader while one is active gets StreamConsumedError; run() waits for both",
    async (server) => {
      scriptTurn(server, [agent("a1", "abc")], { deltas: ["a", "b", "c"] });
      await using codex = await setup.connect(server);
      const turn = await (await codex.threadStart({})).turn("x");
      const first = turn.stream();
      await first.next();
      await assertRejects(() => turn.stream().next(), StreamConsumedError);
      const result = turn.run();
      await first.return(undefined); // the first reader leaves; run() drains the rest
      assertEquals((await result).finalResponse, "abc");
    },
  );

  t("streamText yields only agent text deltas, in order", async (server) => {
    scriptTurn(server, [agent("a1", "abc")], { deltas: ["a", "b", "c"] });
    await using codex = await setup.connect(server);
    const turn = await (await codex.threadStart({})).turn("x");
    const text: string[] = [];
    for await (const d of turn.streamText()) text.push(d);
    assertEquals(text, ["a", "b", "c"]);
  });

  t("a slow or unread stream does not delay other calls", async (server) => {
    server.on("turn/start", (params, s) => {
      const turnId = s.nextTurnId();
      s.emit("item/agentMessage/delta", {
        threadId: params.threadId,
        turnId,
        itemId: "m",
        delta: "x",
      });
      return { turn: { id: turnId, items: [], status: "inProgress", error: null } };
    });
    server.on("model/list", () => ({ data: [{ id: "m1" }] }));
    await using codex = await setup.connect(server);
    const turn = await (await codex.threadStart({})).turn("x");
    const stream = turn.stream();
    const first = await stream.next(); // the turn is now mid-stream, nobody reads on
    assertEquals(first.value?.method, "item/agentMessage/delta");
    const models = await codex.request("model/list", {});
    assertEquals(models.data.length, 1);
    await stream.return(undefined);
  });

  t(
    "20 turns across 10 threads stream concurrently, each complete and in order",
    async (server) => {
      let threadSeq = 0;
      server.on("thread/start", () => ({ thread: { id: `thread-${++threadSeq}` } }));
      const pending: Array<{ threadId: string; turnId: string }> = [];
      server.on("turn/start", (params, s) => {
        const turnId = s.nextTurnId();
        pending.push({ threadId: params.threadId as string, turnId });
        return { turn: { id: turnId, items: [], status: "inProgress", error: null } };
      });
      await using codex = await setup.connect(server);
      const threads = await Promise.all(Array.from({ length: 10 }, () => codex.threadStart({})));
      const turns = await Promise.all(threads.flatMap((th) => [th.turn("a"), th.turn("b")]));
      assertEquals(pending.length, 20);
      const readers = turns.map(async (turn) => {
        const seen: number[] = [];
        for await (const ev of turn.stream()) {
          if (isNotification(ev, "item/agentMessage/delta")) {
            assertEquals(ev.params.turnId, turn.id);
            seen.push(Number(ev.params.delta));
          }
        }
        return seen;
      });
      for (let i = 0; i < 50; i++) {
        for (const p of pending) {
          server.emit("item/agentMessage/delta", { ...p, itemId: "m", delta: String(i) });
        }
      }
      for (const p of [...pending].reverse()) {
        server.emit("turn/completed", FakeAppServer.turnCompleted(p.threadId, p.turnId));
      }
      const results = await Promise.all(readers);
      for (const seen of results) assertEquals(seen, Array.from({ length: 50 }, (_, i) => i));
      const stats = await codex.stats();
      assertEquals(stats.activeTurns, 0);
      assertEquals(stats.capturedEvents, 0);
    },
  );

  t("a failing initialize closes the transport and rejects with ConnectError", async (server) => {
    server.on("initialize", (_p, s, id) => {
      s.replyError(id, -32603, "initialize exploded");
      return FakeAppServer.NO_REPLY;
    });
    const err = await assertRejects(() => setup.connect(server), ConnectError);
    assertEquals(err.code, "CONNECT_FAILED");
    assert(err.message.includes("initialize exploded"), err.message);
    const closed = await within(server.clientClosed);
    assertEquals(closed.status, "fulfilled", "the connection was closed, not left open");
  });

  t("items that started but never completed are closed out in the result", async (server) => {
    server.on("turn/start", (params, s, id) => {
      const threadId = params.threadId as string;
      const turnId = s.nextTurnId();
      s.reply(id, { turn: { id: turnId, items: [], status: "inProgress", error: null } });
      const item = { type: "agentMessage", id: "partial", text: "", phase: null };
      s.emit("item/started", { threadId, turnId, item, startedAtMs: 1 });
      s.emit("turn/completed", FakeAppServer.turnCompleted(threadId, turnId, "interrupted"));
      return FakeAppServer.NO_REPLY;
    });
    await using codex = await setup.connect(server);
    const result = await (await codex.threadStart({})).run("x");
    assertEquals(result.items, []);
    assertEquals(result.incompleteItems.map((i) => i.id), ["partial"]);
  });

  t("steer sends expectedTurnId and interrupt names the turn", async (server) => {
    const calls: Record<string, unknown>[] = [];
    answerTurnStart(server, () => {}); // turn/started: the server interrupts only started turns
    server.on("turn/steer", (p) => {
      calls.push({ method: "turn/steer", ...p });
      return { turnId: p.expectedTurnId };
    });
    server.on("turn/interrupt", (p) => {
      calls.push({ method: "turn/interrupt", ...p });
      return {};
    });
    await using codex = await setup.connect(server);
    const turn = await (await codex.threadStart({})).turn("x");
    await turn.steer("more");
    await turn.interrupt();
    assertEquals(calls, [
      {
        method: "turn/steer",
        threadId: "thread-1",
        expectedTurnId: turn.id,
        input: [{ type: "text", text: "more", text_elements: [] }],
      },
      { method: "turn/interrupt", threadId: "thread-1", turnId: turn.id },
    ]);
  });

  t(
    "run with idleTimeoutMs fails a quiet turn with TurnStalledError and interrupts it",
    async (server) => {
      answerTurnStart(server, () => {}); // and then nothing: the model never answers
      const interrupted = Promise.withResolvers<Record<string, unknown>>();
      server.on("turn/interrupt", (p, s) => {
        interrupted.resolve(p);
        const threadId = p.threadId as string;
        s.emit(
          "turn/completed",
          FakeAppServer.turnCompleted(threadId, p.turnId as string, "interrupted"),
        );
        return {};
      });
      await using codex = await setup.connect(server);
      const turn = await (await codex.threadStart({})).turn("x");
      const outcome = await within(turn.run({ idleTimeoutMs: 200 }));
      assertEquals(outcome.status, "rejected", "a quiet turn must not be waited on forever");
      const err = (outcome as { reason: unknown }).reason;
      assertInstanceOf(err, TurnStalledError);
      assertEquals([err.code, err.turnId, err.idleTimeoutMs], ["TURN_STALLED", turn.id, 200]);
      const asked = await within(interrupted.promise);
      assertEquals(asked.status, "fulfilled", "the stalled turn was interrupted");
      assertEquals((asked as { value: unknown }).value, { threadId: "thread-1", turnId: turn.id });
    },
  );

  t(
    "idleTimeoutMs counts from the last event: a turn that keeps talking completes",
    async (server) => {
      answerTurnStart(server, (s, threadId, turnId) => {
        let sent = 0;
        const timer = setInterval(() => {
          if (sent < 15) {
            s.emit("item/agentMessage/delta", {
              threadId,
              turnId,
              itemId: "m",
              delta: `${sent++} `,
            });
            return;
          }
          clearInterval(timer);
          s.emit("turn/completed", FakeAppServer.turnCompleted(threadId, turnId));
        }, 100); // 1.5 s in all, never more than 100 ms apart
      });
      await using codex = await setup.connect(server);
      const started = performance.now();
      const result = await (await codex.threadStart({})).run("x", { idleTimeoutMs: 1_000 });
      assertEquals(result.status, "completed");
      assert(performance.now() - started > 1_000, "the turn outlived one idle timeout");
    },
  );

  t(
    "an idleTimeoutMs that is not a usable delay is refused before the turn starts",
    async (server) => {
      let starts = 0;
      server.on("turn/start", (_p, s) => {
        starts++;
        return { turn: { id: s.nextTurnId(), items: [], status: "inProgress", error: null } };
      });
      await using codex = await setup.connect(server);
      const thread = await codex.threadStart({});
      for (const idleTimeoutMs of [0, -1, Number.NaN, Infinity, 2 ** 31]) {
        await assertRejects(() => thread.run("x", { idleTimeoutMs }), RangeError);
      }
      assertEquals(starts, 0);
    },
  );

  t(
    "a dropped connection ends a running turn's stream with TransportClosedError",
    async (server) => {
      server.on("turn/start", (_p, s) => ({
        turn: { id: s.nextTurnId(), items: [], status: "inProgress", error: null },
      }));
      await using codex = await setup.connect(server);
      const turn = await (await codex.threadStart({})).turn("x");
      const run = turn.run();
      if (setup.name === "in-process") server.transport.peer.disconnect("gone");
      else server.dropSocket();
      await assertRejects(() => run, TransportClosedError);
    },
  );

  t("an initialize answer without metadata fails connect with ConnectError", async (server) => {
    server.on("initialize", () => ({ codexHome: "/x" }));
    const err = await assertRejects(() => setup.connect(server), ConnectError);
    assert(/missing required metadata|userAgent/.test(err.message), err.message);
    const closed = await within(server.clientClosed);
    assertEquals(closed.status, "fulfilled", "the connection was closed, not left open");
  });
}

Deno.test("a dropped TurnHandle releases its turn's buffer before the turn completes", async () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  assert(gc, "the test task runs with --v8-flags=--expose-gc");
  const server = new FakeAppServer();
  startThread(server);
  server.on("turn/start", (params, s) => {
    const turnId = s.nextTurnId();
    for (let i = 0; i < 100; i++) {
      s.emit("item/agentMessage/delta", {
        threadId: params.threadId,
        turnId,
        itemId: "m",
        delta: "x",
      });
    }
    return { turn: { id: turnId, items: [], status: "inProgress", error: null } };
  });
  await using codex = await Codex.connect({ transport: server.transport, worker: false });
  const thread = await codex.threadStart({});
  await (async () => {
    await thread.turn("never read"); // the handle is dropped at once
  })();
  assertEquals((await codex.stats()).activeTurns, 1);
  // FinalizationRegistry callbacks run in a task after a collection: collect, yield, check.
  for (let i = 0; i < 200 && (await codex.stats()).bufferedEvents > 0; i++) {
    gc();
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
  }
  assertEquals((await codex.stats()).bufferedEvents, 0);
  await server.close();
});

Deno.test("[worker] batchIntervalMs gathers a burst into one batch after the first event left at once", async () => {
  const server = new FakeAppServer();
  server.on("thread/start", () => ({ thread: { id: "thread-1" } }));
  let started: { threadId: string; turnId: string } | undefined;
  server.on("turn/start", (params, s) => {
    const turnId = s.nextTurnId();
    started = { threadId: params.threadId as string, turnId };
    s.emit("turn/started", { threadId: params.threadId, turn: { id: turnId, items: [] } });
    return { turn: { id: turnId, items: [], status: "inProgress", error: null } };
  });
  await using codex = await Codex.connect({ url: server.listen(), batchIntervalMs: 1_000 });
  const thread = await codex.threadStart({});
  const turn = await thread.turn("burst");
  const batches = turn.batches();
  const first = await batches.next();
  assertEquals(first.done, false);
  assertEquals((first.value as { method: string }[]).map((e) => e.method), ["turn/started"]);
  const { threadId, turnId } = started!;
  for (let i = 0; i < 300; i++) {
    server.emit("item/agentMessage/delta", { threadId, turnId, itemId: "m", delta: String(i) });
  }
  server.emit("turn/completed", FakeAppServer.turnCompleted(threadId, turnId));
  const rest: number[] = [];
  for await (const batch of { [Symbol.asyncIterator]: () => batches }) rest.push(batch.length);
  assertEquals(rest, [301], "the 300 deltas and the completion travel together");
  await server.close();
});

Deno.test("[worker] batchIntervalMs outside 0..1000 is refused before a Worker starts", async () => {
  for (const batchIntervalMs of [-1, 1_001, Number.NaN]) {
    await assertRejects(
      () => Codex.connect({ url: "ws://127.0.0.1:9", batchIntervalMs }),
      RangeError,
      "batchIntervalMs",
    );
  }
});
