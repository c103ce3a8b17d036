/**
 * The bridge against the real `codex app-server` (offline model): who it lets in, what it
 * relays, and how connections end. Plain Deno clients: raw HTTP upgrades to read status codes,
 * WebSockets offering the browser subprotocols, and the SDK itself.
 *
 * @module
 */
import { Codex } from "../../mod.ts";
import { BRIDGE_SESSION_PATH, BridgeServer, CLOSE_UPSTREAM_GONE } from "../../src/bridge/mod.ts";
import { ResponsesModelServer, writeCodexHome } from "../../src/testing/mod.ts";
import { assert, assertEquals } from "../support/assert.ts";
import {
  BROWSER_PROTOCOL,
  browserSocket,
  INIT,
  nextClose,
  request,
  TOKEN_PREFIX,
} from "../support/bridge_client.ts";

/** A raw WebSocket upgrade request; returns the status code and the response headers. */
async function rawUpgrade(
  port: number,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Map<string, string> }> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    const lines = [
      "GET /ws HTTP/1.1",
      `Host: 127.0.0.1:${port}`,
      "Upgrade: websocket",
      "Connection: Upgrade",
      "Sec-WebSocket-Version: 13",
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
      "",
      "",
    ];
    await conn.write(new TextEncoder().encode(lines.join("\r\n")));
    const buffer = new Uint8Array(4096);
    let text = "";
    while (!text.includes("\r\n\r\n")) {
      const n = await conn.read(buffer);
      if (n === null) break;
      text += new TextDecoder().decode(buffer.subarray(0, n));
    }
    const [statusLine, ...rest] = text.split("\r\n\r\n")[0].split("\r\n");
    const parsed = new Map<string, string>();
    for (const line of rest) {
      const i = line.indexOf(":");
      parsed.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
    }
    return { status: Number(statusLine.split(" ")[1]), headers: parsed };
  } finally {
    conn.close();
  }
}

