import { parseCliArgs } from "../../src/chat_adapter/main.ts";
import { assert, assertEquals } from "./_helpers.ts";

const noEnv = () => undefined;

Deno.test("parseCliArgs reads flags given as separate or inline values", () => {
  assertEquals(
    parseCliArgs([
      "--upstream",
      "http://127.0.0.1:8080/v1",
      "--api-key-env=LLAMA_KEY",
      "--port",
      "4000",
      "--model",
      "qwen",
      "--idle-timeout-ms=60000",
      "--verbose",
    ], noEnv),
    {
      upstreamUrl: "http://127.0.0.1:8080/v1",
      apiKeyEnv: "LLAMA_KEY",
      port: 4000,
      model: "qwen",
      idleTimeoutMs: 60000,
      verbose: true,
    },
  );
});

Deno.test("parseCliArgs falls back to CHAT_ADAPTER_* variables", () => {
  const env: Record<string, string> = {
    CHAT_ADAPTER_UPSTREAM: "http://127.0.0.1:11434/v1",
    CHAT_ADAPTER_API_KEY_ENV: "OLLAMA_KEY",
    CHAT_ADAPTER_PORT: "0",
  };
  const settings = parseCliArgs(["--port", "5000"], (name) => env[name]);
  assertEquals(settings.upstreamUrl, "http://127.0.0.1:11434/v1");
  assertEquals(settings.apiKeyEnv, "OLLAMA_KEY");
  assertEquals(settings.port, 5000);
});

Deno.test("parseCliArgs rejects bad input with the usage line", () => {
  const cases: string[][] = [
    [],
    ["--upstream"],
    ["--upstream", "http://x", "--bogus", "1"],
    ["--upstream", "http://x", "--port", "-1"],
    ["--upstream", "http://x", "--idle-timeout-ms", "soon"],
  ];
  for (const args of cases) {
    let error: unknown;
    try {
      parseCliArgs(args, noEnv);
    } catch (e) {
      error = e;
    }
    assert(error instanceof TypeError, `no TypeError for ${JSON.stringify(args)}`);
  }
});
