/**
 * Plain WebSocket clients of the bridge, the way a browser page talks to it: the token in a
 * subprotocol, one JSON-RPC message per frame.
 *
 * @module
 */

/** The subprotocol the bridge answers with. */
export const BROWSER_PROTOCOL = "codex-worker.v1";
/** The prefix of the subprotocol that carries the token. */
export const TOKEN_PREFIX = "codex-worker.token.";
/** `initialize` params of a test client. */
export const INIT = { clientInfo: { name: "bridge_test", title: null, version: "0.0.1" } };

const closes = new WeakMap<WebSocket, Promise<CloseEvent>>();

/** Opens a WebSocket the way a browser page does (token in a subprotocol). */
export function browserSocket(url: string, token: string): Promise<WebSocket> {
  const socket = new WebSocket(url, [BROWSER_PROTOCOL, TOKEN_PREFIX + token]);
  // Recorded from the start: a socket the server closes at once may close before anyone asks.
  closes.set(socket, new Promise((resolve) => socket.addEventListener("close", resolve)));
  return new Promise((resolve, reject) => {
    socket.onopen = () => resolve(socket);
    socket.onerror = () => {};
    socket.onclose = (ev) => reject(new Error(`closed before open (code ${ev.code})`));
  });
}

/** The socket's close event (also one that already happened, for {@link browserSocket}'s). */
export function nextClose(socket: WebSocket): Promise<CloseEvent> {
  return closes.get(socket) ??
    new Promise((resolve) => socket.addEventListener("close", resolve, { once: true }));
}

/** Sends one request and resolves with the message that answers it. */
export function request(
  socket: WebSocket,
  id: number,
  method: string,
  params: unknown,
): Promise<Record<string, unknown>> {
  return new Promise<Record<string, unknown>>((resolve) => {
    const onMessage = (ev: MessageEvent) => {
      const message = JSON.parse(ev.data);
      if (message.id === id) {
        socket.removeEventListener("message", onMessage);
        resolve(message);
      }
    };
    socket.addEventListener("message", onMessage);
    socket.send(JSON.stringify({ id, method, params }));
  });
}

/** The answer to one request, or the close event if the socket closes first. */
export function answerOrClose(
  socket: WebSocket,
  id: number,
  method: string,
  params: unknown,
): Promise<Record<string, unknown> | CloseEvent> {
  return Promise.race([request(socket, id, method, params), nextClose(socket)]);
}

/** Closes the socket and waits for the close handshake. */
export async function closeSocket(socket: WebSocket): Promise<void> {
  const closed = nextClose(socket);
  socket.close();
  await closed;
}

/** Resolves when a line matching `pattern` was seen; feed it every line with `push`. */
export class LineWaiter {
  readonly lines: string[] = [];
  #waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];

  /** Records a line and wakes the waiters it matches. */
  push = (line: string): void => {
    this.lines.push(line);
    this.#waiters = this.#waiters.filter((w) => {
      if (!w.pattern.test(line)) return true;
      w.resolve(line);
      return false;
    });
  };

  /** The next line (from now on) matching `pattern`. */
  next(pattern: RegExp): Promise<string> {
    return new Promise((resolve) => {
      this.#waiters.push({ pattern, resolve });
    });
  }
}
