const PATTERNS: RegExp[] = [
  /(authorization:\s*bearer\s+)[^\s"']+/gi,
  /(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
  /\b(sk-[A-Za-z0-9_-]{6})[A-Za-z0-9_-]+/g,
  /((?:api[_-]?key|token|secret|password)["']?\s*[:=]\s*["']?)[^\s"',}]+/gi,
];

/**
 * Removes things that look like credentials (bearer tokens, `sk-` keys, `token=...`) from text
 * before it reaches a log, an error message or the main thread.
 *
 * @example
 * ```ts
 * import { redactSecrets } from "./redact.ts";
 * console.assert(!redactSecrets("Authorization: Bearer abc.def.ghi").includes("abc.def"));
 * ```
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join("[redacted]");
  }
  for (const pattern of PATTERNS) out = out.replace(pattern, "$1[redacted]");
  return out;
}
