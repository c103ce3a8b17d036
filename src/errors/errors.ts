/**
 * Typed errors of the SDK. Every error has a stable `code`, survives the Worker boundary
 * (see {@link errorToWire} / {@link errorFromWire}) and never carries a secret.
 *
 * @module
 */

/**
 * Stable codes of every error class of the SDK.
 *
 * @example
 * ```ts
 * import { type CodexErrorCode, ServerBusyError } from "./errors.ts";
 * const code: CodexErrorCode = new ServerBusyError("busy").code;
 * console.assert(code === "SERVER_BUSY");
 * ```
 */
export type CodexErrorCode =
  | "CODEX_ERROR"
  | "JSON_RPC_ERROR"
  | "METHOD_NOT_FOUND"
  | "INVALID_PARAMS"
  | "SERVER_BUSY"
  | "TRANSPORT_CLOSED"
  | "TIMEOUT"
  | "ABORTED"
  | "TURN_FAILED"
  | "TURN_STALLED"
  | "PROTOCOL_ERROR"
  | "STREAM_CONSUMED"
  | "STREAM_OVERFLOW"
  | "CONNECT_FAILED"
  | "CODEX_BINARY_NOT_FOUND"
  | "POOL_MEMBER_UNAVAILABLE"
  | "POOL_THREAD_NOT_FOUND";

/** Fields every error carries across the Worker boundary. */
export interface CodexErrorInit {
  /** Underlying cause, if any. */
  cause?: unknown;
  /** Extra, JSON-serialisable details. */
  data?: unknown;
}

/**
 * Base class of every SDK error.
 *
 * @example Catch any SDK error by its code
 * ```ts
 * import { CodexError } from "./errors.ts";
 * const err = new CodexError("CODEX_ERROR", "something went wrong");
 * console.assert(err.code === "CODEX_ERROR" && err instanceof Error);
 * ```
 */
export class CodexError extends Error {
  /** A stable, machine-readable code. */
  readonly code: CodexErrorCode;
  /** Extra, JSON-serialisable details. */
  readonly data: unknown;

  /** Creates an error with a stable code. */
  constructor(code: CodexErrorCode, message: string, init: CodexErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "CodexError";
    this.code = code;
    this.data = init.data;
  }
}

/**
 * The app-server answered a request with a JSON-RPC error.
 *
 * @example
 * ```ts
 * import { JsonRpcError } from "./errors.ts";
 * const err = new JsonRpcError(-32600, "thread not found: x");
 * console.assert(err.rpcCode === -32600 && err.code === "JSON_RPC_ERROR");
 * ```
 */
export class JsonRpcError extends CodexError {
  /** The JSON-RPC error code the server sent. */
  readonly rpcCode: number;

  /** Creates an error from the server's `error` object. */
  constructor(
    rpcCode: number,
    message: string,
    data?: unknown,
    code: CodexErrorCode = "JSON_RPC_ERROR",
  ) {
    super(code, message, { data });
    this.name = "JsonRpcError";
    this.rpcCode = rpcCode;
  }
}

/**
 * The server does not know the method (it answers -32600 "unknown variant", not -32601).
 *
 * @example
 * ```ts
 * import { MethodNotFoundError } from "./errors.ts";
 * const err = new MethodNotFoundError("no/such", -32600, "Invalid request: unknown variant");
 * console.assert(err.method === "no/such" && err.code === "METHOD_NOT_FOUND");
 * ```
 */
export class MethodNotFoundError extends JsonRpcError {
  /** The method the server did not know. */
  readonly method: string;

  /** Creates the error for `method`. */
  constructor(method: string, rpcCode: number, message: string, data?: unknown) {
    super(rpcCode, message, data, "METHOD_NOT_FOUND");
    this.name = "MethodNotFoundError";
    this.method = method;
  }
}

/**
 * The request's parameters were refused (-32602, or -32600 for a malformed field).
 *
 * @example
 * ```ts
 * import { InvalidParamsError } from "./errors.ts";
 * const err = new InvalidParamsError(-32602, "Input exceeds the maximum length", {
 *   input_error_code: "input_too_large", max_chars: 10, actual_chars: 20,
 * });
 * console.assert(err.limits?.maxChars === 10);
 * ```
 */
export class InvalidParamsError extends JsonRpcError {
  /** For `input_too_large`: the limit and the size sent. */
  readonly limits: { maxChars: number; actualChars: number } | undefined;

  /** Creates the error from the server's code, message and data. */
  constructor(rpcCode: number, message: string, data?: unknown) {
    super(rpcCode, message, data, "INVALID_PARAMS");
    this.name = "InvalidParamsError";
    const d = data as { max_chars?: unknown; actual_chars?: unknown } | undefined;
    this.limits = typeof d?.max_chars === "number" && typeof d.actual_chars === "number"
      ? { maxChars: d.max_chars, actualChars: d.actual_chars }
      : undefined;
  }
}

