import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { prepareRulebook, safePrepareRulebook, screeningJsonSchemas, type RulebookInput } from "../../src/screening/index";
import { exampleRulebook } from "./helpers";

function issuesOf(book: unknown, options = {}) {
  const result = safePrepareRulebook(book, options);
  return result.success ? [] : result.error.issues.map((i) => ({ code: i.code, path: i.path.join(".") }));
}

describe("prepareRulebook", () => {
  it("accepts the example rulebook and applies parameter overrides", () => {
    const prepared = prepareRulebook(exampleRulebook(), { parameters: { incomeLine: 8000 } });
    expect(prepared.parameters).toEqual({ incomeLine: 8000, minMonthsBeforeClearing: 6 });
    expect(prepared.rules.map((r) => r.rule.code)).toHaveLength(14);
  });

  describe("when the rulebook is wrong", () => {
    it("reports duplicate rule codes, pointing at the second", () => {
      const book = exampleRulebook();
      book.rules[3] = { ...book.rules[3], code: "SC01" };
      expect(issuesOf(book)).toEqual([{ code: "duplicate_code", path: "rules.3.code" }]);
    });

    it("reports a variable that is not a field of the rule's subject, listing what it may read", () => {
      const book = exampleRulebook();
      book.rules[0] = { ...book.rules[0], when: { "<": [{ var: "incom" }, 1] } };
      book.rules[1] = { ...book.rules[1], subject: "household", when: { "<": [{ var: "age" }, 16] } };
      book.rules[2] = { ...book.rules[2], when: { "<": [{ var: "perCapitaIncome" }, { var: "params.line" }] } };
      expect(issuesOf(book)).toEqual([
        { code: "unknown_variable", path: "rules.0.when" },
        { code: "unknown_variable", path: "rules.1.when" },
        { code: "unknown_variable", path: "rules.2.when" },
      ]);
      const result = safePrepareRulebook(book);
      expect(result.success ? "" : result.error.message).toContain('reads "incom"');
    });

    it("reports unknown placeholders in messages", () => {
      const book = exampleRulebook();
      book.rules[0] = { ...book.rules[0], message: "收入{incom}" };
      expect(issuesOf(book)).toEqual([{ code: "unknown_variable", path: "rules.0.message" }]);
    });

    it("refuses unsafe rules and computed paths through the rule engine", () => {
      const book = exampleRulebook();
      book.rules[0] = { ...book.rules[0], when: { method: [{ var: "riskStatus" }, "toString"] } };
      book.rules[1] = { ...book.rules[1], when: { var: "__proto__" } };
      book.rules[2] = { ...book.rules[2], when: { var: { cat: ["risk", "Status"] } } };
      expect(issuesOf(book).map((i) => i.code)).toEqual(["unsafe_operator", "unsafe_path", "computed_path"]);
      expect(issuesOf(book).map((i) => i.path.split(".").slice(0, 3).join("."))).toEqual(["rules.0.when", "rules.1.when", "rules.2.when"]);
    });

    it("reports keys and unit fields that name no field of the right kind, and columns mapped twice", () => {
      const book = exampleRulebook() as Record<string, any>;
      book.keys = { household: "personId", person: "personId" };
      book.unit = { ...book.unit, village: "nowhere" };
      book.fields.relation = { ...book.fields.relation, column: "年龄" };
      expect(issuesOf(book).map((i) => `${i.code} ${i.path}`)).toEqual([
        "duplicate_column fields.age.column",
        "unknown_field keys.household",
        "unknown_field unit.village",
      ]);
    });

    it("reports an undeclared parameter override and schema errors with their paths", () => {
      expect(issuesOf(exampleRulebook(), { parameters: { line: 1 } })).toEqual([{ code: "unknown_parameter", path: "parameters.line" }]);
      const book = exampleRulebook() as Record<string, any>;
      book.rules[0].severity = "fatal";
      delete book.title;
      expect(issuesOf(book).map((i) => i.path).sort()).toEqual(["rules.0.severity", "title"]);
    });

    it("throws a KaoheError holding every issue", () => {
      expect(() => prepareRulebook({} as RulebookInput)).toThrowError(/Invalid rulebook/);
    });
  });
});

describe("screeningJsonSchemas", () => {
  it("converts the rulebook schema to JSON Schema (input side) without throwing", () => {
    const schema = z.toJSONSchema(screeningJsonSchemas.rulebook, { io: "input" }) as { type?: string; required?: string[] };
    expect(schema.type).toBe("object");
    expect(schema.required).toContain("rules");
  });
});
