/**
 * On Node, as on Deno (`deno_parent_death.ts`, `deno_launchers.ts`): spawned processes die with
 * the thread that spawned them (Linux, `setpriv --pdeathsig KILL`), and a long-running entry
 * point can notice that its launcher exited. Both do nothing where Linux's tools are missing.
 *
 * @module
 */
import { execFile } from "node:child_process";
import { accessSync, constants, readFileSync, statSync } from "node:fs";
import process from "node:process";
import { findLaunchers, launcherGone, parseProcStat, type ProcStat } from "./launcher_watch.ts";

const SETPRIV_PATHS = ["/usr/bin/setpriv", "/bin/setpriv"];
const POLL_MS = 250;

let setprivProbe: Promise<string | undefined> | undefined;

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function resolvable(command: string, path: string | undefined): boolean {
  if (command.includes("/")) return executable(command);
  return (path ?? "").split(":").some((dir) => dir !== "" && executable(`${dir}/${command}`));
}

function probeSetpriv(): Promise<string | undefined> {
  if (process.platform !== "linux") return Promise.resolve(undefined);
  const path = SETPRIV_PATHS.find(executable);
  if (!path) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    execFile(path, ["--pdeathsig", "KILL", "--", "true"], (error) => {
      resolve(error ? undefined : path);
    });
  });
}

/**
 * The command line that spawns `command` so that it dies with the spawning thread, or `command`
 * and `args` unchanged where that is not available (or the command cannot be found, so that
 * spawn reports it as such).
 *
 * @example
 * ```ts
 * import { nodeDieWithParent } from "./node_process_guard.ts";
 * const line = await nodeDieWithParent("sleep", ["1"], undefined);
 * if (line.args.at(-1) !== "1") throw new Error(JSON.stringify(line));
 * ```
 */
export async function nodeDieWithParent(
  command: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> | undefined,
): Promise<{ command: string; args: readonly string[] }> {
  const setpriv = await (setprivProbe ??= probeSetpriv());
  if (!setpriv || !resolvable(command, env?.PATH ?? process.env.PATH)) return { command, args };
  return { command: setpriv, args: ["--pdeathsig", "KILL", "--", command, ...args] };
}

function readStat(pid: number): ProcStat | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return undefined;
  }
}

/**
 * Calls `listener` once, soon after one of this process's launchers (ancestors in its process
 * group) exits; returns a function that stops watching. The watch does not keep Node alive.
 *
 * @example
 * ```ts
 * import { nodeOnLauncherExit } from "./node_process_guard.ts";
 * const stop = nodeOnLauncherExit(() => console.log("launcher gone"));
 * stop();
 * ```
 */
export function nodeOnLauncherExit(listener: () => void): () => void {
  if (process.platform !== "linux") return () => {};
  const launchers = findLaunchers(process.pid, readStat);
  if (launchers.length === 0) return () => {};
  const timer = setInterval(() => {
    if (!launcherGone(launchers, readStat)) return;
    clearInterval(timer);
    listener();
  }, POLL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