/**
 * The server is overloaded (-32001). Retryable; see `retryOnOverload`.
 *
 * @example
 * ```ts
 * import { ServerBusyError } from "./errors.ts";
 * console.assert(new ServerBusyError("Server overloaded; retry later.").retryable);
 * ```
 */
export class ServerBusyError extends JsonRpcError {
  /** Always true: the same call may succeed later. */
  readonly retryable = true;

  /** Creates the error. */
  constructor(message: string, data?: unknown) {
    super(-32001, message, data, "SERVER_BUSY");
    this.name = "ServerBusyError";
  }
}

/**
 * The connection to the app-server is gone. Carries the tail of the app-server's stderr.
 *
 * @example
 * ```ts
 * import { TransportClosedError } from "./errors.ts";
 * const err = new TransportClosedError("codex app-server exited with code 1", "boom");
 * console.assert(err.stderrTail === "boom");
 * ```
 */
export class TransportClosedError extends CodexError {
  /** The last lines the app-server wrote to stderr (secrets redacted), if known. */
  readonly stderrTail: string;

  /** Creates the error. */
  constructor(message: string, stderrTail = "", cause?: unknown) {
    super(
      "TRANSPORT_CLOSED",
      stderrTail ? `${message}\n--- app-server stderr (tail) ---\n${stderrTail}` : message,
      { cause, data: { stderrTail } },
    );
    this.name = "TransportClosedError";
    this.stderrTail = stderrTail;
  }
}

/**
 * A call did not settle in time.
 *
 * @example
 * ```ts
 * import { TimeoutError } from "./errors.ts";
 * const err = new TimeoutError("model/list", 100);
 * console.assert(err.timeoutMs === 100 && err.code === "TIMEOUT");
 * ```
 */
export class TimeoutError extends CodexError {
  /** The timeout that elapsed, in milliseconds. */
  readonly timeoutMs: number;

  /** Creates the error for the operation `what`. */
  constructor(what: string, timeoutMs: number) {
    super("TIMEOUT", `${what} timed out after ${timeoutMs} ms`, { data: { timeoutMs } });
    this.name = "TimeoutError";
    this.timeoutMs = timeoutMs;
  }
}

/**
 * A call was cancelled through its `AbortSignal`.
 *
 * @example
 * ```ts
 * import { AbortError } from "./errors.ts";
 * console.assert(new AbortError("turn/start").code === "ABORTED");
 * ```
 */
export class AbortError extends CodexError {
  /** Creates the error for the operation `what`. */
  constructor(what: string, cause?: unknown) {
    super("ABORTED", `${what} was aborted`, { cause });
    this.name = "AbortError";
  }
}

/**
 * The error details the server attaches to a failed turn.
 *
 * @example
 * ```ts
 * import type { TurnErrorInfo } from "./errors.ts";
 * const info: TurnErrorInfo = { message: "HTTP 500", codexErrorInfo: "internalServerError" };
 * console.assert(info.message === "HTTP 500");
 * ```
 */
export interface TurnErrorInfo {
  /** The server's message. */
  message: string;
  /** The server's structured error info (for example `"internalServerError"`). */
  codexErrorInfo?: unknown;
  /** More details, if the server gave any. */
  additionalDetails?: string | null;
}

/**
 * A turn ended with status `failed`. Its message is the server's, or `turn failed with status
 * failed` when the server gave none.
 *
 * @example
 * ```ts
 * import { TurnFailedError } from "./errors.ts";
 * const err = new TurnFailedError("turn-1", { message: "HTTP 500" });
 * console.assert(err.turnId === "turn-1" && err.message === "HTTP 500");
 * ```
 */
export class TurnFailedError extends CodexError {
  /** The failed turn's id. */
  readonly turnId: string;
  /** The server's error details. */
  readonly turnError: TurnErrorInfo;

  /** Creates the error. */
  constructor(turnId: string, turnError: TurnErrorInfo) {
    super("TURN_FAILED", turnError.message || "turn failed", { data: { turnId, turnError } });
    this.name = "TurnFailedError";
    this.turnId = turnId;
    this.turnError = turnError;
  }
}

/**
 * A turn went quiet: no event of it arrived within `idleTimeoutMs` (see `TurnRunOptions`). An
 * app-server that cannot reach its model retries without end, so without a bound such a turn
 * would be waited on forever.
 *
 * @example
 * ```ts
 * import { TurnStalledError } from "./errors.ts";
 * const err = new TurnStalledError("turn-1", 30_000);
 * console.assert(err.code === "TURN_STALLED" && err.idleTimeoutMs === 30_000);
 * ```
 */
export class TurnStalledError extends CodexError {
  /** The stalled turn's id. */
  readonly turnId: string;
  /** The quiet time that was allowed, in milliseconds. */
  readonly idleTimeoutMs: number;

