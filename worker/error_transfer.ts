import * as Comlink from "comlink";
import { errorFromWire, errorToWire, type WireError } from "../src/errors/wire.ts";

let installed = false;

/**
 * Makes errors thrown across the comlink boundary keep their SDK class, `code` and fields
 * (comlink alone sends only `{ message, name, stack }`). Install on both sides.
 *
 * @example
 * ```ts
 * import { installErrorTransfer } from "./error_transfer.ts";
 * installErrorTransfer();
 * ```
 */
export function installErrorTransfer(): void {
  if (installed) return;
  installed = true;
  const original = Comlink.transferHandlers.get("throw");
  if (!original) return;
  Comlink.transferHandlers.set("throw", {
    canHandle: original.canHandle,
    serialize(value: unknown): [unknown, Transferable[]] {
      const thrown = (value as { value: unknown }).value;
      return [{ wire: errorToWire(thrown) }, []];
    },
    deserialize(serialized: unknown): never {
      throw errorFromWire((serialized as { wire: WireError }).wire);
    },
  } as Comlink.TransferHandler<unknown, unknown>);
}
