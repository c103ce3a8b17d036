/**
 * Writes an executable wrapper that starts the fake app-server (`bench/fake/flood_app_server.ts`)
 * with this Deno, so it can be passed as `codexPath` (the SDK spawns `<codexPath> app-server …`).
 *
 * @module
 */

/** A temporary executable; remove it with `cleanup()`. */
export interface FakeCommand extends AsyncDisposable {
  /** Path of the executable script. */
  path: string;
  /** Removes the script's directory. */
  cleanup(): Promise<void>;
}

/**
 * Creates the wrapper script.
 *
 * @example
 * ```ts ignore
 * import { fakeAppServerCommand } from "./fake_command.ts";
 * await using fake = await fakeAppServerCommand();
 * console.log(fake.path);
 * ```
 */
export async function fakeAppServerCommand(): Promise<FakeCommand> {
  const dir = await Deno.makeTempDir({ prefix: "codex_bench_" });
  const path = `${dir}/fake-codex`;
  const script = new URL("../fake/flood_app_server.ts", import.meta.url).pathname;
  await Deno.writeTextFile(
    path,
    `#!/bin/sh\nexec "${Deno.execPath()}" run --quiet --allow-read "${script}" "$@"\n`,
  );
  await Deno.chmod(path, 0o755);
  const cleanup = () => Deno.remove(dir, { recursive: true }).catch(() => {});
  return { path, cleanup, [Symbol.asyncDispose]: cleanup };
}
