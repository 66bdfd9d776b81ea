import type { DialectTable, SqlScalar } from "./dialect";

/*
 * A compiled sub-expression of a rule. kaohe's values are typed statically here: every field has
 * a declared type, parameters and literals have theirs, and each operator's result type follows
 * from its operands'. `v` is the SQL value (NULL where kaohe has null); `f` is the SQL failure:
 * NULL while the sub-expression succeeds, else text "code|message", the same code and message as
 * the JavaScript engine's error. Every SQL expression written here is total (it never raises for
 * any data), so that sub-expressions may be computed eagerly while `f` keeps JSON Logic's order.
 */

/** The static type of a compiled sub-expression. @internal */
export type ExprType = SqlScalar | "null" | "truth" | "list";

/** A compiled sub-expression. @internal */
export interface SqlExpr {
  /** `truth`: only its truthiness is known (`v` is then a SQL boolean); `list`: a literal array. */
  readonly t: ExprType;
  readonly v: string;
  /** The failure text, or null when it cannot fail. */
  readonly f: string | null;
  /** Whether `v` may be NULL (kaohe null). */
  readonly nullable: boolean;
  /** The value, when it is a compile-time constant. */
  readonly lit?: { readonly value: unknown };
  /** The layer of its relation whose columns it reads (0: the relation's own columns). */
  readonly h?: number;
  /** Text known to be a month (`YYYY-MM`) or a date (`YYYY-MM-DD`) wherever it is not NULL: a month or date field's value. */
  readonly month?: boolean;
}

/** A construct the compiler cannot translate exactly: names the rule's place and the operator. */
export class UntranslatableError extends Error {
  constructor(
    readonly op: string,
    readonly path: readonly (string | number)[],
    readonly reason: string,
  ) {
    super(`operator "${op}" at ${path.join(".") || "when"}: ${reason}`);
    this.name = "UntranslatableError";
  }
}

/** What sub-expression compilers need: the dialect, parameters and SQL helpers. @internal */
export interface ExprContext {
  readonly d: DialectTable;
  /** A bound parameter of a scalar type. */
  param(value: string | number | boolean, type: SqlScalar): string;
  /** A constant text of the compiler (bound as a parameter). */
  text(value: string): string;
}

export const TRUE = "(1 = 1)";
export const FALSE = "(1 = 0)";

/** JSON Logic truthiness of a sub-expression, as a SQL boolean that is never NULL (success assumed). */
export function truth(e: SqlExpr, cx: ExprContext): string {
  switch (e.t) {
    case "truth":
      return e.v;
    case "null":
      return FALSE;
    case "list":
      return Array.isArray(e.lit?.value) && e.lit.value.length > 0 ? TRUE : FALSE;
    case "number":
      return `(${e.v} IS NOT NULL AND ${e.v} <> 0)`;
    case "text":
      return `(${e.v} IS NOT NULL AND ${cx.d.length(e.v)} > 0)`;
    case "boolean":
      return `(${e.v} IS NOT NULL AND ${e.v} = TRUE)`;
  }
}

/** The first failure of a list, in order (COALESCE evaluates in order). */
export function firstFailure(failures: readonly (string | null)[]): string | null {
  const present = failures.filter((f): f is string => f !== null);
  if (present.length === 0) return null;
  return present.length === 1 ? (present[0] as string) : `COALESCE(${present.join(", ")})`;
}

/** A number as JavaScript's `String(n)` writes it (no trailing zeros). */
export function numberText(v: string, cx: ExprContext): string {
  const s = cx.d.numberText(v);
  const dot = cx.d.contains(s, cx.d.literal("."));
  return `(CASE WHEN ${dot} THEN ${cx.d.rtrimChar(cx.d.rtrimChar(s, cx.d.literal("0")), cx.d.literal("."))} ELSE ${s} END)`;
}

/** What JSON.stringify writes for backslash, quote and the control characters U+0001 to U+001F (U+0000 cannot be a bound text in PostgreSQL). */
const JSON_ESCAPES: readonly (readonly [string, string])[] = [
  ["\\", "\\\\"],
  ['"', '\\"'],
  ...Array.from({ length: 31 }, (_, i): [string, string] => {
    const char = String.fromCharCode(i + 1);
    return [char, JSON.stringify(char).slice(1, -1)];
  }),
];

/** Escapes text for a JSON string's inside as JSON.stringify does (backslash, quote, control characters). */
export function jsonEscape(v: string, cx: ExprContext): string {
  let out = v;
  for (const [from, to] of JSON_ESCAPES) out = `REPLACE(${out}, ${cx.text(from)}, ${cx.text(to)})`;
  return out;
}

/** Text as `describeValue` writes it in error messages: JSON, cut after 40 characters. */
function describeText(v: string, cx: ExprContext): string {
  const cut = `(CASE WHEN ${cx.d.length(v)} > 40 THEN ${cx.d.concat([cx.d.substring(v, "1", "40"), cx.text("…")])} ELSE ${v} END)`;
  return cx.d.concat([cx.text('"'), jsonEscape(cut, cx), cx.text('"')]);
}

