/**
 * The set-up of `deno task test`: obtains what the tests need beyond Deno's own dependencies.
 * Each step checks first and installs only what is missing; a step that may not install (no
 * root, no password-less sudo) stops the run at once with the command to run.
 *
 * ```
 * deno run -A scripts/setup.ts            # every step
 * deno run -A scripts/setup.ts chromium   # the named steps only
 * ```
 *
 * To add a step, write a {@link SetupStep} in `scripts/setup/` and list it in {@link STEPS}.
 *
 * @module
 */
import { chromiumStep } from "./setup/chromium.ts";
import { runSteps, type SetupStep } from "./setup/step.ts";
import { hostSystem } from "./setup/system.ts";

/** Every set-up step, in the order they run. */
export const STEPS: readonly SetupStep[] = [chromiumStep];

if (import.meta.main) {
  const unknown = Deno.args.filter((name) => !STEPS.some((s) => s.name === name));
  if (unknown.length > 0) {
    console.error(`unknown step ${unknown.join(", ")}; steps: ${STEPS.map((s) => s.name)}`);
    Deno.exit(2);
  }
  const chosen = Deno.args.length > 0 ? STEPS.filter((s) => Deno.args.includes(s.name)) : STEPS;
  Deno.exit(await runSteps(chosen, hostSystem()));
}
