import type { CallOptions } from "../core/call_options.ts";
import type { TransportClosedError } from "../errors/errors.ts";
import { type RpcErrorObject, rpcErrorToError } from "../errors/rpc_error_mapping.ts";
import type { ClosedLatch } from "../util/closed_latch.ts";
import { Deadline } from "../util/deadline.ts";
import { InFlightLimiter } from "./in_flight_limiter.ts";
import { encodeRequest } from "./message_codec.ts";
import { PendingRequests } from "./pending_requests.ts";
import { turnToStartFirst } from "./request_holds.ts";

/** What {@link OutgoingRequests} needs from its router. */
export interface OutgoingRequestsOptions {
  /** Writes one message text. */
  send(text: string): void;
  /** The connection's end: settles every call, held, queued or sent. */
  closed: ClosedLatch<TransportClosedError>;
  /** Resolves when the turn has started (or ended); `undefined` when it has already. */
  whenStarted(turnId: string): Promise<void> | undefined;
  /** Default timeout of a call, in ms (0 = none). */
  timeoutMs: number;
  /** Requests in flight at once. */
  maxInFlight: number;
}

/**
 * The client's requests, each one {@link Deadline} from the call to its answer, through three
 * states: held until its turn started (the hold rule, `request_holds.ts`), queued for an
 * in-flight slot, and sent. Timeout, abort and the connection's end settle a call in any state;
 * a response settles it once sent. When a slot is free the request is written synchronously,
 * so requests reach the wire in call order.
 *
 * @example
 * ```ts
 * import { OutgoingRequests } from "./outgoing_requests.ts";
 * import { ClosedLatch } from "../util/closed_latch.ts";
 * const wire: string[] = [];
 * const requests = new OutgoingRequests({
 *   send: (text) => wire.push(text),
 *   closed: new ClosedLatch(),
 *   whenStarted: () => undefined,
 *   timeoutMs: 1_000,
 *   maxInFlight: 4,
 * });
 * const answer = requests.request("model/list", {});
 * requests.answer(JSON.parse(wire[0]).id, { result: { data: [] } });
 * if ((await answer as { data: unknown[] }).data.length !== 0) throw new Error("not answered");
 * ```
 */
export class OutgoingRequests {
  readonly #options: OutgoingRequestsOptions;
  readonly #pending = new PendingRequests();
  readonly #limiter: InFlightLimiter;
  #nextId = 1;

  /** Creates the queue; nothing is sent until `request()`. */
  constructor(options: OutgoingRequestsOptions) {
    this.#options = options;
    this.#limiter = new InFlightLimiter(options.maxInFlight);
    this.#pending.onSettled = () => this.#limiter.release();
  }

  /** Requests sent and waiting for their answer. */
  get size(): number {
    return this.#pending.size;
  }

  /** Sends (now, after its hold, or when a slot frees) and waits for the answer. */
  request(method: string, params: unknown, options: CallOptions = {}): Promise<unknown> {
    const { closed } = this.#options;
    if (closed.error) return Promise.reject(closed.error);
    const { requestId } = options;
    if (requestId !== undefined && this.#pending.has(requestId)) {
      return Promise.reject(new TypeError(`request id ${requestId} is already waiting`));
    }
    const call = new Deadline<unknown>(method, {
      timeoutMs: options.timeoutMs ?? this.#options.timeoutMs,
      signal: options.signal,
      closed,
    });
    const heldFor = turnToStartFirst(method, params);
    const started = heldFor === undefined ? undefined : this.#options.whenStarted(heldFor);
    if (started) started.then(() => this.#enqueue(call, method, params, requestId));
    else this.#enqueue(call, method, params, requestId);
    return call.promise;
  }

  /** Settles the call `id` with the server's response (late or unknown ids are ignored). */
  answer(id: number | string, message: { result?: unknown; error?: unknown }): void {
    const method = this.#pending.methodOf(id);
    if (method === undefined) return; // late (timed out / aborted) or unknown id
    if ("error" in message && message.error !== undefined && message.error !== null) {
      const error = typeof message.error === "object"
        ? message.error as RpcErrorObject
        : { code: -32603, message: String(message.error) };
      this.#pending.settle(id, { ok: false, error: rpcErrorToError(method, error) });
    } else {
      this.#pending.settle(id, { ok: true, value: message.result });
    }
  }

  /** Sends as soon as the in-flight cap allows (at once when a slot is free). */
  #enqueue(call: Deadline<unknown>, method: string, params: unknown, requestId?: string): void {
    if (call.settled) return;
    if (this.#limiter.tryAcquire()) this.#send(call, method, params, requestId);
    else this.#limiter.enqueue(call, () => this.#send(call, method, params, requestId));
  }

  /** Writes the request; holds an in-flight slot, which the call's settling frees. */
  #send(call: Deadline<unknown>, method: string, params: unknown, requestId?: string): void {
    const id = requestId ?? this.#nextId++;
    this.#pending.track(id, call);
    try {
      this.#options.send(encodeRequest(id, method, params));
    } catch (err) {
      call.reject(err);
    }
  }
}
