import { describe, expect, it } from "vitest";
import { isKaoheError, type KaoheIssue } from "../../src/internal/errors";
import { compileRule, evaluateRule, safeCompileRule, safeEvaluateRule, type JsonLogicRule } from "../../src/rules/index";

/** The first issue of a failed call, which every adversarial case must produce (never a crash). */
function issueOf(run: () => unknown): KaoheIssue {
  try {
    run();
  } catch (error) {
    if (isKaoheError(error)) return error.issues[0] as KaoheIssue;
    throw error;
  }
  throw new Error("expected a KaoheError");
}

function nest(levels: number, make: (inner: JsonLogicRule) => JsonLogicRule, leaf: JsonLogicRule = 1): JsonLogicRule {
  let rule = leaf;
  for (let i = 0; i < levels; i++) rule = make(rule);
  return rule;
}

const globalsBefore = {
  object: Object.getOwnPropertyNames(Object.prototype).sort(),
  array: Object.getOwnPropertyNames(Array.prototype).sort(),
  string: Object.getOwnPropertyNames(String.prototype).sort(),
  fn: Object.getOwnPropertyNames(Function.prototype).sort(),
};

describe("the adversarial corpus", () => {
  describe("prototype pollution attempts", () => {
    it("refuses __proto__, constructor and prototype in a literal path", () => {
      for (const path of ["__proto__", "a.__proto__.polluted", "constructor", "constructor.prototype", "x.prototype"]) {
        expect(issueOf(() => compileRule({ var: path }))).toMatchObject({ code: "unsafe_path", path: ["var"] });
      }
      expect(issueOf(() => compileRule({ missing: ["ok", "__proto__"] })).code).toBe("unsafe_path");
      expect(issueOf(() => compileRule({ missing_some: [1, ["constructor"]] })).code).toBe("unsafe_path");
    });

    it("reads __proto__ and friends as missing when the path is computed", () => {
      expect(evaluateRule({ var: { cat: ["__pro", "to__"] } }, {})).toBeNull();
      expect(evaluateRule({ var: [{ cat: ["con", "structor"] }, "none"] }, { a: 1 })).toBe("none");
      expect(evaluateRule({ missing: { merge: ["__proto__", "a"] } }, { a: 1 })).toEqual(["__proto__"]);
    });

    it("never reads inherited properties of objects, arrays or strings", () => {
      expect(evaluateRule({ var: "toString" }, {})).toBeNull();
      expect(evaluateRule({ var: "hasOwnProperty" }, { a: 1 })).toBeNull();
      expect(evaluateRule({ var: "list.map" }, { list: [1] })).toBeNull();
      expect(evaluateRule({ var: "name.toUpperCase" }, { name: "abc" })).toBeNull();
      expect(evaluateRule({ var: "n.toFixed" }, { n: 1 })).toBeNull();
      const inherited = Object.create({ secret: "inherited" }) as object;
      expect(evaluateRule({ var: "secret" }, inherited)).toBeNull();
      expect(evaluateRule({ var: "0" }, Object.assign(Object.create(["hole"]) as object, {}))).toBeNull();
    });

    it("reads one-step keys as own properties only, in plain reads, arithmetic and approximated orderings, never running a prototype getter", () => {
      let ran = 0;
      class Holder {
        get amount(): number {
          ran++;
          return 50;
        }
      }
      const outcome = (run: () => unknown): unknown => {
        try {
          return run();
        } catch (error) {
          return (error as { issues?: { code: string }[] }).issues?.[0]?.code ?? error;
        }
      };
      // Several keys, each read plainly, in arithmetic and in an ordering decided on approximations (decision 0107).
      const keys = ["amount", "a", "b", "c", "d", "e", "f", "g", "h", "size", "netIncome", "medicalExpense"];
      for (const key of keys) {
        for (const rule of [{ var: key }, { "+": [{ var: key }, 1] }, { "<": [{ "*": [{ var: key }, 2] }, 10] }] as JsonLogicRule[]) {
          const prepared = compileRule(rule);
          const missing = outcome(() => prepared.evaluate({}));
          const present = outcome(() => prepared.evaluate({ [key]: 3 }));
          expect(present).not.toBe(missing);
          for (const data of [new Holder(), Object.create({ [key]: 3 }) as object]) expect(outcome(() => prepared.evaluate(data))).toBe(missing);
          (Object.prototype as Record<string, unknown>)[key] = 3;
          try {
            expect(outcome(() => prepared.evaluate({}))).toBe(missing);
            expect(outcome(() => prepared.evaluate({ [key]: 3 }))).toBe(present);
          } finally {
            delete (Object.prototype as Record<string, unknown>)[key];
          }
        }
      }
      expect(ran).toBe(0);
    });

    it("treats an own data key named __proto__ (from JSON.parse) as an unknown operator, not a prototype", () => {
      const rule = JSON.parse('{"__proto__": {"polluted": true}}') as JsonLogicRule;
      expect(issueOf(() => compileRule(rule)).code).toBe("unknown_operator");
      expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    });

    it("does not let a rule's copy inherit anything from a polluting key", () => {
      const rule = JSON.parse('{"var": "a"}') as JsonLogicRule;
      const prepared = compileRule(rule);
      expect(Object.isFrozen(prepared.rule)).toBe(true);
      expect(prepared.rule).toEqual({ var: "a" });
    });
  });

  describe("method calls", () => {
    it("refuses method and dotted operator names at compile time", () => {
      expect(issueOf(() => compileRule({ method: [{ var: "s" }, "toUpperCase"] }))).toMatchObject({ code: "unsafe_operator", path: [] });
      expect(issueOf(() => compileRule({ and: [true, { "Math.max": [1, 2] }] }))).toMatchObject({ code: "unsafe_operator", path: ["and", 1] });
      expect(issueOf(() => compileRule({ toString: [] })).code).toBe("unknown_operator");
      expect(issueOf(() => compileRule({ constructor: [] })).code).toBe("unknown_operator");
    });

    it("never calls toString, valueOf or indexOf found in the data", () => {
      let called = 0;
      const sneaky = { toString: () => (called++, "x"), valueOf: () => (called++, 1), indexOf: () => (called++, 0) };
      expect(evaluateRule({ "==": [{ var: "o" }, "x"] }, { o: sneaky })).toBe(false);
      expect(evaluateRule({ in: ["x", { var: "o" }] }, { o: sneaky })).toBe(false);
      expect(evaluateRule({ cat: [{ var: "o" }] }, { o: sneaky })).toBe("[object Object]");
      expect(issueOf(() => evaluateRule({ "+": [{ var: "o" }, 1] }, { o: sneaky })).code).toBe("not_a_number");
      expect(called).toBe(0);
    });
  });

  describe("deep nesting", () => {
    it("gives rule_too_deep, not a stack overflow, for 10,000 levels", () => {
      for (const make of [(r: JsonLogicRule) => ({ "!": [r] }), (r: JsonLogicRule) => [r], (r: JsonLogicRule) => ({ "+": r })]) {
        const issue = issueOf(() => compileRule(nest(10_000, make)));
        expect(issue.code).toBe("rule_too_deep");
        expect(issue.message).toContain("100 levels");
      }
    });

    it("gives rule_too_deep for a rule that contains itself", () => {
      const rule: { and: unknown[] } = { and: [] };
      rule.and.push(rule);
      expect(issueOf(() => compileRule(rule as unknown as JsonLogicRule)).code).toBe("rule_too_deep");
    });

    it("runs a rule at the deepest allowed level of a raised limit without overflowing", () => {
      const rule = nest(499, (r) => ({ "!!": [r] }));
      expect(compileRule(rule, { maxDepth: 1_000 }).evaluate(null)).toBe(true);
    });

    it("gives rule_too_large past maxNodes", () => {
      const wide = { "+": new Array<number>(20_000).fill(1) };
      expect(issueOf(() => compileRule(wide))).toMatchObject({ code: "rule_too_large", path: ["+"] });
      expect(compileRule(wide, { maxNodes: 30_000 }).evaluate(null)).toBe(20_000);
    });
  });

  describe("huge intermediate arrays and long evaluations", () => {
    it("stops a doubling merge with array_too_large", () => {
      const doubling = { reduce: [{ var: "steps" }, { merge: [{ var: "accumulator" }, { var: "accumulator" }] }, [1]] };
      const issue = issueOf(() => evaluateRule(doubling, { steps: new Array(40).fill(0) }));
      expect(issue).toMatchObject({ code: "array_too_large", path: ["reduce", 1] });
      expect(issue.message).toContain("100000");
    });

    it("stops a map over a huge array with array_too_large", () => {
      expect(issueOf(() => evaluateRule({ map: [{ var: "xs" }, 1] }, { xs: new Array(200_000).fill(0) })).code).toBe("array_too_large");
      expect(evaluateRule({ map: [{ var: "xs" }, 1] }, { xs: new Array(200_000).fill(0) }, { maxArrayLength: 300_000 })).toHaveLength(200_000);
    });

    it("stops nested walks that would run for hours with evaluation_too_long", () => {
      const big = { reduce: [new Array(16).fill(0), { merge: [{ var: "accumulator" }, { var: "accumulator" }] }, [0]] };
      const quadratic = { some: [big, { some: [big, false] }] };
      const started = Date.now();
      expect(issueOf(() => evaluateRule(quadratic, null)).code).toBe("evaluation_too_long");
      expect(Date.now() - started).toBeLessThan(10_000);
    });
  });

  describe("non-JSON values", () => {
    it("refuses them inside a rule", () => {
      for (const bad of [undefined, () => 1, Symbol("s"), 10n, Number.NaN, Infinity, new Date(0), new Map()]) {
        expect(issueOf(() => compileRule({ "==": [1, bad] } as unknown as JsonLogicRule)).code).toBe("invalid_rule");
      }
      expect(issueOf(() => compileRule({} as JsonLogicRule)).code).toBe("invalid_rule");
      // eslint-disable-next-line no-sparse-arrays
      expect(issueOf(() => compileRule([1, , 3] as unknown as JsonLogicRule)).code).toBe("invalid_rule");
    });

    it("passes them through var and equality, and refuses them where their content is read", () => {
      const fn = (): number => 1;
      const sym = Symbol("s");
      const data = { fn, sym, big: 10n, nan: Number.NaN, inf: Infinity, neg: -Infinity };
      expect(evaluateRule({ var: "fn" }, data)).toBe(fn);
      expect(evaluateRule({ "===": [{ var: "sym" }, { var: "sym" }] }, data)).toBe(true);
      expect(evaluateRule({ "!!": { var: "nan" } }, data)).toBe(false);
      for (const key of ["fn", "sym", "big", "nan", "inf", "neg"]) {
        expect(issueOf(() => evaluateRule({ "+": [{ var: key }, 1] }, data))).toMatchObject({ code: "invalid_data", path: [] });
        expect(issueOf(() => evaluateRule({ "<": [{ var: key }, 1] }, data)).code).toBe("invalid_data");
      }
      for (const key of ["fn", "sym", "big", "nan", "inf"]) {
        expect(issueOf(() => evaluateRule({ cat: [{ var: key }] }, data)).code).toBe("invalid_data");
      }
    });

    it("names the operator and the value in the message", () => {
      const issue = issueOf(() => evaluateRule({ and: [true, { "<": [{ var: "x" }, 1] }] }, { x: Number.NaN }));
      expect(issue).toMatchObject({ code: "invalid_data", path: ["and", 1] });
      expect(issue.message).toBe('operator "<" got NaN, which is not a finite number');
    });
  });

  describe("cyclic data", () => {
    it("reads through a cyclic object by path", () => {
      const a: Record<string, unknown> = { n: 1 };
      a["self"] = a;
      expect(evaluateRule({ var: "self.self.self.n" }, a)).toBe(1);
      expect(evaluateRule({ "==": [{ var: "self" }, { var: "" }] }, a)).toBe(true);
    });

    it("refuses to write a cyclic array as text", () => {
      const list: unknown[] = [1];
      list.push(list);
      expect(issueOf(() => evaluateRule({ cat: [{ var: "" }] }, list)).code).toBe("invalid_data");
      expect(issueOf(() => evaluateRule({ in: [{ var: "" }, "abc"] }, list)).code).toBe("invalid_data");
    });

    it("merges and walks a cyclic array one level, without recursing", () => {
      const list: unknown[] = [1];
      list.push(list);
      expect(evaluateRule({ merge: [{ var: "" }] }, list)).toEqual([1, list]);
      expect(evaluateRule({ some: [{ var: "" }, { "==": [{ var: "" }, 1] }] }, list)).toBe(true);
    });
  });

  it("never throws anything but a KaoheError for the corpus through the safe twins", () => {
    expect(safeCompileRule(nest(10_000, (r) => [r])).success).toBe(false);
    expect(safeEvaluateRule({ "/": [1, 0] }, null).success).toBe(false);
    expect(safeEvaluateRule({ "+": [{ var: "x" }] }, { x: 1n }).success).toBe(false);
  });

  it("leaves every global prototype as it was", () => {
    expect({
      object: Object.getOwnPropertyNames(Object.prototype).sort(),
      array: Object.getOwnPropertyNames(Array.prototype).sort(),
      string: Object.getOwnPropertyNames(String.prototype).sort(),
      fn: Object.getOwnPropertyNames(Function.prototype).sort(),
    }).toEqual(globalsBefore);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });
});
