/**
 * A value that can be written as TOML in a `-c key=value` argument.
 *
 * @example
 * ```ts
 * import type { ConfigValue } from "./config_args.ts";
 * const config: Record<string, ConfigValue> = { model: "gpt-5", "features.plugins": false };
 * console.assert(config["features.plugins"] === false);
 * ```
 */
export type ConfigValue =
  | string
  | number
  | boolean
  | readonly ConfigValue[]
  | { readonly [key: string]: ConfigValue };

/**
 * Encodes a value as an inline TOML literal.
 *
 * @example
 * ```ts
 * import { toTomlValue } from "./config_args.ts";
 * console.assert(toTomlValue({ name: "Mock", retries: 0 }) === '{ name = "Mock", retries = 0 }');
 * ```
 */
export function toTomlValue(value: ConfigValue): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`Cannot encode ${value} as TOML`);
    return String(value);
  }
  if (typeof value === "boolean") return value ? "true" : "false";
  if (Array.isArray(value)) return `[${value.map(toTomlValue).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value as Record<string, ConfigValue>)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => `${tomlKey(k)} = ${toTomlValue(v)}`);
    return entries.length === 0 ? "{}" : `{ ${entries.join(", ")} }`;
  }
  throw new TypeError(`Cannot encode a ${typeof value} as TOML`);
}

/**
 * Turns a config record (dotted keys allowed) into `-c key=value` command-line arguments.
 *
 * @example
 * ```ts
 * import { configToArgs } from "./config_args.ts";
 * const args = configToArgs({ model: "gpt", "features.plugins": false });
 * console.assert(args.join(" ") === '-c model="gpt" -c features.plugins=false');
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

function tomlKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
}
