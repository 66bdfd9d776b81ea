import { KaoheError, toSafe, type KaoheIssue, type SafeResult } from "../internal/errors";
import { ruleNumberToString, type JsonLogicRule } from "../rules/index";
import { planRules, type SkippedRule } from "../screening/evaluate";
import { SUBJECT_DEPTH, fieldColumns, fieldLabel, prepareRulebook, type PreparedRulebook, type PreparedScreeningRule, type PrepareRulebookOptions } from "../screening/prepare";
import type { Field, ParameterValue, Subject } from "../screening/schema";
import { DIALECTS, SQL_DIALECTS, type DialectTable, type SqlDialect, type SqlScalar } from "./dialect";
import { UntranslatableError, jsonEscape, numberText, truth, type SqlExpr } from "./expr";
import { FIELD_CONVERSIONS, JS_TRIM_PATTERN, JS_WHITESPACE } from "./fields";
import { ParamList, Relation, Scope, type PathReader } from "./scope";

/** Options of {@link compileRulebookSql}. */
export interface CompileRulebookSqlOptions extends PrepareRulebookOptions {
  /** The SQL dialect to write. */
  readonly dialect: SqlDialect;
  /** The table holding the export, one text column per exported column: a name, or `[schema, name]`. */
  readonly table: string | readonly string[];
  /** The table's column names (the file's header), to choose among a field's alternative columns; by default each field's first column. */
  readonly header?: readonly string[];
  /** What one row holds; by default the narrowest kind whose key column the header has. */
  readonly level?: Subject;
  /**
   * A column holding each row's number in the file (whole numbers). With it, findings carry
   * rows and come in file order, members are in row order, and a household whose rows are not
   * contiguous is rejected, as the JavaScript screener does; without it, members are in the order
   * of their keys.
   */
  readonly rowColumn?: string;
  /** The column of each field, by field name, where the table's columns are not the file's names (e.g. `{ householdId: "c3" }`); it overrides `header`. */
  readonly columnOf?: Readonly<Record<string, string>>;
  /**
   * A column that, where it is not NULL, marks a row whose cells the table holds only as text that
   * converts alike (`--engine duckdb`'s rows of Excel numbers and dates): a record with such a row
   * that has an unusable cell is handed back as rejected rows, since its data-quality findings
   * would show the cell as text.
   */
  readonly opaqueColumn?: string;
  /** Adds a last column `position`: the record's first row, by which the result is ordered (for merging with other results). */
  readonly withPosition?: boolean;
}

/** A rulebook compiled to one SQL query. */
export interface CompiledSql {
  /** The query, with the dialect's placeholders (`$1` for DuckDB and PostgreSQL, `?` for MySQL). */
  readonly sql: string;
  /** The values bound to the placeholders, in order: texts (numbers as plain decimal text) and booleans (1/0 for MySQL). */
  readonly params: readonly (string | boolean | number)[];
  /** Statements to run first in the same session (MySQL: the GROUP_CONCAT limit). */
  readonly setup: readonly string[];
  /** What one row holds. */
  readonly level: Subject;
  /** The columns of the result, in order. */
  readonly columns: readonly string[];
  /** The rules run, by code. */
  readonly rules: readonly string[];
  /** The rules not run on such rows, with why. */
  readonly skipped: readonly SkippedRule[];
}

/** The columns of the query's result: one row per finding, undecided rule or rejected row. */
export const SQL_RESULT_COLUMNS = [
  "kind",
  "code",
  "title",
  "severity",
  "subject",
  "record_id",
  "household_id",
  "county",
  "township",
  "village",
  "message",
  "values",
  "row",
  "reason_code",
  "field",
  "column",
  "value",
  "zh",
] as const;

interface FieldColumn {
  readonly name: string;
  readonly field: Field;
  readonly label: string;
  /** The typed value's column. */
  readonly value: string;
  readonly problem: string;
  readonly scalar: SqlScalar;
  /** Its place among the fields that have a column: its part of each row's problems (`kh_problem`). */
  readonly slot: number;
  /** Its column as data-quality findings name it. */
  readonly column: string;
  /** The raw cell's column. */
  readonly raw: string;
  /** The ends of its `invalid_value` or `not_allowed` reasons, in English and Chinese. */
  readonly complaint: string;
  readonly complaintZh: string;
}

/** Separates the parts of one cell's problem (code, reasons, value). */
const PART = "\u0002";
/** Separates the cells' problems in a row's `kh_problem`, one part per field, empty where the cell is usable. */
const SLOT = "\u0003";

/**
 * A row's part for one cell in kh_problem, where the cell has a problem: its code, the cell as
 * JSON.stringify writes it (null when absent), and, for a cell longer than 60 characters, the cell
 * as `showValue` cuts it (empty otherwise: the JSON is then what `showValue` shows).
 */
function problemPart(column: FieldColumn, b: QueryBuilder): string {
  const { d } = b;
  const raw = column.raw;
  const json = `(CASE WHEN ${raw} IS NULL THEN ${b.text("null")} ELSE ${d.concat([b.text('"'), jsonEscape(raw, b.cx), b.text('"')])} END)`;
  const cut = `(CASE WHEN ${d.length(raw)} > 60 THEN ${d.concat([b.text('"'), jsonEscape(d.substring(raw, "1", "57"), b.cx), b.text('..."')])} ELSE ${b.text("")} END)`;
  return `(CASE WHEN ${column.problem} IS NOT NULL THEN ${d.concat([column.problem, b.text(PART), json, b.text(PART), cut])} END)`;
}

function issue(code: string, path: (string | number)[], message: string, zh: string): KaoheIssue {
  return { code, path, message, zh };
}

/** Chooses each field's column among its alternatives, by the header when given. */
function chooseColumn(name: string, field: Field, header: readonly string[] | undefined): string | undefined {
  const columns = fieldColumns(field);
  if (header === undefined) return columns[0];
  const normalize = (text: string) => text.replace(/^\uFEFF/, "").replace(/\s+/g, "");
  for (const column of columns) {
    const found = header.find((cell) => normalize(cell) === normalize(column));
    if (found !== undefined) return found;
  }
  void name;
  return undefined;
}

function defaultLevel(prepared: PreparedRulebook, has: (field: string) => boolean): Subject | undefined {
  const { keys } = prepared.rulebook;
  if (keys.person !== undefined && keys.household !== undefined && has(keys.person) && has(keys.household)) return "person";
  if (keys.household !== undefined && has(keys.household)) return "household";
  if (keys.village !== undefined && has(keys.village)) return "village";
  return undefined;
}

/** Builds the query: the state shared by its parts. */
class QueryBuilder {
  readonly d: DialectTable;
  readonly params = new ParamList();
  readonly fields = new Map<string, FieldColumn>();
  /** Fields whose column the table lacks, with the column's name: the rules reading them are skipped. */
  readonly missing: Record<string, string> = {};
  private readonly helper: Scope;

  constructor(
    readonly prepared: PreparedRulebook,
    readonly options: CompileRulebookSqlOptions,
    readonly level: Subject,
  ) {
    this.d = DIALECTS[options.dialect];
    this.helper = new Scope(this.d, this.params, new Relation(this.d, "kh_unused_"), () => undefined, undefined);
  }

  q(name: string): string {
    return this.d.quote(name);
  }

  text(value: string): string {
    return this.helper.text(value);
  }

  param(value: string | number | boolean, type: SqlScalar): string {
    return this.helper.param(value, type);
  }

  get cx(): Scope {
    return this.helper;
  }

  /** A typed value as text, as `String(value)` writes it ('' for null). */
  asText(e: SqlExpr): string {
    switch (e.t) {
      case "text":
        return e.nullable ? `COALESCE(${e.v}, ${this.text("")})` : e.v;
      case "number":
        return e.nullable ? `COALESCE(${numberText(e.v, this.cx)}, ${this.text("")})` : numberText(e.v, this.cx);
      case "boolean":
        return `(CASE WHEN ${e.v} IS NULL THEN ${this.text("")} WHEN ${e.v} = TRUE THEN ${this.text("true")} ELSE ${this.text("false")} END)`;
      default:
        return this.text("");
    }
  }

