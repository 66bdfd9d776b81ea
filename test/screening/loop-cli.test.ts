import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { examplePath, runScreen } from "./helpers";

const RULES = examplePath("loop/rulebook.json");
const RUN1 = examplePath("loop/run1.csv");
const RUN2 = examplePath("loop/run2.csv");
const EXEMPTIONS = examplePath("loop/exemptions.csv");
const dir = mkdtempSync(join(tmpdir(), "kaohe-loop-cli-"));
const root = fileURLToPath(new URL("../..", import.meta.url));

async function readWorkbook(path: string) {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(path);
  return book;
}

const rowValues = (sheet: ExcelJS.Worksheet, n: number) => (sheet.getRow(n).values as unknown[]).slice(1);

describe("kaohe screen: the re-screening loop", () => {
  it("runs 筛查 → 整改 → 再筛查: exemptions, a baseline, the ledger workbook and the rectification problems", async () => {
    const first = join(dir, "findings-1.csv");
    const problems = join(dir, "problems.json");
    const run1 = await runScreen(["--rules", RULES, RUN1, "--as-of", "2025-06-30", "--exemptions", EXEMPTIONS, "--out", first, "--problems", problems], { lang: "zh" });
    expect(run1.code, run1.stderr.join("\n")).toBe(0);
    expect(run1.stdout.slice(-5)).toEqual([
      "筛查日期 2025-06-30",
      "参数 incomeLine = 7600（自 2025-01-01 起的取值）",
      "已豁免 1 条（仍列出，标明理由）",
      "豁免 L02 360702200001010041：已过期（截止 2025-03-31），不再适用，1 条问题线索未豁免",
      "豁免 L01 H9：没有匹配任何问题线索",
    ]);
    const csv = readFileSync(first, "utf8").split("\n");
    expect(csv[0]).toBe("\uFEFF类型,规则编号,规则名称,严重程度,对象,记录编号,户编号,县,乡镇,村,说明,取值,文件,行号,对比上次,豁免理由,批准人,豁免截止,适用版本");
    expect(csv.find((l) => l.includes(",H2,"))).toMatch(/,低保兜底户，收入经乡镇核实,县乡村振兴局 王某,2025-12-31,2025-06-30: incomeLine 自 2025-01-01$/);
    expect(JSON.parse(readFileSync(problems, "utf8")).map((p: { id: string; state: string }) => [p.id, p.state])).toEqual([
      ["L01.H1", "待整改"],
      ["L02.H3.360702200001010031", "待整改"],
      ["L03.H4", "待整改"],
      ["L02.H4.360702200001010041", "待整改"],
    ]);

    // The second run after fixes, against the first one's findings.
    const ledger = join(dir, "台账.xlsx");
    const run2 = await runScreen(["--rules", RULES, RUN2, "--as-of", "2025-09-30", "--exemptions", EXEMPTIONS, "--baseline", first, "--out", ledger, "--problems", problems]);
    expect(run2.code, run2.stderr.join("\n")).toBe(0);
    expect(run2.stdout).toContain("against the baseline (" + first + "): 1 new, 3 persisting, 2 resolved");
    expect(run2.stdout).toContain("  示例县/甲乡/二村  new 0  persisting 0  resolved 1");
    const book = await readWorkbook(ledger);
    expect(book.worksheets.map((s) => s.name)).toEqual(["summary", "L01 人均纯收入低于监测收入标准", "L02 未参加城乡居民基本医疗保险", "L03 备注含公式或特殊字符", "resolved", "exemptions unused"]);
    const summary = book.getWorksheet("summary")!;
    expect(rowValues(summary, 1)).toEqual(["code", "title", "severity", "findings", "exempted", "new", "persisting", "resolved", "undecided"]);
    expect(rowValues(summary, 2)).toEqual(["L01", "人均纯收入低于监测收入标准", "high", 1, 1, 0, 1, 1, 0]);
    expect(rowValues(summary, 3)).toEqual(["L02", "未参加城乡居民基本医疗保险", "medium", 2, 0, 1, 1, 1, 0]);
    const summaryRows = Array.from({ length: summary.rowCount }, (_, i) => rowValues(summary, i + 1));
    expect(summaryRows).toContainEqual(["as of", "2025-09-30"]);
    expect(summaryRows).toContainEqual(["parameter incomeLine", "7600 (from 2025-01-01)"]);
    expect(summaryRows).toContainEqual(["示例县", "甲乡", 0, 1, 2, 1]);
    expect(summaryRows).toContainEqual(["示例县", "甲乡", "二村", 0, 0, 1, 0]);
    for (const sheet of book.worksheets) expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    const l03 = book.worksheets[3]!;
    // The loop's columns, then the record's original columns as exported.
    expect(rowValues(l03, 1)).toEqual(["kind", "status", "exemption", "approvedBy", "exemptUntil", "applied", "message", "县", "乡镇", "村", "record", "household", "file", "row", "县", "乡镇", "行政村", "户编号", "人均纯收入（元）", "备注", "证件号码", "姓名", "是否参加城乡居民基本医疗保险"]);
    const note = l03.getRow(2).getCell(20);
    // A cell that begins with = is text, never a formula.
    expect(note.type).toBe(ExcelJS.ValueType.String);
    expect(note.value).toBe('=HYPERLINK("http://example.invalid","点击")');
    expect(rowValues(l03, 2).slice(0, 2)).toEqual(["finding", "persisting"]);
    expect(rowValues(book.worksheets[1]!, 2).slice(0, 5)).toEqual(["finding", "persisting", "低保兜底户，收入经乡镇核实", "县乡村振兴局 王某", "2025-12-31"]);
    expect(rowValues(book.getWorksheet("resolved")!, 2)).toEqual(["L01", "人均纯收入低于监测收入标准", "人均纯收入7200元低于监测收入标准7600元", "示例县", "甲乡", "一村", "H1", ""]);
    expect(book.getWorksheet("exemptions unused")!.rowCount).toBe(3);
    // The problems: the resolved ones closed, the new one added; the others left as they were.
    const after = JSON.parse(readFileSync(problems, "utf8")) as { id: string; state: string; history: { type: string; on: string }[] }[];
    expect(after.map((p) => [p.id, p.state])).toEqual([
      ["L01.H1", "已销号"],
      ["L02.H3.360702200001010031", "已销号"],
      ["L03.H4", "待整改"],
      ["L02.H4.360702200001010041", "待整改"],
      ["L02.H5.360702200001010051", "待整改"],
    ]);
    expect(after[0]?.history.map((e) => [e.type, e.on])).toEqual([["start", "2025-09-30"], ["complete", "2025-09-30"], ["close", "2025-09-30"]]);
  });

  it("--mask-ids masks 证件号码 in every output, and compares a masked baseline", async () => {
    const first = join(dir, "masked-1.ndjson");
    const run1 = await runScreen(["--rules", RULES, RUN1, "--as-of", "2025-06-30", "--exemptions", EXEMPTIONS, "--mask-ids", "--out", first]);
    expect(run1.code).toBe(0);
    const all = readFileSync(first, "utf8") + run1.stdout.join("\n");
    expect(all).not.toMatch(/3607022000010100\d\d/);
    expect(all).toContain("360702********0041");
    const ledger = join(dir, "masked.xlsx");
    const run2 = await runScreen(["--rules", RULES, RUN2, "--as-of", "2025-09-30", "--baseline", first, "--mask-ids", "--out", ledger]);
    expect(run2.stdout).toContain("against the baseline (" + first + "): 1 new, 3 persisting, 2 resolved");
    const book = await readWorkbook(ledger);
    const cells: string[] = [];
    book.eachSheet((s) => s.eachRow((r) => r.eachCell((c) => cells.push(String(c.value)))));
    expect(cells.join("|")).not.toMatch(/3607022000010100\d\d/);
    expect(cells).toContain("360702********0051");
    // Unmasked, the same stdout shows the numbers.
    const plain = await runScreen(["--rules", RULES, RUN2, "--as-of", "2025-09-30"]);
    expect(plain.stdout.join("\n")).toContain("360702200001010051");
  });

  it("reads exemption lists from JSON and XLSX (date cells too, a title row above the header)", async () => {
    const json = join(dir, "exemptions.json");
    writeFileSync(json, JSON.stringify([{ code: "L02", record: "360702200001010031", reason: "已补缴", approvedBy: "甲乡", from: "2025-01-01" }]));
    const run = await runScreen(["--rules", RULES, RUN1, "--as-of", "2025-06-30", "--exemptions", json]);
    expect(run.stdout.find((l) => l.includes("王三"))).toMatch(/\[exempted: 已补缴 \(甲乡, until no end\)\]$/);
    const xlsx = join(dir, "豁免清单.xlsx");
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet("豁免清单");
    sheet.addRow(["示例县防返贫监测数据豁免清单（2025年）"]);
    sheet.addRow(["规则编号", "记录编号", "豁免理由", "批准人", "起始日期", "截止日期"]);
    sheet.addRow(["L01", "H1", "收入已重新核算", "县乡村振兴局", new Date(Date.UTC(2025, 0, 1)), new Date(Date.UTC(2025, 11, 31))]);
    await book.xlsx.writeFile(xlsx);
    const fromXlsx = await runScreen(["--rules", RULES, RUN1, "--as-of", "2025-06-30", "--exemptions", xlsx]);
    expect(fromXlsx.code).toBe(0);
    expect(fromXlsx.stdout.find((l) => l.includes(" H1 "))).toMatch(/\[exempted: 收入已重新核算 \(县乡村振兴局, until 2025-12-31\)\]$/);
  });

  it("refuses a bad exemption list, a bad --as-of, a baseline in the wrong format and a rulebook with overlapping periods, in both languages", async () => {
    const bad = join(dir, "bad-exemptions.csv");
    writeFileSync(bad, "规则编号,记录编号,豁免理由,批准人,起始日期\nL01,H1,,王,下个月\n");
    const zh = await runScreen(["--rules", RULES, RUN1, "--exemptions", bad], { lang: "zh" });
    expect(zh.code).toBe(1);
    expect(zh.stderr).toEqual([`豁免清单 ${bad} 有误：`, "  bad-exemptions.csv › 1 › reason: bad-exemptions.csv 第 1 条：「豁免理由」为空 [missing_value]", '  bad-exemptions.csv › 1 › from: bad-exemptions.csv 第 1 条：「起始日期」应为 YYYY-MM-DD 格式的日期（收到 "下个月"） [invalid_date]']);
    const en = await runScreen(["--rules", RULES, RUN1, "--exemptions", bad]);
    expect(en.stderr[0]).toBe(`the exemption list ${bad} is invalid:`);
    expect((await runScreen(["--rules", RULES, RUN1, "--exemptions", join(dir, "none.csv")])).stderr).toEqual([`The exemption list ${join(dir, "none.csv")} does not exist`]);
    const asOf = await runScreen(["--rules", RULES, RUN1, "--as-of", "2025-02-30"], { lang: "zh" });
    expect(asOf.code).toBe(2);
    expect(asOf.stderr.join("\n")).toContain('--as-of 必须是 YYYY-MM-DD 格式的日期（收到 "2025-02-30"）');
    const wrong = await runScreen(["--rules", RULES, RUN1, "--baseline", RULES]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toEqual([`--baseline ${RULES} must be a .csv or .ndjson findings file written by kaohe screen`]);
    const broken = join(dir, "broken.ndjson");
    writeFileSync(broken, '{"kind":"finding","code":"L01","recordId":"H1"}\n{"kind":\n');
    const brokenRun = await runScreen(["--rules", RULES, RUN1, "--baseline", broken], { lang: "zh" });
    expect(brokenRun.code).toBe(1);
    expect(brokenRun.stderr[0]).toMatch(new RegExp(`^上次筛查结果 ${broken} 不是有效的 JSON（`));
    const notFindings = await runScreen(["--rules", RULES, RUN1, "--baseline", RUN2], { lang: "zh" });
    expect(notFindings.code).toBe(1);
    expect(notFindings.stderr[1]).toBe("  run2.csv › 1: run2.csv 不是 kaohe screen 写出的问题线索文件：第 1 行缺少 类型、规则编号 或 记录编号 [baseline_format]");
    const overlapping = JSON.parse(readFileSync(RULES, "utf8"));
    overlapping.parameters.incomeLine.values["2024-01-01"] = { value: 7000, until: "2025-06-30" };
    const rules = join(dir, "overlapping.json");
    writeFileSync(rules, JSON.stringify(overlapping));
    const refused = await runScreen(["--rules", rules, RUN1, "--as-of", "2025-07-01"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toEqual(["the rulebook's dated periods are invalid:", '  parameters › incomeLine › values: parameter "incomeLine": the periods 2024-01-01–2025-06-30 and 2025-01-01– overlap [overlapping_periods]']);
  });

  it("gives the same findings, versions and statuses with workers (which get the rulebook resolved for the date)", async () => {
    const args = ["--rules", RULES, RUN1, "--as-of", "2024-06-30", "--exemptions", EXEMPTIONS];
    const inline = await runScreen(args);
    const pooled = await runScreen([...args, "--workers", "1"]);
    expect(pooled.code).toBe(0);
    const findings = (lines: string[]) => lines.filter((l) => l.includes("run1.csv:"));
    expect(findings(pooled.stdout)).toEqual(findings(inline.stdout));
    expect(findings(inline.stdout).find((l) => l.includes(" L03 "))).toContain("备注应为空（2024年口径）");
    expect(inline.stdout).toContain("parameter incomeLine = 7000 (the value from 2024-01-01)");
  });

  it("puts the original columns of findings from files with other column orders under the right headers", async () => {
    const other = join(dir, "其他村.csv");
    writeFileSync(other, "户编号,证件号码,姓名,人均纯收入（元）,是否参加城乡居民基本医疗保险,县,乡镇,行政村,联系电话\nH7,360702200001010071,孙七,5000,是,示例县,丙乡,四村,13800000000\n");
    const ledger = join(dir, "two-files.xlsx");
    const run = await runScreen(["--rules", RULES, RUN1, other, "--as-of", "2025-06-30", "--out", ledger]);
    // 3: the other file has no 备注, so L03 could not run on it; the ledger is written all the same.
    expect(run.code, run.stderr.join("\n")).toBe(3);
    const sheet = (await readWorkbook(ledger)).worksheets[1]!;
    const headings = rowValues(sheet, 1) as string[];
    expect(headings.slice(14)).toEqual(["县", "乡镇", "行政村", "户编号", "人均纯收入（元）", "备注", "证件号码", "姓名", "是否参加城乡居民基本医疗保险", "联系电话"]);
    const h7 = rowValues(sheet, sheet.rowCount);
    const cell = (name: string) => h7[headings.lastIndexOf(name)];
    expect([cell("户编号"), cell("人均纯收入（元）"), cell("行政村"), cell("联系电话"), cell("备注")]).toEqual(["H7", "5000", "四村", "13800000000", ""]);
  });

  it("refuses --problems that is an input, before anything is read, as a usage error like --out (decision 0602)", async () => {
    const run = await runScreen(["--rules", RULES, RUN1, "--problems", RUN1]);
    expect(run.code).toBe(2);
    expect(run.stderr).toEqual([`kaohe screen: --problems ${RUN1} is the input ${RUN1}: an input is never overwritten; choose another output file`, "Run `kaohe help screen` for usage."]);
  });

  it("the built CLI gives the same exit codes (2 for a bad --as-of, 1 for a bad list) and writes no ledger for a failed run", () => {
    const cli = join(root, "dist/cli.js");
    expect(existsSync(cli), "run `npm run build` first").toBe(true);
    const run = (args: string[]) => spawnSync(process.execPath, [cli, "screen", "--rules", RULES, RUN1, ...args], { cwd: root, encoding: "utf8", env: { PATH: process.env.PATH ?? "", LANG: "C.UTF-8" } });
    expect(run(["--as-of", "明天"]).status).toBe(2);
    const ledger = join(dir, "never.xlsx");
    const badList = run(["--exemptions", RULES, "--out", ledger]);
    expect(badList.status).toBe(1);
    expect(badList.stderr).toContain("豁免清单");
    expect(existsSync(ledger)).toBe(false);
    expect(run(["--as-of", "2025-06-30", "--out", ledger]).status).toBe(0);
    expect(existsSync(ledger)).toBe(true);
  });
});
