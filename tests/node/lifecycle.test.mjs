/**
 * The process side on Node: a killed app-server fails what is pending with
 * `TransportClosedError`, and `close()` leaves neither an app-server nor a worker thread behind
 * (a program that connects, runs a turn and closes exits on its own).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { Codex, isNotification, TransportClosedError } from "@codex-worker/sdk";
import { reply } from "@codex-worker/sdk/testing";
import { codexProcesses, processMarker, startOffline } from "./_support.mjs";

let offline;
before(async () => {
  offline = await startOffline();
});
after(() => offline.close());

for (const worker of [true, false]) {
  test(`[worker: ${worker}] a killed app-server fails the running turn and later calls`, async (t) => {
    const { marker, env } = processMarker();
    const codex = await offline.connect("stdio", { worker, env });
    t.after(() => codex.close()); // Node 20 has no `await using`
    const [pid] = codexProcesses(marker);
    assert.ok(pid, "the app-server is running");
    const thread = await codex.threadStart({});
    offline.model.enqueue(reply.hang({ text: "never finishes" }));
    const turn = await thread.turn("hang");
    const stream = turn.stream()[Symbol.asyncIterator]();
    for (;;) {
      const { value, done } = await stream.next();
      assert.ok(!done, "the stream does not end before the kill");
      if (isNotification(value, "item/agentMessage/delta")) break;
    }
    process.kill(pid, "SIGKILL");
    const rest = await (async () => {
      for (;;) if ((await stream.next()).done) return undefined;
    })().catch((e) => e);
    assert.ok(rest instanceof TransportClosedError, `the stream fails: ${rest}`);
    assert.equal(rest.code, "TRANSPORT_CLOSED");
    assert.match(rest.message, /SIGKILL/);
    const call = await codex.request("model/list", {}).then(() => undefined, (e) => e);
    assert.ok(call instanceof TransportClosedError, `a later call fails: ${call}`);
  });
}

test("close() leaves no app-server and no worker thread: the program exits by itself", async () => {
  const { marker, env } = processMarker();
  const program = fileURLToPath(new URL("./_connect_and_close.mjs", import.meta.url));
  const child = spawn(process.execPath, [program, offline.home.dir], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (text) => out += text);
  const code = await new Promise((resolve) => child.once("exit", resolve));
  assert.equal(code, 0, out);
  const report = JSON.parse(out.trim().split("\n").at(-1));
  assert.equal(report.whileOpen, 2, "one app-server per connection while connected");
  assert.deepEqual(report.afterClose, [], "none after close()");
  assert.deepEqual(codexProcesses(marker), [], "none after the program exited");
});

test("close() twice is fine and calls after it fail with TransportClosedError", async () => {
  const codex = await Codex.connect({ codexHome: offline.home.dir });
  await codex.close();
  await codex.close();
  const err = await codex.request("model/list", {}).then(() => undefined, (e) => e);
  assert.ok(err instanceof TransportClosedError, String(err));
});
