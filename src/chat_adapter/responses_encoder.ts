/**
 * {@link ResponsesEncoder}: writes {@link ChatStreamEvent}s as the Responses API SSE events that
 * codex reads (`response.created`, `response.output_item.added`, `response.output_text.delta`,
 * `response.reasoning_text.delta`, `response.output_item.done`, `response.completed`,
 * `response.failed`).
 *
 * @module
 */

import type { ChatStreamEvent, OutputItem } from "./stream_events.ts";

/**
 * Where a flattened chat tool name came from: codex namespaces (such as `multi_agent_v1`) are
 * offered to chat models as `<namespace>__<name>` and must be split again on the way back.
 *
 * @example
 * ```ts
 * import type { NamespacedToolName } from "./responses_encoder.ts";
 * const names = new Map<string, NamespacedToolName>([
 *   ["multi_agent_v1__wait_agent", { namespace: "multi_agent_v1", name: "wait_agent" }],
 * ]);
 * console.assert(names.get("multi_agent_v1__wait_agent")?.name === "wait_agent");
 * ```
 */
export interface NamespacedToolName {
  readonly namespace: string;
  readonly name: string;
}

/**
 * Options of {@link ResponsesEncoder}.
 *
 * @example
 * ```ts
 * import { ResponsesEncoder, type ResponsesEncoderOptions } from "./responses_encoder.ts";
 * const options: ResponsesEncoderOptions = { responseId: "resp_1" };
 * console.assert(new ResponsesEncoder(options).created().startsWith("event: response.created"));
 * ```
 */
export interface ResponsesEncoderOptions {
  /** The response id; item ids are derived from it. */
  readonly responseId: string;
  /** Flattened tool names to split back into `namespace` and `name`. */
  readonly namespacedTools?: ReadonlyMap<string, NamespacedToolName>;
}

const ID_PREFIX = { message: "msg", reasoning: "rs", function_call: "fc" } as const;

type TextItemType = "message" | "reasoning";

interface OpenItem {
  readonly type: TextItemType;
  readonly id: string;
  readonly outputIndex: number;
  readonly text: string[];
}

/**
 * Encodes one response. Item ids are `msg_…`, `rs_…` and `fc_…` plus the response id and the
 * output index, so they are unique within a thread as long as response ids are.
 *
 * Responses items are sequential, and codex tracks one open item: when a chat stream interleaves
 * them (reasoning still open when the answer starts, as codex's own chat parser reported it), the
 * encoder closes the open item before it opens the next one, and opens a fresh item if text for
 * a closed one arrives later. A late `item_done` for an item already closed is dropped. So every
 * item is `output_item.added`, its deltas, then `output_item.done`, with nothing in between.
 *
 * @example A text answer
 * ```ts
 * import { ResponsesEncoder } from "./responses_encoder.ts";
 * const encoder = new ResponsesEncoder({ responseId: "resp_1" });
 * const sse = encoder.created() +
 *   encoder.encode({
 *     type: "item_added",
 *     item: { type: "message", role: "assistant", content: [] },
 *   }) +
 *   encoder.encode({ type: "text_delta", delta: "hi" }) +
 *   encoder.encode({ type: "completed" });
 * console.assert(sse.includes('"item_id":"msg_resp_1_0"'));
 * console.assert(sse.includes("event: response.output_item.done"));
 * console.assert(sse.endsWith('"response":{"id":"resp_1","status":"completed"}}\n\n'));
 * ```
 */
export class ResponsesEncoder {
  readonly #responseId: string;
  readonly #namespacedTools: ReadonlyMap<string, NamespacedToolName>;
  #nextOutputIndex = 0;
  #open: OpenItem | undefined;

  /** Creates an encoder for one response. */
  constructor(options: ResponsesEncoderOptions) {
    this.#responseId = options.responseId;
    this.#namespacedTools = options.namespacedTools ?? new Map();
  }

