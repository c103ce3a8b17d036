/// <reference lib="dom" />
/// <reference lib="deno.ns" />
/**
 * End-to-end tests of the web demo as a coding-agent chat, in headless Chromium against the real
 * `codex app-server` (offline model): the ready thread and its example prompts, the keyboard
 * (Enter, Shift+Enter, Esc), approvals with the command's facts and the file change's diff, and
 * markdown answers. Layout and accessibility: `web_demo_layout_test.ts`.
 *
 * @module
 */
import { assert, assertEquals } from "../support/assert.ts";
import {
  DEMO_COMMAND,
  DEMO_REASON,
  LARGE_DIFF_LINES,
  SOFT_LINES,
} from "../../web-demo/server/offline_model.ts";
import { EXAMPLE_PROMPTS } from "../../web-demo/src/examples.ts";
import { MAX_DIFF_LINES } from "../../web-demo/src/limits.ts";
import { groupDigits } from "../../web-demo/src/dom.ts";
import {
  axeViolations,
  counters,
  heightAsOneText,
  layoutProblems,
  openDemo,
  panel,
  shot,
  TIMEOUT,
  transcript,
  waitDeltas,
  waitTurnEnd,
} from "./support/demo_page.ts";

Deno.test("web demo: a chat that behaves as people expect", async (t) => {
  await using demo = await openDemo({ clipboard: true });
  const { page, stack } = demo;
  const prompt = `${panel(1)} .prompt`;
  const focusedIsPrompt = () =>
    page.evaluate((s) => document.activeElement === document.querySelector(s), prompt);
  /** Types `text` and presses Enter, with the keyboard only. */
  const enter = async (text: string) => {
    const before = await counters(page, 1);
    await page.keyboard.type(text);
    await page.keyboard.press("Enter");
    return before;
  };
  const dialogOpen = () => page.waitForSelector("#approval-dialog[open]", { timeout: TIMEOUT });

  await t.step(
    "the page opens on a ready thread, prompt focused, examples as chips",
    async () => {
      assertEquals(await page.$$eval("#threads section.thread", (s) => s.length), 1);
      assert(await focusedIsPrompt(), "the prompt has the focus");
      const chips = await page.$$eval(`${panel(1)} .chip`, (c) => c.map((b) => b.textContent));
      assertEquals(chips, [...EXAMPLE_PROMPTS]);
      assertEquals(await page.getAttribute("#conn-status", "aria-live"), "polite");
      assertEquals(await page.getAttribute(`${panel(1)} .status`, "aria-live"), "polite");
    },
  );

  await t.step("a chip sends its prompt; the prompt keeps the focus", async () => {
    const sent = await counters(page, 1);
    await page.getByRole("button", { name: "hello", exact: true }).click();
    await waitTurnEnd(page, 1, sent, "completed");
    assert((await transcript(page, 1)).includes("Hi! You said: hello"));
    assert(!(await page.isVisible(`${panel(1)} .chip`)), "the examples made way");
    assert(await focusedIsPrompt(), "the prompt has the focus");
  });

  await t.step("Enter sends, Shift+Enter adds a line (keyboard only)", async () => {
    const sent = await counters(page, 1);
    await page.keyboard.type("first line");
    await page.keyboard.press("Shift+Enter");
    await page.keyboard.type("second line");
    assertEquals(await page.inputValue(prompt), "first line\nsecond line");
    assertEquals(await page.getAttribute(panel(1), "data-status"), "completed", "not sent");
    await page.keyboard.press("Enter");
    await waitTurnEnd(page, 1, sent, "completed");
    const asked = await page.$$eval(`${panel(1)} .item.user .body`, (b) => b.at(-1)?.textContent);
    assertEquals(asked, "first line\nsecond line");
    assertEquals(await page.inputValue(prompt), "");
  });

  await t.step("while a turn runs, Enter steers it, and the button says so", async () => {
    const sent = await enter("a long answer please");
    await waitDeltas(page, 1, sent, 5);
    assert(await page.isVisible(`${panel(1)} .steer`), "Steer is shown");
    assert(!(await page.isVisible(`${panel(1)} .send`)), "in place of Send");
    assert((await page.textContent(`${panel(1)} .hint`))!.includes("Enter to steer"));
    await page.keyboard.type("make it short");
    await page.keyboard.press("Enter");
    await waitTurnEnd(page, 1, sent, "completed");
    assert((await transcript(page, 1)).includes("Hi! You said: make it short"));
    assertEquals(await page.textContent(`${panel(1)} .send`), "Send");
  });

  await t.step("a long answer reads as one paragraph; a long prompt keeps its lines", async () => {
    // Lines of 0 to 180 characters: over a thousand in all, so the prompt is shown in blocks.
    const lines = Array.from({ length: 60 }, (_, i) => `line ${i} ${"ab ".repeat(i)}`);
    const sent = counters(page, 1);
    await page.fill(prompt, [...lines, "now a long answer"].join("\n"));
    await page.keyboard.press("Enter");
    await waitTurnEnd(page, 1, await sent, "completed");
    const answer = `${panel(1)} .item.agent:last-child .markdown`;
    assert((await page.$$(`${answer} p`)).length > 1, "the answer was cut into pieces");
    const asked = `${panel(1)} .item.user:nth-last-child(2) .body`;
    assert((await page.$$(`${asked} .chunk`)).length > 1, "the prompt is shown in blocks");
    for (const selector of [answer, asked]) {
      const { shown, asOne } = await heightAsOneText(page, selector);
      assertEquals(shown, asOne, `${selector}: no line break the text does not have`);
    }
  });

  await t.step(
    "a command approval shows command, directory and reason; Esc declines",
    async () => {
      const sent = await enter("run a command");
      await dialogOpen();
      const body = (await page.textContent("#approval-body"))!;
      assert(body.includes(DEMO_COMMAND), body);
      assert(body.includes(DEMO_REASON), body);
      const cwd = await Deno.realPath(stack.workspace);
      assert(body.includes(cwd) || body.includes(stack.workspace), body);
      assertEquals(await page.evaluate(() => document.activeElement?.id), "decline");
      // This server's command requests offer no `acceptForSession` but a rule for the command.
      const always = `Always allow: ${DEMO_COMMAND}`;
      assertEquals(await page.textContent("#approve-session"), always);
      assert((await page.getAttribute("#approve-session", "title"))!.includes("later sessions"));
      assertEquals(await layoutProblems(page), []);
      assertEquals(await axeViolations(page), []);
      await shot(page, "chat_1280_command_approval");
      await page.keyboard.press("Escape");
      await page.waitForSelector("#approval-dialog", { state: "hidden", timeout: TIMEOUT });
      await waitTurnEnd(page, 1, sent, "completed");
      assertEquals(
        (await page.$$(`${panel(1)} .item.command[data-status="declined"]`)).length,
        1,
      );
      assert((await transcript(page, 1)).includes("You declined"));
      assert(await focusedIsPrompt(), "the focus is back in the prompt");
    },
  );

  await t.step("Enter in the approval dialog declines too", async () => {
    const sent = await enter("run a command again");
    await dialogOpen();
    await page.keyboard.press("Enter");
    await waitTurnEnd(page, 1, sent, "completed");
    assertEquals((await page.$$(`${panel(1)} .item.command[data-status="declined"]`)).length, 2);
    assert(await focusedIsPrompt(), "the focus is back in the prompt");
  });

  await t.step(
    "markdown streams in block by block; code can be copied; HTML is inert",
    async () => {
      // Once the heading is complete (a block follows it), it is marked; every later frame
      // that changes the answer is counted. A renderer that redraws the whole message on each
      // delta would replace the marked heading.
      await page.evaluate((selector) => {
        const w = globalThis as unknown as { __heading?: Element; __framesAfter: number };
        w.__framesAfter = 0;
        const list = document.querySelector(selector)!;
        new MutationObserver(() => {
          if (w.__heading) w.__framesAfter++;
          const h1 = list.querySelector(".item.agent:last-child .markdown h1");
          if (!w.__heading && h1?.nextElementSibling) w.__heading = h1;
        }).observe(list, { childList: true, subtree: true, characterData: true });
      }, `${panel(1)} .transcript`);
      const sent = await enter("a markdown answer");
      await waitTurnEnd(page, 1, sent, "completed");
      const message = `${panel(1)} .item.agent:last-child .markdown`;
      const seen = await page.evaluate((selector) => {
        const w = globalThis as unknown as { __heading?: Element; __framesAfter: number };
        return {
          kept: w.__heading?.isConnected === true &&
            w.__heading === document.querySelector(`${selector} h1`),
          framesAfter: w.__framesAfter,
        };
      }, message);
      assert(seen.framesAfter >= 3, `the answer went on over ${seen.framesAfter} frames`);
      assert(seen.kept, "the finished heading was never rendered again");
      assertEquals(await page.textContent(`${message} h1`), "A markdown answer");
      assertEquals(await page.$$eval(`${message} li`, (l) => l.length), 2);
      assertEquals(await page.textContent(`${message} th`), "language");
      const code = await page.textContent(`${message} pre code`);
      assert(code?.startsWith("function add(a: number, b: number): number {"), code ?? "");
      const font = await page.$eval(`${message} pre`, (p) => getComputedStyle(p).fontFamily);
      assert(font.includes("monospace"), font);
      await page.click(`${message} .copy-code`);
      assertEquals(await page.evaluate(() => navigator.clipboard.readText()), code);
      assertEquals(await page.textContent(`${message} .copy-code`), "Copied");
      // The model's HTML is shown as text; its javascript: link lost its href.
      assertEquals(await page.$$(`${message} img, ${message} script`).then((n) => n.length), 0);
      assert((await page.textContent(message))!.includes('<img src="x" onerror='));
      const link = page.getByText("link that would run code");
      assertEquals(await link.getAttribute("href"), null);
      assertEquals(await page.evaluate(() => "__xss" in globalThis), false);
      // A long paragraph of source lines is shown in pieces cut at line ends: one paragraph.
      assert((await page.$$(`${message} p.flow`)).length > 1, "the paragraph was cut");
      const words = (await page.textContent(message))!.replace(/\s+/g, " ");
      assert(words.includes(SOFT_LINES.join(" ")), "each line end reads as a space");
      await page.click(prompt); // back to the conversation
    },
  );

  await t.step("a file-change approval shows the diff, coloured", async () => {
    const sent = await enter("edit a file");
    await dialogOpen();
    assertEquals(await page.textContent("#approval-title"), "Apply this file change?");
    assertEquals(await page.textContent("#approval-body .diff-summary"), "1 file changed: +2 −1");
    assert((await page.textContent("#approval-body .diff-path"))!.includes("greeting.ts"));
    const removed = await page.$$eval("#approval-body .del", (l) => l.map((x) => x.textContent));
    assertEquals(removed, ['-  return "Hello, " + name;\n']);
    assertEquals((await page.$$("#approval-body .add")).length, 2);
    const colours = await page.$$eval(
      "#approval-body .add, #approval-body .del, #approval-body .ctx",
      (lines) => [...new Set(lines.map((l) => getComputedStyle(l).backgroundColor))],
    );
    assertEquals(colours.length, 3, `added, removed and context lines differ: ${colours}`);
    assert(await page.isVisible("#approve-session"), "file changes offer session approval");
    await shot(page, "chat_1280_diff_approval");
    await page.click("#approve");
    await waitTurnEnd(page, 1, sent, "completed");
    const edited = await Deno.readTextFile(`${stack.workspace}/greeting.ts`);
    assert(edited.includes('"stranger"'), edited);
    assertEquals((await page.$$(`${panel(1)} .item.file .add`)).length, 2, "diff in transcript");
  });

  await t.step("a large diff is summarised with a count and scrolls", async () => {
    const sent = await enter("a large diff");
    await dialogOpen();
    const summary = await page.textContent("#approval-body .diff-summary");
    assertEquals(summary, `1 file changed: +${LARGE_DIFF_LINES} −0`);
    const hidden = LARGE_DIFF_LINES - (MAX_DIFF_LINES - 1); // one line is the hunk header
    assertEquals(
      await page.textContent("#approval-body .diff-more"),
      `… ${groupDigits(hidden)} more lines not shown`,
    );
    const scrolls = await page.$eval(
      "#approval-body .diff-body",
      (b) => b.scrollHeight > b.clientHeight && getComputedStyle(b).overflowY === "auto",
    );
    assert(scrolls, "the diff scrolls inside the dialog");
    await page.keyboard.press("Escape");
    await waitTurnEnd(page, 1, sent, "completed");
    const exists = await Deno.stat(`${stack.workspace}/big_file.txt`).then(
      () => true,
      () => false,
    );
    assert(!exists, "the declined change was not applied");
  });

  await t.step("approve for this session: the same file is not asked about again", async () => {
    await page.evaluate(() => {
      const w = globalThis as unknown as { __opens: number };
      w.__opens = 0;
      const dialog = document.querySelector("#approval-dialog")!;
      new MutationObserver(() => dialog.hasAttribute("open") && w.__opens++)
        .observe(dialog, { attributes: true, attributeFilter: ["open"] });
    });
    const opens = () => page.evaluate(() => (globalThis as unknown as { __opens: number }).__opens);
    let sent = await enter("write a file");
    await dialogOpen();
    await page.click("#approve-session");
    await waitTurnEnd(page, 1, sent, "completed");
    await Deno.stat(`${stack.workspace}/hello.txt`);
    assertEquals(await opens(), 1);
    await Deno.remove(`${stack.workspace}/hello.txt`);
    sent = await enter("write a file again");
    await waitTurnEnd(page, 1, sent, "completed");
    assertEquals(await opens(), 1, "not asked again");
    await Deno.stat(`${stack.workspace}/hello.txt`);
  });

  await t.step("always allow a command: it is not asked about again", async () => {
    const opens = () => page.evaluate(() => (globalThis as unknown as { __opens: number }).__opens);
    const before = await opens();
    const ran = `${panel(1)} .item.command[data-status="completed"]`;
    const runs = async () => (await page.$$(ran)).length;
    let sent = await enter("run a command");
    await dialogOpen();
    await page.click("#approve-session");
    await waitTurnEnd(page, 1, sent, "completed");
    assertEquals(await opens(), before + 1);
    const first = await runs();
    assert(first >= 1, "the command ran");
    sent = await enter("run a command once more");
    await waitTurnEnd(page, 1, sent, "completed");
    assertEquals(await opens(), before + 1, "not asked again");
    assertEquals(await runs(), first + 1, "and it ran");
    assert((await transcript(page, 1)).includes("It printed: hello from codex"));
  });

  await t.step("streamed text stays at the bottom unless the reader scrolled up", async () => {
    const list = `${panel(1)} .transcript`;
    const below = () => page.$eval(list, (el) => el.scrollHeight - el.scrollTop - el.clientHeight);
    // The reader scrolled up to read, and sends a message: the transcript follows it again.
    await page.$eval(list, (el) => (el.scrollTop = 0));
    await page.evaluate(() => new Promise((frame) => requestAnimationFrame(frame))); // its scroll event
    assert((await below()) > 8, "scrolled up");
    const sent = await enter("one more long answer");
    await waitDeltas(page, 1, sent, 40);
    assert(await page.$eval(list, (el) => el.scrollHeight > el.clientHeight * 2), "it scrolls");
    await page.waitForFunction((s) => {
      const el = document.querySelector(s)!;
      return el.scrollHeight - el.scrollTop - el.clientHeight <= 8;
    }, list);
    await page.hover(list);
    await page.mouse.wheel(0, -500);
    await page.waitForSelector(`${panel(1)} .new-output`, { state: "visible", timeout: TIMEOUT });
    const top = await page.$eval(list, (el) => el.scrollTop);
    // A full transcript (markdown with code and Copy buttons, diffs, commands) and the button.
    assertEquals(await layoutProblems(page), []);
    assertEquals(await axeViolations(page), []);
    await shot(page, "chat_1280_new_output");
    await waitDeltas(page, 1, sent, 120);
    assertEquals(await page.$eval(list, (el) => el.scrollTop), top, "the reader stays put");
    assert((await below()) > 8, "and new output arrives below");
    await page.click(`${panel(1)} .new-output`);
    await waitDeltas(page, 1, sent, 160);
    await page.waitForFunction((s) => {
      const el = document.querySelector(s)!;
      return el.scrollHeight - el.scrollTop - el.clientHeight <= 8;
    }, list);
    assert(!(await page.isVisible(`${panel(1)} .new-output`)), "the button went away");
    await page.click(`${panel(1)} .interrupt`);
    await waitTurnEnd(page, 1, sent, "interrupted");
  });

  await t.step("420 px: the full transcript reads, and nothing is cut off", async () => {
    await page.setViewportSize({ width: 420, height: 800 });
    await page.waitForFunction(() => innerWidth === 420);
    const list = `${panel(1)} .transcript`;
    await page.$eval(list, (el) => (el.scrollTop = 0));
    const overflow = await page.$eval(list, (el) => el.scrollWidth - el.clientWidth);
    assertEquals(overflow, 0, "no sideways scrolling: code, tables and diffs fit or scroll inside");
    assertEquals(await layoutProblems(page), []);
    assertEquals(await axeViolations(page), []);
    await shot(page, "chat_420_transcript");
  });

  assertEquals(demo.errors, [], "no uncaught page errors");
});
