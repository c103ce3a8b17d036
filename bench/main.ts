/**
 * `deno task bench`: runs every benchmark (each against its baseline in the same run) and writes
 * `BENCHMARKS.md`. Pass benchmark names to run a subset (the file is then not written unless
 * `--write` is given): `deno task bench delivery router`.
 *
 * Names: delivery, synthetic, browser, router, latency, conversation, concurrency, memory,
 * coldstart, flood, node, pool.
 *
 * @module
 */

import { coldStartBench, turnLatencyBench } from "./app_server_bench.ts";
import { concurrencyBench } from "./concurrency_bench.ts";
import { conversationBench } from "./conversation_bench.ts";
import { browserDeliveryBench } from "./delivery/browser_bench.ts";
import { deliveryBench } from "./delivery/delivery_bench.ts";
import { syntheticDeliveryBench } from "./delivery/synthetic_bench.ts";
import { heartbeatProbe, measurePath } from "./delivery/synthetic_driver.ts";
import { machineFacts } from "./lib/machine.ts";
import { type Offline, startOffline } from "./lib/offline.ts";
import { mergeSection, renderSection, type Section, summaryLabel } from "./lib/report.ts";
import { memoryBench } from "./memory_bench.ts";
import { nodeBench } from "./node_bench.ts";
import { poolBench } from "./pool_bench.ts";
import { routerBench } from "./router_bench.ts";
import { stackFloodBench } from "./browser/stack_flood_bench.ts";

const benches: Array<[string, (offline: Offline) => Promise<Section>]> = [
  ["delivery", () => deliveryBench()],
  ["synthetic", () => syntheticDeliveryBench("Deno", (plan) => measurePath(plan, heartbeatProbe))],
  ["browser", () => browserDeliveryBench()],
  ["router", () => routerBench()],
  ["latency", (o) => turnLatencyBench(o)],
  ["conversation", (o) => conversationBench(o)],
  ["concurrency", (o) => concurrencyBench(o)],
  ["memory", () => memoryBench()],
  ["coldstart", (o) => coldStartBench(o)],
  ["flood", () => stackFloodBench()],
  ["node", (o) => nodeBench(o)],
  ["pool", (o) => poolBench(o)],
];

const wanted = Deno.args.filter((a) => !a.startsWith("--"));
const write = wanted.length === 0 || Deno.args.includes("--write");
// `--merge`: the named benchmarks replace their own sections of BENCHMARKS.md, the rest stays.
const merge = wanted.length > 0 && Deno.args.includes("--merge");
const started = performance.now();
const facts = await machineFacts();
const sections: Section[] = [];
{
  await using offline = await startOffline();
  for (const [name, run] of benches) {
    if (wanted.length > 0 && !wanted.includes(name)) continue;
    console.error(`[bench] ${name} …`);
    const t0 = performance.now();
    try {
      const section = await run(offline);
      section.seconds = (performance.now() - t0) / 1000;
      sections.push(section);
      console.log(renderSection(section));
    } catch (err) {
      const message = err instanceof Error ? err.stack ?? err.message : String(err);
      console.error(`[bench] ${name} failed: ${message}`);
      sections.push({
        title: `${name}: FAILED`,
        method: "```\n" + message + "\n```",
        table: [],
        targets: [],
        notes: [],
      });
    }
  }
}
const total = (performance.now() - started) / 1000;

const summary: string[][] = [["benchmark", "target", "measured", "result"]];
for (const s of sections) {
  for (const t of s.targets) {
    const result = t.met === undefined ? "not measured" : t.met ? "met" : "**not met**";
    summary.push([summaryLabel(s), t.text, t.measured, result]);
  }
}

const md = [
  "# Benchmarks",
  "",
  "Written by `deno task bench` (`bench/main.ts`); do not edit by hand. Every figure is measured",
  "against its baseline in the same run, and ratios are what to read: this machine",
  `(${navigator.hardwareConcurrency} cores) is shared and noisy. Figures are the median of several`,
  "runs with (min–max) unless a section says otherwise.",
  "",
  "## Machine",
  "",
  "| | |",
  "| --- | --- |",
  ...facts.map(([k, v]) => `| ${k} | ${v} |`),
  `| whole run | ${total.toFixed(0)} s |`,
  `| load average at end | ${
    (await Deno.readTextFile("/proc/loadavg").catch(() => "")).split(" ").slice(0, 3).join(" ")
  } |`,
  "",
  "## Targets",
  "",
  summary.length > 1
    ? [summary[0], ["---", "---", "---:", "---"], ...summary.slice(1)].map((r) =>
      `| ${r.join(" | ")} |`
    ).join("\n")
    : "(none measured)",
  "",
  ...sections.map(renderSection),
].join("\n");

if (merge) {
  const path = new URL("../BENCHMARKS.md", import.meta.url);
  let report = await Deno.readTextFile(path);
  const load = (await Deno.readTextFile("/proc/loadavg").catch(() => "")).split(" ").slice(0, 3);
  for (const s of sections) {
    s.notes.push(
      `Measured on its own (\`deno task bench ${wanted.join(" ")} --merge\`) on ` +
        `${new Date().toISOString()}, load average ${load.join(" ")} at the end.`,
    );
    report = mergeSection(report, s);
  }
  await Deno.writeTextFile(path, report);
  console.error(`[bench] merged ${sections.length} section(s) into BENCHMARKS.md`);
} else if (write) {
  await Deno.writeTextFile(new URL("../BENCHMARKS.md", import.meta.url), md);
  console.error(`[bench] wrote BENCHMARKS.md in ${total.toFixed(0)} s`);
} else {
  console.error(`[bench] done in ${total.toFixed(0)} s (subset: BENCHMARKS.md not written)`);
}
