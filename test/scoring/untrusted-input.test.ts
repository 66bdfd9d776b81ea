import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseJsonText } from "../../src/internal/json";
import { checkInputStructure } from "../../src/model/read";
import {
  isKaoheError,
  jiangxi2025,
  nearTermChecklist2025,
  parseRectificationProblem,
  safeChecklistStatus,
  safeParseChecklist,
  safeParseFramework,
  safePrepareRulebook,
  safeScoreAssessment,
  type KaoheIssue,
} from "../../src/index";
import { exampleFramework, runCliCaptured } from "../helpers";

/*
 * "Parsing untrusted JSON" (issue 16): deep nesting is a coded `too_deep` issue, never a
 * RangeError, and the same `forbidden_key` check holds for every file kind and entry point.
 */

function nested(levels: number, leaf: unknown = 1): unknown {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = i % 2 === 0 ? [value] : { a: value };
  return value;
}

function codes(outcome: { success: boolean; error?: { issues: readonly KaoheIssue[] } }): string[] {
  return outcome.success ? [] : (outcome.error?.issues ?? []).map((i) => i.code);
}

const framework = exampleFramework();
const rulebookText = readFileSync(new URL("../../examples/screening/rulebook.json", import.meta.url), "utf8");
const assessmentText = readFileSync(new URL("../../examples/jiangxi-2025/assessments/jian.json", import.meta.url), "utf8");

