import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isKaoheError, prepareRulebook, safeApplyRectificationEvent, screenRecords } from "../../src/index";
import { ScreeningLoop, followUpProblems, maskId, problemIdOf, resolveDatedRulebook, type LoopFinding } from "../../src/loop/index";
import { maskIdsIn, maskItem, parseBaseline, parseExemptions } from "../../src/screening/loop/loop";
import { examplePath } from "./helpers";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const loopBook = (): any => JSON.parse(readFileSync(examplePath("loop/rulebook.json"), "utf8"));

/** The rows of a fixture CSV keyed by field name (the fixtures have no quoted commas except column 6). */
function rows(name: string): Record<string, string>[] {
  const fields = ["county", "township", "village", "householdId", "income", "note", "idNumber", "name", "insured"];
  const lines = readFileSync(examplePath(`loop/${name}`), "utf8").trim().split("\n").slice(1);
  return lines.map((line) => {
    const cells = line.match(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, "")).map((c) => (c.startsWith('"') ? c.slice(1, -1).replace(/""/g, '"') : c));
    return Object.fromEntries(fields.map((f, i) => [f, cells[i] ?? ""]));
  });
}

function screen(name: string, asOf: string) {
  const { rulebook, version } = resolveDatedRulebook(loopBook(), asOf);
  return { ...screenRecords(rows(name), prepareRulebook(rulebook as never)), version };
}

function issuesOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    if (isKaoheError(error)) return error.issues.map((i) => ({ code: i.code, path: i.path, message: i.message, zh: i.zh }));
    throw error;
  }
  throw new Error("did not throw");
}

