/**
 * The examples as the package's users would write them: each `examples/*.ts` that uses no Deno
 * API is bundled for Node with its imports of the SDK's entry points (`../mod.ts`,
 * `../src/testing/mod.ts`, ...) turned into imports of the installed package
 * (`@codex-worker/sdk`, `@codex-worker/sdk/testing`, ...). `deno task test:node` runs them.
 *
 * @module
 */
import * as esbuild from "esbuild";
import { ENTRIES, EXPORTS } from "./build_npm.ts";

const root = new URL("../", import.meta.url).pathname;

/** Repo-relative source of each export → the package specifier that imports it. */
const SPECIFIERS = new Map(
  Object.entries(EXPORTS).map(([key, entry]) => [
    ENTRIES[entry],
    `@codex-worker/sdk${key.slice(1)}`,
  ]),
);

/** Whether an example needs Deno (its code, comments aside, calls `Deno.*`). */
function denoSpecific(source: string): boolean {
  return source.split("\n").some((line) => !/^\s*(\*|\/\/)/.test(line) && /\bDeno\./.test(line));
}

const toPackage: esbuild.Plugin = {
  name: "examples-to-package",
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      const path = new URL(args.path, `file://${args.resolveDir}/`).pathname;
      if (!path.startsWith(root)) return undefined;
      const relative = path.slice(root.length);
      const specifier = SPECIFIERS.get(relative);
      if (specifier) return { path: specifier, external: true };
      if (relative.startsWith("examples/")) return undefined; // its own helpers: bundled
      return { errors: [{ text: `${relative} is not an entry point of the npm package` }] };
    });
  },
};

/**
 * Bundles every example that runs on Node into `outDir` (`<name>.mjs`); returns their file names
 * (`quickstart.ts`, ...). Those left out need Deno.
 *
 * @example
 * ```ts ignore
 * import { bundleExamples } from "./npm_examples.ts";
 * console.log(await bundleExamples("/tmp/project/examples"));
 * ```
 */
export async function bundleExamples(outDir: string): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(`${root}examples`)) {
    if (!entry.name.endsWith(".ts") || entry.name.startsWith("_")) continue;
    if (denoSpecific(await Deno.readTextFile(`${root}examples/${entry.name}`))) continue;
    files.push(entry.name);
  }
  files.sort();
  await esbuild.build({
    entryPoints: files.map((file) => `${root}examples/${file}`),
    outdir: outDir,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    outExtension: { ".js": ".mjs" },
    packages: "external",
    plugins: [toPackage],
    logLevel: "warning",
  });
  await esbuild.stop();
  return files;
}
