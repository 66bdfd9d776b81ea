import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { compileRulebookSql } from "../../src/sql/index";
import { examplePath, runScreen } from "../screening/helpers";

/*
 * `kaohe screen --engine duckdb` writes what the JavaScript engine writes: the same output files
 * (NDJSON and CSV), lines, summaries and exit codes, on the examples and on files that exercise
 * every path (DuckDB's own CSV reader, the streamed readers, rows replayed by JavaScript).
 */

const RULES = examplePath("rulebook.json");
const dir = mkdtempSync(join(tmpdir(), "kaohe-sql-engine-"));
const lines = readFileSync(examplePath("synthetic-households.csv"), "utf8").split(/\r?\n/).filter((line) => line !== "");
const [header, ...body] = lines as [string, ...string[]];
const cells = (line: string) => line.split(",");
const edit = (line: string, index: number, value: string) => {
  const c = cells(line);
  c[index] = value;
  return c.join(",");
};

const messy: Record<string, string> = {
  "crlf-and-blank-lines": [header, ...body.slice(0, 4), "", ...body.slice(4)].join("\r\n"),
  "quoted-line-break": [header, edit(body[0] as string, 13, '"产业帮扶\n就业帮扶"'), edit(body[1] as string, 13, '"产业帮扶\n就业帮扶"'), ...body.slice(2)].join("\n"),
  "household-split": [header, body[2], ...body.slice(0, 2), ...body.slice(3), body[3]].join("\n"),
  "key-missing-inside-a-household": [header, body[0], edit(body[2] as string, 3, ""), body[1], ...body.slice(2)].join("\n"),
  "household-disagrees": [header, body[0], edit(body[1] as string, 10, "9001"), ...body.slice(2)].join("\n"),
  "bad-cells": [header, edit(body[0] as string, 17, "十二"), edit(body[2] as string, 6, "2024-02-30"), edit(body[4] as string, 11, "也许"), ...body.slice(5)].join("\n"),
  "bad-household-cell": [header, edit(body[0] as string, 10, "九千"), edit(body[1] as string, 10, "九千"), ...body.slice(2)].join("\n"),
  "wrong-cell-count": [header, body[0], `${body[1]},多余`, (body[2] as string).split(",").slice(0, 5).join(","), ...body.slice(3)].join("\n"),
  "title-rows": ["合成数据（非真实）,,", "导出时间 2025-01-01", header, ...body].join("\n"),
  "blank-row": [header, body[0], ",,,,,", ...body.slice(1)].join("\n"),
  "person-twice": [header, body[0], body[0], ...body.slice(1)].join("\n"),
  "values-to-show": [header, ...body.map((line) => edit(line, 14, "3"))].join("\n"),
  // Thousands of findings: read back from DuckDB in batches of rows (decision 0706), across batch boundaries.
  "many-findings": [header, ...Array.from({ length: 450 }, (_, k) => body.map((line) => edit(edit(line, 3, `${cells(line)[3]}-${k}`), 15, `${cells(line)[15]}-${k}`))).flat()].join("\n"),
};

const files: [string, string][] = [
  ["synthetic-households.csv", examplePath("synthetic-households.csv")],
  ["synthetic-households-gbk.csv", examplePath("synthetic-households-gbk.csv")],
  ["synthetic-households.xlsx", examplePath("synthetic-households.xlsx")],
];
for (const [name, text] of Object.entries(messy)) {
  const path = join(dir, `${name}.csv`);
  writeFileSync(path, text);
  files.push([name, path]);
}
const gbk = join(dir, "household-split-gbk.csv");
writeFileSync(gbk, iconv.encode(messy["household-split"] as string, "gb18030"));
files.push(["household-split-gbk", gbk]);
// Unusable cells read by kaohe's reader (GB18030), not by DuckDB's.
const badGbk = join(dir, "bad-cells-gbk.csv");
writeFileSync(badGbk, iconv.encode(messy["bad-cells"] as string, "gb18030"));
files.push(["bad-cells-gbk", badGbk]);

async function run(file: string, engine: string, out: string, rules = RULES) {
  const result = await runScreen(["--rules", rules, file, "--engine", engine, "--out", out]);
  return { ...result, stdout: result.stdout.map((line) => line.replace(/; [\d.]+ s$/, "; … s")), text: readFileSync(out, "utf8") };
}

