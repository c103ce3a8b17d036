/**
 * Benchmark 5: 50 turns, each on a new thread, on one connection: all at once and one after the
 * other, with codex's login-shell snapshot on and off; wall time and CPU per process.
 *
 * @module
 */

import { Codex } from "../mod.ts";
import { findProcessWithEnv, processCpu } from "./lib/cpu_usage.ts";
import type { Offline } from "./lib/offline.ts";
import { RawClient } from "./lib/raw_client.ts";
import type { Section } from "./lib/report.ts";

const MARKER_VAR = "CODEX_WORKER_BENCH_MARKER";

/** One phase: wall time and CPU seconds per process. */
interface Phase {
  ms: number;
  /** The app-server's own threads. */
  appServer: number;
  /** Processes the app-server ran and reaped meanwhile (the snapshot's shells). */
  shells: number;
  /** This process: the SDK, its Worker and the offline model server. */
  bench: number;
  completed: number;
  routed: number;
}

async function phase(pid: number, work: () => Promise<[number, number]>): Promise<Phase> {
  const app0 = processCpu(pid);
  const self0 = processCpu(Deno.pid);
  const t0 = performance.now();
  const [completed, routed] = await work();
  const ms = performance.now() - t0;
  const app1 = processCpu(pid);
  const self1 = processCpu(Deno.pid);
  return {
    ms,
    appServer: app1.self - app0.self,
    shells: app1.children - app0.children,
    bench: self1.self - self0.self,
    completed,
    routed,
  };
}

/** Starts a thread and runs one turn on it; [completed, correctly routed] as 0/1. */
async function newThreadTurn(codex: Codex, cwd: string, text: string): Promise<[number, number]> {
  const thread = await codex.threadStart({ cwd });
  const result = await thread.run(text);
  const routed = result.threadId === thread.id &&
    result.finalResponse === `Hi! (mock reply to: ${text})`;
  return [result.status === "completed" ? 1 : 0, routed ? 1 : 0];
}

const sum = (rows: Array<[number, number]>): [number, number] =>
  rows.reduce(([a, b], [c, d]) => [a + c, b + d], [0, 0]);

async function measure(offline: Offline, snapshots: boolean, n: number) {
  const marker = crypto.randomUUID();
  const codex = await Codex.connect({
    codexHome: offline.home.dir,
    codexPath: offline.bin,
    worker: true,
    config: { "features.shell_snapshot": snapshots },
    env: { [MARKER_VAR]: marker },
  });
  try {
    const pid = findProcessWithEnv(/^codex/, `${MARKER_VAR}=${marker}`);
    await newThreadTurn(codex, offline.cwd, "warm up");
    const sequential = await phase(pid, async () => {
      const rows: Array<[number, number]> = [];
      for (let i = 0; i < n; i++) rows.push(await newThreadTurn(codex, offline.cwd, `seq ${i}`));
      return sum(rows);
    });
    const concurrent = await phase(pid, async () =>
      sum(
        await Promise.all(
          Array.from({ length: n }, (_, i) => newThreadTurn(codex, offline.cwd, `conc ${i}`)),
        ),
      ));
    return { sequential, concurrent };
  } finally {
    await codex.close();
  }
}

/** The raw stdio client: the same concurrent phase without the SDK (snapshots off). */
async function measureRaw(offline: Offline, n: number): Promise<Phase> {
  const marker = crypto.randomUUID();
  const raw = await RawClient.spawn(offline.bin, {
    CODEX_HOME: offline.home.dir,
    [MARKER_VAR]: marker,
  });
  try {
    const pid = findProcessWithEnv(/^codex/, `${MARKER_VAR}=${marker}`);
    const warm = await raw.threadStart(offline.cwd);
    await raw.turn(warm, "warm up");
    return await phase(pid, async () => {
      await Promise.all(Array.from({ length: n }, async (_, i) => {
        await raw.turn(await raw.threadStart(offline.cwd), `raw ${i}`);
      }));
      return [n, n];
    });
  } finally {
    await raw.close();
  }
}

const s = (seconds: number) => seconds.toFixed(2);
const pct = (ratio: number) => `${(ratio * 100).toFixed(0)}%`;

/**
 * Benchmark 5.
 *
 * @example
 * ```ts ignore
 * console.log(await concurrencyBench(offline, { turns: 50 }));
 * ```
 */
export async function concurrencyBench(
  offline: Offline,
  options: { turns?: number } = {},
): Promise<Section> {
  const n = options.turns ?? 50;
  const on = await measure(offline, true, n);
  const off = await measure(offline, false, n);
  const raw = await measureRaw(offline, n);
  const row = (label: string, p: Phase) => [
    label,
    s(p.ms / 1000),
    (n / (p.ms / 1000)).toFixed(1),
    s(p.appServer),
    s(p.shells),
    s(p.bench),
  ];
  const phases = [on.sequential, on.concurrent, off.sequential, off.concurrent];
  const completed = phases.reduce((a, p) => a + p.completed, 0);
  const routed = phases.reduce((a, p) => a + p.routed, 0);
  const perThread = (p: Phase, q: Phase) => ((p.ms - q.ms) / n).toFixed(0);
  return {
    title: `5. ${n} turns on new threads, one connection: shell snapshot on and off`,
    method: `One SDK connection (Worker router, one app-server) per setting of ` +
      `\`features.shell_snapshot\`. Each turn is \`threadStart()\` then \`run()\` on the new ` +
      `thread: ${n} one after the other, then ${n} all at once (\`Promise.all\`), after one ` +
      `warm-up turn. Every result is checked: status \`completed\`, its own thread id and the ` +
      `echo of its own prompt. CPU seconds per process from \`/proc/<pid>/stat\` over each ` +
      `phase: the app-server's own threads; the processes it ran and reaped (the snapshot's ` +
      `login shells); and this process (SDK, Worker and the offline model server). Baseline for ` +
      `the SDK: a raw stdio JSON-RPC client running the same ${n} at once on its own app-server ` +
      `(snapshots off). One repetition.`,
    table: [
      ["", "wall s", "turns/s", "app-server CPU s", "its shells CPU s", "this process CPU s"],
      row(`snapshot on, ${n} sequential`, on.sequential),
      row(`snapshot on, ${n} concurrent`, on.concurrent),
      row(`snapshot off, ${n} sequential`, off.sequential),
      row(`snapshot off, ${n} concurrent`, off.concurrent),
      row(`raw stdio client, snapshot off, ${n} concurrent`, raw),
    ],
    targets: [{
      text: "all complete, correctly routed",
      met: completed === 4 * n && routed === 4 * n,
      measured: `${routed}/${4 * n}`,
    }],
    notes: [
      `The snapshot adds ${perThread(on.concurrent, off.concurrent)} ms of wall time per new ` +
      `thread when ${n} start at once (${(on.concurrent.ms / off.concurrent.ms).toFixed(1)}x), ` +
      `and ${perThread(on.sequential, off.sequential)} ms per thread one at a time (${
        (on.sequential.ms / off.sequential.ms).toFixed(1)
      }x).`,
      `${n} concurrent turns took ${pct(off.concurrent.ms / off.sequential.ms)} of the wall ` +
      `time of ${n} sequential ones with the snapshot off, and ` +
      `${pct(on.concurrent.ms / on.sequential.ms)} with it on.`,
      `SDK ÷ raw client for the same ${n} concurrent turns (snapshot off): ${
        (off.concurrent.ms / raw.ms).toFixed(2)
      }x.`,
    ],
  };
}
