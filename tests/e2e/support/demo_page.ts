/// <reference lib="dom" />
/**
 * Helpers of the web demo's Playwright tests: panel selectors, sending a prompt and waiting for
 * that turn's own end, screenshots, and the page-wide checks (nothing outside the viewport or
 * overlapping, and an axe-core accessibility scan).
 *
 * @module
 */
import type { Browser, Page } from "playwright-core";
import type { AxeResults } from "axe-core";
import { type DemoStack, startDemoStack } from "../../../web-demo/server/demo_stack.ts";
import { buildWebDemo, launchChromium, SCREENSHOT_DIR } from "./browser.ts";

/** Bound of every wait on the page. */
export const TIMEOUT = 30_000;

/** The demo running in a browser page, connected. */
export interface OpenDemo extends AsyncDisposable {
  /** The demo stack (bridge, app-server, model, workspace). */
  readonly stack: DemoStack;
  /** The browser. */
  readonly browser: Browser;
  /** The page, 1280 x 800, connected. */
  readonly page: Page;
  /** Uncaught page errors seen so far. */
  readonly errors: string[];
}

/**
 * Builds the demo, starts its stack and Chromium, and opens the page (1280 x 800) until it says
 * "connected". `clipboard` lets the page use the clipboard. Close it with `await using`.
 */
