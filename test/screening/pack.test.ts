/**
 * A worker sends a batch's items back packed (src/screening/node/pack.ts): after the copy between
 * threads, the rebuilt items must be exactly what a copy of the items gives, keys in the same order (the NDJSON output
 * is written from them), whatever their values; anything not exactly of a finding's shape goes as
 * it is.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ScreeningItem } from "../../src/screening/evaluate";
import { mapColumns } from "../../src/screening/columns";
import { batchEvaluator, type LinesTask } from "../../src/screening/node/lines";
import { packItems, unpackItems } from "../../src/screening/node/pack";
import { prepareRulebook } from "../../src/screening/prepare";
import { exampleRulebook } from "./helpers";

/** A description of a value exact enough to tell -0 from 0, NaN, key order and prototypes apart. */
function shape(value: unknown): unknown {
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : Number.isNaN(value) ? "NaN" : value;
  if (value === undefined) return "undefined";
  if (typeof value !== "object" || value === null) return value;
  // Holes, and properties besides the elements, told apart.
  if (Array.isArray(value)) return ["array", ...Object.keys(value).map((key) => [key, shape((value as unknown as Record<string, unknown>)[key])]), value.length];
  const proto = Object.getPrototypeOf(value);
  return ["object", proto === Object.prototype ? "plain" : proto === null ? "null-proto" : String(value.constructor?.name), ...Object.keys(value).map((key) => [key, shape((value as Record<string, unknown>)[key])])];
}

const roundTrip = (items: readonly ScreeningItem[]) => unpackItems(structuredClone(packItems(items)));

const cell = fc.oneof(
  fc.constantFrom(null, 0, -0, 1.5, 7600, Number.NaN, Infinity, true, false, "", " ", "已消除", "帮扶消除", "__proto__"),
  fc.string(),
  fc.double(),
);
/** A household's members as rules read them (an array of objects of one shape), and objects that only look like it. */
const members = fc.array(fc.record({ personId: fc.string(), age: cell, labour: cell, "0": cell }), { maxLength: 4 });
const objectValue = fc.oneof(
  members,
  fc.record({ age: fc.integer(), labour: fc.string() }),
  fc.dictionary(fc.string({ maxLength: 3 }), cell, { maxKeys: 3 }),
  // Elements of two shapes, an element that is not a plain object, a cell that is an object.
  fc.tuple(fc.record({ a: cell }), fc.record({ b: cell })).map(([x, y]) => [x, y]),
  fc.tuple(fc.record({ a: cell }), fc.oneof(cell, fc.array(cell, { maxLength: 2 }))).map(([x, y]) => [x, y]),
  fc.record({ a: fc.record({ b: cell }) }),
  fc.array(fc.record({ a: fc.array(cell, { maxLength: 2 }) }), { minLength: 1, maxLength: 2 }),
  // An array with a hole, or with a property besides its elements.
  members.map((rows) => {
    const holed = [...rows];
    holed.length += 1;
    return holed;
  }),
  members.map((rows) => Object.assign([...rows], { extra: 1 })),
  fc.constant(JSON.parse('[{"__proto__": 1, "a": 2}]')),
);
const value = fc.oneof({ weight: 3, arbitrary: cell }, { weight: 2, arbitrary: objectValue });
const keyName = fc.oneof(fc.constantFrom("riskStatus", "params.incomeLine", "members.length", "0", "10", "constructor", "toString"), fc.string({ minLength: 1, maxLength: 6 }));
const unit = fc.record({ county: fc.constantFrom("合成县", ""), township: fc.constantFrom("乡1", "乡2"), village: fc.constantFrom("村1", "村2") });

/** A finding as runRules builds it: its keys in that order, the optional ones present or not. */
const finding = fc
  .record({
    kind: fc.constantFrom("finding", "rule_failed"),
    code: fc.constantFrom("SC01", "SC02", "SC13"),
    title: fc.constantFrom("甲", "乙"),
    severity: fc.constantFrom("high", "medium", "low"),
    subject: fc.constantFrom("household", "person", "village"),
    recordId: fc.string(),
    householdId: fc.option(fc.string(), { nil: undefined }),
    message: fc.string(),
    cause: fc.option(fc.constantFrom("unusable_value", "incomplete_household", "rule_error"), { nil: undefined }),
    values: fc.array(fc.tuple(keyName, value), { maxLength: 5 }),
    file: fc.option(fc.constantFrom("a.csv", "/tmp/户.csv"), { nil: undefined }),
    row: fc.integer({ min: 1 }),
  })
  .map((f) => {
    const out: Record<string, unknown> = { kind: f.kind, code: f.code, title: f.title, severity: f.severity, subject: f.subject, recordId: f.recordId };
    if (f.householdId !== undefined) out.householdId = f.householdId;
    out.unit = undefined; // set below, shared by the findings of a record
    out.message = f.message;
    if (f.cause !== undefined) out.cause = f.cause;
    // Values as runRules writes them: by assignment, in the order of the rule's paths (a repeated name keeps its first place).
    const values: Record<string, unknown> = {};
    for (const [key, v] of f.values) if (key !== "__proto__") values[key] = v;
    out.values = values;
    if (f.file !== undefined) out.file = f.file;
    out.row = f.row;
    return out;
  });

