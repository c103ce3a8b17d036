/**
 * A program that holds one `Codex.connect()` open until it is killed: over stdio (the SDK spawns
 * the app-server) or over WebSocket (this program spawns a `--listen ws://` app-server first),
 * with or without the Worker. It runs one turn, prints `ready`, then waits.
 *
 * ```
 * deno run -A tests/support/hold_connection.ts stdio|ws worker|inline
 * ```
 */
import { Codex } from "../../mod.ts";
import {
  ResponsesModelServer,
  startWebSocketAppServer,
  writeCodexHome,
} from "../../src/testing/mod.ts";

const [transport, mode] = Deno.args;
const worker = mode === "worker";
const model = await ResponsesModelServer.start();
const home = await writeCodexHome({ modelServerUrl: model.url });
const server = transport === "ws" ? await startWebSocketAppServer({ codexHome: home.dir }) : null;
const codex = await Codex.connect(
  server ? { url: server.url, token: server.token, worker } : { codexHome: home.dir, worker },
);
const thread = await codex.threadStart({});
const result = await (await thread.turn("hello")).run();
console.log(`ready: turn ${result.status}`);
setInterval(() => {}, 60_000); // holds the connection until killed
