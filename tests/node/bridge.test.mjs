/**
 * The package's `codex-worker-bridge` command on Node: it serves the browser bridge (HTTP and
 * WebSocket upgrades through the Node adapter), relays a turn to the app-server it spawned,
 * refuses a wrong token, and on SIGTERM stops that app-server and exits 143.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { Codex, CodexError } from "@codex-worker/sdk";
import { answerTo, codexProcesses, processMarker, startOffline } from "./_support.mjs";

const BIN = fileURLToPath(new URL("../node_modules/.bin/codex-worker-bridge", import.meta.url));
const TOKEN = "node-bridge-test-token";

let offline;
before(async () => {
  offline = await startOffline();
});
after(() => offline.close());

/** Resolves with the first match of `pattern` in what `stream` prints (keeps draining it). */
function waitForLine(stream, pattern) {
  return new Promise((resolve, reject) => {
    let seen = "";
    stream.setEncoding("utf8");
    stream.on("data", (text) => {
      seen += text;
      const match = pattern.exec(seen);
      if (match) resolve(match[0]);
    });
    stream.on("end", () => reject(new Error(`exited before printing ${pattern}:\n${seen}`)));
  });
}

test("codex-worker-bridge relays a turn, refuses a wrong token and stops its app-server", async () => {
  const { marker, env } = processMarker();
  const bridge = spawn(process.execPath, [BIN, "--port", "0", "--codex-home", offline.home.dir], {
    env: { ...process.env, ...env, CODEX_BRIDGE_TOKEN: TOKEN },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise((resolve) => bridge.once("exit", (code) => resolve(code)));
  let log = "";
  bridge.stderr.setEncoding("utf8").on("data", (text) => log += text);
  try {
    const url = await waitForLine(bridge.stdout, /ws:\/\/127\.0\.0\.1:\d+\/ws/);

    const refused = await Codex.connect({ url, token: "wrong", worker: false })
      .then((codex) => codex.close(), (e) => e);
    assert.ok(refused instanceof CodexError, `a wrong token is refused: ${refused}`);
    assert.match(log, /wrong token \(401\)/);

    const codex = await Codex.connect({ url, token: TOKEN });
    try {
      const thread = await codex.threadStart({});
      const result = await thread.run("through the bridge");
      assert.equal(result.finalResponse, answerTo("through the bridge"));
    } finally {
      await codex.close();
    }
    assert.equal(codexProcesses(marker).length, 1, "the bridge's app-server runs");
    bridge.kill("SIGTERM");
    assert.equal(await exited, 143, log);
    assert.deepEqual(codexProcesses(marker), [], "no app-server is left running");
  } finally {
    bridge.kill("SIGKILL");
    for (const pid of codexProcesses(marker)) process.kill(pid, "SIGKILL");
  }
});
