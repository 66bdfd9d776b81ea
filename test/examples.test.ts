import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { explainResult, formatExplanation, rankResults, scoreAssessment, type ScoreResult } from "../src/index";
import { assertValidResult, exampleFramework, exampleGrades, readRepoJson } from "./helpers";

const framework = exampleFramework();
const grades = exampleGrades();
const files = readdirSync(new URL("../examples/jiangxi-2025/assessments/", import.meta.url)).filter((f) => f.endsWith(".json"));
const results = new Map<string, ScoreResult>(
  files.map((file) => {
    const result = scoreAssessment(framework, readRepoJson(`examples/jiangxi-2025/assessments/${file}`), { grades });
    return [result.unit.id, result];
  }),
);

function resultOf(id: string): ScoreResult {
  const result = results.get(id);
  if (!result) throw new Error(`no example for ${id}`);
  return result;
}

describe("examples/jiangxi-2025", () => {
  it("holds synthetic assessments of the 11 设区市, each marked synthetic", () => {
    expect(files).toHaveLength(11);
    for (const file of files) {
      expect(readRepoJson<{ $comment: string }>(`examples/jiangxi-2025/assessments/${file}`).$comment).toMatch(/^SYNTHETIC/);
    }
    expect(readRepoJson<{ illustrative: boolean }>("examples/jiangxi-2025/points.json").illustrative).toBe(true);
    expect(readRepoJson<{ illustrative: boolean }>("examples/jiangxi-2025/grades.json").illustrative).toBe(true);
  });

  it("scores every example to a result that validates against its JSON Schema", () => {
    for (const result of results.values()) assertValidResult(result);
  });

  it("南昌: one matter meeting two clauses deducts only 13c", () => {
    const matter = resultOf("nanchang").deductions.matters[0];
    expect(matter?.clause.id).toBe("13c");
    expect(matter?.superseded.map((c) => c.id)).toEqual(["13d"]);
    expect(resultOf("nanchang").total).toBe("93.20");
  });

  it("萍乡: findings of 9 points exhaust indicator 9 at 0", () => {
    const i9 = resultOf("pingxiang").categories.flatMap((c) => c.indicators).find((i) => i.id === "i9");
    expect(i9?.exactScore).toBe("0");
    expect(i9?.trace.at(-1)?.kind).toBe("exhausted");
  });

  it("九江: three matters add up to 2.1", () => {
    expect(resultOf("jiujiang").deductions.total).toBe("2.1");
    expect(resultOf("jiujiang").deductions.matters).toHaveLength(3);
  });

  it("赣州: income growth 0.1 below the national average scores indicator 11 at 0", () => {
    const i11 = resultOf("ganzhou").categories.flatMap((c) => c.indicators).find((i) => i.id === "i11");
    expect(i11?.score).toBe("0.00");
  });

  it("吉安: the same clause twice for one matter deducts once", () => {
    expect(resultOf("jian").deductions.total).toBe("1");
  });

  it("上饶: a severe case deducts 2.5 discretionary points and downgrades 一般 to 较差", () => {
    const result = resultOf("shangrao");
    expect(result.discretionary.total).toBe("2.5");
    expect(result.grade).toEqual({ base: "一般", final: "较差", downgraded: true, alreadyLowest: false });
    expect(result.flags).toEqual({ downgrade: true, interview: true });
  });

  it("ranks the cohort with 景德镇 and 新余 tied, ordered by unit id", () => {
    const ranking = rankResults([...results.values()]);
    expect(ranking.map((r) => `${r.rank} ${r.unitId} ${r.total}`)).toEqual([
      "1 yingtan 100.00",
      "2 fuzhou 94.75",
      "3 jiujiang 94.40",
      "4 nanchang 93.20",
      "5 jingdezhen 91.50",
      "5 xinyu 91.50",
      "7 jian 89.50",
      "8 ganzhou 88.50",
      "9 yichun 84.00",
      "10 pingxiang 83.00",
      "11 shangrao 72.50",
    ]);
  });

  it("explains a result line by line, each indicator with its source reference", () => {
    const lines = explainResult(resultOf("nanchang"));
    expect(lines[0]?.text).toBe("南昌市 考核结果：总分 93.20 分，等次「好」");
    const indicatorLines = lines.filter((l) => l.level === 1 && /^\d+\. /.test(l.text));
    expect(indicatorLines).toHaveLength(12);
    expect(indicatorLines.every((l) => l.source?.part.startsWith("附件2"))).toBe(true);
    const text = formatExplanation(lines);
    expect(text).toContain("事项「某县帮扶车间长期闲置被省委省政府通报」：受到省委、省政府通报批评的，扣 0.8 分（13c）");
    expect(text).toContain("同一事项按就高原则计算，不重复扣分 〔《近期巩固拓展脱贫攻坚成果重点工作任务清单》附件2 2025年度巩固拓展脱贫攻坚成果考核指标体系 指标13 扣分项 说明〕");
    expect(text).toContain("总分：94 − 0.8 − 0 = 93.2，保留 2 位小数为 93.20 分");
  });

  it("explains a severe case with the downgrade", () => {
    const text = formatExplanation(explainResult(resultOf("shangrao")));
    expect(text).toContain("降档处理：由「一般」降为「较差」");
    expect(text).toContain("另行酌情扣分 2 分：规模性返贫，另行酌情扣分");
  });
});
