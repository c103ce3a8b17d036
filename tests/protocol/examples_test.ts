import { assert } from "../support/assert.ts";
import expected from "../support/examples.json" with { type: "json" };

/** Every example script, with what its output must contain (shared with the Node tests). */
const EXAMPLES: Array<{ file: string; expect: string | RegExp; stdin?: string }> = expected
  .examples.map((e) => ({
    file: e.file,
    stdin: e.stdin,
    expect: e.match === undefined ? e.includes! : new RegExp(e.match),
  }));

const root = new URL("../../", import.meta.url);

async function runExample(file: string, stdin?: string): Promise<{ code: number; out: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `examples/${file}`],
    cwd: root,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  if (stdin) await writer.write(new TextEncoder().encode(stdin));
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  const decoder = new TextDecoder();
  return { code, out: decoder.decode(stdout) + decoder.decode(stderr) };
}

Deno.test("every example runs offline, exits 0 and prints its expected line", async (t) => {
  // Two at a time: each one spawns an app-server.
  const queue = [...EXAMPLES];
  const results = new Map<string, { code: number; out: string }>();
  await Promise.all([0, 1].map(async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      results.set(next.file, await runExample(next.file, next.stdin));
    }
  }));
  for (const example of EXAMPLES) {
    await t.step(example.file, () => {
      const { code, out } = results.get(example.file)!;
      assert(code === 0, `${example.file} exited with ${code}:\n${out}`);
      const found = typeof example.expect === "string"
        ? out.includes(example.expect)
        : example.expect.test(out);
      assert(found, `${example.file} did not print ${example.expect}:\n${out}`);
    });
  }
});

Deno.test("the example list covers every example script", async () => {
  const listed = new Set(EXAMPLES.map((e) => e.file));
  // The web demo's server is started by the browser end-to-end tests.
  const skipped = new Set(["serve_demo.ts"]);
  for await (const entry of Deno.readDir(new URL("examples/", root))) {
    if (!entry.isFile || !entry.name.endsWith(".ts") || entry.name.startsWith("_")) continue;
    if (skipped.has(entry.name)) continue;
    assert(listed.has(entry.name), `examples/${entry.name} is not run by this test`);
  }
});
