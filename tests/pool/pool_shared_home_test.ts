/**
 * `shared: { from }`: one source CODEX_HOME's `auth.json` and `config.toml` are copied into each
 * local member's home before it starts (mode 0600): every member holds the same login file and
 * uses the source's config (here: the only model server that answers).
 */
import { assertEquals } from "../support/assert.ts";
import { CodexPool } from "../../mod.ts";
import { ResponsesModelServer, writeCodexHome } from "../../src/testing/mod.ts";
import { echoed, poolModel } from "./_support.ts";

Deno.test("shared: each local member gets the source's login and config, private", async () => {
  await using model = await ResponsesModelServer.start({ fallback: poolModel });
  await using source = await writeCodexHome({ modelServerUrl: model.url });
  const auth = JSON.stringify({ OPENAI_API_KEY: "sk-shared-login-for-the-test" });
  await Deno.writeTextFile(`${source.dir}/auth.json`, auth);
  // The members' own configs point at nothing: only the shared config reaches the model.
  await using a = await writeCodexHome({ modelServerUrl: "http://127.0.0.1:9/v1" });
  await using b = await writeCodexHome({ modelServerUrl: "http://127.0.0.1:9/v1" });
  await using pool = await CodexPool.connect({
    members: [{ id: "a", codexHome: a.dir }, { id: "b", codexHome: b.dir }],
    shared: { from: source.dir },
  });
  for (const home of [a.dir, b.dir]) {
    assertEquals(await Deno.readTextFile(`${home}/auth.json`), auth);
    assertEquals((await Deno.stat(`${home}/auth.json`)).mode! & 0o777, 0o600);
    assertEquals(
      await Deno.readTextFile(`${home}/config.toml`),
      await Deno.readTextFile(`${source.dir}/config.toml`),
    );
  }
  const threads = await Promise.all([pool.threadStart({}), pool.threadStart({})]);
  assertEquals(threads.map((t) => t.member).sort(), ["a", "b"]);
  const results = await Promise.all(threads.map((t, i) => t.run(`shared ${i}`)));
  results.forEach((r, i) => assertEquals(r.finalResponse, echoed(`shared ${i}`)));
});
