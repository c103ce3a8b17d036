/**
 * `scripts/setup.ts` as the test command runs it, on a `PATH` of fake commands (`id`, `sudo`,
 * `apt-get`) that record how they were called: it installs Chromium only when it is missing and
 * the user may install packages, and otherwise stops at once with the command to run.
 *
 * @module
 */
import { assert, assertEquals } from "../support/assert.ts";

const SETUP = new URL("../../scripts/setup.ts", import.meta.url).pathname;

interface FakeMachine {
  /** What `id -u` prints. */
  uid: number;
  /** Whether `sudo` exists, and whether `sudo -n true` succeeds. */
  sudo?: "none" | "password-less" | "asks-password";
  /** Whether `apt-get` exists. */
  aptGet?: boolean;
  /** The exit code of `apt-get install`. */
  installCode?: number;
  /** Put a `chromium` on PATH before the run. */
  chromium?: boolean;
  /** Extra environment (e.g. `CHROMIUM_PATH`). */
  env?: Record<string, string>;
}

interface SetupRun {
  code: number;
  stderr: string;
  /** Every fake command call, one line each: `apt-get install -y -qq chromium (noninteractive)`. */
  calls: string[];
  /** Whether a `chromium` is on the fake PATH after the run. */
  chromiumAfter: boolean;
}

async function runSetup(machine: FakeMachine): Promise<SetupRun> {
  const bin = await Deno.makeTempDir({ prefix: "codex_worker_setup_" });
  try {
    const log = `${bin}/calls.log`;
    await Deno.writeTextFile(log, "");
    const fake = async (name: string, body: string) => {
      await Deno.writeTextFile(`${bin}/${name}`, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    };
    await fake("id", `echo "id $*" >> ${log}; echo ${machine.uid}`);
    await Deno.symlink("/usr/bin/env", `${bin}/env`);
    if ((machine.sudo ?? "none") !== "none") {
      const allowed = machine.sudo === "password-less" ? 0 : 1;
      await fake(
        "sudo",
        `echo "sudo $*" >> ${log}\n[ "$1" = -n ] || exit 1\nshift\n` +
          `[ "$1" = true ] && exit ${allowed}\n[ ${allowed} = 0 ] || exit 1\nexec "$@"`,
      );
    }
    if (machine.aptGet ?? true) {
      await fake(
        "apt-get",
        `echo "apt-get $* ($DEBIAN_FRONTEND)" >> ${log}\n` +
          `if [ "$1" = install ]; then\n` +
          `  [ ${machine.installCode ?? 0} = 0 ] && printf '#!/bin/sh\\n' > ${bin}/chromium\n` +
          `  exit ${machine.installCode ?? 0}\nfi`,
      );
    }
    if (machine.chromium) await fake("chromium", "exit 0");
    const env: Record<string, string> = { PATH: bin, ...machine.env };
    for (const name of ["HOME", "DENO_DIR"]) {
      const value = Deno.env.get(name);
      if (value) env[name] = value;
    }
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", SETUP],
      clearEnv: true,
      env,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const calls = (await Deno.readTextFile(log)).split("\n").filter((l) =>
      l && !l.startsWith("id ")
    );
    let chromiumAfter = false;
    try {
      chromiumAfter = (await Deno.stat(`${bin}/chromium`)).isFile;
    } catch { /* not there */ }
    return { code: out.code, stderr: new TextDecoder().decode(out.stderr), calls, chromiumAfter };
  } finally {
    await Deno.remove(bin, { recursive: true });
  }
}

const APT_AS_ROOT = [
  "apt-get update -qq (noninteractive)",
  "apt-get install -y -qq chromium (noninteractive)",
];
const MANUAL = "sudo apt-get update && sudo apt-get install -y chromium";

Deno.test("setup finds Chromium on PATH and installs nothing", async () => {
  const run = await runSetup({ uid: 0, chromium: true });
  assertEquals(run.code, 0, run.stderr);
  assertEquals(run.calls, []);
  assert(run.stderr.includes("chromium: /"), run.stderr);
});

Deno.test("setup installs Debian's chromium as root when it is missing", async () => {
  const run = await runSetup({ uid: 0 });
  assertEquals(run.code, 0, run.stderr);
  assertEquals(run.calls, APT_AS_ROOT);
  assert(run.chromiumAfter);
  assert(run.stderr.includes("installing chromium with apt-get"), run.stderr);
});

Deno.test("setup installs chromium through password-less sudo", async () => {
  const run = await runSetup({ uid: 1000, sudo: "password-less" });
  assertEquals(run.code, 0, run.stderr);
  assertEquals(run.calls, [
    "sudo -n true",
    "sudo -n env DEBIAN_FRONTEND=noninteractive apt-get update -qq",
    "apt-get update -qq (noninteractive)",
    "sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium",
    "apt-get install -y -qq chromium (noninteractive)",
  ]);
  assert(run.chromiumAfter);
});

for (const sudo of ["none", "asks-password"] as const) {
  Deno.test(`setup stops at once with the install command when it may not install (sudo: ${sudo})`, async () => {
    const run = await runSetup({ uid: 1000, sudo });
    assertEquals(run.code, 1, run.stderr);
    assertEquals(run.calls, sudo === "none" ? [] : ["sudo -n true"], "nothing was installed");
    assert(run.stderr.includes(MANUAL), run.stderr);
    assert(!run.chromiumAfter);
  });
}

Deno.test("setup stops with the install command when apt-get fails", async () => {
  const run = await runSetup({ uid: 0, installCode: 100 });
  assertEquals(run.code, 1, run.stderr);
  assertEquals(run.calls, APT_AS_ROOT);
  assert(run.stderr.includes(`apt-get install failed; run:\n  ${MANUAL}`), run.stderr);
});

Deno.test("setup without apt-get says what to install instead of guessing", async () => {
  const run = await runSetup({ uid: 0, aptGet: false });
  assertEquals(run.code, 1, run.stderr);
  assertEquals(run.calls, []);
  assert(run.stderr.includes("apt-get is not available: install chromium"), run.stderr);
  assert(run.stderr.includes("CHROMIUM_PATH"), run.stderr);
});

Deno.test("setup takes CHROMIUM_PATH as given and refuses one that does not exist", async () => {
  const given = await runSetup({ uid: 0, env: { CHROMIUM_PATH: "/bin/sh" } });
  assertEquals(given.code, 0, given.stderr);
  assertEquals(given.calls, []);
  assert(given.stderr.includes("chromium: /bin/sh"), given.stderr);
  const missing = await runSetup({ uid: 0, env: { CHROMIUM_PATH: "/nonexistent/chromium" } });
  assertEquals(missing.code, 1, missing.stderr);
  assertEquals(missing.calls, [], "a wrong CHROMIUM_PATH is not papered over by installing");
  assert(missing.stderr.includes("CHROMIUM_PATH=/nonexistent/chromium is not a file"));
});
