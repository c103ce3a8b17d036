/**
 * The web demo, offline: starts the scripted model server, a hermetic CODEX_HOME, and the
 * browser bridge (which spawns the real, pinned `codex app-server` and serves the built page
 * from `web-demo/dist`), prints the URL, and runs until Ctrl-C.
 *
 * ```
 * deno task demo:web                      # builds the page, then runs this
 * deno run -A examples/serve_demo.ts [--port 8787] [--origin http://localhost:5173] [--smoke]
 *                                     [--static DIR]   (default web-demo/dist)
 * ```
 *
 * `--smoke` (or `DEMO_EXIT_AFTER_START=1`) checks that the page is served and the bridge
 * accepts a session, then exits: a start-up test for CI.
 *
 * @module
 */
import { BRIDGE_SESSION_PATH, startStoppable } from "../src/bridge/mod.ts";
import { DEFAULT_STATIC_DIR, startDemoStack } from "../web-demo/server/demo_stack.ts";

const args = Deno.args;
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const smoke = args.includes("--smoke") || Deno.env.get("DEMO_EXIT_AFTER_START") === "1";
const port = Number(flag("--port") ?? (smoke ? 0 : 8787));
const origins = args.flatMap((a, i) => a === "--origin" && args[i + 1] ? [args[i + 1]] : []);
const staticDir = flag("--static") ?? DEFAULT_STATIC_DIR;

try {
  await Deno.stat(`${staticDir}/index.html`);
} catch {
  console.error(
    `The page is not built (${staticDir}/index.html is missing): run \`deno task build:web\`.`,
  );
  Deno.exit(1);
}

// The stop handlers are in place before anything starts or any ready line is printed.
const stack = await startStoppable(() =>
  startDemoStack({
    port,
    staticDir,
    allowedOrigins: origins,
    log: smoke ? undefined : (line) => console.error(`[bridge] ${line}`),
  })
);
const url = `${stack.bridge.pageUrl}/`;

if (smoke) {
  try {
    const page = await fetch(url);
    const html = await page.text();
    if (!page.ok || !html.includes("codex-worker")) {
      throw new Error(`GET / answered ${page.status}`);
    }
    const session = await fetch(`${stack.bridge.pageUrl}${BRIDGE_SESSION_PATH}`, {
      method: "POST",
      headers: { origin: stack.bridge.pageUrl },
    });
    await session.body?.cancel();
    if (!session.ok) throw new Error(`the session endpoint answered ${session.status}`);
    console.log(`web demo started at ${url} (smoke test passed)`);
  } finally {
    await stack.close();
  }
} else {
  console.log(`\nweb demo ready: open ${url}\n`);
  console.log(
    'Offline model prompts: "hello", "a markdown answer", "run a command" (asks for approval), ' +
      '"write a file", "edit a file", "a large diff" (diffs in the approval dialog), ' +
      '"a long answer" (steer/interrupt), "flood" (100k deltas), "fail".',
  );
  console.log("Ctrl-C to stop.");
}