describe("kaohe screen --engine duckdb", () => {
  it.each(files)("%s: the same output files, lines, summary and exit code as --engine js", async (name, file) => {
    for (const format of ["ndjson", "csv"]) {
      const js = await run(file, "js", join(dir, `${name}-js.${format}`));
      const duck = await run(file, "duckdb", join(dir, `${name}-duckdb.${format}`));
      expect(duck).toEqual({ ...js });
      expect(js.code).toBe(0);
    }
  }, 60_000);

  // The fuping port (month arithmetic, trim, the ID check digit) on its persons and villages, as CSV, GB18030 and XLSX with title rows.
  const fuping = ["persons.csv", "persons-gb18030.csv", "persons.xlsx", "villages.csv", "villages-gb18030.csv", "villages.xlsx"];
  it.each(fuping)("fuping %s: the same output files, lines, summary and exit code as --engine js", async (name) => {
    const rules = examplePath("fuping/rulebook.json");
    for (const format of ["ndjson", "csv"]) {
      const js = await run(examplePath(`fuping/${name}`), "js", join(dir, `fuping-${name}-js.${format}`), rules);
      const duck = await run(examplePath(`fuping/${name}`), "duckdb", join(dir, `fuping-${name}-duckdb.${format}`), rules);
      expect(duck).toEqual({ ...js });
      expect(js.text).toContain("finding");
    }
  }, 60_000);

  it("covers findings, rejected rows and replayed households", async () => {
    const text = readFileSync(join(dir, "household-split-duckdb.ndjson"), "utf8");
    expect(text).toContain('"household_not_contiguous"');
    expect(text).toContain('"kind":"finding"');
    const many = readFileSync(join(dir, "many-findings-duckdb.ndjson"), "utf8").split("\n").filter((line) => line.includes('"kind":"finding"'));
    expect(many.length).toBeGreaterThan(3 * 1000);
    const bad = readFileSync(join(dir, "bad-cells-duckdb.ndjson"), "utf8");
    expect(bad).toContain('年龄 \\"十二\\" is not a number');
  });

  it("decides the records with unusable cells in SQL: data-quality rows, and only rows that disagree handed back", async () => {
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    try {
      // bad-cells: household SYN-0107's rows disagree (也许, then 是): its two rows alone are handed back, as JavaScript compares them row by row.
      for (const [name, handedBack] of [["bad-cells", 2], ["bad-household-cell", 0]] as const) {
        const file = join(dir, `${name}.csv`);
        await connection.run(`CREATE OR REPLACE TABLE t AS SELECT * FROM read_csv('${file}', header = true, all_varchar = true)`);
        const rulebook = JSON.parse(readFileSync(RULES, "utf8"));
        const compiled = compileRulebookSql(rulebook, { dialect: "duckdb", table: "t", header: header.split(",") });
        const rows = (await connection.runAndReadAll(compiled.sql, compiled.params as never)).getRowObjectsJson();
        const kinds = rows.map((row) => row.kind);
        expect(kinds, name).toContain("data_quality");
        expect(kinds.filter((kind) => kind === "rejected").length, name).toBe(handedBack);
        expect(rows.filter((row) => row.reason_code === "unusable_value").length, name).toBeGreaterThan(0);
      }
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it("skips the rules reading a column the file lacks, as --engine js does, and exits 3", async () => {
    const drop = (line: string) => cells(line).filter((_, i) => i !== 10).join(",");
    const file = join(dir, "missing-column.csv");
    writeFileSync(file, [header, ...body].map(drop).join("\n"));
    for (const format of ["ndjson", "csv"]) {
      const js = await run(file, "js", join(dir, `missing-column-js.${format}`));
      const duck = await run(file, "duckdb", join(dir, `missing-column-duckdb.${format}`));
      expect(duck).toEqual({ ...js });
      expect(js.code).toBe(3);
      expect(js.stdout.join("\n")).toContain("SC02");
    }
  }, 60_000);

  it("refuses --workers with DuckDB and an unknown engine, as usage errors", async () => {
    expect((await runScreen(["--rules", RULES, examplePath("synthetic-households.csv"), "--engine", "duckdb", "--workers", "2"])).code).toBe(2);
    expect((await runScreen(["--rules", RULES, examplePath("synthetic-households.csv"), "--engine", "spark"])).code).toBe(2);
  });

  it("reports a rule it cannot translate, naming the rule and the operator, and exits 1", async () => {
    const rulebook = JSON.parse(readFileSync(RULES, "utf8"));
    rulebook.rules[1].when = { "<": [{ "/": [{ var: "perCapitaIncome" }, 2] }, 3800] };
    const path = join(dir, "ratio.json");
    writeFileSync(path, JSON.stringify(rulebook));
    const result = await runScreen(["--rules", path, examplePath("synthetic-households.csv"), "--engine", "duckdb"]);
    expect(result.code).toBe(1);
    expect(result.stderr.join("\n")).toMatch(/rule SC02 .*operator "\/" cannot be translated to SQL exactly/);
  });
});
