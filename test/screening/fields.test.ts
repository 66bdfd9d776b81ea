import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRuleEngine } from "../../src/rules/index";
import { SCREENING_OPERATIONS, prepareRulebook, safePrepareRulebook, screenRecords, type RulebookInput } from "../../src/screening/index";
import { convertCell, normalizeMonth } from "../../src/screening/values";

/** A small rulebook of persons with the fields under test. */
function book(fields: Record<string, unknown>, rules: Record<string, unknown>[], parameters: Record<string, unknown> = {}): RulebookInput {
  // Built loosely (as a rulebook read from JSON is): the screening functions validate it.
  return {
    id: "fields",
    title: "字段测试",
    version: "1",
    parameters,
    fields: {
      county: { column: "县", type: "text", of: "village" },
      township: { column: "乡", type: "text", of: "village" },
      village: { column: "村", type: "text", of: "village" },
      householdId: { column: "户编号", type: "text", of: "household" },
      ...fields,
    },
    keys: { household: "householdId" },
    unit: { county: "county", township: "township", village: "village" },
    rules,
  } as unknown as RulebookInput;
}
const place = { county: "县", township: "乡", village: "村" };

describe("the month type", () => {
  it("reads YYYYMM, YYYY-MM and YYYY年M月 as YYYY-MM, and refuses month 0 or 13", () => {
    expect(["202210", "2022-10", "2022-1", "2022年1月", "2022年10月", "2022/10"].map(normalizeMonth)).toEqual(["2022-10", "2022-10", "2022-01", "2022-01", "2022-10", "2022-10"]);
    expect(["202213", "202200", "2022-13", "2022年0月", "20221", "2022", "2022-10-01", "２０２２１０"].map(normalizeMonth)).toEqual(Array(8).fill(undefined));
  });

  it("is a data-quality finding when a cell is not a month, and the rules reading it are undecided", () => {
    const rulebook = book(
      { identified: { column: "识别监测时间", type: "month", of: "household", label: "识别监测时间" }, name: { column: "户主", type: "text", of: "household" } },
      [
        { code: "M1", title: "2023年以来识别", subject: "household", severity: "low", when: { ">=": [{ month_year: [{ var: "identified" }] }, 2023] }, message: "{identified}" },
        { code: "M2", title: "户主为空", subject: "household", severity: "low", when: { missing: ["name"] }, message: "户主为空" },
      ],
    );
    const rows = [
      { ...place, householdId: "H1", identified: "202301", name: "甲" },
      { ...place, householdId: "H2", identified: 202212, name: "乙" },
      { ...place, householdId: "H3", identified: "2023年13月" },
    ];
    const result = screenRecords(rows, rulebook);
    expect(result.quality.map((q) => [q.recordId, q.code, q.column, q.value])).toEqual([["H3", "invalid_value", "识别监测时间", "2023年13月"]]);
    expect(result.quality[0]?.zh).toBe('「识别监测时间」的值"2023年13月"不是年月（应写作 YYYYMM、YYYY-MM 或 YYYY年M月）');
    expect(result.findings.map((f) => [f.kind, f.code, f.recordId, f.message.slice(0, 6)])).toEqual([
      ["finding", "M1", "H1", "2023-0"],
      ["rule_failed", "M1", "H3", "规则无法判断"],
      ["finding", "M2", "H3", "户主为空"],
    ]);
  });
});

