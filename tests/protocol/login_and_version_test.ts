import { assertEquals, assertRejects } from "../support/assert.ts";
import { FakeAppServer } from "../support/fake_app_server.ts";
import { Codex, TimeoutError, TransportClosedError } from "../../mod.ts";

function connectFake(
  server: FakeAppServer,
  options: { versionCheck?: "warn" | "error" | "off" } = {},
) {
  return Codex.connect({ transport: server.transport, worker: false, ...options });
}

function deviceCodeServer(): { server: FakeAppServer; cancelled: string[] } {
  const server = new FakeAppServer();
  const cancelled: string[] = [];
  let n = 0;
  server.on("account/login/start", (params) => {
    assertEquals(params.type, "chatgptDeviceCode");
    const loginId = `login-${++n}`;
    return {
      type: "chatgptDeviceCode",
      loginId,
      verificationUrl: "https://x/device",
      userCode: `CODE-${n}`,
    };
  });
  server.on("account/login/cancel", (params, s) => {
    cancelled.push(params.loginId as string);
    s.emit("account/login/completed", {
      loginId: params.loginId,
      success: false,
      error: "cancelled",
      onboardingEntrypoint: null,
    });
    return { status: "canceled" };
  });
  return { server, cancelled };
}

Deno.test("device-code logins complete by login id, whatever the order", async () => {
  const { server } = deviceCodeServer();
  await using codex = await connectFake(server);
  const first = await codex.loginChatgptDeviceCode();
  const second = await codex.loginChatgptDeviceCode();
  assertEquals([first.userCode, second.userCode], ["CODE-1", "CODE-2"]);
  assertEquals(first.verificationUrl, "https://x/device");
  // The second completes first, and before anyone waits on it.
  server.emit("account/login/completed", {
    loginId: second.loginId,
    success: true,
    error: null,
    onboardingEntrypoint: null,
  });
  server.emit("account/login/completed", {
    loginId: first.loginId,
    success: false,
    error: "expired",
    onboardingEntrypoint: null,
  });
  assertEquals((await second.wait()).success, true);
  const one = await first.wait();
  assertEquals([one.loginId, one.success, one.error], [first.loginId, false, "expired"]);
});

Deno.test("cancel() ends a login and wait() resolves with success false", async () => {
  const { server, cancelled } = deviceCodeServer();
  await using codex = await connectFake(server);
  const login = await codex.loginChatgptDeviceCode();
  assertEquals(await login.cancel(), "canceled");
  assertEquals(cancelled, [login.loginId]);
  assertEquals((await login.wait()).success, false);
});

Deno.test("wait() stops at its timeout without ending the login", async () => {
  const { server } = deviceCodeServer();
  await using codex = await connectFake(server);
  const login = await codex.loginChatgptDeviceCode();
  await assertRejects(() => login.wait({ timeoutMs: 5 }), TimeoutError);
  server.emit("account/login/completed", {
    loginId: login.loginId,
    success: true,
    error: null,
    onboardingEntrypoint: null,
  });
  assertEquals((await login.wait()).success, true, "a later wait() still gets the completion");
});

Deno.test("a pending login wait() rejects when the connection closes", async () => {
  const { server } = deviceCodeServer();
  const codex = await connectFake(server);
  const login = await codex.loginChatgptDeviceCode();
  const waiting = login.wait();
  await codex.close();
  await assertRejects(() => waiting, TransportClosedError);
});

Deno.test("a pending login does not take events from a codex.events() subscriber", async () => {
  const { server } = deviceCodeServer();
  await using codex = await connectFake(server);
  const events = codex.events();
  server.emit("warning", { threadId: null, message: "before" });
  assertEquals((await events.next()).value?.params, { threadId: null, message: "before" });
  await codex.loginChatgptDeviceCode();
  server.emit("warning", { threadId: null, message: "during" });
  assertEquals((await events.next()).value?.params, { threadId: null, message: "during" });
  await events.return();
});
