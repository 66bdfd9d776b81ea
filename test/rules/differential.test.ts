import { Decimal } from "decimal.js";
import fc from "fast-check";
import jsonLogic from "json-logic-js";
import { describe, expect, it } from "vitest";
import { isKaoheError } from "../../src/internal/errors";
import { compileRule, evaluateRule, type JsonLogicRule } from "../../src/rules/index";

/*
 * Differential tests: generated rules and data, compared with json-logic-js wherever the two must
 * agree (integer arithmetic that stays exact in binary, division rounded once, logic, comparisons,
 * iteration, text), and with decimal.js where kaohe must be exact and json-logic-js is not.
 */

const small = fc.integer({ min: -50, max: 50 });
const data = fc.record({
  a: small,
  b: small,
  c: fc.integer({ min: 1, max: 9 }),
  xs: fc.array(small, { maxLength: 6 }),
  name: fc.constantFrom("张三", "李四", "王五", ""),
});
const intVar = fc.constantFrom({ var: "a" }, { var: "b" }, { var: "c" }, { var: ["missing", 7] });

const { bool, int } = fc.letrec<{ int: JsonLogicRule; bool: JsonLogicRule }>((tie) => ({
  int: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    small,
    intVar,
    fc.tuple(tie("int"), tie("int")).map(([x, y]) => ({ "+": [x, y] })),
    fc.tuple(tie("int"), tie("int")).map(([x, y]) => ({ "-": [x, y] })),
    fc.tuple(tie("int"), tie("int")).map(([x, y]) => ({ "*": [x, y] })),
    fc.tuple(tie("int"), fc.integer({ min: 1, max: 7 })).map(([x, y]) => ({ "%": [x, y] })),
    fc.array(tie("int"), { minLength: 1, maxLength: 3 }).map((xs) => ({ max: xs })),
    fc.array(tie("int"), { minLength: 1, maxLength: 3 }).map((xs) => ({ min: xs })),
    fc.tuple(tie("bool"), tie("int"), tie("int")).map(([c, x, y]) => ({ if: [c, x, y] })),
    fc.constant({ reduce: [{ var: "xs" }, { "+": [{ var: "current" }, { var: "accumulator" }] }, 0] }),
  ),
  bool: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.boolean(),
    fc.tuple(fc.constantFrom("<", "<=", ">", ">=", "==", "===", "!=", "!=="), tie("int"), tie("int")).map(([op, x, y]) => ({ [op]: [x, y] })),
    fc.tuple(tie("int"), tie("int"), tie("int")).map(([x, y, z]) => ({ "<": [x, y, z] })),
    fc.tuple(tie("int"), fc.integer({ min: 1, max: 9 })).map(([x, y]) => ({ "<": [{ "/": [x, y] }, { "/": [y, 3] }] })),
    tie("bool").map((x) => ({ "!": [x] })),
    fc.array(tie("bool"), { minLength: 1, maxLength: 3 }).map((xs) => ({ and: xs })),
    fc.array(tie("bool"), { minLength: 1, maxLength: 3 }).map((xs) => ({ or: xs })),
    fc.tuple(fc.constantFrom("some", "all", "none"), fc.constantFrom("<", ">=", "=="), small).map(([q, op, n]) => ({ [q]: [{ var: "xs" }, { [op]: [{ var: "" }, n] }] })),
    fc.tuple(tie("int"), fc.array(small, { maxLength: 4 })).map(([x, list]) => ({ in: [x, list] })),
    fc.constantFrom({ in: ["张", { var: "name" }] }, { missing: ["a", "zz"] }, { missing_some: [2, ["a", "b", "zz"]] }),
  ),
}));

/** JSON text of a result: -0 (which json-logic-js gives and kaohe never does) reads as 0. */
const json = (value: unknown): string => JSON.stringify(value) ?? "undefined";

