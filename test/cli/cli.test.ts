import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { jiangxi2025 } from "../../src/index";
import { readRepoJson, runCliCaptured } from "../helpers";

const root = fileURLToPath(new URL("../..", import.meta.url));
const example = ["--points", "examples/jiangxi-2025/points.json", "--grades", "examples/jiangxi-2025/grades.json"];

/** Runs the real command line (the TypeScript entry point through tsx) in a child process. */
function spawnCli(args: string[]) {
  const run = spawnSync(process.execPath, ["--import", "tsx", "src/cli/bin.ts", ...args], { cwd: root, encoding: "utf8" });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("kaohe score", () => {
  it("prints each breakdown with Chinese labels and aligned columns, then the ranking", async () => {
    const run = await runCliCaptured(["score", "examples/jiangxi-2025/assessments/nanchang.json", "examples/jiangxi-2025/assessments/shangrao.json", ...example]);
    expect(run.code).toBe(0);
    const lines = run.stdout.split("\n");
    // The example's points and bands say they are illustrative: the output says so first.
    expect(lines[0]).toBe("示例数据：分值来自示例文件 examples/jiangxi-2025/points.json，不是正式标准，结果仅供演示");
    expect(lines[1]).toBe("示例数据：档次来自示例文件 examples/jiangxi-2025/grades.json，不是正式标准，结果仅供演示");
    expect(lines[3]).toBe("南昌市（nanchang） 2025");
    expect(lines[4]).toMatch(/^ {2}类别 {2}代码 {2}指标 +方法 +分值 +得分$/);
    expect(run.stdout).toContain("  扣分  事项「某县帮扶车间长期闲置被省委省政府通报」按 13c 扣 0.8 分；就高，不再按 13d 扣分");
    expect(run.stdout).toContain("总分 72.50（指标 76 − 扣分 1 − 酌情 2.5）  等次 较差（由 一般 降档）");
    expect(run.stdout).toMatch(/排名\n.*名次.*\n.*\n +1 +南昌市 +nanchang +93\.20 +好\n +2 +上饶市 +shangrao +72\.50 +较差/);
  });

  it("aligns the score column whatever the width of the Chinese names", async () => {
    const run = await runCliCaptured(["score", "examples/jiangxi-2025/assessments/yingtan.json", ...example]);
    const rows = run.stdout.split("\n").filter((l) => /^ {2}[一二三四] /.test(l));
    // Terminal cells: CJK ideographs and punctuation (U+3000–U+9FFF) take two, the rest one.
    const widths = new Set(rows.map((r) => r.replace(/[\u3000-\u9fff]/g, "xx").length));
    expect(rows).toHaveLength(12);
    expect(widths.size).toBe(1);
  });

  it("prints results and the ranking as JSON with --format json", async () => {
    const run = await runCliCaptured(["score", "examples/jiangxi-2025/assessments/jian.json", "examples/jiangxi-2025/assessments/xinyu.json", ...example, "--format", "json"]);
    const output = JSON.parse(run.stdout) as { ok: boolean; illustrative: unknown[]; results: { total: string }[]; ranking: { rank: number; unitId: string }[]; errors: unknown[] };
    expect(output.ok).toBe(true);
    expect(output.illustrative).toEqual([{ file: "examples/jiangxi-2025/points.json", kind: "points" }, { file: "examples/jiangxi-2025/grades.json", kind: "grades" }]);
    expect(output.results.map((r) => r.total)).toEqual(["89.50", "91.50"]);
    expect(output.ranking.map((r) => r.unitId)).toEqual(["xinyu", "jian"]);
    expect(output.errors).toEqual([]);
  });

  it("exits 1 with every issue of every file, and scores nothing", async () => {
    const bad = JSON.stringify({ unit: { id: "x", name: "某市" }, indicators: { i1: { score: "1e3" }, i99: { score: 1 } } });
    const run = await runCliCaptured(["score", "bad.json", "examples/jiangxi-2025/assessments/jian.json", "missing.json", ...example, "--lang", "en"], { "bad.json": bad });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    // The shape error (i1) does not hide the unknown indicator (i99) nor the eleven missing inputs.
    expect(run.stderr).toContain("bad.json: 13 issues");
    expect(run.stderr).toContain('indicators.i1.score: 指标 1「主体责任、部门责任、驻村帮扶责任等情况」: must be a plain decimal string');
    expect(run.stderr).toContain('indicators.i99: indicator "i99" is not in framework jiangxi2025 [unknown_indicator]');
    expect(run.stderr).toContain("or pass --missing-as-zero to score it 0 [missing_indicator]");
    expect(run.stderr).toContain("missing.json: no such file");
    const zh = await runCliCaptured(["score", "bad.json", ...example], { "bad.json": bad });
    expect(zh.stderr).toContain("bad.json: 13 个问题");
    expect(zh.stderr).toContain('indicators.i1.score: 指标 1「主体责任、部门责任、驻村帮扶责任等情况」：得分：必须是普通写法的小数，如 "0.8"（不用科学计数法，不带空格）（收到 "1e3"） [invalid_format]');
  });

  it("exits 1 when the embedded framework is scored without points, saying how to supply them", async () => {
    const run = await runCliCaptured(["score", "examples/jiangxi-2025/assessments/jian.json"]);
    expect(run.code).toBe(1);
    // Advice in the CLI's terms, once for the run, with no path inside the embedded framework.
    expect(run.stderr).toContain("--points: 有 12 个计分指标没有分值（源文件未给出分值）：请用 --points <文件> 给出分值表");
    expect(run.stderr).not.toMatch(/withPoints|framework\.categories/);
  });

  it("exits 1 for a points file that is not JSON or does not add up", async () => {
    const notJson = await runCliCaptured(["score", "examples/jiangxi-2025/assessments/jian.json", "--points", "p.json"], { "p.json": "{ points" });
    expect(notJson.code).toBe(1);
    expect(notJson.stderr).toMatch(/^p\.json：不是有效的 JSON/);
    const wrong = await runCliCaptured(["score", "examples/jiangxi-2025/assessments/jian.json", "--points", "p.json", "--lang", "en"], {
      "p.json": JSON.stringify({ illustrative: true, total: 90, points: { i1: 100 } }),
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("points.i2: 指标 2「“三保障”和饮水安全保障、兜底保障等情况」 has no points [missing_points]");
  });

  it("exits 1, not with a stack trace, for a framework file whose rule is unsafe", async () => {
    const assessment = readRepoJson<object>("examples/jiangxi-2025/assessments/jian.json");
    const unsafe = structuredClone(jiangxi2025) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    unsafe.categories[3].indicators[1].scoring.rule = { method: ["x", "toString"] };
    const run = await runCliCaptured(["score", "a.json", "--framework", "f.json", "--lang", "en"], { "a.json": JSON.stringify(assessment), "f.json": JSON.stringify(unsafe) });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("f.json: 1 issue");
    expect(run.stderr).toContain("[unsafe_operator]");
  });

  it("refuses a points file with a __proto__ key instead of silently dropping it", async () => {
    const run = await runCliCaptured(["score", "examples/jiangxi-2025/assessments/jian.json", "--points", "p.json", "--lang", "en"], {
      "p.json": '{"illustrative":true,"points":{"__proto__":{"i1":10}}}',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('points.__proto__: the key "__proto__" is not allowed [forbidden_key]');
  });

  it.each([
    [["score"], "score needs at least one assessment file"],
    [["score", "a.json", "--format", "xml"], '--format must be one of table, json (got "xml")'],
    [["score", "a.json", "--colour", "red"], "unknown option --colour"],
    [["score", "a.json", "--points"], "option --points needs a value"],
    [["frobnicate"], 'unknown command "frobnicate"'],
    [["schema", "nope"], "schema needs one of"],
  ])("exits 2 for the usage error %j", async (args, message) => {
    const run = await runCliCaptured([...args, "--lang", "en"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});

describe("kaohe validate", () => {
  it("accepts a valid assessment and names its kind", async () => {
    const run = await runCliCaptured(["validate", "examples/jiangxi-2025/assessments/jian.json"]);
    expect(run).toEqual({ code: 0, stdout: "examples/jiangxi-2025/assessments/jian.json：有效的考核输入", stderr: "" });
    const en = await runCliCaptured(["validate", "examples/jiangxi-2025/assessments/jian.json", "--lang", "en"]);
    expect(en).toEqual({ code: 0, stdout: "examples/jiangxi-2025/assessments/jian.json: valid assessment", stderr: "" });
  });

  it("lists every issue of an invalid framework", async () => {
    const run = await runCliCaptured(["validate", "f.json", "--lang", "en"], { "f.json": JSON.stringify({ id: "x", categories: [] }) });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/f\.json: \d+ issues/);
    expect(run.stderr).toContain("categories: must hold at least one category");
    const zh = await runCliCaptured(["validate", "f.json"], { "f.json": JSON.stringify({ id: "x", categories: [] }) });
    expect(zh.stderr).toMatch(/f\.json: \d+ 个问题/);
    expect(zh.stderr).toContain("categories: 类别：至少要有一个类别（收到一个列表） [too_small]");
  });

  it("asks for --kind when it cannot tell", async () => {
    const run = await runCliCaptured(["validate", "f.json", "--lang", "en"], { "f.json": "[]" });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("pass --kind");
  });
});

describe("kaohe schema", () => {
  it("prints a published JSON Schema", async () => {
    const run = await runCliCaptured(["schema", "assessment"]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ $id: "https://unpkg.com/kaohe/schemas/assessment.schema.json" });
  });
});

describe("the kaohe process", () => {
  it("exits with the command's code and never prints a stack trace for a user's mistake", () => {
    const bad = spawnCli(["score", "no-such-file.json", ...example]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const usage = spawnCli(["score", "--bogus", "x"]);
    expect(usage.code).toBe(2);
    const ok = spawnCli(["score", "examples/jiangxi-2025/assessments/yingtan.json", ...example]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("总分 100.00");
  });
});
