import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { examplePath, exampleRulebook, runScreen } from "./helpers";

const RULES = examplePath("rulebook.json");
/** These cases check the English twin of the output; the Chinese default is checked in test/cli/. */
const EN = ["--lang", "en"];
const CSV = examplePath("synthetic-households.csv");
const dir = mkdtempSync(join(tmpdir(), "kaohe-screen-cli-"));

describe("kaohe screen", () => {
  it("prints findings and a summary table, and exits 0 when it ran (findings are not an error)", async () => {
    const run = await runScreen(["--rules", RULES, CSV, ...EN]);
    expect(run.code).toBe(0);
    expect(run.stdout[0]).toMatch(/synthetic-households\.csv:4 {2}SC02 high {2}示例县\/甲乡\/一村 {2}SYN-0104 {2}以帮扶消除风险/);
    expect(run.stdout.join("\n")).toMatch(/SC13 +medium +未参加城乡居民基本医疗保险 +1 +0/);
    expect(run.stdout.at(-1)).toMatch(/^21 rows read, 21 screened, 0 rejected; 7 findings, 0 rules undecided; /);
    expect(run.stderr).toEqual([]);
  });

  it("writes CSV with a BOM (for Excel) or NDJSON to --out, and shows rejected rows on stderr", async () => {
    const out = join(dir, "findings.csv");
    const run = await runScreen(["--rules", RULES, examplePath("synthetic-households-gbk.csv"), "--out", out, ...EN]);
    expect(run.code).toBe(0);
    const text = readFileSync(out, "utf8");
    expect(text.startsWith("\uFEFFkind,code,title,severity,subject,recordId,householdId,county,township,village,message,values,file,row\n")).toBe(true);
    expect(text).toContain('data_quality,invalid_value,年龄,,person,SYN-0199-02,SYN-0199,示例县,甲乡,二村,"年龄 ""十二"" is not a number","{""age"":""十二""}",');
    expect(text).toContain("rejected,wrong_cell_count,,,,,,,,,\"has 23 cells, the header has 22\",,");
    expect(run.stderr).toHaveLength(1);
    expect(run.stderr[0]).toMatch(/synthetic-households-gbk\.csv:25: has 23 cells, the header has 22 \[wrong_cell_count\]$/);
  });

  it("reads UTF-8 with a BOM, GBK by detection or by --encoding, and a header below title rows", async () => {
    const utf8 = readFileSync(CSV, "utf8");
    const files = {
      bom: ["\uFEFF" + utf8, "utf8"],
      gbk: [iconv.encode(utf8, "gbk"), "gbk"],
      titled: ["合成数据（非真实）,,\r\n导出时间 2025-01-01\r\n" + utf8, "utf8"],
    } as const;
    for (const [name, [content, encoding]] of Object.entries(files)) {
      const path = join(dir, `${name}.csv`);
      writeFileSync(path, content);
      for (const extra of [[], ["--encoding", encoding]]) {
        const run = await runScreen(["--rules", RULES, path, ...extra, ...EN]);
        expect(run.code, name).toBe(0);
        expect(run.stdout.at(-1), name).toMatch(/^21 rows read, 21 screened, 0 rejected; 7 findings/);
      }
    }
    const wrong = await runScreen(["--rules", RULES, join(dir, "gbk.csv"), "--encoding", "utf8", ...EN]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr.join("\n")).toMatch(/line 1 is not valid UTF-8 .*give --encoding gb18030 \[invalid_encoding\]$/m);
    const header = await runScreen(["--rules", RULES, examplePath("synthetic-households.xlsx"), "--header-row", "3", ...EN]);
    expect(header.stdout.at(-1)).toMatch(/^21 rows read, 21 screened, 0 rejected; 4 findings/);
  });

  it("exits 1 for an invalid rulebook, listing every issue, and for an unreadable file, after screening the others", async () => {
    const book = exampleRulebook();
    book.rules[1] = { ...book.rules[1], code: "SC01" };
    const bad = join(dir, "bad-rulebook.json");
    writeFileSync(bad, JSON.stringify(book));
    const invalid = await runScreen(["--rules", bad, CSV, ...EN]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toEqual([`${bad}: 1 issue`, '  rules[1].code: rule code "SC01" is already used by rules[0] [duplicate_code]']);
    const missing = await runScreen(["--rules", RULES, join(dir, "nope.csv"), CSV, ...EN]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toEqual([
      `${join(dir, "nope.csv")}: cannot read the file (ENOENT)`,
      `screening incomplete: 1 file(s) not screened (${join(dir, "nope.csv")}); the totals above leave them out`,
    ]);
    expect(missing.stdout.at(-1)).toMatch(/^21 rows read, .*; 1 file\(s\) NOT screened$/);
    // In Chinese (the default), a file that cannot be opened or has no header is reported in Chinese.
    const headless = join(dir, "headless.csv");
    writeFileSync(headless, "a,b\n1,2\n");
    const missingZh = await runScreen(["--rules", RULES, join(dir, "nope.csv"), headless], { lang: "zh" });
    expect(missingZh.code).toBe(1);
    expect(missingZh.stderr.slice(0, 2)).toEqual([`${join(dir, "nope.csv")}: 无法读取文件（ENOENT）`, `${headless}: 没有列出键列的表头行`]);
    expect(missingZh.stdout.filter((line) => line.includes("未筛查："))).toEqual([expect.stringContaining("未筛查：无法读取文件（ENOENT）"), expect.stringContaining("未筛查：没有列出键列的表头行")]);
    const columns = join(dir, "columns.csv");
    writeFileSync(columns, "县,乡镇,行政村,户编号,人编号\n示例县,甲乡,一村,H1,P1\n");
    const lacking = await runScreen(["--rules", RULES, columns, ...EN]);
    expect(lacking.code).toBe(3);
    const notRun = lacking.stdout.slice(lacking.stdout.findIndex((line) => line.startsWith("INCOMPLETE")));
    expect(notRun[0]).toBe(`INCOMPLETE ${columns}: 14 rules could not run:`);
    expect(notRun.slice(1).map((line) => line.trim().split(" ")[0])).toEqual(exampleRulebook().rules.map((r: { code: string }) => r.code));
    const zh = await runScreen(["--rules", RULES, columns], { lang: "zh" });
    expect(zh.stdout.find((line) => line.startsWith("不完整"))).toBe(`不完整 ${columns}：14 条规则未能运行：`);
    expect(notRun[2]).toBe("  SC02 帮扶消除风险但人均纯收入低于监测收入标准: rule SC02 reads columns 风险消除方式, 人均纯收入（元）, 风险是否消除, which the file lacks");
  });

  it("reads a CSV export from standard input given as -, as from the file, and refuses a workbook there", () => {
    const cli = new URL("../../dist/cli.js", import.meta.url).pathname;
    const args = (file: string) => [cli, "screen", "--rules", RULES, file, "--lang", "en"];
    const fromFile = spawnSync(process.execPath, args(CSV), { encoding: "utf8" });
    const fromStdin = spawnSync(process.execPath, args("-"), { encoding: "utf8", input: readFileSync(CSV) });
    expect(fromStdin.status).toBe(0);
    // The file's name leads its finding lines and its row of the per-file table; the table's widths follow it.
    const lines = (out: string, name: string) =>
      out.split("\n").map((line) => (line.startsWith(`${name}:`) || line.startsWith(`${name} `) ? `<input>${line.slice(name.length)}` : line).replace(/ +/g, " ").replace(/-+/g, "-").replace(/; [\d.]+ s$/, ""));
    expect(lines(fromStdin.stdout, "-")).toEqual(lines(fromFile.stdout, CSV));
    const workbook = spawnSync(process.execPath, args("-"), { encoding: "utf8", input: readFileSync(examplePath("synthetic-households.xlsx")) });
    expect(workbook.status).toBe(1);
    expect(workbook.stderr).toContain("-: standard input holds a zip (an Excel workbook?)");
    const twice = spawnSync(process.execPath, [...args("-"), "-"], { encoding: "utf8", input: "" });
    expect(twice.status).toBe(2);
    expect(twice.stderr).toContain("standard input (-) can be read only once");
  });

  it("refuses a header that names a column a field reads twice, naming both columns, and accepts a twice-named column nobody reads", async () => {
    const lines = readFileSync(CSV, "utf8").trim().split("\n").map((line) => line.split(","));
    const header = lines[0] ?? [];
    const twice = (column: string) => {
      const at = header.indexOf(column);
      return lines.map((cells, i) => [...cells, i === 0 ? column : `${cells[at]}X`].join(",")).join("\n") + "\n";
    };
    const letter = (i: number) => String.fromCharCode(65 + i);
    for (const column of ["户编号", "年龄"]) {
      const file = join(dir, `twice-${column}.csv`);
      writeFileSync(file, twice(column));
      const run = await runScreen(["--rules", RULES, file]);
      expect(run.code).toBe(1);
      expect(run.stderr[0]).toContain(`the header names ${column} 2 times (columns ${letter(header.indexOf(column))}, ${letter(header.length)})`);
      const zh = await runScreen(["--rules", RULES, file], { lang: "zh" });
      expect(zh.stderr[0]).toContain(`表头中「${column}」出现了 2 次`);
    }
    const unread = join(dir, "twice-unread.csv");
    writeFileSync(unread, lines.map((cells, i) => [...cells, i === 0 ? "备注" : "", i === 0 ? "备注" : "x"].join(",")).join("\n") + "\n");
    const ok = await runScreen(["--rules", RULES, unread]);
    expect(ok.code).toBe(0);
    expect(ok.stdout.at(-1)).toMatch(/^21 rows read, 21 screened, 0 rejected; 7 findings/);
  });

  it("refuses a file of persons without the person key (exit 1), rather than screening its rows as households", async () => {
    const lines = readFileSync(CSV, "utf8").trim().split("\n").map((line) => line.split(","));
    const at = (lines[0] ?? []).indexOf("人编号");
    const noKey = join(dir, "no-person-key.csv");
    writeFileSync(noKey, lines.map((cells) => cells.filter((_, i) => i !== at).join(",")).join("\n") + "\n");
    const run = await runScreen(["--rules", RULES, noKey, ...EN]);
    expect(run.code).toBe(1);
    expect(run.stderr).toEqual([
      `${noKey}: row 1: the header has person columns (与户主关系, 年龄, 劳动技能, 在校生状况, 是否务工就业, 是否参加城乡居民基本医疗保险) but no 人编号 column (personId): persons cannot be told apart`,
      `screening incomplete: 1 file(s) not screened (${noKey}); the totals above leave them out`,
    ]);
  });

  it("exits 2 for usage errors", async () => {
    for (const args of [[CSV], ["--rules", RULES], ["--rules", RULES, CSV, "--workers", "x"], ["--rules", RULES, CSV, "--out", "f.txt"], ["--rules", RULES, CSV, "--encoding", "latin1"], ["--rules", RULES, CSV, "--bogus", "1"]]) {
      const run = await runScreen([...args, ...EN]);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr[0]).toMatch(/^kaohe screen: /);
      expect(run.stderr.at(-1)).toBe("Run `kaohe help screen` for usage.");
    }
  });

  it("draws a progress line only through the progress channel, and clears it", async () => {
    const lines: (string | undefined)[] = [];
    await runScreen(["--rules", RULES, CSV, ...EN], { progress: (text) => lines.push(text) });
    // The file's size is known: the share read (the whole file by the last batch) and the time left.
    expect(lines.at(-2)).toMatch(/synthetic-households\.csv: 21 rows, [\d,]+ rows\/s, \d+\.\d s, 100%, about 0 s left$/);
    expect(lines.at(-1)).toBeUndefined();
    const zh: (string | undefined)[] = [];
    await runScreen(["--rules", RULES, CSV], { lang: "zh", progress: (text) => zh.push(text) });
    expect(zh.at(-2)).toMatch(/synthetic-households\.csv：已读 21 行，每秒 [\d,]+ 行，\d+\.\d 秒，100%，约剩 0 秒$/);
  });

  it("shows the share read and the time left part-way through a large file", async () => {
    const big = join(dir, "big.csv");
    const [head, ...body] = readFileSync(CSV, "utf8").replace(/^\uFEFF/, "").trim().split("\n");
    const rows: string[] = [];
    for (let copy = 0; copy < 400; copy++) for (const line of body) rows.push(line.replace(/SYN-0(\d{3})/g, `SYN-${copy}-$1`));
    writeFileSync(big, `${head}\n${rows.join("\n")}\n`);
    const lines: (string | undefined)[] = [];
    let clock = 0;
    await runScreen(["--rules", RULES, big, ...EN], { progress: (text) => lines.push(text), now: () => (clock += 100) });
    const shares = lines.flatMap((line) => (line === undefined ? [] : [Number(/, (\d+)%, about \d+ s left$/.exec(line)?.[1])]));
    expect(shares.length).toBeGreaterThan(2);
    expect(shares.every((share) => Number.isInteger(share) && share >= 0 && share <= 100)).toBe(true);
    expect(shares.some((share) => share > 0 && share < 100)).toBe(true);
    expect(shares).toEqual([...shares].sort((a, b) => a - b));
  });

  it("never prints a stack trace for a user's mistake, in a real process", () => {
    const script = join(dir, "run.mts");
    writeFileSync(script, `import { readFileSync } from "node:fs";\nimport { runScreenCommand } from ${JSON.stringify(new URL("../../src/cli/screen.ts", import.meta.url).pathname)};\nprocess.exitCode = await runScreenCommand(process.argv.slice(2), { readFile: (p) => readFileSync(p, "utf8"), stdout: console.log, stderr: console.error });\n`);
    const garbage = join(dir, "garbage.xlsx");
    writeFileSync(garbage, "not a zip");
    const run = spawnSync(process.execPath, ["--import", "tsx", script, "--lang", "en", "--rules", RULES, garbage, join(dir, "bad-rulebook.json")], { encoding: "utf8" });
    expect(run.status).toBe(1);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stderr).toMatch(/garbage\.xlsx: the file is named \.xlsx but holds text .*\[wrong_extension\]/);
    expect(execFileSync).toBeDefined();
  });
});