describe("untrusted input", () => {
  describe("nested too deep", () => {
    for (const levels of [4_000, 100_000]) {
      it(`makes safeScoreAssessment report too_deep for an assessment nested ${levels} deep inside $comment`, () => {
        const assessment = { ...JSON.parse(assessmentText), $comment: nested(levels) };
        const outcome = safeScoreAssessment(framework, assessment);
        expect(codes(outcome)).toContain("too_deep");
        const issue = outcome.success ? undefined : outcome.error.issues.find((i) => i.code === "too_deep");
        expect(issue?.path[0]).toBe("$comment");
        expect(issue?.zh).toContain("嵌套");
      });
    }

    it("reports too_deep from every entry point, without a RangeError", () => {
      const deep = nested(5_000);
      expect(codes(safeParseFramework({ ...jiangxi2025, $comment: deep }))).toContain("too_deep");
      expect(codes(safeScoreAssessment({ ...framework, notes: deep }, JSON.parse(assessmentText)))).toContain("too_deep");
      expect(codes(safePrepareRulebook({ ...JSON.parse(rulebookText), $comment: deep }))).toContain("too_deep");
      expect(codes(safeParseChecklist({ ...nearTermChecklist2025, $comment: deep }))).toContain("too_deep");
      expect(codes(safeChecklistStatus(nearTermChecklist2025, [{ unit: "u", deliverable: deep } as never], { asOf: "2025-11-01", units: [] }))).toContain("too_deep");
      expect(() => parseRectificationProblem({ id: "p", deep })).toThrow(/too_deep/);
      expect(codes(safeScoreAssessment(framework, JSON.parse(assessmentText), { grades: deep } as never))).toContain("too_deep");
    });

    it("finds a value that contains itself, and walks shared values once", () => {
      const cyclic: Record<string, unknown> = { a: 1 };
      cyclic.self = { back: cyclic };
      expect(checkInputStructure(cyclic)).toMatchObject([{ code: "too_deep", path: ["self", "back"] }]);
      // 40 levels of a DAG with two edges each: 2^40 paths, one walk.
      let shared: unknown = { leaf: true };
      for (let i = 0; i < 40; i++) shared = { left: shared, right: shared };
      expect(checkInputStructure(shared)).toEqual([]);
      // The longest path through a shared value counts, even when it is met first on a short one.
      const tall = nested(1_020);
      expect(checkInputStructure({ a: tall, b: [[[[[[tall]]]]]] })).toMatchObject([{ code: "too_deep", path: ["b", 0, 0, 0, 0, 0, 0] }]);
    });

    it("accepts nesting up to the limit", () => {
      expect(checkInputStructure(nested(1_024))).toEqual([]);
      expect(checkInputStructure(nested(1_025)).map((i) => i.code)).toEqual(["too_deep"]);
      expect(parseJsonText(JSON.stringify(nested(1_024))).success).toBe(true);
      expect(codes(parseJsonText(JSON.stringify(nested(1_025))))).toEqual(["too_deep"]);
    });
  });

  describe("keys that name prototypes", () => {
    it("refuses a rulebook's fields.__proto__ and parameters.__proto__ instead of dropping them", () => {
      const rulebook = JSON.parse(rulebookText);
      const withFields = JSON.parse(JSON.stringify(rulebook).replace('"fields":{', '"fields":{"__proto__":{"column":"户编号","type":"text","of":"household","required":true},'));
      const outcome = safePrepareRulebook(withFields);
      expect(outcome.success ? [] : outcome.error.issues.map((i) => [i.code, i.path])).toContainEqual(["forbidden_key", ["fields", "__proto__"]]);
      const withParameters = JSON.parse(JSON.stringify(rulebook).replace('"parameters":{', '"parameters":{"__proto__":{"title":"x","value":1},'));
      expect(codes(safePrepareRulebook(withParameters))).toContain("forbidden_key");
    });

    it("refuses __proto__, constructor and prototype in every file kind", () => {
      const assessment = JSON.parse(assessmentText.replace('"indicators": {', '"indicators": { "__proto__": { "score": 1 },'));
      expect(codes(safeScoreAssessment(framework, assessment))).toContain("forbidden_key");
      for (const key of ["constructor", "prototype", "__proto__"]) {
        const framework2 = JSON.parse(`{"${key}": 1, ${JSON.stringify(jiangxi2025).slice(1)}`);
        expect(codes(safeParseFramework(framework2))).toContain("forbidden_key");
        const checklist = JSON.parse(`{"${key}": 1, ${JSON.stringify(nearTermChecklist2025).slice(1)}`);
        expect(codes(safeParseChecklist(checklist))).toContain("forbidden_key");
      }
    });

    it("makes kaohe validate refuse an assessment with indicators.__proto__, as score does", async () => {
      const text = assessmentText.replace('"indicators": {', '"indicators": { "__proto__": { "score": 1 },');
      const validate = await runCliCaptured(["validate", "a.json", "--kind", "assessment", "--lang", "en"], { "a.json": text });
      expect(validate.code).toBe(1);
      expect(validate.stderr).toContain('indicators.__proto__: the key "__proto__" is not allowed [forbidden_key]');
    });
  });

  describe("the CLI's JSON text parser", () => {
    it("reports a key given twice with different values, with its path", () => {
      const outcome = parseJsonText('{"unit": {"id": "a", "name": "甲"}, "indicators": {"i1": {"score": 8}, "i1": {"score": 3}}}');
      expect(outcome.success).toBe(false);
      const issue = outcome.success ? undefined : outcome.error.issues[0];
      expect(issue).toMatchObject({ code: "duplicate_key", path: ["indicators", "i1"] });
      expect(issue?.message).toContain('{"score": 8}');
      expect(issue?.message).toContain('{"score": 3}');
    });

    it("lets the same value given twice pass: it cannot change a result", () => {
      expect(parseJsonText('{"a": [1, {"b": 2}], "a": [1, {"b": 2}]}')).toEqual({ success: true, data: { a: [1, { b: 2 }] } });
    });

    it("finds duplicates inside arrays and after escaped keys", () => {
      const outcome = parseJsonText('[0, {"x": {"\\u0079": 1, "y": 2}}]');
      expect(outcome.success ? [] : outcome.error.issues.map((i) => [i.code, i.path])).toEqual([["duplicate_key", [1, "x", "y"]]]);
    });

    it("reports depth, forbidden keys (also escaped) and syntax with a place", () => {
      expect(codes(parseJsonText("[".repeat(5_000) + "]".repeat(5_000)))).toEqual(["too_deep"]);
      const proto = parseJsonText('{"a": {"\\u005f_proto__": {"polluted": true}}}');
      expect(proto.success ? [] : proto.error.issues.map((i) => [i.code, i.path])).toEqual([["forbidden_key", ["a", "__proto__"]]]);
      const broken = parseJsonText('{\n  "a": 1\n  "b": 2}');
      expect(broken.success ? null : broken.error.issues[0]).toMatchObject({ code: "invalid_json", path: [] });
      expect(broken.success ? null : broken.error.issues[0]?.message).toMatch(/^not valid JSON at line 3, column 3 /);
      expect(parseJsonText('\uFEFF{"a": "\\"}"}')).toEqual({ success: true, data: { a: '"}' } });
    });

    it("never throws on text that is not JSON", () => {
      for (const text of ["", "{", '{"a":', "[1,]", "nul", '"\\', "\u0000", "{}}"]) {
        const outcome = parseJsonText(text);
        expect(outcome.success).toBe(false);
        expect(outcome.success ? null : isKaoheError(outcome.error)).toBe(true);
      }
    });
  });
});
