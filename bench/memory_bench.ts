/**
 * Benchmark 6: memory. (a) 10 000 turns whose streams are never read (in-process router over a
 * `MemoryTransport` playing the app-server); (b) a slow consumer under a flood (Worker router,
 * fake stdio app-server). Heap figures come from `Deno.memoryUsage()` after a forced GC
 * (`--v8-flags=--expose-gc`).
 *
 * @module
 */

import { Codex, StreamOverflowError } from "../mod.ts";
import { MemoryTransport } from "../src/transport/memory_transport.ts";
import { fakeAppServerCommand } from "./lib/fake_command.ts";
import type { Section } from "./lib/report.ts";
import { num } from "./lib/stats.ts";

const gcFn = (globalThis as { gc?: () => void }).gc;

async function settledHeap(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gcFn?.();
    await new Promise((r) => setTimeout(r, 0)); // let FinalizationRegistry callbacks run
  }
  gcFn?.();
  return Deno.memoryUsage().heapUsed;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

function memoryServer(deltasPerTurn: number): MemoryTransport {
  const transport = new MemoryTransport();
  let seq = 0;
  transport.peer.onMessage = (m) => {
    const id = m.id;
    if (id === undefined) return;
    if (m.method === "initialize") {
      transport.peer.send({
        id,
        result: {
          userAgent: "mem/0.169.0 (bench)",
          codexHome: "/x",
          platformFamily: "unix",
          platformOs: "linux",
        },
      });
    } else if (m.method === "turn/start") {
      const threadId = (m.params as { threadId: string }).threadId;
      const turnId = `turn-${++seq}`;
      const turn = {
        id: turnId,
        items: [],
        itemsView: "notLoaded",
        status: "inProgress",
        error: null,
        startedAt: null,
      };
      transport.peer.send({ id, result: { turn } });
      queueMicrotask(() => {
        transport.peer.send({ method: "turn/started", params: { threadId, turn } });
        for (let i = 0; i < deltasPerTurn; i++) {
          transport.peer.send({
            method: "item/agentMessage/delta",
            params: { threadId, turnId, itemId: "msg_1", delta: "some text " },
          });
        }
        transport.peer.send({
          method: "turn/completed",
          params: {
            threadId,
            turn: { ...turn, status: "completed", completedAt: 2, durationMs: 1 },
          },
        });
      });
    } else {
      transport.peer.send({ id, result: {} });
    }
  };
  return transport;
}

async function unconsumedTurns(turns: number, deltas: number): Promise<string[][]> {
  { // warm-up cycle: loads and compiles the code paths, so the baseline includes them
    const warm = await Codex.connect({ transport: memoryServer(deltas), worker: false });
    for (let i = 0; i < 100; i++) await warm.thread("w").turn("w");
    await warm.close();
  }
  const base = await settledHeap();
  const codex = await Codex.connect({ transport: memoryServer(deltas), worker: false });
  const thread = codex.thread("thread-m");
  const held = [];
  for (let i = 0; i < turns; i++) held.push(await thread.turn(`t ${i}`));
  await new Promise((r) => setTimeout(r, 0));
  const peak = Deno.memoryUsage().heapUsed;
  const whileHeld = await settledHeap();
  const statsHeld = await codex.stats();
  held.length = 0;
  const afterDrop = await settledHeap();
  const stats = await codex.stats();
  await codex.close();
  const afterClose = await settledHeap();
  return [
    ["baseline (after a warm-up connection, before connect)", mb(base), ""],
    [`${num(turns)} turns started, handles held, streams unread (before GC)`, mb(peak), ""],
    [
      "… after GC, handles still held",
      mb(whileHeld),
      `${num((whileHeld - base) / turns)} B per turn (${deltas + 2} events each)`,
    ],
    [
      "… handles dropped, after GC",
      mb(afterDrop),
      `+${
        mb(afterDrop - base)
      } vs baseline; router: ${statsHeld.activeTurns}→${stats.activeTurns} active turns, ${stats.capturedEvents} captured events`,
    ],
    ["… connection closed, after GC", mb(afterClose), `+${mb(afterClose - base)} vs baseline`],
  ];
}

async function slowConsumer(
  command: string,
  flood: number,
  limit: number | undefined,
  perBatchMs: number,
): Promise<string[]> {
  const base = await settledHeap();
  const codex = await Codex.connect({ codexPath: command, worker: true, maxBufferedEvents: limit });
  let peak = Deno.memoryUsage().heapUsed;
  let peakRss = Deno.memoryUsage().rss;
  const sampler = setInterval(() => {
    const m = Deno.memoryUsage();
    peak = Math.max(peak, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
  }, 10);
  let consumed = 0;
  let outcome = "completed";
  try {
    const turn = await codex.thread("thread-s").turn(`flood ${flood}`);
    for await (const batch of turn.batches()) {
      consumed += batch.length;
      await new Promise((r) => setTimeout(r, perBatchMs)); // the slow consumer
    }
  } catch (err) {
    outcome = err instanceof StreamOverflowError ? "StreamOverflowError" : String(err);
  } finally {
    clearInterval(sampler);
    await codex.close();
  }
  const after = await settledHeap();
  return [
    `${num(flood)} deltas, limit ${num(limit ?? 250_000)}${
      limit === undefined ? " (default)" : ""
    }`,
    outcome,
    num(consumed),
    mb(base),
    mb(peak),
    mb(peakRss),
    `${mb(after)} (+${mb(after - base)})`,
  ];
}

/**
 * Runs benchmark 6.
 *
 * @example
 * ```ts ignore
 * console.log(await memoryBench());
 * ```
 */
export async function memoryBench(
  options: { turns?: number; flood?: number } = {},
): Promise<Section> {
  if (!gcFn) throw new Error("run with --v8-flags=--expose-gc");
  const turns = options.turns ?? 10_000;
  const flood = options.flood ?? 300_000;
  const a = await unconsumedTurns(turns, 20);
  await using fake = await fakeAppServerCommand();
  const b = [
    await slowConsumer(fake.path, flood, undefined, 20),
    await slowConsumer(fake.path, flood, 20_000, 20),
  ];
  return {
    title: "6. Memory",
    method: `(a) ${num(turns)} turns whose streams are never read: in-process router, a ` +
      `\`MemoryTransport\` playing the app-server (each turn: \`turn/started\`, 20 deltas, ` +
      `\`turn/completed\`). (b) A slow consumer (one batch per 20 ms) under a ` +
      `flood of ${num(flood)} deltas from the fake stdio app-server through the Worker router; ` +
      `main-thread heap sampled every 10 ms. Heap = \`Deno.memoryUsage().heapUsed\` of the ` +
      `main isolate after a forced GC; RSS covers the whole process (Worker included).`,
    table: [
      ["(a) never-read turns", "heap used", "note"],
      ...a,
    ],
    extraTables: [[
      [
        "(b) slow consumer",
        "outcome",
        "events read",
        "heap before",
        "peak heap",
        "peak RSS",
        "heap after close + GC",
      ],
      ...b,
    ]],
    targets: [],
    notes: [],
  };
}
