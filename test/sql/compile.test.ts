import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { KaoheError } from "../../src/internal/errors";
import { mapColumns } from "../../src/screening/columns";
import { planRules } from "../../src/screening/evaluate";
import { prepareRulebook } from "../../src/screening/prepare";
import { compileRulebookSql, safeCompileRulebookSql, SQL_DIALECTS } from "../../src/sql/index";
import { useEngines, screenOnEngine } from "./engines";
import { fromSql, screenJs } from "./parity";

const example = JSON.parse(readFileSync("examples/screening/rulebook.json", "utf8"));

function small(when: unknown, fields: Record<string, unknown> = {}) {
  return {
    id: "t",
    title: "测试",
    version: "1",
    fields: {
      v: { column: "村", type: "text", of: "village" },
      id: { column: "户编号", type: "text", of: "household", required: true },
      n: { column: "收入", type: "number", of: "household" },
      s: { column: "状态", type: "text", of: "household" },
      ...fields,
    },
    keys: { household: "id" },
    unit: { county: "v", township: "v", village: "v" },
    rules: [{ code: "R1", title: "规则", subject: "household", severity: "low", when, message: "m" }],
  };
}

function issues(rulebook: unknown, dialect: "duckdb" | "postgres" | "mysql" = "duckdb") {
  const result = safeCompileRulebookSql(rulebook, { dialect, table: "t" });
  return result.success ? [] : result.error.issues.map((i) => ({ code: i.code, path: i.path.join("."), message: i.message }));
}

describe("compileRulebookSql refuses what it cannot translate exactly", () => {
  it.each([
    ["/", { "<": [{ "/": [{ var: "n" }, 3] }, 1] }, /operator "\/" cannot be translated.*nearest double/],
    ["map", { "!!": [{ map: [[1, 2], { var: "" }] }] }, /operator "map" cannot be translated/],
    ["text == number", { "==": [{ var: "s" }, 1] }, /operator "==" cannot be translated.*compares a text with a number/],
    ["substr of an array", { "==": [{ substr: [[1, 2], 0] }, "1"] }, /operator "substr" cannot be translated.*an array/],
    ["log", { "!!": [{ log: { var: "s" } }] }, /operator "log" cannot be translated.*debugging/],
    ["an array of rules", { in: [{ var: "s" }, [{ var: "s" }]] }, /operator "array" cannot be translated/],
  ])("%s is a compile error naming the rule and the operator", (_name, when, pattern) => {
    const found = issues(small(when));
    expect(found).toHaveLength(1);
    expect(found[0]?.code).toBe("untranslatable_rule");
    expect(found[0]?.message).toMatch(/^rule R1 \(规则\): /);
    expect(found[0]?.message).toMatch(pattern);
    expect(found[0]?.path.startsWith("rules.0.when")).toBe(true);
  });

  it("refuses members read other than through some/all/none and members.length", () => {
    const rulebook = structuredClone(example);
    rulebook.rules[7].when = { "==": [{ var: "householdSize" }, { var: "members.0.age" }] };
    const found = issues(rulebook);
    expect(found.map((i) => [i.code, i.path])).toEqual([["untranslatable_rule", "rules.7.when.==.1.var"]]);
    expect(found[0]?.message).toMatch(/^rule SC08 .*operator "var" .*"members.0.age"/);
  });

  it("never writes a condition that matches every row", () => {
    for (const dialect of SQL_DIALECTS) {
      const { sql } = compileRulebookSql(example, { dialect, table: "t" });
      expect(sql).not.toMatch(/WHERE \(1 = 1\)/);
    }
  });

  it("refuses an unknown dialect", () => {
    expect(() => compileRulebookSql(example, { dialect: "oracle" as never, table: "t" })).toThrow(KaoheError);
  });

  it("skips (and lists) the rules reading a column the header lacks, as the JavaScript screener plans them", () => {
    const header = ["县", "乡镇", "行政村", "户编号", "监测对象类别", "风险类型", "识别纳入时间", "风险是否消除", "风险消除时间", "风险消除方式", "住房是否安全", "是否易地扶贫搬迁", "帮扶措施", "家庭人口数"];
    const compiled = compileRulebookSql(example, { dialect: "duckdb", table: "t", header });
    const prepared = prepareRulebook(example);
    const mapped = mapColumns(prepared, header);
    if (!mapped.ok) throw new Error(mapped.reason);
    const plan = planRules(prepared, mapped.map.level, mapped.map.missing);
    expect(compiled.skipped).toEqual(plan.skipped);
    expect(compiled.skipped.some((s) => s.why === "columns" && s.missingColumns?.includes("人均纯收入（元）"))).toBe(true);
    expect(compiled.rules).toEqual([...plan.village, ...plan.household, ...plan.person].map((r) => r.rule.code).sort((a, b) => example.rules.findIndex((r: { code: string }) => r.code === a) - example.rules.findIndex((r: { code: string }) => r.code === b)));
    expect(compiled.sql.includes("人均纯收入（元）")).toBe(false);
  });

  it("names a key or unit field whose column the header lacks", () => {
    const result = safeCompileRulebookSql(example, { dialect: "duckdb", table: "t", header: ["户编号", "人编号", "县"] });
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.issues.some((i) => i.code === "missing_column" && i.path.join(".") === "fields.township.column")).toBe(true);
  });
});

