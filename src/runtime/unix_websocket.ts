/**
 * The runtime adapter for WebSocket over a unix socket (`codex app-server --listen unix://…`
 * and the daemon's control socket). Deno's built-in WebSocket cannot dial a unix socket, so this
 * uses the npm `ws` client (`ws+unix://PATH:/`); the socket it returns has the browser
 * WebSocket's event-handler API, so `WebSocketTransport` drives it like any other. Deno (and
 * Node) only: browsers have no unix sockets, and `Codex.connect()` loads this file only when
 * `socket` is given.
 *
 * @module
 */

import NodeWebSocket from "ws";

/**
 * Opens a WebSocket to the app-server listening on the unix socket at `path`. The app-server
 * asks for no token there (the socket file's permissions guard it).
 *
 * @param path The socket file (a symlink into a per-user `codex-daemon-*` folder is followed).
 * @returns A connecting socket with the standard `onopen`/`onmessage`/`onclose` handlers.
 *
 * @example
 * ```ts ignore
 * import { openUnixWebSocket } from "./unix_websocket.ts";
 * const socket = openUnixWebSocket("/tmp/codex.sock");
 * socket.onopen = () => socket.send(JSON.stringify({ id: 1, method: "initialize", params: {} }));
 * ```
 */
export function openUnixWebSocket(path: string): WebSocket {
  if (path.includes(":")) {
    // `ws+unix://PATH:/request-path` splits at the first colon.
    throw new TypeError(`a unix socket path cannot contain ":": ${JSON.stringify(path)}`);
  }
  const socket = new NodeWebSocket(`ws+unix://${path}:/`, { handshakeTimeout: 10_000 });
  return socket as unknown as WebSocket;
}
