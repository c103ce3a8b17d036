/**
 * {@link SetupStep}: one thing the test command obtains before it runs (a browser, a tool, a
 * package).
 *
 * @module
 */
import type { System } from "./system.ts";

/** What a step reports: `detail` says what it found or did, or why it stopped. */
export interface StepResult {
  readonly ok: boolean;
  readonly detail: string;
}

/** One set-up step: checks what it needs and obtains it when it may. */
export interface SetupStep {
  /** The name to select it by (`deno run -A scripts/setup.ts <name>`). */
  readonly name: string;
  /** Checks, installs when missing and allowed; never prompts. */
  run(system: System): Promise<StepResult>;
}

/**
 * Runs `steps` in order and stops at the first that fails. Returns the process exit code:
 * 0 when every step is ready, 1 otherwise (the reason is logged).
 */
export async function runSteps(steps: readonly SetupStep[], system: System): Promise<number> {
  for (const step of steps) {
    const result = await step.run(system);
    system.log(`${step.name}: ${result.detail}`);
    if (!result.ok) {
      system.log(`${step.name} is missing, so the tests cannot run (see above)`);
      return 1;
    }
  }
  return 0;
}
