/**
 * The package's types, as a TypeScript user on Node sees them: a consumer that uses the main
 * exports type-checks with `tsc` (strict, `nodenext`, `@types/node`, no DOM lib, library files
 * checked too), and a consumer with a type error is refused, so the check is live.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const project = fileURLToPath(new URL("..", import.meta.url));
const TSC = `${project}node_modules/typescript/bin/tsc`;

const CONSUMER = `
import { Codex, isNotification, TurnFailedError } from "@codex-worker/sdk";
import { reply, ResponsesModelServer, writeCodexHome } from "@codex-worker/sdk/testing";
import { ChatAdapterServer } from "@codex-worker/sdk/chat-adapter";
import { BridgeServer } from "@codex-worker/sdk/bridge";

export async function main(): Promise<string | null> {
  const model = await ResponsesModelServer.start();
  model.enqueue(reply.text("hi"));
  const home = await writeCodexHome({ modelServerUrl: model.url });
  await using codex = await Codex.connect({ codexHome: home.dir, worker: true });
  const thread = await codex.threadStart({});
  const turn = await thread.turn("hi");
  for await (const ev of turn.stream()) {
    if (isNotification(ev, "item/agentMessage/delta")) console.log(ev.params.delta.length);
  }
  const error: unknown = new Error();
  if (error instanceof TurnFailedError) console.log(error.code);
  console.log(typeof ChatAdapterServer.start, typeof BridgeServer.start);
  return (await turn.run()).finalResponse;
}
`;

const TSCONFIG = {
  compilerOptions: {
    target: "es2022",
    module: "nodenext",
    moduleResolution: "nodenext",
    strict: true,
    noEmit: true,
    lib: ["es2023", "esnext.disposable"],
    types: ["node"],
  },
  files: ["consumer.ts"],
};

function typeCheck(source) {
  const dir = mkdtempSync(`${project}types_`);
  try {
    writeFileSync(`${dir}/consumer.ts`, source);
    writeFileSync(`${dir}/tsconfig.json`, JSON.stringify(TSCONFIG));
    const out = spawnSync(process.execPath, [TSC, "-p", dir], { encoding: "utf8" });
    return { code: out.status, output: out.stdout + out.stderr };
  } finally {
    rmSync(dir, { recursive: true });
  }
}

test("a TypeScript consumer of the package's exports type-checks", () => {
  const { code, output } = typeCheck(CONSUMER);
  assert.equal(code, 0, output);
});

test("a type error against the package's types is reported", () => {
  const wrong = CONSUMER + "\nexport const n: number = (await main())!;\n";
  const { code, output } = typeCheck(wrong);
  assert.notEqual(code, 0);
  assert.match(output, /TS2322: Type 'string' is not assignable to type 'number'/);
});
