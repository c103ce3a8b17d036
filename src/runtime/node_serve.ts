/**
 * HTTP + WebSocket serving on Node, with the same `Request` → `Response` handler as on Deno:
 * `node:http` for requests (streamed bodies both ways, `request.signal` aborting when the client
 * goes away), the `ws` server for upgrades ({@link ./node_server_socket.ts}).
 *
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { Readable } from "node:stream";
import { type WebSocket as NodeWebSocket, WebSocketServer } from "ws";
import { ServerSocket } from "./node_server_socket.ts";
import type {
  HttpServer,
  RequestContext,
  RequestHandler,
  ServeOptions,
  UpgradedWebSocket,
} from "./runtime.ts";

function toRequest(req: IncomingMessage, hostname: string, signal: AbortSignal): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  const method = req.method ?? "GET";
  const body = method === "GET" || method === "HEAD"
    ? undefined
    : Readable.toWeb(req) as unknown as ReadableStream<Uint8Array>;
  const url = `http://${req.headers.host ?? hostname}${req.url ?? "/"}`;
  return new Request(url, { method, headers, body, signal, duplex: "half" } as RequestInit);
}

function headerRecord(response: Response): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    out[name] = name === "set-cookie" ? response.headers.getSetCookie() : value;
  });
  return out;
}

async function writeResponse(response: Response, res: ServerResponse): Promise<void> {
  res.writeHead(response.status, response.statusText, headerRecord(response));
  if (!response.body) return void res.end();
  const reader = response.body.getReader();
  res.once("close", () => reader.cancel().catch(() => {}));
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value)) await new Promise((resume) => res.once("drain", resume));
    }
  } catch { /* the body failed, or the client left: end what was sent */ }
  res.end();
}

/** Answers a refused upgrade (a plain `Response`) on the raw socket, then closes it. */
async function refuseUpgrade(response: Response, socket: Socket): Promise<void> {
  const body = new Uint8Array(await response.arrayBuffer());
  const lines = [`HTTP/1.1 ${response.status} ${response.statusText || "Error"}`];
  response.headers.forEach((value, name) => lines.push(`${name}: ${value}`));
  lines.push(`content-length: ${body.length}`, "connection: close", "", "");
  socket.end(Buffer.concat([Buffer.from(lines.join("\r\n")), body]));
}

/**
 * Serves `handler` on `options.hostname` (default 127.0.0.1) and `options.port` (default any).
 *
 * @example
 * ```ts
 * import { serveNode } from "./node_serve.ts";
 * const server = await serveNode({}, () => new Response("ok"));
 * const text = await (await fetch(`http://127.0.0.1:${server.port}/`)).text();
 * await server.shutdown();
 * if (text !== "ok") throw new Error(text);
 * ```
 */
export function serveNode(options: ServeOptions, handler: RequestHandler): Promise<HttpServer> {
  const hostname = options.hostname ?? "127.0.0.1";
  const upgrades = new WeakMap<Response, { socket: ServerSocket; protocol?: string }>();
  const context: RequestContext = {
    upgradeWebSocket(_request, upgrade = {}): UpgradedWebSocket {
      const socket = new ServerSocket();
      const response = new Response(null, { status: 200 });
      upgrades.set(response, { socket, protocol: upgrade.protocol });
      return { socket: socket as unknown as WebSocket, response };
    },
  };
  const wss = new WebSocketServer({ noServer: true, handleProtocols: () => false });
  const server = createServer((req, res) => {
    const aborter = new AbortController();
    res.once("close", () => {
      if (!res.writableFinished) aborter.abort();
    });
    Promise.resolve()
      .then(() => handler(toRequest(req, hostname, aborter.signal), context))
      .then((response) => writeResponse(response, res))
      .catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
  });
  server.on("upgrade", (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on("error", () => {});
    const request = toRequest(req, hostname, new AbortController().signal);
    Promise.resolve()
      .then(() => handler(request, context))
      .then((response) => {
        const upgrade = upgrades.get(response);
        if (!upgrade) return refuseUpgrade(response, socket);
        const protocols = new Set(
          (req.headers["sec-websocket-protocol"] ?? "").split(",").map((p) => p.trim()),
        );
        wss.options.handleProtocols = () =>
          upgrade.protocol !== undefined && protocols.has(upgrade.protocol)
            ? upgrade.protocol
            : false;
        wss.handleUpgrade(req, socket, head, (ws: NodeWebSocket) => upgrade.socket.attach(ws));
      })
      .catch(() => socket.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, hostname, () => {
      const address = server.address();
      resolve({
        port: typeof address === "object" && address ? address.port : 0,
        shutdown: () =>
          new Promise<void>((done) => {
            for (const client of wss.clients) client.terminate();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
