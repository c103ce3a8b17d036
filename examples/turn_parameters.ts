/**
 * Turn parameters: per-turn overrides (model, reasoning effort, summary, sandbox, cwd) and a
 * structured output schema whose JSON answer is parsed from the final response.
 *
 * @module
 */
import process from "node:process";
import { DEFAULT_MOCK_MODEL, reply } from "../src/testing/mod.ts";
import { connect, REAL } from "./_offline.ts";

await using session = await connect([
  reply.text(JSON.stringify({ language: "TypeScript", files: 3 })),
]);
const thread = await session.codex.threadStart({});
const outputSchema = {
  type: "object",
  properties: { language: { type: "string" }, files: { type: "integer" } },
  required: ["language", "files"],
  additionalProperties: false,
};
const result = await thread.run("Which language is this repo in, and how many files?", {
  ...(REAL ? {} : { model: DEFAULT_MOCK_MODEL }),
  effort: "low",
  summary: "concise",
  cwd: process.cwd(),
  sandboxPolicy: { type: "readOnly", networkAccess: false },
  outputSchema,
});
const answer = JSON.parse(result.finalResponse ?? "{}") as { language: string; files: number };
console.log(`structured answer: language=${answer.language} files=${answer.files}`);
const request = session.model?.requests.at(-1);
if (request) {
  const reasoning = request.body.reasoning as { effort?: string } | undefined;
  const format = (request.body.text as { format?: { type?: string } } | undefined)?.format;
  console.log(`the model was asked for effort=${reasoning?.effort} format=${format?.type}`);
}