describe("dated rulebooks (resolveDatedRulebook)", () => {
  it("picks each parameter's value and each rule's version in force on the date, and says which", () => {
    const mid2024 = screen("run1.csv", "2024-06-30");
    expect(mid2024.version.parameters).toEqual({ incomeLine: { from: "2024-01-01", value: 7000 } });
    expect(mid2024.version.rules).toEqual({ L03: { until: "2024-12-31" } });
    expect(mid2024.findings.map((f) => [f.code, f.recordId, f.message])).toEqual([
      ["L01", "H2", "人均纯收入6500元低于监测收入标准7000元"],
      ["L02", "360702200001010031", "王三（360702200001010031）未参加城乡居民基本医疗保险"],
      ["L03", "H4", '备注应为空（2024年口径）：=HYPERLINK("http://example.invalid","点击")'],
      ["L02", "360702200001010041", "赵五（360702200001010041）未参加城乡居民基本医疗保险"],
    ]);
    const mid2025 = screen("run1.csv", "2025-06-30");
    expect(mid2025.version.parameters.incomeLine).toEqual({ from: "2025-01-01", value: 7600 });
    expect(mid2025.version.rules).toEqual({ L03: { from: "2025-01-01" } });
    expect(mid2025.findings.filter((f) => f.code === "L01").map((f) => f.recordId)).toEqual(["H1", "H2"]);
    expect(mid2025.findings.find((f) => f.code === "L03")?.title).toBe("备注含公式或特殊字符");
    // Every finding says which version applied; so does the report.
    const loop = new ScreeningLoop({ asOf: "2025-06-30", version: mid2025.version });
    const marked = mid2025.findings.map((f) => loop.annotate(f));
    expect(marked.find((f) => f.code === "L01")?.applied).toEqual({ asOf: "2025-06-30", parameters: { incomeLine: "2025-01-01" } });
    expect(marked.find((f) => f.code === "L03")?.applied).toEqual({ asOf: "2025-06-30", parameters: { incomeLine: "2025-01-01" }, rule: { from: "2025-01-01" } });
    expect(loop.finish().version).toEqual(mid2025.version);
    // The last day of the first period still takes its value.
    expect(resolveDatedRulebook(loopBook(), "2024-12-31").version.parameters.incomeLine?.value).toBe(7000);
  });

  it("leaves a rulebook without dates as it is", () => {
    const plain = JSON.parse(readFileSync(examplePath("rulebook.json"), "utf8"));
    const { rulebook, version } = resolveDatedRulebook(plain, "2025-01-01");
    expect(rulebook).toEqual(plain);
    expect(version).toEqual({ asOf: "2025-01-01", parameters: {}, rules: {}, notInForce: [] });
  });

  it("lists a rule with no version in force and leaves it out", () => {
    const book = loopBook();
    book.rules[3].from = "2025-03-01";
    const { rulebook, version } = resolveDatedRulebook(book, "2025-02-01");
    expect(version.notInForce).toEqual(["L03"]);
    expect((rulebook as { rules: { code: string }[] }).rules.map((r) => r.code)).toEqual(["L01", "L02"]);
  });

  it("refuses overlapping and gapped periods of a parameter, naming it and the dates, whatever the date", () => {
    const overlap = loopBook();
    overlap.parameters.incomeLine.values = { "2024-01-01": { value: 7000, until: "2025-03-31" }, "2025-01-01": 7600 };
    expect(issuesOf(() => resolveDatedRulebook(overlap, "2023-01-01"))).toEqual([
      {
        code: "overlapping_periods",
        path: ["parameters", "incomeLine", "values"],
        message: 'parameter "incomeLine": the periods 2024-01-01–2025-03-31 and 2025-01-01– overlap',
        zh: "参数「incomeLine」：期间 2024-01-01–2025-03-31 与 2025-01-01– 重叠",
      },
    ]);
    const gap = loopBook();
    gap.parameters.incomeLine.values = { "2024-01-01": { value: 7000, until: "2024-06-30" }, "2025-01-01": 7600 };
    const [issue] = issuesOf(() => resolveDatedRulebook(gap, "2025-06-30"));
    expect(issue?.code).toBe("gapped_periods");
    expect(issue?.message).toBe('parameter "incomeLine": between the periods 2024-01-01–2024-06-30 and 2025-01-01– there is a gap from 2024-06-30 to 2025-01-01 without a value');
    expect(issue?.zh).toContain("参数「incomeLine」");
    // Back to back is neither.
    gap.parameters.incomeLine.values["2024-01-01"].until = "2024-12-31";
    expect(resolveDatedRulebook(gap, "2025-06-30").version.parameters.incomeLine?.value).toBe(7600);
  });

  it("refuses overlapping versions of one rule code, bad dates, value with values, and a date with no value", () => {
    const rules = loopBook();
    rules.rules[2].until = "2025-01-01";
    expect(issuesOf(() => resolveDatedRulebook(rules, "2025-06-30")).map((i) => [i.code, i.message])).toEqual([["overlapping_periods", "rule L03: the periods –2025-01-01 and 2025-01-01– overlap"]]);
    const bad = loopBook();
    bad.parameters.incomeLine.values = { "2024-02-30": 7000 };
    expect(issuesOf(() => resolveDatedRulebook(bad, "2025-06-30")).map((i) => i.code)).toEqual(["invalid_period"]);
    const both = loopBook();
    both.parameters.incomeLine.value = 7600;
    expect(issuesOf(() => resolveDatedRulebook(both, "2025-06-30")).map((i) => i.code)).toEqual(["invalid_period"]);
    expect(issuesOf(() => resolveDatedRulebook(loopBook(), "2023-12-31"))).toEqual([
      expect.objectContaining({ code: "no_value_in_force", message: 'parameter "incomeLine" has no value in force on 2023-12-31 (its periods: 2024-01-01–, 2025-01-01–)' }),
    ]);
    expect(issuesOf(() => resolveDatedRulebook(loopBook(), "2025-13-01")).map((i) => i.code)).toEqual(["invalid_date"]);
  });

  it("a dated rulebook given straight to prepareRulebook is refused, never run with a silent default", () => {
    expect(() => prepareRulebook(loopBook())).toThrow(/values/);
  });
});

const EXEMPTIONS = parseExemptions(
  readFileSync(examplePath("loop/exemptions.csv"), "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => {
      const [code, record, reason, approvedBy, from, until] = line.split(",");
      return { 规则编号: code, 记录编号: record, 豁免理由: reason, 批准人: approvedBy, 起始日期: from, 截止日期: until };
    }),
);

