/**
 * The Web Worker entry: runs the router (transport + `MessageRouter`) off the main thread and
 * serves a `WorkerHost` over comlink (see `worker_boot.ts` for the order of start-up).
 *
 * @module
 */
import type { MessageEndpoint } from "../src/runtime/runtime.ts";
import { bootWorker } from "./worker_boot.ts";

bootWorker(globalThis as unknown as MessageEndpoint);
