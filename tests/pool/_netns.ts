/**
 * Remote pool members on other "hosts": network namespaces made by the test (`ip netns` + a veth
 * pair each), an app-server in each listening on its namespace address with
 * `--ws-auth signed-bearer-token`, and a TCP relay on the host side of each link to the offline
 * model server (which listens on this machine's loopback). Needs root; without it
 * {@link namespaceHost} throws with that reason (the test fails rather than passing silently).
 */
import { resolveCodexBinary } from "../../src/transport/codex_binary.ts";

async function ip(...args: string[]): Promise<void> {
  const out = await new Deno.Command("ip", { args, stdout: "null", stderr: "piped" }).output();
  if (!out.success) {
    throw new Error(`ip ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr).trim()}`);
  }
}

/** An HS256 JWT (`exp` in an hour) signed with `secret`. */
export async function signedBearerToken(secret: string): Promise<string> {
  const b64 = (bytes: Uint8Array) =>
    btoa(String.fromCharCode(...bytes)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  const enc = (value: unknown) => b64(new TextEncoder().encode(JSON.stringify(value)));
  const body = `${enc({ alg: "HS256", typ: "JWT" })}.${
    enc({ exp: Math.floor(Date.now() / 1000) + 3600, sub: "pool-test" })
  }`;
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const sig = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(body));
  return `${body}.${b64(new Uint8Array(sig))}`;
}

/** Relays TCP connections from `listen` to `target` (both `{ hostname, port }`). */
function relay(listen: Deno.ListenOptions, target: Deno.ConnectOptions): Deno.Listener {
  const listener = Deno.listen(listen);
  (async () => {
    for await (const conn of listener) {
      Deno.connect(target).then((up) => {
        conn.readable.pipeTo(up.writable).catch(() => {});
        up.readable.pipeTo(conn.writable).catch(() => {});
      }, () => conn.close());
    }
  })().catch(() => {});
  return listener;
}

/** A namespace "host" running an app-server. */
export interface NamespaceHost extends AsyncDisposable {
  /** `ws://10.x.y.2:4500`, the app-server's address on the namespace's link. */
  url: string;
  /** A valid signed bearer token for it. */
  token: string;
  /** Cuts the link (the host side of the veth goes down). */
  cut(): Promise<void>;
}

/**
 * Makes namespace `n` (subnet 10.213.n.0/30), writes its CODEX_HOME (config pointing at the
 * model relay on the link) and starts its app-server.
 */
export async function namespaceHost(
  n: number,
  modelPort: number,
  writeHome: (modelServerUrl: string) => Promise<{ dir: string }>,
): Promise<NamespaceHost> {
  if (Deno.uid() !== 0) {
    throw new Error("remote pool members need network namespaces, which need root: run as root");
  }
  const ns = `cwpool${n}_${Deno.pid}`;
  const hostIf = `cwph${n}_${Deno.pid % 10000}`;
  const nsIf = `cwpn${n}_${Deno.pid % 10000}`;
  const [hostAddr, nsAddr] = [`10.213.${n}.1`, `10.213.${n}.2`];
  await ip("netns", "add", ns);
  const cleanup: Array<() => Promise<void>> = [() => ip("netns", "del", ns).catch(() => {})];
  try {
    await ip("link", "add", hostIf, "type", "veth", "peer", "name", nsIf);
    cleanup.unshift(() => ip("link", "del", hostIf).catch(() => {}));
    await ip("link", "set", nsIf, "netns", ns);
    await ip("addr", "add", `${hostAddr}/30`, "dev", hostIf);
    await ip("link", "set", hostIf, "up");
    await ip("netns", "exec", ns, "ip", "addr", "add", `${nsAddr}/30`, "dev", nsIf);
    await ip("netns", "exec", ns, "ip", "link", "set", nsIf, "up");
    await ip("netns", "exec", ns, "ip", "link", "set", "lo", "up");
    const listener = relay({ hostname: hostAddr, port: 0 }, {
      hostname: "127.0.0.1",
      port: modelPort,
    });
    cleanup.unshift(() => Promise.resolve(listener.close()));
    const relayPort = (listener.addr as Deno.NetAddr).port;
    const home = await writeHome(`http://${hostAddr}:${relayPort}/v1`);
    const secret = crypto.randomUUID() + crypto.randomUUID();
    const secretFile = `${home.dir}/ws_secret`;
    await Deno.writeTextFile(secretFile, secret, { mode: 0o600 });
    const child = new Deno.Command("ip", {
      args: [
        "netns",
        "exec",
        ns,
        resolveCodexBinary(),
        "app-server",
        "--listen",
        `ws://${nsAddr}:4500`,
        "--ws-auth",
        "signed-bearer-token",
        "--ws-shared-secret-file",
        secretFile,
      ],
      env: { CODEX_HOME: home.dir },
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    cleanup.unshift(async () => {
      try {
        child.kill("SIGKILL");
      } catch { /* gone */ }
      await child.status;
    });
    // Wait until it listens (its stderr says so); drain the rest.
    const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
    let seen = "";
    while (!seen.includes("listening on")) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the app-server in ${ns} exited: ${seen.slice(-500)}`);
      seen += value;
    }
    (async () => {
      while (!(await reader.read()).done) { /* drain */ }
    })().catch(() => {});
    return {
      url: `ws://${nsAddr}:4500`,
      token: await signedBearerToken(secret),
      cut: () => ip("link", "set", hostIf, "down"),
      async [Symbol.asyncDispose]() {
        for (const step of cleanup) await step();
      },
    };
  } catch (err) {
    for (const step of cleanup) await step();
    throw err;
  }
}
