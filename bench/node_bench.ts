/**
 * Benchmark 9: the SDK on Node, from the packed npm package installed into a fresh project next
 * to the official `@openai/codex-sdk` (`bench/node/node_bench.mjs` runs both in one Node process).
 *
 * @module
 */
import { installedProject } from "../scripts/npm_project.ts";
import { fakeAppServerCommand } from "./lib/fake_command.ts";
import type { Offline } from "./lib/offline.ts";
import type { Section } from "./lib/report.ts";
import { fmtSpread, spread } from "./lib/stats.ts";

interface NodeRun {
  node: string;
  conversation: Record<"ours" | "official", Array<{ ms: number; ok: boolean }>>;
  cold: Record<"raw" | "worker" | "inproc", number[]>;
  flood: Record<"sdk" | "port", number[]>;
}

async function officialSdkVersion(): Promise<string> {
  const deno = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url)));
  return (deno.imports["@openai/codex-sdk"] as string).replace(/^npm:/, "");
}

/**
 * Runs benchmark 9.
 *
 * @example
 * ```ts ignore
 * console.log(await nodeBench(offline, { runs: 2, coldRuns: 5 }));
 * ```
 */
export async function nodeBench(
  offline: Offline,
  options: { turns?: number; runs?: number; coldRuns?: number; deltas?: number } = {},
): Promise<Section> {
  const turns = options.turns ?? 10;
  const runs = options.runs ?? 2;
  const coldRuns = options.coldRuns ?? 5;
  const deltas = options.deltas ?? 200_000;
  const floodRuns = 3;
  const official = await officialSdkVersion();
  const project = await installedProject([official]);
  let result: NodeRun;
  await using fake = await fakeAppServerCommand();
  try {
    const script = new URL("./node/node_bench.mjs", import.meta.url).pathname;
    await Deno.copyFile(script, `${project}/node_bench.mjs`);
    const out = await new Deno.Command("node", {
      args: [
        "node_bench.mjs",
        offline.bin,
        offline.cwd,
        ...[turns, runs, coldRuns].map(String),
        fake.path,
        ...[deltas, floodRuns].map(String),
      ],
      cwd: project,
      env: { CODEX_HOME: offline.home.dir },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const decoder = new TextDecoder();
    if (!out.success) throw new Error(`node failed: ${decoder.decode(out.stderr).slice(-800)}`);
    result = JSON.parse(decoder.decode(out.stdout).trim().split("\n").pop()!);
  } finally {
    await Deno.remove(project, { recursive: true }).catch(() => {});
  }
  const ours = spread(result.conversation.ours.map((c) => c.ms));
  const theirs = spread(result.conversation.official.map((c) => c.ms));
  const allOk = [...result.conversation.ours, ...result.conversation.official].every((c) => c.ok);
  const raw = spread(result.cold.raw);
  const sdkRate = spread(result.flood.sdk);
  const portRate = spread(result.flood.port);
  const coldRow = (label: string, values: number[]) => {
    const s = spread(values);
    return [
      label,
      fmtSpread(s, 1),
      `${(s.median / raw.median).toFixed(2)}x`,
      `+${(s.median - raw.median).toFixed(1)}`,
    ];
  };
  return {
    title: "9. Node: this SDK against the official SDK in one Node process, and cold start",
    method:
      `The packed \`@codex-worker/sdk\` installed with \`${official}\` into a fresh project; ` +
      `one Node ${result.node} process runs both. (a) ${turns} echo turns on one thread, same ` +
      "binary (the official SDK gets it with `codexPathOverride`) and CODEX_HOME: this SDK " +
      "`Codex.connect()` (router in a worker thread) → `threadStart` → `thread.run()` × " +
      `${turns} → close; the official SDK \`startThread\` → \`thread.run()\` × ${turns} (a ` +
      `\`codex exec\` per turn). Every reply is checked. ${runs} runs, alternating order. ` +
      "(b) Time to a ready connection: `Codex.connect()` with and without the worker thread " +
      "against a raw spawn → `initialize` response → `initialized` in the same process. One " +
      `warm-up each, ${coldRuns} runs in a rotating order. (c) ${deltas} deltas from the fake ` +
      "app-server (`bench/fake/flood_app_server.ts`) through stdio, the router in the worker " +
      "thread and its port batches to `turn.batches()`, timed from `thread.turn()` to the " +
      "stream's end; the ceiling is a worker thread posting the same deltas, already parsed, " +
      `in batches of 512 on a bare port. ${floodRuns} runs each, alternating. Median (min–max).`,
    table: [
      ["(a) conversation", "whole conversation ms", "ms per turn", "official ÷ this SDK"],
      ["**this SDK** (worker thread)", fmtSpread(ours), (ours.median / turns).toFixed(0), "—"],
      [
        "official `@openai/codex-sdk`",
        fmtSpread(theirs),
        (theirs.median / turns).toFixed(0),
        `${(theirs.median / ours.median).toFixed(2)}x`,
      ],
    ],
    extraTables: [[
      ["(b) cold start", "ms to ready", "÷ raw", "added ms"],
      ["raw spawn → initialize", fmtSpread(raw, 1), "1x", "—"],
      coldRow("**`Codex.connect()`, worker thread**", result.cold.worker),
      coldRow("**`Codex.connect()`, in-process**", result.cold.inproc),
    ], [
      ["(c) per-event cost", "events/s", "÷ bare port"],
      [
        "**this SDK**: fake app-server flood → worker thread → `turn.batches()`",
        fmtSpread(sdkRate),
        `${(sdkRate.median / portRate.median).toFixed(2)}x`,
      ],
      ["bare `MessagePort` from a worker thread, batches of 512", fmtSpread(portRate), "1x"],
    ]],
    targets: [{
      text: "report the ratio on Node (all replies correct)",
      met: allOk,
      measured: `${(theirs.median / ours.median).toFixed(2)}x faster`,
    }],
    notes: [],
  };
}
