/**
 * Run a turn and inspect everything its result carries: status, final response, the items
 * that completed, token usage and timing.
 *
 * @module
 */
import { reply } from "../src/testing/mod.ts";
import { connect } from "./_offline.ts";

await using session = await connect([
  reply.text("The sky looks blue because air scatters short wavelengths most.", {
    usage: { inputTokens: 120, outputTokens: 14 },
  }),
]);
const thread = await session.codex.threadStart({});
const result = await thread.run("Why is the sky blue? One sentence.");
console.log(`status: ${result.status}`);
console.log(`final response: ${result.finalResponse}`);
console.log(`items: ${result.items.map((item) => item.type).join(", ")}`);
const usage = result.usage?.last;
if (usage) console.log(`usage: ${usage.inputTokens} in / ${usage.outputTokens} out tokens`);
console.log(`turn ${result.id} took ${result.durationMs} ms`);
