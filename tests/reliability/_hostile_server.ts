/**
 * A hostile "app-server" on stdio for the malformed-input tests: it answers `initialize`, and on
 * `hostile/go` writes broken lines (invalid JSON, non-objects, a batch, a huge line, invalid
 * UTF-8, a message of no kind, a server request of an unknown method), then one valid
 * notification and the answer. The client's answer to its request is echoed back as `test/answer`.
 */
const encoder = new TextEncoder();
const out = Deno.stdout.writable.getWriter();
const write = (bytes: Uint8Array | string) =>
  out.write(typeof bytes === "string" ? encoder.encode(bytes) : bytes);
const concat = (...parts: Array<Uint8Array | string>) => {
  const chunks = parts.map((p) => typeof p === "string" ? encoder.encode(p) : p);
  const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return all;
};

let rest = "";
for await (const chunk of Deno.stdin.readable.pipeThrough(new TextDecoderStream())) {
  rest += chunk;
  let nl;
  while ((nl = rest.indexOf("\n")) >= 0) {
    const line = rest.slice(0, nl);
    rest = rest.slice(nl + 1);
    const msg = JSON.parse(line);
    if (msg.method === "initialize") {
      await write(JSON.stringify({ id: msg.id, result: { userAgent: "hostile/0.169.0" } }) + "\n");
    } else if (msg.method === "hostile/go") {
      await write("{not json\n");
      await write("42\n");
      await write('"a string"\n');
      await write('[{"method":"test/batched","params":{}}]\n');
      await write(`{"method":"test/huge","params":{"s":"${"x".repeat(2_000_000)}"}}\n`);
      await write(
        concat('{"method":"test/utf8","params":{"s":"', new Uint8Array([0xff, 0xfe]), '"}}\n'),
      );
      await write(concat(new Uint8Array([0xff]), '{"method":"test/bad-utf8-outside"}\n'));
      await write('{"id":5}\n');
      await write('{"id":7,"method":"vendor/unknownRequest","params":{}}\n');
      await write('{"method":"test/after","params":{}}\n');
      await write(JSON.stringify({ id: msg.id, result: { done: true } }) + "\n");
    } else if (msg.id === 7 && !("method" in msg)) {
      await write(JSON.stringify({ method: "test/answer", params: msg }) + "\n");
    }
  }
}
