import jsonLogic from "json-logic-js";
import { describe, expect, it } from "vitest";
import { isKaoheError } from "../../src/internal/errors";
import { evaluateRule, RULE_OPERATORS, type JsonLogicRule } from "../../src/rules/index";

/** What kaohe answers: a value, or an error with this code. */
type Outcome = { readonly value: unknown } | { readonly error: string };

interface OperatorCase {
  readonly description: string;
  readonly rule: JsonLogicRule;
  readonly data?: unknown;
  readonly kaohe: Outcome;
}

interface Difference extends OperatorCase {
  /** json-logic-js 2.0.5's answer (a value, or "throws"), asserted too so the list stays true. */
  readonly jsonLogicJs: unknown;
}

function outcome(rule: JsonLogicRule, data: unknown): Outcome {
  try {
    return { value: evaluateRule(rule, data) };
  } catch (error) {
    if (isKaoheError(error)) return { error: error.issues[0]?.code ?? "?" };
    throw error;
  }
}

/** Semantics that json-logic-js shares, beyond the public suite. */
const CASES: readonly OperatorCase[] = [
  { description: "the between form of <= includes both ends", rule: { "<=": [1, 1, 1] }, kaohe: { value: true } },
  { description: "the between form of < stops at the first failing pair", rule: { "<": [5, 1, 3] }, kaohe: { value: false } },
  { description: "numbers and numeric text compare by value", rule: { "<": ["10", 9.5] }, kaohe: { value: false } },
  { description: "two texts compare by code units", rule: { "<": ["10", "9"] }, kaohe: { value: true } },
  { description: "== compares a number with numeric text by value", rule: { "==": [0.3, "0.3"] }, kaohe: { value: true } },
  { description: "== treats null and a missing value as equal", rule: { "==": [null, { var: "nope" }] }, kaohe: { value: true } },
  { description: "max picks the largest of numbers and numeric text", rule: { max: [1, "7.5", 3] }, kaohe: { value: 7.5 } },
  { description: "unary minus negates", rule: { "-": [2.5] }, kaohe: { value: -2.5 } },
  { description: "+ of nothing is 0", rule: { "+": [] }, kaohe: { value: 0 } },
  { description: "cat writes null as nothing and arrays joined by commas", rule: { cat: ["a", null, [1, [2, 3]], true] }, kaohe: { value: "a1,2,3true" } },
  { description: "in finds text within text", rule: { in: ["户", "农户"] }, kaohe: { value: true } },
  { description: "in is false for anything but text or an array", rule: { in: [1, 1] }, kaohe: { value: false } },
  { description: "substr with a negative length stops before the end", rule: { substr: ["脱贫攻坚成果", 2, -1] }, kaohe: { value: "攻坚成" } },
  { description: "var reads the length of an array", rule: { var: "list.length" }, data: { list: [1, 2, 3] }, kaohe: { value: 3 } },
  { description: "var reads a character of a text", rule: { var: "name.0" }, data: { name: "张三" }, kaohe: { value: "张" } },
  { description: "var returns a stored null rather than the default", rule: { var: ["a", 5] }, data: { a: null }, kaohe: { value: null } },
  { description: "var uses a computed default only when the value is missing", rule: { var: ["b", { "+": [1, 2] }] }, data: {}, kaohe: { value: 3 } },
  { description: "missing counts empty text as missing", rule: { missing: ["a", "b"] }, data: { a: "", b: 0 }, kaohe: { value: ["a"] } },
  { description: "reduce starts from null without an initial value", rule: { reduce: [[1], { var: "accumulator" }] }, kaohe: { value: null } },
  { description: "map over a non-array gives an empty array", rule: { map: [5, 1] }, kaohe: { value: [] } },
  { description: "none of an empty array is true", rule: { none: [[], true] }, kaohe: { value: true } },
  { description: "merge spreads arrays one level only", rule: { merge: [[1, [2]], 3] }, kaohe: { value: [1, [2], 3] } },
  { description: "?: with a false condition takes the else branch", rule: { "?:": [[], "yes", "no"] }, kaohe: { value: "no" } },
];

/**
 * Deliberate differences from json-logic-js 2.0.5 (docs/rules.md, "Differences from
 * json-logic-js"). Each is asserted both ways.
 */