  /** A typed value as JSON. */
  asJson(e: SqlExpr): string {
    const d = this.d;
    let known: string;
    switch (e.t) {
      case "null":
        return this.text("null");
      case "text":
        known = d.jsonString ? d.jsonString(e.v) : d.concat([this.text('"'), jsonEscape(e.v, this.cx), this.text('"')]);
        break;
      case "number":
        known = numberText(e.v, this.cx);
        break;
      case "boolean":
        known = `(CASE WHEN ${e.v} = TRUE THEN ${this.text("true")} ELSE ${this.text("false")} END)`;
        break;
      default:
        throw new Error("not a value");
    }
    return e.nullable ? `(CASE WHEN ${e.v} IS NULL THEN ${this.text("null")} ELSE ${known} END)` : known;
  }

  /** A typed value as a message shows it: 空 for null, 是/否 for booleans. */
  asMessage(e: SqlExpr): string {
    let known: string;
    switch (e.t) {
      case "null":
        return this.text("空");
      case "text":
        known = e.v;
        break;
      case "number":
        known = numberText(e.v, this.cx);
        break;
      case "boolean":
        known = `(CASE WHEN ${e.v} = TRUE THEN ${this.text("是")} ELSE ${this.text("否")} END)`;
        break;
      default:
        throw new Error("not a value");
    }
    return e.nullable ? `(CASE WHEN ${e.v} IS NULL THEN ${this.text("空")} ELSE ${known} END)` : known;
  }

  /** A parameter's value as a typed constant. */
  parameter(value: ParameterValue): SqlExpr {
    if (typeof value === "number") return { t: "number", v: this.param(ruleNumberToString(value), "number"), f: null, nullable: false, lit: { value } };
    if (typeof value === "string") return { t: "text", v: this.text(value), f: null, nullable: false, lit: { value } };
    return { t: "boolean", v: value ? "TRUE" : "FALSE", f: null, nullable: false, lit: { value } };
  }

  /** A field's value where it is shown (JSON, unit texts): NULL even when required, where its cell is unusable. */
  fieldValue(name: string): SqlExpr {
    return { ...this.fieldExpr(name), nullable: true };
  }

  fieldExpr(name: string, alias?: string): SqlExpr {
    const column = this.fields.get(name) as FieldColumn;
    const v = alias === undefined ? column.value : `${alias}.${column.value}`;
    const month = column.field.type === "month" || column.field.type === "date";
    return { t: column.scalar, v, f: null, nullable: !column.field.required, h: 0, ...(month ? { month } : {}) };
  }
}

/** Fields a row of this level holds: the record's (outer) and, for persons, the person's own. */
function levelFields(prepared: PreparedRulebook, level: Subject): { base: string[]; own: string[] } {
  const outer: Subject = level === "person" ? "household" : level;
  const base: string[] = [];
  const own: string[] = [];
  for (const [name, field] of Object.entries(prepared.rulebook.fields)) {
    const depth = SUBJECT_DEPTH[field.of];
    if (depth <= SUBJECT_DEPTH[outer]) base.push(name);
    else if (depth <= SUBJECT_DEPTH[level]) own.push(name);
  }
  return { base, own };
}

/** The SQL of the conversion CTEs: raw cells, trimmed, typed, with each row's first problem. */
function conversionCtes(b: QueryBuilder, names: readonly string[], header: readonly string[] | undefined, issues: KaoheIssue[]): string[] {
  const { d, prepared, options } = b;
  const table = (typeof options.table === "string" ? [options.table] : options.table).map((part) => b.q(part)).join(".");
  const src: string[] = [];
  const trims: string[] = [];
  const ok: string[] = [];
  const typed: string[] = [];
  const seen = new Map<string, string>();
  const cells: string[] = [];
  names.forEach((name, i) => {
    const field = prepared.rulebook.fields[name] as Field;
    const column = options.columnOf?.[name] ?? chooseColumn(name, field, header);
    const { keys, unit } = prepared.rulebook;
    const structural = Object.values(keys).includes(name) || Object.values(unit).includes(name);
    if (column === undefined && !structural) {
      // As the JavaScript screener: the rules that read it are skipped (listed), the others run.
      b.missing[name] = fieldColumns(field)[0] ?? fieldLabel(name, field);
      return;
    }
    if (column === undefined) {
      issues.push(issue("missing_column", ["fields", name, "column"], `field "${name}" has none of its columns (${fieldColumns(field).join(", ")}) in the table`, `字段 "${name}" 的列（${fieldColumns(field).join("、")}）都不在表中`));
      return;
    }
    // Two columns whose names the dialect cuts to one (PostgreSQL's 63 bytes) would read the same column.
    const quoted = b.q(column);
    const other = seen.get(quoted);
    if (other !== undefined && other !== column) throw new RangeError(`"${column}" and "${other}" are the same identifier in ${d.name} (it keeps the first 63 bytes of a name)`);
    seen.set(quoted, column);
    const raw = b.q(`kh_r${i}`);
    const text = b.q(`kh_t${i}`);
    const trim = d.trim(raw, d.literal(JS_WHITESPACE), d.literal(JS_TRIM_PATTERN));
    // Where the dialect tells at once whether any cell of the row has white space at an end or U+FFFD, the cells of the other rows are not looked at.
    const trimmed = d.rowNeedsCare ? `(CASE WHEN ${b.q("kh_ws")} THEN ${trim} ELSE ${raw} END)` : trim;
    src.push(`${d.column(quoted)} AS ${raw}`);
    cells.push(d.column(quoted));
    // A text field with trim: false holds the cell as exported, an empty one as "" (never null).
    const keepRaw = field.type === "text" && field.trim === false;
    trims.push(keepRaw ? `COALESCE(${raw}, ${b.text("")}) AS ${text}` : `NULLIF(${trimmed}, ${b.text("")}) AS ${text}`);
    const conversion = FIELD_CONVERSIONS[field.type];
    const cell = { raw, text };
    const encoding = b.q(`kh_e${i}`);
    const parsed = b.q(`kh_c${i}`);
    const replaced = `COALESCE(${d.contains(text, b.text("\uFFFD"))}, ${"(1 = 0)"})`;
    ok.push(`${d.rowNeedsCare ? `(CASE WHEN ${b.q("kh_ws")} THEN ${replaced} ELSE (1 = 0) END)` : replaced} AS ${encoding}`);
    ok.push(`${conversion.parse(cell, field, b.cx)} AS ${parsed}`);
    const valid = `(${parsed} IS NOT NULL)`;
    const value = b.q(`kh_v${i}`);
    const problem = b.q(`kh_p${i}`);
    const label = fieldLabel(name, field);
    // A required text field with trim: false that is "" is a missing value (null), as in convertEntry.
    const present = keepRaw && field.required ? `${text} <> ${b.text("")}` : `${text} IS NOT NULL`;
    typed.push(`(CASE WHEN ${present} AND NOT ${encoding} AND ${valid} THEN ${parsed} END) AS ${value}`);
    if (/[\u0001-\u0003]/.test(label)) throw new RangeError(`the label of field "${name}" holds a control character (U+0001 to U+0003)`);
    // The problem's code; its reasons are written from the code and the cell (kh_problem, kh_dq) where a row has one.
    const [code, complaint, complaintZh] = conversion.complaint(field);
    // A text field with trim: false is empty only where the cell is "" (or absent); it is never NULL.
    const empty = keepRaw ? `(${text} = ${b.text("")})` : `(${text} IS NULL)`;
    typed.push(`(CASE WHEN ${empty} THEN ${field.required ? b.text("missing_value") : "NULL"} WHEN ${encoding} THEN ${b.text("invalid_encoding")} WHEN NOT ${valid} THEN ${b.text(code)} END) AS ${problem}`);
    const shownColumn = (options.columnOf?.[name] === undefined ? column : fieldColumns(field)[0] ?? column).replace(/^\uFEFF/, "");
    b.fields.set(name, { name, field, label, value, problem, raw, complaint, complaintZh, scalar: conversion.scalar, slot: b.fields.size, column: shownColumn });
  });
  const row = d.integer(options.rowColumn === undefined ? "NULL" : d.column(b.q(options.rowColumn)));
  // Each step is read once: where layers nest (DuckDB), they are projections of one plan, stored only as kh_rows.
  const stored = d.nestLayers ? "" : d.materialized;
  return [
    `${b.q("kh_src")} AS (SELECT ${[...src, `${row} AS ${b.q("kh_row")}`, ...(options.opaqueColumn === undefined ? [] : [`${d.column(b.q(options.opaqueColumn))} AS ${b.q("kh_opq")}`]), ...(d.rowNeedsCare ? [`${d.rowNeedsCare(cells, JS_WHITESPACE)} AS ${b.q("kh_ws")}`] : [])].join(", ")} FROM ${table})`,
    `${b.q("kh_trim")} AS ${stored}(SELECT *, ${trims.join(", ")} FROM ${b.q("kh_src")})`,
    `${b.q("kh_ok")} AS ${stored}(SELECT *, ${ok.join(", ")} FROM ${b.q("kh_trim")})`,
    `${b.q("kh_typed")} AS ${stored}(SELECT *, ${typed.join(", ")} FROM ${b.q("kh_ok")})`,
  ];
}

