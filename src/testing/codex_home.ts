/**
 * Hermetic, offline codex configuration pointing at a {@link ResponsesModelServer}: a CODEX_HOME
 * writer ({@link writeCodexHome}) and the same settings as `-c` overrides ({@link offlineConfig}).
 *
 * @module
 */
import { stringify } from "smol-toml";
import { runtime } from "../runtime/current.ts";

/**
 * The default model slug. It is in the catalog bundled with codex 0.169 (`model/list`), so codex
 * does not warn "Model metadata for … not found" on every turn, as it does for unknown slugs.
 *
 * @example
 * ```ts
 * import { DEFAULT_MOCK_MODEL } from "./codex_home.ts";
 * if (DEFAULT_MOCK_MODEL !== "gpt-6.1-sol") throw new Error("unexpected");
 * ```
 */
export const DEFAULT_MOCK_MODEL = "gpt-6.1-sol";

/**
 * Name of the model provider the offline config defines (`model_provider = "mock"`). Pass it as
 * `thread/start`'s `modelProvider` to pick it per thread.
 *
 * @example
 * ```ts
 * import { MOCK_PROVIDER_ID } from "./codex_home.ts";
 * const params = { modelProvider: MOCK_PROVIDER_ID };
 * ```
 */
export const MOCK_PROVIDER_ID = "mock";

/**
 * Options of {@link offlineConfig}.
 *
 * @example
 * ```ts
 * import { offlineConfig, type OfflineConfigOptions } from "./codex_home.ts";
 * const options: OfflineConfigOptions = { model: "gpt-6-sol" };
 * offlineConfig("http://127.0.0.1:1234/v1", options);
 * ```
 */
export interface OfflineConfigOptions {
  /** Model slug. Default {@link DEFAULT_MOCK_MODEL}. */
  readonly model?: string;
}

/**
 * Options of {@link writeCodexHome}.
 *
 * @example
 * ```ts
 * import type { WriteCodexHomeOptions } from "./codex_home.ts";
 * const options: WriteCodexHomeOptions = {
 *   modelServerUrl: "http://127.0.0.1:1234/v1",
 *   sandbox: "workspace-write",
 * };
 * ```
 */
export interface WriteCodexHomeOptions extends OfflineConfigOptions {
  /** Directory to use (created if missing). Default: a fresh temp dir outside `/tmp`. */
  readonly dir?: string;
  /** Base URL of the model server, ending in `/v1` (`ResponsesModelServer.url`). */
  readonly modelServerUrl: string;
  /**
   * `approval_policy`. Default `"never"`. `"untrusted"` is not accepted here because codex 0.169
   * refuses to start with it in config.toml; pass `approvalPolicy: "untrusted"` to `thread/start`.
   */
  readonly approvalPolicy?: "never" | "on-request";
  /** `sandbox_mode`. Default `"read-only"`. */
  readonly sandbox?: "read-only" | "workspace-write" | "danger-full-access";
  /** TOML appended verbatim after the generated config. */
  readonly extraToml?: string;
}

/**
 * A CODEX_HOME written by {@link writeCodexHome}.
 *
 * @example
 * ```ts
 * import { type CodexHome, writeCodexHome } from "./codex_home.ts";
 * const home: CodexHome = await writeCodexHome({ modelServerUrl: "http://127.0.0.1:1/v1" });
 * await home.cleanup();
 * ```
 */
export interface CodexHome extends AsyncDisposable {
  /** Absolute path; use it as the `CODEX_HOME` environment variable. */
  readonly dir: string;
  /** The settings written to `config.toml` (tables as nested objects). */
  readonly config: Record<string, unknown>;
  /** Removes the directory if `writeCodexHome` created it; a caller's `dir` is left in place. */
  cleanup(): Promise<void>;
}

/**
 * The offline settings as nested tables: model, the `mock` provider at `modelServerUrl` with no
 * retries, the features that would reach the network (plugin sync, unbounded reconnects) off,
 * and shell snapshots off.
 *
 * Shell snapshots (`features.shell_snapshot`): for every new thread codex starts the user's login
 * shell, sources its profile and saves the resulting environment, so that commands later run with
 * it. A hermetic test has no profile worth capturing, and the snapshot would make each thread
 * start depend on the machine's shell set-up and cost a process per thread: many threads at once
 * queue behind those shells (see BENCHMARKS.md §5). Commands then run without the profile's
 * environment, which is what a hermetic test wants.
 */
