/**
 * Reads the imports (static, re-exports, dynamic) and code lines of TypeScript files, for the
 * architecture test. Comment lines (JSDoc examples included) are left out: an example's imports
 * are a test's, not the module's.
 */

/** One source file: its repo-relative path and text. */
export interface SourceFile {
  path: string;
  source: string;
}

/** A layering rule: files in `in` (minus `except`) must not import `imports` nor use `uses`. */
export interface LayerRule {
  /** What the rule says, as a sentence (the test's name). */
  rule: string;
  /** Repo-relative prefixes of the files it checks (`"mod.ts"` is one file, `"src/"` a folder). */
  in: string[];
  /** Prefixes exempt from it. */
  except?: string[];
  /** Forbidden import targets: repo-relative prefixes (`"src/api/"`) or package names. */
  imports?: string[];
  /** Forbidden code (matched on lines that are not comments). */
  uses?: RegExp;
  /** A file that breaks the rule: the test checks that the rule catches it. */
  violation: SourceFile;
}

/** One broken rule, where. */
export interface Violation {
  rule: string;
  path: string;
  what: string;
}

const COMMENT_LINE = /^\s*(\/\/|\/\*|\*)/;
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)["']([^"']+)["']/g;

/** The file's lines that are code (comment lines blanked, so line numbers hold). */
export function codeLines(source: string): string[] {
  return source.split("\n").map((line) => COMMENT_LINE.test(line) ? "" : line);
}

/** The file's import targets: repo-relative paths for relative ones, package names otherwise. */
export function importsOf(file: SourceFile): string[] {
  const code = codeLines(file.source).join("\n");
  const targets: string[] = [];
  for (const match of code.matchAll(SPECIFIER)) targets.push(resolve(file.path, match[1]));
  return targets;
}

/** `./x.ts` from `src/a/b.ts` → `src/a/x.ts`; `npm:comlink@4` and `comlink` → `comlink`. */
export function resolve(from: string, specifier: string): string {
  if (!specifier.startsWith(".")) {
    const bare = specifier.replace(/^(npm|jsr):\/?/, "");
    const scoped = bare.startsWith("@");
    const parts = bare.split("/");
    const name = scoped ? `${parts[0]}/${parts[1]}` : parts[0];
    return name.replace(/(.)@.*$/, "$1");
  }
  const parts = from.split("/").slice(0, -1);
  for (const part of specifier.split("/")) {
    if (part === "..") parts.pop();
    else if (part !== ".") parts.push(part);
  }
  return parts.join("/");
}

function under(path: string, prefixes: readonly string[]): boolean {
  return prefixes.some((p) => path === p || path.startsWith(p));
}

/** Every place where `files` break `rule`. */
export function check(rule: LayerRule, files: readonly SourceFile[]): Violation[] {
  const found: Violation[] = [];
  for (const file of files) {
    if (!under(file.path, rule.in) || under(file.path, rule.except ?? [])) continue;
    for (const target of importsOf(file)) {
      if (rule.imports && under(target, rule.imports)) {
        found.push({ rule: rule.rule, path: file.path, what: `imports ${target}` });
      }
    }
    if (!rule.uses) continue;
    codeLines(file.source).forEach((line, i) => {
      if (rule.uses!.test(line)) {
        found.push({ rule: rule.rule, path: `${file.path}:${i + 1}`, what: line.trim() });
      }
    });
  }
  return found;
}

/** The `.ts` files under `roots` (folders or files, repo-relative), read from `repo`. */
export async function readSources(repo: URL, roots: readonly string[]): Promise<SourceFile[]> {
  const files: SourceFile[] = [];
  const visit = async (path: string): Promise<void> => {
    const url = new URL(path, repo);
    const info = await Deno.stat(url);
    if (info.isFile) {
      if (path.endsWith(".ts")) files.push({ path, source: await Deno.readTextFile(url) });
      return;
    }
    for await (const entry of Deno.readDir(url)) {
      if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
      await visit(`${path.replace(/\/$/, "")}/${entry.name}`);
    }
  };
  for (const root of roots) await visit(root);
  return files.sort((a, b) => a.path.localeCompare(b.path));
}
