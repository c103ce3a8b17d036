/**
 * Shared pieces of the reliability tests: the offline model script, deadlines that turn a hang
 * into a test failure, and fault injection (killing the app-server in either mode).
 */
import { Codex, type CodexOptions } from "../../mod.ts";
import type { CodexClient } from "../../src/client/codex_client.ts";
import { echoReply, type ModelRequest, reply } from "../../src/testing/mod.ts";
import type { StdioTransport } from "../../src/transport/stdio_transport.ts";
import { codexChildren } from "../support/processes.ts";

/** The bound within which every pending call must settle after a fault, in ms. */
export const SETTLE_BOUND_MS = 5_000;

/**
 * The model's behaviour by prompt: `hang…` keeps the turn running (after a partial text),
 * `slow…` streams {@link SLOW_TEXT} over about a second, `approve…` asks to run a command (which needs an approval on an `untrusted` thread) and then
 * answers with text, anything else is echoed.
 */
export function scriptedModel(request: ModelRequest) {
  const input = request.body.input as Array<{ role?: string; content?: Array<{ text?: string }> }>;
  const user = [...input].reverse().find((m) => m.role === "user");
  const prompt = user?.content?.map((c) => c.text ?? "").join("") ?? "";
  const toolRan = input.some((m) => (m as { type?: string }).type === "function_call_output");
  if (prompt.startsWith("hang")) return reply.hang({ text: "partial answer " });
  if (prompt.startsWith("slow")) return reply.text(SLOW_TEXT, { chunks: 8, delayMs: 150 });
  if (prompt.startsWith("approve") && !toolRan) {
    return reply.functionCall({
      name: "exec_command",
      arguments: { cmd: "echo approved-$((40+2)) > approved.txt", login: false },
    });
  }
  return echoReply(request);
}

/** The text a `slow…` prompt streams, in 8 deltas 150 ms apart. */
export const SLOW_TEXT = "one two three four five six seven eight nine ten eleven twelve";

/** How a promise settled within a deadline. */
export type Outcome =
  | { status: "fulfilled"; value: unknown }
  | { status: "rejected"; reason: unknown }
  | { status: "hung" };

/** Waits for `promise` at most `ms`; the timer is always cleared (sanitizers stay green). */
export async function within(promise: Promise<unknown>, ms = SETTLE_BOUND_MS): Promise<Outcome> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ status: "hung" }), ms);
  });
  try {
    return await Promise.race([
      promise.then(
        (value): Outcome => ({ status: "fulfilled", value }),
        (reason): Outcome => ({ status: "rejected", reason }),
      ),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Describes an outcome for assertion messages. */
export function describeOutcome(outcome: Outcome): string {
  if (outcome.status === "hung") return "did not settle in time";
  if (outcome.status === "fulfilled") return `resolved with ${JSON.stringify(outcome.value)}`;
  const reason = outcome.reason as Error;
  return `rejected with ${reason?.name}: ${String(reason?.message).slice(0, 200)}`;
}

/** A connected client and the way to SIGKILL its app-server. */
export interface KillableCodex {
  codex: Codex;
  worker: boolean;
  /** The app-server's pid. */
  pid: number;
  /** The app-server's stderr tail right now (in-process only; `undefined` in a Worker). */
  stderrTail(): string | undefined;
  /** SIGKILLs the app-server. */
  kill(): void;
}

/**
 * A fresh tag for `env`: the app-servers spawned with it can be found with {@link taggedChildren}
 * even while other test files (run in parallel in the same process) spawn their own.
 */
export function freshTag(): Record<string, string> {
  return { CODEX_WORKER_TEST_TAG: crypto.randomUUID() };
}

/** The live codex children of this process whose environment carries `tag`. */
export async function taggedChildren(tag: Record<string, string>): Promise<number[]> {
  const needle = `CODEX_WORKER_TEST_TAG=${tag.CODEX_WORKER_TEST_TAG}`;
  const found: number[] = [];
  for (const pid of await codexChildren()) {
    try {
      const environ = await Deno.readTextFile(`/proc/${pid}/environ`);
      if (environ.split("\0").includes(needle)) found.push(pid);
    } catch { /* it ended meanwhile */ }
  }
  return found;
}

/** Connects over stdio (in a Worker or in-process) and finds the app-server's pid. */
export async function connectKillable(
  options: CodexOptions & { worker: boolean },
): Promise<KillableCodex> {
  const tag = freshTag();
  const codex = await Codex.connect({ ...options, env: { ...options.env, ...tag } });
  if (!options.worker) {
    const transport = (codex.connection as CodexClient).transport as StdioTransport;
    return {
      codex,
      worker: false,
      pid: transport.pid!,
      stderrTail: () => transport.stderrTail(),
      kill: () => transport.kill("SIGKILL"),
    };
  }
  const fresh = await taggedChildren(tag);
  if (fresh.length !== 1) {
    await codex.close();
    throw new Error(`expected one new app-server, found ${fresh.length}`);
  }
  const pid = fresh[0];
  return {
    codex,
    worker: true,
    pid,
    stderrTail: () => undefined,
    kill: () => Deno.kill(pid, "SIGKILL"),
  };
}

/** True when `pid` is no longer a live child of this process (it exited). */
export async function isGone(pid: number): Promise<boolean> {
  return !(await codexChildren()).includes(pid);
}

/** True while process `pid` exists and is not a zombie (checked with one direct /proc read). */
export function isRunning(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0] !== "Z";
  } catch {
    return false;
  }
}
