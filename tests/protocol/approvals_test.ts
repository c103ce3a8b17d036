import { assert, assertEquals } from "../support/assert.ts";
import type { CodexEvent, ServerRequestHandlers, Thread } from "../../mod.ts";
import { commandScript, startHarness, toolOutputText } from "./_harness.ts";
import { reply } from "../../src/testing/mod.ts";

interface Outcome {
  events: CodexEvent[];
  status: string;
  finalResponse: string | null;
  command: Record<string, unknown> | undefined;
}

async function runTurn(thread: Thread, prompt: string): Promise<Outcome> {
  const turn = await thread.turn(prompt);
  const events: CodexEvent[] = [];
  for await (const ev of turn.stream()) events.push(ev);
  const result = await turn.run();
  const command = result.items.find((i) => i.type === "commandExecution") as
    | Record<string, unknown>
    | undefined;
  return { events, status: result.status, finalResponse: result.finalResponse, command };
}

function approvalRequests(events: CodexEvent[]): CodexEvent[] {
  return events.filter((e) =>
    "serverRequest" in e && e.method === "item/commandExecution/requestApproval"
  );
}

Deno.test("command approvals on the real app-server", async (t) => {
  await using h = await startHarness();
  const untrusted = { approvalPolicy: "untrusted" as const, cwd: h.home.dir };

  await t.step("an accepted command runs and the turn completes with its output", async () => {
    h.model.enqueue(...commandScript("echo approved-$((40+2))", "call_accept"));
    const seen: string[] = [];
    const handlers: ServerRequestHandlers = {
      "item/commandExecution/requestApproval": (params) => {
        seen.push(String(params.command));
        return { decision: "accept" };
      },
    };
    const thread = await h.codex.threadStart(untrusted, { serverRequests: handlers });
    const out = await runTurn(thread, "run it");
    assertEquals(out.status, "completed");
    assertEquals(seen.length, 1);
    assert(seen[0].includes("echo approved"), seen[0]);
    assertEquals(out.command?.status, "completed");
    assert(String(out.command?.aggregatedOutput).includes("approved-42"), "the command ran");
    assert(out.finalResponse?.includes("approved-42"), String(out.finalResponse));
    assertEquals(approvalRequests(out.events).length, 1, "the approval is in the turn's stream");
    assert(
      out.events.some((e) => e.method === "serverRequest/resolved"),
      "its resolution is in the turn's stream",
    );
  });

  await t.step("a declined command is not run and the turn continues to completion", async () => {
    h.model.enqueue(...commandScript("echo declined-$((40+2))", "call_decline"));
    const thread = await h.codex.threadStart(untrusted, {
      serverRequests: {
        "item/commandExecution/requestApproval": () => ({ decision: "decline" }),
      },
    });
    const out = await runTurn(thread, "run it");
    assertEquals(out.status, "completed");
    assertEquals(out.command?.status, "declined");
    assert(!String(out.command?.aggregatedOutput ?? "").includes("declined-42"), "did not run");
    const toolOutput = toolOutputText(h.model.requests.at(-1)!);
    assert(toolOutput.includes("rejected"), `the model is told: ${toolOutput}`);
    assert(out.finalResponse?.startsWith("tool said:"), "the model answered after the decline");
  });

  await t.step("with no handler, the command is declined by default", async () => {
    h.model.enqueue(...commandScript("echo default-$((40+2))", "call_default"));
    const thread = await h.codex.threadStart(untrusted);
    const out = await runTurn(thread, "run it");
    assertEquals(out.status, "completed");
    assertEquals(approvalRequests(out.events).length, 1);
    assertEquals(out.command?.status, "declined");
  });

  await t.step("a handler that throws gets an error answer and a visible failure", async () => {
    h.model.enqueue(...commandScript("echo thrown-$((40+2))", "call_throw"));
    const thread = await h.codex.threadStart(untrusted, {
      serverRequests: {
        "item/commandExecution/requestApproval": () => {
          throw new Error("approval UI crashed");
        },
      },
    });
    const out = await runTurn(thread, "run it");
    assertEquals(out.status, "completed");
    assert(out.command?.status !== "completed", `not run: ${out.command?.status}`);
    const failure = out.events.find((e) => e.method === "sdk/serverRequestFailed");
    assert(failure, "the failure is in the turn's stream");
    assert(JSON.stringify(failure.params).includes("approval UI crashed"));
  });

  await t.step("an accepted file change is written to disk", async () => {
    const dir = await Deno.makeTempDir({ dir: h.home.dir, prefix: "ws_" });
    h.model.enqueue(
      reply.applyPatch("hello.txt", "hello from apply_patch\n", {
        callId: "call_patch",
        workdir: dir,
      }),
      reply.text("patched"),
    );
    const asked: string[] = [];
    const thread = await h.codex.threadStart({ ...untrusted, cwd: dir }, {
      serverRequests: {
        "item/fileChange/requestApproval": (params) => {
          asked.push(params.itemId);
          return { decision: "accept" };
        },
      },
    });
    const turn = await thread.turn("write the file");
    const result = await turn.run();
    assertEquals(result.status, "completed");
    assertEquals(asked, ["call_patch"]);
    const change = result.items.find((i) => i.type === "fileChange") as
      | { status: string }
      | undefined;
    assertEquals(change?.status, "completed");
    assertEquals(await Deno.readTextFile(`${dir}/hello.txt`), "hello from apply_patch\n");
  });
});
