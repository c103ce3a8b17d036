/**
 * No signal window at start: every entry point installs its stop handlers before it prints its
 * ready line, so a supervisor that signals it the moment it is ready gets a clean stop (the
 * handler's exit code, not death by the signal) and no app-server left behind. Each case is
 * repeated 20 times per signal, so a window cannot hide behind luck.
 *
 * @module
 */
import { ResponsesModelServer, writeCodexHome } from "../../src/testing/mod.ts";
import { assert, assertEquals } from "../support/assert.ts";
import { type EntryPoint, repeat, signalAfterReady } from "../support/entry_point.ts";

const root = new URL("../../", import.meta.url).pathname;
const REPETITIONS = 20;
const CONCURRENCY = 4;
const SIGNALS = ["SIGTERM", "SIGHUP", "SIGINT"] as const;
const EXIT_CODES = { SIGINT: 0, SIGHUP: 129, SIGTERM: 143 };

/** The entry points, given a CODEX_HOME (offline model) and a directory with a page to serve. */
function entryPoints(codexHome: string, pageDir: string): EntryPoint[] {
  return [
    {
      name: "the bridge CLI",
      args: ["run", "-A", `${root}src/bridge/main.ts`, "--port", "0", "--codex-home", codexHome],
      ready: /bridge listening on ws:\/\//,
    },
    {
      name: "the web demo server",
      args: ["run", "-A", `${root}examples/serve_demo.ts`, "--port", "0", "--static", pageDir],
      ready: /web demo ready: open http:/,
    },
    {
      name: "the demo example",
      args: ["run", "-A", `${root}examples/demo.ts`],
      ready: /connected: /,
    },
    {
      name: "the chat adapter CLI",
      args: [
        "run",
        "--allow-net",
        "--allow-env",
        `${root}src/chat_adapter/main.ts`,
        "--upstream",
        "http://127.0.0.1:9/v1",
        "--port",
        "0",
      ],
      ready: /^http:\/\/127\.0\.0\.1:\d+/m,
    },
  ];
}

const model = await ResponsesModelServer.start();
const home = await writeCodexHome({ modelServerUrl: model.url });
const pageDir = await Deno.makeTempDir({ prefix: "signal_after_ready_" });
await Deno.writeTextFile(`${pageDir}/index.html`, "<!doctype html><title>codex-worker</title>");
let remaining = entryPoints(home.dir, pageDir).length * SIGNALS.length;
const done = async () => {
  if (--remaining > 0) return;
  await home.cleanup();
  await model.close();
  await Deno.remove(pageDir, { recursive: true });
};

for (const entry of entryPoints(home.dir, pageDir)) {
  for (const signal of SIGNALS) {
    Deno.test({
      name: `${entry.name} stops cleanly on ${signal} sent right after its ready line`,
      sanitizeResources: false, // the shared model server outlives each test
      sanitizeOps: false,
      async fn() {
        try {
          const runs = await repeat(
            REPETITIONS,
            CONCURRENCY,
            () => signalAfterReady(entry, signal),
          );
          for (const [i, { status, leftovers, output }] of runs.entries()) {
            assert(
              status.signal === null,
              `run ${
                i + 1
              }: ${entry.name} died of ${status.signal} instead of stopping:\n${output}`,
            );
            assertEquals(status.code, EXIT_CODES[signal], `run ${i + 1}: exit code\n${output}`);
            assertEquals(leftovers, [], `run ${i + 1}: an app-server outlived ${entry.name}`);
          }
        } finally {
          await done();
        }
      },
    });
  }
}