const anything: fc.Arbitrary<JsonLogicRule> = fc.oneof(
  int,
  bool,
  fc.tuple(int, int).map(([x, y]) => ({ cat: [x, "-", y] })),
  fc.tuple(small, small).map(([n, m]) => ({ map: [{ var: "xs" }, { if: [{ "<": [{ var: "" }, n] }, { "*": [{ var: "" }, 2] }, m] }] })),
  fc.tuple(fc.constantFrom("<", ">"), small).map(([op, n]) => ({ filter: [{ var: "xs" }, { [op]: [{ var: "" }, n] }] })),
  fc.tuple(int, int).map(([x, y]) => ({ merge: [{ var: "xs" }, x, [y]] })),
  fc.tuple(int, fc.integer({ min: 1, max: 9 })).map(([x, y]) => ({ "/": [x, y] })),
);

describe("kaohe against json-logic-js", () => {
  it("agrees on generated rules over integers, logic, comparisons, iteration and text", () => {
    fc.assert(
      fc.property(anything, data, (rule, record) => {
        expect(json(evaluateRule(rule, record))).toBe(json(jsonLogic.apply(rule as never, record)));
      }),
      { numRuns: 3_000 },
    );
  });

  it("agrees through a prepared rule applied to many records", () => {
    fc.assert(
      fc.property(anything, fc.array(data, { minLength: 1, maxLength: 5 }), (rule, records) => {
        const prepared = compileRule(rule);
        for (const record of records) expect(json(prepared.evaluate(record))).toBe(json(jsonLogic.apply(rule as never, record)));
      }),
      { numRuns: 500 },
    );
  });
});

describe("kaohe against decimal.js where json-logic-js is inexact", () => {
  const Ref = Decimal.clone({ precision: 200 });
  const money = fc.integer({ min: -10_000_000, max: 10_000_000 }).map((n) => n / 100);

  it("sums and products of money amounts fold left, each step exact and rounded once", () => {
    fc.assert(
      fc.property(fc.array(money, { minLength: 1, maxLength: 6 }), fc.constantFrom("+", "*"), (amounts, op) => {
        const stepwise = amounts.slice(1).reduce((acc, x) => (op === "+" ? new Ref(acc).plus(x) : new Ref(acc).times(x)).toNumber(), amounts[0] as number);
        // + 0: kaohe returns no negative zero (decimal.js gives -0 for 0 × -0.01).
        expect(evaluateRule({ [op]: amounts.map((_, i) => ({ var: `m.${i}` })) }, { m: amounts })).toBe(stepwise + 0);
      }),
    );
  });

  it("sums and products are exact decimals whenever every partial result has at most 15 digits", () => {
    fc.assert(
      fc.property(fc.array(money, { minLength: 1, maxLength: 4 }), fc.constantFrom("+", "*"), (amounts, op) => {
        let exact = new Ref(amounts[0] as number);
        for (const x of amounts.slice(1)) {
          exact = op === "+" ? exact.plus(x) : exact.times(x);
          fc.pre(exact.sd() <= 15);
        }
        const result = evaluateRule({ [op]: amounts }, null) as number;
        expect(String(result)).toBe(exact.toNumber().toString());
        expect(new Ref(result).eq(exact)).toBe(true);
      }),
    );
  });

  it("a sum equals the same decimal written as a literal", () => {
    fc.assert(
      fc.property(money, money, (x, y) => {
        const exact = new Ref(x).plus(y).toNumber();
        return evaluateRule({ "==": [{ "+": [x, y] }, exact] }, null) === true;
      }),
    );
  });

  it("never throws anything but a KaoheError for arbitrary JSON data", () => {
    fc.assert(
      fc.property(anything, fc.jsonValue(), (rule, record) => {
        try {
          evaluateRule(rule, record);
        } catch (error) {
          expect(isKaoheError(error)).toBe(true);
        }
      }),
      { numRuns: 1_000 },
    );
  });
});
