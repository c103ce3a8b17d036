/**
 * The bridge's side of an app-server connection: opening one authenticated WebSocket, and
 * probing whether the app-server still answers.
 *
 * @module
 */
import { ConnectError } from "../errors/errors.ts";
import { runtime } from "../runtime/current.ts";

/**
 * Opens a WebSocket to the app-server at `url`, presenting `token` as a bearer token (the
 * app-server only accepts credentials as an `Authorization` header). Rejects with
 * `ConnectError` when the app-server refuses or does not answer within 10 s.
 *
 * @example
 * ```ts ignore
 * import { openUpstream } from "./upstream_socket.ts";
 * const socket = await openUpstream("ws://127.0.0.1:4500", "app-server-secret");
 * socket.close();
 * ```
 */
export async function openUpstream(url: string, token?: string): Promise<WebSocket> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const socket = runtime.openWebSocket(url, { headers });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new ConnectError("timed out connecting to the app-server"));
      socket.close();
    }, 10_000);
    socket.onopen = () => {
      clearTimeout(timer);
      resolve();
    };
    socket.onerror = () => {};
    socket.onclose = (ev) => {
      clearTimeout(timer);
      reject(new ConnectError(`the app-server refused the connection (code ${ev.code})`));
    };
  });
  socket.onopen = socket.onclose = socket.onerror = null;
  return socket;
}

/**
 * Whether the app-server at `wsUrl` answers `GET /readyz` within 2 s.
 *
 * @example
 * ```ts
 * import { isReady } from "./upstream_socket.ts";
 * if (await isReady("ws://127.0.0.1:9")) throw new Error("nothing listens on port 9");
 * ```
 */
export async function isReady(wsUrl: string): Promise<boolean> {
  const url = new URL(wsUrl);
  url.protocol = url.protocol === "wss:" ? "https:" : "http:";
  url.pathname = "/readyz";
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}