describe("compileRulebookSql binds every value and quotes every identifier", () => {
  it("binds the rulebook's texts and numbers as parameters, never as literals", () => {
    for (const dialect of SQL_DIALECTS) {
      const { sql, params } = compileRulebookSql(example, { dialect, table: "persons" });
      for (const value of ["已消除", "帮扶消除", "7600", "非在校生", "识别纳入不满6个月即消除风险"]) {
        expect(params).toContain(value);
        expect(sql).not.toContain(value);
      }
      expect(sql.split(dialect === "mysql" ? "?" : /\$\d+/).length - 1).toBeGreaterThanOrEqual(dialect === "mysql" ? params.length : 1);
    }
  });

  it("quotes a hostile table and column names, or refuses them", () => {
    const hostile = small({ "==": [{ var: "s" }, "x"] });
    hostile.fields.s = { column: 'a"; DROP TABLE t; --', type: "text", of: "household" } as never;
    hostile.fields.n = { column: "b`) /*", type: "number", of: "household" } as never;
    const pg = compileRulebookSql(hostile, { dialect: "postgres", table: ["public", 'x"y'] });
    expect(pg.sql).toContain('"a""; DROP TABLE t; --"');
    expect(pg.sql).toContain('FROM "public"."x""y"');
    const my = compileRulebookSql(hostile, { dialect: "mysql", table: "t`x" });
    expect(my.sql).toContain("`b``) /*`");
    expect(my.sql).toContain("FROM `t``x`");
    const spaced = small(true);
    spaced.fields.s = { column: "s ", type: "text", of: "household" } as never;
    const trailing = safeCompileRulebookSql(spaced, { dialect: "mysql", table: "t" });
    expect(trailing.success ? [] : trailing.error.issues.map((i) => i.message)).toEqual(['"s " ends with a space, which MySQL identifiers cannot']);
    const nul = safeCompileRulebookSql(small(true), { dialect: "postgres", table: "a\u0000b" });
    expect(nul.success ? [] : nul.error.issues.map((i) => i.code)).toEqual(["invalid_identifier"]);
  });

  it("cuts a PostgreSQL name to 63 bytes at a character boundary, as the server does, and refuses two names that cut alike", () => {
    const long = "风险消除后是否义务教育阶段适龄儿童少年失学辍学"; // 22 characters, 66 bytes
    const rulebook = small({ "==": [{ var: "s" }, "x"] });
    rulebook.fields.s = { column: long, type: "text", of: "household" } as never;
    const pg = compileRulebookSql(rulebook, { dialect: "postgres", table: "t" });
    expect(pg.sql).toContain(`"${long.slice(0, 21)}"`);
    expect(pg.sql).not.toContain(long);
    rulebook.fields.n = { column: `${long}甲`, type: "number", of: "household" } as never;
    const clash = safeCompileRulebookSql(rulebook, { dialect: "postgres", table: "t" });
    expect(clash.success ? [] : clash.error.issues.map((i) => i.code)).toEqual(["invalid_identifier"]);
    expect(safeCompileRulebookSql(rulebook, { dialect: "duckdb", table: "t" }).success).toBe(true);
  });
});

