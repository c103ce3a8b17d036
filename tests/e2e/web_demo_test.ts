/// <reference lib="dom" />
/// <reference lib="deno.ns" />
/**
 * End-to-end tests of the web demo in headless Chromium: the built page, served by the bridge,
 * talking to the real `codex app-server` (offline model). One stack and one browser for the
 * whole file; each step is one user flow.
 *
 * @module
 */
import type { Page } from "playwright-core";
import { assert, assertEquals } from "../support/assert.ts";
import { DEMO_COMMAND, FLOOD_DELTAS } from "../../web-demo/server/offline_model.ts";
import { startDemoStack } from "../../web-demo/server/demo_stack.ts";
import { buildWebDemo, launchChromium, SCREENSHOT_DIR } from "./support/browser.ts";
import { installPerfProbe, type PerfFigures, workStats } from "./support/perf_probe.ts";
import { BareChromium } from "./support/bare_chromium.ts";
import {
  heightAsOneText,
  panel,
  recordFrames,
  send,
  shot,
  TIMEOUT,
  transcript,
  waitDeltas,
  waitTurnEnd,
} from "./support/demo_page.ts";
import { reply } from "../../src/testing/mod.ts";
import { MAX_SHOWN_CHARS, OPEN_LIMITS } from "../../web-demo/src/limits.ts";

/** Opens a panel for a new thread: the empty one the page keeps ready, or a new one. */
async function newThread(page: Page, n: number): Promise<void> {
  await page.click("#new-thread");
  await page.waitForSelector(panel(n));
}

type StateHooks = { __demo: { states: string[] } };
type DemoHooks = { __demo: { turnsEnded(id: string): number } };

/** How many connection states the page has shown so far. */
function stateCount(page: Page): Promise<number> {
  return page.evaluate(() => (globalThis as unknown as StateHooks).__demo.states.length);
}

/** Waits until the page showed "reconnecting" after state `from`, and is "connected" again. */
async function waitReconnected(page: Page, from: number): Promise<void> {
  await page.waitForFunction(
    (from) => {
      const states = (globalThis as unknown as StateHooks).__demo.states.slice(from as number);
      return states.includes("reconnecting") && states.at(-1) === "connected";
    },
    from,
    { timeout: TIMEOUT },
  );
}

