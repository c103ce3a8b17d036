/**
 * `deno task bridge`: runs the browser bridge until Ctrl-C (or SIGTERM/SIGHUP), then stops the
 * app-server it spawned.
 *
 * ```
 * deno task bridge [--port N] [--origin URL]... [--static DIR] [--codex-home DIR]
 *                  [--upstream ws://127.0.0.1:PORT]   (token in CODEX_BRIDGE_UPSTREAM_TOKEN)
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
import { BridgeServer } from "./bridge_server.ts";
import { startStoppable } from "./stop_on_signals.ts";

/** Parsed command line of the bridge CLI. */
interface Cli {
  port: number;
  origins: string[];
  staticDir?: string;
  codexHome?: string;
  upstream?: string;
}

function parse(args: string[]): Cli {
  const cli: Cli = { port: 8787, origins: [] };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new TypeError(`${flag} needs a value`);
      return v;
    };
    if (flag === "--port") cli.port = Number(value());
    else if (flag === "--origin") cli.origins.push(value());
    else if (flag === "--static") cli.staticDir = value();
    else if (flag === "--codex-home") cli.codexHome = value();
    else if (flag === "--upstream") cli.upstream = value();
    else if (flag === "--help" || flag === "-h") {
      console.log(
        "usage: deno task bridge [--port N] [--origin URL]... [--static DIR] " +
          "[--codex-home DIR] [--upstream ws://127.0.0.1:PORT]",
      );
      Deno.exit(0);
    } else throw new TypeError(`unknown option ${flag}`);
  }
  if (!Number.isInteger(cli.port) || cli.port < 0 || cli.port > 65535) {
    throw new TypeError("--port must be a port number");
  }
  return cli;
}

if (import.meta.main) {
  const cli = parse(Deno.args);
  // The stop handlers are in place before anything starts or any ready line is printed.
  const bridge = await startStoppable(() =>
    BridgeServer.start({
      port: cli.port,
      token: Deno.env.get("CODEX_BRIDGE_TOKEN") || undefined,
      allowedOrigins: cli.origins,
      staticDir: cli.staticDir,
      upstream: cli.upstream
        ? { url: cli.upstream, token: Deno.env.get("CODEX_BRIDGE_UPSTREAM_TOKEN") || undefined }
        : undefined,
      appServer: cli.codexHome ? { codexHome: cli.codexHome } : {},
      log: (line) => console.error(`[bridge] ${line}`),
    })
  );
  console.log(`bridge listening on ${bridge.wsUrl}`);
  if (cli.staticDir) console.log(`open ${bridge.pageUrl}/`);
  console.log(`allowed origins: ${bridge.allowedOrigins.join(", ")}`);
}
