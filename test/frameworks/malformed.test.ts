import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { safeImportFramework, type ImportFrameworkOptions, type Table } from "../../src/authoring/index";
import { runCliCaptured } from "../helpers";
import corpus from "./malformed-tables.json";

interface Case {
  description: string;
  rows: unknown[][];
  options: Record<string, unknown>;
  expected: { code: string; path: (string | number)[] }[];
}

const cases = corpus.cases as Case[];
const defaults = { id: "t", year: 2025, level: "county", region: "某县" } as const;
const tmp = join(fileURLToPath(new URL("../..", import.meta.url)), ".tmp", "malformed");

function table(c: Case): Table {
  return { name: "表1", rows: c.rows.map((cells, i) => ({ row: i + 1, cells })) };
}

function options(c: Case): ImportFrameworkOptions {
  const merged: Record<string, unknown> = { ...defaults, ...c.options };
  for (const key of Object.keys(merged)) if (merged[key] === null) delete merged[key];
  return merged as ImportFrameworkOptions;
}

function csv(rows: unknown[][]): string {
  const quote = (cell: unknown) => (cell === null || cell === undefined ? "" : /[",\n]/.test(String(cell)) ? `"${String(cell).replace(/"/g, '""')}"` : String(cell));
  return rows.map((r) => r.map(quote).join(",")).join("\n") + "\n";
}

describe("importFramework on malformed tables", () => {
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("holds at least twenty cases with distinct first codes", () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
    expect(new Set(cases.map((c) => c.expected[0]?.code)).size).toBeGreaterThanOrEqual(20);
  });

  describe.each(cases)("$description", (c) => {
    it("reports every issue with its code and cell, in English and Chinese", () => {
      const result = safeImportFramework(table(c), options(c));
      expect(result.success).toBe(false);
      if (result.success) return;
      expect(result.error.issues.map((i) => ({ code: i.code, path: i.path }))).toEqual(c.expected);
      for (const issue of result.error.issues) {
        expect(issue.zh, issue.code).toBeTruthy();
        // A cell issue names the sheet and the cell in both languages.
        if (issue.path.length === 2) {
          expect(issue.message.startsWith(`${issue.path[0]}!${issue.path[1]}`)).toBe(true);
          expect(issue.zh?.startsWith(`${issue.path[0]}!${issue.path[1]}`)).toBe(true);
        }
      }
    });

    it("makes `kaohe framework import` exit 1 with the same codes and no output file", async () => {
      mkdirSync(tmp, { recursive: true });
      const name = `case-${cases.indexOf(c)}`;
      const file = join(tmp, `${name}.csv`);
      writeFileSync(file, csv(c.rows));
      const out = join(tmp, `${name}.json`);
      const o = options(c);
      const args = ["framework", "import", file, "--out", out, "--id", o.id ?? "t", "--level", o.level ?? "county", "--region", o.region ?? "某县"];
      if (o.year !== undefined) args.push("--year", String(o.year));
      if (o.sheet !== undefined) args.push("--sheet", o.sheet);
      if (o.departments !== undefined) {
        writeFileSync(join(tmp, `${name}-departments.json`), JSON.stringify(o.departments));
        args.push("--departments", join(tmp, `${name}-departments.json`));
      }
      const run = await runCliCaptured(args);
      expect(run.code).toBe(1);
      // A CSV sheet is named after its file.
      for (const issue of c.expected) expect(run.stderr).toContain(`[${issue.code}]`);
      for (const issue of c.expected.filter((i) => i.path.length === 2)) expect(run.stderr).toContain(`${name}!${issue.path[1]}`);
      expect(run.stderr).not.toMatch(/at .*\.ts:\d+/);
      expect(existsSync(out)).toBe(false);
    });
  });
});

describe("importFramework on arbitrary cells", () => {
  it("either gives a valid framework or a KaoheError, never anything else", async () => {
    const fc = (await import("fast-check")).default;
    const { isKaoheError, parseFramework } = await import("../../src/index");
    const { importFramework } = await import("../../src/authoring/index");
    const cell = fc.oneof(
      fc.constantFrom(null, "", "　", "合计", "类别", "指标", "内容", "分值", "数据来源", "计分方法", "编号", "出处", "等次", "最低分", "扣分项", "实地考核；县委办", "扣完为止", "规则", "一、责任落实", "1. 指标", "每项扣 1 分", "扣若干分", "同一事项按就高原则计算。", "a/b", "x｜y｜z"),
      fc.string({ maxLength: 6 }),
      fc.double(),
      fc.integer({ min: -5, max: 200 }),
    );
    const rows = fc.array(fc.array(cell, { maxLength: 7 }), { maxLength: 12 });
    fc.assert(
      fc.property(rows, fc.array(rows, { maxLength: 2 }), (main, extra) => {
        const tables = [main, ...extra].map((r, t) => ({ name: `s${t}`, rows: r.map((cells, i) => ({ row: i + 1, cells })) }));
        try {
          const framework = importFramework(tables, { ...defaults, title: "t" });
          expect(parseFramework(framework)).toEqual(framework);
        } catch (error) {
          if (!isKaoheError(error)) throw error;
          for (const issue of error.issues) expect(typeof issue.code).toBe("string");
        }
      }),
      { numRuns: 400 },
    );
  });
});
