/**
 * The runtime this SDK runs on: Deno's adapter under Deno, the browser's elsewhere. This is the
 * one place that picks an adapter; a package built for another runtime (the npm build for Node)
 * replaces this module with its own.
 *
 * @module
 */
import { browserRuntime } from "./browser.ts";
import { denoRuntime } from "./deno.ts";
import type { Runtime } from "./runtime.ts";

/**
 * The current runtime's adapter.
 *
 * @example
 * ```ts
 * import { runtime } from "./current.ts";
 * if (runtime.name !== "deno") throw new Error("doc tests run on Deno");
 * ```
 */
export const runtime: Runtime = "Deno" in globalThis ? denoRuntime : browserRuntime;