/** A field value's key for consistency and distinctness checks. */
function groupKey(b: QueryBuilder, column: FieldColumn): string {
  if (column.scalar === "text") return b.d.binaryKey(column.value);
  if (column.scalar === "boolean") return `(CASE WHEN ${column.value} = TRUE THEN 1 WHEN ${column.value} IS NOT NULL THEN 0 END)`;
  return column.value;
}

interface RuleOutput {
  readonly rule: PreparedScreeningRule;
  readonly index: number;
  /** The outcome column: 'T' for a finding, else the failure text; NULL for no finding. */
  readonly outcome: string;
}

/** Compiles one rule's condition in a scope: its outcome column. */
function outcomeOf(scope: Scope, relation: Relation, rule: PreparedScreeningRule, issues: KaoheIssue[], index: number): string | undefined {
  try {
    const e = scope.compile(rule.rule.when as JsonLogicRule, []);
    const settled = scope.settle(e);
    const sql = settled.failure === null ? `(CASE WHEN ${settled.truth} THEN 'T' END)` : `(CASE WHEN ${settled.failure} IS NOT NULL THEN ${settled.failure} WHEN ${settled.truth} THEN 'T' END)`;
    return relation.column(sql, settled.h + 1, true);
  } catch (error) {
    if (!(error instanceof UntranslatableError)) throw error;
    issues.push(
      issue("untranslatable_rule", ["rules", index, "when", ...error.path], `rule ${rule.rule.code} (${rule.rule.title}): operator "${error.op}" cannot be translated to SQL exactly: ${error.reason}`,
        `规则 ${rule.rule.code}（${rule.rule.title}）：运算符 "${error.op}" 无法精确翻译为 SQL（${error.reason}）`,
      ),
    );
    return undefined;
  }
}

/**
 * Compiles a rulebook to one SQL query that screens a table holding an export, as a database
 * administrator loads it (one text column per exported column, named as in the file's header).
 * For every record and rule, the query gives the outcome `screenRecords` gives: a finding, no
 * finding, or an undecided rule with the same reason; rows the JavaScript screener rejects are
 * rejected rows. Every value of the rulebook is a bound parameter; identifiers come only from the
 * rulebook's columns and the table name, quoted for the dialect.
 *
 * @param rulebook - A rulebook (validated here) or a prepared one.
 * @param options - The dialect, the table, its header, the kind of row and the row-number column.
 * @returns The query, its parameters and what it runs.
 * @throws `KaoheError` (from `kaohe`) for an invalid rulebook, a field without its column, or a rule with
 *   a construct that cannot be translated exactly (`untranslatable_rule`, naming the rule and operator).
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { compileRulebookSql } from "kaohe/sql";
 * const rulebook = JSON.parse(readFileSync("examples/screening/rulebook.json", "utf8"));
 * const { sql, params, rules } = compileRulebookSql(rulebook, { dialect: "postgres", table: "persons" });
 * rules.length;                        //=> 14
 * sql.includes('FROM "persons"');      //=> true
 * params.includes("7600");             //=> true
 * sql.includes("7600");                //=> false
 * ```
 */
export function compileRulebookSql(rulebook: unknown, options: CompileRulebookSqlOptions): CompiledSql {
  if (!(SQL_DIALECTS as readonly string[]).includes(options.dialect)) {
    throw new KaoheError([issue("invalid_dialect", ["dialect"], `dialect must be one of ${SQL_DIALECTS.join(", ")} (got ${String(options.dialect)})`, `方言须为 ${SQL_DIALECTS.join("、")}（得到 ${String(options.dialect)}）`)], "Cannot compile");
  }
  const prepared = isPrepared(rulebook) ? rulebook : prepareRulebook(rulebook as never, options);
  const header = options.header;
  const has = (field: string) => {
    const declared = prepared.rulebook.fields[field];
    return declared !== undefined && (options.columnOf?.[field] !== undefined || chooseColumn(field, declared, header) !== undefined);
  };
  const level = options.level ?? defaultLevel(prepared, has);
  if (level === undefined) throw new KaoheError([issue("missing_key", ["header"], "the table has none of the rulebook's key columns", "表中没有规则集的任何键列")], "Cannot compile");
  const issues: KaoheIssue[] = [];
  let b: QueryBuilder;
  try {
    b = new QueryBuilder(prepared, options, level);
    const result = build(b, header, issues);
    if (issues.length > 0) throw new KaoheError(issues, "Cannot compile the rulebook to SQL");
    return result;
  } catch (error) {
    if (error instanceof RangeError) throw new KaoheError([issue("invalid_identifier", ["table"], error.message, `无法作为 SQL 标识符：${error.message}`)], "Cannot compile");
    throw error;
  }
}

/**
 * {@link compileRulebookSql} returning a result instead of throwing.
 *
 * @param rulebook - A rulebook or a prepared one.
 * @param options - As for {@link compileRulebookSql}.
 * @returns `{ success: true, data }` with the query, or `{ success: false, error }` with every issue.
 * @example
 * ```ts
 * import { safeCompileRulebookSql } from "kaohe/sql";
 * const rulebook = {
 *   id: "r", title: "示例", version: "1", fields: {
 *     id: { column: "户编号", type: "text", of: "household" }, v: { column: "村", type: "text", of: "village" },
 *     n: { column: "收入", type: "number", of: "household" },
 *   },
 *   keys: { household: "id" }, unit: { county: "v", township: "v", village: "v" },
 *   rules: [{ code: "R1", title: "比例", subject: "household", severity: "low", when: { "<": [{ "/": [{ var: "n" }, 3] }, 1] }, message: "x" }],
 * };
 * const result = safeCompileRulebookSql(rulebook, { dialect: "duckdb", table: "t" });
 * result.success ? [] : result.error.issues.map((i) => i.code); //=> ["untranslatable_rule"]
 * ```
 */
export const safeCompileRulebookSql: (rulebook: unknown, options: CompileRulebookSqlOptions) => SafeResult<CompiledSql> = toSafe(compileRulebookSql);

function isPrepared(value: unknown): value is PreparedRulebook {
  const rules = (value as { rules?: unknown } | null)?.rules;
  return Array.isArray(rules) && rules.length > 0 && typeof (rules[0] as { condition?: { test?: unknown } }).condition?.test === "function";
}

