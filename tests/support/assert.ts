import nodeAssert from "node:assert";

/** Asserts a condition. */
export function assert(condition: unknown, message = "assertion failed"): asserts condition {
  if (!condition) throw new Error(message);
}

/** Deep equality (node's deepStrictEqual). */
export function assertEquals<T>(actual: T, expected: T, message?: string): void {
  nodeAssert.deepStrictEqual(actual, expected, message);
}

/** Asserts `value` is an instance of `type`. */
export function assertInstanceOf<T>(
  value: unknown,
  // deno-lint-ignore no-explicit-any
  type: abstract new (...args: any[]) => T,
  message?: string,
): asserts value is T {
  if (!(value instanceof type)) {
    throw new Error(
      message ?? `expected an instance of ${type.name}, got ${describe(value)}`,
    );
  }
}

/** Asserts that `fn` rejects with an instance of `type`; returns the error. */
export async function assertRejects<T extends Error>(
  fn: () => Promise<unknown>,
  // deno-lint-ignore no-explicit-any
  type: abstract new (...args: any[]) => T,
  includes?: string,
): Promise<T> {
  let result: unknown;
  try {
    result = await fn();
  } catch (err) {
    assertInstanceOf(err, type);
    if (includes && !err.message.includes(includes)) {
      throw new Error(
        `expected the message to include ${JSON.stringify(includes)}: ${err.message}`,
      );
    }
    return err;
  }
  throw new Error(`expected a rejection with ${type.name}, got ${describe(result)}`);
}

function describe(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  try {
    return JSON.stringify(value)?.slice(0, 300) ?? String(value);
  } catch {
    return String(value);
  }
}
