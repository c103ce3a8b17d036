/**
 * Vite config of the delivery benchmark page (`bench/browser/`). Same settings as the web
 * demo's: the synthetic Worker (`bench/delivery/synthetic_worker.ts`) is emitted as its own
 * ES-module chunk; `node:*` stays external. `bench/delivery/browser_bench.ts` builds it with
 * `--outDir` in a temporary directory.
 *
 * @module
 */
import { defineConfig } from "vite";

const denoOnly = [/^node:/];

export default defineConfig({
  root: import.meta.dirname,
  base: "./",
  worker: { format: "es", rolldownOptions: { external: denoOnly } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    rolldownOptions: { external: denoOnly },
  },
  server: { fs: { allow: ["../.."] } },
  logLevel: "warn",
});
