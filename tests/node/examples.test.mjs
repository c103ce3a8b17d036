/**
 * The examples that use no Deno API, bundled against the installed package, run on Node: each
 * exits 0 and prints what it prints on Deno (`examples.json`, shared with the Deno test).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const dir = fileURLToPath(new URL("../examples/", import.meta.url));
const bundled = JSON.parse(readFileSync(`${dir}index.json`, "utf8"));
const expected = JSON.parse(readFileSync(new URL("./examples.json", import.meta.url), "utf8"));

/** Runs an example with `stdin`; resolves with its exit code and everything it printed. */
function runExample(file, stdin) {
  const child = spawn(process.execPath, [`${dir}${file.replace(/\.ts$/, ".mjs")}`], {
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (text) => out += text);
  child.stderr.setEncoding("utf8").on("data", (text) => out += text);
  child.stdin.end(stdin ?? "");
  return new Promise((resolve) => child.once("close", (code) => resolve({ code, out })));
}

test("every example that runs on Node is bundled and has an expected output", () => {
  const listed = new Set(expected.examples.map((e) => e.file));
  assert.ok(bundled.length >= 10, `examples bundled for Node: ${bundled.join(", ")}`);
  for (const file of bundled) assert.ok(listed.has(file), `${file} has no expected output`);
});

for (const example of expected.examples.filter((e) => bundled.includes(e.file))) {
  test(`examples/${example.file} runs on Node`, async () => {
    const { code, out } = await runExample(example.file, example.stdin);
    assert.equal(code, 0, `exited with ${code}:\n${out}`);
    if (example.match !== undefined) assert.match(out, new RegExp(example.match));
    else assert.ok(out.includes(example.includes), `did not print ${example.includes}:\n${out}`);
  });
}
