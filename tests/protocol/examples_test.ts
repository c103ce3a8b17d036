import { assert } from "../support/assert.ts";

/** Every example script, with a line its output must contain. */
const EXAMPLES: Array<{ file: string; expect: string | RegExp; stdin?: string }> = [
  { file: "quickstart.ts", expect: "answer: Hello! I am Codex, ready to help." },
  { file: "run.ts", expect: "usage: 120 in / 14 out tokens" },
  { file: "streaming_events.ts", expect: /streamed 6 deltas; final response: Streaming/ },
  { file: "resume_thread.ts", expect: /resumed thread .+: Your favourite colour is teal\./ },
  { file: "thread_lifecycle.ts", expect: "lifecycle done" },
  { file: "image_and_text.ts", expect: "the model received 1 image(s) with the text" },
  { file: "local_image.ts", expect: "the model received 1 local image(s)" },
  { file: "error_handling_and_retry.ts", expect: /retry succeeded after 2 attempts/ },
  {
    file: "cli_chat.ts",
    stdin: "hello there\nsecond line\n/exit\nnot read\n",
    expect: "chat ended after 2 turn(s)",
  },
  { file: "turn_parameters.ts", expect: "the model was asked for effort=low format=json_schema" },
  { file: "model_selection.ts", expect: /using model \S+ with effort \S+/ },
  { file: "steer_and_interrupt.ts", expect: "after interrupt: interrupted" },
  {
    file: "approvals.ts",
    expect: "command declined; answer: The command said: exec_command failed",
  },
  // The main job's terminal conversation (the README's demo command, before it serves the page).
  { file: "demo.ts", expect: "Offline Codex, streaming, approval-gated.\n[turn completed" },
  {
    file: "chat_completions_provider.ts",
    expect: /reached through the chat adapter[\s\S]*\[completed;/,
  },
];

const root = new URL("../../", import.meta.url);

async function runExample(file: string, stdin?: string): Promise<{ code: number; out: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `examples/${file}`],
    cwd: root,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  if (stdin) await writer.write(new TextEncoder().encode(stdin));
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  const decoder = new TextDecoder();
  return { code, out: decoder.decode(stdout) + decoder.decode(stderr) };
}

Deno.test("every example runs offline, exits 0 and prints its expected line", async (t) => {
  // Two at a time: each one spawns an app-server.
  const queue = [...EXAMPLES];
  const results = new Map<string, { code: number; out: string }>();
  await Promise.all([0, 1].map(async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      results.set(next.file, await runExample(next.file, next.stdin));
    }
  }));
  for (const example of EXAMPLES) {
    await t.step(example.file, () => {
      const { code, out } = results.get(example.file)!;
      assert(code === 0, `${example.file} exited with ${code}:\n${out}`);
      const found = typeof example.expect === "string"
        ? out.includes(example.expect)
        : example.expect.test(out);
      assert(found, `${example.file} did not print ${example.expect}:\n${out}`);
    });
  }
});

Deno.test("the example list covers every example script", async () => {
  const listed = new Set(EXAMPLES.map((e) => e.file));
  // The web demo's server is started by the browser end-to-end tests.
  const skipped = new Set(["serve_demo.ts"]);
  for await (const entry of Deno.readDir(new URL("examples/", root))) {
    if (!entry.isFile || !entry.name.endsWith(".ts") || entry.name.startsWith("_")) continue;
    if (skipped.has(entry.name)) continue;
    assert(listed.has(entry.name), `examples/${entry.name} is not run by this test`);
  }
});
