import type { UserInput } from "../protocol/mod.ts";

/**
 * One input item: text, image URL, local image, skill or mention.
 *
 * @example
 * ```ts
 * import type { InputItem } from "./input.ts";
 * const item: InputItem = { type: "localImage", path: "/tmp/cat.png" };
 * console.assert(item.type === "localImage");
 * ```
 */
export type InputItem = UserInput;

/**
 * What a turn takes: a plain string (text), one input item or a list of them.
 *
 * @example
 * ```ts
 * import { imageUrl, type Input, text } from "./input.ts";
 * const inputs: Input[] = ["hi", text("hi"), [text("what is this?"), imageUrl("https://x/a.png")]];
 * console.assert(inputs.length === 3);
 * ```
 */
export type Input = string | InputItem | readonly InputItem[];

/**
 * A text input item.
 *
 * @example
 * ```ts
 * import { text } from "./input.ts";
 * console.assert(text("hi").type === "text");
 * ```
 */
export function text(value: string): InputItem {
  return { type: "text", text: value, text_elements: [] } as InputItem;
}

/**
 * An image given by URL (https or data URL).
 *
 * @example
 * ```ts
 * import { imageUrl } from "./input.ts";
 * console.assert(imageUrl("https://example.com/cat.png").type === "image");
 * ```
 */
export function imageUrl(url: string): InputItem {
  return { type: "image", url } as InputItem;
}

/**
 * An image file on the app-server's machine.
 *
 * @example
 * ```ts
 * import { localImage } from "./input.ts";
 * console.assert(localImage("/tmp/cat.png").type === "localImage");
 * ```
 */
export function localImage(path: string): InputItem {
  return { type: "localImage", path } as InputItem;
}

/**
 * A skill to use in the turn.
 *
 * @example
 * ```ts
 * import { skill } from "./input.ts";
 * console.assert(skill("review", "/skills/review/SKILL.md").type === "skill");
 * ```
 */
export function skill(name: string, path: string): InputItem {
  return { type: "skill", name, path } as InputItem;
}

/**
 * A mention of a file or resource.
 *
 * @example
 * ```ts
 * import { mention } from "./input.ts";
 * console.assert(mention("main.ts", "/repo/main.ts").type === "mention");
 * ```
 */
export function mention(name: string, path: string): InputItem {
  return { type: "mention", name, path } as InputItem;
}

/**
 * Normalises {@link Input} into the protocol's `UserInput[]`.
 *
 * @example
 * ```ts
 * import { toUserInput } from "./input.ts";
 * console.assert(toUserInput("hi")[0].type === "text");
 * ```
 */
export function toUserInput(input: Input): InputItem[] {
  if (typeof input === "string") return [text(input)];
  if (Array.isArray(input)) return [...input];
  return [input as InputItem];
}
