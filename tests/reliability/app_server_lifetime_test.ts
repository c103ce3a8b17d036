/**
 * No app-server outlives the process that spawned it: SIGKILL (which no handler can catch) of
 * the bridge CLI, of the web demo server, or of a program holding `Codex.connect()` over stdio or
 * WebSocket (with and without the Worker) leaves no `codex app-server` running 2 s later. Before
 * the kill, the app-server has served a turn and is alive: a Worker-spawned one lives as long as
 * the connection is open.
 *
 * @module
 */
import { ResponsesModelServer, writeCodexHome } from "../../src/testing/mod.ts";
import { assertEquals } from "../support/assert.ts";
import { type EntryPoint, startEntryPoint } from "../support/entry_point.ts";
import { codexProcesses, markedProcesses } from "../support/processes.ts";

const root = new URL("../../", import.meta.url).pathname;
/** How long a spawned app-server may outlive its killed parent (a bound, not a speed target). */
const DEADLINE_MS = 2_000;

const model = await ResponsesModelServer.start();
const home = await writeCodexHome({ modelServerUrl: model.url });
const pageDir = await Deno.makeTempDir({ prefix: "app_server_lifetime_" });
await Deno.writeTextFile(`${pageDir}/index.html`, "<!doctype html><title>codex-worker</title>");

const hold = (transport: "stdio" | "ws", mode: "worker" | "inline"): EntryPoint => ({
  name: `a program holding Codex.connect() over ${transport} (${mode})`,
  args: ["run", "-A", `${root}tests/support/hold_connection.ts`, transport, mode],
  ready: /ready: turn completed/,
});

const ENTRY_POINTS: EntryPoint[] = [
  {
    name: "the bridge CLI",
    args: ["run", "-A", `${root}src/bridge/main.ts`, "--port", "0", "--codex-home", home.dir],
    ready: /bridge listening on ws:\/\//,
  },
  {
    name: "the web demo server",
    args: ["run", "-A", `${root}examples/serve_demo.ts`, "--port", "0", "--static", pageDir],
    ready: /web demo ready: open http:/,
  },
  hold("stdio", "worker"),
  hold("stdio", "inline"),
  hold("ws", "worker"),
  hold("ws", "inline"),
];

/** Polls /proc until `list` finds none or `deadlineMs` passed; returns those still alive. */
async function aliveAfter(list: () => Promise<number[]>, deadlineMs: number): Promise<number[]> {
  const deadline = performance.now() + deadlineMs;
  while (true) {
    const alive = await list();
    if (alive.length === 0 || performance.now() > deadline) return alive;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

let remaining = ENTRY_POINTS.length;
const cleanUp = async () => {
  if (--remaining > 0) return;
  await home.cleanup();
  await model.close();
  await Deno.remove(pageDir, { recursive: true });
};
for (const entry of ENTRY_POINTS) {
  Deno.test({
    name: `SIGKILL of ${entry.name} leaves no app-server running`,
    sanitizeResources: false, // the shared model server outlives each test
    sanitizeOps: false,
    async fn() {
      const started = await startEntryPoint(entry);
      try {
        const before = await codexProcesses(started.marker);
        assertEquals(before.length, 1, `one app-server serves ${entry.name}`);
        started.process.kill("SIGKILL");
        assertEquals((await started.process.status).signal, "SIGKILL");
        const left = await aliveAfter(() => codexProcesses(started.marker), DEADLINE_MS);
        assertEquals(left, [], `app-server still running ${DEADLINE_MS} ms after its parent died`);
      } finally {
        for (const pid of await codexProcesses(started.marker)) Deno.kill(pid, "SIGKILL");
        await cleanUp();
      }
    },
  });
}

/**
 * How long a launched entry point takes to stop after its launcher went: the launcher poll
 * (250 ms) plus its clean stop (SIGTERM to the app-server, SIGKILL after a 2 s grace). A bound.
 */
const LAUNCHER_DEADLINE_MS = 5_000;

const bridgeTask: EntryPoint = {
  name: "`deno task bridge`",
  args: ["task", "--config", `${root}deno.json`, "bridge", ...ENTRY_POINTS[0].args.slice(3)],
  ready: ENTRY_POINTS[0].ready,
};
const LAUNCHED: Array<{ name: string; entry: EntryPoint; signal: Deno.Signal }> = [
  {
    // As `npx deno task bridge` is: `npm exec` → `sh` → `deno`; a killed `npm exec` takes `sh`
    // down with it but sends `deno` nothing.
    name: "a shell above the bridge CLI is killed",
    entry: {
      ...ENTRY_POINTS[0],
      via: ["sh", "-c", '"$0" "$@"; echo "the launcher outlived the bridge"'],
    },
    signal: "SIGKILL",
  },
  { name: "`deno task bridge` gets SIGTERM", entry: bridgeTask, signal: "SIGTERM" },
  { name: "`deno task bridge` is killed", entry: bridgeTask, signal: "SIGKILL" },
];

for (const { name, entry, signal } of LAUNCHED) {
  remaining++;
  Deno.test({
    name: `the bridge and its app-server stop when ${name}`,
    sanitizeResources: false,
    sanitizeOps: false,
    async fn() {
      const started = await startEntryPoint(entry);
      const marked = () => markedProcesses(started.marker);
      try {
        assertEquals((await codexProcesses(started.marker)).length, 1, "the bridge's app-server");
        started.process.kill(signal);
        await started.process.status;
        const left = await aliveAfter(marked, LAUNCHER_DEADLINE_MS);
        assertEquals(left, [], "the bridge, deno task or the app-server is still running");
      } finally {
        for (const pid of await marked()) Deno.kill(pid, "SIGKILL");
        await cleanUp();
      }
    },
  });
}
