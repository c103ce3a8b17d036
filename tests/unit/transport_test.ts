import { assert, assertEquals } from "../support/assert.ts";
import { LineBuffer, LineSplitter } from "../../src/transport/line_splitter.ts";
import { configToArgs, toTomlValue } from "../../src/transport/config_args.ts";
import { redactSecrets } from "../../src/transport/redact.ts";
import { StderrTail } from "../../src/transport/stderr_tail.ts";

Deno.test("stdio lines survive UTF-8 sequences split across chunks, CRLF and a missing last newline", async () => {
  const text = '{"a":"héllo ✓ 🎉"}\r\n{"b":"日本語"}\n{"c":1}';
  const bytes = new TextEncoder().encode(text);
  const oneByteAtATime = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const b of bytes) controller.enqueue(new Uint8Array([b]));
      controller.close();
    },
  });
  const lines = await Array.fromAsync(
    oneByteAtATime
      .pipeThrough(new TextDecoderStream() as TransformStream<Uint8Array, string>)
      .pipeThrough(new LineSplitter()),
  );
  assertEquals(lines, ['{"a":"héllo ✓ 🎉"}', '{"b":"日本語"}', '{"c":1}']);
});

Deno.test("a chunk's complete lines come out together, the partial line waits", () => {
  const buffer = new LineBuffer();
  assertEquals(buffer.push("one\ntwo\nthr"), ["one", "two"]);
  assertEquals(buffer.pending, 3);
  assertEquals(buffer.push("ee\n"), ["three"]);
  assertEquals(buffer.flush(), undefined);
});

Deno.test("config becomes -c key=value arguments with TOML-encoded values", () => {
  assertEquals(
    configToArgs({
      model: "gpt-5",
      "features.plugins": false,
      "model_providers.mock": { name: "Mock", base_url: "http://127.0.0.1:1/v1", retries: 0 },
      list: ["a", "b"],
    }),
    [
      "-c",
      'model="gpt-5"',
      "-c",
      "features.plugins=false",
      "-c",
      'model_providers.mock={ name = "Mock", base_url = "http://127.0.0.1:1/v1", retries = 0 }',
      "-c",
      'list=[ "a", "b" ]',
    ],
  );
  assertEquals(toTomlValue('quote " and \\ backslash'), '"quote \\" and \\\\ backslash"');
  // TOML forbids a raw DEL in a basic string; JSON.stringify would have left it raw.
  assertEquals(toTomlValue("a\x7fb"), '"a\\u007fb"');
  assertEquals(
    toTomlValue({ "a.b": 1, nested: { list: [{ x: true }] } }),
    '{ "a.b" = 1, nested = { list = [ { x = true } ] } }',
  );
});

Deno.test("config keys that are not dotted paths are refused", () => {
  let error: unknown;
  try {
    configToArgs({ "bad key=1": "x" });
  } catch (err) {
    error = err;
  }
  assert(error instanceof TypeError);
});

Deno.test("secrets are redacted from stderr tails", () => {
  const tail = new StderrTail(3, ["my-secret-api-key-123"]);
  tail.push("line 1\nAuthorization: Bearer abc.def.ghi\nkey=my-secret-api-key-123\n");
  tail.push("sk-proj-abcdefghijklmnop leaked\n");
  const text = tail.text();
  assert(!text.includes("abc.def.ghi"), text);
  assert(!text.includes("my-secret-api-key-123"), text);
  assert(!text.includes("abcdefghijklmnop"), text);
  assertEquals(text.split("\n").length, 3, "bounded to the last lines");
  assert(!redactSecrets("token=hunter2hunter2").includes("hunter2"));
});
