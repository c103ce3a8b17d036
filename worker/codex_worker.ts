/**
 * The Web Worker entry: runs the router (transport + `MessageRouter`) off the main thread and
 * exposes a {@link WorkerHost} over comlink.
 *
 * @module
 */
import * as Comlink from "comlink";
import { installErrorTransfer } from "./error_transfer.ts";
import { WorkerHost } from "./worker_host.ts";

installErrorTransfer();
Comlink.expose(new WorkerHost());
