import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { screenRecords, screenRecordStream, summarizeFindings, type ScreeningItem } from "../../src/screening/index";
import { examplePerson, exampleRulebook } from "./helpers";

const book = exampleRulebook();
const person = examplePerson;

describe("screenRecords", () => {
  it("groups rows of persons into households and screens both", () => {
    const rows = [person("H1", 1, { householdSize: "2", insured: "否" }), person("H1", 2, { householdSize: "2" }), person("H2", 1)];
    const result = screenRecords(rows, book);
    expect(result.counts).toMatchObject({ level: "person", rowsRead: 3, rowsScreened: 3, rowsRejected: 0, findings: 1 });
    expect(result.findings.map((f) => [f.code, f.recordId, f.householdId, f.row])).toEqual([["SC13", "H1-1", "H1", 1]]);
  });

  it("applies parameter overrides: the income line is never hard-coded in a rule", () => {
    const rows = [person("H1", 1, { riskStatus: "已消除", clearedBy: "帮扶消除", identifiedOn: "2024-01-01", clearedOn: "2024-12-01", perCapitaIncome: "7800" })];
    expect(screenRecords(rows, book).findings.map((f) => f.code)).toEqual([]);
    expect(screenRecords(rows, book, { parameters: { incomeLine: 8000 } }).findings.map((f) => f.message)).toEqual([
      "以帮扶消除风险，但人均纯收入7800元低于监测收入标准8000元",
    ]);
  });

  it("keeps a household with a bad cell: a data-quality finding, the rules reading it undecided, the others decided", () => {
    const rows = [person("H1", 1, { householdSize: "2", insured: "否" }), person("H1", 2, { householdSize: "2", age: "abc" }), person("H2", 1, { insured: "否" })];
    const result = screenRecords(rows, book);
    expect(result.rejected).toEqual([]);
    expect(result.quality.map((q) => [q.row, q.code, q.field, q.value, q.recordId, q.householdId])).toEqual([[2, "invalid_value", "age", "abc", "H1-2", "H1"]]);
    expect(result.quality[0]?.zh).toBe('「年龄」的值"abc"不是数字');
    expect(result.findings.map((f) => [f.kind, f.code, f.recordId])).toEqual([
      ["rule_failed", "SC03", "H1"],
      ["finding", "SC13", "H1-1"],
      ["rule_failed", "SC12", "H1-2"],
      ["rule_failed", "SC14", "H1-2"],
      ["finding", "SC13", "H2-1"],
    ]);
    expect(result.findings.filter((f) => f.kind === "rule_failed").every((f) => f.cause === "unusable_value")).toBe(true);
    expect(result.counts).toMatchObject({ rowsRead: 3, rowsScreened: 3, rowsRejected: 0, findings: 2, ruleFailures: 3, dataQuality: 1 });
  });

  it("reports household fields that differ between its rows (a blank cell too) as inconsistencies of the household, and still screens it", () => {
    const rows = [
      person("H1", 1, { householdSize: "3", insured: "否" }),
      person("H1", 2, { householdSize: "3", perCapitaIncome: "100" }),
      person("H1", 3, { householdSize: "3", perCapitaIncome: "   " }),
      person("H2", 1),
      person("H1", 4),
    ];
    const result = screenRecords(rows, book);
    expect(result.quality.map((q) => [q.code, q.row, q.field, q.value, q.recordId])).toEqual([
      ["inconsistent_household", 2, "perCapitaIncome", "100", "H1"],
      ["inconsistent_household", 3, "perCapitaIncome", "   ", "H1"],
    ]);
    expect(result.quality[0]?.reason).toBe('人均纯收入 "100" on row 2 differs from 9000 on row 1 of the same household H1');
    expect(result.quality[1]?.reason).toBe('人均纯收入 blank "   " on row 3 differs from 9000 on row 1 of the same household H1');
    expect(result.quality[1]?.zh).toBe('同一户（H1）第 3 行「人均纯收入」为空白"   "，与第 1 行的9000不一致');
    // SC13 (insurance) is still found; SC02 and SC10, which read the income, are undecided.
    expect(result.findings.map((f) => [f.kind, f.code, f.recordId])).toEqual([
      ["rule_failed", "SC02", "H1"],
      ["rule_failed", "SC10", "H1"],
      ["finding", "SC13", "H1-1"],
    ]);
    expect(result.rejected.map((r) => [r.row, r.code])).toEqual([[5, "household_not_contiguous"]]);
  });

  it("reports an unusable household cell on every row that holds it, and reads a household whose key is written with blanks on a later row", () => {
    const rows = [
      person("H1", 1, { householdSize: "2", perCapitaIncome: "约七千" }),
      person("H1", 2, { householdSize: "2", perCapitaIncome: "约七千" }),
      person(" H1 ", 3, { householdSize: "2", personId: "H1-3", perCapitaIncome: "约七千", measures: "就业帮扶" }),
      person("H2", 1, { householdSize: "2" }),
      person("H2", 2, { householdSize: "2", perCapitaIncome: " 9000 " }),
    ];
    const result = screenRecords(rows, book);
    expect(result.quality.map((q) => [q.code, q.row, q.field, q.value, q.recordId])).toEqual([
      ["invalid_value", 1, "perCapitaIncome", "约七千", "H1"],
      ["invalid_value", 2, "perCapitaIncome", "约七千", "H1"],
      ["invalid_value", 3, "perCapitaIncome", "约七千", "H1"],
      ["inconsistent_household", 3, "measures", "就业帮扶", "H1"],
    ]);
    expect(result.rejected).toEqual([]);
    expect(result.counts).toMatchObject({ rowsRead: 5, rowsScreened: 5, rowsRejected: 0 });
  });

  it("rejects only a row that cannot be placed (no person key, a person twice), and leaves the household's member rules undecided", () => {
    const rows = [person("H1", 1, { householdSize: "2" }), person("H1", 1, { householdSize: "2" }), person("H1", 2, { householdSize: "2", personId: " " })];
    const result = screenRecords(rows, book);
    expect(result.rejected.map((r) => [r.row, r.code])).toEqual([[2, "duplicate_record"], [3, "missing_key"]]);
    const sc08 = result.findings.find((f) => f.code === "SC08");
    expect([sc08?.kind, sc08?.cause]).toEqual(["rule_failed", "incomplete_household"]);
    expect(result.counts).toMatchObject({ rowsRead: 3, rowsScreened: 1, rowsRejected: 2 });
  });

  it("reports a rule that cannot be decided as rule_failed, and goes on", () => {
    const custom = structuredClone(book);
    custom.rules = [{ code: "X1", title: "收入低", subject: "household", severity: "low", when: { "<": [{ var: "perCapitaIncome" }, 1] }, message: "m" }];
    const result = screenRecords([person("H1", 1, { perCapitaIncome: "" }), person("H2", 1, { perCapitaIncome: "0" })], custom);
    expect(result.findings.map((f) => [f.kind, f.recordId])).toEqual([["rule_failed", "H1"], ["finding", "H2"]]);
    expect(result.findings[0]?.message).toMatch(/^规则无法判断/);
  });

  it("screens rows of households alone, and skips the rules that need persons, saying so", () => {
    const { personId: _p, age: _a, labourAbility: _l, employed: _e, insured: _i, ...household } = person("H1", 1, { housingSafe: "否", riskStatus: "已消除" });
    const result = screenRecords([household], book);
    expect(result.counts.level).toBe("household");
    expect(result.findings.map((f) => f.code)).toEqual(["SC04"]);
    expect(result.counts.skipped.map((s) => s.code)).toEqual(["SC03", "SC05", "SC06", "SC07", "SC08", "SC12", "SC13", "SC14"]);
  });
});

