/**
 * Shared pieces of the pool tests: members that each have their own CODEX_HOME and their own
 * offline model server, so the model server's request log says which member ran a turn.
 */
import {
  type CodexHome,
  echoReply,
  lastUserText,
  ResponsesModelServer,
  writeCodexHome,
} from "../../src/testing/mod.ts";
import type { ModelRequest, StreamReply } from "../../src/testing/mod.ts";
import { reply } from "../../src/testing/mod.ts";
import { processMarker } from "../support/processes.ts";

/** One member's environment: its model server, its CODEX_HOME and a marker for its process. */
export interface MemberFixture extends AsyncDisposable {
  id: string;
  model: ResponsesModelServer;
  home: CodexHome;
  /** `Codex.connect` env tagging the member's app-server (see `codexProcesses`). */
  env: Record<string, string>;
  marker: string;
  /** The user texts of the turns this member's model server answered. */
  prompts(): string[];
}

/** The offline model's behaviour: `hang…` keeps the turn running, anything else is echoed. */
export function poolModel(request: ModelRequest): StreamReply {
  if (lastUserText(request).startsWith("hang")) return reply.hang({ text: "partial " });
  return echoReply(request);
}

/** The final response {@link poolModel} gives to `prompt`. */
export function echoed(prompt: string): string {
  return `Hi! (mock reply to: ${prompt})`;
}

/** Starts `ids.length` members' environments. */
export async function memberFixtures(ids: string[]): Promise<MemberFixture[]> {
  return await Promise.all(ids.map(async (id) => {
    const model = await ResponsesModelServer.start({ fallback: poolModel });
    const home = await writeCodexHome({ modelServerUrl: model.url });
    const { marker, env } = processMarker();
    return {
      id,
      model,
      home,
      env,
      marker,
      prompts: () => model.requests.map(lastUserText),
      async [Symbol.asyncDispose]() {
        await model.close();
        await home.cleanup();
      },
    };
  }));
}

/** Disposes every fixture. */
export async function disposeAll(fixtures: MemberFixture[]): Promise<void> {
  for (const f of fixtures) await f[Symbol.asyncDispose]();
}

/** Pool member specs of the fixtures (local members, their model servers, their markers). */
export function localMembers(fixtures: MemberFixture[]) {
  return fixtures.map((f) => ({ id: f.id, codexHome: f.home.dir, env: f.env }));
}
