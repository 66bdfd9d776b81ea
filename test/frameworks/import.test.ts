import { describe, expect, it } from "vitest";
import { importFramework, safeImportFramework, type Table } from "../../src/authoring/index";

const meta = { id: "t", year: 2025, level: "county", region: "某县", title: "示例" } as const;
const sheet = (rows: unknown[][], name = "表1"): Table => ({ name, rows: rows.map((cells, i) => ({ row: i + 1, cells })) });

describe("importFramework", () => {
  describe("when the header uses names of its own", () => {
    const table = sheet([
      ["考核项目", "考核要点", "具体要求", "得分上限"],
      ["一、责任落实", "1. 责任压实", "研究部署情况。", 10],
    ]);

    it("reads them through the `columns` mapping", () => {
      const framework = importFramework(table, { ...meta, columns: { indicator: ["考核要点"], content: ["具体要求"], points: ["得分上限"] } });
      expect(framework.categories[0]?.indicators[0]).toMatchObject({ name: "责任压实", content: "研究部署情况。", points: 10 });
    });

    it("reports the sheet as having no header row without it", () => {
      const result = safeImportFramework(table, meta);
      expect(result.success ? [] : result.error.issues.map((i) => i.code)).toEqual(["no_header_row"]);
    });
  });

  it("reads the usual points-per-item phrases, full-width digits and spaces too", () => {
    const framework = importFramework(
      sheet([
        ["类别", "指标", "评分标准"],
        ["一、负面事项", "1. 扣分项", "受到通报批评的，每项扣 1 分；\n发现问题的，每例扣0.5分；\n被曝光的，扣　０．８　分；\n未整改的，每发现一户扣2分，扣完为止。"],
      ]),
      meta,
    );
    expect(framework.deductionClauses.map((c) => [c.text, c.points])).toEqual([
      ["受到通报批评的", "1"],
      ["发现问题的", "0.5"],
      ["被曝光的", "0.8"],
      ["未整改的", "2"],
    ]);
  });

  it("takes a row that only names its category as the category of the rows below", () => {
    const framework = importFramework(
      sheet([
        ["类别", "指标", "内容"],
        ["一、责任落实", null, null],
        [null, "1. 责任压实", "研究部署情况。"],
        [null, "2. 驻村帮扶", "履职情况。"],
      ]),
      meta,
    );
    expect(framework.categories.map((c) => [c.name, c.indicators.length])).toEqual([["责任落实", 2]]);
  });

  it("appends a continuation row (a merged indicator cell read as blank) to the content", () => {
    const framework = importFramework(
      sheet([
        ["类别", "指标", "内容"],
        ["一、责任落实", "1. 责任压实", "研究部署情况；"],
        [null, null, "调研督导情况。"],
      ]),
      meta,
    );
    expect(framework.categories[0]?.indicators[0]?.content).toBe("研究部署情况；\n调研督导情况。");
  });

  it("names departments by the registry it is given, and reports names not in it", () => {
    const table = sheet([
      ["类别", "指标", "内容", "责任单位"],
      ["一、责任落实", "1. 责任压实", "研究部署情况。", "县委农办、县农业农村局"],
    ]);
    const framework = importFramework(table, { ...meta, departments: [{ id: "agri", name: "县农业农村局" }, { id: "office", name: "县委农办" }] });
    expect(framework.categories[0]?.indicators[0]?.departments).toEqual(["office", "agri"]);
    const result = safeImportFramework(table, { ...meta, departments: [{ id: "agri", name: "县农业农村局" }] });
    expect(result.success ? "" : result.error.issues[0]?.message).toBe('表1!D2: is not a department of the registry (got "县委农办")');
  });

  it("reads the grade bands of a sheet of their own, and lets the option replace them", () => {
    const tables = [
      sheet([["类别", "指标", "内容", "分值"], ["一、责任落实", "1. 责任压实", "研究部署情况。", 100]]),
      sheet([["等次", "最低分"], ["好", 90], ["一般", "６０"], ["差", 0]], "等次"),
    ];
    expect(importFramework(tables, meta).grades).toEqual([{ grade: "好", min: 90 }, { grade: "一般", min: "60" }, { grade: "差", min: 0 }]);
    expect(importFramework(tables, { ...meta, grades: [{ grade: "合格", min: 0 }] }).grades).toEqual([{ grade: "合格", min: 0 }]);
  });

  it("reads the indicator sheet named by `sheet`, and reports a name that is not there", () => {
    const tables = [sheet([["类别", "指标", "内容"], ["一、甲", "1. 甲", "甲。"]], "旧表"), sheet([["类别", "指标", "内容"], ["一、乙", "1. 乙", "乙。"]], "新表")];
    expect(importFramework(tables, { ...meta, sheet: "新表" }).categories[0]?.name).toBe("乙");
    const result = safeImportFramework(tables, { ...meta, sheet: "无" });
    expect(result.success ? "" : result.error.issues[0]?.zh).toBe("没有名为「无」的工作表（现有：旧表、新表）");
  });

  it("takes the year from the title when no option gives it", () => {
    const framework = importFramework(sheet([["某县2027年度考核"], ["类别", "指标", "内容"], ["一、甲", "1. 甲", "甲。"]]), { id: "t", level: "county", region: "某县" });
    expect([framework.title, framework.year]).toEqual(["某县2027年度考核", 2027]);
  });
});
