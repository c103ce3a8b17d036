/**
 * Vendors the app-server protocol of the pinned codex binary into `src/protocol/generated/`.
 *
 * ```sh
 * deno run -A scripts/gen_protocol.ts           # regenerate
 * deno run -A scripts/gen_protocol.ts --check   # exit 1, listing files, if the copy differs
 * deno run -A scripts/gen_protocol.ts --codex /path/to/codex
 * ```
 *
 * Steps: `codex app-server generate-ts` and `generate-json-schema` (both with `--experimental`,
 * since the SDK sends `capabilities.experimentalApi = true`), then
 * - the ts-rs files are copied with `.ts` added to relative imports and `bigint` widened to
 *   `number` (JSON.parse never produces a bigint);
 * - `method_maps.ts` (type maps) and `notification_routes.ts` (runtime routing/shape tables)
 *   are derived from the unions `ClientRequest`, `ServerRequest` and `ServerNotification` and
 *   the JSON schema bundle;
 * - everything is formatted with `deno fmt --line-width=100`, so output is byte-stable.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { resolveCodexBinary } from "../src/transport/codex_binary.ts";

const REPO_ROOT = new URL("../", import.meta.url);
const OUT_DIR = new URL("src/protocol/generated/", REPO_ROOT);
const REGEN_COMMAND = "deno run -A scripts/gen_protocol.ts";
const BUNDLE = "codex_app_server_protocol.schemas.json";

/**
 * Client request methods whose result type follows neither naming rule (`XParams` →
 * `XResponse`, or the PascalCased method + `Response`). Checked against upstream
 * `client_request_definitions!`; every entry must still be needed and must name an existing type.
 */
const RESULT_OVERRIDES: Readonly<Record<string, string>> = {
  "account/gatewayOAuth/cancel": "GatewayOAuthCancelResponse",
  "account/logout": "LogoutAccountResponse",
  "account/securitySetup/read": "GetAccountSecuritySetupResponse",
  "account/workspaceMessages/read": "GetWorkspaceMessagesResponse",
  "accountSession/list": "AccountSessionsResponse",
  "config/batchWrite": "ConfigWriteResponse",
  "config/mcpServer/reload": "McpServerRefreshResponse",
  "config/value/write": "ConfigWriteResponse",
  "externalAgentConfig/import/readHistories": "ExternalAgentConfigImportHistoriesReadResponse",
  "modelProvider/default/set": "ConfigWriteResponse",
};

// ---------------------------------------------------------------------------------------------
// Small utilities

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = boolean | { [key: string]: Json };
type JsonType = "array" | "boolean" | "null" | "number" | "object" | "string";

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

async function run(cmd: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    const err = new TextDecoder().decode(out.stderr);
    throw new Error(`${cmd} ${args.join(" ")} failed (${out.code}):\n${err}${text}`);
  }
  return text;
}

/** Relative paths (posix separators) of every file under `dir`, sorted. */
async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const files: string[] = [];
  try {
    for await (const entry of Deno.readDir(`${dir}/${prefix}`)) {
      const rel = `${prefix}${entry.name}`;
      if (entry.isDirectory) files.push(...await listFiles(dir, `${rel}/`));
      else if (entry.isFile) files.push(rel);
    }
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  return files.sort(byCodeUnit);
}

function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "..") out.pop();
    else if (part !== "." && part !== "") out.push(part);
  }
  return out.join("/");
}

const dirOf = (rel: string): string => rel.includes("/") ? rel.slice(0, rel.lastIndexOf("/")) : "";
const baseName = (rel: string): string => rel.slice(rel.lastIndexOf("/") + 1).replace(/\.\w+$/, "");
const pascal = (method: string): string =>
  method.split(/[/_]/).map((s) => s.charAt(0).toUpperCase() + s.slice(1)).join("");
const q = (s: string): string => JSON.stringify(s);

// ---------------------------------------------------------------------------------------------
// Running the binary

