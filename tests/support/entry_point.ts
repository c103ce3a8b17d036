/**
 * Runs an entry point (`deno run … <program>`) as a process, as a supervisor does: wait for its
 * ready line, then signal it. Used by the signal and process-lifetime tests.
 */
import { codexProcesses, processMarker } from "./processes.ts";

/** An entry point to start: `deno <args>`, ready once a stdout line matches `ready`. */
export interface EntryPoint {
  /** Shown in test names. */
  readonly name: string;
  /** Arguments of `deno` (e.g. `["run", "-A", "src/bridge/main.ts", "--port", "0"]`). */
  readonly args: readonly string[];
  /** What the ready line looks like. */
  readonly ready: RegExp;
  /** A launcher to start it through: `[command, ...args]`, the `deno` command line appended. */
  readonly via?: readonly string[];
}

/** A started entry point, past its ready line. */
export interface StartedEntryPoint {
  /** The Deno process (or its launcher). */
  readonly process: Deno.ChildProcess;
  /** The marker its app-servers carry (see {@link codexProcesses}). */
  readonly marker: string;
  /** Everything it printed on stdout and stderr so far (for failure messages). */
  output(): string;
}

/** Starts `entry` and resolves once it printed its ready line (rejects if it exits first). */
export async function startEntryPoint(entry: EntryPoint): Promise<StartedEntryPoint> {
  const { marker, env } = processMarker();
  const [command, ...args] = [...entry.via ?? [], Deno.execPath(), ...entry.args];
  const process = new Deno.Command(command, {
    args,
    env: { ...env, NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let seen = "";
  const collect = async (stream: ReadableStream<Uint8Array<ArrayBuffer>>, onText?: () => void) => {
    for await (const text of stream.pipeThrough(new TextDecoderStream())) {
      seen += text;
      onText?.();
    }
  };
  const ready = new Promise<void>((resolve, reject) => {
    collect(process.stdout, () => entry.ready.test(seen) && resolve()).then(
      () => reject(new Error(`${entry.name} closed stdout before its ready line:\n${seen}`)),
      reject,
    );
  });
  collect(process.stderr).catch(() => {});
  try {
    await ready;
  } catch (err) {
    try {
      process.kill("SIGKILL");
    } catch { /* already gone */ }
    await process.status;
    throw err;
  }
  return { process, marker, output: () => seen };
}

/**
 * Starts `entry`, sends `signal` the moment its ready line arrives, and resolves with how it
 * ended and the marked `codex` processes still alive right after it exited.
 */
export async function signalAfterReady(
  entry: EntryPoint,
  signal: Deno.Signal,
): Promise<{ status: Deno.CommandStatus; leftovers: number[]; output: string }> {
  const started = await startEntryPoint(entry);
  started.process.kill(signal);
  const status = await started.process.status;
  const leftovers = await codexProcesses(started.marker);
  for (const pid of leftovers) Deno.kill(pid, "SIGKILL");
  return { status, leftovers, output: started.output() };
}

/** Runs `task` `times` times, `concurrency` at a time; resolves with the results in order. */
export async function repeat<T>(
  times: number,
  concurrency: number,
  task: (index: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = [];
  for (let first = 0; first < times; first += concurrency) {
    const batch = Array.from(
      { length: Math.min(concurrency, times - first) },
      (_, i) => task(first + i),
    );
    results.push(...await Promise.all(batch));
  }
  return results;
}
