/**
 * A login waits for its completion without taking anything from the program's own global
 * stream: events kept while nobody listened still go to `codex.events()`, in the Worker too.
 */
import { assertEquals } from "../support/assert.ts";
import { FakeAppServer } from "../support/fake_app_server.ts";
import { Codex, type CodexEvent } from "../../mod.ts";

function loginServer(): FakeAppServer {
  const server = new FakeAppServer();
  server.on("account/login/start", () => ({
    type: "chatgptDeviceCode",
    loginId: "login-1",
    verificationUrl: "https://x/device",
    userCode: "CODE-1",
  }));
  return server;
}

const setups = [
  {
    name: "in-process",
    connect: (s: FakeAppServer) => Codex.connect({ transport: s.transport, worker: false }),
  },
  { name: "worker", connect: (s: FakeAppServer) => Codex.connect({ url: s.listen() }) },
];

for (const setup of setups) {
  Deno.test(`[${setup.name}] a login in progress leaves the global backlog to codex.events()`, async () => {
    const server = loginServer();
    await using codex = await setup.connect(server);
    const login = await codex.loginChatgptDeviceCode(); // its completion is awaited from here
    server.emit("configWarning", { summary: "kept for the program", details: null });
    server.emit("account/login/completed", {
      loginId: login.loginId,
      success: true,
      error: null,
      onboardingEntrypoint: null,
    });
    assertEquals((await login.wait()).success, true);
    const seen: CodexEvent[] = [];
    for await (const event of codex.events()) {
      seen.push(event);
      if (event.method === "account/login/completed") break;
    }
    assertEquals(seen.map((e) => e.method), ["configWarning", "account/login/completed"]);
    await server.close();
  });
}
