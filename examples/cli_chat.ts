/**
 * A small CLI chat: one thread, one turn per line read from stdin, the answer streamed back.
 * Type `/exit` (or end the input) to quit. Try: `printf 'hi\nbye\n' | deno run -A examples/cli_chat.ts`.
 *
 * @module
 */
import process from "node:process";
import { connect } from "./_offline.ts";

// Offline, the scripted model echoes each prompt ("Hi! (mock reply to: …)").
await using session = await connect();
const thread = await session.codex.threadStart({});
const write = (s: string) => process.stdout.write(s);

let turns = 0;
let buffer = "";
const decoder = new TextDecoder();
outer: for await (const chunk of process.stdin) {
  buffer += decoder.decode(chunk, { stream: true });
  let newline: number;
  while ((newline = buffer.indexOf("\n")) >= 0) {
    const line = buffer.slice(0, newline).trim();
    buffer = buffer.slice(newline + 1);
    if (line === "/exit") break outer;
    if (line === "") continue;
    write(`you> ${line}\ncodex> `);
    const turn = await thread.turn(line);
    for await (const delta of turn.streamText()) write(delta);
    write("\n");
    turns++;
  }
}
console.log(`chat ended after ${turns} turn(s)`);
