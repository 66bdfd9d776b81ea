/* fast-check generators for the parity tests: rulebooks over a fixed set of fields, and rows. */
import fc from "fast-check";

export const FIELDS = {
  county: { column: "县", type: "text", of: "village", required: true },
  township: { column: "乡", type: "text", of: "village", required: true },
  village: { column: "村", type: "text", of: "village", required: true },
  hh: { column: "户编号", type: "text", of: "household", required: true },
  status: { column: "状态", type: "text", of: "household", required: true },
  kind: { column: "类别", type: "text", of: "household", allowed: ["甲", "乙"] },
  raw: { column: "原文", type: "text", of: "household", trim: false },
  mon: { column: "年月", type: "month", of: "household" },
  inc: { column: "收入", type: "number", of: "household" },
  size: { column: "人数", type: "number", of: "household" },
  safe: { column: "安全", type: "boolean", of: "household" },
  day1: { column: "日期1", type: "date", of: "household" },
  day2: { column: "日期2", type: "date", of: "household" },
  pid: { column: "人编号", type: "text", of: "person", required: true },
  age: { column: "年龄", type: "number", of: "person" },
  job: { column: "劳动", type: "text", of: "person" },
  ins: { column: "参保", type: "boolean", of: "person", required: true },
} as const;

type FieldName = keyof typeof FIELDS;
const names = Object.keys(FIELDS) as FieldName[];
const ofType = (type: string, person: boolean) =>
  names.filter((n) => FIELDS[n].type === type && (person ? true : FIELDS[n].of !== "person") && n !== "hh" && n !== "pid");

export const HEADER = names.map((n) => FIELDS[n].column);

export const PARAMETERS = {
  line: { title: "线", value: 100.5 },
  word: { title: "词", value: "甲" },
  on: { title: "开", value: true },
};

// "\uFFFD" stands where a reader met bytes invalid in the file's encoding (invalid_encoding), "\u001f" is the separator of DuckDB's row test.
const TEXTS = ["", "  ", "a", "A", "b", "ab", "甲", "乙", " 甲 ", "12", "12.50", "-3", "abc", 'a"b', "x\ny", "缺劳动力", "Ab", "\u00a0a", "b\\c", "甲\uFFFD", "\u001f a", "12\n", "2023-04\n"];
const decimal = fc.integer({ min: -20000, max: 20000 }).map((n) => (n / 100).toFixed(2));
const NUMBERS = ["", " ", "0", "-0", "\uFFFD", "12.5", "12.50", "100.5", "-7.25", "3", " 42 ", "abc", "1e3", "12.", ".5", "007", "100.50"];
const DATES = ["2024-01-31", "2024-1-5", "2024/02/29", "2023/02/29", "20240315", "2024年3月5日", "2024.12.01", "", "2024-13-01", "abc", "2025-06-30", "2024-06-01"];
const MONTHS = ["202210", "2022-10", "2022-1", "2022/10", "2022.3", "2022年10月", "2022年3月", " 202401 ", "", "202213", "2022-00", "2022-123", "abc", "2022年13月", "20221"];
const BOOLEANS = ["是", "否", "true", "FALSE", "1", "0", "Y", "no", "maybe", ""];

/** Mostly valid cells (so that records reach the rules), some blank or malformed (data-quality findings, rules reading them undecided). */
const cellOf = (type: string, allowed?: readonly string[]): fc.Arbitrary<string | null> => {
  const rare = (values: readonly (string | null)[]) => ({ weight: 1, arbitrary: fc.constantFrom<string | null>(...values) });
  switch (type) {
    case "number":
      return fc.oneof({ weight: 5, arbitrary: decimal }, rare([null, ...NUMBERS]));
    case "date":
      return fc.oneof({ weight: 4, arbitrary: fc.constantFrom<string | null>(null, ...DATES.slice(0, 3), ...DATES.slice(4, 7), ...DATES.slice(10)) }, rare(DATES));
    case "month":
      return fc.oneof({ weight: 4, arbitrary: fc.constantFrom<string | null>(null, ...MONTHS.slice(0, 8)) }, rare(MONTHS));
    case "boolean":
      return fc.oneof({ weight: 4, arbitrary: fc.constantFrom<string | null>(null, ...BOOLEANS.slice(0, 8)) }, rare(BOOLEANS));
    default:
      return allowed ? fc.oneof({ weight: 6, arbitrary: fc.constantFrom<string | null>(null, ...allowed) }, rare(TEXTS)) : fc.constantFrom<string | null>(null, ...TEXTS);
  }
};

