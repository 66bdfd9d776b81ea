import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { TablesScreener, runRuleTests, prepareTablesRulebook, safePrepareTablesRulebook, screenTables, type TableFinding, type TablesResult } from "../../src/screening/tables/index";

import { screenTableFiles } from "../../src/screening/node/tables";
import { county, plant } from "../../examples/screening/county/generate";
import { examplePath, runScreen } from "./helpers";
import { sheetXml, workbook } from "./readers-fixtures";
import { ScreeningLoop, parseExemptions } from "../../src/screening/loop/loop";

const DIR = examplePath("county/");
const RULES = `${DIR}rulebook.json`;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const rulebook = (): any => JSON.parse(readFileSync(RULES, "utf8"));
/** Findings as a sorted list of their declarations, to compare with expected.json (whose order is the writer's). */
const declared = (list: readonly Record<string, unknown>[]) => list.map((f) => JSON.stringify(f)).sort();
const EXPECTED = declared((JSON.parse(readFileSync(`${DIR}expected.json`, "utf8")) as { findings: Record<string, unknown>[] }).findings);
const TABLES = ["villages", "households", "persons", "work"] as const;
const out = mkdtempSync(join(tmpdir(), "kaohe-tables-"));

/** A finding as expected.json declares it: rule, kind, cause, table, record key, and how many places. */
function key(f: TableFinding): Record<string, unknown> {
  return { code: f.code, kind: f.kind, ...(f.cause ? { cause: f.cause } : {}), table: f.table, recordId: f.recordId, ...(f.places ? { places: f.places.length } : {}) };
}

/** The county's rows keyed by field name (the rulebook's column → field map), as the library takes them. */
function countyRows(second = false): Record<string, Record<string, string>[]> {
  const data = county();
  plant(data, { second });
  const book = rulebook();
  const rows: Record<string, Record<string, string>[]> = {};
  for (const table of TABLES) {
    const fields = Object.entries(book.tables[table].fields as Record<string, { column: string }>);
    rows[table] = data[table].map((row) => Object.fromEntries(fields.map(([name, field]) => [name, row[field.column] ?? ""])));
  }
  return rows;
}

/** A seeded shuffle (mulberry32), returning the permutation: shuffled[i] = rows[order[i]]. */
function permutation(n: number, seed: number): number[] {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const order = [...Array(n).keys()];
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return order;
}

