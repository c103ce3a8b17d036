/**
 * A fresh Node project with the freshly built `@codex-worker/sdk` tarball installed, as a user
 * would have it (used by `test_node.ts` and the Node benchmark).
 *
 * @module
 */
import { buildNpm } from "./build_npm.ts";

/**
 * Runs `cmd` in `cwd` (stdout shown unless `quiet`); resolves with its exit code.
 *
 * @example
 * ```ts ignore
 * import { run } from "./npm_project.ts";
 * await run(["node", "--version"], ".");
 * ```
 */
export async function run(cmd: string[], cwd: string, quiet = false): Promise<number> {
  const { code } = await new Deno.Command(cmd[0], {
    args: cmd.slice(1),
    cwd,
    stdin: "null",
    stdout: quiet ? "null" : "inherit",
    stderr: "inherit",
  }).spawn().status;
  return code;
}

async function must(cmd: string[], cwd: string): Promise<void> {
  if (await run(cmd, cwd, true) !== 0) throw new Error(`failed: ${cmd.join(" ")} (in ${cwd})`);
}

/**
 * Builds and packs the package, and installs the tarball (plus `extra` packages, e.g.
 * `@openai/codex-sdk@0.163.0`) into a new temporary project; returns its folder (remove it).
 *
 * @example
 * ```ts ignore
 * import { installedProject } from "./npm_project.ts";
 * const project = await installedProject();
 * await Deno.remove(project, { recursive: true });
 * ```
 */
export async function installedProject(extra: string[] = []): Promise<string> {
  const dist = await buildNpm();
  const project = await Deno.makeTempDir({ prefix: "codex_worker_node_" });
  try {
    await must(["npm", "pack", "--silent", "--pack-destination", project], dist);
    const tarball = [...Deno.readDirSync(project)].find((e) => e.name.endsWith(".tgz"))!.name;
    await Deno.writeTextFile(`${project}/package.json`, '{ "private": true, "type": "module" }\n');
    const install = ["npm", "install", "--no-audit", "--no-fund", "--silent"];
    await must([...install, `./${tarball}`, ...extra], project);
    return project;
  } catch (err) {
    await Deno.remove(project, { recursive: true }).catch(() => {});
    throw err;
  }
}