/** Rows of persons: households of one to three members, their household cells repeated on each row. */
export const rowsArb = fc
  .array(
    fc.record({
      village: fc.constantFrom("一村", "二村"),
      cells: fc.record(Object.fromEntries(names.filter((n) => FIELDS[n].of === "household" && n !== "hh").map((n) => [n, cellOf(FIELDS[n].type, (FIELDS[n] as { allowed?: readonly string[] }).allowed)])) as Record<string, fc.Arbitrary<string | null>>),
      members: fc.array(fc.record(Object.fromEntries(names.filter((n) => FIELDS[n].of === "person" && n !== "pid").map((n) => [n, cellOf(FIELDS[n].type)])) as Record<string, fc.Arbitrary<string | null>>), { minLength: 1, maxLength: 3 }),
      blankKey: fc.integer({ min: 0, max: 15 }).map((n) => n === 0),
      // Now and then a later row of the household holds another cell in a household field (a usable or unusable one, or the same).
      varied: fc.oneof(
        { weight: 5, arbitrary: fc.constant(undefined) },
        fc.constantFrom(...names.filter((n) => FIELDS[n].of === "household" && n !== "hh")).chain((n) => cellOf(FIELDS[n].type, (FIELDS[n] as { allowed?: readonly string[] }).allowed).map((cell) => ({ field: n, cell }))),
      ),
    }),
    { minLength: 1, maxLength: 5 },
  )
  .map((households) => {
    const rows: { row: number; cells: (string | null)[] }[] = [];
    households.forEach((h, i) => {
      h.members.forEach((m, j) => {
        const value = (n: FieldName): string | null => {
          if (n === "county") return "示例县";
          if (n === "township") return "甲乡";
          if (n === "village") return h.village;
          if (n === "hh") return h.blankKey && j === 0 ? " " : `H${i + 1}`;
          if (n === "pid") return `H${i + 1}-${j + 1}`;
          if (h.varied !== undefined && j > 0 && h.varied.field === n) return h.varied.cell;
          return (FIELDS[n].of === "person" ? m[n] : h.cells[n]) ?? null;
        };
        rows.push({ row: rows.length + 2, cells: names.map(value) });
      });
    });
    return rows;
  });

type Rule = unknown;
const v = (name: string) => ({ var: name });

function leafNumber(person: boolean): fc.Arbitrary<Rule> {
  return fc.oneof(
    fc.constantFrom(...ofType("number", person)).map(v),
    fc.integer({ min: -5, max: 200 }),
    decimal.map(Number),
    fc.constant(v("params.line")),
    fc.constant({ substr: [v("day1"), 0, 4] }),
    fc.constantFrom(...ofType("text", person)).map(v),
    fc.constant(null),
  );
}

function leafText(person: boolean): fc.Arbitrary<Rule> {
  return fc.oneof(fc.constantFrom(...ofType("text", person), ...ofType("date", person), ...ofType("month", person)).map(v), fc.constantFrom(...TEXTS.filter((t) => t.trim() !== "")), fc.constant(v("params.word")));
}

function leafBoolean(person: boolean): fc.Arbitrary<Rule> {
  return fc.oneof(fc.constantFrom(...ofType("boolean", person)).map(v), fc.boolean(), fc.constant(v("params.on")));
}

