import { builtinModules } from "node:module";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

// The core is browser-safe (docs/design.md, issue 12): nothing reachable from the library's entry
// imports a Node module. Only src/cli/ and src/screening/node/ may, and the library never reaches them.

const ROOT = resolve(import.meta.dirname, "../..");
const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)["']([^"']+)["']/gm;

function isNodeModule(specifier: string): boolean {
  return specifier.startsWith("node:") || BUILTINS.has(specifier) || BUILTINS.has(specifier.split("/")[0] ?? "");
}

/** Every module reachable from `entry` by relative imports, and every bare specifier each one imports. */
function importGraph(entry: string, resolveRelative: (from: string, spec: string) => string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (graph.has(file)) continue;
    // Drop comments first: TSDoc examples import node:fs on purpose, as a user's script would.
    const code = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
    const bare: string[] = [];
    for (const [, spec] of code.matchAll(SPECIFIER)) {
      if (spec === undefined) continue;
      if (spec.startsWith(".")) queue.push(resolveRelative(file, spec));
      else bare.push(spec);
    }
    graph.set(file, bare);
  }
  return graph;
}

function nodeImports(graph: Map<string, string[]>): string[] {
  return [...graph].flatMap(([file, specs]) =>
    specs.filter(isNodeModule).map((spec) => `${file.slice(ROOT.length + 1)} imports ${spec}`),
  );
}

function resolveSource(from: string, spec: string): string {
  const base = resolve(dirname(from), spec);
  for (const candidate of [`${base}.ts`, join(base, "index.ts"), base]) if (existsSync(candidate)) return candidate;
  throw new Error(`${from}: cannot resolve ${spec}`);
}

describe("the library's import graph", () => {
  it("reaches no Node module from src/index.ts, and none of src/cli or src/screening/node", () => {
    const graph = importGraph(join(ROOT, "src/index.ts"), resolveSource);
    expect(graph.size).toBeGreaterThan(40);
    expect(nodeImports(graph)).toEqual([]);
    const nodeOnly = [...graph.keys()].filter((f) => /src\/(cli|screening\/node)\//.test(f));
    expect(nodeOnly).toEqual([]);
    const bare = new Set([...graph.values()].flat());
    expect([...bare].sort()).toEqual(["@noble/hashes/sha2.js", "@noble/hashes/utils.js", "decimal.js", "zod/locales", "zod/mini"]);
  });

  it("keeps the framework-authoring modules out of src/index.ts: they are the subpath entry kaohe/authoring", () => {
    const main = [...importGraph(join(ROOT, "src/index.ts"), resolveSource).keys()];
    const authoring = /src\/(model\/(table|table-[a-z]+|text-diff|diff|diff-report|derive)|scoring\/fit)\.ts$/;
    expect(main.filter((f) => authoring.test(f))).toEqual([]);
    const graph = importGraph(join(ROOT, "src/authoring/index.ts"), resolveSource);
    expect([...graph.keys()].filter((f) => authoring.test(f)).length).toBeGreaterThanOrEqual(13);
    expect(nodeImports(graph)).toEqual([]);
    expect([...graph.keys()].filter((f) => /src\/(cli|screening\/node)\//.test(f))).toEqual([]);
  });

  it("reaches no Node module, nor src/cli, from the subpath entry kaohe/loop (src/loop/index.ts)", () => {
    const graph = importGraph(join(ROOT, "src/loop/index.ts"), resolveSource);
    expect(graph.has(join(ROOT, "src/screening/loop/dated.ts"))).toBe(true);
    expect(nodeImports(graph)).toEqual([]);
    expect([...graph.keys()].filter((f) => /src\/(cli|screening\/node)\//.test(f))).toEqual([]);
  });

  it("would catch a Node import (the walker sees through to a leaf)", () => {
    const graph = importGraph(join(ROOT, "src/screening/node/pool.ts"), resolveSource);
    expect(nodeImports(graph)).toContain("src/screening/node/pool.ts imports node:fs");
    expect(isNodeModule("fs/promises") && isNodeModule("worker_threads") && !isNodeModule("zod")).toBe(true);
  });

  const built = [join(ROOT, "dist/index.js"), join(ROOT, "dist/index.cjs")];
  it.skipIf(!built.every(existsSync) && process.env.CI !== "1")(
    "reaches no Node module from the built dist/index.js and dist/index.cjs (skipped before `npm run build`)",
    () => {
      for (const entry of built) {
        const graph = importGraph(entry, (from, spec) => resolve(dirname(from), spec));
        expect(nodeImports(graph), entry).toEqual([]);
        expect([...new Set([...graph.values()].flat())].sort(), entry).toEqual(["decimal.js", "zod/locales", "zod/mini"]);
      }
    },
  );
});
