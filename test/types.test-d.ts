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
  type Framework,
  type KaoheError,
  type ScoreResult,
  type Indicator,
  type ScoringMethod,
  type NumberInput,
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
});
