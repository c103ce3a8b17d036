/**
 * The layering, as a table: data flows transport → router → client → api, the vocabulary they
 * share lives in `src/core/`, the public entry (`mod.ts`) wires them (the Worker included), generated protocol code stays behind `src/protocol/`, and comlink behind
 * `worker/`. Each rule carries a file that breaks it, and the test first checks that the rule
 * catches that file (so a rule that can never fail is itself a failure).
 *
 * To add a rule, add a row: the files it covers (`in`, `except`), what they must not import
 * (`imports`: repo-relative prefixes or package names) or use (`uses`: a pattern matched on code
 * lines), and a `violation` that breaks it.
 */
import {
  check,
  type LayerRule,
  readSources,
  resolve,
  type SourceFile,
} from "./support/import_scan.ts";
import { assertEquals } from "./support/assert.ts";

/** What the test reads: the SDK's modules and the examples that use them. */
const SCANNED = ["mod.ts", "src/", "worker/", "examples/"];
/** The SDK's own layers (everything but entry points, tools and test helpers). */
const CORE = [
  "src/pool/",
  "src/api/",
  "src/client/",
  "src/core/",
  "src/router/",
  "src/transport/",
  "src/protocol/",
];
const BELOW_ROUTER = ["src/transport/", "src/protocol/", "src/errors/", "src/util/"];
const UPPER = ["src/router/", "src/client/", "src/api/", "src/pool/", "worker/"];
/** Programs, not modules: they pick and use a runtime of their own. */
const ENTRY_POINTS = ["src/bridge/main.ts", "src/chat_adapter/main.ts", "examples/"];

const RULES: LayerRule[] = [
  {
    rule: "nothing imports src/api/ but the public entry, src/api/ itself and the pool above it",
    in: SCANNED,
    except: ["mod.ts", "src/api/", "src/pool/"],
    imports: ["src/api/"],
    violation: { path: "src/client/x.ts", source: 'import { Codex } from "../api/codex.ts";' },
  },
  {
    rule: "only worker/ imports comlink",
    in: SCANNED,
    except: ["worker/"],
    imports: ["comlink"],
    violation: { path: "src/router/x.ts", source: 'import * as Comlink from "npm:comlink@4";' },
  },
  {
    rule: "generated protocol code is imported only through src/protocol/",
    in: SCANNED,
    except: ["src/protocol/"],
    imports: ["src/protocol/generated/"],
    violation: {
      path: "src/api/x.ts",
      source: 'import type { Thread } from "../protocol/generated/v2/Thread.ts";',
    },
  },
  {
    rule: "transport, protocol, errors and util import no upper layer",
    in: BELOW_ROUTER,
    imports: UPPER,
    violation: {
      path: "src/transport/x.ts",
      source: 'import type { CodexEvent } from "../router/events.ts";',
    },
  },
  {
    rule: "src/core/ (the shared vocabulary) imports only protocol, errors and util",
    in: ["src/core/"],
    imports: ["src/transport/", "src/runtime/", ...UPPER],
    violation: {
      path: "src/core/x.ts",
      source: 'import type { MessageRouter } from "../router/message_router.ts";',
    },
  },
  {
    rule: "src/api/ imports neither the Worker nor the router: vocabulary from src/core/",
    in: ["src/api/"],
    imports: ["worker/", "src/router/"],
    violation: {
      path: "src/api/x.ts",
      source: 'const { WorkerConnection } = await import("../../worker/worker_connection.ts");',
    },
  },
  {
    rule: "nothing below imports src/pool/ (the layer above src/api/)",
    in: SCANNED,
    except: ["mod.ts", "src/pool/"],
    imports: ["src/pool/"],
    violation: {
      path: "src/api/x.ts",
      source: 'import { CodexPool } from "../pool/codex_pool.ts";',
    },
  },
  {
    rule: "src/pool/ builds on src/api/ and src/core/: no router, client, transport or Worker",
    in: ["src/pool/"],
    imports: ["src/router/", "src/client/", "src/transport/", "worker/"],
    violation: {
      path: "src/pool/x.ts",
      source: 'import { CodexClient } from "../client/codex_client.ts";',
    },
  },
  {
    rule: "the router imports neither the client nor the api nor the Worker",
    in: ["src/router/"],
    imports: ["src/client/", "src/api/", "worker/"],
    violation: {
      path: "src/router/x.ts",
      source: 'const { CodexClient } = await import("../client/codex_client.ts");',
    },
  },
  {
    rule: "the client (connections) imports neither the api nor the Worker",
    in: ["src/client/"],
    imports: ["src/api/", "worker/"],
    violation: {
      path: "src/client/x.ts",
      source: 'export { WorkerConnection } from "../../worker/worker_connection.ts";',
    },
  },
  {
    rule: "the SDK's layers and the Worker do not import test helpers",
    in: [...CORE, "worker/"],
    imports: ["src/testing/", "src/chat_adapter/testing/", "tests/"],
    violation: {
      path: "src/router/x.ts",
      source: 'import { reply } from "../testing/mod.ts";',
    },
  },
  {
    rule: "only src/runtime/ touches a runtime (Deno.*, node:*, new Worker), entry points aside",
    in: SCANNED,
    except: ["src/runtime/", ...ENTRY_POINTS],
    imports: ["node:"],
    uses: /\bDeno\.|\bnew Worker\(/,
    violation: {
      path: "src/transport/x.ts",
      source: 'import { spawn } from "node:child_process";\nconst cwd = Deno.cwd();',
    },
  },
  {
    rule: "src/runtime/ imports none of the SDK's other folders",
    in: ["src/runtime/"],
    imports: [...CORE, "src/errors/", "src/util/", "src/bridge/", "src/testing/", "worker/"],
    violation: {
      path: "src/runtime/x.ts",
      source: 'import { TransportClosedError } from "../errors/errors.ts";',
    },
  },
];

const files = await readSources(new URL("../", import.meta.url), SCANNED);

Deno.test("the import scanner resolves relative paths and package names", () => {
  assertEquals(resolve("src/api/codex.ts", "../router/events.ts"), "src/router/events.ts");
  assertEquals(resolve("worker/a.ts", "../src/x/../y.ts"), "src/y.ts");
  assertEquals(resolve("src/a.ts", "npm:comlink@4.4.2"), "comlink");
  assertEquals(resolve("src/a.ts", "npm:@openai/codex@0.1/bin"), "@openai/codex");
  assertEquals(resolve("src/a.ts", "node:url"), "node:url");
});

Deno.test("a rule's `uses` pattern is matched on code lines, not comments", () => {
  const rule: LayerRule = {
    rule: "no Deno",
    in: ["src/"],
    uses: /\bDeno\./,
    violation: { path: "src/x.ts", source: "" },
  };
  const source = "/**\n * Deno.env.get('A')\n */\n// Deno.exit()\nconst a = Deno.env.get('A');";
  const caught = check(rule, [{ path: "src/x.ts", source }]);
  assertEquals(caught.map((v) => v.path), ["src/x.ts:5"]);
});

Deno.test("the scan sees the SDK's files", () => {
  const paths = new Set(files.map((f) => f.path));
  for (const path of ["mod.ts", "src/api/codex.ts", "worker/worker_host.ts"]) {
    assertEquals(paths.has(path), true, `${path} was not scanned`);
  }
});

for (const rule of RULES) {
  Deno.test(`layering: ${rule.rule}`, () => {
    const caught = check(rule, [rule.violation as SourceFile]);
    assertEquals(caught.length > 0, true, `the rule does not catch its own violation`);
    assertEquals(check(rule, files), []);
  });
}