/** Items that are not findings, or not exactly of a finding's shape. */
const other = fc.oneof(
  fc.record({ kind: fc.constant("rejected"), code: fc.constant("wrong_cell_count"), reason: fc.string(), row: fc.integer() }),
  fc.record({ kind: fc.constant("data_quality"), code: fc.constant("invalid_value"), field: fc.string(), value: value, row: fc.integer() }),
  // A finding with a key of its own, or one missing, or its keys in another order, or values that are not a plain object.
  finding.map((f) => ({ ...f, extra: 1 })),
  finding.map(({ message: _message, ...rest }) => rest),
  finding.map(({ kind, code, ...rest }) => ({ code, kind, ...rest })),
  finding.map((f) => ({ ...f, values: Object.assign(Object.create(null), f.values as object) })),
  finding.map((f) => ({ ...f, values: JSON.parse('{"__proto__": 1, "a": 2}') })),
  finding.map((f) => ({ ...f, cause: undefined })),
  finding.map((f) => ({ ...f, row: String(f.row) })),
  finding.map((f) => ({ ...f, values: { ...(f.values as object), gone: undefined } })),
);

describe("items packed by a worker", () => {
  it("are rebuilt exactly after a copy between threads: values, key order and shared unit paths", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.oneof({ weight: 4, arbitrary: finding }, { weight: 1, arbitrary: other }), fc.integer({ min: 0, max: 2 })), { maxLength: 40 }), fc.array(unit, { minLength: 3, maxLength: 3 }), (drawn, units) => {
        const items = drawn.map(([item, at]) => {
          const copy = { ...item } as Record<string, unknown>;
          if ("unit" in copy || copy.kind === "finding" || copy.kind === "rule_failed") copy.unit = units[at];
          return copy as unknown as ScreeningItem;
        });
        // Exactly what a copy of the items themselves gives (a copy makes every object plain).
        expect(roundTrip(items).map(shape)).toEqual(structuredClone(items).map(shape));
      }),
      { numRuns: 500 },
    );
  });

  it("keep an object that consecutive findings hold as one object, and objects apart apart, as a copy does", () => {
    const unit = { county: "合成县", township: "乡1", village: "村1" };
    const same = { ...unit };
    const household = [{ personId: "H1-1", age: 40 }, { personId: "H1-2", age: 12 }];
    const other = household.map((member) => ({ ...member }));
    const finding = (code: string, recordId: string, at: object, values: Record<string, unknown>) =>
      ({ kind: "finding", code, title: "甲", severity: "high", subject: "household", recordId, unit: at, message: "m", values, row: 2 }) as unknown as ScreeningItem;
    const items = [
      finding("SC03", "H1", unit, { members: household }),
      finding("SC05", "H1", unit, { riskStatus: "已消除", members: household }),
      finding("SC05", "H2", same, { riskStatus: "已消除", members: other }),
    ];
    const copy = structuredClone(items) as unknown as { unit: object; values: { members: unknown } }[];
    const rebuilt = roundTrip(items) as unknown as { unit: object; values: { members: unknown } }[];
    expect(rebuilt).toEqual(copy);
    const [a, b, c] = rebuilt as [(typeof rebuilt)[number], (typeof rebuilt)[number], (typeof rebuilt)[number]];
    expect(a.values.members).toBe(b.values.members);
    expect(a.unit).toBe(b.unit);
    expect(c.values.members).not.toBe(a.values.members);
    expect(c.unit).not.toBe(a.unit);
    // The members go as their cells, not as objects.
    const packed = packItems(items);
    expect(packed.data.filter((part) => typeof part === "object" && part !== null)).toEqual([]);
    expect(packed.objects.filter((part) => typeof part === "object" && part !== null)).toEqual([]);
  });

  it("are the items of a screened batch of lines, byte for byte as NDJSON", () => {
    const prepared = prepareRulebook(exampleRulebook());
    const evaluate = batchEvaluator(prepared);
    const header = ["县", "乡镇", "行政村", "户编号", "风险是否消除", "风险消除方式", "人均纯收入（元）", "帮扶措施", "家庭人口数", "人编号", "年龄", "在校生状况", "是否参加城乡居民基本医疗保险"];
    const lines: string[] = [];
    for (let n = 1; n <= 60; n++) {
      for (let i = 1; i <= 1 + (n % 3); i++) lines.push(["示例县", `乡${n % 4}`, `村${n % 5}`, `H${n}`, n % 2 ? "已消除" : "未消除", n % 2 ? "帮扶消除" : "", n % 7 === 0 ? "约七千" : String(5000 + n * 50), n % 3 ? "" : "产业帮扶", String(n % 4), `H${n}-${i}`, String((n * i) % 20), "非在校生", i === 1 ? "否" : "是"].join(","));
    }
    const mapped = mapColumns(prepared, header);
    if (!mapped.ok) throw new Error(mapped.reason);
    const task: LinesTask = { kind: "lines", level: "person", file: "户.csv", columns: { indexes: mapped.map.indexes }, delimiter: ",", width: header.length, parts: [lines.join("\n")], rows: [2] };
    const { items } = evaluate.lines(task);
    expect(items.filter((item) => item.kind === "finding").length).toBeGreaterThan(30);
    expect(items.some((item) => item.kind === "data_quality")).toBe(true);
    expect(items.some((item) => item.kind === "finding" && Array.isArray(item.values.members))).toBe(true);
    // Every finding went packed, none as it is, and their members and unit paths as cells.
    const packed = packItems(items);
    expect(packed.data.filter((part) => typeof part === "object" && part !== null && (part as ScreeningItem).kind === "finding")).toEqual([]);
    expect(packed.objects.filter((part) => typeof part === "object" && part !== null)).toEqual([]);
    expect(roundTrip(items).map((item) => JSON.stringify(item))).toEqual(items.map((item) => JSON.stringify(item)));
  });
});
