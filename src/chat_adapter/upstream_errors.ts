/**
 * How upstream failures are worded: HTTP error bodies become a short excerpt and, where the
 * upstream says so, a Responses error code codex understands. Secrets never reach a message.
 *
 * @module
 */

const EXCERPT_CHARS = 500;

/**
 * A Responses error for a non-2xx upstream answer. The message carries the status and an
 * excerpt of the body. The code is `context_length_exceeded` when the body says the prompt is
 * too long (OpenAI and vLLM wording, llama.cpp's `exceed_context_size_error`), the upstream's own
 * `insufficient_quota` or `rate_limit_exceeded` code when present, and `upstream_http_error`
 * otherwise.
 *
 * @example
 * ```ts
 * import { httpError } from "./upstream_errors.ts";
 * const error = httpError(400, "Bad Request", '{"error":{"type":"exceed_context_size_error"}}');
 * console.assert(error.code === "context_length_exceeded");
 * console.assert(error.message.startsWith("Upstream chat completions request failed: HTTP 400"));
 * ```
 */
export function httpError(
  status: number,
  statusText: string,
  body: string,
): { code: string; message: string } {
  const excerpt = body.replace(/\s+/g, " ").trim().slice(0, EXCERPT_CHARS);
  const message = `Upstream chat completions request failed: HTTP ${status}` +
    (statusText ? ` ${statusText}` : "") + (excerpt ? `: ${excerpt}` : "");
  return { code: errorCode(body), message };
}

function errorCode(body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  const error = isObject(parsed) && isObject(parsed.error) ? parsed.error : {};
  const code = typeof error.code === "string" ? error.code : "";
  if (code === "insufficient_quota" || code === "rate_limit_exceeded") return code;
  if (
    code === "context_length_exceeded" || error.type === "exceed_context_size_error" ||
    /maximum context length|context length exceeded|exceeds the available context size/i.test(
      body,
    )
  ) {
    return "context_length_exceeded";
  }
  return "upstream_http_error";
}

/**
 * Replaces every occurrence of `secret` in `text` with `[redacted]`.
 *
 * @example
 * ```ts
 * import { redact } from "./upstream_errors.ts";
 * console.assert(redact("bad key sk-123", "sk-123") === "bad key [redacted]");
 * ```
 */
export function redact(text: string, secret: string | undefined): string {
  return secret ? text.replaceAll(secret, "[redacted]") : text;
}

/**
 * A URL fit for messages: user name and password removed.
 *
 * @example
 * ```ts
 * import { displayUrl } from "./upstream_errors.ts";
 * console.assert(displayUrl("http://u:p@127.0.0.1:8080/v1") === "http://127.0.0.1:8080/v1");
 * ```
 */
export function displayUrl(url: string): string {
  const parsed = new URL(url);
  parsed.username = "";
  parsed.password = "";
  return parsed.href;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
