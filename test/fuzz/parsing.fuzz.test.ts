import { readFileSync } from "node:fs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseJsonText } from "../../src/internal/json";
import { jiangxi2025, prepareFramework, safeParseFramework, safeScoreAssessment, type Framework } from "../../src/index";
import { exampleFramework } from "../helpers";
import { expectSafe, FUZZ, globalsSnapshot, guarded } from "./guard";

/*
 * Fuzz targets of framework and assessment parsing (issue 16, "Fuzzing"): a valid framework and
 * assessment with one to three nodes replaced by hostile values, and their JSON text with bytes
 * inserted, deleted or flipped, through every entry point that reads them. Each run must end with
 * a result or a coded KaoheError, within the bound, changing no global.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const framework = exampleFramework();
const prepared = prepareFramework(framework);
const assessmentText = readFileSync(new URL("../../examples/jiangxi-2025/assessments/jian.json", import.meta.url), "utf8");
const assessment = JSON.parse(assessmentText) as Json;

/** Every path to a node of a JSON value. */
function paths(value: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...at, i], out));
  else if (typeof value === "object" && value !== null) for (const [k, v] of Object.entries(value)) paths(v, [...at, k], out);
  return out;
}

/** A copy of `value` with the node at `path` replaced (or, for "__key__", a key added beside it). */
function replaced(value: unknown, path: readonly (string | number)[], replacement: unknown, asKey: string | null): unknown {
  if (path.length === 0) {
    if (asKey !== null && typeof value === "object" && value !== null && !Array.isArray(value)) {
      const copy: Record<string, unknown> = { ...value };
      Object.defineProperty(copy, asKey, { value: replacement, enumerable: true, writable: true, configurable: true });
      return copy;
    }
    return replacement;
  }
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (Array.isArray(value)) return value.map((v, i) => (i === head ? replaced(v, rest, replacement, asKey) : v));
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  copy[head] = replaced(copy[head], rest, replacement, asKey);
  return copy;
}

function deep(levels: number): unknown {
  let v: unknown = 0;
  for (let i = 0; i < levels; i++) v = [v];
  return v;
}

const hostile = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom<unknown>(
    Number.NaN,
    Number.POSITIVE_INFINITY,
    -0,
    "-0.0",
    1e308,
    "1e3",
    `9.${"0049".repeat(20)}`,
    "",
    " ",
    "\u3000",
    "__proto__",
    undefined,
    [],
    {},
    "x".repeat(10_000),
    2 ** 53 + 1,
    deep(3_000),
    { __proto__: null, a: 1 },
  ),
);
const keys = fc.constantFrom(null, null, null, "__proto__", "constructor", "prototype", "$comment", "extra");

function mutations(base: unknown) {
  const all = paths(base);
  return fc.array(fc.tuple(fc.integer({ min: 0, max: all.length - 1 }), hostile, keys), { minLength: 1, maxLength: 3 }).map((changes) =>
    changes.reduce<unknown>((value, [at, replacement, key]) => replaced(value, all[at] as (string | number)[], replacement, key), base),
  );
}

function textEdits(text: string) {
  return fc
    .array(fc.tuple(fc.nat({ max: text.length }), fc.constantFrom("delete", "insert", "flip"), fc.constantFrom('"', "{", "}", "[", "]", ",", ":", "\\", "0", "-", "e", "\u0000", '"__proto__":1,', '"id":"x",')), {
      minLength: 1,
      maxLength: 4,
    })
    .map((edits) =>
      edits.reduce((t, [at, kind, piece]) => (kind === "delete" ? t.slice(0, at) + t.slice(at + 1) : kind === "insert" ? t.slice(0, at) + piece + t.slice(at) : t.slice(0, at) + piece + t.slice(at + 1)), text),
    );
}

let before = "";
beforeAll(() => {
  before = globalsSnapshot();
});
afterAll(() => {
  expect(globalsSnapshot()).toBe(before);
});

describe("fuzzing framework and assessment parsing", () => {
  it("parses mutated frameworks with only coded errors, in bounded time, changing no global", () => {
    fc.assert(
      fc.property(mutations(jiangxi2025), (input) => {
        const parsed = guarded(() => safeParseFramework(input));
        if (parsed === undefined) throw new Error("safeParseFramework threw");
        expectSafe(parsed);
        const scored = guarded(() => safeScoreAssessment(input, assessment));
        if (scored === undefined) throw new Error("safeScoreAssessment threw");
        expectSafe(scored);
        expect(globalsSnapshot()).toBe(before);
      }),
      { ...FUZZ, numRuns: 300 },
    );
  });

  it("scores mutated assessments with only coded errors, in bounded time, changing no global", () => {
    fc.assert(
      fc.property(mutations(assessment), fc.boolean(), (input, usePrepared) => {
        const outcome = guarded(() => safeScoreAssessment(usePrepared ? prepared : (framework as Framework), input));
        if (outcome === undefined) throw new Error("safeScoreAssessment threw");
        expectSafe(outcome);
        expect(globalsSnapshot()).toBe(before);
      }),
      { ...FUZZ, numRuns: 500 },
    );
  });

  it("reads damaged JSON text with only coded errors, and scores what it reads", () => {
    fc.assert(
      fc.property(textEdits(assessmentText), (text) => {
        const read = guarded(() => parseJsonText(text));
        if (read === undefined) throw new Error("parseJsonText threw");
        expectSafe(read);
        if (read.success) expectSafe(guarded(() => safeScoreAssessment(prepared, read.data)) ?? { success: false });
        expect(globalsSnapshot()).toBe(before);
      }),
      { ...FUZZ, numRuns: 1_000 },
    );
  });
});
