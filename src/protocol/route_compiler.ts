/**
 * The route compiler: the generated route tables (where each method's params name its thread,
 * turn and item, and which top-level properties its schema requires) turned into fast readers,
 * once at load. `routes.ts` is the rule built on them; the router and the API use that.
 *
 * @module
 */

import {
  type JsonType,
  NOTIFICATION_ROUTES,
  type ParamsRoute,
  SERVER_REQUEST_ROUTES,
} from "./generated/notification_routes.ts";

export interface CompiledRoute {
  readonly thread: readonly string[] | undefined;
  readonly turn: readonly string[] | undefined;
  readonly item: readonly string[] | undefined;
  readonly required: readonly (readonly [string, readonly JsonType[]])[];
  /** True when `params` has the required shape (the fast path; the detail comes from the slow one). */
  readonly fits: (params: Record<string, unknown>) => boolean;
  readonly threadOf: (params: unknown) => string | undefined;
  readonly turnOf: (params: unknown) => string | undefined;
}

const TYPE_BITS: Readonly<Record<JsonType, number>> = {
  string: 1,
  number: 2,
  boolean: 4,
  null: 8,
  array: 16,
  object: 32,
};

/** The JSON type of a value as one bit of {@link TYPE_BITS} (0 for what JSON cannot hold). */
function typeBit(value: unknown): number {
  switch (typeof value) {
    case "string":
      return 1;
    case "number":
      return 2;
    case "boolean":
      return 4;
    case "object":
      return value === null ? 8 : Array.isArray(value) ? 16 : 32;
    default:
      return 0;
  }
}

/**
 * A test of the required top-level shape, compiled once per method: an own-property check and
 * one bit test per required key (every notification goes through it).
 */
function shapeTest(
  required: readonly (readonly [string, readonly JsonType[]])[],
): (params: Record<string, unknown>) => boolean {
  const keys = required.map(([key]) => key);
  const masks = required.map(([, types]) =>
    types.length === 0 ? 63 : types.reduce((mask, t) => mask | TYPE_BITS[t], 0)
  );
  return (params) => {
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (!Object.hasOwn(params, key) || (typeBit(params[key]) & masks[i]) === 0) return false;
    }
    return true;
  };
}

function compileRoutes(
  table: { readonly [method: string]: ParamsRoute },
): Map<string, CompiledRoute> {
  const routes = new Map<string, CompiledRoute>();
  for (const [method, route] of Object.entries(table)) {
    routes.set(method, {
      thread: route.thread,
      turn: route.turn,
      item: route.item,
      required: Object.entries(route.required),
      fits: shapeTest(Object.entries(route.required)),
      threadOf: accessor(route.thread, THREAD_FALLBACK),
      turnOf: accessor(route.turn, TURN_FALLBACK),
    });
  }
  return routes;
}

export const THREAD_FALLBACK: readonly (readonly string[])[] = [["threadId"], ["thread", "id"]];
export const TURN_FALLBACK: readonly (readonly string[])[] = [["turnId"], ["turn", "id"]];
export const ITEM_FALLBACK: readonly (readonly string[])[] = [["itemId"], ["item", "id"]];

/** A fast reader of one id path (hot path: every notification goes through it). */
export function accessor(
  path: readonly string[] | undefined,
  fallback: readonly (readonly string[])[],
): (params: unknown) => string | undefined {
  if (path === undefined) {
    return (params) => {
      for (const p of fallback) {
        const id = stringAt(params, p);
        if (id !== undefined) return id;
      }
      return undefined;
    };
  }
  if (path.length === 1) {
    const [a] = path;
    return (params) => {
      const v = isRecord(params) && Object.hasOwn(params, a) ? params[a] : undefined;
      return typeof v === "string" ? v : undefined;
    };
  }
  return (params) => stringAt(params, path);
}

export const NOTIFICATION_TABLE = compileRoutes(NOTIFICATION_ROUTES);
export const SERVER_REQUEST_TABLE = compileRoutes(SERVER_REQUEST_ROUTES);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringAt(value: unknown, path: readonly string[]): string | undefined {
  let node = value;
  for (const key of path) {
    if (!isRecord(node) || !Object.hasOwn(node, key)) return undefined;
    node = node[key];
  }
  return typeof node === "string" ? node : undefined;
}

export function idOf(
  table: Map<string, CompiledRoute>,
  field: "thread" | "turn" | "item",
  fallback: readonly (readonly string[])[],
  method: string,
  params: unknown,
): string | undefined {
  const path = table.get(method)?.[field];
  if (path !== undefined) return stringAt(params, path);
  for (const path of fallback) {
    const id = stringAt(params, path);
    if (id !== undefined) return id;
  }
  return undefined;
}

function jsonTypeOf(value: unknown): string {
  const t = typeof value;
  if (t !== "object") return t;
  if (value === null) return "null";
  return Array.isArray(value) ? "array" : "object";
}

export function shapeProblem(route: CompiledRoute, params: unknown): string | undefined {
  if (!isRecord(params)) return `params is ${jsonTypeOf(params)}, expected object`;
  if (route.fits(params)) return undefined;
  for (const [key, types] of route.required) {
    if (!Object.hasOwn(params, key)) return `missing required property "${key}"`;
    const actual = jsonTypeOf(params[key]);
    if (types.length > 0 && !(types as readonly string[]).includes(actual)) {
      return `property "${key}" is ${actual}, expected ${types.join(" | ")}`;
    }
  }
  return undefined;
}