/** The result with every row number mapped back to the unshuffled rows, re-sorted as the screener sorts. */
function remap(result: TablesResult, back: Record<string, (row: number) => number>): unknown {
  const row = (table: string, r: number) => (back[table] as (row: number) => number)(r);
  const findings = result.findings.map((f) => ({
    ...f,
    row: row(f.table, f.row),
    ...(f.places ? { places: f.places.map((p) => ({ ...p, row: row(p.table, p.row) })).sort((a, b) => a.row - b.row) } : {}),
  }));
  // A uniqueness finding is placed at its first place, and its message lists the rows: after remapping, the first again, and the rows left out.
  const fixed = findings.map((f) => (f.places ? { ...f, row: (f.places[0] as { row: number }).row, message: f.message.replace(/第\d+行/g, "第…行") } : f));
  fixed.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) || (a.recordId < b.recordId ? -1 : a.recordId > b.recordId ? 1 : 0) || a.row - b.row);
  const byPlace = (a: { table: string; row: number }, b: { table: string; row: number }) => TABLES.indexOf(a.table as never) - TABLES.indexOf(b.table as never) || a.row - b.row;
  const quality = result.quality.map((q) => ({ ...q, row: row(q.table, q.row) })).sort((a, b) => byPlace(a, b) || (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
  const rejected = result.rejected.map((r) => ({ ...r, row: row(r.table, r.row) })).sort(byPlace);
  return { findings: fixed, quality, rejected, counts: result.counts };
}

describe("the synthetic county (several exports, one screening)", () => {
  it("finds through the library exactly the findings declared by hand in expected.json", async () => {
    const result = await screenTables(countyRows(), rulebook());
    expect(declared(result.findings.map(key))).toEqual(EXPECTED);
    expect(result.counts.tables.persons).toEqual({ rowsRead: 19951, rowsRejected: 0, records: 19951 });
    expect(result.counts.skipped).toEqual([]);
    expect(result.quality).toEqual([]);
    // Every place of a duplicated 证件号码 is a row holding it.
    const persons = countyRows().persons as Record<string, string>[];
    const ct01 = result.findings.find((f) => f.code === "CT01" && f.recordId === "412823101001001011");
    expect(ct01?.places?.map((p) => persons[p.row - 1]?.idNumber)).toEqual(["412823101001001011", "412823101001001011", "412823101001001011"]);
    expect(ct01?.message).toBe("证件号码「412823101001001011」在监测对象信息中出现3次：第1行、第5行、第11行");
    expect(result.findings.find((f) => f.code === "CT16")?.message).toBe("人均纯收入7000元低于7600元，3名劳动力均未务工");
  });

  it("gives the same findings under any order of the rows and of the tables (permutation property)", async () => {
    const rows = countyRows();
    // Also a cell that does not parse, and a row without its key (rejected), both in the result.
    (rows.persons as Record<string, string>[])[100] = { ...(rows.persons?.[100] as Record<string, string>), age: "约四十" };
    (rows.work as Record<string, string>[])[200] = { ...(rows.work?.[200] as Record<string, string>), idNumber: "" };
    const base = await screenTables(rows, rulebook());
    const identity = Object.fromEntries(TABLES.map((t) => [t, (r: number) => r]));
    const reference = remap(base, identity);
    for (const seed of [1, 2, 3]) {
      const back: Record<string, (row: number) => number> = {};
      const shuffled: Record<string, Record<string, string>[]> = {};
      // The tables in another order too: the screener reads them in the rulebook's order.
      for (const table of [...TABLES].reverse()) {
        const list = rows[table] as Record<string, string>[];
        const order = permutation(list.length, seed * 31 + table.length);
        shuffled[table] = order.map((i) => list[i] as Record<string, string>);
        back[table] = (r: number) => (order[r - 1] as number) + 1;
      }
      const result = await screenTables(shuffled, rulebook());
      expect(result.quality.map((q) => [q.table, q.field, q.value])).toEqual([["persons", "age", "约四十"]]);
      expect(result.rejected.map((r) => [r.table, r.code])).toEqual([["work", "missing_key"]]);
      expect(remap(result, back)).toEqual(reference);
      // The screener's own order (by rule, then record key) needs no remapping: no two findings of the county share both.
      expect(result.findings.map((f) => [f.code, f.recordId])).toEqual(base.findings.map((f) => [f.code, f.recordId]));
    }
  });

  it("reads the four XLSX exports (title rows above the header) to the same findings", async () => {
    const prepared = prepareTablesRulebook(rulebook());
    const run = await screenTableFiles(prepared, TABLES.map((table) => ({ table, file: `${DIR}${table}.xlsx` })));
    if (!run.ok) throw new Error(run.error.reason);
    expect(declared(run.result.findings.map(key))).toEqual(EXPECTED);
    // Rows are the sheet's: the header is row 3.
    expect(run.result.findings.find((f) => f.code === "CT01" && f.recordId === "412823101001001011")?.places?.map((p) => p.row)).toEqual([4, 8, 14]);
  });

  it("runs through the built CLI, with the tables in any order, findings as NDJSON", () => {
    const file = join(out, "county.ndjson");
    const args = ["dist/cli.js", "screen", "--rules", RULES, ...[...TABLES].reverse().flatMap((t) => ["--table", `${t}=${DIR}${t}.xlsx`]), "--out", file, "--lang", "en"];
    const run = spawnSync(process.execPath, args, { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/31,053 rows read, 31,053 screened, 0 rejected; 23 findings, 17 rules undecided;/);
    const items = readFileSync(file, "utf8").trim().split("\n").map((line) => JSON.parse(line) as TableFinding);
    expect(declared(items.map(key))).toEqual(EXPECTED);
    // The same bytes on 1 and 2 worker threads (the record rules' conditions run there).
    for (const workers of ["1", "2"]) {
      const onWorkers = join(out, `county-${workers}.ndjson`);
      const again = spawnSync(process.execPath, [...args.slice(0, -4), "--out", onWorkers, "--workers", workers, "--lang", "en"], { encoding: "utf8" });
      expect(again.status, again.stderr).toBe(0);
      expect(readFileSync(onWorkers, "utf8")).toBe(readFileSync(file, "utf8"));
    }
  });

  it("rejects a row whose cells do not fit the header as kaohe screen does: blank cells past it are let be, others are not, and a CSV row may not be short", async () => {
    const data = county();
    plant(data);
    const book = rulebook();
    const columnsOf = (table: (typeof TABLES)[number]) => Object.values(book.tables[table].fields as Record<string, { column: string }>).map((field) => field.column);
    const grid = (table: (typeof TABLES)[number]) => [columnsOf(table), ...data[table].map((row) => columnsOf(table).map((column) => row[column] ?? ""))];
    const csv = (rows: readonly (readonly string[])[]) => {
      for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/[,"\r\n]/);
      return `${rows.map((row) => row.join(",")).join("\n")}\n`;
    };
    const write = (name: string, bytes: string | Buffer) => {
      const file = join(out, name);
      writeFileSync(file, bytes);
      return file;
    };
    const prepared = prepareTablesRulebook(book);
    const others = TABLES.filter((table) => table !== "work").map((table) => ({ table, file: write(`width-${table}.csv`, csv(grid(table))) }));
    const screenWith = async (file: string) => {
      const run = await screenTableFiles(prepared, [...others, { table: "work", file }]);
      if (!run.ok) throw new Error(run.error.reason);
      return run.result;
    };
    const clean = await screenWith(write("width-work-clean.csv", csv(grid("work"))));
    // Rows 5, 9 and 13 of the work table (data rows 4, 8, 12): a blank cell past the header, a cell with text past it, one cell short.
    const work = grid("work").map((row) => [...row]);
    const width = (work[0] as string[]).length;
    (work[4] as string[]).push("", " ");
    (work[8] as string[]).push("备注");
    (work[12] as string[]).pop();
    const fromCsv = await screenWith(write("width-work.csv", csv(work)));
    expect(fromCsv.rejected.map((r) => [r.table, r.row, r.code, r.reason])).toEqual([
      ["work", 9, "wrong_cell_count", `has ${width + 1} cells, the header has ${width}`],
      ["work", 13, "wrong_cell_count", `has ${width - 1} cells, the header has ${width}`],
    ]);
    const before = clean.counts.tables.work as { rowsRead: number; rowsRejected: number; records: number };
    expect(before.rowsRejected).toBe(0);
    expect(fromCsv.counts.tables.work).toEqual({ rowsRead: before.rowsRead, rowsRejected: 2, records: before.records - 2 });
    // A workbook leaves a row's trailing empty cells out: a short row is not wrong, text past the header is.
    const fromXlsx = await screenWith(write("width-work.xlsx", workbook({ sheets: [{ name: "务工", data: sheetXml(work, "inline") }] })));
    expect(fromXlsx.rejected.map((r) => [r.table, r.row, r.code])).toEqual([["work", 9, "wrong_cell_count"]]);
  });

  it("gives the same result when the rule tests are deferred and settled in any order (as on workers)", async () => {
    const prepared = prepareTablesRulebook(rulebook());
    const rows = countyRows();
    const inline = await screenTables(rows, prepared);
    const screener = new TablesScreener(prepared, [...TABLES], { deferTests: true });
    const batches: ReturnType<TablesScreener["takeTests"]>[] = [];
    for (const table of prepared.order) {
      screener.begin(table);
      (rows[table] as Record<string, string>[]).forEach((row, i) => {
        screener.push(row, i + 1);
        if (screener.pendingTests >= 700) batches.push(screener.takeTests());
      });
    }
    screener.endRows();
    batches.push(screener.takeTests());
    expect(batches.length).toBeGreaterThan(3);
    // Settled last batch first, as workers may finish them.
    for (const batch of [...batches].reverse()) batch.settle(runRuleTests(prepared, batch.tasks));
    expect(screener.finish()).toEqual(inline);
  });
});

describe("kaohe screen --table", () => {
  const tables = TABLES.flatMap((t) => ["--table", `${t}=${DIR}${t}.xlsx`]);
  it("refuses a table the rulebook lacks, --table with a one-table rulebook or with duckdb, naming them", async () => {
    expect((await runScreen(["--rules", RULES, ...tables, "--engine", "duckdb"])).stderr.join("\n")).toMatch(/uses the js engine only/);
    const unknown = await runScreen(["--rules", RULES, "--table", `people=${DIR}persons.xlsx`]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.join("\n")).toMatch(/declares no table people \(it declares villages, households, persons, work\)/);
    const single = await runScreen(["--rules", examplePath("rulebook.json"), "--table", `persons=${DIR}persons.xlsx`]);
    expect(single.code).toBe(2);
    expect(single.stderr.join("\n")).toMatch(/--table needs a multi-table rulebook/);
    expect((await runScreen(["--rules", RULES, "--table", "persons"])).stderr.join("\n")).toMatch(/--table needs name=file, .*\(got "persons"\)/);
    expect((await runScreen(["--rules", RULES, `${DIR}persons.xlsx`])).stderr.join("\n")).toMatch(/given as --table name=file/);
  });

  it("refuses an --out that names one of the --table files, as a usage error before anything is read (decision 0602)", async () => {
    const target = join(out, "persons-copy.xlsx");
    writeFileSync(target, readFileSync(`${DIR}persons.xlsx`));
    const before = readFileSync(target);
    const refused = await runScreen(["--rules", RULES, "--table", `persons=${target}`, "--out", target]);
    expect(refused.code).toBe(2);
    expect(refused.stderr.join("\n")).toMatch(/is the input/);
    expect(readFileSync(target).equals(before)).toBe(true);
  });

  it("refuses what the loop does not do over several tables yet, --problems and a ledger --out .xlsx, by name; a bad exemption list is exit 1", async () => {
    const problems = await runScreen(["--rules", RULES, ...tables, "--problems", join(out, "problems.json")]);
    expect(problems.code).toBe(2);
    expect(problems.stderr.join("\n")).toMatch(/a multi-table screening \(--table\) does not take --problems yet/);
    const ledger = await runScreen(["--rules", RULES, ...tables, "--as-of", "2025-06-30", "--out", join(out, "台账.xlsx")]);
    expect(ledger.code).toBe(2);
    expect(ledger.stderr.join("\n")).toMatch(/writes --out as \.csv or \.ndjson only/);
    const bad = join(out, "bad-exemptions.csv");
    writeFileSync(bad, "规则编号,表,记录编号,豁免理由,批准人,起始日期\nCT14,persons,412823102013040011,理由,,2025-13-01\n");
    const badRun = await runScreen(["--rules", RULES, ...tables, "--exemptions", bad]);
    expect(badRun.code).toBe(1);
    expect(badRun.stderr.join("\n")).toMatch(/approvedBy \(批准人\) is empty[\s\S]*from \(起始日期\) must be a date YYYY-MM-DD \(got "2025-13-01"\)/);
  });

  it("reads CSV and XLSX exports side by side (villages as a GBK CSV here)", async () => {
    const data = county();
    plant(data);
    const header = ["县", "乡镇", "村", "行政村代码", "是否出列", "总户数", "总人口数"];
    const csv = [header, ...data.villages.map((v) => header.map((h) => v[h] ?? ""))].map((r) => r.join(",")).join("\r\n");
    const file = join(out, "villages-gbk.csv");
    writeFileSync(file, iconv.encode(csv, "gbk"));
    const run = await runScreen(["--rules", RULES, "--table", `villages=${file}`, "--table", `households=${DIR}households.xlsx`]);
    expect(run.code).toBe(3);
    const text = run.stdout.join("\n");
    expect(text).toMatch(/villages-gbk\.csv:22  CT09 high  示例县\/乙镇\/乙06村  villages 412823102006  乙06村已出列，但总人口数为0/);
    expect(text).toMatch(/CT08 +medium +行政村总户数与户信息中的户数不一致 +3 +0/);
  });

  it("lists the rules that could not run when a table is not given, and exits 3", async () => {
    const run = await runScreen(["--rules", RULES, "--table", `villages=${DIR}villages.xlsx`, "--table", `households=${DIR}households.xlsx`]);
    expect(run.code).toBe(3);
    const text = run.stdout.join("\n");
    expect(text).toMatch(/INCOMPLETE: 12 rules could not run:/);
    expect(text).toMatch(/ {2}CT07: rule CT07 reads table persons, which was not given/);
    expect(text).toMatch(/CT02 +high +户信息中户编号重复 +1 +0/);
  });

  it("stops, writing nothing, when a file of a table cannot be read", async () => {
    const run = await runScreen(["--rules", RULES, "--table", `villages=${DIR}missing.xlsx`, "--table", `households=${DIR}households.xlsx`]);
    expect(run.code).toBe(1);
    expect(run.stderr.join("\n")).toMatch(/missing\.xlsx \(villages\): .*\n.*nothing was written/);
  });
});

describe("multi-table rulebooks", () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const small = (over: Record<string, unknown> = {}): any => ({
    id: "t", title: "测试", version: "1",
    tables: {
      households: { title: "户信息", key: "h", fields: { h: { column: "户编号", type: "text" }, income: { column: "收入", type: "number" } }, aggregates: { total: { op: "sum", of: "persons", field: "wage" }, allAdults: { op: "all", of: "persons", where: { ">=": [{ var: "age" }, 18] } } } },
      persons: { title: "人", key: "p", refs: { h: "households" }, fields: { p: { column: "证件号码", type: "text" }, h: { column: "户编号", type: "text" }, age: { column: "年龄", type: "number" }, wage: { column: "工资", type: "number" } } },
    },
    rules: [{ code: "R1", table: "households", title: "合计", severity: "low", when: { "==": [{ var: "agg.total" }, 0.3] }, message: "{agg.total} {agg.allAdults}" }],
    ...over,
  });

  it("sums exactly, whatever the order (0.1 + 0.2 is 0.3), and `all` over no rows is false", async () => {
    const persons = [{ p: "1", h: "A", age: "30", wage: "0.1" }, { p: "2", h: "A", age: "40", wage: "0.2" }];
    for (const rows of [persons, [...persons].reverse()]) {
      const result = await screenTables({ households: [{ h: "A" }, { h: "B" }], persons: rows }, small({ rules: [{ code: "R1", table: "households", title: "合计", severity: "low", when: true, message: "{agg.total} {agg.allAdults}" }] }));
      expect(result.findings.map((f) => [f.recordId, f.message])).toEqual([["A", "0.3 是"], ["B", "0 否"]]);
    }
    const found = await screenTables({ households: [{ h: "A" }], persons }, small());
    expect(found.findings.map((f) => f.code)).toEqual(["R1"]);
  });

  it("checks a key across every file of a table, listing each place with its file", async () => {
    const persons = (file: string, rows: Record<string, string>[]) => ({ file, rows });
    const result = await screenTables(
      {
        households: [{ h: "A" }],
        persons: [persons("乡镇/甲乡.xlsx", [{ p: "1", h: "A", age: "30", wage: "1" }, { p: "2", h: "A", age: "30", wage: "1" }]), persons("乡镇/乙镇.xlsx", [{ p: "2", h: "A", age: "40", wage: "1" }])],
      },
      small({ rules: [{ code: "U1", kind: "unique", table: "persons", fields: ["p"], title: "重复", severity: "high" }] }),
    );
    expect(result.findings.map((f) => [f.recordId, f.places, f.message])).toEqual([
      ["2", [{ table: "persons", file: "乡镇/甲乡.xlsx", row: 2 }, { table: "persons", file: "乡镇/乙镇.xlsx", row: 1 }], "证件号码「2」在人中出现2次：甲乡.xlsx 第2行、乙镇.xlsx 第1行"],
    ]);
  });

  it("an unusable cell is a data-quality finding, and the aggregates reading it leave the parent's rules undecided", async () => {
    const result = await screenTables({ households: [{ h: "A" }], persons: [{ p: "1", h: "A", age: "约三十", wage: "1" }] }, small());
    expect(result.quality.map((q) => [q.code, q.table, q.recordId, q.field])).toEqual([["invalid_value", "persons", "1", "age"]]);
    expect(result.findings.map((f) => [f.code, f.kind, f.cause])).toEqual([["R1", "rule_failed", "unusable_value"]]);
  });

  it("the county's rulebook is valid by the generated JSON Schema (schemas/tables-rulebook.schema.json), and a rule without a table is not", () => {
    const validate = new Ajv2020({ strict: false }).compile(JSON.parse(readFileSync(new URL("../../schemas/tables-rulebook.schema.json", import.meta.url), "utf8")) as object);
    expect(validate(rulebook()), JSON.stringify(validate.errors)).toBe(true);
    const book = rulebook();
    delete book.rules[0].table;
    expect(validate(book)).toBe(false);
  });

  it("validates tables, joins, aggregates and every path a rule reads, all at once", () => {
    const bad = small({
      rules: [
        { code: "R1", table: "persons", title: "x", severity: "low", when: { "==": [{ var: "households.nothing" }, 1] }, message: "x" },
        { code: "R2", kind: "reference", table: "persons", field: "h", to: "villages", title: "x", severity: "low" },
        { code: "R2", kind: "count", table: "persons", field: "age", of: "households", title: "x", severity: "low" },
      ],
    });
    const result = safePrepareTablesRulebook(bad);
    expect(result.success ? [] : result.error.issues.map((i) => [i.code, i.path.join(".")])).toEqual([
      ["unknown_variable", "rules.0.when"],
      ["unknown_table", "rules.1.to"],
      ["duplicate_code", "rules.2.code"],
      ["unknown_table", "rules.2.of"],
    ]);
    const cycle = small();
    (cycle.tables.households as Record<string, unknown>).refs = { h: "persons" };
    (cycle.tables.persons as Record<string, unknown>).key = "h";
    const cyclic = safePrepareTablesRulebook(cycle);
    expect(cyclic.success ? [] : cyclic.error.issues.map((i) => i.code)).toContain("table_cycle");
  });
});

describe("the county example of docs/screening.md and docs/zh/screening.md", () => {
  for (const page of ["docs/screening.md", "docs/zh/screening.md"]) {
    it(`${page}: each console block of the county (the first run, then the loop's two runs) is what the built CLI prints`, () => {
      const text = readFileSync(new URL(`../../${page}`, import.meta.url), "utf8");
      const blocks = [...text.matchAll(/```console\n(\$ kaohe screen [\s\S]*?)```/g)].map((m) => m[1] ?? "");
      expect(blocks).toHaveLength(3);
      // In order, in a folder of their own: the first loop run writes findings-1.ndjson, the second reads it.
      const cwd = mkdtempSync(join(tmpdir(), "kaohe-county-docs-"));
      symlinkSync(fileURLToPath(new URL("../../examples", import.meta.url)), join(cwd, "examples"));
      for (const block of blocks) {
      const [command = "", ...shown] = block.trimEnd().split("\n");
      const run = spawnSync(process.execPath, [fileURLToPath(new URL("../../dist/cli.js", import.meta.url)), ...command.slice("$ kaohe ".length).split(" ")], { encoding: "utf8", cwd });
      expect(run.status, run.stderr).toBe(0);
      const lines = run.stdout.split("\n");
      // Lines in order; `…` skips lines, and a line ending in `…` matches by its beginning.
      let at = 0;
      let skipping = false;
      for (const want of shown) {
        if (want === "…") {
          skipping = true;
          continue;
        }
        const fits = (line: string) => (want.endsWith("…") ? line.startsWith(want.slice(0, -1)) : line === want);
        if (skipping) while (at < lines.length && !fits(lines[at] as string)) at++;
        expect(lines[at], want).toSatisfy(fits);
        at++;
        skipping = false;
      }
      expect(shown.length).toBeGreaterThan(3);
      }
    });
  }
});

describe("the county's re-screening loop: exemptions and a second run after fixes (expected-loop.json)", () => {
  interface Ref { code: string; table: string; recordId: string; reason?: string }
  const LOOP = JSON.parse(readFileSync(`${DIR}expected-loop.json`, "utf8")) as {
    asOf: string;
    totals: { new: number; persisting: number; resolved: number; exempted: number };
    new: Ref[];
    resolved: Ref[];
    exempted: Ref[];
    unusedExemptions: { code: string; record: string; why: string; matched: number }[];
  };
  const sorted = (list: readonly Ref[]) => list.map((r) => JSON.stringify(r)).sort();
  const ref = (f: { code: string; table?: string; recordId: string }): Ref => ({ code: f.code, table: f.table ?? "", recordId: f.recordId });
  /** exemptions.csv as rows keyed by its header (no quoted cells in it). */
  const exemptionRows = () => {
    const [header = "", ...lines] = readFileSync(`${DIR}exemptions.csv`, "utf8").trim().split("\n");
    return lines.map((line) => Object.fromEntries(line.split(",").map((cell, i) => [header.split(",")[i] as string, cell])));
  };
  const loopArgs = (villages: string) => ["dist/cli.js", "screen", "--rules", RULES, ...TABLES.flatMap((t) => ["--table", `${t}=${DIR}${t === "villages" ? villages : t}.xlsx`]), "--exemptions", `${DIR}exemptions.csv`, "--as-of", LOOP.asOf, "--lang", "en"];
  const ndjson = (file: string) => readFileSync(file, "utf8").trim().split("\n").map((line) => JSON.parse(line) as TableFinding & { status?: string; exemption?: { reason: string } });

  it("through the library: new, persisting, resolved and exempted as declared by hand", async () => {
    const first = await screenTables(countyRows(), rulebook());
    const second = await screenTables(countyRows(true), rulebook());
    const baseline = first.findings.filter((f) => f.kind === "finding").map((f) => ({ code: f.code, table: f.table, recordId: f.recordId, unit: f.unit }));
    const loop = new ScreeningLoop({ asOf: LOOP.asOf, exemptions: parseExemptions(exemptionRows()), baseline });
    const marked = second.findings.map((f) => loop.annotate(f));
    const report = loop.finish();
    expect({ new: report.new, persisting: report.persisting, resolved: report.resolved, exempted: report.exempted }).toEqual(LOOP.totals);
    expect(sorted(marked.filter((f) => f.status === "new").map(ref))).toEqual(sorted(LOOP.new));
    expect(sorted(report.resolvedFindings.map(ref))).toEqual(sorted(LOOP.resolved));
    expect(sorted(marked.filter((f) => f.exemption).map((f) => ({ ...ref(f), reason: f.exemption?.reason as string })))).toEqual(sorted(LOOP.exempted));
    expect(report.unusedExemptions.map((u) => ({ code: u.exemption.code, record: u.exemption.record, why: u.why, matched: u.matched }))).toEqual(LOOP.unusedExemptions);
    // Undecided rules are neither new nor persisting.
    expect(marked.filter((f) => f.kind === "rule_failed" && f.status !== undefined)).toEqual([]);
    // An exemption naming another table does not cover the record.
    const other = new ScreeningLoop({ asOf: LOOP.asOf, exemptions: [{ code: "CT14", table: "work", record: "412823102013040011", reason: "x", approvedBy: "y", from: "2025-01-01" }] });
    expect(second.findings.map((f) => other.annotate(f)).filter((f) => f.exemption)).toEqual([]);
  });

  it("through the built CLI: the first run's findings as the baseline of the second, the same bytes on 0, 1 and 2 workers", () => {
    const first = join(out, "loop-1.ndjson");
    const run1 = spawnSync(process.execPath, [...loopArgs("villages"), "--out", first], { encoding: "utf8" });
    expect(run1.stderr).toBe("");
    expect(run1.status).toBe(0);
    // The first run: CT09's exemption covers its finding; CT16's has expired.
    expect(run1.stdout).toMatch(/^2 findings exempted \(still listed, with the reason\)$/m);
    expect(run1.stdout).toMatch(/^exemption CT16 412823104005013: expired \(until 2025-03-31\), no longer applies; 1 findings not exempted$/m);
    expect(ndjson(first).filter((f) => f.exemption).map((f) => f.code)).toEqual(["CT09", "CT14"]);
    let bytes: string | undefined;
    for (const workers of ["0", "1", "2"]) {
      const second = join(out, `loop-2-${workers}.ndjson`);
      const run2 = spawnSync(process.execPath, [...loopArgs("villages-2"), "--baseline", first, "--out", second, "--workers", workers], { encoding: "utf8" });
      expect(run2.stderr).toBe("");
      expect(run2.status).toBe(0);
      const t = LOOP.totals;
      expect(run2.stdout).toContain(`against the baseline (${first}): ${t.new} new, ${t.persisting} persisting, ${t.resolved} resolved`);
      expect(run2.stdout).toMatch(new RegExp(`^${t.exempted} findings exempted`, "m"));
      expect(run2.stdout).toMatch(/^exemption CT09 412823102006: matches no finding$/m);
      const items = ndjson(second);
      expect(sorted(items.filter((f) => f.status === "new").map(ref))).toEqual(sorted(LOOP.new));
      expect(items.filter((f) => f.status === "persisting")).toHaveLength(t.persisting);
      expect(sorted(items.filter((f) => f.exemption).map((f) => ({ ...ref(f), reason: f.exemption?.reason as string })))).toEqual(sorted(LOOP.exempted));
      const text = readFileSync(second, "utf8");
      if (bytes === undefined) bytes = text;
      else expect(text).toBe(bytes);
    }
  });

  it("through the built CLI: a Chinese CSV as the baseline, and --mask-ids on both runs", () => {
    const firstCsv = join(out, "loop-1.csv");
    expect(spawnSync(process.execPath, [...loopArgs("villages").slice(0, -2), "--out", firstCsv], { encoding: "utf8" }).status).toBe(0);
    const second = spawnSync(process.execPath, [...loopArgs("villages-2"), "--baseline", firstCsv], { encoding: "utf8" });
    expect(second.status, second.stderr).toBe(0);
    const t = LOOP.totals;
    expect(second.stdout).toContain(`: ${t.new} new, ${t.persisting} persisting, ${t.resolved} resolved`);
    // Masked: the baseline written masked is compared on masked keys; no identity number is left.
    const maskedFirst = join(out, "loop-1-masked.ndjson");
    const maskedSecond = join(out, "loop-2-masked.ndjson");
    expect(spawnSync(process.execPath, [...loopArgs("villages"), "--mask-ids", "--out", maskedFirst], { encoding: "utf8" }).status).toBe(0);
    const masked = spawnSync(process.execPath, [...loopArgs("villages-2"), "--mask-ids", "--baseline", maskedFirst, "--out", maskedSecond], { encoding: "utf8" });
    expect(masked.status, masked.stderr).toBe(0);
    expect(masked.stdout).toContain(`: ${t.new} new, ${t.persisting} persisting, ${t.resolved} resolved`);
    const text = readFileSync(maskedSecond, "utf8");
    expect(text).not.toMatch(/\d{17}[\dX]/);
    const items = ndjson(maskedSecond);
    expect(items.find((f) => f.code === "CT14")?.recordId).toBe("412823********0011");
    expect(items.find((f) => f.code === "CT14")?.exemption?.reason).toBe(LOOP.exempted[0]?.reason);
  });
});
