import type { CodexConnection, EventSource } from "../core/connection.ts";
import type { RequestParams, RequestResult, ThreadSearchResult, v2 } from "../protocol/mod.ts";
import type { CodexEvent } from "../core/events.ts";
import type { CallOptions } from "../core/call_options.ts";

/**
 * One step of a {@link ThreadSearch}: a best-effort batch of matches (`final: false`, rows may
 * later be dropped or re-sorted), then exactly one authoritative page (`final: true`, with the
 * cursors of `thread/search`).
 *
 * @example
 * ```ts
 * import type { ThreadSearchUpdate } from "./thread_search.ts";
 * const rows = (u: ThreadSearchUpdate) => u.final ? `${u.data.length} (final)` : `${u.data.length}`;
 * console.assert(rows({ final: false, data: [] }) === "0");
 * ```
 */
export type ThreadSearchUpdate =
  | { final: false; data: ThreadSearchResult[] }
  | ({ final: true } & RequestResult<"thread/search/stream">);

let searchSeq = 0;

/**
 * A running `thread/search/stream` (**experimental**: needs `experimentalApi`, the default, at
 * connect, and codex 0.171 or later). Iterate it for the server's `thread/search/partial`
 * batches of this search followed by the final page; `result` is the final page alone.
 * Leaving the loop early, `cancel()` or the `signal` sends `thread/search/stream/cancel`. The
 * final page supersedes the partial batches: any that arrive after it are not delivered.
 *
 * @example Find the thread that talked about bananas
 * ```ts
 * import { Codex } from "../../mod.ts";
 * import { reply, ResponsesModelServer, writeCodexHome } from "../testing/mod.ts";
 * await using model = await ResponsesModelServer.start({ script: [reply.text("Yellow.")] });
 * await using home = await writeCodexHome({ modelServerUrl: model.url });
 * await using codex = await Codex.connect({ codexHome: home.dir });
 * const thread = await codex.threadStart({});
 * await thread.run("what colour is a banana?");
 * for await (const update of codex.threadSearch({ searchTerm: "banana" })) {
 *   const ids = update.data.map((row) => row.thread.id);
 *   if (update.final && !ids.includes(thread.id)) throw new Error("not found");
 * }
 * ```
 */
export class ThreadSearch implements AsyncIterable<ThreadSearchUpdate> {
  /** The JSON-RPC id of the search request (its partial batches and cancel name it). */
  readonly requestId: string;
  /** The final page; rejects when the search fails, is cancelled or aborted. */
  readonly result: Promise<RequestResult<"thread/search/stream">>;
  readonly #conn: CodexConnection;
  readonly #source: Promise<EventSource<CodexEvent>>;
  #settled = false;
  #cancelSent = false;
  #iterated = false;

  /** Starts the search; prefer `codex.threadSearch(params)`. */
  constructor(
    conn: CodexConnection,
    params: RequestParams<"thread/search/stream">,
    options: CallOptions = {},
  ) {
    this.#conn = conn;
    this.requestId = `thread-search-${++searchSeq}-${crypto.randomUUID()}`;
    // Subscribe before sending, so no partial batch of this search is missed.
    this.#source = conn.subscribe({ observe: true });
    this.result = this.#source.then(() =>
      conn.request("thread/search/stream", params, { ...options, requestId: this.requestId })
    ).then((result) => result as RequestResult<"thread/search/stream">)
      .finally(() => this.#settled = true);
    this.result.catch(() => {}); // reported through iteration or `result`, not as unhandled
    options.signal?.addEventListener("abort", () => void this.cancel(), { once: true });
  }

  /** Stops the search on the server (`thread/search/stream/cancel`); idempotent. */
  async cancel(): Promise<void> {
    if (this.#settled || this.#cancelSent) return;
    this.#cancelSent = true;
    await this.#source.catch(() => {});
    await this.#conn.request("thread/search/stream/cancel", { requestId: this.requestId })
      .catch(() => {}); // the search already ended, or the connection did
  }

  /** The partial batches of this search, then its final page. Iterable once. */
  async *[Symbol.asyncIterator](): AsyncGenerator<ThreadSearchUpdate, void, undefined> {
    if (this.#iterated) throw new TypeError("a ThreadSearch can be iterated once");
    this.#iterated = true;
    const source = await this.#source;
    const batches = source[Symbol.asyncIterator]();
    const outcome = this.result.then(
      (value) => ({ kind: "result" as const, value }),
      (error: unknown) => ({ kind: "error" as const, error }),
    );
    let finished = false;
    try {
      let next = batches.next().then((step) => ({ kind: "batch" as const, step }));
      for (;;) {
        const got = await Promise.race([next, outcome]);
        if (got.kind === "error") throw got.error;
        if (got.kind === "result") {
          finished = true;
          yield { final: true, ...got.value };
          return;
        }
        if (got.step.done) {
          const end = await outcome; // the connection closed: the request settles with it
          if (end.kind === "error") throw end.error;
          finished = true;
          yield { final: true, ...end.value };
          return;
        }
        for (const event of got.step.value) {
          const data = this.#partial(event);
          if (data) yield { final: false, data };
        }
        next = batches.next().then((step) => ({ kind: "batch" as const, step }));
      }
    } finally {
      source.cancel();
      if (!finished) await this.cancel();
    }
  }

  #partial(event: CodexEvent): ThreadSearchResult[] | undefined {
    if (event.method !== "thread/search/partial" || "serverRequest" in event) return undefined;
    const params = event.params as Partial<v2.ThreadSearchPartialNotification> | undefined;
    return params?.requestId === this.requestId && Array.isArray(params.data)
      ? params.data
      : undefined;
  }
}
