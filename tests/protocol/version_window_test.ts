/**
 * The supported window of app-server versions: how versions are ordered, how a server is judged
 * against the window, what `Codex.connect()` does with a server outside it, and an agent
 * message's moderation in the shape of either end of the window.
 */
import { assert, assertEquals, assertRejects } from "../support/assert.ts";
import { FakeAppServer } from "../support/fake_app_server.ts";
import {
  agentMessageDisplayMode,
  checkServerVersion,
  Codex,
  CODEX_VERSION_WINDOW,
  compareCodexVersions,
  ConnectError,
  isInCodexVersionWindow,
  PINNED_CODEX_VERSION,
} from "../../mod.ts";
import type { AgentMessageItem } from "../../src/protocol/mod.ts";

function serverReporting(version: string): FakeAppServer {
  const server = new FakeAppServer();
  server.on("initialize", () => ({
    userAgent: `codex_worker/${version} (Test)`,
    codexHome: "/tmp/codex",
    platformFamily: "unix",
    platformOs: "linux",
  }));
  return server;
}

/** Runs `body` with console.warn captured; returns what was warned. */
async function warningsDuring(body: () => Promise<void>): Promise<string[]> {
  const warnings: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => warnings.push(args.join(" "));
  try {
    await body();
  } finally {
    console.warn = original;
  }
  return warnings;
}

Deno.test("the window runs from 0.169.0 to the pinned version", () => {
  assertEquals(CODEX_VERSION_WINDOW, { oldest: "0.169.0", newest: PINNED_CODEX_VERSION });
  assert(compareCodexVersions(CODEX_VERSION_WINDOW.oldest, CODEX_VERSION_WINDOW.newest) <= 0);
});

Deno.test("versions are ordered by semantic-version precedence", () => {
  assert(compareCodexVersions("0.169.0", "0.171.0") < 0);
  assert(compareCodexVersions("0.171.0", "0.169.9") > 0);
  assert(compareCodexVersions("1.0.0", "0.999.999") > 0);
  assertEquals(compareCodexVersions("0.171.0", "0.171.0"), 0);
  assert(compareCodexVersions("0.171.0-alpha.2", "0.171.0") < 0);
  assert(compareCodexVersions("0.171.0-alpha.2", "0.171.0-alpha.10") < 0);
  assert(compareCodexVersions("0.171.0-alpha.1", "0.171.0-beta") < 0);
  let thrown: unknown;
  try {
    compareCodexVersions("0.171", "0.171.0");
  } catch (err) {
    thrown = err;
  }
  assert(thrown instanceof TypeError, "a malformed version is refused");
});

Deno.test("a version is inside the window from its oldest to its newest release", () => {
  for (const v of ["0.169.0", "0.170.0", "0.170.3", PINNED_CODEX_VERSION]) {
    assert(isInCodexVersionWindow(v), v);
  }
  for (const v of ["0.168.9", "0.169.0-alpha.1", "0.171.1", "0.172.0-alpha.1", "1.0.0", "x"]) {
    assert(!isInCodexVersionWindow(v), v);
  }
});

Deno.test("checkServerVersion accepts the window silently and explains what lies outside", () => {
  for (const v of [CODEX_VERSION_WINDOW.oldest, "0.170.0", PINNED_CODEX_VERSION]) {
    const inside = checkServerVersion(`codex_worker/${v} (Linux)`);
    assertEquals([inside.supported, inside.serverVersion, inside.warning], [true, v, undefined]);
    assertEquals(inside.matches, v === PINNED_CODEX_VERSION);
  }
  const older = checkServerVersion("codex_worker/0.150.2 (Linux)");
  assertEquals([older.supported, older.matches, older.serverVersion], [false, false, "0.150.2"]);
  assert(older.warning?.includes("0.150.2") && older.warning.includes("older"), older.warning);
  assert(older.warning?.includes(`0.169.0 – ${PINNED_CODEX_VERSION}`), older.warning);
  const newer = checkServerVersion("codex_worker/0.172.0 (Linux)");
  assert(!newer.supported && newer.warning?.includes("newer"), newer.warning);
  assert(newer.warning?.includes("UnknownNotification"), newer.warning);
  const none = checkServerVersion("no version here");
  assertEquals([none.supported, none.serverVersion], [false, undefined]);
  assert(none.warning?.includes("no version"), none.warning);
  const narrow = checkServerVersion("a/0.170.0", { oldest: "0.171.0", newest: "0.171.0" });
  assert(!narrow.supported && narrow.warning?.includes("0.171.0 – 0.171.0"), narrow.warning);
});

