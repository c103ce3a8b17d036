/**
 * `deno task bridge --upstream ws://…` with `CODEX_BRIDGE_UPSTREAM_TOKEN`, as a process, in front
 * of a real `codex app-server --listen ws://…` that requires a capability token. The app-server
 * takes that token only as an `Authorization` header, so a working relay proves it got there;
 * the page, the relayed frames, stdout and stderr never carry it.
 *
 * @module
 */
import { BRIDGE_SESSION_PATH, CLOSE_TRY_AGAIN_LATER } from "../../src/bridge/mod.ts";
import {
  ResponsesModelServer,
  startWebSocketAppServer,
  writeCodexHome,
} from "../../src/testing/mod.ts";
import { assert, assertEquals } from "../support/assert.ts";
import { answerOrClose, browserSocket, closeSocket, INIT } from "../support/bridge_client.ts";

const MAIN = new URL("../../src/bridge/main.ts", import.meta.url).pathname;
const BROWSER_TOKEN = "browser-token-0123456789abcdef";

/** All text a stream carries, and a wait for a pattern in it. */
function collect(stream: ReadableStream<Uint8Array<ArrayBuffer>>) {
  let text = "";
  const waiters: Array<{ pattern: RegExp; resolve: (m: string) => void }> = [];
  const done = (async () => {
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      text += chunk;
      for (const w of waiters.splice(0)) {
        const match = w.pattern.exec(text);
        if (match) w.resolve(match[0]);
        else waiters.push(w);
      }
    }
  })();
  return {
    text: () => text,
    done,
    waitFor(pattern: RegExp): Promise<string> {
      const match = pattern.exec(text);
      if (match) return Promise.resolve(match[0]);
      return new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve });
        done.then(() => reject(new Error(`the bridge ended before ${pattern}:\n${text}`)));
      });
    },
  };
}

/** Starts the bridge CLI relaying to `upstream`; resolves once it printed its address. */
async function startBridgeCli(upstream: string, env: Record<string, string>) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "--port", "0", "--upstream", upstream, "--max-connections", "1"],
    env: { CODEX_BRIDGE_TOKEN: BROWSER_TOKEN, ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stdout = collect(child.stdout);
  const stderr = collect(child.stderr);
  const line = await stdout.waitFor(/bridge listening on (ws:\/\/127\.0\.0\.1:\d+\/ws)/);
  const wsUrl = line.split(" ").at(-1)!;
  return {
    wsUrl,
    pageUrl: wsUrl.replace(/^ws/, "http").replace(/\/ws$/, ""),
    stderr,
    /** Stops the bridge; resolves with everything it printed. */
    async stop(): Promise<string> {
      child.kill("SIGTERM");
      await child.status;
      await Promise.all([stdout.done, stderr.done]);
      return stdout.text() + stderr.text();
    },
  };
}

Deno.test("the bridge CLI relays to --upstream with CODEX_BRIDGE_UPSTREAM_TOKEN, which never leaves it", async () => {
  await using model = await ResponsesModelServer.start();
  await using home = await writeCodexHome({ modelServerUrl: model.url });
  await using appServer = await startWebSocketAppServer({ codexHome: home.dir });
  const secret = appServer.token;
  const bridge = await startBridgeCli(appServer.url, { CODEX_BRIDGE_UPSTREAM_TOKEN: secret });
  let output = "";
  try {
    const session = await fetch(`${bridge.pageUrl}${BRIDGE_SESSION_PATH}`, {
      method: "POST",
      headers: { origin: bridge.pageUrl },
    });
    const page = await session.text();
    assertEquals(JSON.parse(page), { url: bridge.wsUrl, token: BROWSER_TOKEN });

    const frames: string[] = [];
    const socket = await browserSocket(bridge.wsUrl, BROWSER_TOKEN);
    socket.addEventListener("message", (ev) => frames.push(String(ev.data)));
    const init = await answerOrClose(socket, 1, "initialize", INIT);
    assert("result" in init, "the app-server accepted the bridge's connection: token relayed");
    const list = await answerOrClose(socket, 2, "thread/loaded/list", {});
    assert("result" in list, JSON.stringify(list));
    assert(frames.length >= 2 && frames.every((f) => !f.includes(secret)));

    const second = await browserSocket(bridge.wsUrl, BROWSER_TOKEN);
    const refused = await answerOrClose(second, 1, "initialize", INIT);
    assert(refused instanceof CloseEvent, "--max-connections 1 admits one tab");
    assertEquals(refused.code, CLOSE_TRY_AGAIN_LATER);
    await browserSocket(bridge.wsUrl, "wrong-token").catch(() => {});
    await bridge.stderr.waitFor(/wrong token \(401\)/);
    await closeSocket(socket);
  } finally {
    output = await bridge.stop();
  }
  assert(output.includes("browser connected"), `the bridge logged its connections:\n${output}`);
  assert(!output.includes(secret), "the upstream token is in no output of the bridge");
  assert(!output.includes(BROWSER_TOKEN), "nor is the browser token");
});

Deno.test("the bridge CLI without CODEX_BRIDGE_UPSTREAM_TOKEN is refused by the upstream", async () => {
  await using model = await ResponsesModelServer.start();
  await using home = await writeCodexHome({ modelServerUrl: model.url });
  await using appServer = await startWebSocketAppServer({ codexHome: home.dir });
  const bridge = await startBridgeCli(appServer.url, {});
  try {
    const opened = await browserSocket(bridge.wsUrl, BROWSER_TOKEN).then(
      (socket) => socket,
      (err: Error) => err,
    );
    assert(opened instanceof Error, "no upstream token, no relayed connection");
    await bridge.stderr.waitFor(/connection failed: the app-server refused the connection/);
  } finally {
    await bridge.stop();
  }
});
