// A 10-turn conversation with the official Node SDK (@openai/codex-sdk), which starts
// `codex exec --experimental-json` for every turn. Run by bench/conversation_bench.ts with
// node, CODEX_HOME set to the offline home. Prints one JSON line: { ms, turnMs, replies }.
// Usage: node conversation.mjs <codex-binary> <cwd> <turns>
import { Codex } from "@openai/codex-sdk";

const [bin, cwd, turnsArg] = process.argv.slice(2);
const turns = Number(turnsArg ?? 10);
const t0 = performance.now();
const codex = new Codex({ codexPathOverride: bin });
const thread = codex.startThread({ workingDirectory: cwd, skipGitRepoCheck: true });
const replies = [];
const turnMs = [];
for (let i = 0; i < turns; i++) {
  const t = performance.now();
  const result = await thread.run(`message ${i}`);
  turnMs.push(performance.now() - t);
  replies.push(result.finalResponse);
}
console.log(JSON.stringify({ ms: performance.now() - t0, turnMs, replies }));
