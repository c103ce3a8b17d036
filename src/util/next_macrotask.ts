let yielder: { port: MessagePort; queue: Array<() => void> } | undefined;

/**
 * Resolves after one macrotask: a `MessageChannel` round trip, so there is no 4 ms timer clamp
 * and everything already queued (other lines, other frames) runs first. The helper ports are
 * unref'd in Deno, so they never keep a process alive.
 *
 * @example
 * ```ts
 * import { nextMacrotask } from "./next_macrotask.ts";
 * // The helper ports are unref'd: something else must keep a Deno process alive meanwhile.
 * const keepAlive = setTimeout(() => {}, 1000);
 * const order: string[] = [];
 * queueMicrotask(() => order.push("microtask"));
 * await nextMacrotask();
 * order.push("macrotask");
 * clearTimeout(keepAlive);
 * if (order.join() !== "microtask,macrotask") throw new Error("unexpected order");
 * ```
 */
export function nextMacrotask(): Promise<void> {
  if (!yielder) {
    const { port1, port2 } = new MessageChannel();
    const queue: Array<() => void> = [];
    port2.onmessage = () => queue.shift()?.();
    (port1 as unknown as { unref?: () => void }).unref?.();
    (port2 as unknown as { unref?: () => void }).unref?.();
    yielder = { port: port1, queue };
  }
  const y = yielder;
  return new Promise((resolve) => {
    y.queue.push(resolve);
    y.port.postMessage(0);
  });
}
