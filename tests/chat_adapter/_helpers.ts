// Shared helpers for the chat adapter tests.

import { ChatStreamParser } from "../../src/chat_adapter/chat_stream_parser.ts";
import { ResponsesEncoder } from "../../src/chat_adapter/responses_encoder.ts";
import { SseDecoder } from "../../src/chat_adapter/sse_decoder.ts";
import type { ChatStreamEvent } from "../../src/chat_adapter/stream_events.ts";

/** An SSE body the way codex's tests built one: `event: message\ndata: {json}\n\n` each. */
export function buildBody(events: readonly unknown[]): string {
  return events.map((event) => `event: message\ndata: ${JSON.stringify(event)}\n\n`).join("");
}

/** Runs a whole SSE body through the decoder and parser, then ends the stream. */
export function collectEvents(body: string): ChatStreamEvent[] {
  const decoder = new SseDecoder();
  const parser = new ChatStreamParser();
  const events: ChatStreamEvent[] = [];
  for (const payload of [...decoder.push(body), ...decoder.finish()]) {
    events.push(...parser.push(payload));
  }
  events.push(...parser.finish());
  return events;
}

/** A parsed Responses SSE event. */
export interface SseEvent {
  readonly event: string;
  // deno-lint-ignore no-explicit-any
  readonly data: any;
}

/** Parses `event:`/`data:` pairs out of Responses SSE text, checking the framing. */
export function parseSse(text: string): SseEvent[] {
  if (text === "") return [];
  if (!text.endsWith("\n\n")) throw new Error(`SSE text does not end with a blank line: ${text}`);
  return text.slice(0, -2).split("\n\n").map((block) => {
    const lines = block.split("\n");
    if (lines.length !== 2 || !lines[0].startsWith("event: ") || !lines[1].startsWith("data: ")) {
      throw new Error(`Malformed SSE event: ${JSON.stringify(block)}`);
    }
    const event = lines[0].slice("event: ".length);
    const data = JSON.parse(lines[1].slice("data: ".length));
    if (data.type !== event) throw new Error(`event ${event} carries type ${data.type}`);
    return { event, data };
  });
}

/** Encodes internal events as a Responses SSE stream (without `response.created`). */
export function encodeAll(events: readonly ChatStreamEvent[], responseId = "resp_1"): SseEvent[] {
  const encoder = new ResponsesEncoder({ responseId });
  return parseSse(events.map((event) => encoder.encode(event)).join(""));
}

/** A short description of an event, for comparing sequences. */
export function describeEvent(event: ChatStreamEvent): string {
  switch (event.type) {
    case "item_added":
      return `added:${event.item.type}`;
    case "item_done":
      return event.item.type === "function_call"
        ? `done:function_call:${event.item.call_id}`
        : `done:${event.item.type}`;
    case "text_delta":
    case "reasoning_delta":
      return `${event.type}:${event.delta}`;
    case "completed":
      return "completed";
    case "failed":
      return `failed:${event.code}`;
  }
}

/** Throws unless `actual` and `expected` are the same plain data (key order ignored). */
export function assertEquals(actual: unknown, expected: unknown, message?: string): void {
  const a = canonical(actual);
  const e = canonical(expected);
  if (a !== e) {
    throw new Error(
      `${message ? message + ": " : ""}values differ\nactual:   ${a}\nexpected: ${e}`,
    );
  }
}

/** Throws unless `condition` holds. */
export function assert(condition: unknown, message = "assertion failed"): asserts condition {
  if (!condition) throw new Error(message);
}

function canonical(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v) =>
      v && typeof v === "object" && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
        : v === undefined
        ? "<undefined>"
        : v,
  );
}
