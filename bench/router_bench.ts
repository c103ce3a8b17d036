/**
 * Benchmark 2: router throughput in-process. `MessageRouter.handleMessage(line)` over the lines
 * of one turn (lines in → events out of the turn's stream) against the floor of `JSON.parse` on
 * the same lines.
 *
 * @module
 */

import { MessageRouter } from "../src/router/message_router.ts";
import { MemoryTransport } from "../src/transport/memory_transport.ts";
import type { Section } from "./lib/report.ts";
import { fmtSpread, num, spread } from "./lib/stats.ts";

const THREAD = "019e1a2b-3c4d-7e5f-8a9b-0c1d2e3f4a5b";
const TURN = "019e1a2b-3c4d-7e5f-8a9b-aaaaaaaaaaaa";

/** The lines of a realistic turn with `deltas` agent-message deltas. */
function turnLines(deltas: number): string[] {
  const at = 1795567044859;
  const n = (method: string, params: unknown) =>
    JSON.stringify({ method, params, emittedAtMs: at });
  const turn = { id: TURN, items: [], itemsView: "notLoaded", status: "inProgress", error: null };
  const item = { type: "agentMessage", id: "msg_resp_1", text: "", phase: null };
  const lines = [
    n("turn/started", { threadId: THREAD, turn }),
    n("item/started", { item, threadId: THREAD, turnId: TURN }),
  ];
  for (let i = 0; i < deltas; i++) {
    lines.push(n("item/agentMessage/delta", {
      threadId: THREAD,
      turnId: TURN,
      itemId: "msg_resp_1",
      delta: "token ",
    }));
  }
  lines.push(
    n("item/completed", {
      item: { ...item, text: "token ".repeat(8) },
      threadId: THREAD,
      turnId: TURN,
    }),
    n("thread/tokenUsage/updated", {
      threadId: THREAD,
      turnId: TURN,
      tokenUsage: {
        total: {
          totalTokens: 15,
          inputTokens: 10,
          cachedInputTokens: 0,
          outputTokens: 5,
          reasoningOutputTokens: 0,
        },
        last: {
          totalTokens: 15,
          inputTokens: 10,
          cachedInputTokens: 0,
          outputTokens: 5,
          reasoningOutputTokens: 0,
        },
        modelContextWindow: 258400,
      },
    }),
    n("turn/completed", {
      threadId: THREAD,
      turn: { ...turn, status: "completed", startedAt: 1, completedAt: 2, durationMs: 1 },
    }),
  );
  return lines;
}

async function routerRun(lines: string[]): Promise<{ ms: number; out: number }> {
  const transport = new MemoryTransport();
  transport.peer.onMessage = (m) => {
    if (m.method === "turn/start") {
      transport.peer.send({ id: m.id, result: { turn: { id: TURN } } });
    }
  };
  const router = new MessageRouter(transport, { maxBufferedEvents: lines.length + 10 });
  await router.start();
  const { events } = await router.startTurn("turn/start", { threadId: THREAD }, THREAD);
  let out = 0;
  const t0 = performance.now();
  for (let i = 0; i < lines.length; i++) {
    router.handleMessage(lines[i]);
    if ((i & 255) === 255) out += events.drain(Infinity).length; // a consumer taking batches
  }
  out += events.drain(Infinity).length;
  const ms = performance.now() - t0;
  await router.close();
  if (out !== lines.length) throw new Error(`router delivered ${out} of ${lines.length}`);
  return { ms, out };
}

function parseRun(lines: string[]): number {
  const t0 = performance.now();
  let sink = 0;
  for (let i = 0; i < lines.length; i++) sink += (JSON.parse(lines[i]) as object) ? 1 : 0;
  const ms = performance.now() - t0;
  if (sink !== lines.length) throw new Error("unreachable");
  return ms;
}

/**
 * Runs benchmark 2.
 *
 * @example
 * ```ts ignore
 * import { routerBench } from "./router_bench.ts";
 * console.log(await routerBench({ runs: 3 }));
 * ```
 */
export async function routerBench(
  options: { deltas?: number; runs?: number } = {},
): Promise<Section> {
  const deltas = options.deltas ?? 100_000;
  const runs = options.runs ?? 7;
  const lines = turnLines(deltas);
  const bytes = lines.reduce((n, l) => n + l.length + 1, 0);
  // warm-up (JIT)
  parseRun(lines);
  await routerRun(lines);
  const router: number[] = [];
  const parse: number[] = [];
  for (let r = 0; r < runs; r++) {
    if (r % 2) {
      parse.push(parseRun(lines));
      router.push((await routerRun(lines)).ms);
    } else {
      router.push((await routerRun(lines)).ms);
      parse.push(parseRun(lines));
    }
  }
  const perSec = (ms: number) => lines.length / (ms / 1000);
  const ratios = spread(router.map((ms, i) => parse[i] / ms));
  return {
    title: "2. Router throughput (in-process)",
    method: `One turn of ${num(lines.length)} lines (${num(deltas)} \`item/agentMessage/delta\`, ` +
      `${(bytes / 1024 / 1024).toFixed(1)} MiB, real shapes) fed to ` +
      `\`MessageRouter.handleMessage(line)\` of a router whose turn was started over a ` +
      `\`MemoryTransport\`; a consumer drains the turn's stream every 256 lines (events out). ` +
      `Baseline: \`JSON.parse\` of the same lines, nothing else. Runs alternate order; ` +
      `median (min–max) of ${runs}.`,
    table: [
      ["", "lines/s", "ms per turn", "router ÷ JSON.parse"],
      [
        "`MessageRouter.handleMessage`",
        fmtSpread(spread(router.map(perSec))),
        fmtSpread(spread(router), 1),
        fmtSpread(ratios, 2, "x"),
      ],
      [
        "`JSON.parse` floor",
        fmtSpread(spread(parse.map(perSec))),
        fmtSpread(spread(parse), 1),
        "1x",
      ],
    ],
    targets: [{
      text: "≥ 0.5x JSON.parse",
      met: ratios.median >= 0.5,
      measured: fmtSpread(ratios, 2, "x"),
    }],
    notes: [
      "Per notification the router does one table lookup (`routeNotification`: type, thread " +
      "and turn at once) and a shape test compiled per method (an own-property check and a " +
      "bit test per required key); the rest is `JSON.parse`, `handleMessage`'s own checks and " +
      "the `EventChannel` push.",
    ],
  };
}