/** Operands of the month operations: month and date fields, month and date texts (valid or not), and other values (not_a_month). */
function monthOperand(person: boolean): fc.Arbitrary<Rule> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...ofType("month", person), ...ofType("date", person)).map(v) },
    { weight: 2, arbitrary: fc.constantFrom("2022-10", "2023-04", "2024-02-29", "2023-13", "2023-00", "2023-4", "202304", "2023-04-1", "x", "2023-04\n", "") },
    fc.constantFrom(...ofType("text", person)).map(v),
    leafNumber(person),
    fc.constant(null),
    fc.constant({ cat: [{ var: "mon" }, "-01"] }),
  );
}

/** The month operations, with now and then a wrong number of operands. */
function monthExpr(person: boolean): fc.Arbitrary<Rule> {
  const m = monthOperand(person);
  return fc.oneof(
    { weight: 3, arbitrary: fc.tuple(m, m).map((args) => ({ months_between: args })) },
    fc.tuple(fc.constantFrom("month_year", "month_number"), m).map(([op, a]) => ({ [op]: [a] })),
    fc.tuple(fc.constantFrom("month_year", "months_between"), fc.array(m, { maxLength: 3 })).map(([op, args]) => ({ [op]: args })),
  );
}

function numberExpr(person: boolean, depth: number): fc.Arbitrary<Rule> {
  if (depth <= 0) return fc.oneof({ weight: 4, arbitrary: leafNumber(person) }, monthExpr(person));
  const sub = numberExpr(person, depth - 1);
  return fc.oneof(
    { weight: 3, arbitrary: leafNumber(person) },
    monthExpr(person),
    fc.tuple(fc.constantFrom("+", "-", "*", "%", "max", "min"), fc.array(sub, { minLength: 1, maxLength: 3 })).map(([op, args]) => {
      const list = op === "-" || op === "%" ? args.slice(0, 2) : args;
      if (op === "%" && list.length < 2) list.push(3);
      return { [op]: list };
    }),
  );
}

function textExpr(person: boolean, depth: number): fc.Arbitrary<Rule> {
  if (depth <= 0) return leafText(person);
  return fc.oneof(
    { weight: 3, arbitrary: leafText(person) },
    fc.array(fc.oneof(leafText(person), leafNumber(person)), { minLength: 1, maxLength: 3 }).map((args) => ({ cat: args })),
    fc.tuple(leafText(person), fc.integer({ min: -4, max: 4 }), fc.option(fc.integer({ min: -3, max: 5 }), { nil: undefined })).map(([t, a, b]) => ({ substr: b === undefined ? [t, a] : [t, a, b] })),
    // Positions computed by the rule: numbers, numeric text, blanks and text that is not a number.
    fc.tuple(leafText(person), leafNumber(person), fc.option(leafNumber(person), { nil: undefined })).map(([t, a, b]) => ({ substr: b === undefined ? [t, a] : [t, a, b] })),
    // trim of text, of null, of a number or boolean (not_text), and with a wrong number of operands.
    fc.oneof(leafText(person), leafNumber(person), leafBoolean(person)).map((a) => ({ trim: [a] })),
    fc.array(leafText(person), { maxLength: 2 }).filter((args) => args.length !== 1).map((args) => ({ trim: args })),
  );
}

