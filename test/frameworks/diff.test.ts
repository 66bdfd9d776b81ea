import { describe, expect, it } from "vitest";
import {
  jiangxi2025,
  scoreAssessment,
  withPoints,
  type Assessment,
  type Framework,
} from "../../src/index";
import {
  checkAssessmentFit,
  deriveFramework,
  diffFrameworks,
  formatFrameworkDiff,
  safeDeriveFramework,
} from "../../src/authoring/index";
import { exampleFramework, readRepoJson } from "../helpers";

const indicator = (f: Framework, id: string) => f.categories.flatMap((c) => c.indicators).find((i) => i.id === id);
const i12 = indicator(jiangxi2025, "i12");
const i4 = indicator(jiangxi2025, "i4");

/** A 2026 version of the embedded framework with one change of every kind. */
const next = deriveFramework(jiangxi2025, {
  id: "jiangxi2026",
  year: 2026,
  title: "2026年度巩固拓展脱贫攻坚成果考核指标体系",
  departments: [{ id: "audit", name: "省审计厅" }],
  indicators: {
    i8: null,
    i12: { name: "群众认可度", content: (i12?.content ?? "").replace("综合测算", "抽样测算") },
    i9: { departments: ["agri", "audit"] },
    i7: { scoring: { method: "findings" } },
    i4: null,
  },
  addIndicators: [
    { category: "c3", after: "i5", indicator: { ...(i4 as NonNullable<typeof i4>), id: "i4b" } },
    { category: "c4", indicator: { id: "i14", code: "14", name: "帮扶产业项目资产风险情况", content: "项目资产闲置、低效情况。", onSite: true, departments: ["agri"], scoring: { method: "manual" }, source: { document: "示例", part: "附件2", item: "14" } } },
  ],
  deductionClauses: [
    ...jiangxi2025.deductionClauses.filter((c) => c.id !== "13h").map((c) => (c.id === "13b" ? { ...c, points: 1 } : c)),
    { id: "13i", text: "数据共享不及时造成不良影响的", points: 0.5, source: { document: "示例", part: "附件2", item: "13(i)" } },
  ],
  policies: jiangxi2025.policies.filter((p) => p.kind === "same_matter_highest"),
});
const diff = diffFrameworks(jiangxi2025, next);

describe("deriveFramework", () => {
  it("records the framework it derives from and validates the copy", () => {
    expect(next.derivesFrom).toEqual({ id: "jiangxi2025", year: 2025, title: jiangxi2025.title });
    expect(next.departments.at(-1)).toEqual({ id: "audit", name: "省审计厅" });
    expect(next.categories[2]?.indicators.map((i) => i.id)).toEqual(["i5", "i4b", "i6", "i7", "i9"]);
    expect(jiangxi2025.categories[2]?.indicators).toHaveLength(6);
  });

  it("reports changes naming what the base does not have, all at once", () => {
    const result = safeDeriveFramework(jiangxi2025, { id: "x", indicators: { i99: null }, addIndicators: [{ category: "c9", indicator: i4 as NonNullable<typeof i4> }] });
    expect(result.success ? [] : result.error.issues.map((i) => [i.code, i.path])).toEqual([
      ["unknown_indicator", ["indicators", "i99"]],
      ["unknown_category", ["addIndicators", 0, "category"]],
    ]);
  });

  it("reports what the result breaks: a category left empty, an unknown department", () => {
    const result = safeDeriveFramework(jiangxi2025, { id: "x", indicators: { i1: null, i2: { departments: ["moon"] } } });
    expect(result.success ? [] : result.error.issues.map((i) => i.code)).toEqual(["too_small", "unknown_department"]);
  });
});

