import { readFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { readTables, workbookBytes } from "../../src/cli/tables";
import {
  digestJson,
  jiangxi2025,
  keyTasks2025,
  parseFramework,
  type Framework,
  type FrameworkInput,
} from "../../src/index";
import { exportFramework, importFramework } from "../../src/authoring/index";

const root = fileURLToPath(new URL("../..", import.meta.url));
const tmp = join(root, ".tmp", "roundtrip");

/** Attachment 2 read from the transcription (copied into test/fixtures/seed), corrections resolved. */
const partC = readFileSync(new URL("../fixtures/seed/TRANSCRIPTION.md", import.meta.url), "utf8")
  .replace(/ \*\*\[corrected: [^\]]*\]\*\*/g, "")
  .replace(/\*\*/g, "")
  .split("## Part C")[1] as string;

/** The rows of attachment 2 as the transcription gives them: [类别 (first row only), 指标, 内容, 数据来源]. */
function attachment2Rows(): (string | null)[][] {
  const rows: (string | null)[][] = [];
  let category: string | null = null;
  const lines = partC.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const heading = /^### (.+)$/.exec(line);
    if (heading) category = heading[1] as string;
    const negative = /^(\d+)\. (扣分项) — 数据来源：(.+)$/.exec(line);
    if (negative) {
      rows.push([category, `${negative[1]}. ${negative[2]}`, null, negative[3] as string]);
      category = null;
      continue;
    }
    const indicator = /^(\d+)\. (.+)$/.exec(line);
    if (!indicator) continue;
    const content = /^- 内容：(.+)$/.exec(lines[i + 1] ?? "")?.[1] ?? "";
    const sources = /^- 数据来源：(.+)$/.exec(lines[i + 2] ?? "")?.[1] ?? "";
    rows.push([category, `${indicator[1]}. ${indicator[2]}`, content, sources]);
    category = null;
  }
  return rows;
}

describe("exportFramework(jiangxi2025)", () => {
  const [sheet, ...others] = exportFramework(jiangxi2025, { keyTasks: keyTasks2025 });

  it("reproduces the layout of attachment 2: title, header, categories merged down, 合计", () => {
    expect(sheet?.name).toBe("指标体系");
    expect(sheet?.rows[0]?.cells).toEqual(["2025年度巩固拓展脱贫攻坚成果考核指标体系"]);
    expect(sheet?.rows[1]?.cells.slice(0, 4)).toEqual(["类别", "指标", "内容", "数据来源"]);
    const expected = attachment2Rows();
    expect(expected).toHaveLength(13);
    const body = (sheet?.rows ?? []).slice(2, 15).map((r) => r.cells.slice(0, 4));
    // 13's 内容 is the list of clauses, which the transcription gives as a table of its own.
    expect(body.map((cells, i) => (i === 12 ? [cells[0], cells[1], null, cells[3]] : cells))).toEqual(expected);
    expect(sheet?.rows[15]?.cells.slice(0, 5)).toEqual(["合计", null, null, null]);
    expect(sheet?.merges).toEqual(["A1:G1", "A4:A5", "A6:A11", "A12:A14", "A16:D16"]);
    expect(sheet?.frozenRows).toBe(2);
  });

  it("has no 分值 column, as the document gives no points", () => {
    expect(sheet?.rows[1]?.cells).toEqual(["类别", "指标", "内容", "数据来源", "计分方法", "出处", "编号"]);
  });

  it("lists the eight clauses and the two rules with their points and sources", () => {
    const clauses = others.find((t) => t.name === "扣分项");
    expect(clauses?.rows.map((r) => r.cells[3])).toEqual(["每项扣分", 1, 0.8, 0.8, 0.5, 1, 0.8, 1, 0.5, null, null]);
    expect(clauses?.rows[1]?.cells[4]).toBe("近期巩固拓展脱贫攻坚成果重点工作任务清单｜附件2 2025年度巩固拓展脱贫攻坚成果考核指标体系｜指标13 扣分项 第1条");
  });

  it("lists the 14 key tasks with the indicators that assess them", () => {
    const tasks = others.find((t) => t.name === "重点任务");
    expect(tasks?.rows).toHaveLength(15);
    expect(tasks?.rows[1]?.cells.slice(0, 2)).toEqual([1, "五级书记抓巩固拓展脱贫攻坚成果情况"]);
    expect(tasks?.rows[1]?.cells[3]).toBe("1. 主体责任、部门责任、驻村帮扶责任等情况");
  });

  it("imports back to the same framework (equal digest), in memory", () => {
    expect(digestJson(importFramework(exportFramework(jiangxi2025)))).toBe(digestJson(jiangxi2025));
  });

  describe("written to .xlsx and read back", () => {
    afterAll(() => rmSync(tmp, { recursive: true, force: true }));
    it("gives the same framework (equal digest) and keeps the merges", async () => {
      mkdirSync(tmp, { recursive: true });
      const file = join(tmp, "jiangxi2025.xlsx");
      writeFileSync(file, await workbookBytes(exportFramework(jiangxi2025, { keyTasks: keyTasks2025 })));
      const { tables } = await readTables(file);
      expect(tables.map((t) => t.name)).toEqual(["指标体系", "扣分项", "部门", "说明", "规则", "重点任务"]);
      expect(tables[0]?.merges).toEqual(["A1:G1", "A4:A5", "A6:A11", "A12:A14", "A16:D16"]);
      expect(digestJson(importFramework(tables, { file: "jiangxi2025.xlsx" }))).toBe(digestJson(jiangxi2025));
    });
  });
});

