/**
 * Secrets of the bridge: a random per-launch token and a constant-time comparison.
 *
 * @module
 */

const encoder = new TextEncoder();

/**
 * A fresh random token: 32 bytes from the platform CSPRNG as 64 lower-case hex characters. Hex
 * keeps it valid inside a WebSocket subprotocol name (`codex-worker.token.<token>`).
 *
 * @example
 * ```ts
 * import { generateToken } from "./token.ts";
 * const token = generateToken();
 * if (!/^[0-9a-f]{64}$/.test(token)) throw new Error("unexpected token shape");
 * ```
 */
export function generateToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The hex SHA-256 digest of `text` (what `codex app-server --ws-token-sha256` expects).
 *
 * @example
 * ```ts
 * import { sha256Hex } from "./token.ts";
 * const hex = await sha256Hex("abc");
 * if (!hex.startsWith("ba7816bf")) throw new Error("unexpected digest");
 * ```
 */
export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Compares a presented secret with the expected one in constant time: both are hashed first, so
 * neither the content nor the length of the expected token leaks through timing.
 *
 * @example
 * ```ts
 * import { tokensEqual } from "./token.ts";
 * if (!(await tokensEqual("s3cret", "s3cret"))) throw new Error("should match");
 * if (await tokensEqual("s3cret", "guess")) throw new Error("should not match");
 * ```
 */
export async function tokensEqual(presented: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(presented)),
    crypto.subtle.digest("SHA-256", encoder.encode(expected)),
  ]);
  const x = new Uint8Array(a);
  const y = new Uint8Array(b);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i] ^ y[i];
  return diff === 0 && expected.length > 0;
}
