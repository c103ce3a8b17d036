/// <reference lib="dom" />
/**
 * The page's connection to codex through the bridge: connects (`POST bridge/session` hands the
 * page its WebSocket URL and token, same origin) and shows the state in the header's status pill.
 * A dropped socket is survived by the SDK (`reconnect`: running turns go on in their handles;
 * `sdk/disconnected` and `sdk/reconnected` show "reconnecting" and "connected"). When the SDK
 * gives up, the page starts over (a few tries, then "disconnected" with a Reconnect button).
 *
 * @module
 */
import { Codex, type CodexEvent, type ServerRequestHandlers } from "../../mod.ts";

/** Connection states the header shows. */
export type ConnectionState = "connecting" | "connected" | "reconnecting" | "disconnected";

/** What {@link ConnectionKeeper} needs from the page. */
export interface KeeperOptions {
  /** Handlers of the server's requests (approvals). */
  readonly serverRequests: ServerRequestHandlers;
  /** The header's status pill, detail line and Reconnect button. */
  readonly $: {
    readonly status: HTMLElement;
    readonly detail: HTMLElement;
    readonly reconnect: HTMLElement;
  };
  /** The state changed (panels re-render: Send is enabled only while connected). */
  onState(state: ConnectionState): void;
  /** Connected (again). */
  onConnected(codex: Codex): void;
  /** Re-attaches the open threads after a reconnect, before the page says "connected". */
  resumeOpenThreads(codex: Codex): Promise<void>;
  /** The connection was lost (before reconnecting starts). */
  onLost(): void;
  /** Events outside any turn (`serverRequest/resolved`, `thread/started`, ...). */
  onGlobal(batch: CodexEvent[]): void;
}

/**
 * Keeps the page connected.
 *
 * @example
 * ```ts ignore
 * const keeper = new ConnectionKeeper(options);
 * keeper.start();
 * ```
 */
export class ConnectionKeeper {
  /** The live connection, if any. */
  codex: Codex | undefined;
  /** The current state. */
  state: ConnectionState = "connecting";
  /** Every state taken, in order (read by the tests). */
  states: ConnectionState[] = [];
  readonly #options: KeeperOptions;
  #generation = 0;

  /** Wires the Reconnect button; call {@link start} to connect. */
  constructor(options: KeeperOptions) {
    this.#options = options;
    options.$.reconnect.addEventListener("click", () => {
      if (this.state !== "disconnected") return;
      this.#setState("reconnecting");
      this.start(true);
    });
  }

  /** Connects (after a loss: with a few delayed retries). */
  async start(reconnecting = false): Promise<void> {
    if (!reconnecting) this.#setState("connecting");
    const gen = ++this.#generation;
    const delays = reconnecting ? [250, 500, 1000, 2000] : [0];
    let lastError = "";
    for (const delay of delays) {
      if (delay) await new Promise((r) => setTimeout(r, delay));
      try {
        const connected = await this.#connect();
        if (gen !== this.#generation) {
          await connected.close();
          return;
        }
        this.codex = connected;
        try {
          // Open panels are re-attached before the page says "connected" (and enables Send).
          if (reconnecting) await this.#options.resumeOpenThreads(connected);
        } catch (err) {
          this.codex = undefined;
          await connected.close().catch(() => {});
          throw err;
        }
        this.#watch(connected, gen);
        this.#setState("connected", connected.metadata.userAgent);
        this.#options.onConnected(connected);
        return;
      } catch (err) {
        lastError = (err as Error).message;
      }
    }
    this.#setState("disconnected", lastError);
  }

  #setState(next: ConnectionState, detail = ""): void {
    this.state = next;
    this.states.push(next);
    const { status, detail: detailEl } = this.#options.$;
    status.textContent = next;
    status.className = `conn ${next}`;
    document.body.dataset.connection = next;
    detailEl.textContent = detail;
    this.#options.onState(next);
  }

  async #connect(): Promise<Codex> {
    const response = await fetch("bridge/session", { method: "POST" });
    if (!response.ok) throw new Error(`the bridge refused the session (HTTP ${response.status})`);
    const session = await response.json() as { url: string; token: string };
    return await Codex.connect({
      url: session.url,
      token: session.token,
      serverRequests: this.#options.serverRequests,
      clientInfo: {
        name: "codex_worker_web_demo",
        title: "codex-worker web demo",
        version: "0.1.0",
      },
      connectTimeoutMs: 15_000,
      // A dropped socket is survived: running turns go on in their handles (an `sdk/gap`). When
      // every attempt fails, `waitClosed` resolves and the page starts over (below).
      reconnect: { maxAttempts: 5, initialDelayMs: 250, maxDelayMs: 2_000 },
      // The page renders once per animation frame, so one batch per frame is all it can use.
      // `?batchIntervalMs=N` overrides it (the full-stack benchmark compares settings).
      batchIntervalMs: Number(new URLSearchParams(location.search).get("batchIntervalMs") ?? 16),
    });
  }

  #watch(connection: Codex, gen: number): void {
    (async () => {
      const source = await connection.connection.subscribe();
      for await (const batch of source) {
        for (const ev of batch) {
          if (ev.method === "sdk/disconnected") {
            this.#setState("reconnecting", (ev.params as { message: string }).message);
          } else if (ev.method === "sdk/reconnected") {
            this.#setState("connected", connection.metadata.userAgent);
            this.#options.onConnected(connection);
          }
        }
        this.#options.onGlobal(batch);
      }
    })().catch(() => {});
    connection.connection.waitClosed().then((error) => {
      if (gen !== this.#generation) return;
      this.codex = undefined;
      this.#options.onLost();
      this.#setState("reconnecting", error.message);
      this.start(true);
    });
  }
}
