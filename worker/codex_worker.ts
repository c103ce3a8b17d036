/**
 * The Worker's entry (a Web Worker, or a Node worker thread): runs the router (transport +
 * `MessageRouter`) off the main thread and serves a `WorkerHost` over comlink (see
 * `worker_boot.ts` for the order of start-up).
 *
 * @module
 */
import { runtime } from "../src/runtime/current.ts";
import { bootWorker } from "./worker_boot.ts";

bootWorker(runtime.workerScope());
