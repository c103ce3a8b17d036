/// <reference lib="dom" />
/**
 * The only way model-written HTML reaches the page: DOMPurify turns it into a document fragment
 * with scripts, event-handler attributes, `javascript:` URLs, inline styles and form controls
 * removed. Links open in a new tab without access to this page; code blocks get a Copy button.
 *
 * @module
 */
import DOMPurify, { type Config } from "dompurify";

let hooked = false;

/** DOMPurify, with its link hook added on first use (importing this module touches no DOM). */
function purifier(): typeof DOMPurify {
  if (!hooked) {
    hooked = true;
    DOMPurify.addHook("afterSanitizeAttributes", (node) => {
      if (node instanceof HTMLAnchorElement) {
        node.target = "_blank";
        node.rel = "noopener noreferrer";
      }
    });
  }
  return DOMPurify;
}

const CONFIG: Config & { RETURN_DOM_FRAGMENT: true } = {
  RETURN_DOM_FRAGMENT: true,
  FORBID_TAGS: ["style", "form", "input", "button", "textarea", "select", "dialog"],
  FORBID_ATTR: ["style", "id", "name", "tabindex", "autofocus"],
};

/** Class of the Copy button that each code block gets. */
export const COPY_BUTTON_CLASS = "copy-code";

/**
 * Sanitizes `html` into a fragment ready to insert: top-level whitespace-only text (the newlines
 * a markdown renderer puts between blocks) is dropped, and every `<pre>` is wrapped with a Copy
 * button.
 *
 * @example
 * ```ts ignore
 * const fragment = safeFragment('<p onclick="x()">hi</p><script>x()</script>');
 * // <p>hi</p>
 * ```
 */
export function safeFragment(html: string): DocumentFragment {
  const fragment = purifier().sanitize(html, CONFIG);
  for (const node of [...fragment.childNodes]) {
    if (node.nodeType === Node.TEXT_NODE && (node as Text).data.trim() === "") node.remove();
  }
  for (const pre of fragment.querySelectorAll("pre")) {
    const block = document.createElement("div");
    block.className = "code-block";
    const copy = document.createElement("button");
    copy.type = "button";
    copy.className = COPY_BUTTON_CLASS;
    copy.textContent = "Copy";
    copy.setAttribute("aria-label", "Copy code");
    pre.replaceWith(block);
    block.append(copy, pre);
  }
  return fragment;
}

/**
 * Copies the code of the block whose Copy button was clicked; wire it once with
 * `document.addEventListener("click", copyCodeOnClick)`. The button says "Copied" (or "Copy
 * failed") for a moment.
 *
 * @example
 * ```ts ignore
 * document.addEventListener("click", copyCodeOnClick);
 * ```
 */
export function copyCodeOnClick(ev: Event): void {
  const button = (ev.target as Element | null)?.closest?.(`.${COPY_BUTTON_CLASS}`);
  if (!(button instanceof HTMLButtonElement)) return;
  const code = button.parentElement?.querySelector("pre")?.textContent ?? "";
  const say = (text: string) => {
    button.textContent = text;
    setTimeout(() => (button.textContent = "Copy"), 1_500);
  };
  navigator.clipboard.writeText(code).then(() => say("Copied"), () => say("Copy failed"));
}
