// Benchmark 9, inside one Node process with the installed @codex-worker/sdk and the official
// @openai/codex-sdk: (a) the 10-turn conversation, this SDK (worker thread) against the official
// SDK (`codex exec` per turn), alternating order, same binary and CODEX_HOME; (b) cold start,
// Codex.connect() with and without the worker thread against a raw spawn → initialize.
// Run by bench/node_bench.ts with CODEX_HOME set to the offline home. Prints one JSON line.
// (c) Per-event cost: a flood of deltas from the fake app-server (bench/fake/) through the worker
// thread to `turn.batches()`, against a bare MessagePort ceiling (a worker thread posting the same
// deltas in batches of 512) in the same process.
// Usage: node node_bench.mjs <codex-binary> <cwd> <turns> <conversation-runs> <cold-runs>
//          <fake-app-server> <flood-deltas> <flood-runs>
import { spawn } from "node:child_process";
import { Worker } from "node:worker_threads";
import { Codex } from "@codex-worker/sdk";
import { Codex as OfficialCodex } from "@openai/codex-sdk";

const [bin, cwd, turnsArg, runsArg, coldArg, fake, floodArg, floodRunsArg] = process.argv.slice(2);
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
/** Events per second through the SDK: the fake app-server's flood to `turn.batches()`. */
async function sdkFlood(count) {
  const codex = await Codex.connect({ codexPath: fake, versionCheck: "off" });
  try {
    const thread = await codex.threadStart({});
    const t0 = performance.now();
    const turn = await thread.turn(`flood ${count}`);
    let deltas = 0;
    for await (const batch of turn.batches()) {
      for (const ev of batch) if (ev.method === "item/agentMessage/delta") deltas++;
    }
    if (deltas !== count) throw new Error(`expected ${count} deltas, got ${deltas}`);
    return count / ((performance.now() - t0) / 1000);
  } finally {
    await codex.close();
  }
}

const PORT_WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { count, threadId, turnId } = workerData;
for (let i = 0; i < count; i += 512) {
  const batch = [];
  for (let j = i; j < Math.min(count, i + 512); j++) {
    batch.push({ method: "item/agentMessage/delta",
      params: { threadId, turnId, itemId: "msg_1", delta: "x", seq: j } });
  }
  parentPort.postMessage(batch);
}
parentPort.postMessage("end");
`;

/** The ceiling: the same deltas, already parsed, posted by a worker thread in batches. */
async function portFlood(count) {
  let t0;
  const worker = new Worker(PORT_WORKER, {
    eval: true,
    workerData: { count, threadId: "thr_1", turnId: "turn_1" },
  });
  let deltas = 0;
  await new Promise((resolve) => {
    worker.on("message", (batch) => {
      t0 ??= performance.now(); // the clock starts at the first batch: worker start-up excluded
      if (batch === "end") resolve();
      else deltas += batch.length;
    });
  });
  const rate = (count - 512) / ((performance.now() - t0) / 1000); // the first batch started it
  await worker.terminate();
  if (deltas !== count) throw new Error(`expected ${count} deltas, got ${deltas}`);
  return rate;
}

const flood = { sdk: [], port: [] };
for (let r = 0; r < Number(floodRunsArg); r++) {
  const order = r % 2 ? ["port", "sdk"] : ["sdk", "port"];
  for (const name of order) {
    flood[name].push(await (name === "sdk" ? sdkFlood : portFlood)(Number(floodArg)));
  }
}

console.log(JSON.stringify({ node: process.version, conversation, cold, flood }));
