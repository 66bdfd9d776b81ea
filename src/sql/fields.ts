import type { Field, FieldType } from "../screening/schema";
import type { SqlScalar } from "./dialect";
import type { ExprContext } from "./expr";

/*
 * Cell conversion in SQL, one entry per field type, as `convertCell` does it in JavaScript: the
 * cell trimmed of JavaScript's white space, blank as null (a text field with `trim: false` keeps
 * the raw text, an empty cell as ""), then the type's own check (a text field's code table). Each entry
 * gives the typed value (NULL when empty or invalid) and the problem ("code|reason", NULL if none).
 */

/** JavaScript's `String.prototype.trim` white space, as a character set. */
export const JS_WHITESPACE = "\t\n\u000b\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff";

/** The same set as a regular expression of the leading or trailing run (for MySQL). */
export const JS_TRIM_PATTERN = `^[${JS_WHITESPACE}]+|[${JS_WHITESPACE}]+$`;

/** A cell, as SQL texts: the raw text and the trimmed text (NULL when blank). @internal */
export interface CellSql {
  readonly raw: string;
  readonly text: string;
}

/** One field type's conversion. @internal */
export interface FieldConversion {
  /** The SQL scalar type of its values. */
  readonly scalar: SqlScalar;
  /**
   * The typed value of the non-blank text, NULL when it is invalid: the cell is parsed once, and
   * its validity is whether this is NULL (a valid text never parses to NULL).
   */
  parse(cell: CellSql, field: Field, cx: ExprContext): string;
  /**
   * The problem's code (`invalid_value` or `not_allowed`), the English reason's end after the label
   * and value (e.g. " is not a number") and the Chinese one's (e.g. "不是数字"), as `convertCell` words them.
   */
  readonly complaint: (field: Field) => readonly [code: string, text: string, zh: string];
}

/** Plain decimals that cast into every dialect's number type without overflow. */
const CASTABLE_DECIMAL = "^-?0*[0-9]{1,16}([.][0-9]+)?$";
const TRUE_WORDS = ["是", "true", "y", "yes", "1"];
const FALSE_WORDS = ["否", "false", "n", "no", "0"];
const MONTH_FORMS = "^[0-9]{4}([0-9]{2}|[-/.][0-9]{1,2}|年[0-9]{1,2}月)$";
const DATE_FORMS = "^[0-9]{4}([-/.年][0-9]{1,2}[-/.月][0-9]{1,2}日?|[0-9]{4})$";
/** The accepted date forms with year, month and day as groups 1, 2 or 4, and 3 or 5. */
const DATE_GROUPS = "^([0-9]{4})(?:[-/.年]([0-9]{1,2})[-/.月]([0-9]{1,2})日?|([0-9]{2})([0-9]{2}))$";

/**
 * ORs of equalities. Not `IN (…)`: DuckDB plans an IN list of bound parameters as a hash (mark)
 * join over every row, one per list, which cost about a sixth of the compiled query (decision 0705).
 */
function anyOf(text: string, words: readonly string[], cx: ExprContext): string {
  return `(${words.map((word) => cx.d.textEquals(text, cx.text(word))).join(" OR ")})`;
}

/** A plain decimal as a number, NULL unless it is one within JavaScript's safe integers. */
function numberParse(cell: CellSql, cx: ExprContext): string {
  const d = cx.d;
  // The common cell (up to 12 digits and 6 decimals) by one match and one short cast, where the dialect has a faster cast for it.
  const common = d.shortNumber ? `WHEN ${d.matches(cell.text, d.literal("^-?[0-9]{1,12}([.][0-9]{1,6})?$"))} THEN ${d.shortNumber(cell.text)} ` : "";
  const value = d.numberFromText(cell.text);
  // Below a trillion, a plain decimal is within JavaScript's safe integers without converting it.
  const short = d.matches(cell.text, d.literal("^-?[0-9]{1,12}([.][0-9]+)?$"));
  const castable = d.matches(cell.text, d.literal(CASTABLE_DECIMAL));
  return `(CASE ${common}WHEN ${short} THEN ${value} WHEN ${castable} AND ABS(${value}) < ${cx.param("9007199254740991.5", "number")} THEN ${value} END)`;
}

/** Year, month and day of a date text in one of the accepted forms (only read when it matches). */
function dateParts(text: string, cx: ExprContext): { y: string; m: string; day: string } {
  const d = cx.d;
  const compact = d.matches(text, cx.d.literal("^[0-9]{8}$"));
  const rest = d.replaceAll(d.substring(text, "6", "10"), cx.d.literal("[-/.年月日]"), cx.text("-"));
  const pick = (compactFrom: string, n: number) => `(CASE WHEN ${compact} THEN ${d.substring(text, compactFrom, "2")} ELSE ${d.part(rest, cx.text("-"), n)} END)`;
  return { y: d.substring(text, "1", "4"), m: pick("5", 1), day: pick("7", 2) };
}

