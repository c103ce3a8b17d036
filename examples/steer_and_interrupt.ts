/**
 * Turn controls: `steer()` adds input to a running turn (the model is re-asked with it), and
 * `interrupt()` stops a running turn, which then completes with status `interrupted`.
 *
 * @module
 */
import { isNotification } from "../mod.ts";
import { lastUserText, reply } from "../src/testing/mod.ts";
import { connect } from "./_offline.ts";

await using session = await connect([
  // A slow answer, so there is time to steer while it streams...
  reply.text("Once upon a time there was a very long story that went on and on and on.", {
    chunks: 40,
    delayMs: 25,
  }),
  // ...and the answer to the steered request.
  (request) => reply.text(`Steered answer to: ${lastUserText(request)}`),
  // A reply that never finishes, to interrupt.
  reply.hang({ text: "Thinking very hard" }),
]);
const thread = await session.codex.threadStart({});

// Steer: once the first text arrives, add an instruction to the same turn.
const turn = await thread.turn("Tell me a long story.");
let steered = false;
for await (const event of turn.stream()) {
  if (!steered && isNotification(event, "item/agentMessage/delta")) {
    steered = true;
    await turn.steer("Actually, just give me the title.");
    console.log("steered the running turn");
  }
}
const result = await turn.run();
console.log(`after steer: ${result.status}: ${result.finalResponse}`);

// Interrupt: stop a turn that is still running.
const long = await thread.turn("Think about it forever.");
for await (const event of long.stream()) {
  if (isNotification(event, "item/agentMessage/delta")) {
    await long.interrupt();
    break;
  }
}
const stopped = await long.run();
console.log(`after interrupt: ${stopped.status}`);
