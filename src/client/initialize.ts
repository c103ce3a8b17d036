import { CONNECT_DEFAULTS } from "../core/defaults.ts";
import { ConnectError } from "../errors/errors.ts";
import type { InitializeResponse } from "../protocol/mod.ts";
import type { MessageRouter } from "../router/message_router.ts";
import type { HandshakeOptions } from "./connect_options.ts";

/** The SDK's own version, sent in `initialize.clientInfo`. */
export const SDK_VERSION = "0.1.0";

/**
 * Runs the `initialize` → `initialized` handshake and validates the metadata.
 *
 * @example The handshake against a scripted server
 * ```ts
 * import { initializeConnection } from "./initialize.ts";
 * import { MessageRouter } from "../router/message_router.ts";
 * import { MemoryTransport } from "../transport/memory_transport.ts";
 * const transport = new MemoryTransport();
 * const metadata = { userAgent: "codex_worker/0.171.0", codexHome: "/h", platformFamily: "unix" };
 * transport.peer.onMessage = (m) => {
 *   if (m.method === "initialize") transport.peer.send({ id: m.id, result: metadata });
 * };
 * const router = new MessageRouter(transport);
 * await router.start();
 * const answered = await initializeConnection(router, {});
 * await router.close();
 * if (answered.codexHome !== "/h") throw new Error("not the server's metadata");
 * ```
 */
export async function initializeConnection(
  router: MessageRouter,
  options: HandshakeOptions,
): Promise<InitializeResponse> {
  const clientInfo = options.clientInfo ??
    { name: "codex_worker", title: "codex-worker SDK", version: SDK_VERSION };
  const result = await router.request("initialize", {
    clientInfo: {
      name: clientInfo.name,
      title: clientInfo.title ?? null,
      version: clientInfo.version,
    },
    capabilities: {
      experimentalApi: options.experimentalApi ?? true,
      ...(options.optOutNotificationMethods
        ? { optOutNotificationMethods: options.optOutNotificationMethods }
        : {}),
    },
  }, {
    timeoutMs: options.connectTimeoutMs ?? CONNECT_DEFAULTS.connectTimeoutMs,
    signal: options.signal,
  });
  const metadata = result as Partial<InitializeResponse> | undefined;
  if (!metadata || typeof metadata.userAgent !== "string" || metadata.userAgent.length === 0) {
    throw new ConnectError(
      `initialize response is missing required metadata (userAgent): ${JSON.stringify(result)}`,
    );
  }
  router.notify("initialized");
  return metadata as InitializeResponse;
}

/**
 * Extracts the app-server's version from its `userAgent` (`name/0.169.0 (...)`).
 *
 * @example
 * ```ts
 * import { serverVersionFromUserAgent } from "./initialize.ts";
 * console.assert(serverVersionFromUserAgent("codex_worker/0.169.0 (Debian)") === "0.169.0");
 * ```
 */
export function serverVersionFromUserAgent(userAgent: string): string | undefined {
  return /\/(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)/.exec(userAgent)?.[1];
}
