/**
 * Where the shared local app-server daemon listens (`codex app-server daemon start`). Measured on
 * codex 0.171.0: the daemon runs `codex app-server --listen unix:// --managed-daemon` from a copy
 * of the CLI under `$CODEX_HOME/packages/app-server-daemon/`, and its control socket is
 * `$CODEX_HOME/app-server-control/app-server-control.sock` (a symlink into a per-user
 * `codex-daemon-*` folder of the temp dir). `codex app-server proxy` relays stdio to it.
 *
 * @module
 */

/**
 * The daemon's control socket for `codexHome` (default: `$CODEX_HOME`, else `~/.codex`), to pass
 * as `Codex.connect({ socket })`. The daemon must be running (`codex app-server daemon start`).
 *
 * @param codexHome The daemon's `CODEX_HOME`.
 * @returns The socket path.
 * @throws {TypeError} When no `codexHome` is given and neither `CODEX_HOME` nor `HOME` (or
 * `USERPROFILE`) is readable.
 *
 * @example
 * ```ts
 * import { daemonSocketPath } from "./daemon_socket.ts";
 * const path = daemonSocketPath("/srv/codex-home");
 * if (path !== "/srv/codex-home/app-server-control/app-server-control.sock") throw new Error(path);
 * ```
 */
export function daemonSocketPath(codexHome?: string): string {
  const home = codexHome ?? env("CODEX_HOME") ?? userCodexHome();
  return `${home.replace(/[\\/]+$/, "")}/app-server-control/app-server-control.sock`;
}

function userCodexHome(): string {
  const user = env("HOME") ?? env("USERPROFILE");
  if (user === undefined) {
    throw new TypeError("daemonSocketPath: pass codexHome (CODEX_HOME and HOME are not readable)");
  }
  return `${user.replace(/[\\/]+$/, "")}/.codex`;
}

function env(name: string): string | undefined {
  try {
    if (Deno.permissions.querySync({ name: "env", variable: name }).state !== "granted") {
      return undefined;
    }
    return Deno.env.get(name) || undefined;
  } catch {
    return undefined; // no env permission
  }
}