describe("the month operations", () => {
  const engine = createRuleEngine({ operations: SCREENING_OPERATIONS });

  it("count months from one month (or date) to another, and give a month's year and number", () => {
    expect(engine.evaluateRule({ months_between: ["2022-10", "2023-04"] }, {})).toBe(6);
    expect(engine.evaluateRule({ months_between: ["2023-04", "2022-10"] }, {})).toBe(-6);
    expect(engine.evaluateRule({ months_between: ["2024-12-31", "2025-01-01"] }, {})).toBe(1);
    expect(engine.evaluateRule({ month_year: ["2022-10"] }, {})).toBe(2022);
    expect(engine.evaluateRule({ month_number: ["2022-01-31"] }, {})).toBe(1);
  });

  it("agree with calendar arithmetic on every pair of months", () => {
    const month = fc.record({ y: fc.integer({ min: 1900, max: 2100 }), m: fc.integer({ min: 1, max: 12 }) });
    fc.assert(
      fc.property(month, month, (a, b) => {
        const text = (x: { y: number; m: number }) => `${x.y}-${String(x.m).padStart(2, "0")}`;
        expect(engine.evaluateRule({ months_between: [text(a), text(b)] }, {})).toBe((b.y - a.y) * 12 + b.m - a.m);
        expect(engine.evaluateRule({ month_number: [text(a)] }, {})).toBe(a.m);
        expect(engine.evaluateRule({ month_year: [text(a)] }, {})).toBe(a.y);
      }),
    );
  });

  it("refuse what is not a month with a coded error, never a silent false", () => {
    for (const value of [null, 202210, "202210", "2022-13", "", "x"]) {
      const result = engine.safeEvaluateRule({ month_year: [value] }, {});
      expect(result.success ? "passed" : result.error.issues[0]?.code, String(value)).toBe("not_a_month");
    }
    const arity = engine.safeEvaluateRule({ months_between: ["2022-10"] }, {});
    expect(arity.success ? "" : arity.error.issues[0]?.code).toBe("invalid_arguments");
  });
});

