import {
  classifyNotification,
  CLIENT_REQUEST_METHODS,
  EXPERIMENTAL_CLIENT_REQUEST_METHODS,
  isClientRequestMethod,
  isServerNotificationMethod,
  isServerRequestMethod,
  type Notification,
  notificationItemId,
  type NotificationParams,
  notificationThreadId,
  notificationTurnId,
  PINNED_CODEX_VERSION,
  type RequestParams,
  type RequestResult,
  SERVER_NOTIFICATION_METHODS,
  SERVER_REQUEST_METHODS,
  type ServerRequestParams,
  type ServerRequestResult,
  serverRequestThreadId,
  serverRequestTurnId,
  type ThreadStartResponse,
  type TurnCompletedNotification,
  type TurnStartParams,
  type v2,
} from "../src/protocol/mod.ts";
import {
  type JsonType,
  NOTIFICATION_ROUTES,
} from "../src/protocol/generated/notification_routes.ts";
import { CodexBinaryNotFoundError, resolveCodexBinary } from "../src/transport/codex_binary.ts";

function assertEquals<T>(actual: T, expected: T, what = "value"): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

// Compile-time equality: `check<Equal<A, B>>(true)` fails to type-check unless A and B match.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true
  : false;
function check<T extends true>(_: T): void {}

const REPO_ROOT = new URL("../", import.meta.url);

Deno.test("committed src/protocol/generated matches what the pinned codex binary generates", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "scripts/gen_protocol.ts", "--check"],
    cwd: REPO_ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  if (!out.success) {
    throw new Error(`gen_protocol --check failed; run \`deno task gen\`:\n${text}`);
  }
});

Deno.test("PINNED_CODEX_VERSION matches the @openai/codex pin in deno.json", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", REPO_ROOT)));
  const pin = String(config.imports?.["@openai/codex"] ?? "");
  assertEquals(pin, `npm:@openai/codex@${PINNED_CODEX_VERSION}`, "deno.json pin");
});

Deno.test("notificationTurnId reads turn.id for turn/completed", () => {
  const params = { threadId: "th-1", turn: { id: "tu-1", items: [], status: "completed" } };
  assertEquals(notificationTurnId("turn/completed", params), "tu-1");
  assertEquals(notificationThreadId("turn/completed", params), "th-1");
});

Deno.test("notificationTurnId reads turnId for item/agentMessage/delta", () => {
  const params = { threadId: "th-1", turnId: "tu-1", itemId: "it-1", delta: "Hi" };
  assertEquals(notificationTurnId("item/agentMessage/delta", params), "tu-1");
  assertEquals(notificationThreadId("item/agentMessage/delta", params), "th-1");
  assertEquals(notificationItemId("item/agentMessage/delta", params), "it-1");
});

Deno.test("notificationThreadId reads thread.id for thread/started, which has no turn", () => {
  const params = { thread: { id: "th-1", turns: [] } };
  assertEquals(notificationThreadId("thread/started", params), "th-1");
  assertEquals(notificationTurnId("thread/started", params), undefined);
});

Deno.test("notificationItemId reads item.id for item/started", () => {
  const params = { threadId: "th", turnId: "tu", startedAtMs: 0, item: { type: "plan", id: "it" } };
  assertEquals(notificationItemId("item/started", params), "it");
});

Deno.test("unknown notification methods fall back to params.turnId and params.threadId", () => {
  const params = { threadId: "th-1", turnId: "tu-1" };
  assertEquals(notificationTurnId("future/event", params), "tu-1");
  assertEquals(notificationThreadId("future/event", params), "th-1");
});

Deno.test("unknown notification methods fall back to params.turn.id and params.thread.id", () => {
  const params = { thread: { id: "th-1" }, turn: { id: "tu-1" } };
  assertEquals(notificationTurnId("future/event", params), "tu-1");
  assertEquals(notificationThreadId("future/event", params), "th-1");
});

Deno.test("routing ignores non-string ids and non-object params", () => {
  assertEquals(notificationTurnId("item/agentMessage/delta", { turnId: 7 }), undefined);
  assertEquals(notificationThreadId("future/event", null), undefined);
  assertEquals(notificationTurnId("future/event", "tu-1"), undefined);
  assertEquals(notificationThreadId("future/event", { thread: ["th-1"] }), undefined);
});

