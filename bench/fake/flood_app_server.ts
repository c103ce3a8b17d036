/**
 * A fake `codex app-server` for delivery and memory benchmarks: speaks newline-delimited
 * JSON-RPC on stdio, answers `initialize`, `thread/start` and `turn/start`, and then streams the
 * turn the input text asks for:
 *
 * - `flood N` — N `item/agentMessage/delta` notifications as fast as stdout takes them;
 * - `paced N MS` — N deltas, one every MS milliseconds, each stamped with its send time `t`
 *   (`performance.timeOrigin + performance.now()`, comparable across processes);
 *
 * then `turn/completed`. It lets a benchmark drive the real transport → router → Worker port →
 * main-thread path without a model. Run: `deno run bench/fake/flood_app_server.ts app-server`.
 *
 * @module
 */

import { LineBuffer } from "../../src/transport/line_splitter.ts";

const encoder = new TextEncoder();
const CHUNK_LINES = 256;
let turnSeq = 0;
let threadSeq = 0;
let writing: Promise<void> = Promise.resolve();

function now(): number {
  return performance.timeOrigin + performance.now();
}

async function write(text: string): Promise<void> {
  const bytes = encoder.encode(text);
  let off = 0;
  while (off < bytes.length) off += await Deno.stdout.write(bytes.subarray(off));
}

/** Serializes writes so that lines of concurrent turns never interleave mid-line. */
function enqueue(task: () => Promise<void>): void {
  writing = writing.then(task, task);
}

function line(message: unknown): string {
  return JSON.stringify(message) + "\n";
}

function delta(threadId: string, turnId: string, seq: number): string {
  return `{"method":"item/agentMessage/delta","params":{"threadId":"${threadId}","turnId":"${turnId}","itemId":"msg_1","delta":"x","seq":${seq},"t":${now()}}}\n`;
}

function turnObject(id: string, status: string) {
  return { id, items: [], itemsView: "notLoaded", status, error: null, startedAt: null };
}

async function streamTurn(threadId: string, turnId: string, command: string[]): Promise<void> {
  await write(
    line({ method: "turn/started", params: { threadId, turn: turnObject(turnId, "inProgress") } }),
  );
  const count = Number(command[1] ?? 0);
  if (command[0] === "paced") {
    const ms = Number(command[2] ?? 2);
    for (let i = 0; i < count; i++) {
      await write(delta(threadId, turnId, i));
      await new Promise((r) => setTimeout(r, ms));
    }
  } else {
    for (let i = 0; i < count; i += CHUNK_LINES) {
      let chunk = "";
      for (let j = i; j < Math.min(count, i + CHUNK_LINES); j++) {
        chunk += delta(threadId, turnId, j);
      }
      await write(chunk);
    }
  }
  await write(line({
    method: "turn/completed",
    params: {
      threadId,
      turn: { ...turnObject(turnId, "completed"), startedAt: 1, completedAt: 2, durationMs: 1 },
    },
  }));
}

function onMessage(text: string): void {
  const msg = JSON.parse(text) as {
    id?: number;
    method?: string;
    params?: Record<string, unknown>;
  };
  if (msg.id === undefined || msg.method === undefined) return;
  const id = msg.id;
  switch (msg.method) {
    case "initialize":
      enqueue(() =>
        write(line({
          id,
          result: {
            userAgent: "flood_app_server/0.169.0 (bench)",
            codexHome: "/nonexistent",
            platformFamily: "unix",
            platformOs: "linux",
          },
        }))
      );
      return;
    case "thread/start": {
      const threadId = `thread-${++threadSeq}`;
      enqueue(() => write(line({ id, result: { thread: { id: threadId } } })));
      return;
    }
    case "turn/start": {
      const params = msg.params ?? {};
      const threadId = String(params.threadId);
      const input = (params.input as Array<{ text?: string }> | undefined)?.[0]?.text ?? "";
      const turnId = `turn-${++turnSeq}`;
      enqueue(async () => {
        await write(line({ id, result: { turn: turnObject(turnId, "inProgress") } }));
        await streamTurn(threadId, turnId, input.split(" "));
      });
      return;
    }
    default:
      enqueue(() => write(line({ id, result: {} })));
  }
}

const buffer = new LineBuffer();
for await (const text of Deno.stdin.readable.pipeThrough(new TextDecoderStream())) {
  for (const l of buffer.push(text)) if (l.length > 0) onMessage(l);
}
await writing;
