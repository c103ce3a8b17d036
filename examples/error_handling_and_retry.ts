/**
 * Typed errors and the overload retry pattern: every SDK error has a stable `code`; only
 * `ServerBusyError` (the app-server's -32001) is worth retrying, and `retryOnOverload` does that
 * with jittered exponential backoff.
 *
 * @module
 */
import process from "node:process";
import {
  CodexError,
  InvalidParamsError,
  MethodNotFoundError,
  retryOnOverload,
  ServerBusyError,
  TurnFailedError,
} from "../mod.ts";
import { reply } from "../src/testing/mod.ts";
import { connect } from "./_offline.ts";

await using session = await connect([reply.httpError(500)]);
const { codex } = session;

// 1. A method this server does not know.
try {
  await codex.request("no/such/method" as "model/list", {});
} catch (err) {
  if (err instanceof MethodNotFoundError) console.log(`MethodNotFoundError: ${err.method}`);
  else throw err;
}

// 2. Input over the server's limit: InvalidParamsError carries the limits.
const thread = await codex.threadStart({});
try {
  await thread.run("x".repeat(1_100_000));
} catch (err) {
  if (err instanceof InvalidParamsError) {
    console.log(`InvalidParamsError: max ${err.limits?.maxChars} chars`);
  } else throw err;
}

// 3. A turn that fails (the model answered HTTP 500): run() rejects with TurnFailedError.
if (!session.model) process.exit(0); // the rest needs the scripted model
try {
  await thread.run("this turn fails");
} catch (err) {
  if (err instanceof TurnFailedError) {
    console.log(`TurnFailedError (${err.code}) on turn ${err.turnId}`);
  } else throw err;
}

// 4. Overload: retry only ServerBusyError. Here the first attempt is refused on purpose.
let attempts = 0;
const models = await retryOnOverload(async () => {
  attempts++;
  if (attempts === 1) throw new ServerBusyError("Server overloaded; retry later.");
  return await codex.models();
}, {
  attempts: 3,
  initialDelayMs: 50,
  onRetry: ({ delayMs }) => console.log(`server busy, retrying in ${delayMs} ms`),
});
console.log(`retry succeeded after ${attempts} attempts: ${models.data.length} models`);

// Every SDK error is a CodexError with a stable code.
const sample: unknown = new ServerBusyError("busy");
if (sample instanceof CodexError) console.log(`codes are stable: ${sample.code}`);
