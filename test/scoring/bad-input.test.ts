import { describe, expect, it } from "vitest";
import { jiangxi2025, safeScoreAssessment, scoreAssessment, isKaoheError, type AssessmentInput } from "../../src/index";
import { exampleFramework } from "../helpers";

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const framework = exampleFramework();

function valid(): Json {
  const indicators: Json = {};
  for (const indicator of framework.categories.flatMap((c) => c.indicators)) {
    if (indicator.scoring.method === "manual") indicators[indicator.id] = { score: 1 };
  }
  indicators.i9 = { findings: [{ points: 1 }] };
  indicators.i10 = { facts: { wholeTownshipOrVillageRisk: false } };
  indicators.i11 = { facts: { growth: 7, provinceGrowth: 6.5, nationalGrowth: 6.6 } };
  return { unit: { id: "city", name: "某市" }, indicators, deductions: [{ matter: "M", clause: "13a" }] };
}

interface BadCase {
  description: string;
  change: (a: Json) => void;
  code: string;
  path: (string | number)[];
}

const cases: BadCase[] = [
  { description: "an unknown indicator", change: (a) => { a.indicators.i99 = { score: 1 }; }, code: "unknown_indicator", path: ["indicators", "i99"] },
  { description: "an unknown clause", change: (a) => { a.deductions.push({ matter: "N", clause: "13z" }); }, code: "unknown_clause", path: ["deductions", 1, "clause"] },
  { description: "a score above the points", change: (a) => { a.indicators.i1 = { score: 10.5 }; }, code: "score_out_of_range", path: ["indicators", "i1", "score"] },
  { description: "a negative score", change: (a) => { a.indicators.i1 = { score: "-0.5" }; }, code: "score_out_of_range", path: ["indicators", "i1", "score"] },
  { description: "findings for a manual indicator", change: (a) => { a.indicators.i1 = { findings: [] }; }, code: "input_method_mismatch", path: ["indicators", "i1"] },
  { description: "a score for a findings indicator", change: (a) => { a.indicators.i9 = { score: 3 }; }, code: "input_method_mismatch", path: ["indicators", "i9"] },
  { description: "a score for a rule indicator", change: (a) => { a.indicators.i11 = { score: 8 }; }, code: "input_method_mismatch", path: ["indicators", "i11"] },
  { description: "an input for the deductions indicator", change: (a) => { a.indicators.i13 = { score: 1 }; }, code: "input_method_mismatch", path: ["indicators", "i13"] },
  { description: "a missing indicator", change: (a) => { delete a.indicators.i4; }, code: "missing_indicator", path: ["indicators", "i4"] },
  { description: "discretionary points without a severe case", change: (a) => { a.severe = { reason: "酌情", discretionary: [{ points: 1, reason: "r" }] }; }, code: "discretionary_without_severe_case", path: ["severe", "discretionary"] },
  { description: "a severe record that establishes nothing", change: (a) => { a.severe = { reason: "严重" }; }, code: "severe_case_not_established", path: ["severe"] },
  { description: "a serious matter that is not a deduction matter", change: (a) => { a.severe = { reason: "严重", seriousMatters: ["X"] }; }, code: "unknown_matter", path: ["severe", "seriousMatters", 0] },
  { description: "an empty severe reason", change: (a) => { a.severe = { reason: "", scaleReturnToPoverty: true }; }, code: "too_small", path: ["severe", "reason"] },
  { description: "zero discretionary points", change: (a) => { a.severe = { reason: "r", scaleReturnToPoverty: true, discretionary: [{ points: 0, reason: "r" }] }; }, code: "points_not_positive", path: ["severe", "discretionary", 0, "points"] },
  { description: "an empty discretionary reason", change: (a) => { a.severe = { reason: "r", scaleReturnToPoverty: true, discretionary: [{ points: 1, reason: "" }] }; }, code: "too_small", path: ["severe", "discretionary", 0, "reason"] },
  { description: "a NaN score", change: (a) => { a.indicators.i1 = { score: Number.NaN }; }, code: "invalid_number", path: ["indicators", "i1", "score"] },
  { description: "an Infinity finding", change: (a) => { a.indicators.i9 = { findings: [{ points: Number.POSITIVE_INFINITY }] }; }, code: "invalid_number", path: ["indicators", "i9", "findings", 0, "points"] },
  { description: "an exponent string", change: (a) => { a.indicators.i1 = { score: "1e3" }; }, code: "invalid_format", path: ["indicators", "i1", "score"] },
  { description: "an empty number string", change: (a) => { a.indicators.i1 = { score: "" }; }, code: "invalid_format", path: ["indicators", "i1", "score"] },
  { description: "a number beyond the safe range", change: (a) => { a.indicators.i1 = { score: 2 ** 54 }; }, code: "invalid_number", path: ["indicators", "i1", "score"] },
  { description: "a negative finding", change: (a) => { a.indicators.i9 = { findings: [{ points: -1 }] }; }, code: "points_not_positive", path: ["indicators", "i9", "findings", 0, "points"] },
  { description: "a missing fact", change: (a) => { delete a.indicators.i11.facts.nationalGrowth; }, code: "missing_fact", path: ["indicators", "i11", "facts", "nationalGrowth"] },
  { description: "an unknown fact", change: (a) => { a.indicators.i10.facts.extra = 1; }, code: "unknown_fact", path: ["indicators", "i10", "facts", "extra"] },
  { description: "a fact of the wrong type", change: (a) => { a.indicators.i10.facts.wholeTownshipOrVillageRisk = 0; }, code: "invalid_fact", path: ["indicators", "i10", "facts", "wholeTownshipOrVillageRisk"] },
  { description: "a number fact given as a boolean", change: (a) => { a.indicators.i11.facts.growth = true; }, code: "invalid_fact", path: ["indicators", "i11", "facts", "growth"] },
  { description: "an unknown key in the assessment", change: (a) => { a.bonus = 5; }, code: "unrecognized_keys", path: [] },
  { description: "a missing unit", change: (a) => { delete a.unit; }, code: "invalid_type", path: ["unit"] },
  { description: "an empty matter", change: (a) => { a.deductions[0].matter = ""; }, code: "too_small", path: ["deductions", 0, "matter"] },
  { description: "an indicator input with two kinds", change: (a) => { a.indicators.i1 = { score: 1, findings: [] }; }, code: "invalid_union", path: ["indicators", "i1"] },
  { description: "a __proto__ key among the indicators", change: (a) => { Object.defineProperty(a.indicators, "__proto__", { value: { i4: { score: 1 } }, enumerable: true }); delete a.indicators.i4; }, code: "forbidden_key", path: ["indicators", "__proto__"] },
  { description: "a __proto__ key among the facts", change: (a) => { Object.defineProperty(a.indicators.i10.facts, "__proto__", { value: {}, enumerable: true }); }, code: "forbidden_key", path: ["indicators", "i10", "facts", "__proto__"] },
];

