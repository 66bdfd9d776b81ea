import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileRule, RULE_OPERATORS, safeCompileRule, safeEvaluateRule, type JsonLogicRule } from "../../src/rules/index";
import { expectSafe, FUZZ, globalsSnapshot, guarded } from "./guard";

/*
 * Fuzz target of the rule compiler and evaluator (issue 16, "Fuzzing"): rules built from every
 * operator with any arguments, literals meant to hurt (huge and tiny numbers, -0, long text,
 * numerals, prototype names, deep nesting), over data of the same kind. Runs are bounded by
 * fast-check's time budget; limits are lowered so that each evaluation is small.
 */

const limits = { maxSteps: 200_000, maxStringLength: 100_000, maxArrayLength: 10_000 } as const;

const nasty = fc.constantFrom<JsonLogicRule>(
  0,
  -0,
  1e308,
  -1.7976931348623157e308,
  5e-324,
  0.30000000000000004,
  2 ** 53 + 2,
  "",
  "1e3",
  ".5",
  "1".repeat(401),
  `${"9".repeat(300)}x`,
  "__proto__",
  "constructor",
  "a.__proto__.b",
  "prototype",
  "toString",
  "length",
  "a.b.c",
  "0",
  "x".repeat(2_000),
);
const names = fc.constantFrom(...RULE_OPERATORS, "method", "Math.max", "nope", "__proto__", "constructor");

const { rule } = fc.letrec<{ rule: JsonLogicRule }>((tie) => ({
  rule: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.oneof(fc.double(), fc.integer(), fc.string({ maxLength: 8 }), fc.boolean(), fc.constant(null)) as fc.Arbitrary<JsonLogicRule>,
    nasty,
    fc.tuple(names, fc.array(tie("rule"), { maxLength: 4 })).map(([op, args]) => ({ [op]: args })),
    fc.tuple(names, tie("rule")).map(([op, arg]) => ({ [op]: arg })),
    fc.array(tie("rule"), { maxLength: 3 }),
    fc.constantFrom<JsonLogicRule>({ var: "" }, { var: "a" }, { var: "xs" }, { var: "current" }, { var: "accumulator" }, { var: ["a.b", 0] }),
    tie("rule").map((inner) => ({ map: [{ var: "xs" }, inner] })),
    tie("rule").map((inner) => ({ reduce: [{ var: "xs" }, inner, 0] })),
    tie("rule").map((inner) => ({ cat: [inner, inner, inner] })),
  ),
}));

const value = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  nasty,
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, undefined, "a".repeat(50_000)),
);
const data = fc.record({ a: value, b: value, xs: fc.array(value, { maxLength: 30 }), current: value });

let before = "";
beforeAll(() => {
  before = globalsSnapshot();
});
afterAll(() => {
  expect(globalsSnapshot()).toBe(before);
});

describe("fuzzing the rule compiler and evaluator", () => {
  it("compiles and evaluates any rule over any data with only coded errors, in bounded time, changing no global", () => {
    fc.assert(
      fc.property(rule, data, (r, d) => {
        const compiled = guarded(() => safeCompileRule(r, limits));
        if (compiled === undefined) throw new Error("safeCompileRule threw");
        expectSafe(compiled);
        if (compiled.success) {
          guarded(() => compiled.data.evaluate(d));
          const outcome = guarded(() => safeEvaluateRule(r, d, limits));
          if (outcome === undefined) throw new Error("safeEvaluateRule threw");
          expectSafe(outcome);
        }
        expect(globalsSnapshot()).toBe(before);
      }),
      FUZZ,
    );
  });

  it("survives deep, wide and self-referencing rules built by a host", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.and = [cyclic];
    for (const r of [cyclic, JSON.parse(`${'{"!":'.repeat(50_000)}1${"}".repeat(50_000)}`), { "+": Array.from({ length: 20_000 }, () => 1) }]) {
      const outcome = guarded(() => safeCompileRule(r as JsonLogicRule));
      expect(outcome?.success).toBe(false);
    }
    expect(() => compileRule({ var: "a" }).evaluate(cyclic)).not.toThrow();
  });
});