describe("exemptions and the baseline (ScreeningLoop)", () => {
  it("marks findings exempted by an exemption in force, keeps them, and lists expired and unmatched exemptions", () => {
    const { findings } = screen("run1.csv", "2025-06-30");
    const loop = new ScreeningLoop({ asOf: "2025-06-30", exemptions: EXEMPTIONS });
    const marked = findings.map((f) => loop.annotate(f));
    expect(marked).toHaveLength(findings.length);
    expect(marked.filter((f) => f.exemption).map((f) => [f.code, f.recordId, f.exemption?.reason, f.exemption?.approvedBy])).toEqual([["L01", "H2", "低保兜底户，收入经乡镇核实", "县乡村振兴局 王某"]]);
    const report = loop.finish();
    expect(report.exempted).toBe(1);
    expect(report.compared).toBe(false);
    expect(report.unusedExemptions.map((u) => [u.exemption.code, u.exemption.record, u.why, u.matched])).toEqual([
      ["L02", "360702200001010041", "expired", 1],
      ["L01", "H9", "unmatched", 0],
    ]);
    expect(issuesOf(() => new ScreeningLoop({ asOf: "2025-6-30" })).map((i) => [i.code, i.zh])).toEqual([["invalid_date", '筛查日期应为 YYYY-MM-DD 格式的日期（收到 "2025-6-30"）']]);
    // Before its start, an exemption is not in force either.
    const early = new ScreeningLoop({ asOf: "2024-12-31", exemptions: EXEMPTIONS });
    findings.forEach((f) => early.annotate(f));
    expect(early.finish().unusedExemptions.map((u) => u.why)).toEqual(["not_yet", "not_yet", "not_yet"]);
  });

  it("tells new, persisting and resolved findings of a second run after fixes, by rule code and record key, per rule, township and village", () => {
    const first = screen("run1.csv", "2025-06-30").findings;
    const baseline = parseBaseline(first.map((f) => ({ ...f })));
    // The second run's rows in another order: matching never uses row numbers.
    const { rulebook } = resolveDatedRulebook(loopBook(), "2025-09-30");
    const second = screenRecords(rows("run2.csv").reverse(), prepareRulebook(rulebook as never)).findings;
    const loop = new ScreeningLoop({ asOf: "2025-09-30", baseline });
    const marked = second.map((f) => loop.annotate(f));
    expect(marked.map((f) => [f.code, f.recordId, f.status]).sort()).toEqual([
      ["L01", "H2", "persisting"],
      ["L02", "360702200001010041", "persisting"],
      ["L02", "360702200001010051", "new"],
      ["L03", "H4", "persisting"],
    ]);
    const report = loop.finish();
    expect([report.new, report.persisting, report.resolved]).toEqual([1, 3, 2]);
    expect(report.resolvedFindings.map((f) => [f.code, f.recordId])).toEqual([
      ["L01", "H1"],
      ["L02", "360702200001010031"],
    ]);
    expect(report.byRule.map((r) => [r.code, r.new, r.persisting, r.resolved])).toEqual([
      ["L01", 0, 1, 1],
      ["L02", 1, 1, 1],
      ["L03", 0, 1, 0],
    ]);
    expect(report.byTownship.map((t) => [t.township, t.new, t.persisting, t.resolved])).toEqual([
      ["乙乡", 1, 2, 0],
      ["甲乡", 0, 1, 2],
    ]);
    expect(report.byVillage.map((v) => [v.village, v.new, v.persisting, v.resolved])).toEqual([
      ["三村", 1, 2, 0],
      ["一村", 0, 1, 1],
      ["二村", 0, 0, 1],
    ]);
  });

  it("reads exemption lists in Chinese or English columns, and names each bad row and column in both languages", () => {
    expect(parseExemptions([{ code: "L01", record: "H1", reason: "r", approvedBy: "a", from: new Date(Date.UTC(2025, 0, 2)), until: "2025年3月5日" }])).toEqual([
      { code: "L01", record: "H1", reason: "r", approvedBy: "a", from: "2025-01-02", until: "2025-03-05" },
    ]);
    expect(issuesOf(() => parseExemptions([{ 规则编号: "L01", 记录编号: "H1", 豁免理由: "", 批准人: "王", 起始日期: "明年", 截止日期: "2024-01-01" }], "豁免.csv"))).toEqual([
      { code: "missing_value", path: ["豁免.csv", 1, "reason"], message: "豁免.csv, entry 1: reason (豁免理由) is empty", zh: "豁免.csv 第 1 条：「豁免理由」为空" },
      { code: "invalid_date", path: ["豁免.csv", 1, "from"], message: '豁免.csv, entry 1: from (起始日期) must be a date YYYY-MM-DD (got "明年")', zh: '豁免.csv 第 1 条：「起始日期」应为 YYYY-MM-DD 格式的日期（收到 "明年"）' },
    ]);
    expect(issuesOf(() => parseExemptions([{ code: "L01", record: "H1", reason: "r", approvedBy: "a", from: "2025-02-01", until: "2025-01-01" }])).map((i) => i.code)).toEqual(["invalid_period"]);
  });

  it("reads a baseline from NDJSON objects or CSV rows (Chinese or raw headers, neutralised cells), and refuses rows that are not findings", () => {
    const csvRow = { 类型: "问题线索", 规则编号: "L01", 记录编号: "'=H1", 户编号: "", 县: "示例县", 乡镇: "甲乡", 村: "一村", 说明: "m" };
    expect(parseBaseline([csvRow, { ...csvRow, 类型: "规则未判定" }])).toEqual([{ code: "L01", recordId: "=H1", message: "m", unit: { county: "示例县", township: "甲乡", village: "一村" } }]);
    expect(issuesOf(() => parseBaseline([{ id: "monitoring", rules: [] }], "rulebook.json"))).toEqual([
      expect.objectContaining({ code: "baseline_format", message: "rulebook.json is not a findings file written by kaohe screen: row 1 has no kind, code or recordId (类型, 规则编号, 记录编号)" }),
    ]);
  });
});

