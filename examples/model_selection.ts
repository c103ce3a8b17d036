/**
 * Model selection: list the models the server offers, pick one and its highest reasoning
 * effort, and run turns with it; print the answer and the token usage.
 *
 * @module
 */
import { connect } from "./_offline.ts";

await using session = await connect();
const { codex } = session;
const { data: models } = await codex.models();
console.log(`${models.length} model(s): ${models.map((m) => m.id).join(", ")}`);
const model = models.find((m) => m.isDefault) ?? models[0];
const efforts = model.supportedReasoningEfforts.map((e) => e.reasoningEffort);
const effort = efforts.at(-1) ?? model.defaultReasoningEffort;
console.log(`using model ${model.id} with effort ${effort}`);

const thread = await codex.threadStart({ model: model.id });
for (const prompt of ["Name a prime number.", "And another one."]) {
  const result = await thread.run(prompt, { effort });
  console.log(`> ${prompt}\n${result.finalResponse} [${result.usage?.last.totalTokens} tokens]`);
}