// Generated frameworks: texts from the document's own characters, never the separators a table
// cell gives meaning to (｜ in 出处, 、；, in 数据来源, a leading "1." in 指标).
const CHARS = Array.from("考核指标内容责任落实政策工作成效巩固帮扶产业就业监测群众认可度省市县乡镇村（）“”，0123456789abc");
const text = (max = 12, chars = CHARS) => fc.array(fc.constantFrom(...chars), { minLength: 1, maxLength: max }).map((a) => a.join(""));
/** A department's name: no punctuation, which 数据来源 splits names at. */
const departmentName = text(8, CHARS.filter((c) => !"，（）“”".includes(c)));
const multiline = fc.array(text(30), { minLength: 1, maxLength: 3 }).map((lines) => lines.join("\n"));
const source = fc.record({ document: text(), part: text(), item: text() });
const NUMERALS = Array.from("一二三四五六七八九十");

const frameworkArb: fc.Arbitrary<FrameworkInput> = fc
  .record({
    departmentNames: fc.uniqueArray(departmentName, { maxLength: 5 }),
    shape: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 4 }),
    pointed: fc.boolean(),
    withTotal: fc.boolean(),
    deductions: fc.boolean(),
    clauses: fc.array(fc.record({ text: multiline, points: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.constantFrom("0.5", "0.8", "1.25")), source }), { maxLength: 4 }),
    policies: fc.subarray(["same_matter_highest", "severe_case"] as const),
    policyText: text(20),
    grades: fc.option(fc.uniqueArray(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 4 }), { nil: undefined }),
    seed: fc.array(fc.record({ name: text(), content: multiline, onSite: fc.boolean(), points: fc.integer({ min: 1, max: 30 }), method: fc.constantFrom("manual", "findings", "rule"), deps: fc.array(fc.nat(4), { maxLength: 3 }), source }), { minLength: 12, maxLength: 12 }),
    meta: fc.record({ title: text(20), year: fc.integer({ min: 2000, max: 2100 }), level: fc.constantFrom("national", "provincial", "municipal", "county"), region: text(6), precision: fc.integer({ min: 0, max: 10 }) }),
    derives: fc.option(fc.record({ id: fc.constantFrom("base-2024", "prov.2025"), year: fc.integer({ min: 2000, max: 2100 }) }), { nil: undefined }),
  })
  .map((g) => {
    const departments = g.departmentNames.map((name, i) => ({ id: `dep-${i}`, name }));
    let n = 0;
    const categories: FrameworkInput["categories"][number][] = g.shape.map((count, ci) => ({
      id: `cat${ci}x`,
      code: NUMERALS[ci] as string,
      name: `类别${ci}${g.meta.region}`,
      indicators: Array.from({ length: count }, () => {
        const s = g.seed[n % 12] as (typeof g.seed)[number];
        n++;
        const deps = departments.length === 0 ? [] : [...new Set(s.deps.map((d) => (departments[d % departments.length] as { id: string }).id))];
        const scoring =
          s.method === "rule"
            ? { method: "rule" as const, rule: { ">=": [{ var: "x" }, 1] }, facts: [{ name: "x", type: "number" as const, description: s.name }], description: s.content }
            : { method: s.method };
        return { id: `ind_${n}`, code: n % 2 === 0 ? `${n}` : `${Math.ceil(n / 2)}.${n}`, name: s.name, content: s.content, onSite: s.onSite, departments: deps, ...(g.pointed ? { points: s.points } : {}), scoring, source: s.source };
      }),
    }));
    if (g.deductions) {
      categories.push({ id: "neg", code: NUMERALS[categories.length] as string, name: "负面", indicators: [{ id: "neg-1", code: "99", name: "扣分", content: "见扣分项", onSite: true, departments: [], scoring: { method: "deductions" as const }, source: g.seed[0]?.source ?? { document: "d", part: "p", item: "i" } }] });
    }
    const sum = categories.flatMap((c) => c.indicators).reduce((s, i) => s + ("points" in i && typeof i.points === "number" ? i.points : 0), 0);
    const grades = g.grades ? [...g.grades].sort((a, b) => b - a).map((min, i) => ({ grade: `等${i}`, min })) : undefined;
    return {
      id: "generated-1",
      ...g.meta,
      document: { title: g.meta.title, issuedOn: "2025-10-28", note: g.policyText },
      ...(g.derives ? { derivesFrom: { ...g.derives, title: g.meta.region } } : {}),
      departments,
      categories,
      deductionClauses: g.clauses.map((c, i) => ({ id: `k${i}`, ...c })),
      policies: g.policies.map((kind) => ({ id: kind.replace(/_/g, "-"), kind, text: `${g.policyText}${kind}`, source: g.seed[1]?.source ?? { document: "d", part: "p", item: "i" } })),
      ...(grades ? { grades } : {}),
      ...(g.pointed && g.withTotal ? { totalPoints: sum } : {}),
    } as FrameworkInput;
  });