export async function openDemo(options: { clipboard?: boolean } = {}): Promise<OpenDemo> {
  await buildWebDemo();
  const stack = await startDemoStack();
  const close = async () => {
    await browser?.close();
    await stack.close();
  };
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    if (options.clipboard) {
      await context.grantPermissions(["clipboard-read", "clipboard-write"], {
        origin: stack.bridge.pageUrl,
      });
    }
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (err) => errors.push(err.message));
    await page.goto(`${stack.bridge.pageUrl}/`);
    await page.waitForSelector("#conn-status.connected", { timeout: TIMEOUT });
    return { stack, browser, page, errors, [Symbol.asyncDispose]: close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** The panel of the n-th open thread (1-based). */
export function panel(n: number): string {
  return `#threads section.thread:nth-of-type(${n})`;
}

/**
 * Writes a screenshot of the viewport under the (git-ignored) screenshot folder, prints its
 * path and returns it.
 */
export async function shot(page: Page, name: string): Promise<string> {
  await Deno.mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = `${SCREENSHOT_DIR}/${name}.png`;
  await page.screenshot({ path });
  console.log(`screenshot: ${path}`);
  return path;
}

/** A panel's counters just before a prompt was sent: what that turn's own progress adds to. */
export interface Sent {
  /** Agent text deltas the panel had received, over all its turns. */
  deltas: number;
  /** Turns of the panel that had ended. */
  ended: number;
}

type DemoHooks = { __demo: { deltas(key: string): number; turnsEnded(key: string): number } };

/** The panel's key (`data-panel`): its id for the page's test hooks, set before any turn. */
export async function panelKey(page: Page, n: number): Promise<string> {
  return (await page.getAttribute(panel(n), "data-panel"))!;
}

/** The counters of panel `n` now. */
export async function counters(page: Page, n: number): Promise<Sent> {
  return await page.evaluate((key) => {
    const demo = (globalThis as unknown as DemoHooks).__demo;
    return { deltas: demo.deltas(key), ended: demo.turnsEnded(key) };
  }, await panelKey(page, n));
}

/**
 * Sends a prompt and returns the counters from just before it. With `then`, Interrupt (or Steer
 * with `then.steer` as its text) is clicked inside the page the moment it can be (the first
 * frame after Send): usually before the turn's handle has arrived, and before the server has
 * started the turn.
 */
export async function send(
  page: Page,
  n: number,
  text: string,
  then?: { interrupt: true } | { steer: string },
): Promise<Sent> {
  const before = await counters(page, n);
  await page.fill(`${panel(n)} .prompt`, text);
  if (!then) {
    await page.click(`${panel(n)} .send`);
    return before;
  }
  await page.evaluate(async ([selector, steer]) => {
    const button = document.querySelector<HTMLButtonElement>(
      `${selector} ${steer === null ? ".interrupt" : ".steer"}`,
    )!;
    const usable = new Promise<void>((resolve) => {
      const observer = new MutationObserver(() => {
        if (button.disabled || button.hidden) return;
        observer.disconnect();
        resolve();
      });
      observer.observe(button, { attributes: true, attributeFilter: ["disabled", "hidden"] });
    });
    document.querySelector<HTMLButtonElement>(`${selector} .send`)!.click();
    await usable;
    if (steer !== null) {
      document.querySelector<HTMLTextAreaElement>(`${selector} .prompt`)!.value = steer;
    }
    button.click();
  }, [panel(n), "steer" in then ? then.steer : null] as const);
  return before;
}

/**
 * Waits until the turn sent after `sent` has ended and the panel shows `status` (the status
 * alone may still be the previous turn's).
 */
export async function waitTurnEnd(page: Page, n: number, sent: Sent, status: string) {
  await page.waitForFunction(
    ([key, ended, selector]) =>
      (globalThis as unknown as DemoHooks).__demo.turnsEnded(key as string) >
        (ended as number) && document.querySelector(selector as string) !== null,
    [await panelKey(page, n), sent.ended, `${panel(n)}[data-status="${status}"]`],
    { timeout: TIMEOUT },
  );
}

/** Waits until the panel has received `more` deltas of the turn sent after `sent`. */
export async function waitDeltas(page: Page, n: number, sent: Sent, more: number) {
  await page.waitForFunction(
    ([key, count]) =>
      (globalThis as unknown as DemoHooks).__demo.deltas(key as string) >= (count as number),
    [await panelKey(page, n), sent.deltas + more],
    { timeout: TIMEOUT },
  );
}

/** The text of panel `n`'s transcript. */
export async function transcript(page: Page, n: number): Promise<string> {
  return (await page.textContent(`${panel(n)} .transcript`)) ?? "";
}

/** What one animation frame showed (see {@link recordFrames}). */
export interface FrameSample {
  /** The text of the element. */
  text: string;
  /** Whether the `flag` selector matched something in the document. */
  flagged: boolean;
}

/**
 * Starts recording, once per animation frame, the text of the element `selector` finds and
 * whether `flag` matches, each time either changed; the returned function reads the samples.
 */
export async function recordFrames(
  page: Page,
  selector: string,
  flag: string,
): Promise<() => Promise<FrameSample[]>> {
  const key = `__frames_${crypto.randomUUID().slice(0, 8)}`;
  await page.evaluate(([key, selector, flag]) => {
    const samples: FrameSample[] = [];
    (globalThis as unknown as Record<string, FrameSample[]>)[key] = samples;
    const tick = () => {
      const text = document.querySelector(selector)?.textContent ?? "";
      const flagged = document.querySelector(flag) !== null;
      const last = samples.at(-1);
      if (last?.text !== text || last.flagged !== flagged) samples.push({ text, flagged });
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }, [key, selector, flag]);
  return () =>
    page.evaluate((key) => (globalThis as unknown as Record<string, FrameSample[]>)[key], key);
}

/**
 * The height of the element `selector` finds, and the height its text takes as one text node in
 * an element of the same classes beside it: they differ when the element's pieces (blocks of a
 * long text) break lines that the text itself does not.
 */
export async function heightAsOneText(
  page: Page,
  selector: string,
): Promise<{ shown: number; asOne: number }> {
  return await page.$eval(selector, (el) => {
    const clone = el.cloneNode(false) as HTMLElement;
    clone.textContent = el.textContent;
    el.after(clone);
    const heights = {
      shown: el.getBoundingClientRect().height,
      asOne: clone.getBoundingClientRect().height,
    };
    clone.remove();
    return heights;
  });
}

/**
 * What is cut off or overlapping: every visible control, heading and status outside the
 * viewport, and every two of them that overlap (neither inside the other). Transcript items and
 * the thread list scroll, so only their containers are checked. With the approval dialog open,
 * the dialog's own elements are checked (it covers the page on purpose).
 */
export async function layoutProblems(page: Page): Promise<string[]> {
  return await page.evaluate(() => {
    const dialog = document.querySelector<HTMLDialogElement>("dialog[open]");
    const scope: ParentNode = dialog ?? document;
    const selector = "button, textarea, input, summary, label, h1, h2, h3, .conn, .status, " +
      ".usage, .hint, .thread, .transcript, .diff-body, .approval-facts, #thread-list";
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}.${[...el.classList].join(".")}` +
      ` "${(el.textContent ?? "").trim().slice(0, 30)}"`;
    const visible = [...scope.querySelectorAll(selector)].filter((el) => {
      if (el.closest(".transcript li, #thread-list li, .diff-body > *")) return false;
      if (!dialog && el.closest("dialog")) return false;
      const box = el.getBoundingClientRect();
      return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== "hidden";
    });
    const problems: string[] = [];
    const [w, h] = [innerWidth, innerHeight];
    for (const el of visible) {
      const b = el.getBoundingClientRect();
      if (b.left < -0.5 || b.top < -0.5 || b.right > w + 0.5 || b.bottom > h + 0.5) {
        problems.push(
          `${name(el)} is outside the ${w}x${h} viewport: ` +
            `${Math.round(b.left)},${Math.round(b.top)} to ${Math.round(b.right)},${
              Math.round(b.bottom)
            }`,
        );
      }
    }
    const leaves = visible.filter((el) => !el.matches(".thread, .transcript, .approval-facts"));
    for (let i = 0; i < leaves.length; i++) {
      for (let j = i + 1; j < leaves.length; j++) {
        const [a, b] = [leaves[i], leaves[j]];
        if (a.contains(b) || b.contains(a)) continue;
        const [p, q] = [a.getBoundingClientRect(), b.getBoundingClientRect()];
        const x = Math.min(p.right, q.right) - Math.max(p.left, q.left);
        const y = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
        if (x > 1 && y > 1) problems.push(`${name(a)} overlaps ${name(b)}`);
      }
    }
    return problems;
  });
}

const AXE_SOURCE = new URL("../../../node_modules/axe-core/axe.min.js", import.meta.url);
let axeSource: string | undefined;

/** Serious and critical accessibility violations axe-core finds on the page, one line each. */
export async function axeViolations(page: Page): Promise<string[]> {
  axeSource ??= await Deno.readTextFile(AXE_SOURCE);
  const loaded = await page.evaluate(() => "axe" in globalThis);
  if (!loaded) await page.evaluate(axeSource);
  const results = await page.evaluate(() =>
    (globalThis as unknown as { axe: { run(): Promise<AxeResults> } }).axe.run()
  ) as AxeResults;
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) =>
      `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`
    );
}
