import { describe, expect, it } from "vitest";
import { isKaoheError, type KaoheIssue } from "../../src/internal/errors";
import { compileRule, evaluateRule, safeEvaluateRule, type JsonLogicRule, type RuleEngineOptions } from "../../src/rules/index";

/*
 * The cases of issue 16, "Rules cannot exhaust the host": each was seen to run for seconds or
 * minutes, or to crash the process, within the default limits. Each must now stop with a coded
 * KaoheError (the safe twin returning it), or give the documented result.
 */

function failure(rule: JsonLogicRule, data: unknown, options?: RuleEngineOptions): KaoheIssue {
  const outcome = safeEvaluateRule(rule, data, options);
  if (outcome.success) throw new Error(`expected a failure, got ${JSON.stringify(outcome.data)?.slice(0, 80)}`);
  expect(isKaoheError(outcome.error)).toBe(true);
  return outcome.error.issues[0] as KaoheIssue;
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const self = { var: "" };
const double: JsonLogicRule = { cat: [{ var: "accumulator" }, { var: "accumulator" }] };

describe("rule limits on the work done", () => {
  describe("text an operator builds", () => {
    it("stops cat doubling a string 29 times with string_too_long, not a RangeError", () => {
      const issue = failure({ reduce: [range(29), double, "x"] }, {});
      expect(issue).toMatchObject({ code: "string_too_long", path: ["reduce", 1] });
      expect(issue.message).toContain("maxStringLength");
    });

    it("does not build the 256 MiB string of 28 doublings", () => {
      expect(failure({ reduce: [range(28), double, "x"] }, {}).code).toBe("string_too_long");
    });

    it("builds text up to maxStringLength and refuses one character more", () => {
      const rule = { cat: [{ var: "a" }, { var: "b" }] };
      expect((evaluateRule(rule, { a: "x".repeat(999_999), b: "y" }) as string).length).toBe(1_000_000);
      expect(failure(rule, { a: "x".repeat(1_000_000), b: "y" }).code).toBe("string_too_long");
      expect(failure(rule, { a: "abc", b: "d" }, { maxStringLength: 3 }).code).toBe("string_too_long");
    });

    it("stops a DAG of 30 cats sharing subexpressions through var over built values", () => {
      let rule: JsonLogicRule = ["ab"];
      for (let i = 0; i < 30; i++) rule = { map: [rule, { cat: [self, self] }] };
      expect(failure(rule, {}).code).toBe("string_too_long");
    });

    it("holds an array written as text to maxStringLength, and charges its elements", () => {
      const big = Array.from({ length: 100_000 }, () => "x".repeat(20));
      expect(failure({ cat: [{ var: "a" }] }, { a: big }).code).toBe("string_too_long");
      const sparse: unknown[] = [];
      sparse.length = 2 ** 32 - 1;
      expect(failure({ substr: [{ var: "a" }, 0, 1] }, { a: sparse }).code).toBe("evaluation_too_long");
    });
  });

  describe("comparisons and searches over long text", () => {
    const big = "a".repeat(2 ** 26); // 64 MiB of text
    const twin = "a".repeat(2 ** 26 - 1) + "b";
    const records = Array.from({ length: 65_536 }, () => ({ s: big, t: twin }));

    it("stops in over 64 MiB strings repeated 65,536 times inside map", () => {
      expect(failure({ map: [{ var: "list" }, { in: [{ var: "t" }, { var: "s" }] }] }, { list: records }).code).toBe("evaluation_too_long");
    });

    it("stops == and === over 64 MiB strings repeated 65,536 times inside map", () => {
      for (const op of ["==", "===", "!=", "!==", "<"]) {
        expect(failure({ map: [{ var: "list" }, { [op]: [{ var: "t" }, { var: "s" }] }] }, { list: records }).code).toBe("evaluation_too_long");
      }
    });

    it("charges the text read, so that a lower maxSteps stops one comparison of 1 MiB", () => {
      const rule = { "==": [{ var: "a" }, { var: "b" }] };
      const data = { a: "a".repeat(2 ** 20), b: "a".repeat(2 ** 20) };
      expect(evaluateRule(rule, data)).toBe(true);
      expect(failure(rule, data, { maxSteps: 10_000 }).code).toBe("evaluation_too_long");
    });

    it("refuses in over a sparse array of length 2^32 - 1 before walking it", () => {
      const sparse: unknown[] = [];
      sparse.length = 2 ** 32 - 1;
      expect(failure({ in: [1, { var: "a" }] }, { a: sparse })).toMatchObject({ code: "evaluation_too_long", path: [] });
      expect(failure({ missing: { var: "a" } }, { a: sparse }).code).toBe("evaluation_too_long");
    });
  });

  describe("missing over literal keys (split once, when compiled)", () => {
    /** The least maxSteps within which a rule evaluates. */
    function stepsOf(rule: JsonLogicRule, data: unknown): number {
      let low = 1;
      let high = 4096;
      while (low < high) {
        const mid = (low + high) >> 1;
        if (safeEvaluateRule(rule, data, { maxSteps: mid }).success) high = mid;
        else low = mid + 1;
      }
      return low;
    }
    const keyLists: JsonLogicRule[][] = [["a"], ["a", "b.c", ""], ["x.y.z", 3, "a"], ["long.path.of.four", "b", "b.c.d", null], ["k".repeat(300), `b.${"c".repeat(700)}`, "a"]];
    const data = { a: 1, b: { c: "" }, x: { y: { z: 0 } }, 3: "three" };

    it("finds what the same keys computed find, charging the same steps for them", () => {
      const overhead = stepsOf({ missing: { var: "keys" } }, { ...data, keys: [] }) - stepsOf({ missing: [] }, data);
      for (const keys of keyLists) {
        const literal = { missing: keys };
        const computed = { missing: { var: "keys" } };
        expect(evaluateRule(literal, data)).toEqual(evaluateRule(computed, { ...data, keys }));
        expect(stepsOf(computed, { ...data, keys }) - stepsOf(literal, data)).toBe(overhead);
      }
    });
  });

  describe("decimal arithmetic off the fast path", () => {
    // Without the charge, 10,000 elements of a 2-node body cost 20,000 steps, far inside 100,000.
    const budget = { maxSteps: 100_000 };
    const list = range(10_000).map(() => 3.2345678901234567e-300);
    for (const [op, left] of [["%", 1.2345678901234567e308], ["/", 0.30000000000000004], ["*", 0.30000000000000004], ["+", 1.2345678901234567e308]] as const) {
      it(`charges ${op} through decimal.js by its operands, so the step budget bounds its time`, () => {
        expect(failure({ map: [{ var: "list" }, { [op]: [left, self] }] }, { list }, budget).code).toBe("evaluation_too_long");
        // The same walk over operands on the fast path stays within the budget.
        expect(evaluateRule({ map: [{ var: "list" }, { [op]: [6, self] }] }, { list: range(10_000).map((i) => i + 1) }, budget)).toHaveLength(10_000);
      });
    }

    it("charges % by the digits of its quotient", () => {
      const rule = { "%": [{ var: "a" }, { var: "b" }] };
      expect(evaluateRule(rule, { a: 1.2345678901234567e308, b: 3.2345678901234567e-300 }, { maxSteps: 3_000 })).toBeTypeOf("number");
      expect(failure(rule, { a: 1.2345678901234567e308, b: 3.2345678901234567e-300 }, { maxSteps: 2_000 }).code).toBe("evaluation_too_long");
    });
  });

  describe("paths", () => {
    const numeric = (n: number) => range(n).map(String).join(".");

    it("refuses a literal path of 30,000 numeric segments read twice at compile time", () => {
      const path = numeric(30_000);
      const outcome = (() => {
        try {
          compileRule({ "+": [{ var: path }, { var: path }] });
        } catch (error) {
          return error;
        }
        return null;
      })();
      expect(isKaoheError(outcome) && outcome.issues[0]).toMatchObject({ code: "path_too_long", path: ["+", 0, "var"] });
    });

    it("refuses 100,000 segments the same way, without exhausting the process", () => {
      expect(failure({ "+": [{ var: numeric(100_000) }, { var: numeric(100_000) }] }, {}).code).toBe("path_too_long");
    });

    it("holds a computed path to maxPathLength at run time", () => {
      expect(failure({ var: { var: "p" } }, { p: "a.".repeat(600) }).code).toBe("path_too_long");
      expect(evaluateRule({ var: { var: "p" } }, { p: "a", a: 7 })).toBe(7);
    });

    it("accepts a path of maxPathLength characters", () => {
      const path = `a${".b".repeat(499)}c`.slice(0, 1_000);
      expect(compileRule({ var: path }).variables).toEqual([path]);
    });
  });

  describe("numeric text", () => {
    it("reads 100,000 digits followed by x without backtracking: numeral_too_long", () => {
      expect(failure({ "+": [{ var: "a" }, 1] }, { a: `${"1".repeat(100_000)}x` }).code).toBe("numeral_too_long");
    });

    it("refuses a 200,000-digit numeral", () => {
      expect(failure({ "<": [{ var: "a" }, 1] }, { a: "9".repeat(200_000) }).code).toBe("numeral_too_long");
    });

    it("still reads every form of numeral up to 400 characters", () => {
      for (const [text, value] of [["12.5", 12.5], ["-3", -3], ["+4", 4], ["1e3", 1000], ["5.", 5], [".5", 0.5], ["2E-2", 0.02], [`0.${"0".repeat(397)}1`, 0]] as const) {
        expect(evaluateRule({ "+": [{ var: "a" }] }, { a: text })).toBe(value);
      }
      for (const text of ["", ".", "-", "1e", "e3", "1.2.3", "0x10", " 1", "1 ", "Infinity", "1_000", "--1"]) {
        expect(failure({ "+": [{ var: "a" }] }, { a: text }).code).toBe("not_a_number");
      }
      expect(failure({ "+": [{ var: "a" }] }, { a: `abc${"1".repeat(500)}` }).code).toBe("not_a_number");
    });
  });

  describe("results the docs rule out", () => {
    it("gives 0, not -0, for max and min of zeros", () => {
      for (const rule of [{ max: [-0, -0] }, { min: [-0, 0] }, { min: [0, -0] }, { max: [-0] }, { max: [{ var: "a" }, { var: "a" }, { var: "b" }] }]) {
        expect(Object.is(evaluateRule(rule, { a: -0, b: -0 }), 0)).toBe(true);
      }
      // The numeric program (a path read twice) gives the same.
      expect(Object.is(evaluateRule({ max: [{ var: "a.x" }, { var: "a.x" }] }, { a: { x: -0 } }), 0)).toBe(true);
    });

    it("refuses a result beyond the largest JS number instead of Infinity", () => {
      for (const rule of [{ "*": [1e308, 10] }, { "+": [1.7e308, 1.7e308] }, { "-": [-1.7e308, 1.7e308] }, { "/": [1e308, 0.01] }, { "*": [{ var: "a" }, { var: "a" }, 1] }]) {
        const issue = failure(rule, { a: 1e200 });
        expect(issue.code).toBe("number_out_of_range");
        expect(issue.message).toContain("largest JS number");
      }
      expect(failure({ "*": [{ var: "a.x" }, { var: "a.x" }] }, { a: { x: 1e200 } }).code).toBe("number_out_of_range");
    });
  });
});
