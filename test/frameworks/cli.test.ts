import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jiangxi2025 } from "../../src/index";
import { deriveFramework } from "../../src/authoring/index";
import { runCli } from "../../src/cli/main";
import { readRepoJson, runCliCaptured } from "../helpers";

const root = fileURLToPath(new URL("../..", import.meta.url));
const tmp = join(root, ".tmp", "framework-cli");
const at = (name: string) => join(tmp, name);

beforeAll(() => mkdirSync(tmp, { recursive: true }));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("kaohe framework import", () => {
  it("writes the framework of an indicator table and says what it read, in Chinese", async () => {
    const run = await runCliCaptured(["framework", "import", "examples/frameworks/city-2025.xlsx", "--out", at("city.json"), "--id", "example-city-2025", "--level", "municipal", "--region", "示例市"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${at("city.json")}：指标体系 example-city-2025，2 个类别，5 个指标，0 条扣分项`);
    const written = JSON.parse(readFileSync(at("city.json"), "utf8")) as unknown;
    const committed = readRepoJson<{ categories: { indicators: { source: { document: string } }[] }[] }>("examples/frameworks/city-2025.framework.json");
    expect(written).toEqual(committed);
  });

  it("takes grade bands from the CLI's grades file, and speaks English with --lang en", async () => {
    const run = await runCliCaptured(["framework", "import", "examples/frameworks/county-2025.csv", "--out", at("county.json"), "--id", "c", "--level", "县级", "--region", "示例县", "--grades", "examples/jiangxi-2025/grades.json", "--lang", "en"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${at("county.json")}: framework c, 3 categories, 6 indicators, 3 deduction clauses`);
    const framework = JSON.parse(readFileSync(at("county.json"), "utf8")) as { grades: unknown[]; level: string };
    expect(framework.grades).toHaveLength(4);
    expect(framework.level).toBe("county");
  });

  it("reports every problem with its cell in Chinese, exit 1, and writes nothing", async () => {
    writeFileSync(at("bad.csv"), "类别,指标,内容,分值\n一、责任落实,1. 责任压实,研究部署情况。,十分\n,2. 驻村帮扶,,5\n");
    const run = await runCliCaptured(["framework", "import", at("bad.csv"), "--out", at("bad.json"), "--id", "b", "--year", "2025", "--level", "county", "--region", "某县", "--title", "示例"]);
    expect(run.code).toBe(1);
    expect(run.stderr.split("\n")).toEqual([
      `${at("bad.csv")}：2 个问题`,
      '  bad!D2：分值不是大于 0 的数（值为 "十分"） [invalid_points]',
      "  bad!C3：指标 2「驻村帮扶」没有内容 [missing_content]",
    ]);
    expect(existsSync(at("bad.json"))).toBe(false);
  });

  it("refuses to overwrite its input (exit 2) and leaves it as it was", async () => {
    copyFileSync("examples/frameworks/county-2025.csv", at("input.csv"));
    const before = readFileSync(at("input.csv"));
    const run = await runCliCaptured(["framework", "import", at("input.csv"), "--out", at("input.csv")]);
    expect(run.code).toBe(2);
    // The wording of the shared CLI (issue 9), Chinese by default.
    expect(run.stderr).toContain('--out 的文件名必须以 .json 结尾（收到 "');
    const json = at("grades.json");
    copyFileSync("examples/jiangxi-2025/grades.json", json);
    const again = await runCliCaptured(["framework", "import", at("input.csv"), "--grades", json, "--out", json]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`--out ${json} 就是输入文件 ${json}：不会覆盖输入`);
    expect(readFileSync(at("input.csv"))).toEqual(before);
  });

  it("reports a missing output folder before reading any input, and leaves no temporary file", async () => {
    const run = await runCliCaptured(["framework", "import", at("nope.csv"), "--out", at("no-such-folder/x.json"), "--lang", "en"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${at("no-such-folder/x.json")}: the output folder ${at("no-such-folder")} does not exist; create it first`);
    expect(run.stderr).not.toContain("ENOENT");
    expect(readdirSync(tmp).filter((f) => f.startsWith("."))).toEqual([]);
  });

  it("reads the sheet named by --sheet of a workbook, and reports one that is not there", async () => {
    await runCliCaptured(["framework", "export", "jiangxi2025", "--out", at("sheets.xlsx")]);
    const run = await runCliCaptured(["framework", "import", at("sheets.xlsx"), "--sheet", "指标体系", "--out", at("sheets.json")]);
    expect(run.code).toBe(0);
    expect((JSON.parse(readFileSync(at("sheets.json"), "utf8")) as { id: string }).id).toBe("jiangxi2025");
    const missing = await runCliCaptured(["framework", "import", at("sheets.xlsx"), "--sheet", "附件2", "--out", at("missing.json")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("没有名为「附件2」的工作表（现有：指标体系、扣分项、部门、说明、规则、重点任务） [sheet_not_found]");
  });

  it("says a missing file cannot be read, without a stack trace", async () => {
    const run = await runCliCaptured(["framework", "import", at("nope.xlsx"), "--out", at("nope.json")]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`${at("nope.xlsx")}：无法读写文件（ENOENT）`);
  });

  it("says a file that is not a workbook is not one", async () => {
    writeFileSync(at("corrupt.xlsx"), "not a zip");
    const run = await runCliCaptured(["framework", "import", at("corrupt.xlsx"), "--out", at("corrupt.json")]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("corrupt.xlsx 不是可读取的 .xlsx 工作簿");
    expect(run.stderr).toContain("[unreadable_workbook]");
  });
});

describe("kaohe framework export", () => {
  it("writes the embedded framework as a workbook that imports back unchanged, leaving no temporary file", async () => {
    const run = await runCliCaptured(["framework", "export", "jiangxi2025", "--out", at("jiangxi.xlsx")]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${at("jiangxi.xlsx")}：已写出指标体系 jiangxi2025 的表格`);
    // The shared atomic output's temporary files are dot files beside the target.
    expect(readdirSync(tmp).filter((f) => f.startsWith("."))).toEqual([]);
    const diff = await runCliCaptured(["framework", "diff", "jiangxi2025", at("jiangxi.xlsx")]);
    expect(diff.stdout).toBe("jiangxi2025（2025）→ jiangxi2025（2025）\n  两个指标体系相同");
  });

  it("reports an invalid framework file with its issues", async () => {
    writeFileSync(at("broken.json"), JSON.stringify({ ...jiangxi2025, level: "galactic" }));
    const run = await runCliCaptured(["framework", "export", at("broken.json"), "--out", at("broken.xlsx")]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("[invalid_value]");
    expect(existsSync(at("broken.xlsx"))).toBe(false);
    expect(readdirSync(tmp).filter((f) => f.startsWith("."))).toEqual([]);
  });
});

describe("kaohe framework diff", () => {
  const next = deriveFramework(jiangxi2025, { id: "jiangxi2026", year: 2026, indicators: { i8: null } });

  it("prints the changes in Chinese, or as JSON", async () => {
    writeFileSync(at("next.json"), JSON.stringify(next));
    const run = await runCliCaptured(["framework", "diff", "jiangxi2025", at("next.json")]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("jiangxi2025（2025）→ jiangxi2026（2026）\n  年度：2025 → 2026\n  删除指标 8「财政衔接推进乡村振兴补助资金使用管理情况」（三、工作落实）");
    const json = await runCliCaptured(["framework", "diff", "jiangxi2025", at("next.json"), "--format", "json"]);
    expect((JSON.parse(json.stdout) as { diff: { indicators: { kind: string }[] } }).diff.indicators.map((d) => d.kind)).toEqual(["removed"]);
  });

  it("with --assessment, says what of last year's assessment no longer fits", async () => {
    writeFileSync(at("next.json"), JSON.stringify(next));
    const run = await runCliCaptured(["framework", "diff", "jiangxi2025", at("next.json"), "--assessment", "examples/jiangxi-2025/assessments/nanchang.json"]);
    expect(run.code).toBe(0);
    const lines = run.stdout.split("\n");
    expect(lines.slice(3)).toEqual([
      "examples/jiangxi-2025/assessments/nanchang.json：对照 jiangxi2026，有 2 处不再适用",
      "  指标 i8「财政衔接推进乡村振兴补助资金使用管理情况」在 jiangxi2026（2026）中已删除，其考核数据不再计分 [indicator_removed]",
      "  指标 i9「考核评估、暗访等发现问题整改情况」在 jiangxi2026（2026）中按「实地考核评分」计分，需要 score 而非 findings [input_mismatch]",
    ]);
  });

  it("says which file is not valid JSON", async () => {
    writeFileSync(at("notjson.json"), "{");
    const run = await runCliCaptured(["framework", "diff", "jiangxi2025", at("notjson.json")]);
    expect(run.code).toBe(1);
    // Chinese by default since the CLI speaks Chinese first (issue 9).
    expect(run.stderr).toMatch(/notjson\.json：不是有效的 JSON/);
  });
});

describe("kaohe framework --help", () => {
  it("prints its usage in Chinese by default and in English with --lang en", async () => {
    const zh = await runCliCaptured(["framework", "--help"]);
    expect(zh.code).toBe(0);
    expect(zh.stdout).toMatch(/^用法：\n {2}kaohe framework import/);
    // A subcommand's help is generated from its declaration, as every command's (issue 9).
    const en = await runCliCaptured(["framework", "diff", "--help", "--lang", "en"]);
    expect(en.code).toBe(0);
    expect(en.stdout).toMatch(/^Usage: kaohe framework diff <a> <b> \[options\]\n/);
    expect(en.stdout).toContain("--format <text|json>");
    expect(en.stdout).toContain("--assessment <assessment.json>");
  });

  it("answers -h, kaohe help framework [subcommand], and LANG like every command", async () => {
    const short = await runCliCaptured(["framework", "import", "-h"]);
    expect(short.code).toBe(0);
    expect(short.stdout).toMatch(/^用法：kaohe framework import <指标表\.xlsx\|指标表\.csv> --out <framework\.json> \[选项\]\n/);
    expect(short.stdout).toContain("--departments <departments.json>");
    const group = await runCliCaptured(["help", "framework", "--lang", "en"]);
    expect(group.code).toBe(0);
    expect(group.stdout.split("\n").filter((l) => l.startsWith("  kaohe framework "))).toHaveLength(3);
    const sub = await runCliCaptured(["help", "framework", "export"]);
    expect(sub.stdout).toMatch(/^用法：kaohe framework export /);
    const out: string[] = [];
    const code = await runCli(["framework", "export", "--bogus"], { readFile: () => "", stdout: (l) => out.push(l), stderr: (l) => out.push(l), env: { LANG: "en_US.UTF-8" } });
    expect(code).toBe(2);
    expect(out).toEqual(["kaohe framework export: unknown option --bogus", "Run `kaohe help framework export` for usage."]);
  });

  it("refuses an unknown subcommand with exit 2", async () => {
    const run = await runCliCaptured(["framework", "merge"]);
    expect(run.code).toBe(2);
    // Chinese by default, like every command (issue 9).
    expect(run.stderr).toContain('没有 "merge" 这个 framework 子命令（import、export 或 diff）');
  });
});
