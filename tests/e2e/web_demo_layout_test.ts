/// <reference lib="dom" />
/// <reference lib="deno.ns" />
/**
 * The web demo's layout and accessibility, in headless Chromium against the real
 * `codex app-server` (offline model), at 1280 and 420 px wide: one thread fills the width, two
 * sit side by side, a narrow screen stacks them; nothing is cut off or overlapping; axe-core
 * finds no serious or critical violation, with the approval dialog open too. Screenshots of
 * each state are kept under `tests/screenshots/` (git-ignored; the paths are printed).
 *
 * @module
 */
import type { Page } from "playwright-core";
import { assert, assertEquals } from "../support/assert.ts";
import {
  axeViolations,
  counters,
  layoutProblems,
  openDemo,
  panel,
  shot,
  TIMEOUT,
  waitTurnEnd,
} from "./support/demo_page.ts";

type Box = { x: number; y: number; width: number; height: number };

async function box(page: Page, selector: string): Promise<Box> {
  const found = await page.locator(selector).boundingBox();
  assert(found !== null, `${selector} is shown`);
  return found;
}

/** Screenshot, then no layout problem and no serious accessibility violation. */
async function checkState(page: Page, name: string): Promise<void> {
  await shot(page, name);
  assertEquals(await layoutProblems(page), [], `layout of ${name}`);
  assertEquals(await axeViolations(page), [], `accessibility of ${name}`);
}

/** Sends `text` in panel `n` and waits for the approval dialog. */
async function askApproval(page: Page, n: number, text: string) {
  const sent = await counters(page, n);
  await page.fill(`${panel(n)} .prompt`, text);
  await page.press(`${panel(n)} .prompt`, "Enter");
  await page.waitForSelector("#approval-dialog[open]", { timeout: TIMEOUT });
  return sent;
}

Deno.test("web demo: layout and accessibility at 1280 and 420 px", async (t) => {
  await using demo = await openDemo();
  const { page } = demo;
  await t.step("1280 px: the ready thread fills the width", async () => {
    const threads = await box(page, "#threads");
    const one = await box(page, panel(1));
    assert(one.width > threads.width * 0.95, `${one.width} of ${threads.width} px`);
    await checkState(page, "layout_1280_ready");
  });

  await t.step("1280 px: the file-change dialog", async () => {
    const sent = await askApproval(page, 1, "edit a file");
    await checkState(page, "layout_1280_diff_dialog");
    await page.keyboard.press("Escape");
    await waitTurnEnd(page, 1, sent, "completed");
  });

  await t.step("1280 px: two threads sit side by side", async () => {
    await page.click("#new-thread");
    await page.waitForSelector(panel(2));
    const [one, two] = [await box(page, panel(1)), await box(page, panel(2))];
    assertEquals(Math.round(one.y), Math.round(two.y), "on one row");
    assert(two.x >= one.x + one.width, "the second to the right of the first");
    const threads = await box(page, "#threads");
    assert(one.width + two.width > threads.width * 0.9, "together they use the width");
    await checkState(page, "layout_1280_two_threads");
  });

  await t.step("420 px: the threads stack", async () => {
    await page.setViewportSize({ width: 420, height: 800 });
    await page.waitForFunction(() => innerWidth === 420);
    const [one, two] = [await box(page, panel(1)), await box(page, panel(2))];
    assertEquals(Math.round(one.x), Math.round(two.x), "in one column");
    assert(two.y >= one.y + one.height, "the second below the first");
    assert(one.width > 420 * 0.9, `${one.width} px wide`);
    await checkState(page, "layout_420_two_threads");
  });

  await t.step("420 px: one thread, and the command dialog", async () => {
    await page.click(`${panel(2)} .close`);
    await page.waitForFunction(() => document.querySelectorAll("#threads .thread").length === 1);
    await checkState(page, "layout_420_one_thread");
    const sent = await askApproval(page, 1, "run a command");
    await checkState(page, "layout_420_command_dialog");
    await page.keyboard.press("Escape");
    await waitTurnEnd(page, 1, sent, "completed");
  });

  await t.step("420 px: the file-change dialogs, a small and a large diff", async () => {
    for (const [text, name] of [["edit a file", "diff"], ["a large diff", "large_diff"]]) {
      const sent = await askApproval(page, 1, text);
      const sideways = await page.$eval(
        "#approval-body .diff-body",
        (b) => b.scrollWidth <= b.clientWidth || getComputedStyle(b).overflowX === "auto",
      );
      assert(sideways, "long diff lines fit or scroll inside the diff");
      await checkState(page, `layout_420_${name}_dialog`);
      await page.keyboard.press("Escape");
      await waitTurnEnd(page, 1, sent, "completed");
    }
  });

  assertEquals(demo.errors, [], "no uncaught page errors");
});