describe("compileRulebookSql translates the screening operations", () => {
  it.each([
    ["months_between", { ">=": [{ months_between: ["2023-04", { var: "s" }] }, 0] }],
    ["month_year", { "==": [{ month_year: { var: "s" } }, 2023] }],
    ["month_number", { "==": [{ month_number: [{ var: "s" }] }, 4] }],
    ["trim", { "==": [{ trim: [{ var: "s" }] }, ""] }],
    ["a wrong number of operands", { "==": [{ month_year: ["2023-04", "2023-05"] }, 0] }],
    ["computed substr positions", { "==": [{ substr: ["10X98765432", { "%": [{ var: "n" }, 11] }, 1] }, "X"] }],
  ])("%s", (_name, when) => {
    for (const dialect of SQL_DIALECTS) expect(issues(small(when), dialect)).toEqual([]);
  });
});

describe("hostile names and look-alikes on real engines", () => {
  const slots = useEngines();
  it("screens columns named with quotes, semicolons, comment markers and Unicode look-alikes", async () => {
    const names = ['村"; --', "户编号`/*", "收入'--", "状态\u0430"]; // the last ends in a Cyrillic а
    const rulebook = small({ and: [{ "==": [{ var: "s" }, "x"] }, { "<": [{ var: "n" }, 10] }] });
    rulebook.fields.v.column = names[0] as string;
    rulebook.fields.id.column = names[1] as string;
    rulebook.fields.n.column = names[2] as string;
    rulebook.fields.s.column = names[3] as string;
    const header = [...names, "状态a"];
    const rows = [
      { row: 2, cells: ["一村", "H1", "5", "x", "y"] },
      { row: 3, cells: ["一村", "H2", "50", "x", "x"] },
    ];
    const expected = screenJs(rulebook, header, rows);
    expect(expected.outcomes.map((o) => o.recordId)).toEqual(["H1"]);
    for (const slot of slots) {
      if (!slot.engine) continue;
      expect(fromSql(await screenOnEngine(slot.engine, rulebook, header, rows))).toEqual(expected);
    }
  });

  it("reads text ending in a line break as JavaScript does (MariaDB's $ also matches before one)", async () => {
    const rulebook = small({ or: [{ "<": [{ var: "s" }, 100] }, { ">=": [{ months_between: ["2023-01", { var: "s" }] }, 0] }] }, { s: { column: "状态", type: "text", of: "household", trim: false } });
    const header = ["村", "户编号", "收入", "状态"];
    const rows = [
      { row: 2, cells: ["一村", "H1", "5", "12\n"] },
      { row: 3, cells: ["一村", "H2", "5", "12"] },
      { row: 4, cells: ["一村", "H3", "5", "2023-04\n"] },
    ];
    const expected = screenJs(rulebook, header, rows);
    expect(expected.outcomes.map((o) => [o.recordId, o.kind])).toEqual([["H1", "rule_failed"], ["H2", "finding"], ["H3", "rule_failed"]]);
    for (const slot of slots) {
      if (!slot.engine) continue;
      expect(fromSql(await screenOnEngine(slot.engine, rulebook, header, rows)), slot.name).toEqual(expected);
    }
  });
});

