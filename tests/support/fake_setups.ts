/**
 * The two ways a unit test connects to a {@link FakeAppServer}: in-process over its memory
 * transport, and behind the Worker over its WebSocket.
 *
 * @module
 */
import { Codex } from "../../mod.ts";
import type { FakeAppServer } from "./fake_app_server.ts";

/** One way to connect the SDK to a scripted app-server. */
export interface FakeSetup {
  /** `in-process` or `worker`, for test names. */
  readonly name: string;
  /** Connects the SDK to `server`. */
  connect(server: FakeAppServer): Promise<Codex>;
}

/** In-process and behind the Worker. */
export const fakeSetups: readonly FakeSetup[] = [
  {
    name: "in-process",
    connect: (server) => Codex.connect({ transport: server.transport, worker: false }),
  },
  {
    name: "worker",
    connect: (server) => Codex.connect({ url: server.listen(), worker: true }),
  },
];
