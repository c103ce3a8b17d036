/**
 * "A dead Worker settles every pending call and stream": the SDK's Worker crashes (an uncaught
 * error ends it) while a call waits for its answer, a turn's stream and the global stream are
 * being read. Each ends with `TransportClosedError`, none hangs.
 *
 * @module
 */
import { assert, assertEquals, assertInstanceOf } from "../support/assert.ts";
import { FakeAppServer } from "../support/fake_app_server.ts";
import { Codex, TransportClosedError } from "../../mod.ts";
import { runtime } from "../../src/runtime/current.ts";
import type { WorkerHandle } from "../../src/runtime/runtime.ts";
import { describeOutcome, within } from "../reliability/_support.ts";

/** Connects through the Worker and hands back the Worker itself. */
async function connectCapturingWorker(url: string) {
  const start = runtime.startCodexWorker;
  let handle: WorkerHandle | undefined;
  (runtime as { startCodexWorker: () => WorkerHandle }).startCodexWorker = () => {
    handle = start.call(runtime);
    return handle;
  };
  try {
    const codex = await Codex.connect({ url, worker: true });
    return { codex, worker: handle! };
  } finally {
    (runtime as { startCodexWorker: () => WorkerHandle }).startCodexWorker = start;
  }
}

/** What a crash does to a Worker: it stops, and its error event reaches the page. */
function crash(worker: WorkerHandle, message: string): void {
  worker.terminate();
  (worker.endpoint as Worker).dispatchEvent(new ErrorEvent("error", { message }));
}

Deno.test("[worker] a crashed Worker settles a pending call, a turn's stream and the global stream", async () => {
  const server = new FakeAppServer();
  server.on("thread/start", () => ({ thread: { id: "thread-1" } }));
  server.on("thread/loaded/list", () => FakeAppServer.NO_REPLY);
  server.on("turn/start", (params, s, id) => {
    const threadId = params.threadId as string;
    const turnId = s.nextTurnId();
    s.reply(id, { turn: { id: turnId, items: [], status: "inProgress", error: null } });
    s.emit("item/agentMessage/delta", { threadId, turnId, itemId: "m", delta: "half an" });
    return FakeAppServer.NO_REPLY; // the turn never completes
  });
  try {
    const { codex, worker } = await connectCapturingWorker(server.listen());
    const thread = await codex.threadStart({});
    const turn = await thread.turn("hello");
    const stream = turn.stream()[Symbol.asyncIterator]();
    assertEquals((await stream.next()).value?.method, "item/agentMessage/delta");
    const global = codex.events()[Symbol.asyncIterator]();
    const globalNext = global.next();
    const streamNext = stream.next();
    const call = codex.request("thread/loaded/list", {});
    const run = thread.run("another turn");

    const pending = {
      "the pending call": within(call),
      "the turn's stream": within(streamNext),
      "the global stream": within(globalNext),
      "a run() in progress": within(run),
    };

    crash(worker, "out of memory");

    for (const [what, settled] of Object.entries(pending)) {
      const outcome = await settled;
      assertEquals(outcome.status, "rejected", `${what}: ${describeOutcome(outcome)}`);
      const error = (outcome as { reason: unknown }).reason;
      assertInstanceOf(error, TransportClosedError, what);
      assertEquals(error.code, "TRANSPORT_CLOSED");
      assert(error.message.includes("out of memory"), `${what}: ${error.message}`);
    }
    const later = await within(codex.request("thread/loaded/list", {}));
    assertEquals(later.status, "rejected", "a call after the crash fails at once");
    await within(codex.close());
  } finally {
    await server.close();
  }
});
