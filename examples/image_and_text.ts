/**
 * Send an image (by URL; here a `data:` URL) together with text in one turn.
 *
 * @module
 */
import { imageUrl, text } from "../mod.ts";
import { reply } from "../src/testing/mod.ts";
import { countImages, PIXEL_DATA_URL } from "./_images.ts";
import { connect } from "./_offline.ts";

await using session = await connect([reply.text("A single pixel, not much to see.")]);
const thread = await session.codex.threadStart({});
const result = await thread.run([
  text("What is in this image?"),
  imageUrl(PIXEL_DATA_URL),
]);
console.log(`answer: ${result.finalResponse}`);
const request = session.model?.requests.at(-1);
if (request) console.log(`the model received ${countImages(request.body)} image(s) with the text`);
