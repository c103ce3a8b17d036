/**
 * Quickstart: connect, start a thread, run one turn and print the answer.
 *
 * Run: `deno run -A examples/quickstart.ts` (offline) or add `--real`.
 *
 * @module
 */
import { reply } from "../src/testing/mod.ts";
import { connect } from "./_offline.ts";

await using session = await connect([reply.text("Hello! I am Codex, ready to help.")]);
const { codex } = session;
console.log(`connected to app-server ${codex.serverVersion}`);
const thread = await codex.threadStart({});
const result = await thread.run("Say hello in one sentence.");
console.log(`answer: ${result.finalResponse}`);
