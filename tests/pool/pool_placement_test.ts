/**
 * The pool against real app-servers (each member its own CODEX_HOME and its own offline model
 * server, whose request log says which member ran a turn): placement spreads threads, 60
 * concurrent turns all come back right and each ran on its thread's member, the per-member cap
 * holds with the rest waiting in order, resume and fork go to the owner, `threadList` merges,
 * and closing leaves no app-server behind.
 */
import { assert, assertEquals, assertRejects } from "../support/assert.ts";
import { CodexPool, type PoolThread, PoolThreadNotFoundError } from "../../mod.ts";
import { codexProcesses } from "../support/processes.ts";
import { disposeAll, echoed, localMembers, memberFixtures } from "./_support.ts";

Deno.test("two members: threads spread, 60 concurrent turns each on its thread's member, capped", async () => {
  const fixtures = await memberFixtures(["a", "b"]);
  const CAP = 8;
  const seenRunning: number[] = [];
  try {
    const pool = await CodexPool.connect({
      members: localMembers(fixtures),
      maxRunningTurnsPerMember: CAP,
    });
    try {
      for (const f of fixtures) {
        const fallback = f.model.fallback;
        f.model.fallback = (request) => {
          seenRunning.push(pool.members.find((m) => m.id === f.id)!.runningTurns);
          return fallback(request);
        };
      }
      const threads: PoolThread[] = await Promise.all(
        Array.from({ length: 60 }, () => pool.threadStart({})),
      );
      const counts = Object.fromEntries(pool.members.map((m) => [m.id, m.threads]));
      assertEquals(counts, { a: 30, b: 30 }, "least-busy spreads concurrent starts");

      const runs = threads.map((t, i) => t.run(`turn ${i}`));
      // Every turn is issued: each member runs CAP, the rest wait in order.
      assertEquals(
        pool.members.map((m) => [m.id, m.runningTurns, m.waitingTurns]),
        [["a", CAP, 30 - CAP], ["b", CAP, 30 - CAP]],
      );
      const results = await Promise.all(runs);
      results.forEach((r, i) => assertEquals(r.finalResponse, echoed(`turn ${i}`)));
      for (const f of fixtures) {
        const mine = threads.flatMap((t, i) => t.member === f.id ? [`turn ${i}`] : []);
        assertEquals(f.prompts().sort(), mine.sort(), `member ${f.id} ran exactly its turns`);
      }
      assert(seenRunning.length === 60 && seenRunning.every((n) => n >= 1 && n <= CAP));
      assertEquals(pool.members.map((m) => m.runningTurns + m.waitingTurns), [0, 0]);

      // Resume and fork go to the owner; a turn on each runs on the owner's app-server.
      const owned = threads[1];
      const resumed = await pool.threadResume(owned.id);
      const forked = await pool.threadFork(owned.id);
      assertEquals([resumed.member, forked.member], [owned.member, owned.member]);
      await resumed.run("after resume");
      await forked.run("after fork");
      const owner = fixtures.find((f) => f.id === owned.member)!;
      const other = fixtures.find((f) => f.id !== owned.member)!;
      assert(owner.prompts().includes("after resume") && owner.prompts().includes("after fork"));
      assert(!other.prompts().includes("after resume") && !other.prompts().includes("after fork"));
      assertEquals((await pool.threadRead(owned.id)).thread.id, owned.id);

      // threadList merges both members' lists, each entry tagged with its owner.
      const list = await pool.threadList({ limit: 100 });
      const tagged = new Map(list.data.map((t) => [t.id, t.member]));
      for (const t of [...threads, forked]) assertEquals(tagged.get(t.id), t.member, t.id);
      assertEquals(new Set(list.data.map((t) => t.member)), new Set(["a", "b"]));
    } finally {
      await pool.close();
    }
    for (const f of fixtures) {
      assertEquals(await codexProcesses(f.marker), [], "no app-server left");
    }
  } finally {
    await disposeAll(fixtures);
  }
});

Deno.test("three members (Worker and in-process): threads spread evenly; a new pool finds each thread's owner", async () => {
  const fixtures = await memberFixtures(["a", "b", "c"]);
  try {
    const ids: Array<[string, string]> = [];
    {
      // Member c's router runs in-process, a's and b's in Workers: the pool serves both alike.
      const members = localMembers(fixtures).map((m) => m.id === "c" ? { ...m, worker: false } : m);
      await using pool = await CodexPool.connect({ members });
      const threads = await Promise.all([0, 1, 2, 3, 4, 5].map(async (i) => {
        const thread = await pool.threadStart({});
        await thread.run(`first ${i}`);
        return thread;
      }));
      assertEquals(pool.members.map((m) => m.threads), [2, 2, 2]);
      for (const t of threads) ids.push([t.id, t.member]);
      for (const f of fixtures) {
        const mine = threads.flatMap((t, i) => t.member === f.id ? [`first ${i}`] : []);
        assertEquals(f.prompts().sort(), mine.sort());
      }
    }
    // A new pool (members listed in another order) learns the owners by asking the members.
    await using pool = await CodexPool.connect({ members: localMembers(fixtures).reverse() });
    for (const [id, member] of ids) {
      const thread = await pool.threadResume(id);
      assertEquals(thread.member, member);
    }
    const [id, member] = ids[0];
    await (await pool.threadResume(id)).run("second");
    assert(fixtures.find((f) => f.id === member)!.prompts().includes("second"));
    const err = await assertRejects(
      () => pool.threadRead(crypto.randomUUID()),
      PoolThreadNotFoundError,
    );
    assertEquals(err.code, "POOL_THREAD_NOT_FOUND");
  } finally {
    await disposeAll(fixtures);
  }
});
