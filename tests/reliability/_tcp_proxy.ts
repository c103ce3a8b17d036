/**
 * A cuttable TCP proxy on 127.0.0.1 for dropping a WebSocket without killing the app-server
 * behind it: `cut()` closes every live connection abruptly (no close frame), `block()` makes new
 * connections fail at once until `unblock()`, and `cutWhenServerSends(text)` cuts at an exact
 * point of the conversation.
 */
export class TcpProxy implements AsyncDisposable {
  readonly #listener: Deno.Listener<Deno.TcpConn>;
  readonly #target: { hostname: string; port: number };
  readonly #pairs = new Set<{ a: Deno.TcpConn; b: Deno.TcpConn; done: Promise<unknown> }>();
  readonly #refused = new Set<Promise<void>>();
  #blocked = false;
  #tripWire: { text: string; action: "cut" | "hold"; resolve: () => void } | undefined;
  #held: PromiseWithResolvers<void> | undefined;
  #accepting: Promise<void>;
  /** Connections accepted so far (including refused ones). */
  accepted = 0;
  /** Connections refused while blocked. */
  refused = 0;
  #refusalWaiters: Array<{ count: number; resolve: () => void }> = [];

  /** Proxies `127.0.0.1:<new port>` to `target` (`ws://host:port` or `host:port`). */
  constructor(target: string) {
    const url = new URL(
      target.includes("://") ? target.replace(/^ws/, "http") : `http://${target}`,
    );
    this.#target = { hostname: url.hostname, port: Number(url.port) };
    this.#listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    this.#accepting = this.#accept();
  }

  /** `ws://127.0.0.1:<port>` of the proxy. */
  get url(): string {
    return `ws://127.0.0.1:${(this.#listener.addr as Deno.NetAddr).port}`;
  }

  /** New connections are closed at once until `unblock()`. */
  block(): void {
    this.#blocked = true;
  }

  /** Resolves once `count` connections in total were refused while blocked. */
  refusals(count: number): Promise<void> {
    if (this.refused >= count) return Promise.resolve();
    return new Promise((resolve) => this.#refusalWaiters.push({ count, resolve }));
  }

  /**
   * Arms a one-shot trip wire: the first chunk the server sends that contains `text` (e.g. a
   * response's JSON) is not forwarded, and every live connection is cut at that moment.
   * Resolves once that happened. (The server's WebSocket frames are not masked, so their JSON
   * is readable on the wire.)
   */
  cutWhenServerSends(text: string): Promise<void> {
    const { promise, resolve } = Promise.withResolvers<void>();
    this.#tripWire = { text, action: "cut", resolve };
    return promise;
  }

  /**
   * Like {@link cutWhenServerSends}, but holds the server's bytes instead: from the chunk that
   * contains `text` on, nothing reaches the client until `release()` (the connection stays up).
   */
  holdWhenServerSends(text: string): Promise<void> {
    const { promise, resolve } = Promise.withResolvers<void>();
    this.#tripWire = { text, action: "hold", resolve };
    return promise;
  }

  /** Forwards what a hold kept back, and everything after it. */
  release(): void {
    const held = this.#held;
    this.#held = undefined;
    held?.resolve();
  }

  /** `http://127.0.0.1:<port>` of the proxy. */
  get httpUrl(): string {
    return `http://127.0.0.1:${(this.#listener.addr as Deno.NetAddr).port}`;
  }

  /** Lets new connections through again. */
  unblock(): void {
    this.#blocked = false;
  }

  /** Closes every live connection on both sides; resolves when their pipes have stopped. */
  async cut(): Promise<void> {
    const pairs = [...this.#pairs];
    this.#closeAll();
    await Promise.all(pairs.map((p) => p.done));
  }

  #closeAll(): void {
    for (const { a, b } of this.#pairs) {
      for (const conn of [a, b]) {
        try {
          conn.close();
        } catch { /* closed already */ }
      }
    }
    this.release(); // a held pipe stops too (its connections are closed)
  }

  /** Stops listening and cuts everything. */
  async close(): Promise<void> {
    this.#listener.close();
    await this.#accepting;
    await this.cut();
    await Promise.all(this.#refused);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Forwards the server's bytes to the client, watching for the trip wire. */
  async #down(from: Deno.TcpConn, to: Deno.TcpConn): Promise<void> {
    const writer = to.writable.getWriter();
    let tail = new Uint8Array(0);
    try {
      for await (const chunk of from.readable) {
        let rest = chunk;
        const wire = this.#tripWire;
        if (wire) {
          const needle = new TextEncoder().encode(wire.text);
          const seen = new Uint8Array([...tail, ...chunk]);
          const at = indexOf(seen, needle);
          if (at < 0) {
            tail = seen.slice(Math.max(0, seen.length - needle.length + 1));
          } else {
            this.#tripWire = undefined;
            tail = new Uint8Array(0);
            if (wire.action === "cut") {
              this.#closeAll();
              wire.resolve();
              return;
            }
            // Hold from the match on: what came before it goes out now.
            const split = Math.max(0, at - (seen.length - chunk.length));
            if (split > 0) await writer.write(chunk.subarray(0, split));
            rest = chunk.subarray(split);
            this.#held = Promise.withResolvers<void>();
            wire.resolve();
          }
        }
        if (this.#held) await this.#held.promise;
        await writer.write(rest);
      }
      await writer.close(); // the server's EOF reaches the client (as `pipeTo` does)
    } catch {
      /* either side closed */
    } finally {
      writer.releaseLock();
    }
  }

  async #accept(): Promise<void> {
    try {
      for await (const a of this.#listener) {
        this.accepted++;
        if (this.#blocked) {
          a.close();
          this.refused++;
          for (const w of [...this.#refusalWaiters]) {
            if (this.refused >= w.count) {
              this.#refusalWaiters.splice(this.#refusalWaiters.indexOf(w), 1);
              w.resolve();
            }
          }
          continue;
        }
        const connecting = Deno.connect(this.#target).then((b) => {
          const pipe = (from: Deno.TcpConn, to: Deno.TcpConn) =>
            from.readable.pipeTo(to.writable).catch(() => {});
          const pair = { a, b, done: Promise.resolve() as Promise<unknown> };
          pair.done = Promise.all([pipe(a, b), this.#down(b, a)]).finally(() => {
            this.#pairs.delete(pair);
            for (const conn of [a, b]) {
              try {
                conn.close();
              } catch { /* closed already */ }
            }
          });
          this.#pairs.add(pair);
        }, () => a.close());
        this.#refused.add(connecting);
        connecting.finally(() => this.#refused.delete(connecting));
      }
    } catch { /* the listener closed */ }
  }
}

/** The first index of `needle` in `haystack`, or -1. */
function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) {
      if (haystack[i + j] !== needle[j]) continue outer;
    }
    return i;
  }
  return -1;
}
