/**
 * Who may talk to the bridge: the Origin allow-list, the Host check (against DNS rebinding) and
 * where a client's token is read from (the browser subprotocol or an `Authorization` header).
 *
 * @module
 */
import { BRIDGE_PROTOCOL, BRIDGE_TOKEN_PROTOCOL_PREFIX } from "../transport/websocket_transport.ts";

export { BRIDGE_PROTOCOL, BRIDGE_TOKEN_PROTOCOL_PREFIX };

/**
 * Normalises an origin (`scheme://host[:port]`, no path, lower case). Returns `undefined` for
 * anything that is not an http(s) origin.
 *
 * @example
 * ```ts
 * import { normalizeOrigin } from "./request_policy.ts";
 * if (normalizeOrigin("HTTP://LocalHost:5173/") !== "http://localhost:5173") throw new Error();
 * if (normalizeOrigin("null") !== undefined) throw new Error("opaque origins are never allowed");
 * ```
 */
export function normalizeOrigin(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
    return url.origin.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * The origins a bridge serving its own page on `port` accepts: that page on `127.0.0.1` and
 * `localhost`, plus the configured ones.
 *
 * @example
 * ```ts
 * import { allowedOrigins } from "./request_policy.ts";
 * const set = allowedOrigins(8787, ["http://localhost:5173"]);
 * if (!set.has("http://127.0.0.1:8787") || !set.has("http://localhost:5173")) throw new Error();
 * ```
 */
export function allowedOrigins(port: number, extra: readonly string[] = []): Set<string> {
  const set = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  for (const origin of extra) {
    const normalized = normalizeOrigin(origin);
    if (normalized === undefined) throw new TypeError(`Not an http(s) origin: ${origin}`);
    set.add(normalized);
  }
  return set;
}

/**
 * Whether the request's `Host` names this bridge (`127.0.0.1:<port>` or `localhost:<port>`). A
 * page on another site that rebinds its DNS name to 127.0.0.1 sends its own name and is refused.
 *
 * @example
 * ```ts
 * import { hostAllowed } from "./request_policy.ts";
 * const ok = new Request("http://127.0.0.1:8787/", { headers: { host: "127.0.0.1:8787" } });
 * if (!hostAllowed(ok, 8787)) throw new Error("own host refused");
 * const evil = new Request("http://evil.test:8787/", { headers: { host: "evil.test:8787" } });
 * if (hostAllowed(evil, 8787)) throw new Error("rebinding host accepted");
 * ```
 */
export function hostAllowed(request: Request, port: number): boolean {
  const host = (request.headers.get("host") ?? "").toLowerCase();
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/** How a WebSocket upgrade request presented its token. */
export interface PresentedCredentials {
  /** The token, if any was presented. */
  readonly token: string | undefined;
  /** Whether the client offered the bridge's subprotocol (a browser); answer with it. */
  readonly offeredProtocol: boolean;
}

/**
 * Reads the token of an upgrade request: the `codex-worker.token.<token>` subprotocol a browser
 * offers (next to `codex-worker.v1`), or the `Authorization: Bearer` header Deno clients send.
 *
 * @example
 * ```ts
 * import { presentedCredentials } from "./request_policy.ts";
 * const request = new Request("http://127.0.0.1:1/ws", {
 *   headers: { "sec-websocket-protocol": "codex-worker.v1, codex-worker.token.abc" },
 * });
 * const creds = presentedCredentials(request);
 * if (creds.token !== "abc" || !creds.offeredProtocol) throw new Error("unexpected");
 * ```
 */
export function presentedCredentials(request: Request): PresentedCredentials {
  const offered = (request.headers.get("sec-websocket-protocol") ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  const fromProtocol = offered.find((p) => p.startsWith(BRIDGE_TOKEN_PROTOCOL_PREFIX));
  const auth = request.headers.get("authorization") ?? "";
  const bearer = /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim();
  return {
    token: fromProtocol !== undefined
      ? fromProtocol.slice(BRIDGE_TOKEN_PROTOCOL_PREFIX.length)
      : bearer,
    offeredProtocol: offered.includes(BRIDGE_PROTOCOL),
  };
}