/** A condition over a record (household fields, or all fields for a person), members quantified for households. */
export function conditionArb(person: boolean, depth: number, members: boolean): fc.Arbitrary<Rule> {
  const sub = depth > 0 ? conditionArb(person, depth - 1, members) : leafBoolean(person);
  const n = numberExpr(person, Math.min(depth, 1));
  const t = textExpr(person, Math.min(depth, 1));
  const ordered = fc.oneof(fc.tuple(n, n), fc.tuple(t, t), fc.tuple(n, t), fc.tuple(leafBoolean(person), n));
  const arms: fc.Arbitrary<Rule>[] = [
    fc.tuple(fc.constantFrom("<", "<=", ">", ">="), ordered).map(([op, [a, b]]) => ({ [op]: [a, b] })),
    fc.tuple(fc.constantFrom("<", "<="), n, n, n).map(([op, a, b, c]) => ({ [op]: [a, b, c] })),
    fc.tuple(fc.constantFrom("==", "!=", "===", "!=="), fc.oneof(fc.tuple(n, n), fc.tuple(t, t), fc.tuple(leafBoolean(person), leafBoolean(person)), fc.tuple(leafBoolean(person), n), fc.tuple(t, fc.constant(null))))
      .map(([op, [a, b]]) => ({ [op]: [a, b] })),
    fc.tuple(t, fc.array(fc.constantFrom<unknown>(...TEXTS, null, 12.5), { maxLength: 3 })).map(([a, list]) => ({ in: [a, list] })),
    fc.tuple(n, fc.array(fc.constantFrom<unknown>(12.5, 3, 0, "3", null), { maxLength: 3 })).map(([a, list]) => ({ in: [a, list] })),
    fc.tuple(fc.constantFrom("a", "甲", "", "b"), t).map(([a, b]) => ({ in: [a, b] })),
    fc.subarray(names.filter((x) => person || FIELDS[x].of !== "person"), { minLength: 1, maxLength: 3 }).map((keys) => ({ missing: keys })),
    fc.tuple(fc.integer({ min: 1, max: 3 }), fc.subarray(names.filter((x) => person || FIELDS[x].of !== "person"), { minLength: 1, maxLength: 3 })).map(([k, keys]) => ({ missing_some: [k, keys] })),
    sub.map((a) => ({ "!": a })),
    sub.map((a) => ({ "!!": [a] })),
    fc.tuple(fc.constantFrom("and", "or"), fc.array(fc.oneof({ weight: 4, arbitrary: sub }, n, t), { minLength: 1, maxLength: 3 })).map(([op, args]) => ({ [op]: args })),
    fc.tuple(sub, fc.oneof(sub, n), fc.oneof(sub, n)).map((args) => ({ if: args })),
    n,
  ];
  if (members && !person) {
    // The body reads the member object: household fields and parameters are absent there (null).
    const body = conditionArb(true, Math.max(depth - 1, 0), false);
    arms.push(fc.tuple(fc.constantFrom("some", "all", "none"), body).map(([op, b]) => ({ [op]: [v("members"), b] })));
    arms.push(fc.tuple(fc.constantFrom("==", "<", ">="), fc.integer({ min: 0, max: 3 })).map(([op, k]) => ({ [op]: [v("members.length"), k] })));
  }
  return fc.oneof({ depthSize: "small", maxDepth: 3 }, ...arms);
}

export const ruleArb = fc.record({
  subject: fc.constantFrom("household", "person"),
  depth: fc.integer({ min: 0, max: 2 }),
  seed: fc.integer(),
}).chain(({ subject, depth }) =>
  conditionArb(subject === "person", depth, true).map((when) => ({ subject, when })),
);

export const rulebookArb = fc.array(ruleArb, { minLength: 1, maxLength: 3 }).chain((rules) =>
  fc.tuple(...rules.map((rule) => fc.subarray(names.filter((x) => rule.subject === "person" || FIELDS[x].of !== "person"), { maxLength: 2 }))).map((shown) => ({
    id: "parity",
    title: "随机规则",
    version: "1",
    parameters: PARAMETERS,
    fields: FIELDS,
    keys: { household: "hh", person: "pid" },
    unit: { county: "county", township: "township", village: "village" },
    rules: rules.map((rule, i) => ({
      code: `R${i + 1}`,
      title: `规则${i + 1}`,
      subject: rule.subject,
      severity: "low",
      when: rule.when,
      message: `值${(shown[i] as string[]).map((f) => `{${f}}`).join("、")}`,
    })),
  })),
);
