/**
 * The scripted model the web demo runs against, so every feature can be tried offline. It
 * answers by the words of the prompt:
 *
 * | prompt contains | reply |
 * |---|---|
 * | `run` | an `exec_command` call (`echo hello from codex`) with a reason, which needs approval when the thread's approval policy is `untrusted`; after the command, a final answer quoting its output |
 * | `markdown` | an answer in markdown (headings, a list, a table, a code block, and HTML that must not run), streamed in small pieces |
 * | `large diff` | an `apply_patch` that adds `big_file.txt` of {@link LARGE_DIFF_LINES} lines |
 * | `edit` | an `apply_patch` that updates `greeting.ts` of the workspace ({@link SAMPLE_FILES}): removed and added lines |
 * | `file` | an `apply_patch` that adds `hello.txt` (a file change, approved in the same dialog) |
 * | `long` | a slow answer (400 deltas, 25 ms apart): time to steer or interrupt |
 * | `flood` | 100 000 one-character deltas at about 2 500 a second (the responsiveness test) |
 * | `fail` | HTTP 500: the turn fails |
 * | anything else | a short answer that echoes the prompt, streamed in small pieces |
 *
 * @module
 */
import {
  functionCallOutputs,
  lastUserText,
  type ModelRequest,
  type Reply,
  reply,
} from "../../src/testing/mod.ts";

/** The command the `run` prompt asks to execute. */
export const DEMO_COMMAND = "echo hello from codex";

/** The reason the model gives for running {@link DEMO_COMMAND} (shown in the approval dialog). */
export const DEMO_REASON = "to show you what a command's output looks like";

/** Files the demo's workspace starts with (the `edit` prompt changes `greeting.ts`). */
export const SAMPLE_FILES: Readonly<Record<string, string>> = {
  "greeting.ts": [
    "export function greet(name: string): string {",
    '  return "Hello, " + name;',
    "}",
    "",
    'console.log(greet("world"));',
    "",
  ].join("\n"),
};

/** Lines of the file the `large diff` prompt adds. */
export const LARGE_DIFF_LINES = 1_500;

/**
 * A paragraph of the markdown answer longer than an open block may grow (`OPEN_LIMITS` in
 * `../src/limits.ts`), written as source lines ("soft1 soft2 ... soft8", then "soft9 ..."): it is shown in pieces cut
 * at a line end, which must read as one paragraph with a space where each line ends.
 */
export const SOFT_LINES: readonly string[] = Array.from(
  { length: 30 },
  (_, line) => Array.from({ length: 8 }, (_, i) => `soft${line * 8 + i + 1}`).join(" "),
);

/** The markdown answer (the `markdown` prompt). Its HTML must be shown inert. */
export const MARKDOWN_ANSWER = [
  "# A markdown answer",
  "",
  "Some **bold** and *italic* text, `inline code`, and a [link](https://example.com).",
  "",
  "- first item",
  "- second item",
  "",
  "```ts",
  "function add(a: number, b: number): number {",
  "  return a + b;",
  "}",
  "// https://example.com/a/long/path/that/a/narrow/window/must/wrap/or/scroll/inside/its/block",
  "```",
  "",
  "| language | typed |",
  "| --- | --- |",
  "| TypeScript | yes |",
  "",
  '<img src="x" onerror="globalThis.__xss = true"><script>globalThis.__xss = true</script>',
  "",
  "A [link that would run code](javascript:globalThis.__xss=true) is kept as text.",
  "",
  ...SOFT_LINES,
  "",
  "> The HTML and the link above do nothing: the page sanitizes what the model writes.",
].join("\n");

const EDIT_PATCH = [
  "apply_patch <<'EOF'",
  "*** Begin Patch",
  "*** Update File: greeting.ts",
  "@@",
  " export function greet(name: string): string {",
  '-  return "Hello, " + name;',
  "+  const trimmed = name.trim();",
  '+  return `Hello, ${trimmed || "stranger"}!`;',
  " }",
  "*** End Patch",
  "EOF",
  "",
].join("\n");

/**
 * The `flood` pace: 25 deltas every 10 ms, about 2 500 a second (some twenty-five times a real
 * model's token rate), so the app-server producing them leaves the browser some CPU on a small
 * machine while the page renders them.
 */
export const FLOOD_PACE = { delayMs: 10, eventsPerDelay: 25 } as const;

/** Number of deltas the `flood` prompt streams. */
export const FLOOD_DELTAS = 100_000;

/**
 * The demo's reply to one model request (a `ResponsesModelServer` fallback).
 *
 * @example
 * ```ts
 * import { demoReply } from "./offline_model.ts";
 * const request = {
 *   index: 0,
 *   headers: {},
 *   body: { input: [{ type: "message", role: "user", content: "please fail" }] },
 * };
 * if (demoReply(request).kind !== "http") throw new Error("expected an HTTP error");
 * ```
 */
export function demoReply(request: ModelRequest): Reply {
  const input = request.body.input ?? [];
  const last = input[input.length - 1];
  if (last?.type === "function_call_output") {
    const output = String(functionCallOutputs(request).at(-1)?.output ?? "");
    if (/rejected by user|declined/i.test(output)) {
      return reply.text("You declined, so I did not do it.", {
        chunks: 8,
        delayMs: 10,
      });
    }
    const printed = /Output:\n([\s\S]*)$/.exec(output)?.[1]?.trim() || output.trim();
    return reply.text(`The command finished. It printed: ${printed}`, { chunks: 8, delayMs: 10 });
  }
  const prompt = lastUserText(request);
  if (/\bfail/i.test(prompt)) return reply.httpError(500);
  if (/\bflood/i.test(prompt)) return reply.deltas(FLOOD_DELTAS, FLOOD_PACE);
  if (/\blong\b/i.test(prompt)) {
    const words = Array.from({ length: 400 }, (_, i) => `word${i + 1} `).join("");
    return reply.text(`A long answer: ${words}`, { chunks: 400, delayMs: 25 });
  }
  if (/\bmarkdown\b/i.test(prompt)) {
    return reply.text(MARKDOWN_ANSWER, { chunks: 80, delayMs: 25 });
  }
  if (/\brun\b/i.test(prompt)) {
    return reply.functionCall({
      name: "exec_command",
      arguments: {
        cmd: DEMO_COMMAND,
        login: false,
        sandbox_permissions: "require_escalated",
        justification: DEMO_REASON,
      },
    });
  }
  if (/\blarge diff\b/i.test(prompt)) {
    const lines = Array.from({ length: LARGE_DIFF_LINES }, (_, i) => `line ${i + 1}`);
    return reply.applyPatch("big_file.txt", lines.join("\n") + "\n");
  }
  if (/\bedit\b/i.test(prompt)) {
    return reply.functionCall({ name: "exec_command", arguments: { cmd: EDIT_PATCH } });
  }
  if (/\bfile\b/i.test(prompt)) {
    return reply.applyPatch("hello.txt", "hello from the codex-worker demo\n");
  }
  return reply.text(`Hi! You said: ${prompt}`, { chunks: 12, delayMs: 15 });
}
