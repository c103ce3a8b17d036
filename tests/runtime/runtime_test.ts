import { browserRuntime } from "../../src/runtime/browser.ts";
import { runtime } from "../../src/runtime/current.ts";
import { denoRuntime } from "../../src/runtime/deno.ts";
import { assert, assertEquals, assertRejects } from "../support/assert.ts";

Deno.test("under Deno the current runtime is Deno's adapter", () => {
  assertEquals(runtime, denoRuntime);
  assertEquals(runtime.os, Deno.build.os);
});

Deno.test("a spawned process gets its env over the parent's and reports its exit code", async () => {
  const child = await runtime.spawn({
    command: "sh",
    args: ["-c", 'printf "%s %s" "$MARKER" "${PATH:+has-path}"; echo oops >&2; exit 3'],
    env: { MARKER: "set" },
    stdin: "null",
  });
  let out = "";
  let err = "";
  await Promise.all([
    (async () => {
      for await (const text of child.stdout) out += text;
    })(),
    (async () => {
      for await (const text of child.stderr) err += text;
    })(),
  ]);
  assertEquals(await child.status, { code: 3, signal: null });
  assertEquals(out, "set has-path");
  assertEquals(err, "oops\n");
});

Deno.test("a killed process reports the signal, and killing it again is harmless", async () => {
  const child = await runtime.spawn({ command: "sleep", args: ["60"], stdout: "null" });
  child.kill("SIGTERM");
  assertEquals(await child.status, { code: null, signal: "SIGTERM" });
  child.kill("SIGKILL");
  await child.closeStdin();
  for await (const _ of child.stderr) { /* drained */ }
});

Deno.test("spawning a missing command rejects", async () => {
  await assertRejects(() => runtime.spawn({ command: "/nonexistent/x" }), Error);
});

Deno.test("serve answers HTTP and upgrades WebSockets, and a client can send headers", async () => {
  let seenAuth: string | null = null;
  const server = await runtime.serve({}, (request, context) => {
    if (request.headers.get("upgrade") !== "websocket") return new Response("plain");
    seenAuth = request.headers.get("authorization");
    const { socket, response } = context.upgradeWebSocket(request, { protocol: "p1" });
    socket.addEventListener("message", (ev) => socket.send(`echo ${ev.data}`));
    return response;
  });
  try {
    assertEquals(await (await fetch(`http://127.0.0.1:${server.port}/`)).text(), "plain");
    assert(runtime.webSocketHeaders);
    const ws = runtime.openWebSocket(`ws://127.0.0.1:${server.port}/`, {
      protocols: ["p1"],
      headers: { authorization: "Bearer t" },
    });
    const reply = await new Promise<string>((resolve, reject) => {
      ws.onopen = () => ws.send("hi");
      ws.onmessage = (ev) => resolve(ev.data);
      ws.onerror = () => reject(new Error("socket failed"));
    });
    assertEquals([reply, ws.protocol, seenAuth], ["echo hi", "p1", "Bearer t"]);
    const closed = new Promise((resolve) => ws.onclose = resolve);
    ws.close();
    await closed;
  } finally {
    await server.shutdown();
  }
});

Deno.test("files: a private temp dir holds a written file until removed", async () => {
  const dir = await runtime.fs.makeTempDir({ prefix: "runtime_test_" });
  await runtime.fs.mkdir(`${dir}/a/b`);
  await runtime.fs.writeTextFile(`${dir}/a/b/f.txt`, "héllo", { mode: 0o600 });
  assertEquals(new TextDecoder().decode(await runtime.fs.readFile(`${dir}/a/b/f.txt`)), "héllo");
  assertEquals((await Deno.stat(`${dir}/a/b/f.txt`)).mode! & 0o777, 0o600);
  assert(runtime.fs.isFile(`${dir}/a/b/f.txt`) && !runtime.fs.isFile(`${dir}/a`));
  assertEquals(runtime.fs.realPath(`${dir}/a/../a/b`), await Deno.realPath(`${dir}/a/b`));
  await runtime.fs.remove(dir);
  assert(!runtime.fs.isFile(`${dir}/a/b/f.txt`));
});

Deno.test("the browser adapter refuses what a browser cannot do with NotSupportedError", async () => {
  const refused = (err: unknown) => err instanceof DOMException && err.name === "NotSupportedError";
  assert(refused(await browserRuntime.spawn({ command: "codex" }).catch((e) => e)));
  assert(refused(await browserRuntime.serve({}, () => new Response()).catch((e) => e)));
  assert(refused(await browserRuntime.fs.makeTempDir().catch((e) => e)));
  let thrown: unknown;
  try {
    browserRuntime.openWebSocket("ws://127.0.0.1:1", { headers: { authorization: "x" } });
  } catch (err) {
    thrown = err;
  }
  assert(refused(thrown), "headers are refused, not silently dropped");
  assertEquals([browserRuntime.webSocketHeaders, browserRuntime.env("PATH")], [false, undefined]);
});
