import { readdirSync } from "node:fs";
import { createHash } from "node:crypto";
import { scoreAssessment, type AssessmentInput } from "../../src/index";
import { exampleFramework, exampleGrades, readRepoJson } from "../helpers";

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The SHA-256 of the JSON text of each example's result (key order included) under three option
 * sets, and of variants that reach the severe case, discretionary points, several findings and
 * facts given out of order. test/scoring/result-texts.json holds them as commit 9e198be gave them
 * (before the fast path of decision 0005's revision of 2026-12-03); result-texts.test.ts compares.
 */
export function resultTexts(): Record<string, string> {
  const framework = exampleFramework();
  const grades = exampleGrades();
  const dir = "examples/jiangxi-2025/assessments";
  const out: Record<string, string> = {};
  const put = (name: string, assessment: Json, options?: Json) => {
    out[name] = createHash("sha256").update(JSON.stringify(scoreAssessment(framework, assessment as AssessmentInput, options))).digest("hex");
  };
  for (const file of readdirSync(dir).sort()) {
    const a: Json = readRepoJson(`${dir}/${file}`);
    const { i1: _, ...withoutI1 } = a.indicators;
    put(`${file} grades`, a, { grades });
    put(`${file} no options`, a);
    put(`${file} missing i1 as zero, negative total allowed`, { ...a, indicators: withoutI1 }, { grades, missingAsZero: true, allowNegativeTotal: true });
    const matters: string[] = (a.deductions ?? []).map((d: Json) => d.matter);
    put(`${file} severe`, {
      ...a,
      indicators: {
        ...a.indicators,
        i9: { findings: [{ id: "Z", points: "0.5", note: "后" }, { points: 1 }, { id: "A", points: "0.25" }, { id: "A", points: 0.25, note: "前" }] },
        i11: { facts: { provinceGrowth: "6.5", nationalGrowth: 6.6, growth: "6.55" } },
      },
      deductions: [...(a.deductions ?? []), { matter: " 媒体曝光", clause: "13f", note: "n" }, { matter: "媒体曝光", clause: "13d" }],
      severe: { reason: "测试", scaleReturnToPoverty: matters.length === 0, seriousMatters: [...matters.slice(0, 1), "媒体曝光"], discretionary: [{ points: "0.5", reason: "另扣" }] },
    }, { grades });
  }
  return out;
}