  /** The `response.created` event, sent first. */
  created(): string {
    return formatSseEvent("response.created", {
      type: "response.created",
      response: { id: this.#responseId, status: "in_progress" },
    });
  }

  /** Encodes one event as zero or more SSE events. */
  encode(event: ChatStreamEvent): string {
    switch (event.type) {
      case "item_added":
        return this.#close() + this.#openItem(event.item.type);
      case "text_delta":
      case "reasoning_delta": {
        const type = event.type === "text_delta" ? "message" : "reasoning";
        const opened = this.#open?.type === type ? "" : this.#close() + this.#openItem(type);
        const open = this.#open!;
        open.text.push(event.delta);
        return opened + formatSseEvent(DELTA_EVENT[type], {
          type: DELTA_EVENT[type],
          item_id: open.id,
          output_index: open.outputIndex,
          content_index: 0,
          delta: event.delta,
        });
      }
      case "item_done":
        if (event.item.type !== "function_call") {
          return this.#open?.type === event.item.type ? this.#close() : "";
        }
        return this.#close() + this.#done(event.item, this.#nextOutputIndex++);
      case "completed":
        return this.#close() + formatSseEvent("response.completed", {
          type: "response.completed",
          response: {
            id: this.#responseId,
            status: "completed",
            ...(event.usage ? { usage: event.usage } : {}),
          },
        });
      case "failed":
        return formatSseEvent("response.failed", {
          type: "response.failed",
          response: {
            id: this.#responseId,
            status: "failed",
            error: { code: event.code, message: event.message },
          },
        });
    }
  }

  #openItem(type: TextItemType): string {
    const outputIndex = this.#nextOutputIndex++;
    const id = `${ID_PREFIX[type]}_${this.#responseId}_${outputIndex}`;
    this.#open = { type, id, outputIndex, text: [] };
    const item = type === "message"
      ? { type: "message", id, role: "assistant", content: [] }
      : { type: "reasoning", id, summary: [], content: [] };
    return formatSseEvent("response.output_item.added", {
      type: "response.output_item.added",
      output_index: outputIndex,
      item,
    });
  }

  #close(): string {
    const open = this.#open;
    if (!open) return "";
    this.#open = undefined;
    const text = open.text.join("");
    const item: OutputItem = open.type === "message"
      ? { type: "message", role: "assistant", content: [{ type: "output_text", text }] }
      : { type: "reasoning", content: [{ type: "reasoning_text", text }] };
    return this.#done(item, open.outputIndex, open.id);
  }

  #done(item: OutputItem, outputIndex: number, id?: string): string {
    return formatSseEvent("response.output_item.done", {
      type: "response.output_item.done",
      output_index: outputIndex,
      item: this.#wireItem(
        item,
        id ?? `${ID_PREFIX[item.type]}_${this.#responseId}_${outputIndex}`,
      ),
    });
  }

  #wireItem(item: OutputItem, id: string): Record<string, unknown> {
    switch (item.type) {
      case "message":
        return {
          type: "message",
          id,
          role: "assistant",
          content: item.content.map((part) => ({ ...part, annotations: [] })),
        };
      case "reasoning":
        return { type: "reasoning", id, summary: [], content: item.content };
      case "function_call": {
        const namespaced = this.#namespacedTools.get(item.name);
        return {
          type: "function_call",
          id,
          call_id: item.call_id,
          ...(namespaced ? { namespace: namespaced.namespace, name: namespaced.name } : {
            name: item.name,
          }),
          arguments: item.arguments,
        };
      }
    }
  }
}

const DELTA_EVENT = {
  message: "response.output_text.delta",
  reasoning: "response.reasoning_text.delta",
} as const;

/**
 * Formats one SSE event: `event: <type>\ndata: <json>\n\n`.
 *
 * @example
 * ```ts
 * import { formatSseEvent } from "./responses_encoder.ts";
 * const text = formatSseEvent("response.created", { type: "response.created" });
 * console.assert(text === 'event: response.created\ndata: {"type":"response.created"}\n\n');
 * ```
 */
export function formatSseEvent(type: string, payload: unknown): string {
  return `event: ${type}\ndata: ${JSON.stringify(payload)}\n\n`;
}
