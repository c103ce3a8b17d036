/** A 1×1 PNG, as bytes and as a data URL, so the image examples need no network or files. */
const PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

/** The PNG as a `data:` URL. */
export const PIXEL_DATA_URL = `data:image/png;base64,${PNG_BASE64}`;

/** The PNG's bytes. */
export const PIXEL_PNG: Uint8Array = Uint8Array.from(atob(PNG_BASE64), (c) => c.charCodeAt(0));

/** How many `input_image` parts the model saw in a request body's user messages. */
export function countImages(body: { input?: readonly { content?: unknown }[] }): number {
  let count = 0;
  for (const item of body.input ?? []) {
    if (!Array.isArray(item.content)) continue;
    for (const part of item.content) {
      if ((part as { type?: string }).type === "input_image") count++;
    }
  }
  return count;
}
