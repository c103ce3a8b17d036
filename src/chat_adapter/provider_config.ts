/**
 * {@link chatAdapterProviderConfig}: the codex config that routes model requests through a
 * running chat adapter.
 *
 * @module
 */

/**
 * Options of {@link chatAdapterProviderConfig}.
 *
 * @example
 * ```ts
 * import type { ChatAdapterProviderOptions } from "./provider_config.ts";
 * const options: ChatAdapterProviderOptions = { name: "llama.cpp", model: "qwen3-8b" };
 * console.assert(options.model === "qwen3-8b");
 * ```
 */
export interface ChatAdapterProviderOptions {
  /** Provider display name. Default `"Chat Completions adapter"`. */
  readonly name?: string;
  /** Model name codex uses (and sends to the adapter); omitted when not given. */
  readonly model?: string;
}

/**
 * A config record for codex (`-c key=value` entries, dotted keys): the `chat_adapter` provider.
 *
 * @example
 * ```ts
 * import type { ChatAdapterProviderConfig } from "./provider_config.ts";
 * const config: ChatAdapterProviderConfig = { model_provider: "chat_adapter" };
 * console.assert(config.model_provider === "chat_adapter");
 * ```
 */
export type ChatAdapterProviderConfig = Record<
  string,
  string | Readonly<Record<string, string | number>>
>;

/**
 * Builds the config that makes codex use `adapter` as its model provider, to pass as
 * `Codex.connect({ config })`. Retries are off (`request_max_retries` and `stream_max_retries`
 * 0): a local model that failed once usually fails the same way again, and the user sees the
 * reason at once.
 *
 * @example
 * ```ts
 * import { chatAdapterProviderConfig } from "./provider_config.ts";
 * const config = chatAdapterProviderConfig({ url: "http://127.0.0.1:4000/v1" }, { model: "qwen" });
 * console.assert(config.model_provider === "chat_adapter" && config.model === "qwen");
 * const provider = config["model_providers.chat_adapter"] as Record<string, unknown>;
 * console.assert(provider.base_url === "http://127.0.0.1:4000/v1");
 * console.assert(provider.wire_api === "responses");
 * ```
 */
export function chatAdapterProviderConfig(
  adapter: { readonly url: string },
  options: ChatAdapterProviderOptions = {},
): ChatAdapterProviderConfig {
  return {
    ...(options.model !== undefined ? { model: options.model } : {}),
    model_provider: "chat_adapter",
    "model_providers.chat_adapter": {
      name: options.name ?? "Chat Completions adapter",
      base_url: adapter.url,
      wire_api: "responses",
      request_max_retries: 0,
      stream_max_retries: 0,
    },
  };
}
