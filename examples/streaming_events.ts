/**
 * Stream a turn's events as they arrive and print a small, curated view of them: items
 * starting and completing, and the agent's text as it streams.
 *
 * @module
 */
import process from "node:process";
import { isNotification } from "../mod.ts";
import { reply } from "../src/testing/mod.ts";
import { connect } from "./_offline.ts";

await using session = await connect([
  reply.text("Streaming arrives in small pieces, as the model writes.", { chunks: 6 }),
]);
const thread = await session.codex.threadStart({});
const turn = await thread.turn("Explain streaming in one sentence.");
let deltas = 0;
for await (const event of turn.stream()) {
  if (isNotification(event, "item/agentMessage/delta")) {
    deltas++;
    process.stdout.write(event.params.delta);
  } else if (isNotification(event, "item/started")) {
    console.log(`[item started: ${event.params.item.type}]`);
  } else if (isNotification(event, "item/completed")) {
    console.log(`\n[item completed: ${event.params.item.type}]`);
  } else if (isNotification(event, "turn/completed")) {
    console.log(`[turn ${event.params.turn.status}]`);
  }
}
const result = await turn.run(); // collected while streaming
console.log(`streamed ${deltas} deltas; final response: ${result.finalResponse}`);
