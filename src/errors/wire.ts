import {
  AbortError,
  CodexError,
  type CodexErrorCode,
  ConnectError,
  InvalidParamsError,
  JsonRpcError,
  MethodNotFoundError,
  PoolMemberUnavailableError,
  PoolThreadNotFoundError,
  ProtocolError,
  ServerBusyError,
  StreamConsumedError,
  StreamOverflowError,
  TimeoutError,
  TransportClosedError,
  type TurnErrorInfo,
  TurnFailedError,
  TurnStalledError,
} from "./errors.ts";

/** A structured-clone-safe copy of an SDK error. */
export interface WireError {
  /** Marker. */
  readonly __codexError: true;
  /** The class name. */
  name: string;
  /** The stable code. */
  code: CodexErrorCode;
  /** The message. */
  message: string;
  /** Extra details. */
  data: unknown;
  /** Extra fields specific to the class. */
  extra: Record<string, unknown>;
}

/**
 * Turns any thrown value into a structured-clone-safe {@link WireError}.
 *
 * @example
 * ```ts
 * import { errorFromWire, errorToWire } from "./wire.ts";
 * import { TimeoutError } from "./errors.ts";
 * const back = errorFromWire(errorToWire(new TimeoutError("x", 5)));
 * console.assert(back instanceof TimeoutError && back.timeoutMs === 5);
 * ```
 */
export function errorToWire(error: unknown): WireError {
  if (error instanceof CodexError) {
    const extra: Record<string, unknown> = {};
    if (error instanceof JsonRpcError) extra.rpcCode = error.rpcCode;
    if (error instanceof MethodNotFoundError) extra.method = error.method;
    if (error instanceof TransportClosedError) extra.stderrTail = error.stderrTail;
    if (error instanceof TimeoutError) extra.timeoutMs = error.timeoutMs;
    if (error instanceof TurnFailedError) {
      extra.turnId = error.turnId;
      extra.turnError = error.turnError;
    }
    if (error instanceof StreamOverflowError) extra.limit = error.limit;
    if (error instanceof TurnStalledError) {
      extra.turnId = error.turnId;
      extra.idleTimeoutMs = error.idleTimeoutMs;
    }
    return {
      __codexError: true,
      name: error.name,
      code: error.code,
      message: error.message,
      data: safeClone(error.data),
      extra,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    __codexError: true,
    name: error instanceof Error ? error.name : "Error",
    code: "CODEX_ERROR",
    message,
    data: undefined,
    extra: {},
  };
}

/**
 * Rebuilds the SDK error class from a {@link WireError}.
 *
 * @example
 * ```ts
 * import { errorFromWire, errorToWire } from "./wire.ts";
 * import { ServerBusyError } from "./errors.ts";
 * console.assert(errorFromWire(errorToWire(new ServerBusyError("busy"))) instanceof ServerBusyError);
 * ```
 */
export function errorFromWire(wire: WireError): CodexError {
  const x = wire.extra;
  let err: CodexError;
  switch (wire.code) {
    case "JSON_RPC_ERROR":
      err = new JsonRpcError(x.rpcCode as number, wire.message, wire.data);
      break;
    case "METHOD_NOT_FOUND":
      err = new MethodNotFoundError(
        x.method as string,
        x.rpcCode as number,
        wire.message,
        wire.data,
      );
      break;
    case "INVALID_PARAMS":
      err = new InvalidParamsError(x.rpcCode as number, wire.message, wire.data);
      break;
    case "SERVER_BUSY":
      err = new ServerBusyError(wire.message, wire.data);
      break;
    case "TRANSPORT_CLOSED":
      err = new TransportClosedError(stripTail(wire.message), x.stderrTail as string);
      break;
    case "TIMEOUT":
      err = new TimeoutError("", x.timeoutMs as number);
      break;
    case "ABORTED":
      err = new AbortError("");
      break;
    case "TURN_FAILED":
      err = new TurnFailedError(x.turnId as string, x.turnError as TurnErrorInfo);
      break;
    case "TURN_STALLED":
      err = new TurnStalledError(x.turnId as string, x.idleTimeoutMs as number);
      break;
    case "PROTOCOL_ERROR":
      err = new ProtocolError(wire.message);
      break;
    case "STREAM_CONSUMED":
      err = new StreamConsumedError("");
      break;
    case "STREAM_OVERFLOW":
      err = new StreamOverflowError("", x.limit as number);
      break;
    case "CONNECT_FAILED":
      err = new ConnectError(wire.message);
      break;
    case "POOL_MEMBER_UNAVAILABLE": {
      const d = wire.data as { member: string; state: string; permanent: boolean };
      err = new PoolMemberUnavailableError(d.member, d.state, d.permanent);
      break;
    }
    case "POOL_THREAD_NOT_FOUND":
      err = new PoolThreadNotFoundError((wire.data as { threadId: string }).threadId);
      break;
    default:
      err = new CodexError(wire.code, wire.message, { data: wire.data });
  }
  err.message = wire.message;
  err.name = wire.name;
  return err;
}

/**
 * Whether a value is a {@link WireError}.
 *
 * @example
 * ```ts
 * import { errorToWire, isWireError } from "./wire.ts";
 * console.assert(isWireError(errorToWire(new Error("x"))) && !isWireError({}));
 * ```
 */
export function isWireError(value: unknown): value is WireError {
  return typeof value === "object" && value !== null &&
    (value as { __codexError?: unknown }).__codexError === true;
}

function stripTail(message: string): string {
  const i = message.indexOf("\n--- app-server stderr (tail) ---\n");
  return i < 0 ? message : message.slice(0, i);
}

function safeClone(value: unknown): unknown {
  if (value === undefined) return undefined;
  try {
    return structuredClone(value);
  } catch {
    return JSON.parse(JSON.stringify(value));
  }
}
