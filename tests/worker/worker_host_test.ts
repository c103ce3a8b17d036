import { runtime } from "../../src/runtime/current.ts";
import { WorkerHost } from "../../worker/worker_host.ts";
import { assertEquals } from "../support/assert.ts";

Deno.test("a Worker host closed before connect reaps the app-server its boot spawned", async () => {
  const stdio = { command: "sleep", args: ["60"] };
  const spawned = runtime.spawn(stdio);
  let handedOver = 0;
  const host = new WorkerHost(() => {
    handedOver++;
    return { spec: { stdio }, spawned };
  });
  await host.close();
  assertEquals(await (await spawned).status, { code: null, signal: "SIGKILL" });
  await host.close();
  assertEquals(handedOver, 1);
});
