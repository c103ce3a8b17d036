/**
 * The JSON-RPC framing of one app-server connection: a message text in, one call on a
 * {@link MessageSink} out (request, notification, response, or why it is invalid); and the
 * texts the client writes. Knows no method: routing is the router's job.
 *
 * @module
 */
import type { RpcErrorObject } from "../errors/rpc_error_mapping.ts";

/** Receives what {@link decodeMessage} found in one message text. */
export interface MessageSink {
  /** A request from the server (it has an id and a method). */
  request(id: number | string, method: string, params: unknown): void;
  /** A notification (a method, no id). */
  notification(method: string, params: unknown): void;
  /** A response to one of the client's requests (an id, and `result` or `error`). */
  response(id: number | string, message: { result?: unknown; error?: unknown }): void;
  /** Not a message the protocol allows: why, and the text. */
  invalid(reason: string, text: string): void;
}

/**
 * Parses one message text and reports it to `sink`. Malformed input is reported, never thrown:
 * invalid JSON, a non-object, a batch (array), a text over `maxChars`, or an object that is
 * neither request, response nor notification.
 *
 * @example
 * ```ts
 * import { decodeMessage, type MessageSink } from "./message_codec.ts";
 * const seen: string[] = [];
 * const sink: MessageSink = {
 *   request: (id, method) => seen.push(`request ${id} ${method}`),
 *   notification: (method) => seen.push(`notification ${method}`),
 *   response: (id) => seen.push(`response ${id}`),
 *   invalid: (reason) => seen.push(`invalid: ${reason}`),
 * };
 * decodeMessage('{"id":1,"result":{}}', 1_000, sink);
 * decodeMessage('{"method":"turn/started","params":{}}', 1_000, sink);
 * decodeMessage("[1,2]", 1_000, sink);
 * const expected = [
 *   "response 1",
 *   "notification turn/started",
 *   "invalid: JSON-RPC batches are not supported",
 * ];
 * if (seen.join("; ") !== expected.join("; ")) throw new Error(seen.join("; "));
 * ```
 */
export function decodeMessage(text: string, maxChars: number, sink: MessageSink): void {
  if (text.length > maxChars) {
    sink.invalid(`Message of ${text.length} characters exceeds the limit`, text);
    return;
  }
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    sink.invalid("Invalid JSON from the app-server", text);
    return;
  }
  if (typeof message !== "object" || message === null || Array.isArray(message)) {
    sink.invalid(
      Array.isArray(message)
        ? "JSON-RPC batches are not supported"
        : "A JSON-RPC message must be an object",
      text,
    );
    return;
  }
  const m = message as {
    id?: unknown;
    method?: unknown;
    params?: unknown;
    result?: unknown;
    error?: unknown;
  };
  const hasId = typeof m.id === "number" || typeof m.id === "string";
  if (typeof m.method === "string") {
    if (hasId) sink.request(m.id as number | string, m.method, m.params);
    else sink.notification(m.method, m.params);
    return;
  }
  if (hasId && ("result" in m || "error" in m)) {
    sink.response(m.id as number | string, m);
    return;
  }
  sink.invalid("Message is neither a request, a response nor a notification", text);
}

/**
 * The text of a request (params default to `{}`) or, without `id`, of a notification.
 *
 * @example
 * ```ts
 * import { encodeRequest } from "./message_codec.ts";
 * if (encodeRequest(1, "model/list", undefined) !== '{"id":1,"method":"model/list","params":{}}') {
 *   throw new Error("params default to {}");
 * }
 * if (encodeRequest(undefined, "initialized", undefined) !== '{"method":"initialized"}') {
 *   throw new Error("a notification without params has none");
 * }
 * ```
 */
export function encodeRequest(
  id: number | string | undefined,
  method: string,
  params: unknown,
): string {
  if (id === undefined) {
    return JSON.stringify(params === undefined ? { method } : { method, params });
  }
  return JSON.stringify({ id, method, params: params ?? {} });
}

/**
 * The text of the client's answer to a server request: its result (default `{}`) or an error.
 *
 * @example
 * ```ts
 * import { encodeAnswer } from "./message_codec.ts";
 * const refused = encodeAnswer(3, undefined, { code: -32601, message: "Unsupported" });
 * if (JSON.parse(refused).error.code !== -32601) throw new Error("an error answer");
 * if (encodeAnswer(4, undefined, undefined) !== '{"id":4,"result":{}}') throw new Error("{}");
 * ```
 */
export function encodeAnswer(
  id: number | string,
  result: unknown,
  error: RpcErrorObject | undefined,
): string {
  return JSON.stringify(error ? { id, error } : { id, result: result ?? {} });
}
