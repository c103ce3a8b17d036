/**
 * How much the demo shows of long texts (shared by the renderers and the tests, which import
 * them without the DOM).
 *
 * @module
 */

/**
 * Longest text an item shows in full. A longer one shows its tail (see `TextTail` and
 * `MarkdownTail`): the DOM holds what a reader can follow, not 100k streamed characters.
 */
export const MAX_SHOWN_CHARS = 6_000;

/** Longest open markdown block, in characters, before it is closed by force (by its kind). */
export const OPEN_LIMITS = { paragraph: 1_024, code: 32_768, other: 16_384 } as const;

/** Most diff lines shown (over all files of a change); the rest is counted. */
export const MAX_DIFF_LINES = 400;
