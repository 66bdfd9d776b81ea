import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isKaoheError, KaoheError } from "../../src/internal/errors";

// json-logic-js's shared instance, as stock, is captured before kaohe's rules module is loaded.
const jsonLogic = (await import("json-logic-js")).default;
const stock = {
  keys: Object.keys(jsonLogic).sort(),
  functions: Object.fromEntries(Object.entries(jsonLogic)),
};
const rules = await import("../../src/rules/index");
const { compileRule, createRuleEngine, DEFAULT_RULE_LIMITS, evaluateRule, ruleVariables, safeCompileRule, safeEvaluateRule } = rules;

describe("createRuleEngine", () => {
  describe("with custom operations", () => {
    const engine = createRuleEngine({ operations: { double: (x) => (x as number) * 2, tag: (...xs) => xs.join("|") } });

    it("runs them with their arguments evaluated", () => {
      expect(engine.evaluateRule({ double: [{ var: "n" }] }, { n: 21 })).toBe(42);
      expect(engine.evaluateRule({ tag: ["a", { "+": [1, 1] }] }, null)).toBe("a|2");
    });

    it("keeps them to this engine only", () => {
      expect(() => evaluateRule({ double: [1] }, null)).toThrow(KaoheError);
      expect(() => createRuleEngine().compileRule({ double: [1] })).toThrow(/unknown operator "double"/);
    });

    it("refuses standard, unsafe and dotted names, and non-functions", () => {
      for (const name of ["+", "var", "method", "a.b", ""]) {
        expect(() => createRuleEngine({ operations: { [name]: () => 1 } })).toThrow(/invalid_option/);
      }
      expect(() => createRuleEngine({ operations: { f: 1 as never } })).toThrow(/must be a function/);
    });
  });

  describe("with limits", () => {
    it("applies the documented defaults", () => {
      expect(DEFAULT_RULE_LIMITS).toEqual({ maxDepth: 100, maxNodes: 10_000, maxArrayLength: 100_000, maxSteps: 10_000_000, maxStringLength: 1_000_000, maxPathLength: 1_000 });
    });

    it("refuses limits that are not positive integers in range", () => {
      for (const options of [{ maxDepth: 0 }, { maxDepth: 1_001 }, { maxNodes: 1.5 }, { maxSteps: -1 }, { maxArrayLength: Number.NaN }]) {
        const result = (() => {
          try {
            createRuleEngine(options);
            return "accepted";
          } catch (error) {
            return isKaoheError(error) ? error.issues[0]?.code : "other";
          }
        })();
        expect(result).toBe("invalid_option");
      }
    });

    it("uses its own limits", () => {
      const strict = createRuleEngine({ maxDepth: 2 });
      expect(strict.evaluateRule({ "!": [true] }, null)).toBe(false);
      expect(strict.safeCompileRule({ "!": [{ "!": [true] }] }).success).toBe(false);
    });
  });
});

describe("compileRule", () => {
  const prepared = compileRule({
    and: [{ "<": [{ var: "household.income" }, 6000] }, { some: [{ var: "members" }, { var: "disabled" }] }, { missing: ["id"] }],
  });

  it("returns a frozen prepared rule with a frozen copy of the rule", () => {
    expect(Object.isFrozen(prepared)).toBe(true);
    expect(Object.isFrozen(prepared.rule)).toBe(true);
  });

  it("lists the top-level variables, not those relative to each element", () => {
    expect(prepared.variables).toEqual(["household.income", "id", "members"]);
    expect(prepared.dynamicVariables).toBe(false);
  });

  it("evaluates and tests records", () => {
    const poor = { id: 1, household: { income: 5000 }, members: [{ disabled: false }, { disabled: true }] };
    expect(prepared.evaluate(poor)).toEqual([]);
    expect(prepared.test(poor)).toBe(false);
    expect(prepared.test({ household: { income: 5000 }, members: [{ disabled: true }] })).toBe(true);
  });

  it("does not change when the rule object is changed afterwards", () => {
    const rule = { "+": [1, 2] };
    const compiled = compileRule(rule);
    rule["+"][0] = 100;
    expect(compiled.evaluate(null)).toBe(3);
    expect(compiled.rule).toEqual({ "+": [1, 2] });
  });

  it("hands out literal arrays frozen, so a caller cannot change the rule through a result", () => {
    const result = compileRule({ if: [true, ["a", "b"], []] }).evaluate(null) as string[];
    expect(Object.isFrozen(result)).toBe(true);
  });

  it("marks computed paths as dynamic, or refuses them when asked", () => {
    const rule = { var: { cat: ["a", "b"] } };
    expect(compileRule(rule).dynamicVariables).toBe(true);
    expect(() => compileRule(rule, { computedPaths: "refuse" })).toThrow(/computed_path/);
  });

  it("reports the path into the rule and names the operator", () => {
    const result = safeCompileRule({ and: [true, { if: [{ nope: [1] }] }] });
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(result.error.issues).toEqual([{ code: "unknown_operator", path: ["and", 1, "if", 0], message: 'unknown operator "nope" at and[1].if[0]' }]);
      expect(result.error.name).toBe("KaoheError");
    }
  });

  it("checks argument counts when compiling", () => {
    expect(() => compileRule({ "/": [1, 2, 3] })).toThrow('operator "/" takes 2 arguments, got 3');
    expect(() => compileRule({ substr: ["a"] })).toThrow('operator "substr" takes 2 to 3 arguments, got 1');
  });
});

