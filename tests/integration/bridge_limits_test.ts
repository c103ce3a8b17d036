/**
 * The bridge's bounds against the real app-server: at most `maxConnections` tabs, each refused
 * one closed with 1013 before any app-server connection is opened for it; and a listener that
 * only loopback clients can reach.
 *
 * @module
 */
import { BridgeServer, CLOSE_TRY_AGAIN_LATER } from "../../src/bridge/mod.ts";
import {
  ResponsesModelServer,
  startWebSocketAppServer,
  writeCodexHome,
} from "../../src/testing/mod.ts";
import { TcpProxy } from "../reliability/_tcp_proxy.ts";
import { assert, assertEquals } from "../support/assert.ts";
import {
  answerOrClose,
  browserSocket,
  closeSocket,
  INIT,
  LineWaiter,
  request,
} from "../support/bridge_client.ts";

Deno.test("the bridge refuses a tab beyond maxConnections with 1013, without an app-server connection", async () => {
  await using model = await ResponsesModelServer.start();
  await using home = await writeCodexHome({ modelServerUrl: model.url });
  await using appServer = await startWebSocketAppServer({ codexHome: home.dir });
  // Counts the bridge's connections to the app-server.
  await using proxy = new TcpProxy(appServer.url);
  const log = new LineWaiter();
  await using bridge = await BridgeServer.start({
    upstream: { url: proxy.url, token: appServer.token },
    maxConnections: 2,
    log: log.push,
  });
  const a = await browserSocket(bridge.wsUrl, bridge.token);
  const b = await browserSocket(bridge.wsUrl, bridge.token);
  assert("result" in await request(a, 1, "initialize", INIT));
  assert("result" in await request(b, 1, "initialize", INIT));
  assertEquals(proxy.accepted, 2);

  const extra = await browserSocket(bridge.wsUrl, bridge.token);
  const refused = await answerOrClose(extra, 1, "initialize", INIT);
  assert(refused instanceof CloseEvent, `refused, not answered: ${JSON.stringify(refused)}`);
  assertEquals(refused.code, CLOSE_TRY_AGAIN_LATER);
  assert(/full \(2 connections open\); try again later/.test(refused.reason), refused.reason);
  assertEquals(proxy.accepted, 2, "the refused tab opened no app-server connection");
  assertEquals(bridge.stats().refusedFull, 1);
  assert("result" in await request(b, 2, "thread/loaded/list", {}), "the open tabs still work");

  const left = log.next(/browser disconnected \(1 open\)/);
  await closeSocket(a);
  await left;
  const c = await browserSocket(bridge.wsUrl, bridge.token);
  const answer = await answerOrClose(c, 1, "initialize", INIT);
  assert("result" in answer, `a freed slot lets a new tab in: ${(answer as CloseEvent).reason}`);
  const empty = log.next(/browser disconnected \(0 open\)/);
  await Promise.all([closeSocket(b), closeSocket(c)]);
  await empty;
  assertEquals(bridge.stats(), {
    open: 0,
    accepted: 3,
    refusedOrigin: 0,
    refusedToken: 0,
    refusedFull: 1,
  });
});

Deno.test("connections racing for the last slots: exactly maxConnections get in", async () => {
  await using model = await ResponsesModelServer.start();
  await using home = await writeCodexHome({ modelServerUrl: model.url });
  await using appServer = await startWebSocketAppServer({ codexHome: home.dir });
  await using proxy = new TcpProxy(appServer.url);
  await using bridge = await BridgeServer.start({
    upstream: { url: proxy.url, token: appServer.token },
    maxConnections: 3,
  });
  const sockets = await Promise.all(
    Array.from({ length: 12 }, () => browserSocket(bridge.wsUrl, bridge.token)),
  );
  const codes = await Promise.all(sockets.map(async (socket) => {
    const answer = await answerOrClose(socket, 1, "initialize", INIT);
    if ("result" in answer) return "open";
    return (answer as CloseEvent).code;
  }));
  assertEquals(codes.filter((c) => c === "open").length, 3, JSON.stringify(codes));
  assertEquals(codes.filter((c) => c === CLOSE_TRY_AGAIN_LATER).length, 9);
  assertEquals(proxy.accepted, 3, "no refused tab reached the app-server");
  await Promise.all(
    sockets.filter((s) => s.readyState === WebSocket.OPEN).map((s) => closeSocket(s)),
  );
});

Deno.test("the bridge cannot be reached on this machine's other addresses", async () => {
  await using bridge = await BridgeServer.start({ upstream: { url: "ws://127.0.0.1:9" } });
  const others = Deno.networkInterfaces().filter((i) =>
    !i.address.startsWith("127.") && i.address !== "::1" && !i.address.startsWith("fe80:")
  );
  assert(others.length > 0, "this machine has an address besides loopback to try");
  for (const { address } of others) {
    const error = await Deno.connect({ hostname: address, port: bridge.port }).then(
      (conn) => {
        conn.close();
        return undefined;
      },
      (err) => err,
    );
    assert(error instanceof Deno.errors.ConnectionRefused, `${address} must refuse: ${error}`);
  }
  const loopback = await Deno.connect({ hostname: "127.0.0.1", port: bridge.port });
  loopback.close();
});

Deno.test("maxConnections must be a positive integer", async () => {
  for (const maxConnections of [0, -1, 1.5, Number.NaN]) {
    const error = await BridgeServer.start({
      upstream: { url: "ws://127.0.0.1:9" },
      maxConnections,
    })
      .then(async (bridge) => {
        await bridge.close();
        return undefined;
      }, (err: unknown) => err);
    assert(error instanceof TypeError, `maxConnections ${maxConnections}: ${error}`);
  }
});