Deno.test("a server at the window's oldest end connects without a warning", async () => {
  const warnings = await warningsDuring(async () => {
    await using codex = await Codex.connect({
      transport: serverReporting("0.169.0").transport,
      worker: false,
      versionCheck: "error",
    });
    assertEquals(codex.versionCheck.supported, true);
    assertEquals(codex.versionCheck.matches, false);
    assertEquals(codex.serverVersion, "0.169.0");
  });
  assertEquals(warnings, []);
});

Deno.test("a turn against a server outside the window runs after one documented warning", async () => {
  const server = serverReporting("0.150.0");
  server.on("thread/start", () => ({ thread: { id: "th" } }));
  server.on("turn/start", (params, s, id) => {
    const threadId = params.threadId as string;
    const turnId = s.nextTurnId();
    s.reply(id, { turn: { id: turnId, items: [], status: "inProgress", error: null } });
    const item = { type: "agentMessage", id: "m", text: "old server says hi", phase: null };
    s.emit("item/completed", { threadId, turnId, item, completedAtMs: 2 });
    s.emit("turn/completed", FakeAppServer.turnCompleted(threadId, turnId));
    return FakeAppServer.NO_REPLY;
  });
  const warnings = await warningsDuring(async () => {
    await using codex = await Codex.connect({ transport: server.transport, worker: false });
    assertEquals(codex.versionCheck.supported, false);
    const result = await (await codex.threadStart()).run("hi");
    assertEquals(result.finalResponse, "old server says hi");
  });
  assertEquals(warnings.length, 1);
  assert(warnings[0].startsWith("The app-server reports version 0.150.0, older than"), warnings[0]);
});

Deno.test("versionCheck error refuses a server outside the window; off stays silent", async () => {
  await assertRejects(
    () =>
      Codex.connect({
        transport: serverReporting("0.172.0").transport,
        worker: false,
        versionCheck: "error",
      }),
    ConnectError,
    "newer than this SDK supports",
  );
  const warnings = await warningsDuring(async () => {
    await using codex = await Codex.connect({
      transport: serverReporting("0.150.0").transport,
      worker: false,
      versionCheck: "off",
    });
    assertEquals(codex.versionCheck.supported, false);
  });
  assertEquals(warnings, []);
});

Deno.test("an agent message moderated by a 0.169 server arrives as sent and reads as its mode", async () => {
  const server = serverReporting("0.169.0");
  const legacy = {
    action: "hide",
    blockType: null,
    cyberTrustedAccess: null,
    checkTrustedContacts: true,
  };
  server.on("thread/start", () => ({ thread: { id: "th" } }));
  server.on("turn/start", (params, s, id) => {
    const threadId = params.threadId as string;
    const turnId = s.nextTurnId();
    s.reply(id, { turn: { id: turnId, items: [], status: "inProgress", error: null } });
    for (
      const [itemId, display] of [["old", legacy], ["new", {
        mode: "block",
        version: 1,
        reason: { kind: "cyber" },
      }]]
    ) {
      const item = {
        type: "agentMessage",
        id: itemId,
        text: "…",
        phase: null,
        moderation: { moderated: true, display },
      };
      s.emit("item/completed", { threadId, turnId, item, completedAtMs: 2 });
    }
    s.emit("turn/completed", FakeAppServer.turnCompleted(threadId, turnId));
    return FakeAppServer.NO_REPLY;
  });
  await using codex = await Codex.connect({ transport: server.transport, worker: false });
  const result = await (await codex.threadStart()).run("hi");
  const messages = result.items.filter((i): i is AgentMessageItem => i.type === "agentMessage");
  assertEquals(messages.map((m) => m.moderation?.display), [
    legacy,
    { mode: "block", version: 1, reason: { kind: "cyber" } },
  ]);
  const modes = messages.map((m) =>
    m.moderation?.display && agentMessageDisplayMode(m.moderation.display)
  );
  assertEquals(modes, ["hide", "block"]);
});
