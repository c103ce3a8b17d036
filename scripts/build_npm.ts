/**
 * `deno task build:npm`: builds the npm package `@codex-worker/sdk` for Node into `dist/npm/`
 * from the same sources. esbuild bundles one ESM module per export (shared code in common chunks,
 * so a class is one class across exports), with the Node runtime adapter swapped in for
 * `src/runtime/current.ts`; TypeScript writes the `.d.ts` files. Packages stay external and
 * become the package's dependencies, at the versions `deno.json` pins (`@openai/codex` brings
 * the app-server binary). `npm pack` in `dist/npm/` makes the tarball.
 *
 * @module
 */
import * as esbuild from "esbuild";
import ts from "typescript";

const root = new URL("../", import.meta.url);
const path = (relative: string) => new URL(relative, root).pathname;
const OUT = path("dist/npm/");

/** Each export's name in the package, and its source. */
export const ENTRIES: Record<string, string> = {
  mod: "mod.ts",
  testing: "src/testing/mod.ts",
  chat_adapter: "src/chat_adapter/mod.ts",
  chat_adapter_testing: "src/chat_adapter/testing/mod.ts",
  bridge: "src/bridge/mod.ts",
  bridge_cli: "src/bridge/cli.ts",
  codex_worker: "worker/codex_worker.ts",
};
/** The package's exports (`exports` in package.json) and the entry each one is. */
export const EXPORTS: Record<string, string> = {
  ".": "mod",
  "./testing": "testing",
  "./chat-adapter": "chat_adapter",
  "./chat-adapter/testing": "chat_adapter_testing",
  "./bridge": "bridge",
};
/** Bundled in, not a dependency: eventsource-parser 4 declares Node >= 22.12 (it runs on 20). */
const BUNDLED = new Set(["eventsource-parser"]);
const WORKER_SOURCE = '"../../worker/codex_worker.ts"';

/** The Node adapter instead of `current.ts`, and the bundled Worker entry's URL. */
const nodeRuntimePlugin: esbuild.Plugin = {
  name: "node-runtime",
  setup(build) {
    build.onResolve({ filter: /\/current\.ts$/ }, (args) => {
      const resolved = new URL(args.path, `file://${args.resolveDir}/`).pathname;
      if (resolved !== path("src/runtime/current.ts")) return undefined;
      return { path: path("src/runtime/current_node.ts") };
    });
    build.onLoad({ filter: /\/src\/runtime\/node_worker\.ts$/ }, async (args) => {
      const source = await Deno.readTextFile(args.path);
      if (!source.includes(WORKER_SOURCE)) throw new Error(`${WORKER_SOURCE} not in node_worker`);
      return { contents: source.replace(WORKER_SOURCE, '"./codex_worker.mjs"'), loader: "ts" };
    });
  },
};

async function bundle(external: string[]): Promise<void> {
  const result = await esbuild.build({
    absWorkingDir: path("."),
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([k, v]) => [k, path(v)])),
    outdir: OUT,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    outExtension: { ".js": ".mjs" },
    chunkNames: "chunk-[hash]",
    external: [...external, "node:*"],
    plugins: [nodeRuntimePlugin],
    logLevel: "warning",
  });
  if (result.errors.length > 0) throw new Error("esbuild failed");
}

/** Writes `.d.ts` files under `dist/npm/types/`, import paths ending in `.js`. */
async function declarations(): Promise<number> {
  const options: ts.CompilerOptions = {
    declaration: true,
    emitDeclarationOnly: true,
    allowImportingTsExtensions: true,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    lib: ["lib.es2023.d.ts", "lib.esnext.disposable.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"],
    types: [],
    strict: true,
    skipLibCheck: true,
    rootDir: path("."),
    outDir: `${OUT}types`,
  };
  const sources = Object.entries(ENTRIES).filter(([k]) => Object.values(EXPORTS).includes(k));
  const program = ts.createProgram(sources.map(([, v]) => path(v)), options);
  const emitted = program.emit();
  if (emitted.emitSkipped) throw new Error("TypeScript emitted no declarations");
  let files = 0;
  for await (const file of walk(`${OUT}types`)) {
    const text = await Deno.readTextFile(file);
    // `./x.ts` becomes `./x.js`, which TypeScript maps to `./x.d.ts` in every resolution mode.
    const fixed = text.replace(/((?:from|import\()\s*["']\.{1,2}\/[^"']*)\.ts(["'])/g, "$1.js$2");
    await Deno.writeTextFile(file, fixed);
    files++;
  }
  return files;
}

async function* walk(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const full = `${dir}/${entry.name}`;
    if (entry.isDirectory) yield* walk(full);
    else if (entry.name.endsWith(".d.ts")) yield full;
  }
}