describe("masking identity numbers", () => {
  it("keeps the first 6 and last 4 characters, idempotently, in texts too", () => {
    expect(maskId("36070219800101123X")).toBe("360702********123X");
    expect(maskId(maskId("36070219800101123X"))).toBe("360702********123X");
    expect(maskId("12345")).toBe("*****");
    expect(maskIdsIn("王三（360702200001010031）与 360702800101123，户 H3")).toBe("王三（360702********0031）与 360702*****1123，户 H3");
  });

  it("masks a finding's key, values, message and exemption, and nothing else", () => {
    const { findings } = screen("run1.csv", "2025-06-30");
    const person = new ScreeningLoop({ asOf: "2025-06-30", exemptions: [{ code: "L02", record: "360702200001010031", reason: "r", approvedBy: "a", from: "2025-01-01" }] }).annotate(findings.find((f) => f.code === "L02")!);
    const masked = maskItem(person, new Set(["idNumber"]), new Set(["person"]));
    expect([masked.recordId, masked.householdId, masked.values.idNumber, masked.message, masked.exemption?.record]).toEqual(["360702********0031", "H3", "360702********0031", "王三（360702********0031）未参加城乡居民基本医疗保险", "360702********0031"]);
    expect(JSON.stringify(masked)).not.toContain("360702200001010031");
    const household = findings[0]!;
    expect(maskItem(household, new Set(["idNumber"]), new Set(["person"]))).toEqual(household);
  });
});

describe("rectification problems from findings (followUpProblems)", () => {
  const unit = { county: "示例县", township: "甲乡", village: "一村" };
  const finding = (code: string, recordId: string, extra: Partial<LoopFinding> = {}): LoopFinding => ({ kind: "finding", code, title: "t", severity: "high", subject: "household", recordId, unit, message: "m", values: {}, row: 2, ...extra });

  it("makes a problem of each finding not exempted, closes it when resolved, and sends back a 已整改 one that persists", () => {
    const exemption = { code: "L02", record: "H2", reason: "r", approvedBy: "a", from: "2025-01-01" };
    const first = followUpProblems([], [finding("L01", "H1"), finding("L02", "H2", { exemption }), finding("L01", "H1")], [], { on: "2025-06-30", targetOn: "2025-07-31", name: "6月过筛" });
    expect(first.map((p) => [p.id, p.state, p.unit, p.origin.name, p.foundOn, p.targetOn])).toEqual([["L01.H1", "待整改", "示例县.甲乡.一村", "6月过筛", "2025-06-30", "2025-07-31"]]);
    expect(problemIdOf({ code: "L02", recordId: "360702********0031", householdId: "H3" })).toBe("L02.H3.360702________0031");
    // The office marks the rectification done; the next run still finds it: sent back (回炉).
    const started = safeApplyRectificationEvent(first[0]!, { type: "start", on: "2025-07-01" });
    const done = started.success ? safeApplyRectificationEvent(started.data, { type: "complete", on: "2025-07-10" }) : started;
    if (!done.success) throw new Error("workflow");
    const again = followUpProblems([done.data], [finding("L01", "H1")], [], { on: "2025-09-30", targetOn: "2025-10-31" });
    expect(again.map((p) => [p.state, p.history.at(-1)?.type])).toEqual([["整改中", "send-back"]]);
    // Resolved at last: completed and closed (销号), with the history kept.
    const closed = followUpProblems(again, [], [{ code: "L01", recordId: "H1" }], { on: "2025-12-31", targetOn: "2026-01-31" });
    expect(closed[0]?.state).toBe("已销号");
    expect(closed[0]?.history.map((e) => [e.type, e.on])).toEqual([
      ["start", "2025-07-01"],
      ["complete", "2025-07-10"],
      ["send-back", "2025-09-30"],
      ["complete", "2025-12-31"],
      ["close", "2025-12-31"],
    ]);
    // A closed problem stays closed.
    expect(followUpProblems(closed, [], [{ code: "L01", recordId: "H1" }], { on: "2026-01-31", targetOn: "2026-02-28" })).toEqual(closed);
  });
});
