/**
 * Serves a built web app (vite's `dist/`) from a directory, without ever leaving it.
 *
 * @module
 */
import { runtime } from "../runtime/current.ts";

const TYPES: Readonly<Record<string, string>> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  mjs: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  json: "application/json",
  map: "application/json",
  svg: "image/svg+xml",
  png: "image/png",
  ico: "image/x-icon",
  txt: "text/plain; charset=utf-8",
  wasm: "application/wasm",
};

/**
 * The content type for a file name (by extension; `application/octet-stream` otherwise).
 *
 * @example
 * ```ts
 * import { contentType } from "./static_files.ts";
 * if (contentType("assets/index-1.js") !== "text/javascript; charset=utf-8") throw new Error();
 * ```
 */
export function contentType(path: string): string {
  const ext = path.slice(path.lastIndexOf(".") + 1).toLowerCase();
  return TYPES[ext] ?? "application/octet-stream";
}

/**
 * The file under `root` that a URL path names (`/` is `index.html`), or `undefined` when the path
 * tries to leave `root` or is malformed.
 *
 * @example
 * ```ts
 * import { resolveStaticPath } from "./static_files.ts";
 * if (resolveStaticPath("/srv/app", "/") !== "/srv/app/index.html") throw new Error();
 * if (resolveStaticPath("/srv/app", "/%2e%2e/secret") !== undefined) throw new Error();
 * ```
 */
export function resolveStaticPath(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes("\0") || decoded.includes("\\")) return undefined;
  const parts = decoded.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.some((p) => p === ".." || p.startsWith("."))) return undefined;
  const base = root.endsWith("/") ? root.slice(0, -1) : root;
  return parts.length === 0 ? `${base}/index.html` : `${base}/${parts.join("/")}`;
}

/**
 * Answers a GET/HEAD for a file under `root` (404 when missing), with `headers` added.
 *
 * @example
 * ```ts
 * import { serveStatic } from "./static_files.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/index.html`, "<h1>hi</h1>");
 * const response = await serveStatic(new Request("http://127.0.0.1/"), dir);
 * if ((await response.text()) !== "<h1>hi</h1>") throw new Error("unexpected");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function serveStatic(
  request: Request,
  root: string,
  headers: Readonly<Record<string, string>> = {},
): Promise<Response> {
  if (request.method !== "GET" && request.method !== "HEAD") {
    return new Response("method not allowed", { status: 405 });
  }
  const path = resolveStaticPath(root, new URL(request.url).pathname);
  if (path === undefined) return new Response("not found", { status: 404 });
  let body: Uint8Array;
  try {
    body = await runtime.fs.readFile(path);
  } catch {
    return new Response("not found", { status: 404 });
  }
  return new Response(request.method === "HEAD" ? null : body as Uint8Array<ArrayBuffer>, {
    headers: { "content-type": contentType(path), ...headers },
  });
}
