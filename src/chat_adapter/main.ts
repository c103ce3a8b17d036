/**
 * Command line: run a chat adapter until interrupted.
 *
 * ```sh
 * deno run --allow-net --allow-env src/chat_adapter/main.ts \
 *   --upstream http://127.0.0.1:8080/v1 [--api-key-env NAME] [--port N] [--model NAME] \
 *   [--idle-timeout-ms N] [--verbose]
 * ```
 *
 * Each flag can also come from the environment: `CHAT_ADAPTER_UPSTREAM`,
 * `CHAT_ADAPTER_API_KEY_ENV`, `CHAT_ADAPTER_PORT`, `CHAT_ADAPTER_MODEL`,
 * `CHAT_ADAPTER_IDLE_TIMEOUT_MS`. The base URL for codex is printed on stdout. Ctrl-C, SIGTERM
 * and SIGHUP close the server and exit (0 for Ctrl-C, else 128 + the signal's number).
 *
 * @module
 */

import { startStoppable } from "../bridge/stop_on_signals.ts";
import { ChatAdapterServer } from "./chat_adapter_server.ts";
import { chatAdapterProviderConfig } from "./provider_config.ts";

const USAGE = "Usage: main.ts --upstream URL [--api-key-env NAME] [--port N] [--model NAME] " +
  "[--idle-timeout-ms N] [--verbose]";

/**
 * Parsed command-line settings.
 *
 * @example
 * ```ts
 * import type { CliSettings } from "./main.ts";
 * const settings: CliSettings = { upstreamUrl: "http://127.0.0.1:8080/v1", verbose: false };
 * console.assert(!settings.verbose);
 * ```
 */
export interface CliSettings {
  readonly upstreamUrl: string;
  readonly apiKeyEnv?: string;
  readonly port?: number;
  readonly model?: string;
  readonly idleTimeoutMs?: number;
  readonly verbose: boolean;
}

/**
 * Reads settings from arguments, falling back to `CHAT_ADAPTER_*` variables via `env`.
 *
 * @throws {TypeError} on an unknown flag, a missing value, a bad number or no upstream.
 *
 * @example
 * ```ts
 * import { parseCliArgs } from "./main.ts";
 * const settings = parseCliArgs(["--upstream", "http://127.0.0.1:8080/v1", "--port=4000"], () =>
 *   undefined);
 * console.assert(settings.port === 4000 && settings.upstreamUrl.endsWith("/v1"));
 * ```
 */
export function parseCliArgs(
  args: readonly string[],
  env: (name: string) => string | undefined,
): CliSettings {
  const values = new Map<string, string>();
  let verbose = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--verbose") {
      verbose = true;
      continue;
    }
    const [flag, inline] = arg.includes("=") ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    if (!FLAGS.includes(flag)) throw new TypeError(`Unknown argument "${arg}". ${USAGE}`);
    const value = inline ?? args[++i];
    if (value === undefined) throw new TypeError(`Missing value for ${flag}. ${USAGE}`);
    values.set(flag, value);
  }
  const get = (flag: string) => values.get(flag) ?? env(`CHAT_ADAPTER_${envName(flag)}`);
  const upstreamUrl = get("--upstream");
  if (!upstreamUrl) throw new TypeError(`Missing --upstream. ${USAGE}`);
  return {
    upstreamUrl,
    apiKeyEnv: get("--api-key-env"),
    port: integer("--port", get("--port")),
    model: get("--model"),
    idleTimeoutMs: integer("--idle-timeout-ms", get("--idle-timeout-ms")),
    verbose,
  };
}

const FLAGS = ["--upstream", "--api-key-env", "--port", "--model", "--idle-timeout-ms"];

function envName(flag: string): string {
  return flag.slice(2).replaceAll("-", "_").toUpperCase();
}

function integer(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) {
    throw new TypeError(`${flag} must be a non-negative integer, got "${value}"`);
  }
  return number;
}

if (import.meta.main) {
  let settings: CliSettings;
  try {
    settings = parseCliArgs(Deno.args, (name) => Deno.env.get(name));
  } catch (error) {
    console.error((error as Error).message);
    Deno.exit(2);
  }
  // The stop handlers are in place before anything starts or any ready line is printed.
  const adapter = await startStoppable(() =>
    ChatAdapterServer.start({
      ...settings,
      logger: {
        warn: (message) => console.error(`[chat_adapter] ${message}`),
        debug: settings.verbose
          ? (message) => console.error(`[chat_adapter] ${message}`)
          : undefined,
      },
    })
  );
  console.log(adapter.url);
  console.error(
    `[chat_adapter] listening on ${adapter.url}; codex config: ` +
      JSON.stringify(chatAdapterProviderConfig(adapter, { model: settings.model })),
  );
}
