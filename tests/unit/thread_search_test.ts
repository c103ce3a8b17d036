/**
 * `codex.threadSearch()` against a scripted app-server, in-process and behind the Worker: the
 * partial batches of this search (by request id) then the final page, and cancellation by
 * `break`, `cancel()` and an AbortSignal.
 */
import { assertEquals, assertRejects } from "../support/assert.ts";
import { FakeAppServer } from "../support/fake_app_server.ts";
import { fakeSetups } from "../support/fake_setups.ts";
import { AbortError, Codex, type ThreadSearchUpdate } from "../../mod.ts";
import type { v2 } from "../../src/protocol/mod.ts";
import { within } from "../reliability/_support.ts";

const setups = fakeSetups;

/** A search row; the fake server sends only the fields the test reads. */
const row = (id: string) =>
  ({ thread: { id }, snippet: `…${id}…` }) as unknown as v2.ThreadSearchResult;
const page = (ids: string[]): v2.ThreadSearchResponse => ({
  data: ids.map(row),
  nextCursor: null,
  backwardsCursor: null,
});

/** A server whose searches answer once `finish(requestId)` is called; cancels are recorded. */
function searchServer() {
  const server = new FakeAppServer();
  const searches = new Map<unknown, string>();
  const cancels: unknown[] = [];
  let onSearch: (id: unknown) => void = () => {};
  const started = new Promise<unknown>((resolve) => onSearch = resolve);
  server.on("thread/search/stream", (params, _s, id) => {
    searches.set(id, params.searchTerm as string);
    onSearch(id);
    return FakeAppServer.NO_REPLY;
  });
  server.on("thread/search/stream/cancel", (params, s) => {
    cancels.push(params.requestId);
    s.replyError(params.requestId, -32603, "search cancelled");
    return {};
  });
  return { server, searches, cancels, started };
}

async function collect(search: AsyncIterable<ThreadSearchUpdate>): Promise<ThreadSearchUpdate[]> {
  const out: ThreadSearchUpdate[] = [];
  for await (const update of search) out.push(update);
  return out;
}

for (const setup of setups) {
  Deno.test(`[${setup.name}] a search yields its own partial batches, then the final page`, async () => {
    const { server, searches, started } = searchServer();
    await using codex = await setup.connect(server);
    const search = codex.threadSearch({ searchTerm: "banana" });
    const updates = search[Symbol.asyncIterator]();
    const first = updates.next();
    const id = await started;
    assertEquals([id, searches.get(id)], [search.requestId, "banana"]);
    server.emit("thread/search/partial", { requestId: "someone-else", data: [row("x")] });
    server.emit("thread/search/partial", { requestId: id, data: [row("a")] });
    assertEquals((await first).value, { final: false, data: [row("a")] });
    const second = updates.next();
    server.emit("thread/search/partial", { requestId: id, data: [row("b")] });
    assertEquals((await second).value, { final: false, data: [row("b")] });
    const final = page(["b", "a"]);
    const third = updates.next();
    server.reply(id, final);
    assertEquals((await third).value, { final: true, ...final });
    assertEquals((await updates.next()).done, true);
    assertEquals(await search.result, final);
  });

  Deno.test(`[${setup.name}] leaving the loop early cancels the search on the server`, async () => {
    const { server, cancels, started } = searchServer();
    await using codex = await setup.connect(server);
    const search = codex.threadSearch({ searchTerm: "banana" });
    const id = await started;
    server.emit("thread/search/partial", { requestId: id, data: [row("a")] });
    for await (const update of search) {
      assertEquals(update, { final: false, data: [row("a")] });
      break;
    }
    assertEquals(cancels, [search.requestId]);
    await assertRejects(() => search.result, Error, "search cancelled");
  });

  Deno.test(`[${setup.name}] an aborted search rejects with AbortError and is cancelled`, async () => {
    const { server, cancels, started } = searchServer();
    await using codex = await setup.connect(server);
    const controller = new AbortController();
    const search = codex.threadSearch({ searchTerm: "banana" }, { signal: controller.signal });
    const updates = collect(search);
    await started;
    controller.abort();
    await assertRejects(() => updates, AbortError);
    await assertRejects(() => search.result, AbortError);
    const sent = await within((async () => {
      while (cancels.length === 0) await new Promise((r) => setTimeout(r, 5));
    })());
    assertEquals([sent.status, cancels], ["fulfilled", [search.requestId]]);
  });
}

Deno.test("a request id that is already waiting is refused", async () => {
  const { server } = searchServer();
  await using codex = await Codex.connect({ transport: server.transport, worker: false });
  const first = codex.request("thread/search/stream", { searchTerm: "a" }, { requestId: "same" });
  first.catch(() => {});
  await assertRejects(
    () => codex.request("thread/search/stream", { searchTerm: "b" }, { requestId: "same" }),
    TypeError,
    "already waiting",
  );
});