describe("trimming a cell", () => {
  it("gives what String.prototype.trim gives, for every white space and line terminator at either end", () => {
    // Every character trim removes, and characters on either side of the ranges that are told apart without it.
    const spaces = ["\t", "\n", "\v", "\f", "\r", " ", "\u00a0", "\u1680", "\u2000", "\u200a", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000", "\ufeff"];
    const others = ["a", "1", "~", "\u0000", "\u001f", "\u007f", "\u0085", "\u00a1", "\u167f", "\u1681", "\u180e", "\u200b", "\u2fff", "\u3001", "甲", "\ufefe", "\uff10", "\ud83d\ude00"];
    const piece = fc.constantFrom(...spaces, ...others);
    const field = { column: "x", type: "text", of: "household" } as const;
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 6 }).map((pieces) => pieces.join("")), (text) => {
        const trimmed = text.trim();
        expect(convertCell(text, field, "x")).toBe(trimmed === "" ? null : trimmed);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('a text field with "trim": false', () => {
  const rulebook = book(
    {
      monitorRaw: { column: "监测对象类别", type: "text", of: "household", trim: false },
      monitor: { column: "监测对象类别（去空白）", type: "text", of: "household" },
    },
    [
      { code: "T1", title: "len(x) != 0（原样）", subject: "household", severity: "low", when: { "!=": [{ var: "monitorRaw.length" }, 0] }, message: "x" },
      { code: "T2", title: "len(x.strip()) != 0", subject: "household", severity: "low", when: { "!=": [{ trim: [{ var: "monitorRaw" }] }, ""] }, message: "x" },
      { code: "T3", title: "默认去空白", subject: "household", severity: "low", when: { "!": { missing: ["monitor"] } }, message: "x" },
    ],
  );

  it("keeps a cell of blanks as text and an empty cell as \"\", so that a literal port of len(x) != 0 sees what pandas sees; the default trims", () => {
    const rows = [
      { ...place, householdId: "H1", monitorRaw: "   ", monitor: "   " },
      { ...place, householdId: "H2", monitorRaw: " 脱贫不稳定户", monitor: " 脱贫不稳定户" },
      { ...place, householdId: "H3", monitorRaw: "", monitor: "" },
      { ...place, householdId: "H4" },
    ];
    const result = screenRecords(rows, rulebook);
    expect(result.findings.map((f) => [f.code, f.recordId, f.values])).toEqual([
      ["T1", "H1", { "monitorRaw.length": 3 }],
      ["T1", "H2", { "monitorRaw.length": 7 }],
      ["T2", "H2", { monitorRaw: " 脱贫不稳定户" }],
      ["T3", "H2", { monitor: "脱贫不稳定户" }],
    ]);
  });

  it("is refused on a field that is not text", () => {
    const wrong = book({ n: { column: "n", type: "number", of: "household", trim: false }, m: { column: "m", type: "month", of: "household", allowed: ["2022-10"] } }, [
      { code: "T1", title: "t", subject: "household", severity: "low", when: false, message: "x" },
    ]);
    const result = safePrepareRulebook(wrong);
    expect(result.success ? [] : result.error.issues.map((i) => [i.code, i.path.join(".")])).toEqual([
      ["invalid_option", "fields.n.trim"],
      ["invalid_option", "fields.m.allowed"],
    ]);
  });
});

describe("a code table (allowed values)", () => {
  it("makes a value outside it a data-quality finding, and screens the rest of the record", () => {
    const rulebook = book(
      { kind: { column: "户类型", type: "text", of: "household", allowed: ["脱贫户", "一般农户", "监测户"] }, income: { column: "人均纯收入", type: "number", of: "household" } },
      [
        { code: "A1", title: "脱贫户", subject: "household", severity: "low", when: { "==": [{ var: "kind" }, "脱贫户"] }, message: "x" },
        { code: "A2", title: "收入低", subject: "household", severity: "low", when: { "<": [{ var: "income" }, 1000] }, message: "x" },
      ],
    );
    const result = screenRecords([{ ...place, householdId: "H1", kind: "脱贫 户", income: "900" }], rulebook);
    expect(result.quality.map((q) => [q.code, q.value, q.reason])).toEqual([["not_allowed", "脱贫 户", '户类型 "脱贫 户" is not in its code table (脱贫户/一般农户/监测户)']]);
    expect(result.findings.map((f) => [f.kind, f.code])).toEqual([["rule_failed", "A1"], ["finding", "A2"]]);
  });
});

describe("parameters for one run", () => {
  const rulebook = book(
    { income: { column: "人均纯收入", type: "number", of: "household" }, other: { column: "其他", type: "text", of: "household" } },
    [
      { code: "P1", title: "收入低于标准", subject: "household", severity: "high", when: { "<": [{ var: "income" }, { var: "params.incomeLine" }] }, message: "{income}<{params.incomeLine}" },
      { code: "P2", title: "其他为空", subject: "household", severity: "low", when: { missing: ["other"] }, message: "空" },
    ],
    { incomeLine: { title: "监测收入标准", value: 7600 }, strict: { title: "严格", value: false }, region: { title: "地区", value: "示例省" } },
  );

  it("reads text as the declared type, and refuses a value of another type or an unknown name, naming both", () => {
    expect(prepareRulebook(rulebook, { parameters: { incomeLine: "8000", strict: "是", region: "江西" } }).overrides).toEqual({ incomeLine: 8000, strict: true, region: "江西" });
    const result = safePrepareRulebook(rulebook, { parameters: { incomeLine: "约八千", strict: "maybe", incomeLin: 1, region: 3 } });
    expect(result.success ? [] : result.error.issues.map((i) => [i.code, i.path.join("."), i.message])).toEqual([
      ["invalid_parameter", "parameters.incomeLine", 'parameter "incomeLine" (监测收入标准) must be a finite number, like its default 7600 (got "约八千")'],
      ["invalid_parameter", "parameters.strict", 'parameter "strict" (严格) must be a boolean (true/false, 是/否), like its default false (got "maybe")'],
      ["unknown_parameter", "parameters.incomeLin", 'parameter "incomeLin" is not declared by the rulebook (it declares incomeLine, strict, region)'],
      ["invalid_parameter", "parameters.region", 'parameter "region" (地区) must be a text, like its default "示例省" (got 3)'],
    ]);
  });

  it("shows an overridden parameter in every finding's values, also of rules that do not read it", () => {
    const rows = [{ ...place, householdId: "H1", income: "7900" }];
    expect(screenRecords(rows, rulebook).findings.map((f) => [f.code, f.values])).toEqual([["P2", { other: null }]]);
    const run = screenRecords(rows, rulebook, { parameters: { incomeLine: 8000 } });
    expect(run.findings.map((f) => [f.code, f.message, f.values])).toEqual([
      ["P1", "7900<8000", { income: 7900, "params.incomeLine": 8000 }],
      ["P2", "空", { other: null, "params.incomeLine": 8000 }],
    ]);
  });
});