describe("DuckDB's faster forms give what the generic ones give (decision 0705)", () => {
  it("a product by a whole constant: the same value, or the same overflow failure, on both sides of the bound", async () => {
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const { DIALECTS, FAST_PRODUCT_BOUND, SMALL_FACTOR } = await import("../../src/sql/dialect");
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    const number = (text: string) => `CAST('${text}' AS DECIMAL(38,10))`;
    const fast = DIALECTS.duckdb.timesWhole as (x: string, n: string, bound: string) => string;
    expect(fast).toBeTypeOf("function");
    const bound = number(String(FAST_PRODUCT_BOUND));
    const xs = ["0", "-0.0000000001", "0.0000000001", "1.5", "-7.25", "2024", "999999999999.9999999999", "-999999999999.9999999999", "1000000000000", "-1000000000000", "1000000000000.0000000001", "141666666666666.6666666667", "1e17", "-1e17", "99999999999999999999999999.9999999999"];
    const ns = ["0", "1", "-1", "12", "100", "-100", String(SMALL_FACTOR), String(-SMALL_FACTOR)];
    const run = async (sql: string) => {
      try {
        const reader = await connection.runAndReadAll(`SELECT CAST(${sql} AS VARCHAR)`);
        return String(reader.getRowsJson()[0]?.[0]);
      } catch (error) {
        return `error: ${/overflow/i.test(String(error)) ? "overflow" : String(error)}`;
      }
    };
    let overflows = 0;
    for (const x of [...xs.map(number), "CAST(NULL AS DECIMAL(38,10))"]) {
      for (const n of ns.map(number)) {
        const generic = await run(`CAST((${x} * ${n}) AS DECIMAL(38,10))`);
        if (generic.startsWith("error")) overflows++;
        expect(await run(fast(x, n, bound)), `${x} * ${n}`).toBe(generic);
      }
    }
    // Both sides of the bound are exercised: products that overflow the generic form fail the fast form too.
    expect(overflows).toBeGreaterThan(0);
    connection.closeSync();
    instance.closeSync();
  });

  it("the example rulebook's DuckDB query uses them: no IN list of bound parameters (a hash join per list), products by 12 and 100 by the fast form", () => {
    const { sql } = compileRulebookSql(example, { dialect: "duckdb", table: "t" });
    expect(sql).not.toMatch(/IN \(CAST\(\$\d+/);
    expect(sql).toContain("AS DECIMAL(18,0))");
    for (const dialect of ["postgres", "mysql"] as const) expect(compileRulebookSql(example, { dialect, table: "t" }).sql).not.toContain("DECIMAL(18,0)");
  });
});

describe("DuckDB computes an and/or's later operands only where they are reached (decision 0706)", () => {
  const slots = useEngines();
  it("a product that would overflow DECIMAL(38,10) in a household the first operand stops is never computed", async () => {
    const big = "1000000000000000";
    const header = ["村", "户编号", "收入", "状态"];
    const rows = [
      { row: 2, cells: ["一村", "H1", big, "y"] },
      { row: 3, cells: ["一村", "H2", "2", "x"] },
      { row: 4, cells: ["一村", "H3", "5", "x"] },
    ];
    const square = { "*": [{ var: "n" }, { var: "n" }] };
    // Nested: the inner operands are reached only where the outer ones before them are.
    const rules = [
      { and: [{ "==": [{ var: "s" }, "x"] }, { "<": [square, 10] }] },
      { or: [{ "!=": [{ var: "s" }, "x"] }, { "<": [square, 10] }] },
      { and: [{ "!!": [{ var: "v" }] }, { or: [{ "==": [{ var: "s" }, "y"] }, { and: [{ "<": [{ var: "n" }, 3] }, { "<": [square, 10] }] }] }] },
    ];
    const engine = slots.find((slot) => slot.name === "duckdb")?.engine;
    expect(engine).toBeDefined();
    for (const when of rules) {
      const rulebook = small(when);
      const expected = screenJs(rulebook, header, rows);
      expect(expected.outcomes.length, JSON.stringify(when)).toBeGreaterThan(0);
      for (const slot of slots) {
        if (!slot.engine) continue;
        expect(fromSql(await screenOnEngine(slot.engine, rulebook, header, rows)), `${slot.name} ${JSON.stringify(when)}`).toEqual(expected);
      }
    }
  });

  it("the example's SC01: its month arithmetic is computed under the guard of its first two operands", () => {
    const { sql } = compileRulebookSql(example, { dialect: "duckdb", table: "t" });
    // Every column that takes a substring of identifiedOn or clearedOn (SC01's third operand) is a guarded one.
    const columns = [...sql.matchAll(/, (\(CASE WHEN "kh_h\d+" THEN )?[^,]*?substr\(COALESCE\("kh_v(8|6)"/g)];
    expect(columns.length).toBe(6);
    for (const column of columns) expect(column[1], column[0]).toBeDefined();
    // PostgreSQL and MySQL are written as before (their text is unchanged).
    const pg = [...compileRulebookSql(example, { dialect: "postgres", table: "t" }).sql.matchAll(/, (\(CASE WHEN "kh_h\d+" THEN )?[^,]*?substr\(COALESCE\("kh_v(8|6)"/g)];
    expect(pg.length).toBe(6);
    for (const column of pg) expect(column[1], column[0]).toBeUndefined();
  });
});
