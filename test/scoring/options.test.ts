import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isKaoheError, jiangxi2025, prepareFramework, prepareScoreOptions, PreparedScoreOptions, safeScoreAssessment, scoreAssessment, type KaoheIssue } from "../../src/index";
import { exampleFramework, exampleGrades, readRepoJson } from "../helpers";

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const framework = exampleFramework();
const prepared = prepareFramework(framework);
const grades = exampleGrades();
const dir = "examples/jiangxi-2025/assessments";
const examples: Json[] = readdirSync(dir).map((f) => readRepoJson(`${dir}/${f}`));

function issuesOf(run: () => unknown): KaoheIssue[] {
  try {
    run();
  } catch (error) {
    if (isKaoheError(error)) return [...error.issues];
    throw error;
  }
  throw new Error("expected a KaoheError");
}

describe("prepareScoreOptions", () => {
  it("scores every example exactly as the options themselves do", () => {
    const variants = [{ grades }, { grades, allowNegativeTotal: true }, { missingAsZero: true }, {}];
    for (const options of variants) {
      const once = prepareScoreOptions(options);
      for (const example of examples) {
        expect(scoreAssessment(prepared, example, once)).toStrictEqual(scoreAssessment(framework, example, options));
      }
    }
  });

  it("gives missingAsZero and the framework's grades their effect", () => {
    const { i4: _dropped, ...indicators } = examples[0].indicators;
    const partial = { ...examples[0], indicators };
    expect(safeScoreAssessment(prepared, partial, prepareScoreOptions({})).success).toBe(false);
    const zero = scoreAssessment(prepared, partial, prepareScoreOptions({ missingAsZero: true }));
    expect(zero.categories.flatMap((c) => c.indicators).find((i) => i.id === "i4")?.score).toBe("0.00");
    expect(scoreAssessment(prepared, examples[0], prepareScoreOptions({ grades })).grade).not.toBeNull();
    expect(scoreAssessment(prepared, examples[0], prepareScoreOptions()).grade).toBeNull();
  });

  it("is immutable, and returns prepared options as they are", () => {
    const once = prepareScoreOptions({ grades });
    expect(once).toBeInstanceOf(PreparedScoreOptions);
    expect(prepareScoreOptions(once)).toBe(once);
    expect(Object.isFrozen(once)).toBe(true);
    expect(Object.isFrozen(once.grades)).toBe(true);
  });

  it("reports every issue of bad options, with paths from the options and under options when scoring", () => {
    const bad = { grades: [{ grade: "好", min: 80 }, { grade: "好", min: 90 }], missingAsZer: true };
    const alone = issuesOf(() => prepareScoreOptions(bad as Json));
    expect(alone.map((i) => [i.code, i.path])).toEqual([
      ["unrecognized_keys", []],
      ["duplicate_grade", ["grades", 1, "grade"]],
      ["grades_not_descending", ["grades", 1, "min"]],
    ]);
    const scoring = issuesOf(() => scoreAssessment(prepared, examples[0], bad as Json));
    expect(scoring).toEqual(alone.map((i) => ({ ...i, path: ["options", ...i.path] })));
  });
});

describe("scoreAssessment's lang option", () => {
  // One input with issues of every step: unknown indicator, missing input, score out of range, a
  // finding for a manual indicator, an unknown fact, an unknown clause, a blank matter, a serious
  // matter that is no matter, and discretionary points without a severe case.
  const base = examples[0];
  const { i2: _missing, ...kept } = base.indicators;
  const bad = {
    ...base,
    indicators: { ...kept, i1: { score: 99 }, i3: { findings: [] }, i10: { facts: { wholeTownshipOrVillageRisk: false, extra: 1 } }, i99: { score: 1 } },
    deductions: [{ matter: "M", clause: "13z" }, { matter: "\u3000", clause: "13a" }],
    severe: { reason: "r", seriousMatters: ["X"] },
  };

  it("puts each issue's Chinese text into message, with the same codes and paths", () => {
    const en = issuesOf(() => scoreAssessment(prepared, bad, { grades }));
    const zh = issuesOf(() => scoreAssessment(prepared, bad, { grades, lang: "zh" }));
    expect(en.map((i) => i.code)).toEqual(["unknown_indicator", "score_out_of_range", "missing_indicator", "input_method_mismatch", "unknown_fact", "unknown_clause", "blank_matter", "unknown_matter"]);
    expect(zh.map((i) => [i.code, i.path])).toEqual(en.map((i) => [i.code, i.path]));
    for (const [index, issue] of zh.entries()) {
      const english = en[index] as KaoheIssue;
      expect(english.zh).toBeDefined();
      expect(issue.message).toBe(english.zh);
      expect(issue.message).not.toBe(english.message);
      expect(issue.message).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(en.map((i) => i.message).join()).not.toMatch(/[应缺超]/);
  });

  it("speaks Chinese for the severe case, the shape of the assessment and the framework's missing points too", () => {
    const severe = issuesOf(() => scoreAssessment(prepared, { ...base, severe: { reason: "r", discretionary: [{ points: 1, reason: "r" }] } }, { lang: "zh" }));
    expect(severe.map((i) => i.message)).toEqual(["酌情扣分须有问题严重情形：请设 scaleReturnToPoverty 或写明 seriousMatters"]);
    const shape = issuesOf(() => scoreAssessment(prepared, { ...base, unit: { id: "x" } }, { lang: "zh" }));
    expect(shape.map((i) => [i.code, i.message])).toEqual([["invalid_type", "缺少单位名称，必须填写（应为文字）"]]);
    const unpointed = issuesOf(() => scoreAssessment(jiangxi2025, base, { lang: "zh" }));
    expect(unpointed.filter((i) => i.code === "missing_points")).toHaveLength(12);
    expect(unpointed.find((i) => i.code === "missing_points")?.message).toMatch(/^指标 1「[^」]+」没有分值/);
  });

  it("is carried by prepared options, and the thrown error's message lists the Chinese issues", () => {
    const once = prepareScoreOptions({ grades, lang: "zh" });
    const outcome = safeScoreAssessment(prepared, bad, once);
    expect(outcome.success).toBe(false);
    if (outcome.success) return;
    expect(outcome.error.message).toContain('indicators.i99: 指标「i99」不在指标体系 jiangxi2025 中 [unknown_indicator]');
  });

  it("changes nothing in a result, and an invalid lang is an option issue reported in English", () => {
    for (const example of examples) expect(scoreAssessment(prepared, example, { grades, lang: "zh" })).toStrictEqual(scoreAssessment(prepared, example, { grades, lang: "en" }));
    const issues = issuesOf(() => scoreAssessment(prepared, base, { lang: "fr" } as Json));
    expect(issues.map((i) => [i.code, i.path])).toEqual([["invalid_value", ["options", "lang"]]]);
    expect(issues[0]?.message).toMatch(/^must be one of "zh", "en"/);
  });
});
