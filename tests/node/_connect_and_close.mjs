// Connects twice (worker thread, in-process), runs a turn on each, closes both, and reports the
// app-servers carrying its marker. Exits by itself only if nothing (app-server, worker thread,
// socket, timer) is left holding the event loop.
import { Codex } from "@codex-worker/sdk";
import { codexProcesses } from "./_support.mjs";

const marker = process.env.CODEX_WORKER_NODE_TEST_MARKER;
const codexHome = process.argv[2];
const connections = [];
for (const worker of [true, false]) {
  const codex = await Codex.connect({ codexHome, worker });
  const thread = await codex.threadStart({});
  await thread.run("hello");
  connections.push(codex);
}
const whileOpen = codexProcesses(marker).length;
for (const codex of connections) await codex.close();
console.log(JSON.stringify({ whileOpen, afterClose: codexProcesses(marker) }));
