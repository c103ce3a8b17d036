/**
 * Turn control through the installed package on Node: approvals answered by a main-thread
 * handler (through the worker thread) or declined by default, interrupt, steer, and a failed
 * model call rejecting with `TurnFailedError` on both sides of the worker boundary.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { isMainThread } from "node:worker_threads";
import { CodexError, isNotification, TurnFailedError } from "@codex-worker/sdk";
import { functionCallOutputs, reply } from "@codex-worker/sdk/testing";
import { startOffline } from "./_support.mjs";

let offline;
before(async () => {
  offline = await startOffline();
});
after(() => offline.close());

function toolOutput(request) {
  const output = functionCallOutputs(request)[0]?.output;
  return typeof output === "string" ? output : JSON.stringify(output ?? "");
}

/** A one-command turn: `exec_command` with `cmd`, then a text quoting the tool's output. */
function commandScript(cmd, callId) {
  return [
    reply.functionCall({ name: "exec_command", arguments: { cmd, login: false }, callId }),
    (request) => reply.text(`tool said: ${toolOutput(request).slice(0, 400)}`),
  ];
}

for (const worker of [true, false]) {
  const mode = `[worker: ${worker}]`;

  test(`${mode} a main-thread handler accepts a command, which runs`, async (t) => {
    const codex = await offline.connect("stdio", { worker });
    t.after(() => codex.close()); // Node 20 has no `await using`
    offline.model.enqueue(...commandScript("echo approved-$((40+2))", "call_accept"));
    const asked = [];
    const thread = await codex.threadStart({
      approvalPolicy: "untrusted",
      cwd: offline.home.dir,
    }, {
      serverRequests: {
        "item/commandExecution/requestApproval": (params) => {
          asked.push(String(params.command));
          return { decision: "accept" };
        },
      },
    });
    const result = await thread.run("run it");
    assert.equal(result.status, "completed");
    assert.equal(asked.length, 1);
    assert.match(asked[0], /echo approved/);
    const command = result.items.find((i) => i.type === "commandExecution");
    assert.equal(command?.status, "completed");
    assert.match(String(command?.aggregatedOutput), /approved-42/);
  });

  test(`${mode} with no handler a command is declined and not run`, async (t) => {
    const codex = await offline.connect("stdio", { worker });
    t.after(() => codex.close()); // Node 20 has no `await using`
    offline.model.enqueue(...commandScript("echo default-$((40+2))", "call_default"));
    const thread = await codex.threadStart({ approvalPolicy: "untrusted", cwd: offline.home.dir });
    const result = await thread.run("run it");
    assert.equal(result.status, "completed");
    const command = result.items.find((i) => i.type === "commandExecution");
    assert.equal(command?.status, "declined");
    assert.doesNotMatch(String(command?.aggregatedOutput ?? ""), /default-42/);
  });

  test(`${mode} a dynamic tool call is answered by a handler on the main thread`, async (t) => {
    const codex = await offline.connect("stdio", { worker });
    t.after(() => codex.close()); // Node 20 has no `await using`
    offline.model.enqueue(
      reply.functionCall({ name: "lookup_ticket", arguments: { id: "ABC-123" }, callId: "c1" }),
      (request) => reply.text(`the tool answered: ${toolOutput(request)}`),
    );
    const calls = [];
    const thread = await codex.threadStart({
      dynamicTools: [{
        type: "function",
        name: "lookup_ticket",
        description: "Looks up a support ticket by id",
        inputSchema: { type: "object", properties: { id: { type: "string" } }, required: ["id"] },
      }],
    }, {
      serverRequests: {
        "item/tool/call": (params) => {
          calls.push({ tool: params.tool, arguments: params.arguments, isMainThread });
          const text = `ticket ${params.arguments.id} is OPEN`;
          return { contentItems: [{ type: "inputText", text }], success: true };
        },
      },
    });
    const result = await thread.run("what is the status of ABC-123?");
    assert.equal(result.status, "completed");
    assert.deepEqual(calls, [
      { tool: "lookup_ticket", arguments: { id: "ABC-123" }, isMainThread: true },
    ]);
    assert.equal(result.finalResponse, "the tool answered: ticket ABC-123 is OPEN");
  });

  test(`${mode} interrupt ends a running turn as interrupted`, async (t) => {
    const codex = await offline.connect("stdio", { worker });
    t.after(() => codex.close()); // Node 20 has no `await using`
    const thread = await codex.threadStart({});
    offline.model.enqueue(reply.hang({ text: "partial answer" }));
    const turn = await thread.turn("long task");
    for await (const ev of turn.stream()) {
      if (isNotification(ev, "item/agentMessage/delta")) break; // the model is mid-answer
    }
    await turn.interrupt();
    const result = await turn.run();
    assert.equal(result.status, "interrupted");
    assert.equal(result.finalResponse, null);
  });

  test(`${mode} steer adds input to the running turn, which then completes`, async (t) => {
    const codex = await offline.connect("stdio", { worker });
    t.after(() => codex.close()); // Node 20 has no `await using`
    const thread = await codex.threadStart({});
    offline.model.enqueue(reply.hang({ text: "working on it" }), reply.text("steered answer"));
    const turn = await thread.turn("first request");
    const inputs = [];
    let steered = false;
    for await (const ev of turn.stream()) {
      if (isNotification(ev, "item/agentMessage/delta") && !steered) {
        steered = true;
        await turn.steer("actually, do this instead");
      }
      if (isNotification(ev, "item/completed") && ev.params.item.type === "userMessage") {
        inputs.push(ev.params.item.content.map((c) => c.type === "text" ? c.text : "").join(""));
      }
    }
    const result = await turn.run();
    assert.equal(result.status, "completed");
    assert.equal(result.finalResponse, "steered answer");
    assert.deepEqual(inputs, ["first request", "actually, do this instead"]);
  });

  test(`${mode} a failed model call rejects run() with TurnFailedError`, async (t) => {
    const codex = await offline.connect("stdio", { worker });
    t.after(() => codex.close()); // Node 20 has no `await using`
    const thread = await codex.threadStart({});
    const err = await thread.run("please fail").then(() => undefined, (e) => e);
    assert.ok(err instanceof TurnFailedError, `a TurnFailedError: ${err}`);
    assert.ok(err instanceof CodexError);
    assert.equal(err.code, "TURN_FAILED");
    assert.ok(err.message.length > 0, "carries the server's message");
  });
}
