/**
 * Thread lifecycle and controls: start, name, read, fork, list, archive, unarchive, compact.
 * Lifecycle calls live on `Codex`; a `Thread` runs turns and controls itself.
 *
 * @module
 */
import { reply } from "../src/testing/mod.ts";
import { connect } from "./_offline.ts";

await using session = await connect([reply.text("Plan: write tests first.")]);
const { codex } = session;
const thread = await codex.threadStart({});
await thread.run("Give me a one-line plan.");

await thread.setName("planning");
const read = await codex.threadRead(thread.id, { includeTurns: true });
console.log(`named "${read.thread.name}" with ${read.thread.turns.length} turn(s)`);

const fork = await codex.threadFork(thread.id);
console.log(`forked ${thread.id} into ${fork.id}`);

const listed = await codex.threadList({ limit: 10 });
console.log(`listed ${listed.data.length} thread(s)`);

await codex.threadArchive(fork.id);
const archived = await codex.threadList({ archived: true });
console.log(`archived: ${archived.data.map((t) => t.id).includes(fork.id)}`);
const restored = await codex.threadUnarchive(fork.id);
console.log(`unarchived ${restored.id}`);

await thread.compact(); // starts compacting; it runs as a turn on the thread
console.log("lifecycle done");
