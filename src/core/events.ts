import type {
  Notification,
  NotificationOf,
  ServerNotificationMethod,
  ServerRequestMethod,
  ServerRequestParams,
} from "../protocol/mod.ts";

/**
 * A request the app-server sent to the client (an approval, a tool call, ...), as it appears in a
 * turn's stream or the global stream. The SDK answers it (through a handler or the safe
 * default); the event lets a UI show it. `serverRequest/resolved` follows from the server.
 *
 * @example
 * ```ts
 * import type { ServerRequestEvent } from "./events.ts";
 * const ev: ServerRequestEvent = {
 *   method: "item/tool/call",
 *   params: { threadId: "t", turnId: "u", callId: "c", namespace: null, tool: "x", arguments: {} },
 *   serverRequest: { id: 0 },
 * };
 * console.assert(ev.serverRequest.id === 0);
 * ```
 */
export type ServerRequestEvent = {
  [M in ServerRequestMethod]: {
    method: M;
    params: ServerRequestParams<M>;
    serverRequest: { id: number | string };
  };
}[ServerRequestMethod];

/**
 * Params of the `sdk/gap` event: a turn's stream went on across a dropped connection (with
 * `reconnect`), and events sent while no connection listened may be missing. The items that
 * finished meanwhile follow at once as `item/completed` events (`reconciledItems`, in order, from
 * `thread/read`), then the live events; when the turn ended meanwhile, a `turn/completed` with
 * its final state closes the stream. Deltas sent during the gap are lost, but each item's
 * `item/completed` carries its full content; no item is delivered twice.
 *
 * @example
 * ```ts
 * import type { GapParams } from "./events.ts";
 * const gap: GapParams = {
 *   threadId: "t",
 *   turnId: "u",
 *   message: "The WebSocket closed",
 *   status: "inProgress",
 *   reconciledItems: ["msg_1"],
 * };
 * console.assert(gap.reconciledItems.length === 1);
 * ```
 */
export interface GapParams {
  /** The thread. */
  threadId: string;
  /** The turn. */
  turnId: string;
  /** Why the connection dropped. */
  message: string;
  /** The turn's status after the reconnection, as `thread/read` reports it. */
  status: string;
  /** Ids of the items that finished during the gap, delivered next as `item/completed`. */
  reconciledItems: string[];
}

/**
 * Events the SDK itself adds to a stream; their methods start with `sdk/`.
 *
 * @example
 * ```ts
 * import type { SdkEvent } from "./events.ts";
 * const lag: SdkEvent = { method: "sdk/lagged", params: { dropped: 3 } };
 * console.assert(lag.params.dropped === 3);
 * ```
 */
export type SdkEvent =
  | {
    method: "sdk/protocolError";
    params: { message: string; excerpt: string };
  }
  | {
    method: "sdk/serverRequestFailed";
    params: { requestMethod: string; requestId: number | string; message: string };
  }
  | {
    method: "sdk/lagged";
    params: { dropped: number };
  }
  | {
    /** A turn's stream resumed after a reconnection: events may be missing here. */
    method: "sdk/gap";
    params: GapParams;
  }
  | {
    /** The connection dropped; with `reconnect` enabled the SDK is reconnecting. */
    method: "sdk/disconnected";
    params: { message: string };
  }
  | {
    /** Reconnected: threads re-subscribed and the turns whose events may be incomplete. */
    method: "sdk/reconnected";
    params: {
      attempt: number;
      threads: string[];
      failedThreads: Array<{ threadId: string; message: string }>;
      turns: Array<{ threadId: string; turnId: string; status: string; items: unknown[] }>;
    };
  };

/**
 * Everything a stream can carry: server notifications (typed, or `UnknownNotification`), server
 * requests, and SDK events.
 *
 * @example
 * ```ts
 * import type { CodexEvent } from "./events.ts";
 * function describe(ev: CodexEvent): string {
 *   return "serverRequest" in ev ? `request ${ev.method}` : ev.method;
 * }
 * console.assert(describe({ method: "sdk/lagged", params: { dropped: 1 } }) === "sdk/lagged");
 * ```
 */
export type CodexEvent = Notification | ServerRequestEvent | SdkEvent;

/**
 * Narrows an event to the typed notification of `method` (an `UnknownNotification` with the
 * same method, or a server request, does not match).
 *
 * @example
 * ```ts
 * import { isNotification, type CodexEvent } from "./events.ts";
 * const ev: CodexEvent = {
 *   method: "item/agentMessage/delta",
 *   params: { threadId: "t", turnId: "u", itemId: "i", delta: "Hi" },
 * };
 * if (isNotification(ev, "item/agentMessage/delta")) console.assert(ev.params.delta === "Hi");
 * ```
 */
export function isNotification<M extends ServerNotificationMethod>(
  event: CodexEvent,
  method: M,
): event is NotificationOf<M> {
  return event.method === method && !("serverRequest" in event) &&
    (event as { unknown?: boolean }).unknown !== true;
}
