// Benchmark 9, inside one Node process with the installed @codex-worker/sdk and the official
// @openai/codex-sdk: (a) the 10-turn conversation, this SDK (worker thread) against the official
// SDK (`codex exec` per turn), alternating order, same binary and CODEX_HOME; (b) cold start,
// Codex.connect() with and without the worker thread against a raw spawn → initialize.
// Run by bench/node_bench.ts with CODEX_HOME set to the offline home. Prints one JSON line.
// Usage: node node_bench.mjs <codex-binary> <cwd> <turns> <conversation-runs> <cold-runs>
import { spawn } from "node:child_process";
import { Codex } from "@codex-worker/sdk";
import { Codex as OfficialCodex } from "@openai/codex-sdk";

const [bin, cwd, turnsArg, runsArg, coldArg] = process.argv.slice(2);
const turns = Number(turnsArg);
const expected = (i) => `Hi! (mock reply to: message ${i})`;

async function ours() {
  const t0 = performance.now();
  const codex = await Codex.connect({ codexHome: process.env.CODEX_HOME, codexPath: bin });
  try {
    const thread = await codex.threadStart({ cwd });
    let ok = true;
    for (let i = 0; i < turns; i++) {
      ok &&= (await thread.run(`message ${i}`)).finalResponse === expected(i);
    }
    return { ms: performance.now() - t0, ok };
  } finally {
    await codex.close();
  }
}

async function official() {
  const t0 = performance.now();
  const codex = new OfficialCodex({ codexPathOverride: bin });
  const thread = codex.startThread({ workingDirectory: cwd, skipGitRepoCheck: true });
  let ok = true;
  for (let i = 0; i < turns; i++) {
    ok &&= (await thread.run(`message ${i}`)).finalResponse === expected(i);
  }
  return { ms: performance.now() - t0, ok };
}

/** The baseline: spawn the app-server, `initialize` → response → `initialized`, by hand. */
async function raw() {
  const t0 = performance.now();
  const child = spawn(bin, ["app-server"], { stdio: ["pipe", "pipe", "ignore"] });
  const ready = new Promise((resolve, reject) => {
    let buffer = "";
    child.stdout.setEncoding("utf8").on("data", (text) => {
      buffer += text;
      for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (JSON.parse(line).id === 1) resolve();
      }
    });
    child.once("exit", () => reject(new Error("the app-server exited")));
  });
  const params = {
    clientInfo: { name: "raw_bench", title: null, version: "0.0.0" },
    capabilities: { experimentalApi: true },
  };
  child.stdin.write(JSON.stringify({ id: 1, method: "initialize", params }) + "\n");
  await ready;
  child.stdin.write(JSON.stringify({ method: "initialized" }) + "\n");
  const ms = performance.now() - t0;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
  return ms;
}

async function connectMs(worker) {
  const t0 = performance.now();
  const codex = await Codex.connect({ codexHome: process.env.CODEX_HOME, codexPath: bin, worker });
  const ms = performance.now() - t0;
  await codex.close();
  return ms;
}

const conversation = { ours: [], official: [] };
for (let r = 0; r < Number(runsArg); r++) {
  const order = r % 2 ? [official, ours] : [ours, official];
  for (const run of order) conversation[run === ours ? "ours" : "official"].push(await run());
}

const cold = { raw: [], worker: [], inproc: [] };
const starts = [["raw", raw], ["worker", () => connectMs(true)], [
  "inproc",
  () => connectMs(false),
]];
for (const [, start] of starts) await start(); // warm-up
for (let r = 0; r < Number(coldArg); r++) {
  for (let k = 0; k < starts.length; k++) {
    const [name, start] = starts[(r + k) % starts.length];
    cold[name].push(await start());
  }
}
console.log(JSON.stringify({ node: process.version, conversation, cold }));
