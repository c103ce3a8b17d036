/**
 * How `Codex.connect` finds its connection: `src/api/` imports no deployment, the package entry
 * registers the Worker one, and `worker: false` stays in-process.
 */
import { assertEquals, assertRejects } from "../support/assert.ts";
import { FakeAppServer } from "../support/fake_app_server.ts";
import { CodexClient } from "../../src/client/codex_client.ts";
import { Codex as BareCodex } from "../../src/api/codex.ts";
import {
  type ConnectionFactory,
  registerWorkerConnection,
  selectConnectionFactory,
} from "../../src/api/connection_factory.ts";
import { ConnectError } from "../../src/errors/errors.ts";

Deno.test("without the package entry, asking for a Worker fails with ConnectError", async () => {
  const err = await assertRejects(
    () => BareCodex.connect({ url: "ws://127.0.0.1:9" }),
    ConnectError,
  );
  assertEquals(err.code, "CONNECT_FAILED");
  assertEquals(/worker: false/.test(err.message), true, err.message);
});

Deno.test("worker: false connects in-process whatever is registered", async () => {
  assertEquals(selectConnectionFactory({ worker: false }), CodexClient.connect);
  const server = new FakeAppServer();
  await using codex = await BareCodex.connect({ transport: server.transport, worker: false });
  assertEquals(codex.connection instanceof CodexClient, true);
  await server.close();
});

Deno.test("the package entry registers the Worker connection, and Codex.connect uses it", async () => {
  await import("../../mod.ts");
  const entryFactory = selectConnectionFactory({});
  assertEquals(entryFactory === CodexClient.connect, false);
  const seen: unknown[] = [];
  const refused = new Error("the registered factory was called");
  const spy: ConnectionFactory = (options) => {
    seen.push(options.url);
    return Promise.reject(refused);
  };
  registerWorkerConnection(spy);
  try {
    const err = await BareCodex.connect({ url: "ws://127.0.0.1:9" }).catch((e: unknown) => e);
    assertEquals(err, refused);
    assertEquals(seen, ["ws://127.0.0.1:9"]);
  } finally {
    registerWorkerConnection(entryFactory);
  }
});
