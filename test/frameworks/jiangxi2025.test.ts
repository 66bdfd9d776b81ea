import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { jiangxi2025, keyTasks2025, parseFramework, parseKeyTasks } from "../../src/index";

/** The transcription with its correction marks resolved to the corrected reading. */
const transcription = readFileSync(new URL("../fixtures/seed/TRANSCRIPTION.md", import.meta.url), "utf8")
  .replace(/ \*\*\[corrected: [^\]]*\]\*\*/g, "")
  .replace(/\*\*/g, "");

const partC = transcription.slice(transcription.indexOf("## Part C"));
const partB = transcription.slice(transcription.indexOf("## Part B"), transcription.indexOf("## Part C"));
const indicators = jiangxi2025.categories.flatMap((c) => c.indicators);

describe("jiangxi2025", () => {
  it("parses as a valid framework", () => {
    expect(parseFramework(jiangxi2025)).toEqual(jiangxi2025);
  });

  it("has the five categories of the document, in order", () => {
    expect(jiangxi2025.categories.map((c) => `${c.code}、${c.name}`)).toEqual([
      "一、责任落实",
      "二、政策落实",
      "三、工作落实",
      "四、成效巩固",
      "五、负面事项",
    ]);
    for (const category of jiangxi2025.categories) {
      expect(partC).toContain(`### ${category.code}、${category.name}`);
    }
  });

  it("has the 13 indicators numbered 1 to 13 in the document's order", () => {
    expect(indicators.map((i) => i.code)).toEqual(Array.from({ length: 13 }, (_, i) => String(i + 1)));
  });

  it.each(indicators.filter((i) => i.code !== "13"))("quotes indicator $code word for word", (indicator) => {
    expect(partC).toContain(`${indicator.code}. ${indicator.name}`);
    expect(partC).toContain(`- 内容：${indicator.content}`);
  });

  it.each(indicators)("lists indicator $code's data sources as the document does", (indicator) => {
    const names = indicator.departments.map((id) => jiangxi2025.departments.find((d) => d.id === id)?.name);
    const line = `${indicator.onSite ? "实地考核；" : ""}${names.join("、")}`;
    const start = partC.indexOf(`${indicator.code}. ${indicator.name}`);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(partC.slice(start)).toContain(`数据来源：${line}`);
  });

  it("spot-checks data sources of indicators 1, 10 and 11", () => {
    expect(indicators[0]?.departments).toHaveLength(12);
    expect(indicators[9]?.onSite).toBe(false);
    expect(indicators[10]?.departments).toEqual(["nbs"]);
    expect(jiangxi2025.departments.find((d) => d.id === "nbs")?.name).toBe("国家统计局江西调查总队");
  });

  it("has the eight deduction clauses with the document's points, in order", () => {
    expect(jiangxi2025.deductionClauses.map((c) => c.points)).toEqual([1, 0.8, 0.8, 0.5, 1, 0.8, 1, 0.5]);
    for (const clause of jiangxi2025.deductionClauses) {
      expect(partC).toContain(`| ${clause.text} | 每项扣 ${clause.points} 分 |`);
      expect(clause.source.item).toMatch(/^指标13 扣分项 第[1-8]条$/);
    }
  });

  it("quotes the same-matter-highest and severe-case rules", () => {
    for (const policy of jiangxi2025.policies) expect(partC).toContain(`- ${policy.text}`);
    expect(jiangxi2025.policies.map((p) => p.kind)).toEqual(["same_matter_highest", "severe_case"]);
  });

  it("invents neither points nor grade bands", () => {
    expect(indicators.every((i) => i.points === undefined)).toBe(true);
    expect(jiangxi2025.grades).toBeUndefined();
    expect(jiangxi2025.totalPoints).toBeUndefined();
  });

  it("scores indicators 10 and 11 by rule, 13 through the deductions, the rest manually", () => {
    expect(indicators.map((i) => i.scoring.method)).toEqual([
      ...Array<string>(9).fill("manual"),
      "rule",
      "rule",
      "manual",
      "deductions",
    ]);
  });

  it("gives every clause-bearing item a source reference into attachment 2", () => {
    for (const item of [...indicators, ...jiangxi2025.deductionClauses, ...jiangxi2025.policies]) {
      expect(item.source.document).toBe("近期巩固拓展脱贫攻坚成果重点工作任务清单");
      expect(item.source.part).toMatch(/^附件2 /);
    }
  });
});

describe("keyTasks2025", () => {
  it("holds the 14 key tasks, each linked to an indicator that exists", () => {
    const tasks = parseKeyTasks(keyTasks2025, jiangxi2025);
    expect(tasks.map((t) => t.number)).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
    const ids = new Set(indicators.map((i) => i.id));
    for (const task of tasks) expect(task.indicatorIds.every((id) => ids.has(id))).toBe(true);
  });

  it.each(keyTasks2025)("quotes key task $number word for word", (task) => {
    expect(partB).toContain(`${task.number}. ${task.title}。${task.content}`);
  });

  it("links every scored indicator of attachment 2 to at least one key task", () => {
    const linked = new Set(keyTasks2025.flatMap((t) => t.indicatorIds));
    const scored = indicators.filter((i) => i.scoring.method !== "deductions").map((i) => i.id);
    expect(scored.filter((id) => !linked.has(id))).toEqual([]);
  });
});