interface RawOutput {
  version: string;
  experimental: boolean;
  tsDir: string;
  stableTsDir: string;
  schemaDir: string;
}

async function generateRaw(bin: string, tmp: string): Promise<RawOutput> {
  const versionText = await run(bin, ["--version"]);
  const version = versionText.match(/\d+\.\d+\.\d+[^\s]*/)?.[0];
  if (version === undefined) throw new Error(`cannot parse codex version from ${q(versionText)}`);
  const tsHelp = await run(bin, ["app-server", "generate-ts", "--help"]);
  const schemaHelp = await run(bin, ["app-server", "generate-json-schema", "--help"]);
  const experimental = tsHelp.includes("--experimental") && schemaHelp.includes("--experimental");
  const exp = experimental ? ["--experimental"] : [];
  const raw: RawOutput = {
    version,
    experimental,
    tsDir: `${tmp}/ts`,
    stableTsDir: `${tmp}/ts_stable`,
    schemaDir: `${tmp}/schema`,
  };
  await run(bin, ["app-server", "generate-ts", ...exp, "--out", raw.tsDir]);
  await run(bin, ["app-server", "generate-ts", "--out", raw.stableTsDir]);
  await run(bin, ["app-server", "generate-json-schema", ...exp, "--out", raw.schemaDir]);
  return raw;
}

// ---------------------------------------------------------------------------------------------
// ts-rs files

interface TsCopy {
  files: Map<string, string>;
  /** type name → relative paths of the files declaring it */
  types: Map<string, string[]>;
  bigintFiles: string[];
  bigintCount: number;
}

function rewriteImports(rel: string, text: string, known: Set<string>): string {
  return text.replace(/(from\s+")(\.{1,2}\/[^"]*)(")/g, (_m, head, spec: string, tail) => {
    const target = normalize(`${dirOf(rel)}/${spec}`);
    if (known.has(`${target}.ts`)) return `${head}${spec}.ts${tail}`;
    if (known.has(`${target}/index.ts`)) return `${head}${spec}/index.ts${tail}`;
    throw new Error(`${rel}: cannot resolve import ${q(spec)}`);
  });
}

async function copyTs(raw: RawOutput): Promise<TsCopy> {
  const rels = (await listFiles(raw.tsDir)).filter((f) => f.endsWith(".ts"));
  const known = new Set(rels);
  const copy: TsCopy = { files: new Map(), types: new Map(), bigintFiles: [], bigintCount: 0 };
  for (const rel of rels) {
    let text = rewriteImports(rel, await Deno.readTextFile(`${raw.tsDir}/${rel}`), known);
    const bigints = text.match(/\bbigint\b/g)?.length ?? 0;
    if (bigints > 0) {
      text = text.replace(/\bbigint\b/g, "number");
      copy.bigintFiles.push(rel);
      copy.bigintCount += bigints;
    }
    if (rel === "index.ts") text = withProvenance(text, raw);
    copy.files.set(rel, text);
    const name = baseName(rel);
    if (new RegExp(`^export type ${name}\\b`, "m").test(text)) {
      copy.types.set(name, [...copy.types.get(name) ?? [], rel]);
    }
  }
  return copy;
}