function build(b: QueryBuilder, header: readonly string[] | undefined, issues: KaoheIssue[]): CompiledSql {
  const { d, prepared, level } = b;
  const q = (name: string) => b.q(name);
  const { keys, unit } = prepared.rulebook;
  const { base, own } = levelFields(prepared, level);
  const ctes = conversionCtes(b, [...base, ...own], header, issues);
  if (issues.length > 0) return undefined as never;
  const plan = planRules(prepared, level, b.missing);
  const outerKey = (level === "person" ? keys.household : keys[level]) as string;
  const key = b.fields.get(outerKey) as FieldColumn;
  const personKey = level === "person" ? (b.fields.get(keys.person as string) as FieldColumn) : undefined;
  const problems = [...base, ...own].filter((name) => b.fields.has(name)).map((name) => (b.fields.get(name) as FieldColumn).problem);
  const hasRows = b.options.rowColumn !== undefined;
  const bin = d.binaryKey(key.value);

  // Each row's problems, one part per field in field order (NULL where every cell is usable: the CASE spares clean rows the concatenation), the record key, and (with rows) runs of one key.
  const slots = [...b.fields.values()];
  const anyProblem = problems.length === 0 ? "NULL" : `COALESCE(${problems.join(", ")})`;
  const allProblems = problems.length === 0 ? "NULL" : `(CASE WHEN ${anyProblem} IS NULL THEN NULL ELSE ${d.concat(slots.flatMap((column, i) => [...(i > 0 ? [b.text(SLOT)] : []), `COALESCE(${problemPart(column, b)}, ${b.text("")})`]))} END)`;
  // Only what later steps read is stored: the row, the typed values, its problems and its key (not the raw, trimmed and parsed cells).
  const kept = [q("kh_row"), ...[...b.fields.values()].map((column) => column.value)];
  // A row whose cells the table holds only as text (opaqueColumn) and that has a problem: its record is handed back.
  const opaque = b.options.opaqueColumn === undefined ? [] : [`(CASE WHEN ${q("kh_opq")} IS NOT NULL AND ${anyProblem} IS NOT NULL THEN 1 ELSE 0 END) AS ${q("kh_opaque")}`];
  // Where the conversion is a chain of stored CTEs (PostgreSQL, MySQL), the problems' text is written apart, for the rows that have one
  // (kh_slots): MySQL would otherwise carry its long expression into every reading of the rows, and take many seconds to prepare the query.
  const slotsApart = !d.nestLayers;
  ctes.push(`${q("kh_rows")} AS ${d.materialized}(SELECT ${[...kept, `${slotsApart ? anyProblem : allProblems} AS ${q("kh_problem")}`, `${bin} AS ${q("kh_key")}`, ...opaque].join(", ")} FROM ${q("kh_typed")})`);
  const memberKey = personKey ? d.binaryKey(personKey.value) : undefined;
  if (slotsApart) {
    // With rows, kh_slots also holds what kh_bad shows, so that kh_bad need not read the member layers again.
    const shown = (name: string) => b.asText(b.fieldValue(name));
    const pidText = personKey ? shown(keys.person as string) : `CAST(NULL AS ${d.types.text})`;
    const extra = hasRows ? `, ${q("kh_row")} AS ${q("kh_srow")}, ${shown(outerKey)} AS ${q("kh_rid")}, ${pidText} AS ${q("kh_pid")}, ${shown(unit.county)} AS ${q("kh_u1")}, ${shown(unit.township)} AS ${q("kh_u2")}, ${shown(unit.village)} AS ${q("kh_u3")}` : "";
    ctes.push(`${q("kh_slots")} AS ${d.materialized}(SELECT ${bin} AS ${q("kh_skey")}, ${memberKey ?? "1"} AS ${q("kh_spkey")}, ${allProblems} AS ${q("kh_sproblem")}${extra} FROM ${q("kh_typed")} WHERE ${anyProblem} IS NOT NULL)`);
  }
  // With rows, the runs of each key among the rows that have one, in file order: a narrow window (key and row only), not one over whole rows.
  if (hasRows) {
    ctes.push(
      `${q("kh_runs")} AS ${d.materialized}(SELECT ${q("kh_key")} AS ${q("kh_ukey")}, SUM(${q("kh_start")}) AS ${q("kh_runs")} FROM (SELECT ${q("kh_key")}, (CASE WHEN LAG(${q("kh_key")}) OVER (ORDER BY ${q("kh_row")}) = ${q("kh_key")} THEN 0 ELSE 1 END) AS ${q("kh_start")} FROM ${q("kh_rows")} WHERE ${key.value} IS NOT NULL) s GROUP BY ${q("kh_key")})`,
    );
  }

  // Records the query decides: the record's fields agree (an unusable cell counts as NULL), members are distinct, rows are contiguous.
  // A cell that cannot be used does not stop it (it is a data-quality finding, and the rules reading it are undecided); a record with one is "troubled".
  const clean: string[] = [];
  if (b.options.opaqueColumn !== undefined) clean.push(`SUM(${q("kh_opaque")}) = 0`);
  if (personKey) {
    const agreeing = base.filter((name) => b.fields.has(name)).map((name) => b.fields.get(name) as FieldColumn);
    if (d.allEqual && agreeing.length > 0) clean.push(d.allEqual(agreeing.map((column) => column.value)));
    for (const column of d.allEqual ? [] : agreeing) {
      const k = groupKey(b, column);
      clean.push(`(COUNT(${column.value}) = 0 OR (COUNT(${column.value}) = COUNT(*) AND MIN(${k}) = MAX(${k})))`);
    }
    clean.push(`COUNT(DISTINCT ${d.binaryKey(personKey.value)}) = COUNT(*)`);
  } else clean.push("COUNT(*) = 1");
  const troubled = `${d.flag(`(COUNT(${q("kh_problem")}) > 0)`)} AS ${q("kh_troubled")}`;
  const grouped = `SELECT ${q("kh_key")} AS ${q("kh_rkey")}, MIN(${q("kh_row")}) AS ${q("kh_first")}, ${d.flag(`(${clean.join(" AND ")})`)} AS ${q("kh_clean")}, ${troubled} FROM ${q("kh_rows")} WHERE ${key.value} IS NOT NULL GROUP BY ${q("kh_key")}`;
  ctes.push(
    hasRows
      ? `${q("kh_records")} AS ${d.materialized}(SELECT g.${q("kh_rkey")}, g.${q("kh_first")}, ${d.flag(`(g.${q("kh_clean")} = ${d.flag("(1 = 1)")} AND u.${q("kh_runs")} = 1)`)} AS ${q("kh_clean")}, g.${q("kh_troubled")} FROM (${grouped}) g JOIN ${q("kh_runs")} u ON g.${q("kh_rkey")} = u.${q("kh_ukey")})`
      : `${q("kh_records")} AS ${d.materialized}(${grouped})`,
  );
  const ord = hasRows ? q("kh_row") : personKey ? d.binaryKey(personKey.value) : "1";
  ctes.push(
    // Members in order: by row where rows are numbered (no window over whole rows), else numbered by their keys.
    `${q("kh_good")} AS (SELECT r.*, c.${q("kh_first")}, c.${q("kh_troubled")}, ${hasRows ? `r.${q("kh_row")}` : `ROW_NUMBER() OVER (PARTITION BY r.${q("kh_key")} ORDER BY ${ord})`} AS ${q("kh_ord")} FROM ${q("kh_rows")} r JOIN ${q("kh_records")} c ON r.${q("kh_key")} = c.${q("kh_rkey")} WHERE c.${q("kh_clean")} = ${d.flag("(1 = 1)")})`,
  );

  const outputs: string[] = [];
  const m = new Relation(d, "kh_m");
  const h = new Relation(d, "kh_h");
  const personRules: RuleOutput[] = [];
  const householdRules: RuleOutput[] = [];
  const aggregates: string[] = [];
  let readsMembersJson = false;
  let membersJson = "";

  const fieldReader = (allowed: (field: Field) => boolean): PathReader => (path, at) => {
    if (path.startsWith("params.")) {
      const name = path.slice(7);
      if (!Object.hasOwn(prepared.parameters, name)) return undefined;
      return b.parameter(prepared.parameters[name] as ParameterValue);
    }
    const [first, second, ...more] = path.split(".");
    const column = first === undefined ? undefined : b.fields.get(first);
    if (column === undefined || !allowed(column.field)) return undefined;
    const value = b.fieldExpr(column.name);
    if (second === undefined) return value;
    if (second === "length" && more.length === 0 && value.t === "text") {
      return { t: "number", v: `(CASE WHEN ${value.v} IS NULL THEN NULL ELSE ${d.length(value.v)} END)`, f: null, nullable: true, h: 0 };
    }
    throw new UntranslatableError("var", at, `reads "${path}", a path into a field value`);
  };
  const isPerson = (field: Field) => field.of === "person";
  const memberScope = new Scope(d, b.params, m, (path, at) => (path.startsWith("params.") ? undefined : fieldReader(isPerson)(path, at)), undefined);

  let quantifiers = 0;
  const quantify = (kind: "some" | "all" | "none", body: JsonLogicRule, at: readonly (string | number)[]): SqlExpr => {
    const e = memberScope.compile(body, [...at, 1]);
    const settled = memberScope.settle(e);
    const k = quantifiers++;
    const t = m.column(settled.truth, settled.h + 1, true);
    const f = settled.failure === null ? "NULL" : m.column(settled.failure, settled.h + 1, true);
    const stopOn = kind !== "all";
    const ifStopped = kind === "some";
    const ordCol = q("kh_ord");
    const stopped = `(CASE WHEN ${f} IS NULL AND ${stopOn ? t : `NOT ${t}`} THEN ${ordCol} END)`;
    const failedAt = `(CASE WHEN ${f} IS NOT NULL THEN ${ordCol} END)`;
    const [so, fo, fm] = [`kh_q${k}_s`, `kh_q${k}_f`, `kh_q${k}_m`].map(q) as [string, string, string];
    aggregates.push(`MIN(${stopped}) AS ${so}`, `MIN(${failedAt}) AS ${fo}`, `${settled.failure === null ? "NULL" : d.firstBy(f, failedAt)} AS ${fm}`);
    const n = q("kh_n");
    const v = `(CASE WHEN ${n} = 0 THEN ${kind === "none" ? "TRUE" : "FALSE"} WHEN ${so} IS NOT NULL AND (${fo} IS NULL OR ${so} < ${fo}) THEN ${ifStopped ? "TRUE" : "FALSE"} ELSE ${ifStopped ? "FALSE" : "TRUE"} END)`;
    const failure = settled.failure === null ? null : `(CASE WHEN ${n} > 0 AND ${fo} IS NOT NULL AND (${so} IS NULL OR ${fo} < ${so}) THEN ${fm} END)`;
    return { t: "boolean", v, f: failure, nullable: false, h: 0 };
  };
  const recordFields = (field: Field) => SUBJECT_DEPTH[field.of] <= SUBJECT_DEPTH[level === "person" ? "household" : level];
  const householdRead: PathReader = (path, at) => {
    if (path === "members.length") return level === "person" ? { t: "number", v: q("kh_n"), f: null, nullable: false, h: 0 } : undefined;
    if (path === "members" || path.startsWith("members.")) throw new UntranslatableError("var", at, `reads "${path}"; SQL reads members only through some/all/none and members.length`);
    return fieldReader(recordFields)(path, at);
  };
  const householdScope = new Scope(d, b.params, h, householdRead, level === "person" ? quantify : undefined);
  const personScope = new Scope(d, b.params, m, fieldReader(() => true), undefined);

  const indexOf = (rule: PreparedScreeningRule) => prepared.rules.indexOf(rule);
  const recordRules = level === "village" ? plan.village : plan.household;
  for (const rule of recordRules) {
    const outcome = outcomeOf(householdScope, h, rule, issues, indexOf(rule));
    if (outcome !== undefined) householdRules.push({ rule, index: indexOf(rule), outcome });
    if (rule.variables.includes("members")) readsMembersJson = true;
  }
  for (const rule of plan.person) {
    const outcome = outcomeOf(personScope, m, rule, issues, indexOf(rule));
    if (outcome !== undefined) personRules.push({ rule, index: indexOf(rule), outcome });
  }
  if (issues.length > 0) return undefined as never;

  // Members' JSON, for rules whose values show the members.
  if (readsMembersJson) {
    const person = Object.entries(prepared.rulebook.fields).filter(([, field]) => field.of === "person");
    const object = d.concat([
      b.text("{"),
      ...person.flatMap(([name], i) => [b.text(`${i > 0 ? "," : ""}${JSON.stringify(name)}:`), b.asJson(b.fieldValue(name))]),
      b.text("}"),
    ]);
    membersJson = d.joinTexts(object, q("kh_ord"));
  }

  ctes.push(...m.ctes(q("kh_good"), q("kh_m"), d.materialized));
  if (level === "person") {
    ctes.push(`${q("kh_agg")} AS ${d.materialized}(SELECT ${q("kh_key")} AS ${q("kh_akey")}, COUNT(*) AS ${q("kh_n")}${aggregates.map((a) => `, ${a}`).join("")} FROM ${q("kh_m")} GROUP BY ${q("kh_key")})`);
    ctes.push(`${q("kh_hbase")} AS (SELECT g.*, a.* FROM ${q("kh_m")} g JOIN ${q("kh_agg")} a ON g.${q("kh_key")} = a.${q("kh_akey")} WHERE g.${q("kh_ord")} = ${hasRows ? `g.${q("kh_first")}` : "1"})`);
  } else {
    ctes.push(`${q("kh_hbase")} AS (SELECT *, 0 AS ${q("kh_n")} FROM ${q("kh_m")})`);
  }
  ctes.push(...h.ctes(q("kh_hbase"), q("kh_h"), d.materialized));

  // Troubled records (a cell that cannot be used): each unusable cell as a row of kh_dq, and per rule the fields it reads that are unusable and why.
  const textNull = `CAST(NULL AS ${d.types.text})`;
  const baseNames = new Set(base);
  const baseSlots = slots.filter((column) => baseNames.has(column.name)).length;
  const unusable = dataQuality(b, slots, baseSlots, householdRules, personRules, outerKey, ctes, slotsApart ? { memberKey: memberKey ?? "1", rows: hasRows } : undefined);
  const troubledIs = (yes: boolean) => `${q("kh_troubled")} = ${d.flag(yes ? "(1 = 1)" : "(1 = 0)")}`;

  // The result rows: data-quality findings, findings and undecided rules of records and persons, then rejected rows.
  const unitText = (name: string) => b.asText(b.fieldValue(name));
  const prefix = b.text("规则无法判断 (rule could not be decided): ");
  /** A rule's rows from `from`; `blocked` gives, where the rule reads an unusable field, that condition and the message. */
  const select = (output: RuleOutput, from: string, sub: string, householdId: string, where: string, blocked?: { when: string; message: string }): string => {
    const { rule } = output;
    const o = output.outcome;
    const scope = rule.rule.subject === "person" ? personScope : householdScope;
    const valueOf = (path: string): { json: string; message: string } => {
      if (path === "members") return { json: d.concat([b.text("["), `COALESCE(${q("kh_mj")}, ${b.text("")})`, b.text("]")]), message: d.concat([b.text("["), `COALESCE(${q("kh_mj")}, ${b.text("")})`, b.text("]")]) };
      const e = scope.variable(path, undefined, ["message"]);
      // A required field is NULL where its cell is unusable (the rule is then undecided, and shows it as null).
      return { json: b.asJson(e.lit === undefined ? { ...e, nullable: true } : e), message: b.asMessage(e) };
    };
    const values = d.concat([
      b.text("{"),
      ...rule.variables.flatMap((path, i) => [b.text(`${i > 0 ? "," : ""}${JSON.stringify(path)}:`), valueOf(path).json]),
      b.text("}"),
    ]);
    const parts = rule.messageParts.map((part, i) => (i % 2 === 0 ? (part === "" ? undefined : b.text(part)) : valueOf(part).message)).filter((p): p is string => p !== undefined);
    const filled = parts.length === 0 ? b.text("") : parts.length === 1 ? (parts[0] as string) : d.concat(parts);
    const code = d.part(o, b.text("|"), 1);
    // As the JavaScript screener words a failure: the reason, then its code in brackets.
    const failureMessage = d.concat([prefix, d.substring(o, `(${d.length(code)} + 2)`, d.length(o)), b.text(" ["), code, b.text("]")]);
    const recordId = rule.rule.subject === "person" ? b.asText(b.fieldExpr(keys.person as string)) : b.asText(b.fieldExpr(outerKey));
    const first = blocked === undefined ? "" : `WHEN ${blocked.when} THEN `;
    const columns = [
      `(CASE ${first}${blocked ? `${b.text("rule_failed")} ` : ""}WHEN ${o} = 'T' THEN ${b.text("finding")} ELSE ${b.text("rule_failed")} END)`,
      b.text(rule.rule.code),
      b.text(rule.rule.title),
      b.text(rule.rule.severity),
      b.text(rule.rule.subject),
      recordId,
      householdId,
      unitText(unit.county),
      unitText(unit.township),
      unitText(unit.village),
      `(CASE ${first}${blocked ? `${blocked.message} ` : ""}WHEN ${o} = 'T' THEN ${filled} ELSE ${failureMessage} END)`,
      values,
      rule.rule.subject === "person" ? q("kh_row") : q("kh_first"),
      `(CASE ${first}${blocked ? `${b.text("unusable_value")} ` : ""}WHEN ${o} = 'T' THEN NULL ELSE ${code} END)`,
      textNull,
      textNull,
      textNull,
      textNull,
    ];
    const names = SQL_RESULT_COLUMNS.map(q);
    return `SELECT ${q("kh_first")} AS ${q("kh_pos")}, ${sub} AS ${q("kh_sub")}, ${output.index} AS ${q("kh_rule")}, ${b.asText(b.fieldExpr(outerKey))} AS ${q("kh_sortkey")}, ${columns.map((c, i) => `${c} AS ${names[i]}`).join(", ")} FROM ${from} WHERE ${where}`;
  };
  // Members' JSON is built only for the households where a rule that shows the members has an outcome.
  const withMembers = (source: string, when: string) =>
    `(SELECT h.*, j.${q("kh_mj")} FROM ${source} h LEFT JOIN (SELECT ${q("kh_key")} AS ${q("kh_jkey")}, ${membersJson} AS ${q("kh_mj")} FROM ${q("kh_m")} WHERE ${q("kh_key")} IN (SELECT ${q("kh_key")} FROM ${source} s WHERE ${when}) GROUP BY ${q("kh_key")}) j ON h.${q("kh_key")} = j.${q("kh_jkey")}) ${q("kh_hj")}`;
  const householdNull = `CAST(NULL AS ${d.types.text})`;
  const split = d.nestLayers === true;
  for (const output of householdRules) {
    const o = output.outcome;
    const shows = output.rule.variables.includes("members");
    const reads = unusable.household.get(output.index);
    if (reads === undefined) {
      outputs.push(select(output, shows ? withMembers(q("kh_h"), `${o} IS NOT NULL`) : q("kh_h"), "0", householdNull, `${o} IS NOT NULL`));
      continue;
    }
    // DuckDB: records without an unusable cell, then the troubled ones, where the rule may be undecided by a field it reads. The others
    // read each rule's rows once, with the troubled records' (MySQL computes its CTEs again for each reading).
    if (split) outputs.push(select(output, shows ? withMembers(q("kh_h"), `${o} IS NOT NULL AND ${troubledIs(false)}`) : q("kh_h"), "0", householdNull, `${o} IS NOT NULL AND ${troubledIs(false)}`));
    const joined = `(SELECT h.*, x.${reads.fields}, x.${reads.message} FROM ${q("kh_h")} h ${split ? "" : "LEFT "}JOIN ${q("kh_hdet")} x ON h.${q("kh_key")} = x.${q("kh_hkey")})`;
    const when = `(${o} IS NOT NULL OR ${reads.fields} <> ${b.text("")})`;
    outputs.push(select(output, shows ? withMembers(joined, when) : `${joined} ${q("kh_ht")}`, "0", householdNull, when, { when: `${reads.fields} <> ${b.text("")}`, message: reads.message }));
  }
  for (const output of personRules) {
    const o = output.outcome;
    const householdId = b.asText(b.fieldExpr(outerKey));
    const reads = unusable.person.get(output.index);
    if (reads === undefined) {
      outputs.push(select(output, q("kh_m"), q("kh_ord"), householdId, `${o} IS NOT NULL`));
      continue;
    }
    if (split) outputs.push(select(output, q("kh_m"), q("kh_ord"), householdId, `${o} IS NOT NULL AND ${troubledIs(false)}`));
    const joined = `(SELECT m.*, x.${reads.fields}, x.${reads.message} FROM ${q("kh_m")} m ${split ? "" : "LEFT "}JOIN ${q("kh_pdet")} x ON m.${q("kh_key")} = x.${q("kh_pkey")} AND m.${q("kh_ord")} = x.${q("kh_pord")}) ${q("kh_mt")}`;
    outputs.push(select(output, joined, q("kh_ord"), householdId, `(${o} IS NOT NULL OR ${reads.fields} <> ${b.text("")})`, { when: `${reads.fields} <> ${b.text("")}`, message: reads.message }));
  }
  // The data-quality findings, first in their record, by row and then field.
  const slotCase = (pick: (column: FieldColumn) => string) => `(CASE ${q("kh_fi")} ${slots.map((column) => `WHEN ${column.slot} THEN ${pick(column)}`).join(" ")} END)`;
  const isOwn = `${q("kh_fi")} >= ${baseSlots}`;
  const quality = [
    b.text("data_quality"),
    q("kh_code"),
    textNull,
    textNull,
    `(CASE WHEN ${isOwn} THEN ${b.text("person")} ELSE ${b.text(level === "village" ? "village" : "household")} END)`,
    `(CASE WHEN ${isOwn} THEN ${q("kh_pid")} ELSE ${q("kh_rid")} END)`,
    `(CASE WHEN ${isOwn} THEN ${q("kh_rid")} END)`,
    q("kh_u1"),
    q("kh_u2"),
    q("kh_u3"),
    q("kh_en"),
    textNull,
    q("kh_row"),
    q("kh_code"),
    slotCase((column) => b.text(column.name)),
    slotCase((column) => b.text(column.column)),
    q("kh_value"),
    q("kh_zh"),
  ];
  outputs.push(
    `SELECT ${q("kh_first")} AS ${q("kh_pos")}, -1 AS ${q("kh_sub")}, ${q("kh_ord")} * ${slots.length} + ${q("kh_fi")} AS ${q("kh_rule")}, ${q("kh_rid")} AS ${q("kh_sortkey")}, ${quality.map((c, i) => `${c} AS ${SQL_RESULT_COLUMNS.map(q)[i]}`).join(", ")} FROM ${q("kh_dq")}`,
  );
  const rejectedCode = d.part(q("kh_why"), b.text("|"), 1);
  const rejected = [
    b.text("rejected"),
    rejectedCode,
    ...Array.from({ length: 8 }, () => textNull),
    d.substring(q("kh_why"), `(${d.length(rejectedCode)} + 2)`, d.length(q("kh_why"))),
    textNull,
    q("kh_row"),
    rejectedCode,
    textNull,
    textNull,
    textNull,
    textNull,
  ];
  // A blank key, or why the record is handed back (its rows' data-quality findings are given by the JavaScript screener).
  const blankKey = `(CASE WHEN r.${key.value} IS NULL THEN ${b.text(`missing_value|${key.label} is empty`)} END)`;
  const why = `COALESCE(${blankKey}, ${b.text(`${personKey ? "household_incomplete|the household is not screened: its rows disagree on its fields, repeat or lack a person, are not together, or hold Excel values with unusable cells" : "duplicate_record|the record's key appears more than once"}`)})`;
  outputs.push(
    `SELECT r.${q("kh_row")} AS ${q("kh_pos")}, 0 AS ${q("kh_sub")}, -1 AS ${q("kh_rule")}, ${b.asText({ t: key.scalar, v: `r.${key.value}`, f: null, nullable: true })} AS ${q("kh_sortkey")}, ${rejected
      .map((c, i) => `${c} AS ${SQL_RESULT_COLUMNS.map(q)[i]}`)
      .join(", ")} FROM (SELECT r.*, ${why} AS ${q("kh_why")} FROM ${q("kh_rows")} r LEFT JOIN ${q("kh_records")} c ON r.${q("kh_key")} = c.${q("kh_rkey")} WHERE r.${key.value} IS NULL OR c.${q("kh_clean")} = ${d.flag("(1 = 0)")}) r`,
  );
  const shown = [...SQL_RESULT_COLUMNS.map(q), ...(b.options.withPosition ? [`${q("kh_pos")} AS ${q("position")}`] : [])];
  const sql = `WITH ${ctes.join(",\n")}\nSELECT ${shown.join(", ")} FROM (\n${outputs.join("\nUNION ALL\n")}\n) AS ${q("kh_out")}\nORDER BY ${q("kh_pos")}, ${q("kh_sortkey")}, ${q("kh_sub")}, ${q("kh_rule")}`;
  void truth;
  return finish(b, sql, plan.skipped, [...householdRules, ...personRules].sort((x, y) => x.index - y.index).map((r) => r.rule.rule.code));
}

