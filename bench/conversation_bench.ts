/**
 * Benchmark 4: a 10-turn conversation against the offline model, this SDK against the official
 * Node SDK `@openai/codex-sdk` (one `codex exec` process per turn), same binary, same
 * CODEX_HOME, same run.
 *
 * @module
 */

import { Codex, PINNED_CODEX_VERSION } from "../mod.ts";
import type { Offline } from "./lib/offline.ts";
import type { Section } from "./lib/report.ts";
import { fmtSpread, spread } from "./lib/stats.ts";

interface Conversation {
  ms: number;
  turnMs: number[];
  replies: (string | null)[];
}

async function ours(offline: Offline, turns: number): Promise<Conversation> {
  const t0 = performance.now();
  const codex = await Codex.connect({ codexHome: offline.home.dir, codexPath: offline.bin });
  try {
    const thread = await codex.threadStart({ cwd: offline.cwd });
    const replies: (string | null)[] = [];
    const turnMs: number[] = [];
    for (let i = 0; i < turns; i++) {
      const t = performance.now();
      replies.push((await thread.run(`message ${i}`)).finalResponse);
      turnMs.push(performance.now() - t);
    }
    return { ms: performance.now() - t0, turnMs, replies };
  } finally {
    await codex.close();
  }
}

async function official(offline: Offline, turns: number): Promise<Conversation> {
  const script = new URL("./official/conversation.mjs", import.meta.url).pathname;
  const out = await new Deno.Command("node", {
    args: [script, offline.bin, offline.cwd, String(turns)],
    env: { CODEX_HOME: offline.home.dir },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim().split("\n").pop() ?? "";
  if (!out.success) {
    throw new Error(`official SDK failed: ${new TextDecoder().decode(out.stderr).slice(-500)}`);
  }
  return JSON.parse(text) as Conversation;
}

function checkReplies(c: Conversation, turns: number): boolean {
  return c.replies.length === turns &&
    c.replies.every((r, i) => r === `Hi! (mock reply to: message ${i})`);
}

/**
 * Runs benchmark 4.
 *
 * @example
 * ```ts ignore
 * console.log(await conversationBench(offline, { runs: 2 }));
 * ```
 */
export async function conversationBench(
  offline: Offline,
  options: { turns?: number; runs?: number } = {},
): Promise<Section> {
  const turns = options.turns ?? 10;
  const runs = options.runs ?? 2;
  const a: Conversation[] = [];
  const b: Conversation[] = [];
  for (let r = 0; r < runs; r++) {
    if (r % 2) {
      b.push(await official(offline, turns));
      a.push(await ours(offline, turns));
    } else {
      a.push(await ours(offline, turns));
      b.push(await official(offline, turns));
    }
  }
  const ok = a.every((c) => checkReplies(c, turns)) && b.every((c) => checkReplies(c, turns));
  const sa = spread(a.map((c) => c.ms));
  const sb = spread(b.map((c) => c.ms));
  const ta = spread(a.flatMap((c) => c.turnMs));
  const tb = spread(b.flatMap((c) => c.turnMs));
  return {
    title: `4. A ${turns}-turn conversation: this SDK vs the official Node SDK`,
    method: `${turns} echo turns on one thread against the same offline model, same pinned ` +
      `codex binary (${
        offline.bin.split("/").slice(-1)[0]
      } ${PINNED_CODEX_VERSION} for both; the official SDK ` +
      `is given it with \`codexPathOverride\`) and the same CODEX_HOME. This SDK: ` +
      `\`Codex.connect()\` (Worker) → \`threadStart\` → ${turns}× \`thread.run()\` → close, all ` +
      `timed. Official \`@openai/codex-sdk\` under Node: \`startThread\` → ${turns}× ` +
      `\`thread.run()\` (each spawns \`codex exec --experimental-json … resume <id>\`), timed ` +
      `inside Node (Node's own startup excluded). Every reply is checked. ${runs} runs, ` +
      `alternating order; median (min–max).`,
    table: [
      ["", "whole conversation ms", "ms per turn", "official ÷ this SDK"],
      ["**this SDK** (one app-server)", fmtSpread(sa, 0), fmtSpread(ta, 0), "—"],
      [
        "official `@openai/codex-sdk` (`codex exec` per turn)",
        fmtSpread(sb, 0),
        fmtSpread(tb, 0),
        `${(sb.median / sa.median).toFixed(2)}x`,
      ],
    ],
    targets: [{
      text: "report the ratio (all replies correct)",
      met: ok,
      measured: `${(sb.median / sa.median).toFixed(2)}x faster`,
    }],
    notes: [],
  };
}
