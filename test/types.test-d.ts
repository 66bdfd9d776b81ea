import { describe, expectTypeOf, it } from "vitest";
import {
  jiangxi2025,
  parseFramework,
  safeParseFramework,
  safeScoreAssessment,
  scoreAssessment,
  withPoints,
  prepareFramework,
  type Assessment,
  type DeductionEvent,
  type Department,
  type Framework,
  type FrameworkInput,
  type KaoheError,
  type ScoreResult,
  type Indicator,
  type ScoringMethod,
  type NumberInput,
  type AssessmentInput,
  parseAssessment,
  safeParseAssessment,
  prepareRulebook,
  safePrepareRulebook,
  screenRecords,
  screenRecordStream,
  type PreparedRulebook,
  type RulebookInput,
} from "../src/index";

describe("public types", () => {
  it("types the embedded framework and its public contract", () => {
    expectTypeOf(jiangxi2025).toEqualTypeOf<Framework>();
    expectTypeOf<Framework["categories"][number]["indicators"][number]>().toEqualTypeOf<Indicator>();
    expectTypeOf<Indicator["points"]>().toEqualTypeOf<NumberInput | undefined>();
    expectTypeOf<ScoringMethod>().toEqualTypeOf<"manual" | "findings" | "rule" | "deductions">();
    expectTypeOf<Framework["deductionClauses"][number]>().toHaveProperty("points").toEqualTypeOf<NumberInput>();
    expectTypeOf(parseFramework).returns.toEqualTypeOf<Framework>();
  });

  it("makes safe results a discriminated union", () => {
    const outcome = safeParseFramework({});
    if (outcome.success) expectTypeOf(outcome.data).toEqualTypeOf<Framework>();
    else expectTypeOf(outcome.error).toEqualTypeOf<KaoheError>();
    const scored = safeScoreAssessment(jiangxi2025, {});
    if (scored.success) expectTypeOf(scored.data).toEqualTypeOf<ScoreResult>();
  });

  it("returns a ScoreResult whose totals are decimal strings", () => {
    expectTypeOf(scoreAssessment).returns.toEqualTypeOf<ScoreResult>();
    expectTypeOf<ScoreResult["total"]>().toEqualTypeOf<string>();
    expectTypeOf<ScoreResult["grade"]>().toEqualTypeOf<{ base: string; final: string; downgraded: boolean; alreadyLowest: boolean } | null>();
  });

  it("accepts numbers or decimal strings as points, and prepared frameworks for scoring", () => {
    expectTypeOf(withPoints).toBeCallableWith(jiangxi2025, { i1: 10, i2: "12.5" });
    expectTypeOf(scoreAssessment).toBeCallableWith(prepareFramework(jiangxi2025), {} as Assessment);
  });

  it("rejects wrong option and input types at compile time", () => {
    // @ts-expect-error grades need a minimum
    scoreAssessment(jiangxi2025, {} as Assessment, { grades: [{ grade: "好" }] });
    // @ts-expect-error missingAsZero is a boolean
    scoreAssessment(jiangxi2025, {} as Assessment, { missingAsZero: "yes" });
    // @ts-expect-error points are numbers or strings
    withPoints(jiangxi2025, { i1: true });
    expectTypeOf<Assessment["deductions"]>().toEqualTypeOf<{ matter: string; clause: string; note?: string | undefined }[] | undefined>();
  });

  describe("typed entry points (issue 12): what a user writes compiles, misspelt keys and wrong types do not", () => {
    const assessment = {
      unit: { id: "jian", name: "吉安市" },
      indicators: { i1: { score: 9 }, i2: { score: "11.5" }, i9: { findings: [{ points: "0.5" }] } },
      deductions: [{ matter: "媒体曝光", clause: "13f" }],
    };
    const rulebook: RulebookInput = {
      id: "r", title: "规则", version: "1",
      fields: {
        county: { column: "县", type: "text", of: "village" },
        township: { column: "乡镇", type: "text", of: "village" },
        village: { column: "行政村", type: "text", of: "village" },
        householdId: { column: "户编号", type: "text", of: "household" },
      },
      keys: { household: "householdId" },
      unit: { county: "county", township: "township", village: "village" },
      rules: [{ code: "R1", title: "缺户编号", subject: "household", severity: "low", when: { missing: ["householdId"] }, message: "缺户编号" }],
    };

    it("takes an AssessmentInput with numbers or decimal strings", () => {
      expectTypeOf(scoreAssessment).toBeCallableWith(jiangxi2025, assessment);
      expectTypeOf(scoreAssessment).parameter(1).toEqualTypeOf<AssessmentInput>();
      expectTypeOf<AssessmentInput["indicators"][string]>().toMatchTypeOf<{ score: number | string } | object>();
    });

    it("takes readonly arrays without a cast, at any depth", () => {
      const deductions: readonly DeductionEvent[] = [{ matter: "媒体曝光", clause: "13f" }];
      const findings = [{ points: "0.5", note: "台账不全" }] as const;
      const frozen = {
        unit: { id: "jian", name: "吉安市" },
        indicators: { i1: { score: 9 }, i9: { findings } },
        deductions,
        severe: { reason: "规模性返贫", scaleReturnToPoverty: true, seriousMatters: ["媒体曝光"] as const, discretionary: [{ points: 1, reason: "酌情" }] as const },
      } as const;
      expectTypeOf(scoreAssessment).toBeCallableWith(jiangxi2025, frozen);
      expectTypeOf(frozen).toMatchTypeOf<AssessmentInput>();
      // The mutable form a parse returns is accepted as well.
      expectTypeOf<Assessment>().toMatchTypeOf<AssessmentInput>();
      // @ts-expect-error `mattr` is not `matter`, readonly or not
      scoreAssessment(jiangxi2025, { unit: { id: "x", name: "x" }, indicators: {}, deductions: [{ mattr: "m", clause: "13f" }] as const });
      // @ts-expect-error `pionts` is not `points` in a readonly findings array
      scoreAssessment(jiangxi2025, { unit: { id: "x", name: "x" }, indicators: { i9: { findings: [{ pionts: 1 }] as const } } });
    });

    it("rejects misspelt keys and wrong types in scoreAssessment", () => {
      // @ts-expect-error `unti` is not `unit`
      scoreAssessment(jiangxi2025, { unti: { id: "x", name: "x" }, indicators: {} });
      // @ts-expect-error `scroe` is not `score`
      scoreAssessment(jiangxi2025, { unit: { id: "x", name: "x" }, indicators: { i1: { scroe: 9 } } });
      // @ts-expect-error a score is a number or a decimal string, not a boolean
      scoreAssessment(jiangxi2025, { unit: { id: "x", name: "x" }, indicators: { i1: { score: true } } });
      // @ts-expect-error neither a framework nor an assessment
      scoreAssessment(42, "x");
      // @ts-expect-error the unit needs a name
      scoreAssessment(jiangxi2025, { unit: { id: "x" }, indicators: {} });
    });

    it("sends data of unknown shape through parse… and safe…", () => {
      const data: unknown = JSON.parse("{}");
      // @ts-expect-error unknown data is parsed first (parseFramework), then prepared
      prepareFramework(data);
      // @ts-expect-error neither a framework nor a prepared one
      prepareFramework(42);
      expectTypeOf(prepareFramework).toBeCallableWith(parseFramework(data));
      expectTypeOf(prepareFramework).toBeCallableWith(prepareFramework(jiangxi2025));
      const frozen: FrameworkInput = { ...jiangxi2025, policies: [] as const, departments: jiangxi2025.departments as readonly Department[] };
      expectTypeOf(prepareFramework).toBeCallableWith(frozen);
      // @ts-expect-error unknown data is parsed first
      scoreAssessment(jiangxi2025, data);
      expectTypeOf(parseAssessment).parameter(0).toEqualTypeOf<unknown>();
      expectTypeOf(parseAssessment(data)).toEqualTypeOf<Assessment>();
      expectTypeOf(scoreAssessment).toBeCallableWith(jiangxi2025, parseAssessment(data));
      expectTypeOf(safeParseAssessment).parameter(0).toEqualTypeOf<unknown>();
      expectTypeOf(safeScoreAssessment).toBeCallableWith(data, data);
      expectTypeOf(safePrepareRulebook).toBeCallableWith(data);
      // @ts-expect-error unknown data is checked by safePrepareRulebook
      prepareRulebook(data);
    });

    it("takes a RulebookInput or a PreparedRulebook for screening, and rejects misspelt ones", () => {
      expectTypeOf(prepareRulebook).toBeCallableWith(rulebook);
      expectTypeOf(prepareRulebook(rulebook)).toEqualTypeOf<PreparedRulebook>();
      expectTypeOf(screenRecords).toBeCallableWith([{ householdId: "H1" }], rulebook);
      expectTypeOf(screenRecords).toBeCallableWith([{ householdId: "H1" }], prepareRulebook(rulebook));
      expectTypeOf(screenRecordStream).toBeCallableWith([{ householdId: "H1" }], rulebook);
      const rules = [{ code: "R1", title: "缺户编号", subject: "household", severity: "low", when: { missing: ["householdId"] }, message: "缺户编号" }] as const;
      const allowed: readonly string[] = ["脱贫户", "监测户"];
      const frozen = { ...rulebook, fields: { ...rulebook.fields, kind: { column: ["户类型", "类型"], type: "text", of: "household", allowed } }, rules } as const;
      expectTypeOf(prepareRulebook).toBeCallableWith(frozen);
      expectTypeOf(screenRecords).toBeCallableWith([{ householdId: "H1" }] as const, frozen);
      // @ts-expect-error `serverity` is not `severity`, in a readonly rules array too
      prepareRulebook({ ...rulebook, rules: [{ ...rules[0], serverity: "low" }] as const });
      // @ts-expect-error `feilds` is not `fields`
      prepareRulebook({ ...rulebook, feilds: {} });
      // @ts-expect-error a field's type is one of text, number, date, boolean
      prepareRulebook({ ...rulebook, fields: { ...rulebook.fields, householdId: { column: "户编号", type: "string", of: "household" } } });
      // @ts-expect-error a rulebook, not a number
      screenRecords([], 42);
      // @ts-expect-error rows are objects keyed by field name
      screenRecords(["H1"], rulebook);
    });
  });
});
