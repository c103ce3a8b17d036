import { runtime } from "../runtime/current.ts";

/**
 * What local members share, from one source the user names: these files of `from` (default
 * `auth.json` and `config.toml`) are copied into each local member's `CODEX_HOME` before it
 * starts, private to the user (mode 0600), replacing the member's own; a file missing from the
 * source is skipped. Nothing else is shared: each member keeps its own threads, sessions and
 * logs. The files' contents are never logged nor put in an error.
 *
 * @example
 * ```ts
 * import type { SharedHome } from "./shared_home.ts";
 * const shared: SharedHome = { from: "/home/me/.codex" }; // the user's login and config
 * console.assert(shared.files === undefined);
 * ```
 */
export interface SharedHome {
  /** The source `CODEX_HOME` (for example the user's `~/.codex`). */
  from: string;
  /** File names to copy (default `["auth.json", "config.toml"]`). */
  files?: string[];
}

/**
 * Copies the shared files into `codexHome` (created if missing); returns the names copied.
 *
 * @example
 * ```ts
 * import { prepareMemberHome } from "./shared_home.ts";
 * import { runtime } from "../runtime/current.ts";
 * const from = await runtime.fs.makeTempDir();
 * const to = await runtime.fs.makeTempDir();
 * await runtime.fs.writeTextFile(`${from}/auth.json`, "{}");
 * const copied = await prepareMemberHome({ from }, to);
 * if (copied.join() !== "auth.json" || !runtime.fs.isFile(`${to}/auth.json`)) throw new Error();
 * await runtime.fs.remove(from);
 * await runtime.fs.remove(to);
 * ```
 */
export async function prepareMemberHome(shared: SharedHome, codexHome: string): Promise<string[]> {
  await runtime.fs.mkdir(codexHome);
  const copied: string[] = [];
  for (const name of shared.files ?? ["auth.json", "config.toml"]) {
    if (name.includes("/") || name.includes("\\") || name === "..") {
      throw new TypeError(`A shared file is a name inside CODEX_HOME, got ${name}`);
    }
    const source = `${shared.from}/${name}`;
    if (!runtime.fs.isFile(source)) continue;
    const text = new TextDecoder().decode(await runtime.fs.readFile(source));
    await runtime.fs.writeTextFile(`${codexHome}/${name}`, text, { mode: 0o600 });
    copied.push(name);
  }
  return copied;
}
