/**
 * Codex on a Chat Completions server (llama.cpp, vLLM, Ollama, LM Studio): the pinned
 * `codex app-server` talks to a local {@link ChatAdapterServer}, which talks Chat Completions to
 * the upstream, and the agent's answer streams to the terminal.
 *
 * ```sh
 * # Offline: a scripted Chat Completions server on 127.0.0.1 plays the model.
 * deno run -A examples/chat_completions_provider.ts
 *
 * # Your own server, e.g. llama.cpp's `llama-server -m qwen3-8b.gguf --port 8080 --jinja`:
 * deno run -A examples/chat_completions_provider.ts --upstream http://127.0.0.1:8080/v1 \
 *   --model qwen3-8b [--api-key-env MY_KEY_VAR] "Which files are in this directory?"
 * ```
 *
 * Offline, CODEX_HOME is a fresh temporary directory; with `--upstream`, your own `~/.codex`
 * config is used (the provider is set by `-c` overrides, so no OpenAI login is needed).
 *
 * @module
 */
import process from "node:process";
import { Codex } from "../mod.ts";
import { chatAdapterProviderConfig, ChatAdapterServer } from "../src/chat_adapter/mod.ts";
import { chatReply, ScriptedChatServer } from "../src/chat_adapter/testing/mod.ts";
import { type CodexHome, writeCodexHome } from "../src/testing/mod.ts";

const args = parseArgs(process.argv.slice(2));
const write = (s: string) => process.stdout.write(s);

let scripted: ScriptedChatServer | undefined;
let home: CodexHome | undefined;
let adapter: ChatAdapterServer | undefined;
let codex: Codex | undefined;
try {
  if (args.upstream === undefined) {
    scripted = await ScriptedChatServer.start({
      fallback: (request) => {
        const last = request.body.messages.findLast((m) => m.role === "user");
        const asked = typeof last?.content === "string" ? last.content : "your question";
        return chatReply.text(
          "Hello from a scripted Chat Completions server (standing in for llama.cpp or vLLM), " +
            `reached through the chat adapter. You said: ${asked}`,
          { chunks: 12, usage: { prompt_tokens: 1200, completion_tokens: 32 } },
        );
      },
    });
  }
  adapter = await ChatAdapterServer.start({
    upstreamUrl: args.upstream ?? scripted!.url,
    apiKeyEnv: args.apiKeyEnv,
  });
  if (scripted) home = await writeCodexHome({ modelServerUrl: adapter.url });
  codex = await Codex.connect({
    codexHome: home?.dir,
    config: {
      ...chatAdapterProviderConfig(adapter, { model: args.model, name: "Local chat model" }),
      "features.plugins": false,
      "features.unbounded_connection_retries": false,
    },
  });

  const thread = await codex.threadStart({ cwd: process.cwd() });
  write(`> ${args.prompt}\n`);
  const turn = await thread.turn(args.prompt);
  for await (const delta of turn.streamText()) write(delta);
  const result = await turn.run();
  write(`\n[${result.status}; ${result.usage?.last.totalTokens ?? "?"} tokens]\n`);
} finally {
  await codex?.close();
  await adapter?.close();
  await scripted?.close();
  await home?.cleanup();
}

interface Args {
  readonly upstream?: string;
  readonly model: string;
  readonly apiKeyEnv?: string;
  readonly prompt: string;
}

function parseArgs(argv: readonly string[]): Args {
  const flags = new Map<string, string>();
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (["--upstream", "--model", "--api-key-env"].includes(arg) && i + 1 < argv.length) {
      flags.set(arg, argv[++i]);
    } else if (arg.startsWith("--")) {
      console.error(
        "Usage: chat_completions_provider.ts [--upstream URL] [--model NAME] " +
          "[--api-key-env VAR] [prompt]",
      );
      process.exit(2);
    } else words.push(arg);
  }
  return {
    upstream: flags.get("--upstream"),
    model: flags.get("--model") ?? "local-model",
    apiKeyEnv: flags.get("--api-key-env"),
    prompt: words.join(" ") || "Say hello and tell me which model you are.",
  };
}
