/**
 * Children that die with the SDK's process (Linux). Every process the Deno adapter spawns is
 * started through `setpriv --pdeathsig KILL -- <command> …` (util-linux): the kernel sends the
 * child SIGKILL when the thread that spawned it ends, so a `codex app-server` cannot outlive a
 * process killed by SIGKILL, or a signal it does not handle. This matters most for
 * `--listen ws://` app-servers, which, unlike stdio ones, do not notice that their parent is gone.
 *
 * The spawning thread is the one whose JavaScript called spawn: the main thread, or the Worker
 * that runs the router. A Worker's thread lives until the Worker is terminated, which the SDK
 * does only once the connection is closed.
 *
 * Falls back to a plain spawn when `setpriv` is missing (not Linux, no util-linux), lacks
 * `--pdeathsig` (util-linux before 2.33), or may not be run or read under Deno's permissions, or
 * when the command itself cannot be found (so that Deno reports that as before).
 *
 * @module
 */

const SETPRIV_PATHS = ["/usr/bin/setpriv", "/bin/setpriv"];

let setprivProbe: Promise<string | undefined> | undefined;

/**
 * The command line that spawns `command` so that it dies with this process's spawning thread,
 * or `command` and `args` unchanged where that is not available.
 *
 * @example
 * ```ts
 * import { dieWithParent } from "./deno_parent_death.ts";
 * const spawn = await dieWithParent("sleep", ["1"], undefined);
 * if (Deno.build.os !== "linux" && spawn.command !== "sleep") throw new Error("unexpected");
 * ```
 */
export async function dieWithParent(
  command: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> | undefined,
): Promise<{ command: string; args: readonly string[] }> {
  const setpriv = await (setprivProbe ??= probeSetpriv());
  if (!setpriv || !resolvable(command, env?.PATH ?? readEnv("PATH"))) return { command, args };
  return { command: setpriv, args: ["--pdeathsig", "KILL", "--", command, ...args] };
}

async function probeSetpriv(): Promise<string | undefined> {
  if (Deno.build.os !== "linux") return undefined;
  const path = SETPRIV_PATHS.find((p) => granted({ name: "run", command: p }) && executable(p));
  if (!path) return undefined;
  try {
    const probe = await new Deno.Command(path, {
      args: ["--pdeathsig", "KILL", "--", "true"],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).output();
    return probe.success ? path : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `command` names an executable file, as such or found on `path`. */
function resolvable(command: string, path: string | undefined): boolean {
  if (command.includes("/")) return executable(command);
  return (path ?? "").split(":").some((dir) => dir !== "" && executable(`${dir}/${command}`));
}

function executable(path: string): boolean {
  if (!granted({ name: "read", path })) return false;
  try {
    const info = Deno.statSync(path);
    return info.isFile && ((info.mode ?? 0) & 0o111) !== 0;
  } catch {
    return false;
  }
}

function readEnv(name: string): string | undefined {
  return granted({ name: "env", variable: name }) ? Deno.env.get(name) : undefined;
}

/** Asks without prompting: an ungranted permission means "no wrapper", never a prompt. */
function granted(descriptor: Deno.PermissionDescriptor): boolean {
  return Deno.permissions.querySync(descriptor).state === "granted";
}
