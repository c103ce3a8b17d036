/**
 * A WebSocket's `readyState` values. The `WebSocket` global that holds them as statics is
 * missing on Node 20, so the SDK compares against these numbers instead of `WebSocket.OPEN`.
 *
 * @example
 * ```ts
 * import { SOCKET_STATE } from "./socket_state.ts";
 * console.assert(SOCKET_STATE.OPEN === 1);
 * ```
 */
export const SOCKET_STATE = { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 } as const;
