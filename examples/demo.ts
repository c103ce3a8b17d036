/**
 * The main job: a short conversation (two turns on one thread) that streams the agent's text to
 * the terminal as it arrives.
 *
 * Offline by default: a local Responses-API model server stands in for the model, behind the
 * real, pinned `codex app-server`. With `--real` (or `CODEX_WORKER_REAL=1`), the same
 * conversation runs against your own Codex login and config (`~/.codex`), e.g.
 * `CODEX_WORKER_REAL=1 deno task demo` or `deno run -A examples/demo.ts --real`.
 *
 * @module
 */
import process from "node:process";
import { Codex } from "../mod.ts";
import { startStoppable } from "../src/bridge/mod.ts";
import { reply, ResponsesModelServer, writeCodexHome } from "../src/testing/mod.ts";

const real = process.argv.includes("--real") || process.env.CODEX_WORKER_REAL === "1";
const write = (s: string) => process.stdout.write(s);

const prompts = [
  "Say hello and tell me what you can do in one sentence.",
  "Now summarise what you just said in five words.",
];

/** The connection, with the offline model server and CODEX_HOME behind it; `close` stops all. */
async function openDemo() {
  let model: ResponsesModelServer | undefined;
  let home: Awaited<ReturnType<typeof writeCodexHome>> | undefined;
  let codex: Codex | undefined;
  let closing: Promise<void> | undefined;
  const close = () =>
    closing ??= (async () => {
      await codex?.close().catch(() => {});
      await home?.cleanup();
      await model?.close();
    })();
  try {
    if (!real) {
      model = await ResponsesModelServer.start({
        script: [
          reply.text(
            "Hello! I am Codex, running offline against a scripted model: I can read and edit " +
              "code, run commands with your approval, and stream everything as it happens.",
            { chunks: 12 },
          ),
          reply.text("Offline Codex, streaming, approval-gated.", { chunks: 6 }),
        ],
      });
      home = await writeCodexHome({ modelServerUrl: model.url });
    }
    codex = await Codex.connect(home ? { codexHome: home.dir } : {});
    return { codex, close, closed: () => closing !== undefined };
  } catch (err) {
    await close();
    throw err;
  }
}

// Ctrl-C, SIGTERM and SIGHUP stop the app-server and the model server, even during start-up.
const demo = await startStoppable(openDemo);
try {
  const { codex } = demo;
  write(`connected: ${codex.metadata.userAgent}\n`);
  const thread = await codex.threadStart({ cwd: process.cwd() });
  for (const prompt of prompts) {
    write(`\n> ${prompt}\n`);
    const turn = await thread.turn(prompt);
    for await (const delta of turn.streamText()) write(delta);
    const result = await turn.run();
    const usage = result.usage?.last;
    write(
      `\n[turn ${result.status}${
        usage ? `, ${usage.inputTokens} in / ${usage.outputTokens} out tokens` : ""
      }]\n`,
    );
  }
} catch (err) {
  if (!demo.closed()) throw err; // else a stop signal closed it, and exits
} finally {
  await demo.close();
}
