import { TransportClosedError } from "../errors/errors.ts";
import { runtime } from "../runtime/current.ts";
import type { ChildProcess, ProcessSignal } from "../runtime/runtime.ts";
import { LineBuffer } from "./line_splitter.ts";
import { StderrTail } from "./stderr_tail.ts";
import type { Transport, TransportHandlers } from "./transport.ts";

/** How to spawn `codex app-server` on stdio. */
export interface StdioTransportOptions {
  /** The codex binary. */
  command: string;
  /** Arguments, e.g. `["app-server", "-c", "model=\"x\""]`. */
  args: readonly string[];
  /** Extra environment variables (merged over the parent's). */
  env?: Record<string, string>;
  /** The child's working directory. */
  cwd?: string;
  /** Strings to redact from the stderr tail (API keys passed in `env`). */
  secrets?: readonly string[];
}

/**
 * Spawns `codex app-server` and speaks newline-delimited JSON over its stdin/stdout. Keeps a
 * redacted tail of stderr for error messages.
 *
 * @example Spawn the pinned app-server and read its answer to `initialize`
 * ```ts
 * import { StdioTransport } from "./stdio_transport.ts";
 * import { resolveCodexBinary } from "./codex_binary.ts";
 * import { writeCodexHome } from "../testing/mod.ts";
 * await using home = await writeCodexHome({ modelServerUrl: "http://127.0.0.1:9/v1" });
 * const env = { CODEX_HOME: home.dir };
 * const t = new StdioTransport({ command: resolveCodexBinary(), args: ["app-server"], env });
 * const answer = Promise.withResolvers<string>();
 * await t.start({ onMessage: answer.resolve, onClose: () => {} });
 * const clientInfo = { name: "doc", title: null, version: "0" };
 * t.send(JSON.stringify({ id: 1, method: "initialize", params: { clientInfo } }));
 * const { result } = JSON.parse(await answer.promise);
 * await t.close();
 * if (!result.userAgent) throw new Error("initialize answered without a userAgent");
 * ```
 */
export class StdioTransport implements Transport {
  readonly #options: StdioTransportOptions;
  readonly #tail: StderrTail;
  readonly #spawned: Promise<ChildProcess> | undefined;
  #spawning: Promise<ChildProcess> | undefined;
  #child: ChildProcess | undefined;
  #handlers: TransportHandlers | undefined;
  #closed = false;
  #closeReported = false;
  #done: Promise<void> | undefined;

  /**
   * Creates the transport; nothing is spawned until `start()`, unless `spawned` is the process
   * already spawned from `options` (a Worker spawns it before it loads the router): `start()`
   * then adopts it, and `close()` reaps it even if `start()` never ran.
   */
  constructor(options: StdioTransportOptions, spawned?: Promise<ChildProcess>) {
    this.#options = options;
    this.#tail = new StderrTail(60, options.secrets ?? []);
    this.#spawned = spawned;
  }

  /** The child's process id, once started. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Spawns the process; rejects with `TransportClosedError` when it cannot start. */
  async start(handlers: TransportHandlers): Promise<void> {
    this.#handlers = handlers;
    let child: ChildProcess;
    try {
      child = await this.#spawn();
    } catch (err) {
      this.#closed = true;
      throw new TransportClosedError(
        `Could not start ${this.#options.command}: ${(err as Error).message}`,
        "",
        err,
      );
    }
    if (this.#closed) { // close() ran while it was spawning, and reaps it
      throw new TransportClosedError("The app-server connection was closed while starting");
    }
    this.#child = child;
    const stdout = this.#readStdout(child);
    const stderr = this.#readStderr(child);
    this.#done = Promise.all([stdout, stderr, child.status]).then(([, , status]) => {
      const how = status.signal
        ? `was killed by ${status.signal}`
        : `exited with code ${status.code}`;
      this.#reportClose(new TransportClosedError(`codex app-server ${how}`, this.#tail.text()));
    }, (err) => {
      this.#reportClose(
        new TransportClosedError("codex app-server failed", this.#tail.text(), err),
      );
    });
  }

  /** Writes one line. */
  send(text: string): void {
    if (this.#closed || !this.#child) {
      throw new TransportClosedError("The app-server connection is closed", this.#tail.text());
    }
    this.#child.write(text + "\n");
  }

  /** Closes stdin, waits briefly for a clean exit, then kills the process. */
  async close(): Promise<void> {
    if (!this.#child) {
      this.#closed = true;
      if (this.#spawned || this.#spawning) {
        const child = await this.#spawn().catch(() => undefined);
        if (child && !this.#child) await reap(child);
      }
      return;
    }
    if (!this.#closed) {
      this.#closed = true;
      await this.#child.closeStdin();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const exited = await Promise.race([
        this.#child.status.then(() => true),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), 2000);
        }),
      ]);
      clearTimeout(timer);
      if (!exited) this.#child.kill("SIGKILL");
    }
    await this.#done;
  }

  /** Kills the process at once (for tests and emergencies). */
  kill(signal: ProcessSignal = "SIGKILL"): void {
    this.#child?.kill(signal);
  }

  /** The redacted stderr tail. */
  stderrTail(): string {
    return this.#tail.text();
  }

  #spawn(): Promise<ChildProcess> {
    const { command, args, env, cwd } = this.#options;
    this.#spawning ??= this.#spawned ?? runtime.spawn({ command, args, env, cwd });
    return this.#spawning;
  }

  async #readStdout(child: ChildProcess): Promise<void> {
    const buffer = new LineBuffer();
    const deliver = (line: string) => {
      if (line.length > 0) this.#handlers?.onMessage(line);
    };
    // All lines of one chunk are delivered in the same task (see LineBuffer).
    for await (const text of child.stdout) {
      for (const line of buffer.push(text)) deliver(line);
    }
    const last = buffer.flush();
    if (last !== undefined) deliver(last);
  }

  async #readStderr(child: ChildProcess): Promise<void> {
    for await (const text of child.stderr) {
      this.#tail.push(text);
    }
  }

  #reportClose(error: TransportClosedError): void {
    this.#closed = true;
    if (this.#closeReported) return;
    this.#closeReported = true;
    this.#handlers?.onClose(error);
  }
}

/** Kills a process nobody reads and waits until it and its pipes are gone. */
async function reap(child: ChildProcess): Promise<void> {
  child.kill("SIGKILL");
  const drain = async (stream: AsyncIterable<string>) => {
    for await (const _ of stream) { /* discard */ }
  };
  await Promise.all([drain(child.stdout), drain(child.stderr), child.status]);
}