function dateValid(cell: CellSql, cx: ExprContext): string {
  const d = cx.d;
  const form = d.matches(cell.text, cx.d.literal(DATE_FORMS));
  const { y, m, day } = dateParts(cell.text, cx);
  const guard = (part: string) => `(CASE WHEN ${form} THEN ${d.integer(part)} END)`;
  const year = guard(y);
  const month = guard(m);
  const date = guard(day);
  const leap = `((${d.mod(year, "4")} = 0 AND ${d.mod(year, "100")} <> 0) OR ${d.mod(year, "400")} = 0)`;
  const days = `(CASE WHEN ${month} = 2 THEN (CASE WHEN ${leap} THEN 29 ELSE 28 END) WHEN ${month} IN (4, 6, 9, 11) THEN 30 ELSE 31 END)`;
  return `(${form} AND ${month} BETWEEN 1 AND 12 AND ${date} >= 1 AND ${date} <= ${days})`;
}

function dateValue(cell: CellSql, cx: ExprContext): string {
  const d = cx.d;
  const { y, m, day } = dateParts(cell.text, cx);
  const two = (part: string) => `(CASE WHEN ${d.length(part)} = 1 THEN ${d.concat([cx.text("0"), part])} ELSE ${part} END)`;
  return d.concat([y, cx.text("-"), two(m), cx.text("-"), two(day)]);
}

/** The month of a month text in one of the accepted forms (only read when it matches). */
function monthPart(text: string, cx: ExprContext): string {
  const d = cx.d;
  const compact = d.matches(text, d.literal("^[0-9]{6}$"));
  return `(CASE WHEN ${compact} THEN ${d.substring(text, "5", "2")} ELSE ${d.replaceAll(d.substring(text, "6", "3"), d.literal("[月]"), cx.text(""))} END)`;
}

function monthValid(cell: CellSql, cx: ExprContext): string {
  const form = cx.d.matches(cell.text, cx.d.literal(MONTH_FORMS));
  const month = `(CASE WHEN ${form} THEN ${cx.d.integer(monthPart(cell.text, cx))} END)`;
  return `(${form} AND ${month} BETWEEN 1 AND 12)`;
}

function monthValue(cell: CellSql, cx: ExprContext): string {
  const d = cx.d;
  const m = monthPart(cell.text, cx);
  return d.concat([d.substring(cell.text, "1", "4"), cx.text("-"), `(CASE WHEN ${d.length(m)} = 1 THEN ${d.concat([cx.text("0"), m])} ELSE ${m} END)`]);
}

/** The text when `valid` holds, else NULL. */
const when = (valid: string, value: string) => `(CASE WHEN ${valid} THEN ${value} END)`;

/** The conversion table, by field type. @internal */
export const FIELD_CONVERSIONS: Readonly<Record<FieldType, FieldConversion>> = {
  text: {
    scalar: "text",
    parse: (cell, field, cx) => (field.allowed ? when(anyOf(cell.text, field.allowed, cx), cell.text) : cell.text),
    complaint: (field) => ["not_allowed", ` is not in its code table (${(field.allowed ?? []).join("/")})`, `不在代码表内（${(field.allowed ?? []).join("/")}）`],
  },
  number: {
    scalar: "number",
    parse: (cell, _field, cx) => numberParse(cell, cx),
    complaint: () => ["invalid_value", " is not a number", "不是数字"],
  },
  date: {
    scalar: "text",
    parse: (cell, _field, cx) => {
      const form = cx.d.matches(cell.text, cx.d.literal(DATE_FORMS));
      // DuckDB's own calendar check, on the text rewritten as Y-M-D, is one cast instead of the arithmetic.
      if (!cx.d.dateFromText) return when(dateValid(cell, cx), dateValue(cell, cx));
      // A date already written YYYY-MM-DD (the common cell) is itself when it is a calendar date: one match and one cast.
      const written = cx.d.matches(cell.text, cx.d.literal("^[0-9]{4}-[0-9]{2}-[0-9]{2}$"));
      return `(CASE WHEN ${written} THEN (CASE WHEN TRY_CAST(${cell.text} AS DATE) IS NOT NULL THEN ${cell.text} END) ELSE ${when(form, cx.d.dateFromText(cell.text, DATE_GROUPS))} END)`;
    },
    complaint: () => ["invalid_value", " is not a date (write YYYY-MM-DD)", "不是日期（应写作 YYYY-MM-DD）"],
  },
  month: {
    scalar: "text",
    parse: (cell, _field, cx) => when(monthValid(cell, cx), monthValue(cell, cx)),
    complaint: () => ["invalid_value", " is not a month (write YYYYMM, YYYY-MM or YYYY年M月)", "不是年月（应写作 YYYYMM、YYYY-MM 或 YYYY年M月）"],
  },
  boolean: {
    scalar: "boolean",
    // 是 and 否 (the usual cells) first, by plain comparison; the other words through LOWER.
    parse: (cell, _field, cx) =>
      `(CASE WHEN ${cx.d.textEquals(cell.text, cx.text("是"))} THEN TRUE WHEN ${cx.d.textEquals(cell.text, cx.text("否"))} THEN FALSE WHEN ${anyOf(`LOWER(${cell.text})`, TRUE_WORDS, cx)} THEN TRUE WHEN ${anyOf(`LOWER(${cell.text})`, FALSE_WORDS, cx)} THEN FALSE END)`,
    complaint: () => ["invalid_value", " is not 是 or 否", "不是「是」或「否」"],
  },
};