/** Where a rule reads an unusable field: the columns (quoted) of the fields it names (empty text where none) and of its undecided message. */
interface Unusable {
  readonly fields: string;
  readonly message: string;
}

/**
 * The data-quality part of the query, for the troubled records it decides: `kh_bad` (their rows
 * with an unusable cell), `kh_dq` (one row per unusable cell, as `RecordAssembler` reports it),
 * and per rule reading a field, what `blocked` in the JavaScript screener gives: `kh_hdet` per
 * household (rules of the record), `kh_pdet` per person (rules of persons). Every troubled record
 * has a row in `kh_dq`, so these are small where the data are clean.
 */
function dataQuality(
  b: QueryBuilder,
  slots: readonly FieldColumn[],
  baseSlots: number,
  householdRules: readonly RuleOutput[],
  personRules: readonly RuleOutput[],
  outerKey: string,
  ctes: string[],
  apart: { readonly memberKey: string; readonly rows: boolean } | undefined,
): { household: Map<number, Unusable>; person: Map<number, Unusable> } {
  const { d, prepared, level } = b;
  const q = (name: string) => b.q(name);
  const { keys, unit } = prepared.rulebook;
  const text = (name: string) => b.asText(b.fieldValue(name));
  const pid = level === "person" ? text(keys.person as string) : `CAST(NULL AS ${d.types.text})`;
  const yes = d.flag("(1 = 1)");
  const decided = `c.${q("kh_clean")} = ${yes} AND c.${q("kh_troubled")} = ${yes}`;
  // PostgreSQL and MySQL with rows: kh_bad and the troubled members come from kh_slots and kh_rows, without reading the member layers.
  const direct = apart?.rows === true;
  if (direct) {
    ctes.push(
      `${q("kh_bad")} AS ${d.materialized}(SELECT s.${q("kh_skey")} AS ${q("kh_key")}, s.${q("kh_srow")} AS ${q("kh_ord")}, s.${q("kh_srow")} AS ${q("kh_row")}, c.${q("kh_first")}, s.${q("kh_sproblem")} AS ${q("kh_problem")}, s.${q("kh_rid")}, s.${q("kh_pid")}, s.${q("kh_u1")}, s.${q("kh_u2")}, s.${q("kh_u3")} FROM ${q("kh_slots")} s JOIN ${q("kh_records")} c ON s.${q("kh_skey")} = c.${q("kh_rkey")} WHERE ${decided})`,
    );
  } else ctes.push(
    // With `apart` (the member key's expression), the problems' text is kh_slots', found by record and member key (one row each in a decided record).
      `${q("kh_bad")} AS ${d.materialized}(SELECT ${q("kh_key")}, ${q("kh_ord")}, ${q("kh_row")}, ${q("kh_first")}, ${apart === undefined ? q("kh_problem") : `${q("kh_sproblem")} AS ${q("kh_problem")}`}, ${text(outerKey)} AS ${q("kh_rid")}, ${pid} AS ${q("kh_pid")}, ${text(unit.county)} AS ${q("kh_u1")}, ${text(unit.township)} AS ${q("kh_u2")}, ${text(unit.village)} AS ${q("kh_u3")} FROM ${q("kh_m")}${apart === undefined ? "" : ` JOIN ${q("kh_slots")} ON ${q("kh_key")} = ${q("kh_skey")} AND ${apart.memberKey} = ${q("kh_spkey")}`} WHERE ${q("kh_troubled")} = ${yes} AND ${q("kh_problem")} IS NOT NULL)`,
  );
  // One scan of kh_bad, each row with every field's number (MySQL computes a CTE again where it is read again); then each unusable
  // cell's reasons, from its code, its field's label and complaint, and the cell, as convertEntry and convertCell word them.
  const slot = q("kh_slot");
  const piece = (n: number) => d.part(slot, b.text(PART), n);
  const kept = ["kh_key", "kh_ord", "kh_row", "kh_first", "kh_rid", "kh_pid", "kh_u1", "kh_u2", "kh_u3"].map(q).join(", ");
  const numbers = slots.map((column) => `SELECT ${column.slot} AS ${q("kh_fi")}`).join(" UNION ALL ");
  const byField = (pick: (column: FieldColumn) => string) => `(CASE ${q("kh_fi")} ${slots.map((column) => `WHEN ${column.slot} THEN ${b.text(pick(column))}`).join(" ")} END)`;
  const [label, complaint, complaintZh] = [byField((c) => c.label), byField((c) => c.complaint), byField((c) => c.complaintZh)];
  const [codeIs, json, cut] = [q("kh_code"), q("kh_json"), q("kh_cut")];
  const shown = `(CASE WHEN ${cut} = ${b.text("")} THEN ${json} ELSE ${cut} END)`;
  // JavaScript's "blank": the cell is text that is not "" (white space only).
  const emptyCell = `(${json} = ${b.text("null")} OR ${json} = ${b.text('""')})`;
  const is = (code: string) => `${codeIs} = ${b.text(code)}`;
  const en = `(CASE WHEN ${is("missing_value")} THEN (CASE WHEN ${emptyCell} THEN ${d.concat([label, b.text(" is empty, but required")])} ELSE ${d.concat([label, b.text(" is blank "), json, b.text(", but required")])} END) WHEN ${is("invalid_encoding")} THEN ${d.concat([label, b.text(" "), shown, b.text(" holds bytes that are not valid in the file's encoding (try --encoding)")])} ELSE ${d.concat([label, b.text(" "), shown, complaint])} END)`;
  const zh = `(CASE WHEN ${is("missing_value")} THEN (CASE WHEN ${emptyCell} THEN ${d.concat([b.text("「"), label, b.text("」为空，但为必填项")])} ELSE ${d.concat([b.text("「"), label, b.text("」只有空白，但为必填项")])} END) WHEN ${is("invalid_encoding")} THEN ${d.concat([b.text("「"), label, b.text("」的值"), shown, b.text("含有不符合文件编码的字节（请用 --encoding 指定编码）")])} ELSE ${d.concat([b.text("「"), label, b.text("」的值"), shown, complaintZh])} END)`;
  const parts = `SELECT ${kept}, ${q("kh_fi")}, ${piece(1)} AS ${codeIs}, ${piece(2)} AS ${json}, ${piece(3)} AS ${cut} FROM (SELECT ${kept}, n.${q("kh_fi")}, ${d.part(q("kh_problem"), b.text(SLOT), `n.${q("kh_fi")} + 1`)} AS ${slot} FROM ${q("kh_bad")} CROSS JOIN (${numbers}) n) s WHERE ${slot} <> ${b.text("")}`;
  ctes.push(`${q("kh_dq")} AS ${d.materialized}(SELECT ${kept}, ${q("kh_fi")}, ${codeIs}, ${json} AS ${q("kh_value")}, ${en} AS ${q("kh_en")}, ${zh} AS ${q("kh_zh")} FROM (${parts}) t)`);

  const reading = (rule: PreparedScreeningRule) => rule.fields.map((name) => b.fields.get(name)).filter((column): column is FieldColumn => column !== undefined);
  const inSlots = (column: string, list: readonly FieldColumn[]) => (list.length === 0 ? "(1 = 0)" : `${column} IN (${list.map((c) => c.slot).join(", ")})`);
  const message = (fields: string, en: string, zh: string) =>
    d.concat([b.text("规则无法判断："), zh, b.text(" (rule could not be decided: it reads "), fields, b.text(", and "), en, b.text(")")]);
  // concat_ws skips NULLs in every dialect: the names of the unusable fields, in the JavaScript screener's order.
  const names = (parts: readonly string[]) => `concat_ws(${b.text(", ")}, ${parts.join(", ")})`;

  // Record rules: the record's unusable fields in name order (as record.unusable is sorted), then, for rules reading the members, the
  // members' in the order they first occur (member by member, field by field), ranked here.
  const household = new Map<number, Unusable>();
  const inner: string[] = [];
  const outer: string[] = [];
  for (const output of householdRules) {
    const reads = reading(output.rule);
    const baseReads = reads.filter((column) => column.slot < baseSlots);
    const ownReads = output.rule.readsMembers ? reads.filter((column) => column.slot >= baseSlots).sort((x, y) => x.slot - y.slot) : [];
    if (baseReads.length + ownReads.length === 0) continue;
    const k = output.index;
    const flag = (j: number) => q(`kh_hb${k}_${j}`);
    const first = (j: number) => q(`kh_ho${k}_${j}`);
    baseReads.forEach((column, j) => inner.push(`MAX(CASE WHEN ${q("kh_fi")} = ${column.slot} THEN 1 ELSE 0 END) AS ${flag(j)}`));
    ownReads.forEach((column, j) => inner.push(`MIN(CASE WHEN ${q("kh_fi")} = ${column.slot} THEN ${q("kh_ord")} END) AS ${first(j)}`));
    const all = [...baseReads, ...ownReads];
    inner.push(`${d.joinOrdered(`(CASE WHEN ${inSlots(q("kh_fi"), all)} THEN ${q("kh_en")} END)`, d.literal("; "), `${q("kh_ord")}, ${q("kh_fi")}`)} AS ${q(`kh_hen${k}`)}`);
    inner.push(`${d.joinOrdered(`(CASE WHEN ${inSlots(q("kh_fi"), all)} THEN ${q("kh_zh")} END)`, d.literal("；"), `${q("kh_ord")}, ${q("kh_fi")}`)} AS ${q(`kh_hzh${k}`)}`);
    const before = (i: number, j: number) => `(CASE WHEN ${first(i)} IS NOT NULL AND ${first(i)} ${i < j ? "<=" : "<"} ${first(j)} THEN 1 ELSE 0 END)`;
    const rank = (j: number) => (ownReads.length === 1 ? "0" : `(${ownReads.map((_, i) => (i === j ? "0" : before(i, j))).join(" + ")})`);
    const ranked = ownReads.map((_, p) => `(CASE ${ownReads.map((column, j) => `WHEN ${first(j)} IS NOT NULL AND ${rank(j)} = ${p} THEN ${b.text(column.name)}`).join(" ")} END)`);
    const fields = names([...baseReads.map((column, j) => `(CASE WHEN ${flag(j)} = 1 THEN ${b.text(column.name)} END)`), ...ranked]);
    outer.push(`${fields} AS ${q(`kh_hf${k}`)}`, `${message(fields, q(`kh_hen${k}`), q(`kh_hzh${k}`))} AS ${q(`kh_hm${k}`)}`);
    household.set(k, { fields: q(`kh_hf${k}`), message: q(`kh_hm${k}`) });
  }
  if (household.size > 0) {
    ctes.push(`${q("kh_hdet")} AS ${d.materialized}(SELECT ${q("kh_hkey")}, ${outer.join(", ")} FROM (SELECT ${q("kh_key")} AS ${q("kh_hkey")}, ${inner.join(", ")} FROM ${q("kh_dq")} GROUP BY ${q("kh_key")}) g)`);
  }

  // Person rules: the household's unusable fields in name order, then the person's own in field order; the reasons of the
  // household's cells on every row and of the person's own cells, by row.
  const person = new Map<number, Unusable>();
  const columns: string[] = [];
  const dq = (name: string) => `dq.${q(name)}`;
  const mine = `${dq("kh_ord")} = m.${q("kh_ord")}`;
  for (const output of personRules) {
    const reads = reading(output.rule);
    const baseReads = reads.filter((column) => column.slot < baseSlots);
    const ownReads = reads.filter((column) => column.slot >= baseSlots).sort((x, y) => x.slot - y.slot);
    if (reads.length === 0) continue;
    const k = output.index;
    const fields = names([
      ...baseReads.map((column) => `(CASE WHEN MAX(CASE WHEN ${dq("kh_fi")} = ${column.slot} THEN 1 ELSE 0 END) = 1 THEN ${b.text(column.name)} END)`),
      ...ownReads.map((column) => `(CASE WHEN MAX(CASE WHEN ${dq("kh_fi")} = ${column.slot} AND ${mine} THEN 1 ELSE 0 END) = 1 THEN ${b.text(column.name)} END)`),
    ]);
    const which = `(${inSlots(dq("kh_fi"), baseReads)} OR (${inSlots(dq("kh_fi"), ownReads)} AND ${mine}))`;
    const order = `${dq("kh_ord")}, ${dq("kh_fi")}`;
    const en = d.joinOrdered(`(CASE WHEN ${which} THEN ${dq("kh_en")} END)`, d.literal("; "), order);
    const zh = d.joinOrdered(`(CASE WHEN ${which} THEN ${dq("kh_zh")} END)`, d.literal("；"), order);
    columns.push(`${fields} AS ${q(`kh_pf${k}`)}`, `${message(fields, en, zh)} AS ${q(`kh_pm${k}`)}`);
    person.set(k, { fields: q(`kh_pf${k}`), message: q(`kh_pm${k}`) });
  }
  if (person.size > 0) {
    ctes.push(
      `${q("kh_pdet")} AS ${d.materialized}(SELECT m.${q("kh_key")} AS ${q("kh_pkey")}, m.${q("kh_ord")} AS ${q("kh_pord")}, ${columns.join(", ")} FROM (${direct ? `SELECT r.${q("kh_key")}, r.${q("kh_row")} AS ${q("kh_ord")} FROM ${q("kh_rows")} r JOIN ${q("kh_records")} c ON r.${q("kh_key")} = c.${q("kh_rkey")} WHERE ${decided}` : `SELECT ${q("kh_key")}, ${q("kh_ord")} FROM ${q("kh_m")} WHERE ${q("kh_troubled")} = ${yes}`}) m JOIN ${q("kh_dq")} dq ON ${dq("kh_key")} = m.${q("kh_key")} GROUP BY m.${q("kh_key")}, m.${q("kh_ord")})`,
    );
  }
  return { household, person };
}