/** Non-NULL text as `showValue` writes it: JSON, cut to 57 characters and "..." beyond 60. */
export function showText(v: string, cx: ExprContext): string {
  const d = cx.d;
  const cut = `(CASE WHEN ${d.length(v)} > 60 THEN ${d.concat([d.substring(v, "1", "57"), cx.text("...")])} ELSE ${v} END)`;
  return d.concat([cx.text('"'), jsonEscape(cut, cx), cx.text('"')]);
}

/** A value as `showValue` writes it in the screening operations' messages (`not_a_month`, `not_text`). */
export function showValue(e: SqlExpr, cx: ExprContext): string {
  return valueText(e, cx, showText, "show");
}

/** A value as the JavaScript engine's error messages describe it. */
export function describe(e: SqlExpr, cx: ExprContext): string {
  return valueText(e, cx, describeText, "describe");
}

/**
 * A value in a message: null, a number, a boolean, text as `text` writes it, or (for `show` only)
 * a list; a nullable value is null where it is NULL.
 */
function valueText(e: SqlExpr, cx: ExprContext, text: (v: string, cx: ExprContext) => string, verb: "show" | "describe"): string {
  let known: string;
  switch (e.t) {
    case "null":
      return cx.text("null");
    case "list":
      if (verb === "show") return cx.text("an array");
      throw new Error(`cannot ${verb} a ${e.t}`);
    case "number":
      known = numberText(e.v, cx);
      break;
    case "boolean":
      known = `(CASE WHEN ${e.v} = TRUE THEN ${cx.text("true")} ELSE ${cx.text("false")} END)`;
      break;
    case "text":
      known = text(e.v, cx);
      break;
    default:
      throw new Error(`cannot ${verb} a ${e.t}`);
  }
  return e.nullable ? `(CASE WHEN ${e.v} IS NULL THEN ${cx.text("null")} ELSE ${known} END)` : known;
}

/** A failure text: "code|" followed by the message parts (SQL texts). */
export function failure(code: string, parts: readonly string[], cx: ExprContext): string {
  return cx.d.concat([cx.text(`${code}|`), ...parts]);
}

/** A plain decimal numeral that converts exactly into the dialect's number type. */
export const NUMERAL_SQL = "^[+-]?([0-9]{1,24}([.][0-9]*)?|[.][0-9]+)$";
/** Any numeral the JavaScript engine accepts (sign, exponent). */
export const NUMERAL_JS = "^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$";

/**
 * An operand converted to a number as `toNumber` does: `v` is the number (NULL when it fails) and
 * `f` the failure: `not_a_number` for null, booleans and text that is not a numeral.
 */
export function toNumber(e: SqlExpr, op: string, cx: ExprContext, path: readonly (string | number)[]): { v: string; f: string | null } {
  const nan = () => failure("not_a_number", [cx.text(`operator "${op}" needs numbers, got `), describe(e, cx)], cx);
  switch (e.t) {
    case "number":
      return { v: e.v, f: e.nullable ? `(CASE WHEN ${e.v} IS NULL THEN ${nan()} END)` : null };
    case "null":
    case "boolean":
      return { v: `CAST(NULL AS ${cx.d.types.number})`, f: nan() };
    case "text": {
      const exact = cx.d.matches(e.v, cx.d.literal(NUMERAL_SQL));
      const js = cx.d.matches(e.v, cx.d.literal(NUMERAL_JS));
      const v = `(CASE WHEN ${exact} THEN ${cx.d.numberFromText(e.v)} END)`;
      const untranslatable = failure("sql_untranslatable", [cx.text(`operator "${op}" got the numeral `), describe(e, cx), cx.text(", which SQL cannot convert exactly")], cx);
      const f = `(CASE WHEN ${e.v} IS NULL THEN ${nan()} WHEN ${exact} THEN NULL WHEN ${js} THEN ${untranslatable} ELSE ${nan()} END)`;
      return { v, f };
    }
    default:
      throw new UntranslatableError(op, path, `an operand is ${e.t === "list" ? "an array" : "a value of mixed type"}, which SQL cannot treat as a number`);
  }
}

/** A value as `cat` and `substr` write it: null as "", numbers as JavaScript does, booleans as true/false. */
export function toText(e: SqlExpr, op: string, cx: ExprContext, path: readonly (string | number)[]): string {
  let known: string;
  switch (e.t) {
    case "null":
      return cx.text("");
    case "text":
      known = e.v;
      break;
    case "number":
      known = numberText(e.v, cx);
      break;
    case "boolean":
      known = `(CASE WHEN ${e.v} = TRUE THEN ${cx.text("true")} ELSE ${cx.text("false")} END)`;
      break;
    default:
      throw new UntranslatableError(op, path, "an operand is an array or of mixed type, which SQL cannot write as text");
  }
  return e.nullable ? `COALESCE(${known}, ${cx.text("")})` : known;
}
