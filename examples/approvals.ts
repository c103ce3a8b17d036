/**
 * Approvals: with `approvalPolicy: "untrusted"` every command needs the client's approval. A
 * handler decides (here: accept `echo`, decline anything else); with no handler the SDK
 * declines. Approval requests also appear in the turn's stream, for a UI to show.
 *
 * @module
 */
import process from "node:process";
import type { ServerRequestHandlers } from "../mod.ts";
import { functionCallOutputs, reply } from "../src/testing/mod.ts";
import { connect } from "./_offline.ts";

function commandTurn(cmd: string, callId: string) {
  return [
    reply.functionCall({ name: "exec_command", arguments: { cmd, login: false }, callId }),
    (request: Parameters<typeof functionCallOutputs>[0]) => {
      const output = String(functionCallOutputs(request).at(-1)?.output ?? "");
      return reply.text(`The command said: ${output.trim().split("\n").at(-1)}`);
    },
  ];
}

await using session = await connect([
  ...commandTurn("echo approved by the handler", "call_echo"),
  ...commandTurn("rm -rf ./build", "call_rm"),
]);

const handlers: ServerRequestHandlers = {
  "item/commandExecution/requestApproval": (params) => {
    const command = String(params.command ?? "");
    const decision = /\becho\b/.test(command) && !/\brm\b/.test(command) ? "accept" : "decline";
    console.log(`approval asked for: ${command} -> ${decision}`);
    return { decision };
  },
};
// Approval policy per thread (codex refuses "untrusted" in config.toml).
const thread = await session.codex.threadStart(
  { approvalPolicy: "untrusted", cwd: session.home?.dir ?? process.cwd() },
  { serverRequests: handlers },
);

for (const prompt of ["Print a greeting.", "Clean the build directory."]) {
  const turn = await thread.turn(prompt);
  for await (const event of turn.stream()) {
    if ("serverRequest" in event) console.log(`stream shows request ${event.method}`);
  }
  const result = await turn.run();
  const command = result.items.find((item) => item.type === "commandExecution");
  console.log(
    `command ${command?.type === "commandExecution" ? command.status : "none"}; ` +
      `answer: ${result.finalResponse}`,
  );
}
