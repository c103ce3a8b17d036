/**
 * The example prompts the page offers as chips: one per thing the demo's offline model
 * (`web-demo/server/offline_model.ts`) knows how to answer.
 *
 * @module
 */

/**
 * Example prompts, in the order the chips show them.
 *
 * @example
 * ```ts
 * import { EXAMPLE_PROMPTS } from "./examples.ts";
 * if (!EXAMPLE_PROMPTS.includes("run a command")) throw new Error("missing");
 * ```
 */
export const EXAMPLE_PROMPTS: readonly string[] = [
  "hello",
  "a markdown answer",
  "run a command",
  "write a file",
  "edit a file",
  "a large diff",
  "a long answer",
  "flood",
  "fail",
];
