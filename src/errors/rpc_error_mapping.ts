import {
  InvalidParamsError,
  JsonRpcError,
  MethodNotFoundError,
  ServerBusyError,
} from "./errors.ts";

/** The `error` member of a JSON-RPC error response. */
export interface RpcErrorObject {
  /** JSON-RPC error code. */
  code: number;
  /** Message. */
  message: string;
  /** Optional details. */
  data?: unknown;
}

/**
 * Classifies a JSON-RPC error answer into the SDK's typed errors. The app-server answers almost
 * everything with -32600, so unknown methods and bad params are recognised by their message.
 *
 * @example
 * ```ts
 * import { rpcErrorToError } from "./rpc_error_mapping.ts";
 * const err = rpcErrorToError("no/such", {
 *   code: -32600, message: "Invalid request: unknown variant `no/such`, expected one of ...",
 * });
 * console.assert(err.code === "METHOD_NOT_FOUND");
 * ```
 */
export function rpcErrorToError(method: string, error: RpcErrorObject): JsonRpcError {
  const code = typeof error.code === "number" ? error.code : -32603;
  const message = typeof error.message === "string" ? error.message : "Unknown JSON-RPC error";
  if (code === -32001) return new ServerBusyError(message, error.data);
  if (code === -32601) return new MethodNotFoundError(method, code, message, error.data);
  if (code === -32600 && isUnknownMethodMessage(method, message)) {
    return new MethodNotFoundError(method, code, message, error.data);
  }
  if (code === -32602) return new InvalidParamsError(code, message, error.data);
  if (code === -32600 && /^Invalid request: /.test(message)) {
    return new InvalidParamsError(code, message, error.data);
  }
  return new JsonRpcError(code, message, error.data);
}

function isUnknownMethodMessage(method: string, message: string): boolean {
  return message.startsWith(`Invalid request: unknown variant \`${method}\``);
}