  /** Creates the error. */
  constructor(turnId: string, idleTimeoutMs: number) {
    super(
      "TURN_STALLED",
      `Turn ${turnId} received no event for ${idleTimeoutMs} ms`,
      { data: { turnId, idleTimeoutMs } },
    );
    this.name = "TurnStalledError";
    this.turnId = turnId;
    this.idleTimeoutMs = idleTimeoutMs;
  }
}

/**
 * The server sent something that is not a valid JSON-RPC message.
 *
 * @example
 * ```ts
 * import { ProtocolError } from "./errors.ts";
 * const err = new ProtocolError("Invalid JSON from the app-server", "{oops");
 * console.assert(err.code === "PROTOCOL_ERROR");
 * ```
 */
export class ProtocolError extends CodexError {
  /** Creates the error; `excerpt` is a short, truncated copy of the offending input. */
  constructor(message: string, excerpt = "") {
    super("PROTOCOL_ERROR", message, { data: { excerpt: excerpt.slice(0, 200) } });
    this.name = "ProtocolError";
  }
}

/**
 * A stream that cannot be read: already consumed, or its turn completed and its events were freed.
 *
 * @example
 * ```ts
 * import { StreamConsumedError } from "./errors.ts";
 * console.assert(new StreamConsumedError("turn-1").code === "STREAM_CONSUMED");
 * ```
 */
export class StreamConsumedError extends CodexError {
  /** Creates the error for the turn `turnId`. */
  constructor(turnId: string, detail = "its stream was already consumed") {
    super("STREAM_CONSUMED", `Cannot stream turn ${turnId}: ${detail}`, { data: { turnId } });
    this.name = "StreamConsumedError";
  }
}

/**
 * A stream's buffer reached its bound because nobody read it fast enough.
 *
 * @example
 * ```ts
 * import { StreamOverflowError } from "./errors.ts";
 * console.assert(new StreamOverflowError("turn-1", 10).limit === 10);
 * ```
 */
export class StreamOverflowError extends CodexError {
  /** The bound that was reached, in events. */
  readonly limit: number;

  /** Creates the error. */
  constructor(what: string, limit: number) {
    super(
      "STREAM_OVERFLOW",
      `The event buffer of ${what} reached its bound of ${limit} events; read the stream faster or raise maxBufferedEvents`,
      { data: { limit } },
    );
    this.name = "StreamOverflowError";
    this.limit = limit;
  }
}

/**
 * `Codex.connect()` failed (initialize refused, missing metadata, bad config).
 *
 * @example
 * ```ts
 * import { ConnectError } from "./errors.ts";
 * console.assert(new ConnectError("initialize failed").code === "CONNECT_FAILED");
 * ```
 */
export class ConnectError extends CodexError {
  /** Creates the error. */
  constructor(message: string, cause?: unknown) {
    super("CONNECT_FAILED", message, { cause });
    this.name = "ConnectError";
  }
}

/**
 * A pool member cannot take the call: it is down (restarting, or gone for good when
 * `permanent`), or the thread handle belongs to a connection of the member that has since
 * closed (resume the thread with `pool.threadResume(id)` once the member is up again).
 *
 * @example
 * ```ts
 * import { PoolMemberUnavailableError } from "./errors.ts";
 * const err = new PoolMemberUnavailableError("a", "down", true);
 * console.assert(err.code === "POOL_MEMBER_UNAVAILABLE" && err.member === "a" && err.permanent);
 * ```
 */
export class PoolMemberUnavailableError extends CodexError {
  /** The member's id. */
  readonly member: string;
  /** The member's state when the call was refused. */
  readonly state: string;
  /** True when the member is gone for good (its restarts or reconnections gave up). */
  readonly permanent: boolean;

  /** Creates the error. */
  constructor(member: string, state: string, permanent: boolean, detail = "") {
    const why = permanent ? "is gone for good" : `is ${state}`;
    super("POOL_MEMBER_UNAVAILABLE", `Pool member ${member} ${why}${detail ? `: ${detail}` : ""}`, {
      data: { member, state, permanent },
    });
    this.name = "PoolMemberUnavailableError";
    this.member = member;
    this.state = state;
    this.permanent = permanent;
  }
}

/**
 * No member of the pool knows the thread (it is not in the pool's owner map and no live member
 * could read it).
 *
 * @example
 * ```ts
 * import { PoolThreadNotFoundError } from "./errors.ts";
 * const err = new PoolThreadNotFoundError("0192-thread");
 * console.assert(err.code === "POOL_THREAD_NOT_FOUND" && err.threadId === "0192-thread");
 * ```
 */
export class PoolThreadNotFoundError extends CodexError {
  /** The thread id that no member knows. */
  readonly threadId: string;

  /** Creates the error. */
  constructor(threadId: string) {
    super("POOL_THREAD_NOT_FOUND", `No pool member knows thread ${threadId}`, {
      data: { threadId },
    });
    this.name = "PoolThreadNotFoundError";
    this.threadId = threadId;
  }
}
