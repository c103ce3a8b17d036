/**
 * Benchmark 1 in Chromium: builds the benchmark page (`bench/browser/`) with vite into a
 * temporary directory, serves it crossOriginIsolated on 127.0.0.1, opens it in headless
 * Chromium (`/usr/bin/chromium` through playwright-core) and runs the synthetic delivery
 * benchmark there, each path measured by `window.__bench.measure(plan)` in the page.
 *
 * @module
 */

import { launchChromium, viteBuild } from "../../tests/e2e/support/browser.ts";
import type { Section } from "../lib/report.ts";
import { syntheticDeliveryBench, type SyntheticOptions } from "./synthetic_bench.ts";
import type { BenchPageApi, PathFigures, PathPlan } from "./synthetic_driver.ts";

type PageGlobal = { __bench?: BenchPageApi };

const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
};

function serve(dir: string): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const path = new URL(req.url).pathname;
    const file = path === "/" ? "/index.html" : path;
    if (file.includes("..")) return new Response("bad path", { status: 400 });
    try {
      const body = await Deno.readFile(`${dir}${file}`);
      return new Response(body, {
        headers: {
          "content-type": TYPES[file.split(".").pop() ?? ""] ?? "application/octet-stream",
          "cross-origin-opener-policy": "same-origin",
          "cross-origin-embedder-policy": "require-corp",
          "cache-control": "no-store",
        },
      });
    } catch {
      return new Response("not found", { status: 404 });
    }
  });
}

/**
 * Runs benchmark 1 (synthetic source) in headless Chromium and returns its section.
 *
 * @example
 * ```ts ignore
 * import { browserDeliveryBench } from "./browser_bench.ts";
 * console.log(await browserDeliveryBench({ runs: 1 }));
 * ```
 */
export async function browserDeliveryBench(options: SyntheticOptions = {}): Promise<Section> {
  const dir = await Deno.makeTempDir({ prefix: "codex_bench_page_" });
  try {
    const t0 = performance.now();
    await viteBuild("bench/browser", ["--outDir", dir, "--emptyOutDir"]);
    const buildMs = performance.now() - t0;
    await using server = serve(dir);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(`http://127.0.0.1:${server.addr.port}/`);
      await page.waitForFunction(() => (globalThis as PageGlobal).__bench?.ready === true);
      const isolated = await page.evaluate(() => (globalThis as PageGlobal).__bench!.isolated);
      const measure = async (plan: PathPlan): Promise<PathFigures> => {
        try {
          return await page.evaluate((p) => (globalThis as PageGlobal).__bench!.measure(p), plan);
        } catch (err) {
          throw new Error(`${err}${errors.length ? `; page errors: ${errors.join("; ")}` : ""}`);
        }
      };
      const section = await syntheticDeliveryBench("Chromium", measure, options);
      section.notes.push(
        `Page built by vite in ${(buildMs / 1000).toFixed(1)} s; crossOriginIsolated: ` +
          `${isolated}. Chromium's own end-to-end figure (the real app-server through the ` +
          `bridge) is section 8.`,
      );
      return section;
    } finally {
      await browser.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}