Deno.test("notifications without ids in the schema (account/updated) have no thread or turn", () => {
  const params = { authMode: null, planType: null };
  assertEquals(notificationThreadId("account/updated", params), undefined);
  assertEquals(notificationTurnId("account/updated", params), undefined);
});

Deno.test("server request ids route approvals to their thread and turn", () => {
  const params = { threadId: "th", turnId: "tu", itemId: "it", startedAtMs: 1, kind: "command" };
  assertEquals(serverRequestThreadId("item/commandExecution/requestApproval", params), "th");
  assertEquals(serverRequestTurnId("item/commandExecution/requestApproval", params), "tu");
  assertEquals(serverRequestTurnId("execCommandApproval", { conversationId: "c" }), undefined);
});

Deno.test("classifyNotification types a known notification with the generated shape", () => {
  const params = { threadId: "th", turnId: "tu", itemId: "it", delta: "Hello" };
  const n: Notification = classifyNotification("item/agentMessage/delta", params);
  if (n.unknown) throw new Error(`expected a typed notification, got ${n.reason}: ${n.detail}`);
  if (n.method !== "item/agentMessage/delta") throw new Error(`wrong method ${n.method}`);
  assertEquals(n.params.delta, "Hello");
  assertEquals(n.params, params, "params are passed through untouched");
});

Deno.test("classifyNotification returns unknownMethod for methods outside the schema", () => {
  const n = classifyNotification("future/event", { turnId: "tu" });
  if (!n.unknown) throw new Error("expected unknown");
  assertEquals(n.reason, "unknownMethod");
  assertEquals(n.method, "future/event");
  assertEquals(n.params, { turnId: "tu" });
});

Deno.test("classifyNotification does not treat Object.prototype keys as methods", () => {
  for (const method of ["toString", "constructor", "__proto__", "hasOwnProperty"]) {
    const n = classifyNotification(method, {});
    assertEquals(n.unknown === true && n.reason, "unknownMethod", method);
  }
});

Deno.test("classifyNotification returns invalidShape for item/agentMessage/delta with delta: 5", () => {
  const n = classifyNotification("item/agentMessage/delta", {
    threadId: "th",
    turnId: "tu",
    itemId: "it",
    delta: 5,
  });
  if (!n.unknown) throw new Error("expected invalidShape");
  assertEquals(n.reason, "invalidShape");
  if (!n.detail?.includes("delta")) throw new Error(`detail should name delta: ${n.detail}`);
});

Deno.test("classifyNotification returns invalidShape for missing properties and non-object params", () => {
  const missing = classifyNotification("turn/completed", { threadId: "th" });
  assertEquals(missing.unknown === true && missing.reason, "invalidShape", "missing turn");
  for (const params of [null, undefined, "x", [1], 3]) {
    const n = classifyNotification("thread/closed", params);
    assertEquals(n.unknown === true && n.reason, "invalidShape", JSON.stringify(params));
  }
});

Deno.test("the shape check flags a missing, inherited or mistyped required property of every method", () => {
  const sample: Record<JsonType, unknown> = {
    string: "s",
    number: 1,
    boolean: true,
    null: null,
    array: [],
    object: {},
  };
  const all = Object.keys(sample) as JsonType[];
  for (const [method, route] of Object.entries(NOTIFICATION_ROUTES)) {
    const required = Object.entries(route.required);
    const valid: Record<string, unknown> = {};
    for (const [key, types] of required) valid[key] = sample[types[0] ?? "string"];
    assertEquals(classifyNotification(method, valid).unknown, undefined, `${method} valid`);
    for (const [key, types] of required) {
      const { [key]: _, ...missing } = valid;
      const n = classifyNotification(method, missing);
      assertEquals(n.unknown === true && n.detail, `missing required property "${key}"`, method);
      const inherited = Object.assign(Object.create({ [key]: valid[key] }), missing);
      assertEquals(classifyNotification(method, inherited).unknown, true, `${method} inherited`);
      const wrong = all.find((t) => types.length > 0 && !types.includes(t));
      if (wrong === undefined) continue;
      const m = classifyNotification(method, { ...valid, [key]: sample[wrong] });
      assertEquals(m.unknown === true && m.reason, "invalidShape", `${method}.${key} as ${wrong}`);
    }
  }
});

Deno.test("classifyNotification accepts null for nullable required properties", () => {
  const n = classifyNotification("thread/section/changed", { threadId: "th", sectionId: null });
  assertEquals(n.unknown, undefined);
});

