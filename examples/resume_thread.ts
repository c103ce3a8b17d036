/**
 * Resume an existing thread: start one and run a turn, disconnect (the app-server exits), then
 * reconnect to a fresh app-server and continue the same thread.
 *
 * @module
 */
import { reply } from "../src/testing/mod.ts";
import { connect } from "./_offline.ts";

await using session = await connect([
  reply.text("Noted: your favourite colour is teal."),
  reply.text("Your favourite colour is teal."),
]);
const first = await session.codex.threadStart({});
await first.run("Remember: my favourite colour is teal.");
const threadId = first.id;
await session.codex.close();
console.log(`thread ${threadId} stored; the app-server was closed`);

await using codex = await session.reconnect();
const thread = await codex.threadResume(threadId);
const result = await thread.run("What is my favourite colour?");
console.log(`resumed thread ${thread.id}: ${result.finalResponse}`);
