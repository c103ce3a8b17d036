/**
 * Errors cross the Worker boundary as plain data and come back as the same classes.
 */
import { assertEquals, assertInstanceOf } from "../support/assert.ts";
import {
  AbortError,
  CodexError,
  ConnectError,
  InvalidParamsError,
  JsonRpcError,
  MethodNotFoundError,
  ProtocolError,
  ServerBusyError,
  StreamConsumedError,
  StreamOverflowError,
  TimeoutError,
  TransportClosedError,
  TurnFailedError,
  TurnStalledError,
} from "../../mod.ts";
import { errorFromWire, errorToWire } from "../../src/errors/wire.ts";

/** Through the wire format and a structured clone, as a MessagePort would carry it. */
function roundTrip(error: unknown): CodexError {
  return errorFromWire(structuredClone(errorToWire(error)));
}

Deno.test("every SDK error keeps its class, code, message and fields across the wire", () => {
  const errors: CodexError[] = [
    new JsonRpcError(-32600, "Invalid request: bad"),
    new MethodNotFoundError("no/such", -32600, "unknown variant"),
    new InvalidParamsError(-32602, "Input exceeds the maximum length", { max_chars: 10 }),
    new ServerBusyError("Server overloaded; retry later."),
    new TransportClosedError("The app-server exited", "last stderr line"),
    new TimeoutError("thread/list", 250),
    new AbortError("turn/start"),
    new TurnFailedError("turn-1", { message: "HTTP 500", codexErrorInfo: "internalServerError" }),
    new TurnStalledError("turn-2", 30_000),
    new ProtocolError("Invalid JSON from the app-server", "{oops"),
    new StreamConsumedError("turn-3"),
    new StreamOverflowError("turn turn-4", 100),
    new ConnectError("initialize failed"),
  ];
  for (const original of errors) {
    const back = roundTrip(original);
    assertInstanceOf(back, original.constructor as typeof CodexError);
    assertEquals(
      [back.name, back.code, back.message],
      [original.name, original.code, original.message],
    );
  }
  const stalled = roundTrip(new TurnStalledError("turn-2", 30_000)) as TurnStalledError;
  assertEquals([stalled.turnId, stalled.idleTimeoutMs], ["turn-2", 30_000]);
  const failed = roundTrip(new TurnFailedError("turn-1", { message: "HTTP 500" }));
  assertEquals((failed as TurnFailedError).turnError, { message: "HTTP 500" });
  assertEquals((roundTrip(new TimeoutError("x", 250)) as TimeoutError).timeoutMs, 250);
  assertEquals((roundTrip(new StreamOverflowError("t", 100)) as StreamOverflowError).limit, 100);
});

Deno.test("a foreign error crosses the wire as a CodexError with its message", () => {
  const back = roundTrip(new TypeError("boom"));
  assertInstanceOf(back, CodexError);
  assertEquals([back.code, back.name, back.message], ["CODEX_ERROR", "TypeError", "boom"]);
});