/** Replaces parameter tokens by the dialect's placeholders, collecting values in order. */
function finish(b: QueryBuilder, sql: string, skipped: CompiledSql["skipped"], rules: string[]): CompiledSql {
  const values = b.params.values;
  const params: (string | boolean | number)[] = [];
  const mysql = b.d.name === "mysql";
  const asParam = ({ value }: { value: string | number | boolean }) => (typeof value === "boolean" ? (mysql ? (value ? 1 : 0) : value) : typeof value === "number" ? ruleNumberToString(value) : value);
  let text: string;
  if (mysql) {
    text = sql.replace(/\u0001(\d+)\u0002/g, (_, i: string) => {
      params.push(asParam(values[Number(i)] as { value: string | number | boolean }));
      return "?";
    });
  } else {
    const numbers = new Map<number, number>();
    text = sql.replace(/\u0001(\d+)\u0002/g, (_, i: string) => {
      let n = numbers.get(Number(i));
      if (n === undefined) {
        params.push(asParam(values[Number(i)] as { value: string | number | boolean }));
        n = params.length;
        numbers.set(Number(i), n);
      }
      return b.d.placeholder(n);
    });
  }
  const columns = b.options.withPosition ? [...SQL_RESULT_COLUMNS, "position"] : SQL_RESULT_COLUMNS;
  return { sql: text, params, setup: b.d.preamble, level: b.level, columns, rules, skipped };
}