function offlineTables(modelServerUrl: string, model: string): Record<string, unknown> {
  return {
    model,
    model_provider: MOCK_PROVIDER_ID,
    features: { plugins: false, unbounded_connection_retries: false, shell_snapshot: false },
    model_providers: {
      [MOCK_PROVIDER_ID]: {
        name: "Mock Responses",
        base_url: modelServerUrl,
        wire_api: "responses",
        request_max_retries: 0,
        stream_max_retries: 0,
      },
    },
  };
}

/**
 * The offline settings as a flat record of `-c` overrides (dotted keys; a provider table is one
 * object value), for clients that pass config on the command line instead of using a CODEX_HOME.
 *
 * @example
 * ```ts
 * import { offlineConfig } from "./codex_home.ts";
 * const config = offlineConfig("http://127.0.0.1:1234/v1");
 * if (config["features.plugins"] !== false) throw new Error("unexpected");
 * // e.g. codex app-server -c 'model_providers.mock={ name = "Mock Responses", base_url = … }'
 * ```
 */
export function offlineConfig(
  modelServerUrl: string,
  options: OfflineConfigOptions = {},
): Record<string, unknown> {
  const tables = offlineTables(modelServerUrl, options.model ?? DEFAULT_MOCK_MODEL);
  const providers = tables.model_providers as Record<string, unknown>;
  return {
    model: tables.model,
    model_provider: tables.model_provider,
    "features.plugins": false,
    "features.unbounded_connection_retries": false,
    "features.shell_snapshot": false,
    [`model_providers.${MOCK_PROVIDER_ID}`]: providers[MOCK_PROVIDER_ID],
  };
}

/**
 * Writes `config.toml` for an offline codex into a fresh (or the given) directory. Use the
 * result's `dir` as `CODEX_HOME` when spawning `codex app-server`.
 *
 * The default directory is under `$XDG_CACHE_HOME/codex-worker` or `~/.cache/codex-worker`
 * rather than `/tmp`, where codex refuses to create its helper binaries.
 *
 * @example
 * ```ts
 * import { ResponsesModelServer, writeCodexHome } from "./mod.ts";
 * await using server = await ResponsesModelServer.start();
 * await using home = await writeCodexHome({ modelServerUrl: server.url });
 * const toml = await Deno.readTextFile(`${home.dir}/config.toml`);
 * if (!toml.includes('model_provider = "mock"')) throw new Error("unexpected");
 * ```
 */
export async function writeCodexHome(options: WriteCodexHomeOptions): Promise<CodexHome> {
  if ((options.approvalPolicy as string | undefined) === "untrusted") {
    throw new TypeError(
      'Cannot write approval_policy "untrusted" to config.toml: codex refuses to start with it; ' +
        "pass it to thread/start instead",
    );
  }
  const created = options.dir === undefined;
  const dir = options.dir ?? await makeHomeDir();
  await runtime.fs.mkdir(dir);
  const config: Record<string, unknown> = {
    approval_policy: options.approvalPolicy ?? "never",
    sandbox_mode: options.sandbox ?? "read-only",
    ...offlineTables(options.modelServerUrl, options.model ?? DEFAULT_MOCK_MODEL),
  };
  const extra = options.extraToml ? `\n${options.extraToml.trimEnd()}\n` : "";
  await runtime.fs.writeTextFile(`${dir}/config.toml`, stringify(config) + extra);
  const cleanup = async () => {
    if (created) await runtime.fs.remove(dir).catch(() => {});
  };
  return { dir, config, cleanup, [Symbol.asyncDispose]: cleanup };
}

async function makeHomeDir(): Promise<string> {
  const home = runtime.env("HOME");
  const cache = runtime.env("XDG_CACHE_HOME") ?? (home ? `${home}/.cache` : undefined);
  if (cache === undefined) return await runtime.fs.makeTempDir({ prefix: "codex_home_" });
  const parent = `${cache}/codex-worker`;
  await runtime.fs.mkdir(parent);
  return await runtime.fs.makeTempDir({ dir: parent, prefix: "codex_home_" });
}
