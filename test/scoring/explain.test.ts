import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { explainResult, formatExplanation, scoreAssessment, type Framework, type ScoreResult } from "../../src/index";
import { exampleFramework, exampleGrades, readRepoJson } from "../helpers";

const framework = exampleFramework();
const files = readdirSync(new URL("../../examples/jiangxi-2025/assessments/", import.meta.url)).filter((f) => f.endsWith(".json"));
const assessment = (file: string) => readRepoJson<{ unit: unknown; indicators: Record<string, unknown> }>(`examples/jiangxi-2025/assessments/${file}`);
const graded = { grades: exampleGrades() };

/** Results that between them take every path of the trace the library writes for these examples. */
const results: ScoreResult[] = [
  ...files.map((file) => scoreAssessment(framework, assessment(file) as never, graded)),
  // A total below every band: no grade.
  scoreAssessment(framework, assessment("shangrao.json") as never, { grades: [{ grade: "好", min: 95 }] }),
  // A downgrade from the lowest band, and an indicator scored 0 for want of input.
  (() => {
    const { i5: _dropped, ...indicators } = assessment("shangrao.json").indicators;
    return scoreAssessment(framework, { ...assessment("shangrao.json"), indicators } as never, { grades: [{ grade: "好", min: 90 }, { grade: "较差", min: 0 }], missingAsZero: true });
  })(),
];

/** Every text of a value (names, clause texts, reasons, rule descriptions), traces left out. */
function labels(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === "string") out.add(value);
  else if (Array.isArray(value)) for (const item of value) labels(item, out);
  else if (typeof value === "object" && value !== null) for (const [key, item] of Object.entries(value)) if (key !== "trace") labels(item, out);
  return out;
}

const numbers = (text: string) => (text.match(/\d+(\.\d+)?/g) ?? []).sort();
const HAN = /\p{Script=Han}/u;

describe("explainResult in English", () => {
  it("is Chinese by default, and English per call", () => {
    const result = results[0] as ScoreResult;
    expect(explainResult(result)).toEqual(explainResult(result, { lang: "zh" }));
    expect(explainResult(result, { lang: "en" })[0]?.text).toMatch(new RegExp(`^${result.unit.name}: total ${result.total}`));
  });

  it("states the same facts as the Chinese, line for line, with the same source references", () => {
    const kinds = new Set<string>();
    for (const result of results) {
      for (const entry of [...result.trace, ...result.categories.flatMap((c) => c.indicators.flatMap((i) => i.trace))]) kinds.add(entry.kind);
      const zh = explainResult(result);
      const en = explainResult(result, { lang: "en" });
      expect(en.map((l) => [l.level, l.source])).toEqual(zh.map((l) => [l.level, l.source]));
      en.forEach((line, i) => expect(numbers(line.text), `${line.text}\n${zh[i]?.text}`).toEqual(numbers(zh[i]?.text ?? "")));
    }
    // The examples reach these sentences of the trace; each must have been put in English.
    for (const kind of ["score", "finding", "exhausted", "rule", "deduction", "superseded", "severe_case", "discretionary", "grade", "downgrade", "missing_as_zero"]) expect(kinds, kind).toContain(kind);
  });

  it("leaves no Chinese sentence: only the names, clause texts and reasons it quotes", () => {
    for (const result of results) {
      const quoted = [...labels(result), ...labels(framework as Framework), ...labels(graded), "约谈提醒"].filter((s) => HAN.test(s)).sort((a, b) => b.length - a.length);
      for (const line of explainResult(result, { lang: "en" })) {
        let rest = line.text;
        for (const label of quoted) rest = rest.split(label).join("");
        expect(rest.replace(/[「」]/g, ""), line.text).not.toMatch(HAN);
      }
    }
  });

  it("explains 南昌's superseded clause and 上饶's downgrade in English", () => {
    const byId = (id: string) => results.find((r) => r.unit.id === id) as ScoreResult;
    const nanchang = formatExplanation(explainResult(byId("nanchang"), { lang: "en" }));
    expect(nanchang).toContain("matter「某县帮扶车间长期闲置被省委省政府通报」: 受到省委、省政府通报批评的, 0.8 deducted (13c)");
    expect(nanchang).toContain("also meets 13d (0.5): one matter is deducted once, under the higher clause 〔《近期巩固拓展脱贫攻坚成果重点工作任务清单》附件2");
    expect(nanchang).toContain("Total: 94 − 0.8 − 0 = 93.2, rounded to 2 decimal places: 93.20");
    const shangrao = formatExplanation(explainResult(byId("shangrao"), { lang: "en" }));
    expect(shangrao).toContain("downgrade: from「一般」to「较差」");
    expect(shangrao).toContain("discretionary deduction of 2: 规模性返贫，另行酌情扣分");
  });
});
