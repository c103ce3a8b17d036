/**
 * Facts about the machine and the tools a benchmark run used.
 *
 * @module
 */

import { resolveCodexBinary } from "../../src/transport/codex_binary.ts";

/** Label → value, in display order. */
export type MachineFacts = Array<[string, string]>;

async function output(cmd: string, args: string[]): Promise<string> {
  try {
    const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "null" }).output();
    return new TextDecoder().decode(out.stdout).trim();
  } catch {
    return "unavailable";
  }
}

/**
 * Collects CPU, memory and tool versions (Deno, V8, Chromium, codex, Node, the official SDK).
 *
 * @example
 * ```ts ignore
 * import { machineFacts } from "./machine.ts";
 * for (const [k, v] of await machineFacts()) console.log(k, v);
 * ```
 */
export async function machineFacts(): Promise<MachineFacts> {
  const cpuinfo = await Deno.readTextFile("/proc/cpuinfo").catch(() => "");
  const model = /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1] ?? "unknown";
  const meminfo = await Deno.readTextFile("/proc/meminfo").catch(() => "");
  const memKb = Number(/MemTotal:\s*(\d+)/.exec(meminfo)?.[1] ?? NaN);
  let codex = "unavailable";
  try {
    codex = await output(resolveCodexBinary(), ["--version"]);
  } catch { /* not installed */ }
  const chromium = (await output("/usr/bin/chromium", ["--version"])).split("\n").pop() ?? "";
  const sdkPkg = await Deno.readTextFile(
    new URL("../../node_modules/@openai/codex-sdk/package.json", import.meta.url),
  ).then((t) => (JSON.parse(t) as { version: string }).version).catch(() => "not installed");
  return [
    ["CPU", `${navigator.hardwareConcurrency} × ${model}`],
    ["nproc", await output("nproc", [])],
    ["memory", `${(memKb / 1024 / 1024).toFixed(1)} GiB`],
    ["OS", `${Deno.build.os} ${Deno.build.arch} (${Deno.osRelease()})`],
    ["Deno", `${Deno.version.deno} (V8 ${Deno.version.v8}, TS ${Deno.version.typescript})`],
    ["Chromium", chromium || "unavailable"],
    ["codex", codex],
    ["Node", await output("node", ["--version"])],
    ["@openai/codex-sdk", sdkPkg],
    [
      "load average at start",
      (await Deno.readTextFile("/proc/loadavg").catch(() => "")).split(" ").slice(0, 3).join(" "),
    ],
    ["date", new Date().toISOString()],
  ];
}
