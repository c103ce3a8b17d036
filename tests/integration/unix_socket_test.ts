/**
 * The unix-socket transport against the real app-server, in a Worker and in-process: a missing
 * socket fails connect with a typed error that says why, a dead app-server settles every pending
 * call, and the shared daemon (`codex app-server daemon start`) is reached at
 * `daemonSocketPath(codexHome)`. Turns over the socket are in streaming_test.ts.
 */
import { assert, assertEquals, assertRejects } from "../support/assert.ts";
import { Codex, ConnectError, daemonSocketPath, TransportClosedError } from "../../mod.ts";
import {
  echoReply,
  reply,
  ResponsesModelServer,
  startUnixSocketAppServer,
  writeCodexHome,
} from "../../src/testing/mod.ts";
import { resolveCodexBinary } from "../../src/transport/codex_binary.ts";
import { within } from "../reliability/_support.ts";

const model = await ResponsesModelServer.start({
  fallback: (request) =>
    JSON.stringify(request.body).includes("hang on")
      ? reply.hang({ text: "partial " })
      : echoReply(request),
});
const home = await writeCodexHome({ modelServerUrl: model.url });

for (const worker of [true, false]) {
  const mode = worker ? "worker" : "in-process";

  Deno.test(`[${mode}] a socket nobody listens on fails connect with ConnectError naming it`, async () => {
    const dir = await Deno.makeTempDir();
    try {
      const err = await assertRejects(
        () => Codex.connect({ socket: `${dir}/none.sock`, worker }),
        ConnectError,
      );
      assert(err.message.includes(`${dir}/none.sock`), err.message);
      if (!worker) assert(err.message.includes("ENOENT"), err.message);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });

  Deno.test(`[${mode}] a killed app-server settles the pending calls with TransportClosedError`, async () => {
    await using server = await startUnixSocketAppServer({ codexHome: home.dir });
    await using codex = await Codex.connect({ socket: server.socket, worker });
    const thread = await codex.threadStart();
    const turn = await thread.turn("hang on");
    const running = turn.run();
    running.catch(() => {});
    server.kill();
    const outcome = await within(running);
    assertEquals(outcome.status, "rejected");
    assert(outcome.status === "rejected" && outcome.reason instanceof TransportClosedError);
    await assertRejects(() => codex.request("model/list", {}), TransportClosedError);
  });
}

Deno.test("daemonSocketPath is the control socket under CODEX_HOME", () => {
  assertEquals(
    daemonSocketPath("/srv/home/"),
    "/srv/home/app-server-control/app-server-control.sock",
  );
  assertEquals(
    daemonSocketPath(),
    `${Deno.env.get("CODEX_HOME") ?? `${Deno.env.get("HOME")}/.codex`}` +
      "/app-server-control/app-server-control.sock",
  );
});

/** Runs `codex app-server daemon <command>` for `codexHome` and returns its JSON answer. */
async function daemon(command: string, codexHome: string): Promise<Record<string, unknown>> {
  const out = await new Deno.Command(resolveCodexBinary(), {
    args: ["app-server", "daemon", command],
    env: { CODEX_HOME: codexHome },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim();
  if (!out.success) {
    throw new Error(`daemon ${command} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  return JSON.parse(text.split("\n").at(-1) ?? "{}");
}

/** The pids of processes whose command line names `dir` (the daemon's copies of codex). */
async function processesUnder(dir: string): Promise<number[]> {
  const found: number[] = [];
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const cmdline = await Deno.readTextFile(`/proc/${entry.name}/cmdline`);
      if (cmdline.includes(dir)) found.push(Number(entry.name));
    } catch { /* it ended meanwhile */ }
  }
  return found;
}

Deno.test({
  name: "the daemon started for a CODEX_HOME is reached at daemonSocketPath, in both modes",
  fn: async () => {
    const daemonHome = await writeCodexHome({ modelServerUrl: model.url });
    try {
      const started = await daemon("start", daemonHome.dir);
      assertEquals(started.socketPath, daemonSocketPath(daemonHome.dir));
      for (const worker of [true, false]) {
        await using codex = await Codex.connect({
          socket: daemonSocketPath(daemonHome.dir),
          worker,
        });
        assert(codex.versionCheck.supported, codex.metadata.userAgent);
        const result = await (await codex.threadStart()).run(`daemon says hi (${worker})`);
        assertEquals(result.status, "completed");
        assert(result.finalResponse?.includes("daemon says hi"), String(result.finalResponse));
      }
      assertEquals((await daemon("stop", daemonHome.dir)).status, "stopped");
    } finally {
      // `daemon stop` leaves its pid-update loop running: end every process of this home.
      for (const pid of await processesUnder(daemonHome.dir)) {
        try {
          Deno.kill(pid, "SIGKILL");
        } catch { /* gone */ }
      }
      await daemonHome.cleanup();
    }
  },
});

Deno.test({
  name: "teardown: shared servers stop",
  fn: async () => {
    await home.cleanup();
    await model.close();
  },
});
