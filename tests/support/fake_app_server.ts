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
  }

  on(method: string, handler: Handler): this {
    this.handlers.set(method, handler);
    return this;
  }

  emit(method: string, params: unknown): void {
    this.transport.peer.send({ method, params, emittedAtMs: Date.now() });
  }

  reply(id: unknown, result: unknown): void {
    this.transport.peer.send({ id, result });
  }

  replyError(id: unknown, code: number, message: string, data?: unknown): void {
    this.transport.peer.send({ id, error: { code, message, data } });
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