describe("importFramework(exportFramework(f))", () => {
  it("gives back the same framework (equal digest) for generated frameworks", () => {
    fc.assert(
      fc.property(frameworkArb, (input) => {
        const framework: Framework = parseFramework(input);
        const again = importFramework(exportFramework(framework), { file: "x.xlsx" });
        expect(digestJson(again)).toBe(digestJson(framework));
      }),
      { numRuns: 150 },
    );
  });
});

describe("exportFramework on what a table cannot carry", () => {
  it("refuses, naming every item, rather than write a table that reads back otherwise", () => {
    const framework = parseFramework({
      ...jiangxi2025,
      departments: jiangxi2025.departments.map((d) => (d.id === "org" ? { ...d, name: "省委组织部、省委宣传部" } : d)),
      deductionClauses: jiangxi2025.deductionClauses.map((c, i) => (i === 0 ? { ...c, source: { ...c.source, item: "第1条｜甲" } } : c)),
    });
    let issues: unknown[] = [];
    try {
      exportFramework(framework);
    } catch (error) {
      issues = (error as { issues: { code: string; path: unknown[] }[] }).issues.map((i) => [i.code, i.path]);
    }
    expect(issues).toEqual([
      ["not_writable_as_table", ["departments", 0, "name"]],
      ["not_writable_as_table", ["deductionClauses", 0, "source"]],
    ]);
  });
});
