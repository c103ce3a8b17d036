import { MemoryTransport } from "../../src/transport/memory_transport.ts";

type Message = Record<string, unknown>;
type Handler = (params: Record<string, unknown>, server: FakeAppServer, id: unknown) =>
  | unknown
  | undefined;

/**
 * A scripted app-server over a MemoryTransport for unit tests: answers `initialize`, and any
 * method given a handler. A handler returns the result (or `FakeAppServer.NO_REPLY` to answer
 * later with `reply()`), and may `emit()` notifications before returning.
 */
export class FakeAppServer {
  static readonly NO_REPLY = Symbol("no reply");
  readonly transport = new MemoryTransport();
  #socket: WebSocket | undefined;
  #server: Deno.HttpServer | undefined;
  /** Resolves when a client connection (memory or WebSocket) is closed, by either side. */
  readonly clientClosed: Promise<void>;
  #clientClosed!: () => void;
  readonly handlers = new Map<string, Handler>();
  readonly clientResponses: Message[] = [];
  #turnSeq = 0;

  constructor() {
    this.handlers.set("initialize", () => ({
      userAgent: "codex_worker/0.169.0 (Test)",
      codexHome: "/tmp/codex",
      platformFamily: "unix",
      platformOs: "linux",
    }));
    this.transport.peer.onMessage = (msg) => this.#onMessage(msg);
    this.clientClosed = new Promise((resolve) => this.#clientClosed = resolve);
    this.transport.peer.onClose = () => this.#clientClosed();
  }

  /**
   * Also serves the same script over WebSocket on 127.0.0.1 (one client at a time), so the
   * Worker path can run against it. Returns the URL.
   */
  listen(): string {
    this.#server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
      const { socket, response } = Deno.upgradeWebSocket(req);
      socket.onmessage = (ev) => this.#onMessage(JSON.parse(ev.data as string));
      socket.onclose = () => {
        if (this.#socket === socket) this.#socket = undefined;
        this.#clientClosed();
      };
      this.#socket = socket;
      return response;
    });
    return `ws://127.0.0.1:${(this.#server.addr as Deno.NetAddr).port}`;
  }

  /** Drops the WebSocket client, like a dying server. */
  dropSocket(): void {
    this.#socket?.close(1011, "server went away");
  }

  /** Stops the WebSocket listener. */
  async close(): Promise<void> {
    this.#socket?.close();
    await this.#server?.shutdown();
  }

  #sendText(text: string): void {
    if (this.#socket) {
      if (this.#socket.readyState === WebSocket.OPEN) this.#socket.send(text);
    } else this.transport.peer.sendRaw(text);
  }

  on(method: string, handler: Handler): this {
    this.handlers.set(method, handler);
    return this;
  }

  emit(method: string, params: unknown): void {
    this.#sendText(JSON.stringify({ method, params, emittedAtMs: Date.now() }));
  }

  reply(id: unknown, result: unknown): void {
    this.#sendText(JSON.stringify({ id, result }));
  }

  replyError(id: unknown, code: number, message: string, data?: unknown): void {
    this.#sendText(JSON.stringify({ id, error: { code, message, data } }));
  }

  /** Sends a server→client request. */
  request(id: number, method: string, params: unknown): void {
    this.#sendText(JSON.stringify({ id, method, params }));
  }

  nextTurnId(): string {
    return `turn-${++this.#turnSeq}`;
  }

  /** Helpers to build turn notifications. */
  static turnCompleted(threadId: string, turnId: string, status = "completed", error = null) {
    return {
      threadId,
      turn: {
        id: turnId,
        items: [],
        itemsView: "summary",
        status,
        error,
        startedAt: 1,
        completedAt: 2,
        durationMs: 1,
      },
    };
  }

  #onMessage(msg: Message): void {
    if (!("method" in msg)) {
      this.clientResponses.push(msg);
      return;
    }
    if (!("id" in msg)) return; // client notification
    const handler = this.handlers.get(msg.method as string);
    if (!handler) {
      this.replyError(
        msg.id,
        -32600,
        `Invalid request: unknown variant \`${msg.method}\`, expected one of \`initialize\``,
      );
      return;
    }
    const result = handler((msg.params ?? {}) as Record<string, unknown>, this, msg.id);
    if (result !== FakeAppServer.NO_REPLY) this.reply(msg.id, result ?? {});
  }
}
