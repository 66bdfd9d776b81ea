import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { prepareRulebook, type Finding } from "../../src/screening/index";
import { screenFile } from "../../src/screening/node/run";
import type { ScreeningItem } from "../../src/screening/evaluate";
import { examplePath, exampleRulebook, expected, runScreen } from "./helpers";

const FILES = ["synthetic-households.csv", "synthetic-households-gbk.csv", "synthetic-households.xlsx"].map(examplePath);

async function screenExamples(): Promise<ScreeningItem[]> {
  const prepared = prepareRulebook(exampleRulebook());
  const items: ScreeningItem[] = [];
  for (const file of FILES) {
    const result = await screenFile(prepared, file, { onItems: (batch) => void items.push(...batch) });
    expect(result.ok, file).toBe(true);
  }
  return items;
}

function byRule(findings: readonly Pick<Finding, "code" | "recordId">[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const f of findings) (out[f.code] ??= []).push(f.recordId);
  for (const list of Object.values(out)) list.sort();
  return out;
}

describe("the example rulebook over the synthetic exports (UTF-8 CSV, GBK CSV, XLSX with title rows)", async () => {
  const items = await screenExamples();
  const findings = items.filter((i): i is Finding => i.kind === "finding" || i.kind === "rule_failed");
  const want = expected();

  it("holds at least 12 rules, each with a triggering record", () => {
    const rules = exampleRulebook().rules;
    expect(rules.length).toBeGreaterThanOrEqual(12);
    for (const rule of rules) expect(want.findings[rule.code as string], rule.code as string).toBeDefined();
  });

  it.each(Object.keys(want.findings))("rule %s triggers on exactly its intended records and spares the near misses", (code) => {
    expect(byRule(findings.filter((f) => f.kind === "finding"))[code] ?? []).toEqual([...(want.findings[code] ?? [])].sort());
  });

  it("leaves undecided exactly the rules that read the one unusable cell (年龄 十二), and decides the others for that household", () => {
    const undecided = findings.filter((f) => f.kind === "rule_failed").map((f) => [f.code, f.recordId, f.cause]);
    expect(undecided).toEqual([
      ["SC03", "SYN-0199", "unusable_value"],
      ["SC12", "SYN-0199-02", "unusable_value"],
      ["SC14", "SYN-0199-02", "unusable_value"],
    ]);
    expect(findings.find((f) => f.kind === "rule_failed")?.message).toBe(
      '规则无法判断：「年龄」的值"十二"不是数字 (rule could not be decided: it reads age, and 年龄 "十二" is not a number)',
    );
  });

  it("reports the bad cell as a data-quality finding and rejects only the row of the wrong width", () => {
    const quality = items.filter((i) => i.kind === "data_quality");
    expect(quality.map((q) => [q.row, q.code, q.column, q.value, q.recordId, q.householdId])).toEqual([[24, "invalid_value", "年龄", "十二", "SYN-0199-02", "SYN-0199"]]);
    expect(quality[0]?.reason).toBe('年龄 "十二" is not a number');
    const rejected = items.filter((i) => i.kind === "rejected");
    expect(rejected.map((r) => [r.row, r.code])).toEqual([[25, "wrong_cell_count"]]);
    expect(rejected.every((r) => r.file?.endsWith("synthetic-households-gbk.csv"))).toBe(true);
  });

  it("reads GBK text and Excel dates as the UTF-8 file would", () => {
    const sc01 = findings.find((f) => f.code === "SC01" && f.recordId === "SYN-0102");
    expect(sc01?.values).toEqual({ clearedOn: "2025-07-30", identifiedOn: "2025-01-31", "params.minMonthsBeforeClearing": 6, riskStatus: "已消除" });
    expect(sc01?.unit).toEqual({ county: "示例县", township: "甲乡", village: "二村" });
    const sc11 = findings.find((f) => f.code === "SC11");
    expect(sc11?.message).toBe("风险消除时间2024-01-01早于识别纳入时间2024-06-01");
    expect(sc11?.file).toMatch(/\.xlsx$/);
  });

  it("gives the same items, in the same order, through the CLI with 0, 1 and 2 workers", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kaohe-screen-"));
    const outputs: string[] = [];
    for (const workers of ["0", "1", "2"]) {
      const out = join(dir, `findings-${workers}.ndjson`);
      const run = await runScreen(["--rules", examplePath("rulebook.json"), ...FILES, "--out", out, "--workers", workers]);
      expect(run.code).toBe(0);
      outputs.push(readFileSync(out, "utf8"));
    }
    expect(outputs[1]).toBe(outputs[0]);
    expect(outputs[2]).toBe(outputs[0]);
    expect((outputs[0] ?? "").trim().split("\n").map((line) => JSON.parse(line) as ScreeningItem)).toEqual(items);
  }, 60_000);
});
