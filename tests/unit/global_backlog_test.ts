/**
 * The global stream's bound while nobody subscribes, as the README states it: the last 1 000
 * events are kept, older ones are dropped, and the next subscriber first gets one `sdk/lagged`
 * event with the count. In-process and behind the Worker, against a scripted app-server.
 */
import { assert, assertEquals } from "../support/assert.ts";
import { FakeAppServer } from "../support/fake_app_server.ts";
import { fakeSetups } from "../support/fake_setups.ts";
import type { CodexEvent } from "../../mod.ts";

const setups = fakeSetups;

/** `thread/loaded/list` first emits `ticks.shift()` global notifications `test/tick {n}`. */
function emitTicksBeforeReply(server: FakeAppServer, ticks: number[]) {
  let next = 0;
  server.on("thread/loaded/list", () => {
    const count = ticks.shift() ?? 0;
    for (let i = 0; i < count; i++) server.emit("test/tick", { n: next++ });
    return { data: [] };
  });
}

/** The `n` of a tick, or the event's method for anything else. */
const label = (ev: CodexEvent) =>
  ev.method === "test/tick" ? (ev.params as { n: number }).n : ev.method;

/** Reads `count` events from `events`. */
async function take(events: AsyncIterator<CodexEvent>, count: number): Promise<CodexEvent[]> {
  const out: CodexEvent[] = [];
  while (out.length < count) {
    const next = await events.next();
    if (next.done) throw new Error(`the global stream ended after ${out.length} events`);
    out.push(next.value);
  }
  return out;
}

for (const setup of setups) {
  Deno.test(`[${setup.name}] unread global events: the last 1 000 are kept, then one sdk/lagged with the count`, async () => {
    const server = new FakeAppServer();
    try {
      emitTicksBeforeReply(server, [1_500, 1, 10, 1]);
      await using codex = await setup.connect(server);
      // The reply follows the ticks on the same connection: once it is here, so are they.
      await codex.request("thread/loaded/list", {});
      const first = codex.events()[Symbol.asyncIterator]();
      const [lagged, ...kept] = await take(first, 1_001);
      assertEquals(lagged.method, "sdk/lagged");
      assertEquals(lagged.params, { dropped: 500 });
      assertEquals(kept.map(label), Array.from({ length: 1_000 }, (_, i) => 500 + i));
      // While subscribed, events arrive live: no backlog, no further lagged event.
      await codex.request("thread/loaded/list", {});
      assertEquals((await take(first, 1)).map(label), [1_500]);
      await first.return?.();

      // A quiet period within the bound drops nothing: no sdk/lagged this time.
      await codex.request("thread/loaded/list", {});
      const second = codex.events()[Symbol.asyncIterator]();
      const again = await take(second, 10);
      assertEquals(again.map(label), Array.from({ length: 10 }, (_, i) => 1_501 + i));
      await codex.request("thread/loaded/list", {});
      const [live] = await take(second, 1);
      assert(live.method !== "sdk/lagged", "the count was reset by the first subscriber");
      assertEquals(label(live), 1_511);
      await second.return?.();
    } finally {
      await server.close();
    }
  });
}
