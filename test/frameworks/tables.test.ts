import { describe, expect, it } from "vitest";
import { readTables } from "../../src/cli/tables";
import {
  digestJson,
  explainResult,
  formatExplanation,
  parseFramework,
  scoreAssessment,
  withPoints,
  type Framework,
} from "../../src/index";
import { exportFramework, importFramework, type ImportFrameworkOptions } from "../../src/authoring/index";
import { importOptions } from "../../examples/frameworks/tables";
import { readRepoJson } from "../helpers";

const dir = "examples/frameworks";

async function importFile(name: string, options: ImportFrameworkOptions): Promise<Framework> {
  const { tables, issues } = await readTables(`${dir}/${name}`);
  expect(issues).toEqual([]);
  return importFramework(tables, { ...options, file: name });
}

const grades = readRepoJson<{ grades: { grade: string; min: number }[] }>("examples/jiangxi-2025/grades.json").grades;

describe("the example indicator tables", () => {
  describe("province-2026.xlsx (like attachment 2: no points, clauses as rows)", async () => {
    const framework = await importFile("province-2026.xlsx", importOptions.provincial);

    it("imports to the committed framework (rerun examples/frameworks/generate.ts after changing the tables)", () => {
      expect(framework).toEqual(readRepoJson(`${dir}/province-2026.framework.json`));
    });

    it("reads the title row, the merged categories and the multi-line indicator cell", () => {
      expect(framework.title).toBe("示例省2026年度巩固拓展脱贫攻坚成果考核指标体系");
      expect(framework.year).toBe(2026);
      expect(framework.categories.map((c) => [c.code, c.name, c.indicators.map((i) => i.code)])).toEqual([
        ["一", "责任落实", ["1"]],
        ["二", "政策落实", ["2", "3"]],
        ["三", "成效巩固", ["4", "5"]],
        ["四", "负面事项", ["6"]],
      ]);
      expect(framework.categories[0]?.indicators[0]?.name).toBe("主体责任、部门责任、驻村帮扶责任等情况");
      expect(framework.categories[0]?.indicators[0]?.content.split("\n")).toHaveLength(3);
    });

    it("reads 实地考核 and the departments of 数据来源", () => {
      const first = framework.categories[0]?.indicators[0];
      expect(first?.onSite).toBe(true);
      expect(first?.departments.map((id) => framework.departments.find((d) => d.id === id)?.name)).toEqual(["省委组织部", "省农业农村厅"]);
      expect(framework.categories[2]?.indicators[0]?.onSite).toBe(false);
    });

    it("reads the clause rows with their points (full-width digits too) and the two policies", () => {
      expect(framework.deductionClauses.map((c) => [c.id, c.text, c.points, c.source.item])).toEqual([
        ["6a", "受到党中央、国务院通报批评的", "1", "C9"],
        ["6b", "受到省委、省政府通报批评的", "0.8", "C10"],
        ["6c", "被主流媒体曝光造成重大不良影响的", "0.5", "C11"],
      ]);
      expect(framework.policies.map((p) => p.kind)).toEqual(["same_matter_highest", "severe_case"]);
      expect(framework.totalPoints).toBeUndefined();
      expect(framework.categories.flatMap((c) => c.indicators).every((i) => i.points === undefined)).toBe(true);
    });

    it("scores with illustrative points, as a framework without points must", () => {
      const points = readRepoJson<{ points: Record<string, number>; total: number }>(`${dir}/province-2026.points.json`);
      const scored = withPoints(framework, points.points, { total: points.total });
      const result = scoreAssessment(scored, readRepoJson(`${dir}/assessments/province-city-a.json`));
      expect(result.total).toBe("89.20");
      expect(formatExplanation(explainResult(result))).toContain("〔《province-2026.xlsx》指标体系 C10〕");
    });
  });

  describe("city-2025.xlsx (分值 and 评分标准, grade bands under 合计)", async () => {
    const framework = await importFile("city-2025.xlsx", importOptions.municipal);

    it("imports to the committed framework", () => {
      expect(framework).toEqual(readRepoJson(`${dir}/city-2025.framework.json`));
    });

    it("reads points written with full-width digits, ideographic spaces and 分", () => {
      expect(framework.categories.flatMap((c) => c.indicators).map((i) => i.points)).toEqual(["15", "10", 25, "30", 20]);
      expect(framework.totalPoints).toBe(100);
    });

    it("joins 考核内容 and 评分标准, and reads 扣完为止 as scoring by findings", () => {
      const monitoring = framework.categories[1]?.indicators[0];
      expect(monitoring?.content).toBe("防止返贫监测对象识别纳入和帮扶情况。\n评分标准：每发现一例应纳未纳的扣0.5分，扣完为止。");
      expect(monitoring?.scoring.method).toBe("findings");
      expect(framework.categories[0]?.indicators[0]?.scoring.method).toBe("manual");
    });

    it("reads the grade table beneath the 合计 row", () => {
      expect(framework.grades).toEqual([
        { grade: "好", min: 90 },
        { grade: "较好", min: 80 },
        { grade: "一般", min: 70 },
        { grade: "较差", min: 0 },
      ]);
    });

    it("scores an assessment with its own grades", () => {
      const result = scoreAssessment(framework, readRepoJson(`${dir}/assessments/city-county-a.json`));
      expect([result.total, result.grade?.final]).toEqual(["91.25", "好"]);
    });
  });

  describe("county-2025 (clauses inside 评分标准, 评分方法 column, 合计)", async () => {
    const framework = await importFile("county-2025.xlsx", importOptions.county);
    const fromCsv = await importFile("county-2025.csv", importOptions.county);

    it("imports to the committed framework", () => {
      expect(framework).toEqual(readRepoJson(`${dir}/county-2025.framework.json`));
    });

    it("reads the CSV twin to the same framework, its sources naming the CSV file and its numbers as text", () => {
      // A CSV cell is text: 10 comes as "10". The numbers' values are the same.
      const textual = (f: Framework) => JSON.stringify(f).replace(/"(points|totalPoints)":(\d+(\.\d+)?)/g, '"$1":"$2"');
      const renamed = textual(framework).replaceAll('"document":"county-2025.xlsx","part":"县考核表"', '"document":"county-2025.csv","part":"county-2025"');
      expect(textual(fromCsv)).toBe(renamed);
      expect(fromCsv.categories[0]?.indicators[0]?.points).toBe("10");
    });

    it("reads 每次扣1分, 每例扣0.5分 and 扣 0.8 分 from the 评分标准 cell, numbering each clause", () => {
      expect(framework.deductionClauses.map((c) => [c.text, c.points, c.source.item])).toEqual([
        ["受到县委、县政府通报批评的", "1", "D8 第1条"],
        ["受到县直有关单位通报批评的", "0.5", "D8 第2条"],
        ["被媒体曝光造成不良影响的", "0.8", "D8 第3条"],
      ]);
      expect(framework.policies.map((p) => [p.kind, p.text])).toEqual([
        ["same_matter_highest", "同一事项按就高原则计算，不重复扣分。"],
        ["severe_case", "问题严重的，另行酌情扣分，降档处理。"],
      ]);
    });

    it("takes the 评分方法 column and the 序号 column as written", () => {
      expect(framework.categories.flatMap((c) => c.indicators).map((i) => [i.code, i.scoring.method])).toEqual([
        ["1", "findings"],
        ["2", "manual"],
        ["3", "findings"],
        ["4", "manual"],
        ["5", "manual"],
        ["6", "deductions"],
      ]);
      expect(framework.totalPoints).toBe(100);
    });

    it("scores a township: one matter meeting two clauses deducts the higher once", () => {
      const result = scoreAssessment(framework, readRepoJson(`${dir}/assessments/county-town-a.json`), { grades });
      expect([result.total, result.grade?.final]).toEqual(["88.20", "较好"]);
      expect(result.deductions.matters.map((m) => [m.clause.id, m.superseded.map((s) => s.id)])).toEqual([
        ["6c", []],
        ["6a", ["6b"]],
      ]);
    });
  });

  describe.each([
    ["province-2026.xlsx", importOptions.provincial],
    ["city-2025.xlsx", importOptions.municipal],
    ["county-2025.xlsx", importOptions.county],
  ] as const)("%s exported", (name, options) => {
    it("imports back to the same framework (equal digest)", async () => {
      const framework = await importFile(name, options);
      const again = importFramework(exportFramework(framework), { file: "exported.xlsx" });
      expect(digestJson(again)).toBe(digestJson(framework));
      expect(parseFramework(again)).toEqual(framework);
    });
  });
});