describe("diffFrameworks", () => {
  it("finds nothing between a framework and itself", () => {
    expect(diffFrameworks(jiangxi2025, jiangxi2025).same).toBe(true);
  });

  it("matches by id, then by code and name, and says how", () => {
    expect(diff.matches.i12).toEqual({ fromId: "i12", match: "id" });
    expect(diff.matches.i4b).toEqual({ fromId: "i4", match: "code_and_name" });
  });

  it("reports every kind of change of the indicators", () => {
    const byTo = (id: string) => diff.indicators.find((d) => d.to?.id === id);
    expect(byTo("i12")).toMatchObject({ renamed: true, content: [{ op: "=" }, { op: "-", text: "综合" }, { op: "+", text: "抽样" }, { op: "=" }] });
    expect(byTo("i9")?.departments).toEqual({ added: ["省审计厅"], removed: [] });
    expect(byTo("i7")?.method).toEqual({ from: "manual", to: "findings" });
    expect(byTo("i4b")).toMatchObject({ idChanged: true, match: "code_and_name" });
    expect(byTo("i14")?.kind).toBe("added");
    expect(diff.indicators.filter((d) => d.kind === "removed").map((d) => d.from?.id)).toEqual(["i8"]);
  });

  it("reports an indicator moved to another category", () => {
    const moved = deriveFramework(jiangxi2025, { id: "m", indicators: { i9: null }, addIndicators: [{ category: "c4", indicator: indicator(jiangxi2025, "i9") as NonNullable<ReturnType<typeof indicator>> }] });
    expect(diffFrameworks(jiangxi2025, moved).indicators).toEqual([
      { kind: "changed", match: "id", from: expect.objectContaining({ category: { code: "三", name: "工作落实" } }), to: expect.objectContaining({ category: { code: "四", name: "成效巩固" } }), moved: true },
    ]);
  });

  it("reports clauses added, removed and re-pointed, and policies removed", () => {
    expect(diff.clauses.map((c) => [c.kind, c.from?.id ?? c.to?.id, c.repointed ?? false])).toEqual([
      ["changed", "13b", true],
      ["added", "13i", false],
      ["removed", "13h", false],
    ]);
    expect(diff.policies).toEqual([{ kind: "removed", policy: "severe_case", from: jiangxi2025.policies[1]?.text }]);
    expect(diff.fields.map((f) => f.field)).toEqual(["title", "year"]);
  });

  it("renders a Chinese report by default and an English one on request", () => {
    const zh = formatFrameworkDiff(diff);
    expect(zh).toContain("  指标 12「群众认可度」（按编号匹配）\n    更名：「巩固脱贫成果认可度」→「群众认可度」\n    内容：根据入户调查情况，[-综合-]{+抽样+}测算各设区市巩固…");
    expect(zh).toContain("  指标 4「脱贫人口稳岗就业情况」（按序号和名称匹配）\n    编号：i4 → i4b");
    expect(zh).toContain("  删除指标 8「财政衔接推进乡村振兴补助资金使用管理情况」（三、工作落实）");
    expect(zh).toContain("  新增指标 14「帮扶产业项目资产风险情况」（四、成效巩固）");
    expect(zh).toContain("    每项扣分：0.8 → 1");
    expect(zh).toContain("  删除严重情形：发生规模性返贫");
    const en = formatFrameworkDiff(diff, { lang: "en" });
    expect(en).toContain("  indicator 7「防止返贫致贫监测帮扶情况」 (matched by id)\n    scoring: manual → findings");
    expect(en).toContain("    data sources added: 省审计厅");
  });
});

describe("checkAssessmentFit", () => {
  const assessment = readRepoJson<Assessment>("examples/jiangxi-2025/assessments/jiujiang.json");
  // The example assessments are written for the embedded framework with illustrative points and
  // indicator 9 scored by findings.
  const written = exampleFramework();

  it("finds nothing amiss for the framework the assessment was written for", () => {
    expect(checkAssessmentFit(assessment, written)).toEqual([]);
  });

  it("explains a 2025 assessment against the 2026 framework by what changed", () => {
    const issues = checkAssessmentFit(assessment, next, diffFrameworks(written, next));
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ["indicator_id_changed", ["indicators", "i4"]],
      ["method_changed", ["indicators", "i7"]],
      ["indicator_removed", ["indicators", "i8"]],
      ["method_changed", ["indicators", "i9"]],
      ["indicator_added", ["indicators", "i14"]],
      ["clause_removed", ["deductions", 0, "clause"]],
    ]);
    expect(issues[0]?.zh).toBe("指标 i4 在 jiangxi2026（2026）中编号为 i4b，请将其考核数据移至 i4b");
    expect(issues[1]?.zh).toContain("（由「实地考核评分」改为「扣完为止」）");
  });

  it("says what scoring alone would only call unknown", () => {
    const points = Object.fromEntries(next.categories.flatMap((c) => c.indicators).filter((i) => i.scoring.method !== "deductions").map((i) => [i.id, 5]));
    const scored = withPoints(next, points);
    expect(() => scoreAssessment(scored, assessment)).toThrow();
    expect(checkAssessmentFit(assessment, scored, diffFrameworks(jiangxi2025, scored)).map((i) => i.code)).toContain("indicator_removed");
  });
});