Deno.test("bridge: security and relaying against the real app-server", async (t) => {
  await using model = await ResponsesModelServer.start();
  await using home = await writeCodexHome({ modelServerUrl: model.url });
  const logs: string[] = [];
  await using bridge = await BridgeServer.start({
    allowedOrigins: ["http://localhost:5173"],
    appServer: { codexHome: home.dir },
    respawn: false,
    log: (line) => logs.push(line),
  });
  const own = bridge.pageUrl;

  await t.step("a wrong or missing token is refused with 401", async () => {
    const wrong = await rawUpgrade(bridge.port, {
      Origin: own,
      "Sec-WebSocket-Protocol": `${BROWSER_PROTOCOL}, ${TOKEN_PREFIX}not-the-token`,
    });
    assertEquals(wrong.status, 401);
    const missing = await rawUpgrade(bridge.port, {
      Origin: own,
      "Sec-WebSocket-Protocol": BROWSER_PROTOCOL,
    });
    assertEquals(missing.status, 401);
    const bearer = await rawUpgrade(bridge.port, { Authorization: "Bearer nope" });
    assertEquals(bearer.status, 401);
    await assertRejects(() => browserSocket(bridge.wsUrl, "wrong"));
  });

  await t.step("a foreign Origin is refused with 403, even with the right token", async () => {
    const foreign = await rawUpgrade(bridge.port, {
      Origin: "https://evil.example",
      "Sec-WebSocket-Protocol": `${BROWSER_PROTOCOL}, ${TOKEN_PREFIX}${bridge.token}`,
    });
    assertEquals(foreign.status, 403);
    const opaque = await rawUpgrade(bridge.port, {
      Origin: "null",
      "Sec-WebSocket-Protocol": `${BROWSER_PROTOCOL}, ${TOKEN_PREFIX}${bridge.token}`,
    });
    assertEquals(opaque.status, 403);
    const session = await fetch(`${own}${BRIDGE_SESSION_PATH}`, {
      method: "POST",
      headers: { origin: "https://evil.example" },
    });
    assertEquals(session.status, 403);
    assert(!(await session.text()).includes(bridge.token));
  });

  await t.step("a request naming another host (DNS rebinding) is refused with 403", async () => {
    const response = await fetch(`${own}${BRIDGE_SESSION_PATH}`, {
      method: "POST",
      headers: { origin: "http://evil.example:1", host: `evil.example:${bridge.port}` },
    });
    await response.body?.cancel();
    assertEquals(response.status, 403);
  });

  await t.step("the right token and an allowed Origin open a relayed socket", async () => {
    const ok = await rawUpgrade(bridge.port, {
      Origin: "http://localhost:5173",
      "Sec-WebSocket-Protocol": `${BROWSER_PROTOCOL}, ${TOKEN_PREFIX}${bridge.token}`,
    });
    assertEquals(ok.status, 101);
    assertEquals(ok.headers.get("sec-websocket-protocol"), BROWSER_PROTOCOL);
    const socket = await browserSocket(bridge.wsUrl, bridge.token);
    assertEquals(socket.protocol, BROWSER_PROTOCOL);
    const closed = nextClose(socket);
    const init = await request(socket, 1, "initialize", INIT);
    assert(String((init.result as { userAgent: string }).userAgent).startsWith("bridge_test/"));
    socket.close();
    await closed;
  });

  await t.step(
    "an allowed page gets the session, never cached, without the app-server's token",
    async () => {
      const response = await fetch(`${own}${BRIDGE_SESSION_PATH}`, {
        method: "POST",
        headers: { origin: "http://localhost:5173" },
      });
      assertEquals(response.status, 200);
      assertEquals(response.headers.get("cache-control"), "no-store");
      assertEquals(response.headers.get("access-control-allow-origin"), "http://localhost:5173");
      const body = await response.text();
      assertEquals(JSON.parse(body), { url: bridge.wsUrl, token: bridge.token });
      assert(!body.includes(bridge.appServer!.token), "the app-server token stays in the bridge");
      assert(bridge.appServer!.token !== bridge.token);
      const direct = await rawUpgrade(Number(new URL(bridge.appServer!.url).port), {
        Authorization: `Bearer ${bridge.token}`,
      });
      assertEquals(direct.status, 401, "the browser token does not open the app-server");
    },
  );

  await t.step("the SDK runs a turn through the bridge", async () => {
    await using codex = await Codex.connect({
      url: bridge.wsUrl,
      token: bridge.token,
      worker: false,
    });
    const thread = await codex.threadStart({});
    const result = await thread.run("through the bridge");
    assertEquals(result.finalResponse, "Hi! (mock reply to: through the bridge)");
  });

  await t.step("closing one tab leaves the others working", async () => {
    const a = await browserSocket(bridge.wsUrl, bridge.token);
    const b = await browserSocket(bridge.wsUrl, bridge.token);
    const aClosed = nextClose(a);
    await request(a, 1, "initialize", INIT);
    await request(b, 1, "initialize", INIT);
    assertEquals(bridge.stats().open, 2);
    a.close();
    await aClosed;
    const list = await request(b, 2, "thread/loaded/list", {});
    assert("result" in list, JSON.stringify(list));
    const bClosed = nextClose(b);
    b.close();
    await bClosed;
  });

  await t.step("a dead app-server closes every connection with a clear reason", async () => {
    const a = await browserSocket(bridge.wsUrl, bridge.token);
    const b = await browserSocket(bridge.wsUrl, bridge.token);
    await request(a, 1, "initialize", INIT);
    const closes = Promise.all([nextClose(a), nextClose(b)]);
    await bridge.appServer!.close();
    const [ca, cb] = await closes;
    for (const ev of [ca, cb]) {
      assertEquals(ev.code, CLOSE_UPSTREAM_GONE);
      assert(ev.reason.startsWith("codex app-server exited"), `reason: ${ev.reason}`);
    }
    const after = await rawUpgrade(bridge.port, {
      Origin: own,
      "Sec-WebSocket-Protocol": `${BROWSER_PROTOCOL}, ${TOKEN_PREFIX}${bridge.token}`,
    });
    assertEquals(after.status, 502, "no app-server, no upgrade (respawn is off)");
  });

  await t.step("the log never contains a token", () => {
    assert(logs.some((l) => l.includes("401")) && logs.some((l) => l.includes("403")));
    for (const line of logs) assert(!line.includes(bridge.token), `token in log: ${line}`);
  });
});

async function assertRejects(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch {
    return;
  }
  throw new Error("expected a rejection");
}
