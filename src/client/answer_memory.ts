import type { ServerRequestEvent } from "../core/events.ts";
import type { ServerRequestHandler } from "../core/server_request_handler.ts";
import { requestKey } from "./resumable_turn_stream.ts";

type Answer = ReturnType<ServerRequestHandler>;

/**
 * Makes a server request of a running turn answered once across reconnections. When the
 * connection drops while a request is pending (an approval the user has not answered yet, or an
 * answer lost with the socket), the app-server asks again after `thread/resume`, with the same
 * method and params. The handler is then not called a second time: the same answer (or the
 * answer still being computed) goes to the new connection. Only requests of turns in `tracked`
 * are remembered, until {@link forget} is called for their turn.
 *
 * @example
 * ```ts
 * import { AnswerMemory } from "./answer_memory.ts";
 * let calls = 0;
 * const memory = new AnswerMemory(() => true);
 * const handler = memory.wrap(() => ({ result: { decision: "accept", n: ++calls } }));
 * const ev = {
 *   method: "item/tool/call",
 *   params: { threadId: "t", turnId: "u", callId: "c", namespace: null, tool: "x", arguments: {} },
 *   serverRequest: { id: 0 },
 * } as const;
 * await handler(ev);
 * await handler({ ...ev, serverRequest: { id: 7 } });
 * console.assert(calls === 1);
 * ```
 */
export class AnswerMemory {
  readonly #tracked: (turnId: string) => boolean;
  readonly #answers = new Map<string, { turnId: string; answer: Answer }>();

  /** Remembers answers of requests whose turn `tracked` says is followed across reconnections. */
  constructor(tracked: (turnId: string) => boolean) {
    this.#tracked = tracked;
  }

  /** Requests remembered (for tests). */
  get size(): number {
    return this.#answers.size;
  }

  /** The handler that answers a repeated request with the first answer. */
  wrap(handler: ServerRequestHandler): ServerRequestHandler {
    return (event: ServerRequestEvent) => {
      const turnId = (event.params as { turnId?: unknown }).turnId;
      if (typeof turnId !== "string" || !this.#tracked(turnId)) return handler(event);
      const key = requestKey(event);
      const known = this.#answers.get(key);
      if (known) return known.answer;
      const answer = Promise.resolve().then(() => handler(event));
      this.#answers.set(key, { turnId, answer });
      return answer;
    };
  }

  /** Drops what was remembered for `turnId` (its turn ended or was released). */
  forget(turnId: string): void {
    for (const [key, entry] of this.#answers) {
      if (entry.turnId === turnId) this.#answers.delete(key);
    }
  }
}
