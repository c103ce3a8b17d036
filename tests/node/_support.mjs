/**
 * Shared set-up of the Node tests: the offline model server and a CODEX_HOME pointing at it
 * (from the installed package's `@codex-worker/sdk/testing`), a model script keyed by prompt, and
 * a look into /proc for the app-servers a test started.
 */
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { Codex } from "@codex-worker/sdk";
import {
  reply,
  ResponsesModelServer,
  startWebSocketAppServer,
  writeCodexHome,
} from "@codex-worker/sdk/testing";

/** The answer the model streams to `prompt` (so concurrent turns can be told apart). */
export function answerTo(prompt) {
  return `answer to ${prompt}: ` + Array.from({ length: 10 }, (_, i) => `w${i}`).join(" ");
}

function lastPrompt(request) {
  const input = request.body.input;
  const last = [...input].reverse().find((m) => m.role === "user");
  return last?.content?.map((c) => c.text ?? "").join("") ?? "";
}

/** Starts the model server (answers {@link answerTo}; "please fail" gets an HTTP 500). */
export async function startOffline() {
  const model = await ResponsesModelServer.start({
    fallback: (request) => {
      const prompt = lastPrompt(request);
      if (prompt.includes("please fail")) return reply.httpError(500, { error: "model exploded" });
      return reply.text(answerTo(prompt), { chunks: 5 });
    },
  });
  const home = await writeCodexHome({ modelServerUrl: model.url });
  let wsServer;
  return {
    model,
    home,
    /** Connects over `transport` ("stdio" or "websocket"), with `options` added. */
    async connect(transport, options = {}) {
      if (transport === "stdio") return await Codex.connect({ codexHome: home.dir, ...options });
      wsServer ??= await startWebSocketAppServer({ codexHome: home.dir });
      return await Codex.connect({ url: wsServer.url, token: wsServer.token, ...options });
    },
    async close() {
      await wsServer?.close();
      await home.cleanup();
      await model.close();
    },
  };
}

const MARKER_VAR = "CODEX_WORKER_NODE_TEST_MARKER";

/** A fresh marker, and the env that carries it into a spawned app-server. */
export function processMarker() {
  const marker = randomUUID();
  return { marker, env: { [MARKER_VAR]: marker } };
}

/** Live (not zombie) `codex` processes whose environment carries `marker`. */
export function codexProcesses(marker) {
  const pids = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
      if (!comm.startsWith("codex") || state === "Z") continue;
      const environ = readFileSync(`/proc/${name}/environ`, "utf8").split("\0");
      if (environ.includes(`${MARKER_VAR}=${marker}`)) pids.push(Number(name));
    } catch { /* it ended while we looked */ }
  }
  return pids;
}
