/**
 * The bridge's command line, on any runtime with processes (`deno task bridge`, and
 * `npx codex-worker-bridge` from the npm package): parses the flags, starts the bridge and
 * stops it on Ctrl-C (or SIGTERM/SIGHUP). See `main.ts` for the flags.
 *
 * @module
 */
import { runtime } from "../runtime/current.ts";
import { BridgeServer } from "./bridge_server.ts";
import { startStoppable } from "./stop_on_signals.ts";

/** Parsed command line of the bridge CLI. */
interface Cli {
  port: number;
  origins: string[];
  staticDir?: string;
  codexHome?: string;
  upstream?: string;
  maxConnections?: number;
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
    else if (flag === "--max-connections") cli.maxConnections = Number(value());
    else if (flag === "--help" || flag === "-h") {
      console.log(
        "usage: deno task bridge [--port N] [--origin URL]... [--static DIR] " +
          "[--codex-home DIR] [--upstream ws://127.0.0.1:PORT] [--max-connections N]",
      );
      runtime.exit(0);
    } else throw new TypeError(`unknown option ${flag}`);
  }
  if (!Number.isInteger(cli.port) || cli.port < 0 || cli.port > 65535) {
    throw new TypeError("--port must be a port number");
  }
  return cli;
}

/**
 * Runs the bridge with command-line `args` until a stop signal.
 *
 * @param args The flags (`--port N`, `--origin URL`, `--static DIR`, `--codex-home DIR`,
 * `--upstream URL`, `--max-connections N`).
 *
 * @example
 * ```ts ignore
 * import { runBridgeCli } from "./cli.ts";
 * await runBridgeCli(["--port", "8787"]);
 * ```
 */
export async function runBridgeCli(args: readonly string[] = runtime.args()): Promise<void> {
  const cli = parse([...args]);
  // The stop handlers are in place before anything starts or any ready line is printed.
  const bridge = await startStoppable(() =>
    BridgeServer.start({
      port: cli.port,
      token: runtime.env("CODEX_BRIDGE_TOKEN") || undefined,
      allowedOrigins: cli.origins,
      staticDir: cli.staticDir,
      maxConnections: cli.maxConnections,
      upstream: cli.upstream
        ? { url: cli.upstream, token: runtime.env("CODEX_BRIDGE_UPSTREAM_TOKEN") || undefined }
        : undefined,
      appServer: cli.codexHome ? { codexHome: cli.codexHome } : {},
      log: (line) => console.error(`[bridge] ${line}`),
    })
  );
  console.log(`bridge listening on ${bridge.wsUrl}`);
  if (cli.staticDir) console.log(`open ${bridge.pageUrl}/`);
  console.log(`allowed origins: ${bridge.allowedOrigins.join(", ")}`);
}
