/**
 * `deno task bridge`: runs the browser bridge until Ctrl-C (or SIGTERM/SIGHUP), then stops the
 * app-server it spawned.
 *
 * ```
 * deno task bridge [--port N] [--origin URL]... [--static DIR] [--codex-home DIR]
 *                  [--upstream ws://127.0.0.1:PORT]   (token in CODEX_BRIDGE_UPSTREAM_TOKEN)
 *                  [--max-connections N]              (default 32)
 * ```
 *
 * Without `--upstream` it spawns the pinned `codex app-server` (with your `~/.codex`, or
 * `--codex-home`). The browser token is printed nowhere: a page served by the bridge (`--static`)
 * or on an `--origin` fetches it with `POST /bridge/session`. Set `CODEX_BRIDGE_TOKEN` to choose
 * the token yourself (e.g. for a page you serve elsewhere).
 *
 * @example
 * ```ts ignore
 * // deno run -A src/bridge/main.ts --static web-demo/dist --origin http://localhost:5173
 * ```
 *
 * @module
 */
import { runBridgeCli } from "./cli.ts";

if (import.meta.main) await runBridgeCli(Deno.args);