const DIFFERENCES: readonly Difference[] = [
  { description: "sums are exact decimals", rule: { "+": [0.1, 0.2] }, kaohe: { value: 0.3 }, jsonLogicJs: 0.30000000000000004 },
  { description: "products are exact decimals", rule: { "*": [1.1, 3] }, kaohe: { value: 3.3 }, jsonLogicJs: 3.3000000000000003 },
  { description: "differences are exact decimals", rule: { "-": [0.3, 0.1] }, kaohe: { value: 0.2 }, jsonLogicJs: 0.19999999999999998 },
  { description: "quotients are exact, then rounded once", rule: { "/": [0.3, 0.1] }, kaohe: { value: 3 }, jsonLogicJs: 2.9999999999999996 },
  { description: "remainders are exact decimals", rule: { "%": [0.3, 0.1] }, kaohe: { value: 0 }, jsonLogicJs: 0.09999999999999998 },
  { description: "equality after arithmetic holds", rule: { "==": [{ "+": [0.1, 0.2] }, 0.3] }, kaohe: { value: true }, jsonLogicJs: false },
  { description: "no result is negative zero", rule: { "%": [-1, 1] }, kaohe: { value: 0 }, jsonLogicJs: -0 },
  { description: "dividing by zero is an error, not Infinity", rule: { "/": [1, 0] }, kaohe: { error: "division_by_zero" }, jsonLogicJs: Infinity },
  { description: "a remainder by zero is an error, not NaN", rule: { "%": [1, 0] }, kaohe: { error: "division_by_zero" }, jsonLogicJs: Number.NaN },
  { description: "arithmetic on text that is not a number is an error, not NaN", rule: { "+": ["abc", 1] }, kaohe: { error: "not_a_number" }, jsonLogicJs: Number.NaN },
  { description: "+ reads whole numerals only, not a numeric prefix", rule: { "+": ["12abc"] }, kaohe: { error: "not_a_number" }, jsonLogicJs: 12 },
  { description: "arithmetic on a missing value (null) is an error", rule: { "-": [{ var: "income" }, 1] }, data: {}, kaohe: { error: "not_a_number" }, jsonLogicJs: -1 },
  { description: "arithmetic on a boolean is an error", rule: { "-": [true, 1] }, kaohe: { error: "not_a_number" }, jsonLogicJs: 0 },
  { description: "ordering a missing value (null) is an error", rule: { "<": [{ var: "income" }, 5000] }, data: {}, kaohe: { error: "not_comparable" }, jsonLogicJs: true },
  { description: "ordering a boolean is an error", rule: { ">": [true, 0] }, kaohe: { error: "not_comparable" }, jsonLogicJs: true },
  { description: "ordering non-numeric text against a number is an error", rule: { "<": ["abc", 1] }, kaohe: { error: "not_a_number" }, jsonLogicJs: false },
  { description: "== never converts an array to text", rule: { "==": [[1], 1] }, kaohe: { value: false }, jsonLogicJs: true },
  { description: "max of nothing is refused when compiled", rule: { max: [] }, kaohe: { error: "invalid_arguments" }, jsonLogicJs: -Infinity },
  { description: "a division needs two operands", rule: { "/": [1] }, kaohe: { error: "invalid_arguments" }, jsonLogicJs: Number.NaN },
  { description: "and needs at least one operand", rule: { and: [] }, kaohe: { error: "invalid_arguments" }, jsonLogicJs: undefined },
  { description: "an object with two keys is not a rule", rule: { a: 1, b: 2 } as unknown as JsonLogicRule, kaohe: { error: "invalid_rule" }, jsonLogicJs: { a: 1, b: 2 } },
  { description: "var does not read inherited properties", rule: { var: "toString" }, data: {}, kaohe: { value: null }, jsonLogicJs: Object.prototype.toString },
  { description: "var refuses __proto__ when compiled", rule: { var: "__proto__" }, data: {}, kaohe: { error: "unsafe_path" }, jsonLogicJs: Object.prototype },
  { description: "var refuses constructor when compiled", rule: { var: "a.constructor" }, data: { a: 1 }, kaohe: { error: "unsafe_path" }, jsonLogicJs: Number },
  { description: "method is refused when compiled", rule: { method: ["abc", "toUpperCase"] }, kaohe: { error: "unsafe_operator" }, jsonLogicJs: "throws" },
  { description: "log is pure: it returns its value and writes nothing", rule: { log: ["quiet"] }, kaohe: { value: "quiet" }, jsonLogicJs: "quiet" },
  { description: "in does not call an indexOf found in the data", rule: { in: [1, { var: "o" }] }, data: { o: { indexOf: 1 } }, kaohe: { value: false }, jsonLogicJs: "throws" },
  { description: "missing_some needs an array of keys", rule: { missing_some: [1, "a"] }, kaohe: { error: "invalid_arguments" }, jsonLogicJs: ["a"] },
];

describe("standard operators", () => {
  it("are exactly the JSON Logic operators (log made pure), nothing else", () => {
    expect(RULE_OPERATORS).toEqual(
      ["!", "!!", "!=", "!==", "%", "*", "+", "-", "/", "<", "<=", "==", "===", ">", ">=", "?:", "all", "and", "cat", "filter", "if", "in", "log", "map", "max", "merge", "min", "missing", "missing_some", "none", "or", "reduce", "some", "substr", "var"].sort(),
    );
  });

  describe("where kaohe and json-logic-js agree", () => {
    for (const c of CASES) {
      it(c.description, () => {
        expect(outcome(c.rule, c.data ?? null)).toEqual(c.kaohe);
        if ("value" in c.kaohe) expect(jsonLogic.apply(c.rule as never, c.data ?? null)).toEqual(c.kaohe.value);
      });
    }
  });

  describe("where kaohe differs from json-logic-js on purpose", () => {
    for (const c of DIFFERENCES) {
      it(c.description, () => {
        expect(outcome(c.rule, c.data ?? null)).toEqual(c.kaohe);
        let theirs: unknown;
        try {
          theirs = jsonLogic.apply(c.rule as never, c.data ?? null);
        } catch {
          theirs = "throws";
        }
        expect(theirs).toEqual(c.jsonLogicJs);
      });
    }
  });
});
