/**
 * A member's app-server is SIGKILLed mid-turn: its running turn fails with TransportClosedError
 * naming the member, new threads go to the live member, the member restarts (down → starting →
 * up, seen in `pool.events()`) and serves new and resumed turns again; a member whose restarts
 * give up fails its threads fast with PoolMemberUnavailableError (permanent).
 */
import { assert, assertEquals, assertRejects } from "../support/assert.ts";
import {
  CodexPool,
  isMemberStateEvent,
  type PoolEvent,
  type PoolMemberStateEvent,
  PoolMemberUnavailableError,
  TransportClosedError,
} from "../../mod.ts";
import { codexProcesses } from "../support/processes.ts";
import { disposeAll, echoed, localMembers, memberFixtures } from "./_support.ts";

/** Reads `events` until `pred` holds; returns the member-state events seen on the way. */
async function statesUntil(
  events: AsyncIterator<PoolEvent>,
  member: string,
  pred: (params: PoolMemberStateEvent["params"]) => boolean,
): Promise<string[]> {
  const states: string[] = [];
  while (true) {
    const next = await events.next();
    if (next.done) throw new Error(`the events ended; states so far: ${states}`);
    const ev = next.value;
    if (!isMemberStateEvent(ev) || ev.member !== member) continue;
    states.push(ev.params.state);
    if (pred(ev.params)) return states;
  }
}

Deno.test("SIGKILL of a member mid-turn: typed failure, placement skips it, it restarts and serves", async () => {
  const fixtures = await memberFixtures(["a", "b"]);
  const [a] = fixtures;
  try {
    await using pool = await CodexPool.connect({
      members: localMembers(fixtures),
      restartDelayMs: 50,
    });
    const events = pool.events()[Symbol.asyncIterator]();
    const thread = await pool.threadStart({});
    assertEquals(thread.member, "a", "both idle: the first member");
    assertEquals((await thread.run("warm up")).finalResponse, echoed("warm up"));
    const turn = await thread.turn("hang here");
    await a.model.waitForRequests(2);
    assertEquals(pool.members[0].runningTurns, 1);

    const [pid] = await codexProcesses(a.marker);
    Deno.kill(pid, "SIGKILL");
    const err = await assertRejects(() => turn.run(), TransportClosedError, "Pool member a:");
    assertEquals(err.code, "TRANSPORT_CLOSED");
    await statesUntil(events, "a", (params) => params.state === "down");
    assertEquals(pool.members[0].runningTurns, 0, "the failed turn gave its slot back");

    // While a is not up: its old thread handle fails fast, new threads go to b.
    assert(pool.members[0].state !== "up");
    await assertRejects(() => thread.run("again"), PoolMemberUnavailableError, "Pool member a");
    const elsewhere = await pool.threadStart({});
    assertEquals(elsewhere.member, "b");

    const states = await statesUntil(events, "a", (params) => params.state === "up");
    assertEquals(states.at(0), "starting");
    assertEquals(states.at(-1), "up");
    assertEquals(pool.members[0].state, "up");
    assertEquals(pool.members[0].restarts, 1);
    const [restarted] = await codexProcesses(a.marker);
    assert(restarted !== undefined && restarted !== pid, "a new app-server runs for a");

    // The restarted member serves its stored thread (resumed through the pool) and new ones.
    const resumed = await pool.threadResume(thread.id);
    assertEquals(resumed.member, "a");
    assertEquals((await resumed.run("after restart")).finalResponse, echoed("after restart"));
    const fresh = await pool.threadStart({});
    assertEquals(fresh.member, "a", "a has fewer threads than b now (b has 1, a has 1: first)");
    assertEquals((await fresh.run("fresh")).finalResponse, echoed("fresh"));
    assert(a.prompts().includes("after restart") && a.prompts().includes("fresh"));
    await events.return?.();
    await pool.close();
    assertEquals(await codexProcesses(a.marker), []);
  } finally {
    await disposeAll(fixtures);
  }
});

Deno.test("a member whose restarts give up: its threads and new threads fail fast, typed", async () => {
  const fixtures = await memberFixtures(["solo"]);
  try {
    await using pool = await CodexPool.connect({ members: localMembers(fixtures), maxRestarts: 0 });
    const events = pool.events()[Symbol.asyncIterator]();
    const thread = await pool.threadStart({});
    await thread.run("warm up");
    const [pid] = await codexProcesses(fixtures[0].marker);
    Deno.kill(pid, "SIGKILL");
    await statesUntil(events, "solo", (params) => params.gone);
    assertEquals(pool.members[0].gone, true);
    for (const call of [() => pool.threadResume(thread.id), () => pool.threadStart({})]) {
      const err = await assertRejects(call, PoolMemberUnavailableError);
      assertEquals([err.code, err.permanent], ["POOL_MEMBER_UNAVAILABLE", true]);
    }
    await assertRejects(() => thread.run("again"), PoolMemberUnavailableError);
    await events.return?.();
  } finally {
    await disposeAll(fixtures);
  }
});
