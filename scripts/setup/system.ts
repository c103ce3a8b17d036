/**
 * {@link System}: what a set-up step may do to the machine, as one small adapter. The real one
 * ({@link hostSystem}) finds commands on `PATH` and runs them; a test points `PATH` at fake
 * commands to drive every branch.
 *
 * @module
 */

/** The machine as the set-up steps see it. */
export interface System {
  /** The value of an environment variable. */
  env(name: string): string | undefined;
  /** The absolute path of `name` on `PATH`, or `undefined`. */
  which(name: string): string | undefined;
  /** Whether `path` is an existing file. */
  isFile(path: string): boolean;
  /** Runs a command with inherited output; resolves with its exit code (127: not found). */
  run(command: string, args: readonly string[]): Promise<number>;
  /** Runs a command quietly; resolves with its exit code and trimmed stdout. */
  read(command: string, args: readonly string[]): Promise<{ code: number; stdout: string }>;
  /** Prints a progress line. */
  log(line: string): void;
}

/** The real machine (`Deno.Command`, `Deno.statSync`, `PATH`). */
export function hostSystem(): System {
  const isFile = (path: string) => {
    try {
      return Deno.statSync(path).isFile;
    } catch {
      return false;
    }
  };
  const spawn = async (command: string, args: readonly string[], quiet: boolean) => {
    try {
      const out = await new Deno.Command(command, {
        args: [...args],
        stdin: "null",
        stdout: quiet ? "piped" : "inherit",
        stderr: quiet ? "null" : "inherit",
      }).output();
      return { code: out.code, stdout: quiet ? new TextDecoder().decode(out.stdout).trim() : "" };
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return { code: 127, stdout: "" };
      throw err;
    }
  };
  return {
    env: (name) => Deno.env.get(name),
    which: (name) => {
      for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
        if (dir && isFile(`${dir}/${name}`)) return `${dir}/${name}`;
      }
      return undefined;
    },
    isFile,
    run: async (command, args) => (await spawn(command, args, false)).code,
    read: (command, args) => spawn(command, args, true),
    log: (line) => console.error(`setup: ${line}`),
  };
}
