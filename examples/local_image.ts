/**
 * Send a local image file (read by the app-server) together with text. The example writes a
 * small PNG to a temporary directory first.
 *
 * @module
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { localImage, text } from "../mod.ts";
import { reply } from "../src/testing/mod.ts";
import { countImages, PIXEL_PNG } from "./_images.ts";
import { connect } from "./_offline.ts";

const dir = await mkdtemp(join(tmpdir(), "codex_example_"));
try {
  const path = `${dir}/pixel.png`;
  await writeFile(path, PIXEL_PNG);
  await using session = await connect([reply.text("It is a tiny one-pixel image.")]);
  const thread = await session.codex.threadStart({});
  const result = await thread.run([text("Describe this local image."), localImage(path)]);
  console.log(`answer: ${result.finalResponse}`);
  const request = session.model?.requests.at(-1);
  if (request) console.log(`the model received ${countImages(request.body)} local image(s)`);
} finally {
  await rm(dir, { recursive: true });
}
