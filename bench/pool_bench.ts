/**
 * Benchmark: 200 short turns, each on a new thread, all at once: through one plain `Codex`
 * connection, and through a `CodexPool` of 1, 2 and 4 local members (each its own app-server
 * and CODEX_HOME, all on this machine and one offline model server); wall time, throughput and
 * CPU per process, and the pool's own cost per turn against the plain connection.
 *
 * @module
 */

import { Codex, CodexPool } from "../mod.ts";
import { writeCodexHome } from "../src/testing/mod.ts";
import { findProcessWithEnv, processCpu } from "./lib/cpu_usage.ts";
import type { Offline } from "./lib/offline.ts";
import type { Section } from "./lib/report.ts";

const MARKER_VAR = "CODEX_WORKER_BENCH_MARKER";

interface Run {
  label: string;
  ms: number;
  /** CPU seconds of each app-server over the phase. */
  appServers: number[];
  /** CPU seconds of this process (SDK, pool, Workers, model server) over the phase. */
  bench: number;
  /** Turns that completed with their own prompt's echo on their own thread. */
  correct: number;
}

type Starter = (i: number) => Promise<{ id: string; run(text: string): Promise<unknown> }>;

async function phase(label: string, pids: number[], n: number, start: Starter): Promise<Run> {
  const app0 = pids.map((pid) => processCpu(pid).self);
  const self0 = processCpu(Deno.pid).self;
  const t0 = performance.now();
  const rows = await Promise.all(Array.from({ length: n }, async (_, i) => {
    const thread = await start(i);
    const text = `pool ${i}`;
    const result = await thread.run(text) as { threadId: string; finalResponse: string };
    return result.threadId === thread.id && result.finalResponse === `Hi! (mock reply to: ${text})`
      ? 1
      : 0;
  }));
  const ms = performance.now() - t0;
  return {
    label,
    ms,
    appServers: pids.map((pid, i) => processCpu(pid).self - app0[i]),
    bench: processCpu(Deno.pid).self - self0,
    correct: rows.reduce((a: number, b) => a + b, 0),
  };
}

async function plain(offline: Offline, n: number): Promise<Run> {
  const marker = crypto.randomUUID();
  await using codex = await Codex.connect({
    codexHome: offline.home.dir,
    codexPath: offline.bin,
    env: { [MARKER_VAR]: marker },
  });
  const pid = findProcessWithEnv(/^codex/, `${MARKER_VAR}=${marker}`);
  await (await codex.threadStart({ cwd: offline.cwd })).run("warm up");
  return await phase(
    "plain Codex, 1 app-server",
    [pid],
    n,
    () => codex.threadStart({ cwd: offline.cwd }),
  );
}

async function pooled(offline: Offline, n: number, members: number, cap?: number): Promise<Run> {
  const homes = await Promise.all(Array.from({ length: members }, (_, i) =>
    writeCodexHome({
      modelServerUrl: offline.server.url,
      dir: `${offline.home.dir}/pool_${members}_${cap ?? "d"}_${i}`,
    })));
  const markers = homes.map(() => crypto.randomUUID());
  try {
    await using pool = await CodexPool.connect({
      members: homes.map((h, i) => ({
        codexHome: h.dir,
        codexPath: offline.bin,
        env: { [MARKER_VAR]: markers[i] },
      })),
      ...(cap ? { maxRunningTurnsPerMember: cap } : {}),
    });
    const pids = markers.map((m) => findProcessWithEnv(/^codex/, `${MARKER_VAR}=${m}`));
    // One warm-up turn per member (least-busy puts each on the next idle member).
    const warm = await Promise.all(homes.map(() => pool.threadStart({ cwd: offline.cwd })));
    await Promise.all(warm.map((t) => t.run("warm up")));
    const label = `pool, ${members} member${members > 1 ? "s" : ""}, cap ${cap ?? "default"}`;
    return await phase(label, pids, n, () => pool.threadStart({ cwd: offline.cwd }));
  } finally {
    for (const h of homes) await h.cleanup();
  }
}

const s = (seconds: number) => seconds.toFixed(2);

/**
 * The pool benchmark.
 *
 * @example
 * ```ts ignore
 * console.log(await poolBench(offline, { turns: 200 }));
 * ```
 */
export async function poolBench(
  offline: Offline,
  options: { turns?: number } = {},
): Promise<Section> {
  const n = options.turns ?? 200;
  const runs: Run[] = [];
  runs.push(await plain(offline, n));
  runs.push(await pooled(offline, n, 1, n));
  runs.push(await pooled(offline, n, 1));
  runs.push(await pooled(offline, n, 2));
  runs.push(await pooled(offline, n, 4));
  const [base, same] = runs;
  const correct = runs.reduce((a, r) => a + r.correct, 0);
  const overheadMs = (same.ms - base.ms) / n;
  const overheadCpuMs = ((same.bench - base.bench) / n) * 1000;
  return {
    title: `Pool: ${n} turns on new threads, 1, 2 and 4 local members`,
    method: `${n} turns at once (\`Promise.all\`), each \`threadStart()\` then \`run()\` on the ` +
      `new thread, after one warm-up turn per app-server: through one plain \`Codex\` ` +
      `connection, then through \`CodexPool\` with 1 member (its cap raised to ${n}, the same ` +
      `concurrency as the plain connection: the pool's own cost), 1 member with the default ` +
      `cap, 2 and 4 members. Every member is a local app-server with its own CODEX_HOME; all ` +
      `use one offline model server in this process. Every result is checked (its thread, the ` +
      `echo of its prompt). CPU seconds from \`/proc/<pid>/stat\` over the phase. One repetition.`,
    table: [
      ["", "wall s", "turns/s", "app-servers CPU s (each)", "this process CPU s"],
      ...runs.map((r) => [
        r.label,
        s(r.ms / 1000),
        (n / (r.ms / 1000)).toFixed(1),
        r.appServers.map(s).join(" + "),
        s(r.bench),
      ]),
    ],
    targets: [{
      text: "all complete, each on its own thread",
      met: correct === runs.length * n,
      measured: `${correct}/${runs.length * n}`,
    }],
    notes: [
      `The pool's own cost (1 member, same concurrency, against the plain connection): ` +
      `${overheadMs.toFixed(2)} ms of wall time and ${overheadCpuMs.toFixed(2)} ms of this ` +
      `process's CPU per turn (one repetition: noise of the same order is likely).`,
      `On one machine, more members share the same cores: compare the turns/s of 1, 2 and 4 ` +
      `members to see whether they gain anything; what the pool adds is placement and failover.`,
    ],
  };
}
