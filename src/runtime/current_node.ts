/**
 * The npm build's `current.ts`: the Node adapter, always. The build swaps this module in for
 * `current.ts`, so that the package for Node never loads Deno's or the browser's adapter.
 *
 * @module
 */
import { nodeRuntime } from "./node.ts";
import type { Runtime } from "./runtime.ts";

/**
 * The Node adapter.
 *
 * @example
 * ```ts
 * import { runtime } from "./current_node.ts";
 * if (runtime.name !== "node") throw new Error(runtime.name);
 * ```
 */
export const runtime: Runtime = nodeRuntime;
