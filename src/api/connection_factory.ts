import type { ConnectOptions, InProcessConnectOptions } from "../client/connect_options.ts";
import { CodexClient } from "../client/codex_client.ts";
import type { CodexConnection } from "../core/connection.ts";
import { ConnectError } from "../errors/errors.ts";

/**
 * Opens one connection to an app-server from the connect options. `Codex.connect` picks one per
 * deployment: in-process (`worker: false`, {@link CodexClient}) or in a Web Worker (the factory
 * the package entry registers), so `src/api/` depends on no deployment.
 *
 * @example A factory that records what it opened
 * ```ts
 * import type { ConnectionFactory } from "./connection_factory.ts";
 * import { CodexClient } from "../client/codex_client.ts";
 * const opened: string[] = [];
 * const logged: ConnectionFactory = (options) => {
 *   opened.push(options.url ?? "stdio");
 *   return CodexClient.connect(options);
 * };
 * console.assert(opened.length === 0 && logged.length === 1);
 * ```
 */
export type ConnectionFactory = (options: InProcessConnectOptions) => Promise<CodexConnection>;

let workerFactory: ConnectionFactory | undefined;

/**
 * Registers how to open a connection whose router runs in a Web Worker. The package entry
 * (`mod.ts`) registers the Worker connection; a runtime with its own Worker (Node) registers its
 * own. The last registration wins.
 *
 * @example
 * ```ts
 * import { registerWorkerConnection, selectConnectionFactory } from "./connection_factory.ts";
 * import { CodexClient } from "../client/codex_client.ts";
 * registerWorkerConnection(CodexClient.connect);
 * console.assert(selectConnectionFactory({}) === CodexClient.connect);
 * ```
 */
export function registerWorkerConnection(factory: ConnectionFactory): void {
  workerFactory = factory;
}

/**
 * The factory for `options`: in-process when `worker: false`, else the registered Worker one.
 *
 * @throws {ConnectError} When a Worker is asked for and none was registered (the SDK was
 * imported around its entry).
 *
 * @example
 * ```ts
 * import { selectConnectionFactory } from "./connection_factory.ts";
 * import { CodexClient } from "../client/codex_client.ts";
 * console.assert(selectConnectionFactory({ worker: false }) === CodexClient.connect);
 * ```
 */
export function selectConnectionFactory(options: ConnectOptions): ConnectionFactory {
  if (options.worker === false) return CodexClient.connect;
  if (workerFactory) return workerFactory;
  throw new ConnectError(
    "No Worker connection is registered: import Codex from the package entry, or pass worker: false",
  );
}
