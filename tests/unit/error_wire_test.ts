/**
 * Errors cross the Worker boundary as plain data and come back as the same classes.
 */
import { assertEquals, assertInstanceOf } from "../support/assert.ts";
import * as sdk from "../../mod.ts";
import { errorFromWire, errorToWire } from "../../src/errors/wire.ts";

/** Through the wire format and a structured clone, as a MessagePort would carry it. */
function roundTrip(error: unknown): sdk.CodexError {
  return errorFromWire(structuredClone(errorToWire(error)));
}

Deno.test("every SDK error keeps its class, code, message and fields across the wire", () => {
  const errors: sdk.CodexError[] = [
    new sdk.JsonRpcError(-32600, "Invalid request: bad"),
    new sdk.MethodNotFoundError("no/such", -32600, "unknown variant"),
    new sdk.InvalidParamsError(-32602, "Input exceeds the maximum length", { max_chars: 10 }),
    new sdk.ServerBusyError("Server overloaded; retry later."),
    new sdk.TransportClosedError("The app-server exited", "last stderr line"),
    new sdk.TimeoutError("thread/list", 250),
    new sdk.AbortError("turn/start"),
    new sdk.TurnFailedError("turn-1", {
      message: "HTTP 500",
      codexErrorInfo: "internalServerError",
    }),
    new sdk.TurnStalledError("turn-2", 30_000),
    new sdk.ProtocolError("Invalid JSON from the app-server", "{oops"),
    new sdk.StreamConsumedError("turn-3"),
    new sdk.StreamOverflowError("turn turn-4", 100),
    new sdk.ConnectError("initialize failed"),
  ];
  for (const original of errors) {
    const back = roundTrip(original);
    assertInstanceOf(back, original.constructor as typeof sdk.CodexError);
    assertEquals(
      [back.name, back.code, back.message],
      [original.name, original.code, original.message],
    );
  }
  const stalled = roundTrip(new sdk.TurnStalledError("turn-2", 30_000)) as sdk.TurnStalledError;
  assertEquals([stalled.turnId, stalled.idleTimeoutMs], ["turn-2", 30_000]);
  const failed = roundTrip(new sdk.TurnFailedError("turn-1", { message: "HTTP 500" }));
  assertEquals((failed as sdk.TurnFailedError).turnError, { message: "HTTP 500" });
  assertEquals((roundTrip(new sdk.TimeoutError("x", 250)) as sdk.TimeoutError).timeoutMs, 250);
  assertEquals(
    (roundTrip(new sdk.StreamOverflowError("t", 100)) as sdk.StreamOverflowError).limit,
    100,
  );
});

Deno.test("a foreign error crosses the wire as a sdk.CodexError with its message", () => {
  const back = roundTrip(new TypeError("boom"));
  assertInstanceOf(back, sdk.CodexError);
  assertEquals([back.code, back.name, back.message], ["CODEX_ERROR", "TypeError", "boom"]);
});
