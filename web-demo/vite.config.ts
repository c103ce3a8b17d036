/**
 * Vite config of the web demo. The page imports the SDK from the repository root (`../mod.ts`),
 * whose Worker (`worker/codex_worker.ts`) vite emits as its own ES-module chunk.
 *
 * The SDK's stdio transport (spawning `codex app-server`) is Deno-only and loaded lazily, only
 * when no `url` is given, and so is the unix-socket client (npm `ws`, for `socket`); `node:*`
 * imports and `ws` are left external so the browser bundle never
 * includes them (the page always connects with a `url`).
 *
 * @module
 */
import { defineConfig } from "vite";

const denoOnly = [/^node:/, /^ws$/];

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
  server: { fs: { allow: [".."] } },
  logLevel: "warn",
});
