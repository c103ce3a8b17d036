/**
 * Chromium driven over a bare DevTools connection that enables no domain but `Page`: for
 * measuring a page's responsiveness as a user's browser runs it. Playwright enables the
 * `Network` domain on every page and Worker, so Chromium serializes every WebSocket frame into
 * a DevTools event and the test process parses it: under a 100 000-frame flood that costs a
 * share of a 2-core machine that a user's browser does not pay (the figures are in
 * `BENCHMARKS.md`). The user flows stay with Playwright; the flood is measured here.
 *
 * @module
 */
import { findChromium } from "../../../scripts/setup/chromium.ts";
import { CHROMIUM_ARGS } from "./browser.ts";

interface CdpReply {
  id?: number;
  result?: Record<string, unknown>;
  error?: { message: string };
}

/** One page of a {@link BareChromium}. */
export interface BarePage {
  /** Evaluates `expression` in the page (awaiting a promise) and returns its JSON value. */
  evaluate<T = unknown>(expression: string): Promise<T>;
  /** Polls `expression` in the page every 100 ms until it is truthy; returns that value. */
  waitFor<T = unknown>(expression: string, timeoutMs?: number): Promise<T>;
  /** Writes a PNG of the viewport to `path`. */
  screenshot(path: string): Promise<void>;
}

/**
 * A headless Chromium with one page, controlled with `Runtime.evaluate` only.
 *
 * @example
 * ```ts ignore
 * await using browser = await BareChromium.launch();
 * const page = await browser.open("http://127.0.0.1:8787/", "window.__probe = 1");
 * console.log(await page.evaluate("document.title"));
 * ```
 */
export class BareChromium implements AsyncDisposable {
  readonly #process: Deno.ChildProcess;
  readonly #socket: WebSocket;
  readonly #profile: string;
  readonly #waiting = new Map<number, (reply: CdpReply) => void>();
  #nextId = 1;

  private constructor(process: Deno.ChildProcess, socket: WebSocket, profile: string) {
    this.#process = process;
    this.#socket = socket;
    this.#profile = profile;
    socket.onmessage = (ev) => {
      const reply = JSON.parse(ev.data) as CdpReply;
      if (reply.id === undefined) return;
      this.#waiting.get(reply.id)?.(reply);
      this.#waiting.delete(reply.id);
    };
    socket.onclose = () => {
      for (const resolve of this.#waiting.values()) {
        resolve({ error: { message: "the DevTools connection closed" } });
      }
      this.#waiting.clear();
    };
  }

  /** Starts Chromium with a fresh profile and connects to its DevTools endpoint. */
  static async launch(viewport = { width: 1400, height: 800 }): Promise<BareChromium> {
    const profile = await Deno.makeTempDir({ prefix: "codex_worker_chromium_" });
    const process = new Deno.Command(findChromium(), {
      args: [
        ...CHROMIUM_ARGS,
        `--user-data-dir=${profile}`,
        "--remote-debugging-port=0",
        `--window-size=${viewport.width},${viewport.height}`,
        "about:blank",
      ],
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    try {
      const url = await devToolsUrl(process.stderr);
      const socket = new WebSocket(url);
      await new Promise((resolve, reject) => {
        socket.onopen = resolve;
        socket.onerror = () => reject(new Error(`could not open ${url}`));
      });
      return new BareChromium(process, socket, profile);
    } catch (err) {
      process.kill();
      await process.status;
      await Deno.remove(profile, { recursive: true }).catch(() => {});
      throw err;
    }
  }

  async #send(
    method: string,
    params: Record<string, unknown> = {},
    sessionId?: string,
  ): Promise<Record<string, unknown>> {
    const id = this.#nextId++;
    const reply = await new Promise<CdpReply>((resolve) => {
      this.#waiting.set(id, resolve);
      this.#socket.send(JSON.stringify({ id, method, params, sessionId }));
    });
    if (reply.error) throw new Error(`${method}: ${reply.error.message}`);
    return reply.result ?? {};
  }

  /** Opens `url` in the browser's page, with `initScript` run before the page's own scripts. */
  async open(url: string, initScript = ""): Promise<BarePage> {
    const { targetInfos } = await this.#send("Target.getTargets") as {
      targetInfos: { targetId: string; type: string }[];
    };
    const target = targetInfos.find((t) => t.type === "page");
    if (!target) throw new Error("Chromium has no page target");
    const { sessionId } = await this.#send("Target.attachToTarget", {
      targetId: target.targetId,
      flatten: true,
    }) as { sessionId: string };
    await this.#send("Page.enable", {}, sessionId);
    if (initScript) {
      await this.#send("Page.addScriptToEvaluateOnNewDocument", { source: initScript }, sessionId);
    }
    await this.#send("Page.navigate", { url }, sessionId);
    const evaluate = async <T>(expression: string): Promise<T> => {
      const result = await this.#send("Runtime.evaluate", {
        expression,
        awaitPromise: true,
        returnByValue: true,
      }, sessionId) as {
        result: { value: T };
        exceptionDetails?: { exception?: { description?: string }; text: string };
      };
      if (result.exceptionDetails) {
        const details = result.exceptionDetails;
        throw new Error(details.exception?.description ?? details.text);
      }
      return result.result.value;
    };
    const waitFor = async <T>(expression: string, timeoutMs = 30_000): Promise<T> => {
      const deadline = performance.now() + timeoutMs;
      while (true) {
        const value = await evaluate<T>(
          `(() => { try { return ${expression}; } catch { return undefined; } })()`,
        )
          .catch(() => undefined); // the page may be navigating
        if (value) return value;
        if (performance.now() > deadline) {
          throw new Error(`timed out after ${timeoutMs} ms waiting for: ${expression}`);
        }
        await evaluate("new Promise((resolve) => setTimeout(resolve, 100))").catch(() => {});
      }
    };
    const screenshot = async (path: string) => {
      const { data } = await this.#send("Page.captureScreenshot", { format: "png" }, sessionId);
      const bytes = Uint8Array.from(atob(data as string), (c) => c.charCodeAt(0));
      await Deno.writeFile(path, bytes);
    };
    return { evaluate, waitFor, screenshot };
  }

  /** Stops Chromium and removes its profile. */
  async close(): Promise<void> {
    this.#socket.close();
    try {
      this.#process.kill();
    } catch { /* already gone */ }
    await this.#process.status;
    await Deno.remove(this.#profile, { recursive: true }).catch(() => {});
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/** Reads Chromium's stderr until it names its DevTools WebSocket URL; drains the rest. */
async function devToolsUrl(stderr: Deno.ChildProcess["stderr"]): Promise<string> {
  const reader = stderr.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (true) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`Chromium exited before it listened for DevTools:\n${seen}`);
    seen += value;
    const url = /DevTools listening on (ws:\/\/\S+)/.exec(seen)?.[1];
    if (url) {
      (async () => {
        while (!(await reader.read()).done) { /* keep the pipe from filling */ }
      })().catch(() => {});
      return url;
    }
  }
}
