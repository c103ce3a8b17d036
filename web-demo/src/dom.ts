/// <reference lib="dom" />
/**
 * Small DOM helpers of the demo: element creation, and writes that touch the DOM only when the
 * value changed (a streamed frame must not invalidate layout for nothing).
 *
 * @module
 */

/**
 * A new element with a class and, optionally, text.
 *
 * @example
 * ```ts ignore
 * const badge = el("span", "status", "idle");
 * ```
 */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text = "",
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text) node.textContent = text;
  return node;
}

/**
 * Sets an element's text only when it changed, through one lasting text node: replacing
 * `textContent` on every frame would create a node per frame (garbage for the DOM's collector)
 * and invalidate layout for nothing.
 *
 * @example
 * ```ts ignore
 * setText(badge, "running");
 * ```
 */
export function setText(node: HTMLElement, value: string): void {
  const first = node.firstChild;
  if (first instanceof Text && first === node.lastChild) {
    if (first.data !== value) first.data = value;
  } else if (value !== "" || first) {
    node.textContent = value;
  }
}

/**
 * Sets a `data-*` attribute only when it changed.
 *
 * @example
 * ```ts ignore
 * setData(panel, "status", "running");
 * ```
 */
export function setData(node: HTMLElement, key: string, value: string): void {
  if (node.dataset[key] !== value) node.dataset[key] = value;
}

/**
 * Shows or hides an element (the `hidden` property) only when that changes.
 *
 * @example
 * ```ts ignore
 * setHidden(notice, notice.textContent === "");
 * ```
 */
export function setHidden(node: HTMLElement, hidden: boolean): void {
  if (node.hidden !== hidden) node.hidden = hidden;
}

/**
 * `12345` → `"12,345"`. Not `toLocaleString`: its first call loads locale data, a 50 ms task
 * in the middle of a stream.
 *
 * @example
 * ```ts
 * import { groupDigits } from "./dom.ts";
 * if (groupDigits(1234567) !== "1,234,567") throw new Error("unexpected");
 * ```
 */
export function groupDigits(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