function withProvenance(text: string, raw: RawOutput): string {
  const [first, ...rest] = text.split("\n");
  return [
    first,
    `// codex-cli ${raw.version}: codex app-server generate-ts${
      raw.experimental ? " --experimental" : ""
    }, imports rewritten to .ts, bigint widened to number.`,
    `// Regenerate with \`${REGEN_COMMAND}\` (verify with \`--check\`).`,
    ...rest,
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------
// Unions and the JSON schema

interface UnionEntry {
  method: string;
  /** the params type named in the union, if it is a plain type name */
  params: string | undefined;
}

function parseUnion(text: string, typeName: string): UnionEntry[] {
  const start = text.indexOf(`export type ${typeName} =`);
  if (start < 0) throw new Error(`union ${typeName} not found`);
  const body = text.slice(start);
  const hits = [...body.matchAll(/"method": "([^"]+)"/g)];
  return hits.map((hit, i) => {
    const chunk = body.slice(hit.index, hits[i + 1]?.index ?? body.length);
    const params = chunk.match(/"?params"?\??: (\w+)/)?.[1];
    return { method: hit[1] ?? "", params: params === "undefined" ? undefined : params };
  });
}

class SchemaBundle {
  readonly #root: { [key: string]: Json };

  constructor(root: { [key: string]: Json }) {
    this.#root = root;
  }

  /** Resolves `#/definitions/...` pointers. */
  deref(ref: string): Schema | undefined {
    let node: Json | undefined = this.#root;
    for (const part of ref.replace(/^#\//, "").split("/")) {
      if (node === null || typeof node !== "object" || Array.isArray(node)) return undefined;
      node = node[part];
    }
    return node === undefined ? undefined : node as Schema;
  }

  /** The definition a union member's `params` points to. */
  unionParams(unionName: string): Map<string, Schema> {
    const out = new Map<string, Schema>();
    const union = this.deref(`#/definitions/${unionName}`);
    if (typeof union !== "object") return out;
    for (const member of (union.oneOf ?? []) as { [key: string]: Json }[]) {
      const props = member.properties as { [key: string]: { [key: string]: Json } };
      const method = (props?.method?.enum as string[] | undefined)?.[0];
      if (method !== undefined && props.params !== undefined) out.set(method, props.params);
    }
    return out;
  }

  /** Finds a definition by bare name at the top level or under `v2`, refusing ambiguity. */
  byName(name: string): Schema | undefined {
    const hits = [`#/definitions/${name}`, `#/definitions/v2/${name}`]
      .map((ref) => this.deref(ref))
      .filter((s): s is Schema => s !== undefined);
    if (hits.length > 1 && JSON.stringify(hits[0]) !== JSON.stringify(hits[1])) {
      throw new Error(`schema definition ${name} is ambiguous`);
    }
    return hits[0];
  }

  /** Follows `$ref` and single-member `allOf` until a concrete schema is reached. */
  resolve(schema: Schema, depth = 0): Schema {
    if (typeof schema !== "object" || depth > 32) return schema;
    if (typeof schema.$ref === "string") {
      const target = this.deref(schema.$ref);
      if (target === undefined) throw new Error(`dangling $ref ${schema.$ref}`);
      return this.resolve(target, depth + 1);
    }
    const allOf = schema.allOf as Schema[] | undefined;
    const only = allOf?.length === 1 ? allOf[0] : undefined;
    if (only !== undefined && schema.properties === undefined) return this.resolve(only, depth + 1);
    return schema;
  }

  /** The JSON types a value may have, or `undefined` for "anything". */
  jsonTypes(schema: Schema, depth = 0): Set<JsonType> | undefined {
    const s = this.resolve(schema);
    if (typeof s !== "object" || depth > 32) return undefined;
    const types = new Set<JsonType>();
    const add = (t: Json) => {
      if (t === "integer" || t === "number") types.add("number");
      else if (typeof t === "string") types.add(t as JsonType);
    };
    if (s.type !== undefined) {
      for (const t of Array.isArray(s.type) ? s.type : [s.type]) add(t);
      return types;
    }
    const values = "const" in s ? [s.const] : Array.isArray(s.enum) ? s.enum : undefined;
    if (values !== undefined) {
      for (const v of values) add(v === null ? "null" : Array.isArray(v) ? "array" : typeof v);
      return types;
    }
    const members = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
    if (members === undefined) return undefined;
    for (const member of members) {
      const inner = this.jsonTypes(member, depth + 1);
      if (inner === undefined) return undefined;
      for (const t of inner) types.add(t);
    }
    return types;
  }

  /** Object properties of a schema, merging the variants of a `oneOf`/`anyOf` object. */
  properties(
    schema: Schema,
  ): { props: Map<string, Schema>; everyVariantHas: (k: string) => boolean } {
    const s = this.resolve(schema);
    const props = new Map<string, Schema>();
    const variants: Set<string>[] = [];
    if (typeof s === "object") {
      for (const [k, v] of Object.entries((s.properties ?? {}) as { [k: string]: Schema })) {
        props.set(k, v);
      }
      for (const member of (s.oneOf ?? s.anyOf ?? []) as Schema[]) {
        const m = this.resolve(member);
        if (typeof m !== "object" || m.type === "null") continue;
        const keys = new Set(Object.keys((m.properties ?? {}) as object));
        variants.push(keys);
      }
    }
    return {
      props,
      everyVariantHas: (k) =>
        props.has(k) || (variants.length > 0 && variants.every((v) => v.has(k))),
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Routes: where thread/turn/item ids live, and the required top-level shape

interface Route {
  thread?: string[];
  turn?: string[];
  item?: string[];
  required: [string, JsonType[]][];
}

function routeOf(bundle: SchemaBundle, schema: Schema, where: string): Route {
  const s = bundle.resolve(schema);
  const types = bundle.jsonTypes(s);
  if (typeof s !== "object" || types === undefined || !types.has("object") || types.size !== 1) {
    throw new Error(`${where}: params are not a plain object schema`);
  }
  const { props } = bundle.properties(s);
  const idPath = (flat: string, nested: string): string[] | undefined => {
    if (props.has(flat)) return [flat];
    const inner = props.get(nested);
    if (inner !== undefined && bundle.properties(inner).everyVariantHas("id")) {
      return [nested, "id"];
    }
    return undefined;
  };
  const route: Route = { required: [] };
  const thread = idPath("threadId", "thread");
  const turn = idPath("turnId", "turn");
  const item = idPath("itemId", "item");
  if (thread) route.thread = thread;
  if (turn) route.turn = turn;
  if (item) route.item = item;
  for (const key of [...(s.required ?? []) as string[]].sort(byCodeUnit)) {
    const prop = props.get(key);
    const t = prop === undefined ? undefined : bundle.jsonTypes(prop);
    route.required.push([key, t === undefined ? [] : [...t].sort(byCodeUnit)]);
  }
  return route;
}

function paramsSchema(
  bundle: SchemaBundle,
  fromUnion: Map<string, Schema>,
  entry: UnionEntry,
): Schema {
  const schema = fromUnion.get(entry.method) ??
    (entry.params === undefined ? undefined : bundle.byName(entry.params));
  if (schema === undefined) throw new Error(`${entry.method}: no JSON schema for its params`);
  return schema;
}

// ---------------------------------------------------------------------------------------------
// Result (response) types

type Rule = "params" | "method" | "override";

interface Mapped {
  method: string;
  result: string;
  rule: Rule;
}

function mapClientResults(entries: UnionEntry[], types: Map<string, string[]>): Mapped[] {
  const errors: string[] = [];
  const mapped: Mapped[] = [];
  for (const { method, params } of entries) {
    const byParams = params?.endsWith("Params") ? `${params.slice(0, -6)}Response` : undefined;
    const byMethod = `${pascal(method)}Response`;
    const override = RESULT_OVERRIDES[method];
    if (byParams !== undefined && types.has(byParams)) {
      mapped.push({ method, result: byParams, rule: "params" });
    } else if (types.has(byMethod)) mapped.push({ method, result: byMethod, rule: "method" });
    else if (override !== undefined && types.has(override)) {
      mapped.push({ method, result: override, rule: "override" });
    } else errors.push(`${method}: no result type (tried ${byParams ?? "-"}, ${byMethod})`);
    if (override !== undefined && mapped.at(-1)?.rule !== "override") {
      errors.push(`${method}: RESULT_OVERRIDES entry is stale or names a missing type`);
    }
  }
  const methods = new Set(entries.map((e) => e.method));
  for (const method of Object.keys(RESULT_OVERRIDES)) {
    if (!methods.has(method)) errors.push(`${method}: RESULT_OVERRIDES names an unknown method`);
  }
  if (errors.length > 0) throw new Error(`cannot map client results:\n  ${errors.join("\n  ")}`);
  return mapped;
}

function mapServerResults(entries: UnionEntry[], types: Map<string, string[]>): Mapped[] {
  return entries.map(({ method, params }) => {
    const result = params?.endsWith("Params") ? `${params.slice(0, -6)}Response` : undefined;
    if (result === undefined || !types.has(result)) {
      throw new Error(`${method}: no result type for server request params ${params}`);
    }
    return { method, result, rule: "params" };
  });
}

/** Every `*Response` schema file must be the result of some request, or a mapping is wrong. */
async function assertAllResponsesUsed(schemaDir: string, used: Set<string>): Promise<void> {
  const unused = (await listFiles(schemaDir))
    .map(baseName)
    .filter((n) => n.endsWith("Response") && n !== "JSONRPCResponse" && !used.has(n));
  if (unused.length > 0) {
    throw new Error(`response types mapped to no method: ${[...new Set(unused)].join(", ")}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Emitters

function header(version: string): string {
  return [
    `// GENERATED by scripts/gen_protocol.ts from codex-cli ${version}. DO NOT EDIT.`,
    `// Regenerate with \`${REGEN_COMMAND}\` (verify with \`--check\`).`,
    "",
  ].join("\n");
}

function importPath(types: Map<string, string[]>, name: string): string {
  const paths = types.get(name) ?? [];
  const path = paths.length === 1 ? paths[0] : paths.find((p) => p.startsWith("v2/"));
  if (path === undefined) throw new Error(`type ${name} is declared in ${paths.length} files`);
  return `./${path}`;
}

function emitMethodMaps(
  version: string,
  types: Map<string, string[]>,
  client: Mapped[],
  server: Mapped[],
): string {
  const results = [...new Set([...client, ...server].map((m) => m.result))].sort(byCodeUnit);
  const sorted = (list: Mapped[]) => [...list].sort((a, b) => byCodeUnit(a.method, b.method));
  const rows = (list: Mapped[]) =>
    sorted(list).map((m) =>
      `  /** result type found by: ${m.rule} */\n  ${q(m.method)}: ${m.result};`
    );
  return [
    header(version),
    `import type { ClientRequest } from "./ClientRequest.ts";`,
    `import type { ServerNotification } from "./ServerNotification.ts";`,
    `import type { ServerRequest } from "./ServerRequest.ts";`,
    ...results.map((r) => `import type { ${r} } from ${q(importPath(types, r))};`),
    "",
    "/** Result type of every client request method (indexing fails if one is missing). */",
    "interface ClientResults {",
    ...rows(client),
    "}",
    "",
    "/** Result type of every server request method (indexing fails if one is missing). */",
    "interface ServerResults {",
    ...rows(server),
    "}",
    "",
    "/** Client → server request methods with their params and result types. */",
    "export type ClientRequestMap = {",
    `  [M in ClientRequest["method"]]: {`,
    `    params: Extract<ClientRequest, { method: M }>["params"];`,
    "    result: ClientResults[M];",
    "  };",
    "};",
    "",
    "/** Server → client request methods with their params and the result the client returns. */",
    "export type ServerRequestMap = {",
    `  [M in ServerRequest["method"]]: {`,
    `    params: Extract<ServerRequest, { method: M }>["params"];`,
    "    result: ServerResults[M];",
    "  };",
    "};",
    "",
    "/** Server notification methods with their params types. */",
    "export type ServerNotificationMap = {",
    `  [M in ServerNotification["method"]]: Extract<ServerNotification, { method: M }>["params"];`,
    "};",
    "",
  ].join("\n");
}

function emitRoute(method: string, route: Route): string {
  const path = (p: string[] | undefined) => (p === undefined ? [] : [`[${p.map(q).join(", ")}]`]);
  const parts = [
    ...path(route.thread).map((p) => `thread: ${p}`),
    ...path(route.turn).map((p) => `turn: ${p}`),
    ...path(route.item).map((p) => `item: ${p}`),
    `required: { ${
      route.required.map(([k, t]) => `${q(k)}: [${t.map(q).join(", ")}]`).join(", ")
    } }`,
  ];
  return `  ${q(method)}: { ${parts.join(", ")} },`;
}

interface RoutesInput {
  version: string;
  clientMethods: string[];
  experimentalClientMethods: string[];
  serverRequestRoutes: Map<string, Route>;
  experimentalServerMethods: string[];
  notificationRoutes: Map<string, Route>;
}

function emitRoutes(input: RoutesInput): string {
  const list = (name: string, type: string, doc: string, items: string[]) => [
    `/** ${doc} */`,
    `export const ${name}: readonly ${type}[] = [`,
    ...[...items].sort(byCodeUnit).map((m) => `  ${q(m)},`),
    "];",
    "",
  ];
  const table = (name: string, type: string, doc: string, routes: Map<string, Route>) => [
    `/** ${doc} */`,
    `export const ${name}: { readonly [M in ${type}]: ParamsRoute } = {`,
    ...[...routes.keys()].sort(byCodeUnit).map((m) => emitRoute(m, routes.get(m)!)),
    "};",
    "",
  ];
  const client = `ClientRequest["method"]`;
  const serverReq = `ServerRequest["method"]`;
  const notif = `ServerNotification["method"]`;
  return [
    header(input.version),
    `import type { ClientRequest } from "./ClientRequest.ts";`,
    `import type { ServerNotification } from "./ServerNotification.ts";`,
    `import type { ServerRequest } from "./ServerRequest.ts";`,
    "",
    "/** Version of the codex binary this directory was generated from. */",
    `export const CODEX_VERSION = ${q(input.version)};`,
    "",
    "/** A JSON value type, as `typeof` would name it (with `array` and `null` split out). */",
    `export type JsonType = "array" | "boolean" | "null" | "number" | "object" | "string";`,
    "",
    "/**",
    " * Where the ids of a params object live, and its required top-level shape.",
    " * `required` maps each required property to its accepted JSON types; `[]` accepts any.",
    " */",
    "export interface ParamsRoute {",
    "  readonly thread?: readonly string[];",
    "  readonly turn?: readonly string[];",
    "  readonly item?: readonly string[];",
    "  readonly required: { readonly [property: string]: readonly JsonType[] };",
    "}",
    "",
    ...list("CLIENT_REQUEST_METHODS", client, "Every client request method.", input.clientMethods),
    ...list(
      "EXPERIMENTAL_CLIENT_REQUEST_METHODS",
      client,
      "Client request methods that need `capabilities.experimentalApi`.",
      input.experimentalClientMethods,
    ),
    ...list(
      "SERVER_REQUEST_METHODS",
      serverReq,
      "Every server → client request method.",
      [...input.serverRequestRoutes.keys()],
    ),
    ...list(
      "EXPERIMENTAL_SERVER_REQUEST_METHODS",
      serverReq,
      "Server request methods only sent to `experimentalApi` clients.",
      input.experimentalServerMethods,
    ),
    ...list(
      "SERVER_NOTIFICATION_METHODS",
      notif,
      "Every server notification method.",
      [...input.notificationRoutes.keys()],
    ),
    ...table(
      "NOTIFICATION_ROUTES",
      notif,
      "Routing and shape of every notification.",
      input.notificationRoutes,
    ),
    ...table(
      "SERVER_REQUEST_ROUTES",
      serverReq,
      "Routing and shape of every server request's params.",
      input.serverRequestRoutes,
    ),
  ].join("\n");
}

interface ProvenanceInput {
  raw: RawOutput;
  copy: TsCopy;
  client: Mapped[];
  server: Mapped[];
  notifications: number;
  experimentalClient: number;
}

function emitProvenance(p: ProvenanceInput): string {
  const rules = (rule: Rule) => p.client.filter((m) => m.rule === rule).length;
  const exp = p.raw.experimental ? " --experimental" : "";
  return [
    "# Generated protocol: DO NOT EDIT",
    "",
    `Generated by \`${REGEN_COMMAND}\` from codex-cli ${p.raw.version}`,
    `(\`codex app-server generate-ts${exp}\`,`,
    `\`codex app-server generate-json-schema${exp}\`).`,
    `Verify with \`${REGEN_COMMAND} --check\`.`,
    "Import protocol types from `src/protocol/mod.ts` only.",
    "",
    "## Contents",
    "",
    `- ts-rs output: ${p.copy.files.size} files (top level, \`v2/\`, \`serde_json/\`).`,
    "  Relative imports gain `.ts` (or `/index.ts`).",
    `- \`bigint\` is widened to \`number\` (${p.copy.bigintCount} occurrences in`,
    `  ${p.copy.bigintFiles.length} files): the wire is JSON and \`JSON.parse\` yields numbers.`,
    `- \`method_maps.ts\`: ${p.client.length} client requests`,
    `  (${p.experimentalClient} experimental), ${p.server.length} server requests,`,
    `  ${p.notifications} notifications.`,
    "- `notification_routes.ts`: method lists, where thread/turn/item ids live, required shapes.",
    "- Everything is formatted with `deno fmt --line-width=100`.",
    "",
    "## How client results were mapped",
    "",
    `- ${rules("params")} by params name (\`XParams\` → \`XResponse\`)`,
    `- ${rules("method")} by method name (\`memory/reset\` → \`MemoryResetResponse\`)`,
    `- ${rules("override")} by \`RESULT_OVERRIDES\` in the script:`,
    ...p.client
      .filter((m) => m.rule === "override")
      .sort((a, b) => byCodeUnit(a.method, b.method))
      .map((m) => `  - \`${m.method}\` → \`${m.result}\``),
    "",
    "Server request results are `XParams` → `XResponse`. Every `*Response` schema is used.",
    "",
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------
// Main

async function buildInto(bin: string, tmp: string, stage: string): Promise<void> {
  const raw = await generateRaw(bin, tmp);
  const copy = await copyTs(raw);
  const stable = async (name: string) =>
    parseUnion(await Deno.readTextFile(`${raw.stableTsDir}/${name}.ts`), name).map((e) => e.method);
  const clientEntries = parseUnion(copy.files.get("ClientRequest.ts")!, "ClientRequest");
  const serverEntries = parseUnion(copy.files.get("ServerRequest.ts")!, "ServerRequest");
  const notifEntries = parseUnion(copy.files.get("ServerNotification.ts")!, "ServerNotification");

  const bundle = new SchemaBundle(
    JSON.parse(await Deno.readTextFile(`${raw.schemaDir}/${BUNDLE}`)),
  );
  const client = mapClientResults(clientEntries, copy.types);
  const server = mapServerResults(serverEntries, copy.types);
  await assertAllResponsesUsed(raw.schemaDir, new Set([...client, ...server].map((m) => m.result)));

  const routes = (union: string, entries: UnionEntry[]) => {
    const fromUnion = bundle.unionParams(union);
    return new Map(entries.map((e) => [
      e.method,
      routeOf(bundle, paramsSchema(bundle, fromUnion, e), e.method),
    ]));
  };
  const stableClient = new Set(await stable("ClientRequest"));
  const stableServer = new Set(await stable("ServerRequest"));
  const experimentalClient = clientEntries.map((e) => e.method).filter((m) => !stableClient.has(m));

  const files = new Map(copy.files);
  files.set("method_maps.ts", emitMethodMaps(raw.version, copy.types, client, server));
  files.set(
    "notification_routes.ts",
    emitRoutes({
      version: raw.version,
      clientMethods: clientEntries.map((e) => e.method),
      experimentalClientMethods: experimentalClient,
      serverRequestRoutes: routes("ServerRequest", serverEntries),
      experimentalServerMethods: serverEntries.map((e) => e.method).filter((m) =>
        !stableServer.has(m)
      ),
      notificationRoutes: routes("ServerNotification", notifEntries),
    }),
  );
  files.set(
    "PROVENANCE.md",
    emitProvenance({
      raw,
      copy,
      client,
      server,
      notifications: notifEntries.length,
      experimentalClient: experimentalClient.length,
    }),
  );
  for (const [rel, text] of files) {
    await Deno.mkdir(`${stage}/${dirOf(rel)}`, { recursive: true });
    await Deno.writeTextFile(`${stage}/${rel}`, text);
  }
  await run(Deno.execPath(), ["fmt", "--no-config", "--line-width=100", "--quiet", stage]);
}

async function readTree(dir: string): Promise<Map<string, Uint8Array>> {
  const tree = new Map<string, Uint8Array>();
  for (const rel of await listFiles(dir)) tree.set(rel, await Deno.readFile(`${dir}/${rel}`));
  return tree;
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((v, i) => v === b[i]);

function diffTrees(next: Map<string, Uint8Array>, current: Map<string, Uint8Array>): string[] {
  const out: string[] = [];
  for (const [rel, bytes] of next) {
    const old = current.get(rel);
    if (old === undefined) out.push(`added:   ${rel}`);
    else if (!sameBytes(old, bytes)) out.push(`changed: ${rel}`);
  }
  for (const rel of current.keys()) if (!next.has(rel)) out.push(`removed: ${rel}`);
  return out.sort((a, b) => byCodeUnit(a.slice(9), b.slice(9)));
}

async function writeTree(outDir: string, next: Map<string, Uint8Array>): Promise<number> {
  const current = await readTree(outDir);
  let written = 0;
  for (const [rel, bytes] of next) {
    const old = current.get(rel);
    if (old !== undefined && sameBytes(old, bytes)) continue;
    await Deno.mkdir(`${outDir}/${dirOf(rel)}`, { recursive: true });
    await Deno.writeFile(`${outDir}/${rel}`, bytes);
    written++;
  }
  for (const rel of current.keys()) {
    if (!next.has(rel)) {
      await Deno.remove(`${outDir}/${rel}`);
      written++;
    }
  }
  return written;
}

function parseArgs(args: string[]): { check: boolean; codex?: string } {
  const out: { check: boolean; codex?: string } = { check: false };
  const rest = [...args];
  for (let arg = rest.shift(); arg !== undefined; arg = rest.shift()) {
    const codex = arg === "--codex" ? rest.shift() : arg.match(/^--codex=(.+)$/)?.[1];
    if (arg === "--check") out.check = true;
    else if (codex !== undefined) out.codex = codex;
    else {
      throw new Error(
        `unknown argument ${q(arg)}; usage: ${REGEN_COMMAND} [--check] [--codex PATH]`,
      );
    }
  }
  return out;
}

async function main(): Promise<number> {
  const args = parseArgs(Deno.args);
  const bin = resolveCodexBinary(args.codex);
  const tmp = await Deno.makeTempDir({ prefix: "gen_protocol_" });
  try {
    const stage = `${tmp}/out`;
    await buildInto(bin, tmp, stage);
    const next = await readTree(stage);
    const outDir = fileURLToPath(OUT_DIR).replace(/[\\/]$/, "");
    if (args.check) {
      const diff = diffTrees(next, await readTree(outDir));
      if (diff.length === 0) {
        console.log(`src/protocol/generated is up to date (${next.size} files).`);
        return 0;
      }
      console.error(
        `src/protocol/generated differs from ${REGEN_COMMAND} output (${diff.length} files):`,
      );
      for (const line of diff) console.error(`  ${line}`);
      return 1;
    }
    const written = await writeTree(outDir, next);
    console.log(`src/protocol/generated: ${next.size} files, ${written} written or removed.`);
    return 0;
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

if (import.meta.main) {
  try {
    Deno.exit(await main());
  } catch (err) {
    console.error(`gen_protocol: ${err instanceof Error ? err.message : String(err)}`);
    Deno.exit(2);
  }
}
