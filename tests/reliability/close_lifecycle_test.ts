/**
 * `close()` during a turn, an aborted `connect()`, and `close()` twice: no app-server process,
 * Worker, port or timer is left behind (the test sanitizers stay on), in a Worker and in-process.
 */
import { assert, assertEquals, assertInstanceOf, assertRejects } from "../support/assert.ts";
import { Codex, CodexError, TransportClosedError } from "../../mod.ts";
import { ResponsesModelServer, writeCodexHome } from "../../src/testing/mod.ts";
import {
  describeOutcome,
  freshTag,
  isRunning,
  scriptedModel,
  taggedChildren,
  within,
} from "./_support.ts";

const model = await ResponsesModelServer.start({ fallback: scriptedModel });
const home = await writeCodexHome({ modelServerUrl: model.url });

/** Resolves once an app-server spawned with `tag` exists (the spawn has happened). */
async function childAppears(tag: Record<string, string>): Promise<number> {
  while (true) {
    const found = await taggedChildren(tag);
    if (found.length > 0) return found[0];
  }
}

for (const worker of [false, true]) {
  const mode = worker ? "worker" : "in-process";

  Deno.test(`[${mode}] close() during a running turn ends its stream with TransportClosedError and reaps the app-server`, async () => {
    const env = freshTag();
    const codex = await Codex.connect({ codexHome: home.dir, worker, env });
    const thread = await codex.threadStart({});
    const turn = await thread.turn("hang until closed");
    const stream = turn.stream()[Symbol.asyncIterator]();
    assertEquals((await stream.next()).value?.method, "turn/started");
    const rest = (async () => {
      while (!(await stream.next()).done) { /* read on */ }
    })();
    const ended = within(rest, 30_000); // observed from now on: close() rejects it
    await codex.close();
    const outcome = await ended;
    assertEquals(outcome.status, "rejected", describeOutcome(outcome));
    assertInstanceOf((outcome as { reason: unknown }).reason, TransportClosedError);
    assertEquals(await taggedChildren(env), [], "no app-server is left");
    await codex.close(); // a second close is a no-op
    await assertRejects(() => codex.request("model/list", {}), TransportClosedError);
  });

  Deno.test(`[${mode}] close() twice at once resolves both and leaves nothing behind`, async () => {
    const env = freshTag();
    const codex = await Codex.connect({ codexHome: home.dir, worker, env });
    assertEquals((await taggedChildren(env)).length, 1);
    await Promise.all([codex.close(), codex.close()]);
    assertEquals(await taggedChildren(env), []);
    if (worker) assertEquals((codex.connection as { terminated?: boolean }).terminated, true);
  });

  Deno.test(`[${mode}] aborting connect() while the app-server is spawning leaves no orphan`, async () => {
    const env = freshTag();
    const controller = new AbortController();
    const connecting = Codex.connect({
      codexHome: home.dir,
      worker,
      env,
      signal: controller.signal,
    });
    connecting.catch(() => {});
    const pid = await childAppears(env);
    controller.abort();
    const outcome = await within(connecting, 10_000);
    // connect() settles only once the half-started app-server is reaped: checked at once.
    assert(!isRunning(pid), `app-server ${pid} still runs after connect() rejected`);
    assertEquals(outcome.status, "rejected", describeOutcome(outcome));
    const err = (outcome as { reason: unknown }).reason;
    assertInstanceOf(err, CodexError);
    assert(["CONNECT_FAILED", "ABORTED"].includes(err.code), err.code);
    assertEquals(await taggedChildren(env), []);
  });

  Deno.test(`[${mode}] aborting connect() before it starts rejects at once and spawns nothing`, async () => {
    const env = freshTag();
    const controller = new AbortController();
    controller.abort();
    await assertRejects(
      () => Codex.connect({ codexHome: home.dir, worker, env, signal: controller.signal }),
      CodexError,
    );
    assertEquals(await taggedChildren(env), []);
  });
}

Deno.test({
  name: "teardown: the model server stops",
  fn: async () => {
    await home.cleanup();
    await model.close();
  },
});
