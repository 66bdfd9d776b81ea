import { describe, expect, it } from "vitest";
import { scoreAssessment, type AssessmentInput, type ScoreOptions } from "../../src/index";
import { assertValidResult, exampleFramework, readRepoJson, runCliCaptured } from "../helpers";

interface GoldenCase {
  description: string;
  assessment: { indicators?: Record<string, unknown>; [key: string]: unknown };
  options?: ScoreOptions;
  expected: Record<string, unknown>;
}

const { cases } = readRepoJson<{ cases: GoldenCase[] }>("test/scoring/golden-cases.json");
const framework = exampleFramework();

/** A full-marks assessment of the example framework. */
function fullMarks(): Record<string, unknown> {
  const indicators: Record<string, unknown> = {};
  for (const indicator of framework.categories.flatMap((c) => c.indicators)) {
    if (indicator.scoring.method === "manual") indicators[indicator.id] = { score: indicator.points };
    if (indicator.scoring.method === "findings") indicators[indicator.id] = { findings: [] };
  }
  indicators.i10 = { facts: { wholeTownshipOrVillageRisk: false } };
  indicators.i11 = { facts: { growth: 7, provinceGrowth: 6.5, nationalGrowth: 6.6 } };
  return { unit: { id: "test-city", name: "测试市" }, indicators };
}

function assessmentOf(c: GoldenCase): AssessmentInput {
  const base = fullMarks();
  const { indicators = {}, ...rest } = c.assessment;
  const merged = { ...(base.indicators as Record<string, unknown>), ...indicators };
  for (const [id, value] of Object.entries(merged)) if (value === null) delete merged[id];
  return { ...base, ...rest, indicators: merged } as AssessmentInput; // a case may be invalid on purpose
}

describe("scoreAssessment golden cases", () => {
  describe.each(cases)("$description", (c) => {
    it("gives the expected result through the library", () => {
      const result = scoreAssessment(framework, assessmentOf(c), c.options ?? {});
      const { indicators = {}, ...expected } = c.expected as { indicators?: Record<string, object> };
      expect(result).toMatchObject(expected);
      const byId = new Map(result.categories.flatMap((category) => category.indicators).map((i) => [i.id, i]));
      for (const [id, subset] of Object.entries(indicators)) expect(byId.get(id)).toMatchObject(subset);
      assertValidResult(result);
    });

    it("gives the same result through the CLI", async () => {
      const files: Record<string, string> = {
        "case.json": JSON.stringify(assessmentOf(c)),
        "framework.json": JSON.stringify(framework),
      };
      const args = ["score", "case.json", "--framework", "framework.json", "--format", "json"];
      if (c.options?.grades) {
        files["grades.json"] = JSON.stringify({ illustrative: true, grades: c.options.grades });
        args.push("--grades", "grades.json");
      }
      if (c.options?.missingAsZero) args.push("--missing-as-zero");
      if (c.options?.allowNegativeTotal) args.push("--allow-negative-total");
      const run = await runCliCaptured(args, files);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      // One shape whatever the number of inputs: { ok, illustrative, results, ranking, errors }.
      const output = JSON.parse(run.stdout);
      expect(output.ok).toBe(true);
      expect(output.results).toEqual([scoreAssessment(framework, assessmentOf(c), c.options ?? {})]);
    });
  });
});
