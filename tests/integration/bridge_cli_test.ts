/**
 * `deno task bridge` as a process: a supervisor's stop signal must not leave the app-server it
 * spawned running.
 *
 * @module
 */
import { ResponsesModelServer, writeCodexHome } from "../../src/testing/mod.ts";
import { assert, assertEquals } from "../support/assert.ts";
import { codexProcesses, processMarker } from "../support/processes.ts";

const MAIN = new URL("../../src/bridge/main.ts", import.meta.url).pathname;

/** Reads `stream` until a line matches `pattern`; keeps draining the rest. */
async function waitForLine(
  stream: ReadableStream<Uint8Array<ArrayBuffer>>,
  pattern: RegExp,
): Promise<string> {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (true) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the bridge exited before printing ${pattern}:\n${seen}`);
    seen += value;
    const match = pattern.exec(seen);
    if (match) {
      (async () => {
        while (!(await reader.read()).done) { /* drain */ }
      })().catch(() => {});
      return match[0];
    }
  }
}

for (const signal of ["SIGTERM", "SIGHUP", "SIGINT"] as const) {
  Deno.test(`the bridge CLI stops the app-server it spawned on ${signal}`, async () => {
    await using model = await ResponsesModelServer.start();
    await using home = await writeCodexHome({ modelServerUrl: model.url });
    const { marker, env } = processMarker();
    const bridge = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", MAIN, "--port", "0", "--codex-home", home.dir],
      env,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    bridge.stderr.pipeTo(new WritableStream()).catch(() => {});
    await waitForLine(bridge.stdout, /bridge listening on ws:\/\/127\.0\.0\.1:\d+/);
    assertEquals((await codexProcesses(marker)).length, 1, "the bridge spawned one app-server");
    try {
      bridge.kill(signal);
      const status = await bridge.status;
      assertEquals(status.code, signal === "SIGINT" ? 0 : signal === "SIGTERM" ? 143 : 129);
      assert(!status.signal, `the bridge shut down itself instead of dying of ${status.signal}`);
      assertEquals(await codexProcesses(marker), [], "no app-server is left running");
    } finally {
      for (const pid of await codexProcesses(marker)) Deno.kill(pid, "SIGKILL");
    }
  });
}
