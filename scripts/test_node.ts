/**
 * `deno task test:node`: the Node tests, against the package as a user gets it. Builds
 * `dist/npm/`, packs it, installs the tarball into a fresh project, copies `tests/node/` there
 * with the examples that run on Node (bundled against the package, `npm_examples.ts`) and runs
 * `node --test` (TAP, whose `# pass N` / `# fail N` lines `.ci/run` counts) under the
 * machine's Node (20) and under Node 24 (`npx -y node@24`). Exits non-zero when a run fails.
 *
 * @module
 */
import { bundleExamples } from "./npm_examples.ts";
import { installedProject, run } from "./npm_project.ts";

const NODES: Array<{ name: string; command: string[] }> = [
  { name: "node (machine)", command: ["node"] },
  { name: "node 24", command: ["npx", "-y", "node@24"] },
];
const TESTS = new URL("../tests/node/", import.meta.url).pathname;
const EXPECTED = new URL("../tests/support/examples.json", import.meta.url).pathname;

/** For tests/node/types.test.mjs: TypeScript at deno.json's pin, and Node 20's types. */
async function typeCheckers(): Promise<string[]> {
  const deno = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url)));
  return [(deno.imports.typescript as string).replace(/^npm:/, ""), "@types/node@20.19.43"];
}

const project = await installedProject(await typeCheckers());
try {
  await Deno.mkdir(`${project}/tests`);
  const files: string[] = [];
  for (const entry of Deno.readDirSync(TESTS)) {
    if (!entry.name.endsWith(".mjs")) continue;
    await Deno.copyFile(`${TESTS}${entry.name}`, `${project}/tests/${entry.name}`);
    if (entry.name.endsWith(".test.mjs")) files.push(`tests/${entry.name}`);
  }
  await Deno.copyFile(EXPECTED, `${project}/tests/examples.json`);
  const examples = await bundleExamples(`${project}/examples`);
  await Deno.writeTextFile(`${project}/examples/index.json`, JSON.stringify(examples));
  let failed = 0;
  for (const node of NODES) {
    console.log(`# ${node.name}: node --test ${files.join(" ")}`);
    // The timeout only stops a hung test (it then fails); nothing is asserted on time.
    const args = ["--test", "--test-reporter=tap", "--test-timeout=180000", ...files.sort()];
    if (await run([...node.command, ...args], project) !== 0) failed++;
  }
  if (failed > 0) Deno.exitCode = 1;
} finally {
  await Deno.remove(project, { recursive: true }).catch(() => {});
}