describe("scoreAssessment on bad input", () => {
  it("has a corpus of at least 25 bad assessments", () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
    expect(safeScoreAssessment(framework, valid()).success).toBe(true);
  });

  describe.each(cases)("when given $description", ({ change, code, path }) => {
    it(`reports ${code} at its path and scores nothing`, () => {
      const input = valid();
      change(input);
      const outcome = safeScoreAssessment(framework, input);
      expect(outcome.success).toBe(false);
      if (outcome.success) return;
      expect(outcome.error.issues.map((i) => ({ code: i.code, path: i.path }))).toContainEqual({ code, path });
      expect(outcome.error.name).toBe("KaoheError");
      expect(() => scoreAssessment(framework, input)).toThrow(outcome.error.message);
    });
  });

  it("reports every missing indicator and every missing points at once", () => {
    const outcome = safeScoreAssessment(jiangxi2025, { unit: { id: "x", name: "某市" }, indicators: {} });
    const codes = outcome.success ? [] : outcome.error.issues.map((i) => i.code);
    expect(codes.filter((c) => c === "missing_points")).toHaveLength(12);
    expect(codes.filter((c) => c === "missing_indicator")).toHaveLength(12);
  });

  it("says how to supply points when the framework has none", () => {
    const outcome = safeScoreAssessment(jiangxi2025, valid());
    expect(outcome.success ? "" : outcome.error.issues[0]?.message).toMatch(/withPoints/);
  });

  it("reports framework and option issues with their own path prefixes", () => {
    const outcome = safeScoreAssessment({ ...framework, level: "x" }, valid(), { grades: [{ grade: "好", min: 60 }, { grade: "差", min: 80 }] });
    const paths = outcome.success ? [] : outcome.error.issues.map((i) => i.path);
    expect(paths).toContainEqual(["framework", "level"]);
    expect(paths).toContainEqual(["options", "grades", 1, "min"]);
  });

  it("never reads an indicator input through a prototype that JSON smuggled in", () => {
    const text = JSON.stringify(valid()).replace('"indicators":{', '"indicators":{"__proto__":{"i4":{"score":1}},');
    const input = JSON.parse(text) as Json;
    delete input.indicators.i4;
    const outcome = safeScoreAssessment(framework, input);
    const codes = outcome.success ? [] : outcome.error.issues.map((i) => i.code);
    expect(codes).toContain("forbidden_key");
  });

  it.each([null, undefined, 7, "x", [], { unit: null }])("throws only a KaoheError for %j", (input) => {
    let caught: unknown;
    try {
      scoreAssessment(framework, input as unknown as AssessmentInput); // as a JavaScript caller could
    } catch (error) {
      caught = error;
    }
    expect(isKaoheError(caught)).toBe(true);
  });
});
