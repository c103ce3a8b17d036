import { assert, assertEquals } from "../support/assert.ts";
import { type Codex, retryOnOverload, ServerBusyError, TimeoutError } from "../../mod.ts";
import { startHarness } from "./_harness.ts";

async function burst(codex: Codex, size: number) {
  const settled = await Promise.allSettled(
    Array.from({ length: size }, () => codex.request("thread/loaded/list", {})),
  );
  const counts = { ok: 0, busy: 0, timeout: 0, other: 0 };
  const others: string[] = [];
  for (const s of settled) {
    if (s.status === "fulfilled") counts.ok++;
    else if (s.reason instanceof ServerBusyError) counts.busy++;
    else if (s.reason instanceof TimeoutError) counts.timeout++;
    else {
      counts.other++;
      others.push(String(s.reason));
    }
  }
  return { counts, others };
}

Deno.test("request bursts against the real app-server", async (t) => {
  await using h = await startHarness();

  await t.step(
    "with the cap raised, every call of a 2,000-call burst settles: result, ServerBusyError or TimeoutError",
    async () => {
      await using flood = await h.connect({ maxInFlight: 10_000, requestTimeoutMs: 2_000 });
      const { counts, others } = await burst(flood, 2_000);
      console.log("uncapped burst of 2000:", JSON.stringify(counts));
      assertEquals(counts.other, 0, others.slice(0, 3).join("\n"));
      assertEquals(counts.ok + counts.busy + counts.timeout, 2_000);
      assert(counts.ok > 0, "some calls succeed");
      assertEquals((await flood.stats()).pendingRequests, 0, "nothing is left waiting");
      // Sent after the burst, this call queues behind whatever the server still works through,
      // and its reply may be dropped while the server's outbound queue is full: a read is safe to
      // repeat, so timeouts are retried.
      const after = await retryOnOverload(
        () => flood.request("thread/loaded/list", {}, { timeoutMs: 10_000 }),
        { attempts: 12, retryTimeouts: true },
      );
      assert(Array.isArray(after.data), "the connection is still usable after the burst");
    },
  );

  await t.step("with the default in-flight cap, the same burst gets every answer", async () => {
    const { counts } = await burst(h.codex, 2_000);
    console.log("capped burst of 2000:", JSON.stringify(counts));
    assertEquals(counts, { ok: 2_000, busy: 0, timeout: 0, other: 0 });
  });
});