Deno.test("web demo: every user flow against the real app-server", async (t) => {
  await buildWebDemo();
  await Deno.mkdir(SCREENSHOT_DIR, { recursive: true });
  const stack = await startDemoStack();
  const browser = await launchChromium();
  const errors: string[] = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 800 } });
    await context.addInitScript(installPerfProbe);
    const page = await context.newPage();
    page.on("pageerror", (err) => errors.push(err.message));
    await page.goto(`${stack.bridge.pageUrl}/`);
    await page.waitForSelector("#conn-status.connected", { timeout: TIMEOUT });

    await t.step("a prompt's answer streams in, with token usage", async () => {
      await newThread(page, 1);
      const sent = await send(page, 1, "hello world");
      await waitTurnEnd(page, 1, sent, "completed");
      const text = await transcript(page, 1);
      assert(text.includes("Hi! You said: hello world"), text);
      const usage = await page.textContent(`${panel(1)} .usage`);
      assert(usage?.includes("tokens: 15 total"), `usage: ${usage}`);
      await shot(page, "01_streamed_answer");
    });

    await t.step("approving a command runs it and streams its output", async () => {
      const sent = await send(page, 1, "please run a command");
      await page.waitForSelector("#approval-dialog[open]", { timeout: TIMEOUT });
      const detail = await page.textContent("#approval-body");
      assert(detail?.includes(DEMO_COMMAND), `dialog shows ${detail}`);
      await shot(page, "02_approval_dialog");
      await page.click("#approve");
      await waitTurnEnd(page, 1, sent, "completed");
      const output = await page.textContent(`${panel(1)} .item.command .output`);
      assert(output?.includes("hello from codex"), `command output: ${output}`);
      const text = await transcript(page, 1);
      assert(text.includes("The command finished. It printed: hello from codex"), text);
      await shot(page, "03_command_approved");
    });

    await t.step("declining a command does not run it", async () => {
      const sent = await send(page, 1, "run it again");
      await page.waitForSelector("#approval-dialog[open]", { timeout: TIMEOUT });
      await page.click("#decline");
      await waitTurnEnd(page, 1, sent, "completed");
      const declined = await page.$$(`${panel(1)} .item.command[data-status="declined"]`);
      assertEquals(declined.length, 1);
      const text = await transcript(page, 1);
      assert(text.includes("You declined"), text);
      assert(!(await page.isVisible("#approval-dialog")), "dialog closed");
    });

    await t.step("a file change is approved in the same dialog and applied", async () => {
      const sent = await send(page, 1, "write a file");
      await page.waitForSelector("#approval-dialog[open]", { timeout: TIMEOUT });
      assertEquals(await page.textContent("#approval-title"), "Apply this file change?");
      await page.click("#approve");
      await waitTurnEnd(page, 1, sent, "completed");
      const file = await page.textContent(`${panel(1)} .item.file .body`);
      assert(file?.includes("hello.txt"), `file change: ${file}`);
      const written = await Deno.readTextFile(`${stack.workspace}/hello.txt`);
      assertEquals(written, "hello from the codex-worker demo\n");
    });

    await t.step("a running turn can be steered", async () => {
      const sent = await send(page, 1, "a long answer please");
      await waitDeltas(page, 1, sent, 5); // this turn's own deltas: the page has its handle
      await page.fill(`${panel(1)} .prompt`, "make it short");
      await page.click(`${panel(1)} .steer`);
      await waitTurnEnd(page, 1, sent, "completed");
      const text = await transcript(page, 1);
      assert(text.includes("Hi! You said: make it short"), text);
    });

    await t.step("a long turn can be interrupted", async () => {
      const sent = await send(page, 1, "another long answer");
      await waitDeltas(page, 1, sent, 5);
      await page.click(`${panel(1)} .interrupt`);
      await waitTurnEnd(page, 1, sent, "interrupted");
      await shot(page, "04_interrupted");
    });

    await t.step(
      "an interrupt clicked while the turn is starting still interrupts it",
      async () => {
        const sent = await send(page, 1, "one more long answer", { interrupt: true });
        await waitTurnEnd(page, 1, sent, "interrupted");
      },
    );

    await t.step("a steer sent while the turn is starting is applied", async () => {
      const sent = await send(page, 1, "a long answer again", { steer: "short now" });
      await waitTurnEnd(page, 1, sent, "completed");
      const text = await transcript(page, 1);
      assert(text.includes("Hi! You said: short now"), text);
    });

    await t.step("two threads run turns at the same time", async () => {
      await newThread(page, 2);
      const sent1 = await send(page, 1, "long answer on the first thread");
      const sent2 = await send(page, 2, "long answer on the second thread");
      await waitDeltas(page, 2, sent2, 60);
      await waitDeltas(page, 1, sent1, 60);
      const running = await page.$$("#threads section.thread[data-status='running']");
      assertEquals(running.length, 2, "both turns run at once");
      await shot(page, "05_two_threads");
      await page.click(`${panel(1)} .interrupt`);
      await page.click(`${panel(2)} .interrupt`);
      await waitTurnEnd(page, 1, sent1, "interrupted");
      await waitTurnEnd(page, 2, sent2, "interrupted");
    });

    await t.step("a failed turn says so", async () => {
      const sent = await send(page, 2, "please fail");
      await waitTurnEnd(page, 2, sent, "failed");
      const notice = await page.textContent(`${panel(2)} .notice`);
      assert(notice?.startsWith("Turn failed"), `notice: ${notice}`);
      await shot(page, "06_turn_failed");
    });

    await t.step("after a reload, an earlier thread can be resumed", async () => {
      const firstId = await page.getAttribute(panel(1), "data-thread-id");
      await page.reload();
      await page.waitForSelector("#conn-status.connected", { timeout: TIMEOUT });
      // The page opens on an empty thread, ready for a first message; the resumed thread
      // takes its place.
      assertEquals(await page.$$("#threads section.thread").then((s) => s.length), 1);
      const row = `#thread-list li[data-thread-id="${firstId}"] .resume`;
      await page.waitForSelector(row, { timeout: TIMEOUT });
      await page.click(row);
      await page.waitForSelector(`${panel(1)}[data-thread-id="${firstId}"]`);
      assertEquals(await page.$$("#threads section.thread").then((s) => s.length), 1);
      await page.waitForFunction(
        () => document.querySelector("#threads .transcript")?.textContent?.includes("hello world"),
        undefined,
        { timeout: TIMEOUT },
      );
      const sent = await send(page, 1, "still there?");
      await waitTurnEnd(page, 1, sent, "completed");
      assert((await transcript(page, 1)).includes("Hi! You said: still there?"));
      await shot(page, "07_resumed");
    });

    await t.step("the page keeps painting while 100,000 deltas stream in", async () => {
      // A second tab, in a browser without Playwright attached: Playwright has Chromium copy
      // every WebSocket frame into a DevTools event, which a user's browser does not pay for.
      await using bare = await BareChromium.launch();
      const tab = await bare.open(`${stack.bridge.pageUrl}/`, `(${installPerfProbe})()`);
      await tab.waitFor(`document.querySelector("#conn-status.connected")`, TIMEOUT);
      const key = await tab.waitFor<string>(
        `document.querySelector("#threads section.thread")?.dataset.panel`,
      );
      const deltas = `__demo.deltas(${JSON.stringify(key)})`;
      await tab.evaluate("__perf.start()");
      const started = performance.now();
      await tab.evaluate(`(() => {
        document.querySelector("#threads .prompt").value = "flood";
        document.querySelector("#threads .send").click();
      })()`);
      await tab.waitFor(`${deltas} >= ${FLOOD_DELTAS}`, 240_000);
      const wall = performance.now() - started;
      const figures = await tab.evaluate<PerfFigures>("__perf.stop()");
      const longest = figures.loafs.length ? Math.max(...figures.loafs) : 0;
      const work = workStats(figures.work);
      console.log(
        `page work per frame over ${work.frames} frames: p50 ${work.p50} ms, ` +
          `p99 ${work.p99} ms, max ${work.max} ms`,
      );
      console.log(
        `flood of ${FLOOD_DELTAS} deltas: ${Math.round(wall)} ms wall, ` +
          `${Math.round(FLOOD_DELTAS / (wall / 1000))} deltas/s, ${figures.frames} frames; ` +
          `long animation frames: ${figures.loafs.length} (longest ${Math.round(longest)} ms); ` +
          `max rAF gap ${figures.maxRafGap} ms; max heartbeat gap ${figures.maxHeartbeatGap} ms`,
      );
      console.log(
        "long animation frames (ms: start/duration/blocking/render start/layout start; scripts):",
        JSON.stringify(await tab.evaluate("globalThis.__loafDetails ?? []")),
      );
      console.log(
        "heartbeat gaps over 40 ms (ms: start/gap):",
        JSON.stringify(await tab.evaluate("globalThis.__beatDetails ?? []")),
      );
      await tab.waitFor(`document.querySelector('#threads section[data-status="completed"]')`);
      await tab.screenshot(`${SCREENSHOT_DIR}/08_flood_done.png`);
      assertEquals(await tab.evaluate(deltas), FLOOD_DELTAS, "every delta reached the page");
      // The page shows the text's tail, exactly, and says how much it left out.
      const full = reply.deltas(FLOOD_DELTAS).text!;
      const shown = await tab.evaluate<string>(
        `document.querySelector("#threads .item.agent .body").textContent`,
      );
      assert(full.endsWith(shown), "the shown text is the tail of the streamed text");
      assert(
        shown.length >= MAX_SHOWN_CHARS &&
          shown.length <= MAX_SHOWN_CHARS + 2 * OPEN_LIMITS.paragraph,
        `shows ${shown.length} characters`,
      );
      assertEquals(
        await tab.evaluate(`document.querySelector("#threads .item.agent .clipped").textContent`),
        `… ${(full.length - shown.length).toLocaleString("en")} earlier characters not shown`,
      );
      // The 50 ms frame budget is a speed target: measured and reported above (and by the
      // benchmarks), not asserted, because on a 2-core machine the app-server producing the
      // flood competes with the browser for the CPU. What must hold whatever the speed: the page
      // rendered progressively, many frames while the flood was in flight.
      assert(figures.frames >= 10, `only ${figures.frames} frames were painted during the flood`);
    });

    await t.step(
      "a turn goes on across a dropped connection: reconnecting, then its whole answer",
      async () => {
        const before = await stateCount(page);
        const sent = await send(page, 1, "a long answer across a reconnect");
        await waitDeltas(page, 1, sent, 5);
        const answer = `${panel(1)} .item.agent:last-child`;
        const frames = await recordFrames(
          page,
          `${answer} .markdown`,
          `${answer} .gap:not([hidden])`,
        );
        assert(stack.bridge.disconnectBrowsers() >= 1, "the page's socket was dropped");
        await waitReconnected(page, before);
        await waitTurnEnd(page, 1, sent, "completed");
        // Deltas sent while no socket listened are lost: the answer waits for its completed
        // item (and says so) rather than showing the later deltas after a hole.
        const samples = await frames();
        const final = samples.at(-1)!;
        assert(!final.flagged, "the note went away with the completed answer");
        assert(samples.some((s) => s.flagged), "a note said the rest comes when complete");
        for (const { text } of samples) {
          assert(
            final.text.startsWith(text),
            `every frame showed the start of the answer: ${text}`,
          );
        }
        const ended = await page.evaluate(
          ([selector]) => {
            const id = document.querySelector(selector as string)!.getAttribute("data-thread-id")!;
            return (globalThis as unknown as DemoHooks).__demo.turnsEnded(id);
          },
          [panel(1)],
        );
        assertEquals(ended, sent.ended + 1, "the same turn ended, once");
        const words = Array.from({ length: 400 }, (_, i) => `word${i + 1}`).join(" ");
        assert(
          (await transcript(page, 1)).includes(`A long answer: ${words}`),
          "the whole answer is shown",
        );
        const { shown, asOne } = await heightAsOneText(
          page,
          `${panel(1)} .item.agent:last-child .markdown`,
        );
        assertEquals(shown, asOne, "the answer's pieces read as one paragraph");
        await shot(page, "08b_turn_after_reconnect");
      },
    );

    await t.step("a dead app-server shows reconnecting, then the page reconnects", async () => {
      const before = await stateCount(page);
      await stack.bridge.appServer!.close();
      await waitReconnected(page, before);
      const sent = await send(page, 1, "after the restart");
      try {
        await waitTurnEnd(page, 1, sent, "completed");
      } catch (err) {
        await shot(page, "failure_after_restart");
        console.log(
          await page.textContent(`${panel(1)} .notice`),
          await page.textContent("#conn-detail"),
        );
        throw err;
      }
      assert((await transcript(page, 1)).includes("Hi! You said: after the restart"));
    });

    await t.step("without a bridge the page ends up disconnected", async () => {
      const t0 = performance.now();
      await stack.close();
      console.log(`stack closed in ${Math.round(performance.now() - t0)} ms`);
      await page.waitForSelector("#conn-status.disconnected", { timeout: TIMEOUT });
      const detail = await page.textContent("#conn-detail");
      assert(detail !== "", "the reason is shown");
      assert(await page.isVisible("#reconnect"), "a Reconnect button is offered");
      await shot(page, "09_disconnected");
    });

    assertEquals(errors, [], "no uncaught page errors");
  } finally {
    await browser.close();
    await stack.close();
  }
});
