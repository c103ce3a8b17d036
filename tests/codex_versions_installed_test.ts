/**
 * Both ends of the supported window are installed by `deno install` and reachable: the pin as
 * `@openai/codex`, the oldest release through the `@openai/codex-oldest` alias, and the test
 * task that runs the real-app-server tests against the oldest names the same release.
 */
import { assert, assertEquals } from "./support/assert.ts";
import { CODEX_VERSION_WINDOW, PINNED_CODEX_VERSION } from "../src/protocol/mod.ts";
import {
  CODEX_VERSION_ENV,
  CodexBinaryNotFoundError,
  resolveCodexBinary,
} from "../src/transport/codex_binary.ts";

const REPO_ROOT = new URL("../", import.meta.url);
const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", REPO_ROOT)));

async function versionOf(bin: string): Promise<string> {
  const out = await new Deno.Command(bin, { args: ["--version"], stdout: "piped" }).output();
  return new TextDecoder().decode(out.stdout).trim();
}

Deno.test("deno.json installs the window's oldest release under @openai/codex-oldest", () => {
  assertEquals(
    config.imports?.["@openai/codex-oldest"],
    `npm:@openai/codex@${CODEX_VERSION_WINDOW.oldest}`,
  );
  assertEquals(CODEX_VERSION_WINDOW.newest, PINNED_CODEX_VERSION);
});

Deno.test("test:oldest runs the suite against the window's oldest release", () => {
  const task = String(config.tasks?.["test:oldest"] ?? "");
  assert(task.startsWith(`${CODEX_VERSION_ENV}=${CODEX_VERSION_WINDOW.oldest} `), task);
  assert(String(config.tasks?.test).includes("deno task test:oldest"), "part of deno task test");
});

Deno.test("resolveCodexBinary finds each end of the window by version", async () => {
  for (const version of [CODEX_VERSION_WINDOW.oldest, CODEX_VERSION_WINDOW.newest]) {
    assertEquals(await versionOf(resolveCodexBinary(undefined, version)), `codex-cli ${version}`);
  }
});

Deno.test("a release that is not installed is refused with the package to install", () => {
  try {
    resolveCodexBinary(undefined, "0.1.0");
  } catch (err) {
    if (!(err instanceof CodexBinaryNotFoundError)) throw err;
    assert(err.message.includes("npm:@openai/codex@0.1.0"), err.message);
    return;
  }
  throw new Error("expected CodexBinaryNotFoundError");
});

Deno.test("CODEX_WORKER_CODEX_VERSION picks the binary the SDK spawns by default", async () => {
  const script = `import { resolveCodexBinary } from "${new URL(
    "src/transport/codex_binary.ts",
    REPO_ROOT,
  )}"; console.log(resolveCodexBinary());`;
  const run = async (env: Record<string, string>) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["eval", script],
      env,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.success ? out.stdout : out.stderr).trim();
    return out.success ? await versionOf(text) : text;
  };
  assertEquals(
    await run({ [CODEX_VERSION_ENV]: CODEX_VERSION_WINDOW.oldest }),
    `codex-cli ${CODEX_VERSION_WINDOW.oldest}`,
  );
  assertEquals(await run({ [CODEX_VERSION_ENV]: "" }), `codex-cli ${PINNED_CODEX_VERSION}`);
  assert((await run({ [CODEX_VERSION_ENV]: "latest" })).includes("is not a version"));
});
