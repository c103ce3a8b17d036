/**
 * A minimal raw stdio JSON-RPC client for `codex app-server`: the baseline the SDK is compared
 * with. No router tables, no validation, no Worker: write a line, read lines, `JSON.parse`,
 * match ids, wait for `turn/completed` by turn id.
 *
 * @module
 */

import { LineBuffer } from "../../src/transport/line_splitter.ts";

type Message = {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: unknown;
  error?: unknown;
};

/**
 * One spawned app-server driven by hand.
 *
 * @example
 * ```ts ignore
 * import { RawClient } from "./raw_client.ts";
 * const raw = await RawClient.spawn(bin, { CODEX_HOME: home });
 * const threadId = await raw.threadStart(cwd);
 * await raw.turn(threadId, "hi");
 * await raw.close();
 * ```
 */
export class RawClient {
  readonly #child: Deno.ChildProcess;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #pending = new Map<number, (m: Message) => void>();
  readonly #turnWaiters = new Map<string, () => void>();
  readonly #completed = new Set<string>();
  readonly #encoder = new TextEncoder();
  #nextId = 1;
  readonly #reading: Promise<void>;

  private constructor(child: Deno.ChildProcess) {
    this.#child = child;
    this.#writer = child.stdin.getWriter();
    this.#reading = this.#read();
  }

  /** Spawns `bin app-server` and runs `initialize` → `initialized`; resolves when ready. */
  static async spawn(bin: string, env: Record<string, string>): Promise<RawClient> {
    const child = new Deno.Command(bin, {
      args: ["app-server"],
      env,
      stdin: "piped",
      stdout: "piped",
      stderr: "null",
    }).spawn();
    const client = new RawClient(child);
    await client.request("initialize", {
      clientInfo: { name: "raw_bench", title: null, version: "0.0.0" },
      capabilities: { experimentalApi: true },
    });
    await client.#send({ method: "initialized" });
    return client;
  }

  /** Sends a request and waits for its response message. */
  async request(method: string, params: unknown): Promise<unknown> {
    const id = this.#nextId++;
    const answer = new Promise<Message>((resolve) => this.#pending.set(id, resolve));
    await this.#send({ id, method, params });
    const m = await answer;
    if (m.error) throw new Error(`${method}: ${JSON.stringify(m.error)}`);
    return m.result;
  }

  /** Starts a thread; returns its id. */
  async threadStart(cwd: string): Promise<string> {
    const r = await this.request("thread/start", { cwd }) as { thread: { id: string } };
    return r.thread.id;
  }

  /** Runs one turn: `turn/start`, then waits for its `turn/completed`. */
  async turn(threadId: string, text: string): Promise<void> {
    const r = await this.request("turn/start", {
      threadId,
      input: [{ type: "text", text, text_elements: [] }],
    }) as { turn: { id: string } };
    const turnId = r.turn.id;
    if (this.#completed.delete(turnId)) return;
    await new Promise<void>((resolve) => this.#turnWaiters.set(turnId, resolve));
  }

  /** Closes stdin and waits for the process to exit. */
  async close(): Promise<void> {
    await this.#writer.close().catch(() => {});
    await this.#child.status;
    await this.#reading;
  }

  async #send(message: unknown): Promise<void> {
    await this.#writer.write(this.#encoder.encode(JSON.stringify(message) + "\n"));
  }

  async #read(): Promise<void> {
    const lines = new LineBuffer();
    for await (const text of this.#child.stdout.pipeThrough(new TextDecoderStream())) {
      for (const line of lines.push(text)) {
        if (line.length === 0) continue;
        const m = JSON.parse(line) as Message;
        if (m.method === undefined && typeof m.id === "number") {
          const resolve = this.#pending.get(m.id);
          this.#pending.delete(m.id);
          resolve?.(m);
        } else if (m.method === "turn/completed") {
          const turnId = (m.params?.turn as { id: string }).id;
          const w = this.#turnWaiters.get(turnId);
          if (w) {
            this.#turnWaiters.delete(turnId);
            w();
          } else this.#completed.add(turnId);
        }
      }
    }
  }
}