describe("evaluateRule and safeEvaluateRule", () => {
  it("give results as JS numbers, booleans, text or arrays", () => {
    expect(evaluateRule({ "*": [{ var: "rate" }, 100] }, { rate: 0.07 })).toBe(7);
    expect(evaluateRule({ "+": ["1.10", 2] }, null)).toBe(3.1);
  });

  it("report evaluation errors with the operator's path", () => {
    expect(safeEvaluateRule({ if: [true, { "/": [{ var: "a" }, { var: "b" }] }] }, { a: 1, b: 0 })).toMatchObject({
      success: false,
      error: { issues: [{ code: "division_by_zero", path: ["if", 1], message: 'operator "/" cannot divide 1 by zero' }] },
    });
  });

  it("let errors thrown by a custom operation through unchanged", () => {
    const engine = createRuleEngine({ operations: { boom: () => { throw new TypeError("boom"); } } });
    expect(() => engine.safeEvaluateRule({ boom: [] }, null)).toThrow(TypeError);
  });
});

describe("ruleVariables", () => {
  it("lists literal var paths and missing keys, sorted and unique", () => {
    expect(ruleVariables({ and: [{ var: "b" }, { var: ["a.x", 0] }, { missing: ["c", "a.x"] }, { missing_some: [1, ["d"]] }] })).toEqual(["a.x", "b", "c", "d"]);
  });

  it("lists number paths as text and ignores the whole-data path", () => {
    expect(ruleVariables({ cat: [{ var: 1 }, { var: "" }, { var: [] }] })).toEqual(["1"]);
  });

  it("refuses a rule whose paths are computed, since the list could not be complete", () => {
    expect(() => ruleVariables({ missing: { merge: ["vin", { if: [{ var: "financing" }, ["apr"], []] }] } })).toThrow(/computed_path/);
  });
});

describe("isolation from json-logic-js", () => {
  it("leaves json-logic-js's shared instance stock after kaohe is loaded and used", () => {
    createRuleEngine({ operations: { custom: () => 1 } }).evaluateRule({ custom: [] }, null);
    compileRule({ log: ["x"] }).evaluate(null);
    expect(Object.keys(jsonLogic).sort()).toEqual(stock.keys);
    for (const [key, value] of Object.entries(stock.functions)) expect(jsonLogic[key as keyof typeof jsonLogic]).toBe(value);
    expect(() => jsonLogic.apply({ custom: [] } as never)).toThrow("Unrecognized operation custom");
    expect(jsonLogic.apply({ "+": [0.1, 0.2] })).toBe(0.30000000000000004);
    expect(jsonLogic.is_logic({ a: 1 })).toBe(true);
  });

  it("does not import json-logic-js, decimal.js's global config, Node APIs, eval or Function in src/rules", () => {
    const dir = new URL("../../src/rules/", import.meta.url);
    for (const file of readdirSync(dir)) {
      // Code only: the TSDoc examples import from "kaohe", as a user would.
      const source = readFileSync(new URL(file, dir), "utf8").replace(/^\s*\*.*$/gm, "");
      expect(source, file).not.toMatch(/from "json-logic-js"|from "node:|Decimal\.set\(|\beval\(|new Function\(/);
      for (const [, from] of source.matchAll(/from "([^"]+)"/g)) {
        expect(from === "decimal.js" || from === "../internal/errors" || from?.startsWith("./"), `${file} imports ${from}`).toBe(true);
      }
    }
  });
});
