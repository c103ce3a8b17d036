/**
 * Security properties end to end: approvals are declined unless a handler says otherwise, and no
 * token or API key reaches an error message (in-process or across the Worker boundary).
 */
import { assert, assertEquals, assertRejects } from "../support/assert.ts";
import { Codex, ConnectError } from "../../mod.ts";
import {
  ResponsesModelServer,
  startWebSocketAppServer,
  writeCodexHome,
} from "../../src/testing/mod.ts";
import { scriptedModel } from "./_support.ts";

const model = await ResponsesModelServer.start({ fallback: scriptedModel });
const home = await writeCodexHome({ modelServerUrl: model.url });

Deno.test("[worker] with no handler, a command approval is declined and the command never runs", async () => {
  await using codex = await Codex.connect({ codexHome: home.dir, worker: true });
  const cwd = await Deno.makeTempDir({ prefix: "codex-decline-" });
  try {
    const thread = await codex.threadStart({ approvalPolicy: "untrusted", cwd });
    const turn = await thread.turn("approve nothing");
    const asked: string[] = [];
    for await (const ev of turn.stream()) {
      if ("serverRequest" in ev) asked.push(ev.method);
    }
    const result = await turn.run();
    assertEquals(asked, ["item/commandExecution/requestApproval"], "the server asked once");
    assertEquals(result.status, "completed");
    const command = result.items.find((i) => i.type === "commandExecution") as
      | { status?: string }
      | undefined;
    assertEquals(command?.status, "declined");
    const exists = await Deno.stat(`${cwd}/approved.txt`).then(() => true, () => false);
    assert(!exists, "the declined command did not run");
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
});

Deno.test("a wrong WebSocket token is refused without the token in the error", async () => {
  await using server = await startWebSocketAppServer({ codexHome: home.dir });
  const wrong = "wrong-secret-token-0123456789abcdef";
  for (const worker of [false, true]) {
    const err = await assertRejects(
      () => Codex.connect({ url: server.url, token: wrong, worker }),
      ConnectError,
    );
    const seen = `${err.message}\n${JSON.stringify(err.data)}\n${String(err.cause)}`;
    assert(!seen.includes(wrong), `the wrong token leaked (${worker ? "worker" : "in-process"})`);
    assert(!seen.includes(server.token), "the server's token is not in it either");
  }
});

Deno.test("secrets passed in env are redacted from the stderr tail of a failing app-server", async () => {
  const dir = await Deno.makeTempDir({ prefix: "codex-fake-bin-" });
  const fake = `${dir}/codex`;
  // A stand-in binary that prints its secrets to stderr and dies before initialize.
  await Deno.writeTextFile(
    fake,
    '#!/bin/sh\necho "using key $OPENAI_API_KEY and $CUSTOM_SECRET" >&2\n' +
      'echo "Authorization: Bearer $CUSTOM_SECRET" >&2\nexit 3\n',
  );
  await Deno.chmod(fake, 0o755);
  const apiKey = "sk-test-0123456789abcdefghijklmnop";
  const custom = "hunter2-very-secret-value";
  try {
    for (const worker of [false, true]) {
      const err = await assertRejects(
        () =>
          Codex.connect({
            codexPath: fake,
            worker,
            env: { OPENAI_API_KEY: apiKey, CUSTOM_SECRET: custom },
          }),
        ConnectError,
      );
      const seen = `${err.message}\n${JSON.stringify(err.data)}\n${String(err.cause)}`;
      assert(seen.includes("exited with code 3"), seen);
      assert(seen.includes("using key"), "the tail is kept");
      assert(!seen.includes(apiKey) && !seen.includes(custom), `a secret leaked: ${seen}`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "teardown: the model server stops",
  fn: async () => {
    await home.cleanup();
    await model.close();
  },
});