describe("screenRecordStream", () => {
  it("yields what screenRecords returns, in the same order, and returns the counts", async () => {
    const rows = Array.from({ length: 1500 }, (_, i) => person(`H${Math.floor(i / 3)}`, i % 3, { insured: i % 7 === 0 ? "否" : "是", age: i % 11 === 0 ? "x" : "30" }));
    async function* source() {
      yield* rows;
    }
    const items: ScreeningItem[] = [];
    const stream = screenRecordStream(source(), book);
    let next = await stream.next();
    while (!next.done) {
      items.push(next.value);
      next = await stream.next();
    }
    const whole = screenRecords(rows, book);
    expect(items.filter((i) => i.kind === "finding" || i.kind === "rule_failed")).toEqual(whole.findings);
    expect(items.filter((i) => i.kind === "data_quality")).toEqual(whole.quality);
    expect(whole.quality.length).toBeGreaterThan(100);
    expect(items.filter((i) => i.kind === "rejected")).toEqual(whole.rejected);
    expect(next.value).toEqual(whole.counts);
  });
});

describe("properties", () => {
  const row = fc.record({
    household: fc.constantFrom("H1", "H2", "H3", "H4"),
    age: fc.oneof(fc.integer({ min: 0, max: 90 }).map(String), fc.constantFrom("", "x")),
    insured: fc.constantFrom("是", "否", ""),
    labour: fc.constantFrom("普通劳动力", "无劳动力", "bad"),
  });

  it("counts every row read as screened or rejected, and is deterministic", () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), (specs) => {
        const rows = specs.map((s, i) => person(s.household, i, { age: s.age, insured: s.insured, labourAbility: s.labour }));
        const a = screenRecords(rows, book);
        expect(a.counts.rowsRead).toBe(rows.length);
        expect(a.counts.rowsScreened + a.counts.rowsRejected).toBe(rows.length);
        expect(screenRecords(rows, book)).toEqual(a);
      }),
    );
  });

  it("summarizes findings the same whatever their order", () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), fc.integer(), (specs, seed) => {
        const rows = specs.map((s, i) => person(s.household, i, { age: s.age, insured: s.insured, labourAbility: s.labour, township: `乡${i % 3}` }));
        const { findings } = screenRecords(rows, book);
        const shuffled = [...findings].sort((a, b) => ((a.row * 31 + seed) % 7) - ((b.row * 31 + seed) % 7));
        expect(summarizeFindings(shuffled)).toEqual(summarizeFindings(findings));
        expect(summarizeFindings(findings).findings + summarizeFindings(findings).ruleFailures).toBe(findings.length);
      }),
    );
  });
});
