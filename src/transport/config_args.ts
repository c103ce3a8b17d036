import { stringify } from "smol-toml";

/**
 * A value that can be written as TOML in a `-c key=value` argument.
 *
 * @example
 * ```ts
 * import type { ConfigValue } from "./config_args.ts";
 * const config: Record<string, ConfigValue> = { model: "gpt-5", "features.plugins": false };
 * if (config["features.plugins"] !== false) throw new Error("unexpected");
 * ```
 */
export type ConfigValue =
  | string
  | number
  | boolean
  | readonly ConfigValue[]
  | { readonly [key: string]: ConfigValue };

const PREFIX = "v = [ ";
const SUFFIX = ", 0 ]\n";

/**
 * Encodes a value as an inline TOML literal (`smol-toml` does the encoding).
 *
 * @example
 * ```ts
 * import { toTomlValue } from "./config_args.ts";
 * const inline = toTomlValue({ name: "Mock", retries: 0 });
 * if (inline !== '{ name = "Mock", retries = 0 }') throw new Error(inline);
 * ```
 */
export function toTomlValue(value: ConfigValue): string {
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new TypeError(`Cannot encode ${value} as a config value`);
  }
  // smol-toml writes a document; a table inside a mixed array is the one place it writes a value
  // inline, so the value goes in `v = [ value, 0 ]` and is cut back out.
  const line = stringify({ v: [value, 0] });
  if (!line.startsWith(PREFIX) || !line.endsWith(SUFFIX)) {
    throw new TypeError(`Cannot encode ${JSON.stringify(value)} as an inline TOML value`);
  }
  return line.slice(PREFIX.length, -SUFFIX.length);
}

/**
 * Turns a config record (dotted keys allowed) into `-c key=value` command-line arguments.
 *
 * @example
 * ```ts
 * import { configToArgs } from "./config_args.ts";
 * const args = configToArgs({ model: "gpt", "features.plugins": false });
 * if (args.join(" ") !== '-c model="gpt" -c features.plugins=false') throw new Error(`${args}`);
 * ```
 */
export function configToArgs(config: Record<string, ConfigValue | undefined>): string[] {
  const args: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined || value === null) continue;
    if (!/^[A-Za-z0-9_.-]+$/.test(key)) {
      throw new TypeError(`Config key ${JSON.stringify(key)} must be a dotted path`);
    }
    args.push("-c", `${key}=${toTomlValue(value)}`);
  }
  return args;
}
