import { TransportClosedError } from "../../src/errors/errors.ts";
import { runtime } from "../../src/runtime/current.ts";
import { StdioTransport } from "../../src/transport/stdio_transport.ts";
import { assert, assertEquals, assertRejects } from "../support/assert.ts";

function lines(): { seen: string[]; handlers: Parameters<StdioTransport["start"]>[0] } {
  const seen: string[] = [];
  return { seen, handlers: { onMessage: (line) => seen.push(line), onClose: () => {} } };
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  assert(condition(), `timed out waiting for ${what}`);
}

Deno.test("a stdio transport speaks lines with the process it spawns", async () => {
  const transport = new StdioTransport({ command: "cat", args: [] });
  const { seen, handlers } = lines();
  await transport.start(handlers);
  transport.send('{"id":1}');
  transport.send('{"id":2}');
  await waitFor(() => seen.length === 2, "the echoed lines");
  assertEquals(seen, ['{"id":1}', '{"id":2}']);
  await transport.close();
});

Deno.test("a stdio transport adopts a process spawned before start()", async () => {
  const options = { command: "cat", args: [] as string[] };
  const spawned = runtime.spawn(options);
  const transport = new StdioTransport(options, spawned);
  const { seen, handlers } = lines();
  await transport.start(handlers);
  assertEquals(transport.pid, (await spawned).pid);
  transport.send("hello");
  await waitFor(() => seen.length === 1, "the echoed line");
  await transport.close();
  assert((await (await spawned).status).code !== undefined);
});

Deno.test("closing a stdio transport that never started reaps the process spawned for it", async () => {
  const spawned = runtime.spawn({ command: "sleep", args: ["60"] });
  const transport = new StdioTransport({ command: "sleep", args: ["60"] }, spawned);
  await transport.close();
  assertEquals(await (await spawned).status, { code: null, signal: "SIGKILL" });
});

Deno.test("closing a stdio transport while it starts leaves no process and fails the start", async () => {
  const transport = new StdioTransport({ command: "sleep", args: ["60"] });
  const starting = transport.start(lines().handlers);
  const failed = assertRejects(() => starting, TransportClosedError);
  await transport.close();
  await failed;
  assertEquals(transport.pid, undefined);
});

Deno.test("a command that does not exist fails start() with TransportClosedError", async () => {
  const transport = new StdioTransport({ command: "/nonexistent/codex", args: [] });
  const err = await assertRejects(() => transport.start(lines().handlers), TransportClosedError);
  assert(err.message.includes("/nonexistent/codex"), err.message);
});
