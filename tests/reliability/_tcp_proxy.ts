/**
 * A cuttable TCP proxy on 127.0.0.1 for dropping a WebSocket without killing the app-server
 * behind it: `cut()` closes every live connection abruptly (no close frame), `block()` makes new
 * connections fail at once until `unblock()`.
 */
export class TcpProxy implements AsyncDisposable {
  readonly #listener: Deno.Listener<Deno.TcpConn>;
  readonly #target: { hostname: string; port: number };
  readonly #pairs = new Set<{ a: Deno.TcpConn; b: Deno.TcpConn; done: Promise<unknown> }>();
  readonly #refused = new Set<Promise<void>>();
  #blocked = false;
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

  /** Lets new connections through again. */
  unblock(): void {
    this.#blocked = false;
  }

  /** Closes every live connection on both sides; resolves when their pipes have stopped. */
  async cut(): Promise<void> {
    const pairs = [...this.#pairs];
    for (const { a, b } of pairs) {
      for (const conn of [a, b]) {
        try {
          conn.close();
        } catch { /* closed already */ }
      }
    }
    await Promise.all(pairs.map((p) => p.done));
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
          pair.done = Promise.all([pipe(a, b), pipe(b, a)]).finally(() => {
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