Deno.test("classifyNotification accepts notifications seen from the real app-server", () => {
  const seen: [string, unknown][] = [
    ["configWarning", { summary: "Codex could not find bubblewrap on PATH.", details: null }],
    ["remoteControl/status/changed", {
      status: "disabled",
      serverName: "vm",
      installationId: "i",
      environmentId: null,
    }],
    ["serverRequest/resolved", { threadId: "th", requestId: 0 }],
    ["thread/status/changed", { threadId: "th", status: { type: "idle" } }],
    ["error", {
      threadId: "th",
      turnId: "tu",
      willRetry: true,
      error: { message: "x", codexErrorInfo: null, additionalDetails: null },
    }],
  ];
  for (const [method, params] of seen) {
    const n = classifyNotification(method, params);
    if (n.unknown) throw new Error(`${method}: ${n.reason} ${n.detail ?? ""}`);
  }
});

Deno.test("method lists are sorted, unique and agree with the type guards", () => {
  const lists: [string, readonly string[], (m: string) => boolean][] = [
    ["client requests", CLIENT_REQUEST_METHODS, isClientRequestMethod],
    ["server requests", SERVER_REQUEST_METHODS, isServerRequestMethod],
    ["notifications", SERVER_NOTIFICATION_METHODS, isServerNotificationMethod],
  ];
  for (const [name, list, guard] of lists) {
    assertEquals([...new Set(list)].sort(), [...list], `${name} sorted and unique`);
    if (!list.every(guard)) throw new Error(`${name}: guard rejects a listed method`);
  }
  if (!CLIENT_REQUEST_METHODS.includes("turn/start")) throw new Error("turn/start missing");
  if (!SERVER_REQUEST_METHODS.includes("item/commandExecution/requestApproval")) {
    throw new Error("command approval missing");
  }
  if (!EXPERIMENTAL_CLIENT_REQUEST_METHODS.every(isClientRequestMethod)) {
    throw new Error("experimental methods must be client request methods");
  }
  if (isClientRequestMethod("turn/completed") || isServerRequestMethod("turn/start")) {
    throw new Error("guards must not mix method kinds");
  }
});

Deno.test("method maps derive params and result types from the generated unions", () => {
  check<Equal<RequestResult<"thread/start">, ThreadStartResponse>>(true);
  check<Equal<RequestParams<"turn/start">, TurnStartParams>>(true);
  check<Equal<RequestParams<"memory/reset">, undefined>>(true);
  check<Equal<RequestResult<"memory/reset">, v2.MemoryResetResponse>>(true);
  check<Equal<RequestResult<"account/logout">, v2.LogoutAccountResponse>>(true);
  check<Equal<RequestResult<"config/batchWrite">, v2.ConfigWriteResponse>>(true);
  check<Equal<NotificationParams<"turn/completed">, TurnCompletedNotification>>(true);
  check<
    Equal<
      ServerRequestResult<"item/commandExecution/requestApproval">,
      v2.CommandExecutionRequestApprovalResponse
    >
  >(true);
  check<Equal<ServerRequestParams<"item/tool/call">["tool"], string>>(true);
  // @ts-expect-error: a wrong mapping must not type-check
  check<Equal<RequestResult<"thread/start">, v2.TurnStartResponse>>(true);
});

Deno.test("resolveCodexBinary finds the pinned native binary from any cwd", () => {
  const previous = Deno.cwd();
  Deno.chdir(Deno.build.os === "windows" ? "C:\\" : "/");
  try {
    const bin = resolveCodexBinary();
    if (!Deno.statSync(bin).isFile) throw new Error(`${bin} is not a file`);
    if (!bin.includes("vendor")) throw new Error(`expected the vendored native binary: ${bin}`);
  } finally {
    Deno.chdir(previous);
  }
});

Deno.test("resolveCodexBinary rejects a missing override with CODEX_BINARY_NOT_FOUND", () => {
  try {
    resolveCodexBinary("/no/such/dir/codex");
  } catch (err) {
    if (!(err instanceof CodexBinaryNotFoundError)) throw err;
    assertEquals(err.code, "CODEX_BINARY_NOT_FOUND");
    assertEquals(err.triedPaths, ["/no/such/dir/codex"]);
    if (!err.message.includes("/no/such/dir/codex")) throw new Error("message lists the path");
    return;
  }
  throw new Error("expected CodexBinaryNotFoundError");
});
