/**
 * `close()` during a turn, an aborted `connect()`, and `close()` twice: no app-server process,
 * Worker, port or timer is left behind (the test sanitizers stay on), in a Worker and in-process.
 */
import { assert, assertEquals, assertInstanceOf, assertRejects } from "../support/assert.ts";
import { Codex, CodexError, TransportClosedError } from "../../mod.ts";
import { ResponsesModelServer, writeCodexHome } from "../../src/testing/mod.ts";
import { resolveCodexBinary } from "../../src/transport/codex_binary.ts";
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

/**
 * A `codex` that starts the app-server only once its gate (a FIFO named by `CODEX_GATE`) gives a
 * line: until then nothing can answer `initialize`, so an abort made while it waits lands while
 * the app-server is starting, however long finding the process takes on a loaded machine.
 */
const gatedDir = await Deno.makeTempDir();
const gatedCodex = `${gatedDir}/codex-gated`;
await Deno.writeTextFile(
  gatedCodex,
  '#!/bin/sh\nread -r _ < "$CODEX_GATE"\nexec "$CODEX_REAL" "$@"\n',
  { mode: 0o755 },
);

/** A fresh closed gate for {@link gatedCodex}: `open()` lets the app-server start. */
async function closedGate(): Promise<{ env: Record<string, string>; open(): Promise<void> }> {
  const path = `${gatedDir}/${crypto.randomUUID()}`;
  const made = await new Deno.Command("mkfifo", { args: [path] }).output();
  assert(made.success, "mkfifo failed");
  // Read and write: opening never blocks, and the line stays readable if the script is gone.
  const fifo = await Deno.open(path, { read: true, write: true });
  return {
    env: { CODEX_GATE: path, CODEX_REAL: resolveCodexBinary() },
    async open() {
      await fifo.write(new TextEncoder().encode("open\n"));
      fifo.close();
    },
  };
}

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
    const gate = await closedGate();
    const controller = new AbortController();
    const connecting = Codex.connect({
      codexHome: home.dir,
      codexPath: gatedCodex,
      worker,
      env: { ...env, ...gate.env },
      signal: controller.signal,
    });
    connecting.catch(() => {});
    const pid = await childAppears(env); // spawned, held at the gate: connect() cannot succeed yet
    controller.abort();
    await gate.open(); // the app-server starts now, its connect() already aborted
    const outcome = await within(connecting, 10_000);
    assertEquals(outcome.status, "rejected", describeOutcome(outcome));
    // connect() settles only once the half-started app-server is reaped: checked at once.
    assert(!isRunning(pid), `app-server ${pid} still runs after connect() rejected`);
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
    await Deno.remove(gatedDir, { recursive: true });
  },
});