/** `deno.json`, and the npm packages it pins (name → version, the first alias wins). */
async function denoJson(): Promise<{ deno: Record<string, unknown>; pins: Map<string, string> }> {
  const deno = JSON.parse(await Deno.readTextFile(path("deno.json")));
  const pins = new Map<string, string>();
  for (const spec of Object.values(deno.imports as Record<string, string>)) {
    const match = /^npm:((?:@[^/]+\/)?[^@]+)@(.+)$/.exec(spec);
    if (match && !pins.has(match[1])) pins.set(match[1], match[2]);
  }
  return { deno, pins };
}

/** `package.json`: exports, bin, and the packages the bundles import at `deno.json`'s pins. */
async function packageJson(): Promise<Record<string, unknown>> {
  const { deno, pins } = await denoJson();
  const bundles: string[] = [];
  for await (const entry of Deno.readDir(OUT)) {
    if (entry.name.endsWith(".mjs")) bundles.push(await Deno.readTextFile(`${OUT}${entry.name}`));
  }
  const imported = new Set<string>(["@openai/codex"]);
  for (const text of bundles) {
    for (const [, name] of text.matchAll(/from\s*"((?:@[^/"]+\/)?[^/"]+)[^"]*"/g)) {
      if (!name.startsWith("node:") && !name.startsWith(".")) imported.add(name);
    }
  }
  const dependencies: Record<string, string> = {};
  for (const name of [...imported].sort()) {
    const version = pins.get(name);
    if (!version) throw new Error(`${name} is imported but not pinned in deno.json`);
    dependencies[name] = version;
  }
  const exports: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(EXPORTS)) {
    const source = ENTRIES[name].replace(/\.ts$/, ".d.ts");
    exports[key] = { types: `./types/${source}`, default: `./${name}.mjs` };
  }
  return {
    name: deno.name,
    version: deno.version,
    description: "TypeScript SDK for the OpenAI Codex app-server, its router in a worker thread",
    license: deno.license,
    type: "module",
    engines: { node: ">=20" },
    exports,
    types: "./types/mod.d.ts",
    bin: { "codex-worker-bridge": "./bin/codex_worker_bridge.mjs" },
    files: ["*.mjs", "bin/", "types/", "README.md"],
    dependencies,
  };
}

const README = `# @codex-worker/sdk

TypeScript SDK for the OpenAI Codex app-server (Node 20+, Deno, browsers). On Node the router
runs in a worker thread; the app-server binary comes with the \`@openai/codex\` dependency.

\`\`\`js
import { Codex } from "@codex-worker/sdk";
await using codex = await Codex.connect();
const thread = await codex.threadStart({});
console.log((await thread.run("Say hi")).finalResponse);
\`\`\`

Exports: \`@codex-worker/sdk\`, \`@codex-worker/sdk/testing\` (offline model server,
\`writeCodexHome\`), \`@codex-worker/sdk/chat-adapter\`, \`@codex-worker/sdk/bridge\`; the
\`codex-worker-bridge\` command serves the browser bridge.
`;

const BIN = `#!/usr/bin/env node
import { runBridgeCli } from "../bridge_cli.mjs";
await runBridgeCli(process.argv.slice(2));
`;

/**
 * Builds the package into `dist/npm/`; returns its folder.
 *
 * @example
 * ```ts ignore
 * import { buildNpm } from "./build_npm.ts";
 * console.log(await buildNpm()); // …/dist/npm/
 * ```
 */
export async function buildNpm(): Promise<string> {
  await Deno.remove(OUT, { recursive: true }).catch(() => {});
  const { pins } = await denoJson();
  await bundle([...pins.keys()].filter((name) => !BUNDLED.has(name)));
  const declared = await declarations();
  await Deno.mkdir(`${OUT}bin`, { recursive: true });
  await Deno.writeTextFile(`${OUT}bin/codex_worker_bridge.mjs`, BIN, { mode: 0o755 });
  await Deno.writeTextFile(`${OUT}README.md`, README);
  const pkg = await packageJson();
  await Deno.writeTextFile(`${OUT}package.json`, JSON.stringify(pkg, null, 2) + "\n");
  await esbuild.stop();
  console.log(`dist/npm/: ${pkg.name}@${pkg.version}, ${declared} declaration files`);
  return OUT;
}

if (import.meta.main) await buildNpm();
