/**
 * Remote pool members on other "hosts" (network namespaces made by the test; see `_netns.ts`):
 * each an app-server on its namespace address with `--ws-auth signed-bearer-token`, dialed by
 * the pool over its veth link, never over this machine's loopback. Threads spread over them and
 * every turn runs on its thread's member. Then one member's link is cut mid-turn: its turn fails
 * with TransportClosedError naming it (the heartbeat notices; no hang) and the pool keeps
 * serving on the other. Without root the test fails, saying why.
 */
import { assert, assertEquals, assertRejects } from "../support/assert.ts";
import { CodexPool, TransportClosedError } from "../../mod.ts";
import { lastUserText, ResponsesModelServer, writeCodexHome } from "../../src/testing/mod.ts";
import { echoed, poolModel } from "./_support.ts";
import { namespaceHost } from "./_netns.ts";

Deno.test("remote members in network namespaces, signed bearer tokens: routed turns; a cut link fails typed", async () => {
  const models = await Promise.all(
    [1, 2].map(() => ResponsesModelServer.start({ fallback: poolModel })),
  );
  const homes: Array<{ cleanup(): Promise<void> }> = [];
  const writeHome = async (url: string) => {
    const home = await writeCodexHome({ modelServerUrl: url });
    homes.push(home);
    return home;
  };
  try {
    await using h1 = await namespaceHost(1, models[0].port, writeHome);
    await using h2 = await namespaceHost(2, models[1].port, writeHome);
    assertEquals([h1.url.includes("127.0.0.1"), h2.url.includes("127.0.0.1")], [false, false]);
    await using pool = await CodexPool.connect({
      heartbeatMs: 1_000,
      maxRestarts: 1,
      restartDelayMs: 50,
      defaults: { connectTimeoutMs: 2_000 },
      members: [{ id: "r1", url: h1.url, token: h1.token }, {
        id: "r2",
        url: h2.url,
        token: h2.token,
      }],
    });
    const threads = await Promise.all([0, 1, 2, 3].map(() => pool.threadStart({})));
    assertEquals(pool.members.map((m) => m.threads), [2, 2]);
    const results = await Promise.all(threads.map((t, i) => t.run(`remote ${i}`)));
    results.forEach((r, i) => assertEquals(r.finalResponse, echoed(`remote ${i}`)));
    for (const [k, id] of ["r1", "r2"].entries()) {
      const mine = threads.flatMap((t, i) => t.member === id ? [`remote ${i}`] : []);
      assertEquals(models[k].requests.map(lastUserText).sort(), mine.sort(), id);
    }

    // Cut r1's link mid-turn: the turn fails, typed and naming r1; r2 keeps serving.
    const victim = threads.find((t) => t.member === "r1")!;
    const turn = await victim.turn("hang on r1");
    await models[0].waitForRequests(3);
    await h1.cut();
    await assertRejects(() => turn.run(), TransportClosedError, "Pool member r1:");
    assert(pool.members[0].state !== "up");
    const survivor = await pool.threadStart({});
    assertEquals(survivor.member, "r2");
    assertEquals((await survivor.run("still serving")).finalResponse, echoed("still serving"));
  } finally {
    for (const m of models) await m.close();
    for (const h of homes) await h.cleanup();
  }
});
