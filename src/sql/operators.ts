import type { JsonLogicRule } from "../rules/index";
import {
  FALSE,
  TRUE,
  UntranslatableError,
  describe,
  failure,
  firstFailure,
  showValue,
  toNumber,
  toText,
  truth,
  type ExprContext,
  type ExprType,
  type SqlExpr,
} from "./expr";
import { FAST_PRODUCT_BOUND, SMALL_FACTOR } from "./dialect";
import { JS_TRIM_PATTERN, JS_WHITESPACE } from "./fields";

/*
 * The translation table: one entry per JSON Logic operator. An operator not listed here, or an
 * operand combination an entry cannot translate exactly, is a compile error naming the rule and
 * the operator: never a condition that silently matches or drops rows.
 */

/** What an operator entry may ask of the rule compiler. @internal */
export interface RuleScope extends ExprContext {
  /** Compiles an argument. */
  compile(rule: JsonLogicRule, path: readonly (string | number)[]): SqlExpr;
  /**
   * Compiles the operands of `and`/`or` in order; `proceeds` tells (as SQL, for an operand that
   * succeeded) whether the next one is reached. Where the dialect guards operands, each later
   * operand's columns are computed only where it is reached.
   */
  inOrder(args: readonly JsonLogicRule[], at: readonly (string | number)[], proceeds: (e: SqlExpr) => string): SqlExpr[];
  /** Gives a sub-expression its own columns, so that parents refer to it by name. */
  node(t: ExprType, v: string, f: string | null, nullable: boolean, children: readonly SqlExpr[]): SqlExpr;
  /** `var` of a literal path (with a default for absent paths). */
  variable(path: string, fallback: SqlExpr | undefined, at: readonly (string | number)[]): SqlExpr;
  /** Whether a path names a value present in the data (absent paths read as the default). */
  present(path: string): boolean;
  /** `some`/`all`/`none` over the household's members. */
  quantify(kind: "some" | "all" | "none", source: JsonLogicRule, body: JsonLogicRule, at: readonly (string | number)[]): SqlExpr;
}

/** An operator's translation: its arguments (already as a list) to a sub-expression. @internal */
export type OperatorTranslation = (args: readonly JsonLogicRule[], at: readonly (string | number)[], scope: RuleScope, op: string) => SqlExpr;

const compileAll = (args: readonly JsonLogicRule[], at: readonly (string | number)[], scope: RuleScope) =>
  args.map((arg, i) => scope.compile(arg, [...at, i]));

function arity(op: string, args: readonly unknown[], at: readonly (string | number)[], min: number, max: number): void {
  if (args.length < min || args.length > max) throw new UntranslatableError(op, at, `takes ${min === max ? min : `${min} to ${max}`} arguments, got ${args.length}`);
}

/** The value type shared by sub-expressions, or undefined when they differ (null fits any). */
function commonType(exprs: readonly SqlExpr[]): ExprType | undefined {
  let type: ExprType | undefined;
  for (const e of exprs) {
    if (e.t === "null") continue;
    if (e.t === "truth" || e.t === "list") return undefined;
    if (type !== undefined && type !== e.t) return undefined;
    type = e.t;
  }
  return type ?? "null";
}

/** A value of a chosen branch, typed when the branches share a type, else known only by truthiness. */
function choose(branches: readonly { when: string; e: SqlExpr }[], otherwise: SqlExpr, scope: RuleScope, children: readonly SqlExpr[]): { t: ExprType; v: string; nullable: boolean } {
  const all = [...branches.map((b) => b.e), otherwise];
  const type = commonType(all);
  const pick = (value: (e: SqlExpr) => string) => `(CASE ${branches.map((b) => `WHEN ${b.when} THEN ${value(b.e)}`).join(" ")} ELSE ${value(otherwise)} END)`;
  if (type === undefined) return { t: "truth", v: pick((e) => truth(e, scope)), nullable: false };
  if (type === "null") return { t: "null", v: "NULL", nullable: true };
  void children;
  const value = (e: SqlExpr) => (e.t === "null" ? `CAST(NULL AS ${scope.d.types[type as "number" | "text" | "boolean"]})` : e.v);
  return { t: type, v: pick(value), nullable: all.some((e) => e.nullable) };
}

/** `and` / `or`: the first falsy (truthy) operand or the last, failures only of operands reached. */
const logic =
  (stopOnFalsy: boolean): OperatorTranslation =>
  (args, at, scope, op) => {
    arity(op, args, at, 1, Infinity);
    const exprs = scope.inOrder(args, at, (e) => (stopOnFalsy ? truth(e, scope) : `NOT ${truth(e, scope)}`));
    if (exprs.length === 1) return exprs[0] as SqlExpr;
    const stops = exprs.slice(0, -1).map((e) => ({ when: stopOnFalsy ? `NOT ${truth(e, scope)}` : truth(e, scope), e }));
    const last = exprs[exprs.length - 1] as SqlExpr;
    const value = choose(stops, last, scope, exprs);
    // The failure of operand i counts when every operand before it succeeded and did not stop.
    const arms: string[] = [];
    exprs.forEach((e, i) => {
      if (e.f !== null) arms.push(`WHEN ${e.f} IS NOT NULL THEN ${e.f}`);
      if (i < exprs.length - 1) arms.push(`WHEN ${(stops[i] as { when: string }).when} THEN NULL`);
    });
    const f = exprs.some((e) => e.f !== null) ? `(CASE ${arms.join(" ")} END)` : null;
    return scope.node(value.t, value.v, f, value.nullable, exprs);
  };

const ifThenElse: OperatorTranslation = (args, at, scope, op) => {
  if (args.length === 0) return scope.node("null", "NULL", null, true, []);
  const exprs = compileAll(args, at, scope);
  if (exprs.length === 1) return exprs[0] as SqlExpr;
  const branches: { when: string; e: SqlExpr; test: SqlExpr }[] = [];
  let i = 0;
  for (; i < exprs.length - 1; i += 2) branches.push({ when: truth(exprs[i] as SqlExpr, scope), e: exprs[i + 1] as SqlExpr, test: exprs[i] as SqlExpr });
  const otherwise = i === exprs.length - 1 ? (exprs[i] as SqlExpr) : scope.node("null", "NULL", null, true, []);
  const value = choose(branches, otherwise, scope, exprs);
  const arms: string[] = [];
  for (const b of branches) {
    if (b.test.f !== null) arms.push(`WHEN ${b.test.f} IS NOT NULL THEN ${b.test.f}`);
    arms.push(`WHEN ${b.when} THEN ${b.e.f ?? "NULL"}`);
  }
  arms.push(`ELSE ${otherwise.f ?? "NULL"}`);
  const f = exprs.some((e) => e.f !== null) ? `(CASE ${arms.join(" ")} END)` : null;
  void op;
  return scope.node(value.t, value.v, f, value.nullable, exprs);
};

const not =
  (negate: boolean): OperatorTranslation =>
  (args, at, scope, op) => {
    arity(op, args, at, 1, 1);
    const [a] = compileAll(args, at, scope) as [SqlExpr];
    const t = truth(a, scope);
    return scope.node("boolean", negate ? `(NOT ${t})` : t, a.f, false, [a]);
  };

/** Null-safe equality of two typed operands, or undefined when it cannot be exact. */
function equality(a: SqlExpr, b: SqlExpr, strict: boolean, scope: RuleScope): string | undefined {
  const bothNull = `(${a.nullable ? `${a.v} IS NULL` : FALSE} AND ${b.nullable ? `${b.v} IS NULL` : FALSE})`;
  if (a.t === "truth" || b.t === "truth" || a.t === "list" || b.t === "list") return undefined;
  if (a.t === "null" || b.t === "null") {
    const other = a.t === "null" ? b : a;
    return other.t === "null" ? TRUE : other.nullable ? `(${other.v} IS NULL)` : FALSE;
  }
  let eq: string;
  if (a.t === b.t) eq = a.t === "text" ? scope.d.textEquals(a.v, b.v) : `(${a.v} = ${b.v})`;
  else if (strict) return bothNull;
  else if ((a.t === "number" && b.t === "boolean") || (a.t === "boolean" && b.t === "number")) {
    const [n, flag] = a.t === "number" ? [a, b] : [b, a];
    eq = `(${n.v} = (CASE WHEN ${flag.v} = TRUE THEN 1 ELSE 0 END))`;
  } else return undefined;
  if (!a.nullable && !b.nullable) return eq;
  const anyNull = [a, b].filter((e) => e.nullable).map((e) => `${e.v} IS NULL`).join(" OR ");
  return `(CASE WHEN ${anyNull} THEN ${bothNull} ELSE ${eq} END)`;
}

const equals =
  (negate: boolean, strict: boolean): OperatorTranslation =>
  (args, at, scope, op) => {
    arity(op, args, at, 2, 2);
    const [a, b] = compileAll(args, at, scope) as [SqlExpr, SqlExpr];
    const eq = equality(a, b, strict, scope);
    if (eq === undefined) {
      throw new UntranslatableError(op, at, `compares a ${a.t} with a ${b.t}; JavaScript's loose equality converts text to numbers in ways SQL cannot match exactly (compare values of one type)`);
    }
    return scope.node("boolean", negate ? `(NOT ${eq})` : eq, firstFailure([a.f, b.f]), false, [a, b]);
  };

/** The outcome of ordering two operands: a SQL comparison and the failure `compareValues` raises. */
function order(a: SqlExpr, op: string, b: SqlExpr, sqlOp: string, scope: RuleScope, at: readonly (string | number)[]): { v: string; f: string | null } {
  if (a.t === "truth" || b.t === "truth" || a.t === "list" || b.t === "list") throw new UntranslatableError(op, at, "orders an array or a value of mixed type");
  const notComparable = failure("not_comparable", [scope.text(`operator "${op}" cannot order `), describe(a, scope), scope.text(" and "), describe(b, scope)], scope);
  const orderable = (e: SqlExpr) => e.t === "number" || e.t === "text";
  if (!orderable(a) || !orderable(b)) return { v: FALSE, f: notComparable };
  const nulls = [a, b].filter((e) => e.nullable).map((e) => `${e.v} IS NULL`);
  const nullCheck = nulls.length > 0 ? `WHEN ${nulls.join(" OR ")} THEN ${notComparable} ` : "";
  if (a.t === "text" && b.t === "text") {
    return { v: `COALESCE(${scope.d.textOrder(a.v, sqlOp, b.v)}, ${FALSE})`, f: nulls.length > 0 ? `(CASE ${nullCheck}END)` : null };
  }
  const x = toNumber(a, op, scope, at);
  const y = toNumber(b, op, scope, at);
  const conversions = [x.f, y.f].filter((f): f is string => f !== null);
  const converted = firstFailure(conversions);
  const f = nullCheck === "" ? converted : `(CASE ${nullCheck}ELSE ${converted ?? "NULL"} END)`;
  return { v: `COALESCE((${x.v} ${sqlOp} ${y.v}), ${FALSE})`, f };
}

const ordering =
  (sqlOp: "<" | "<=" | ">" | ">="): OperatorTranslation =>
  (args, at, scope, op) => {
    const between = sqlOp === "<" || sqlOp === "<=";
    arity(op, args, at, 2, between ? 3 : 2);
    const exprs = compileAll(args, at, scope);
    const [a, b, c] = exprs as [SqlExpr, SqlExpr, SqlExpr | undefined];
    const first = order(a, op, b, sqlOp, scope, at);
    const operands = firstFailure(exprs.map((e) => e.f));
    if (c === undefined) return scope.node("boolean", first.v, firstFailure([operands, first.f]), false, exprs);
    const second = order(b, op, c, sqlOp, scope, at);
    const f = firstFailure([operands, first.f, second.f === null ? null : `(CASE WHEN ${first.v} THEN ${second.f} END)`]);
    return scope.node("boolean", `(${first.v} AND ${second.v})`, f, false, exprs);
  };

/** n-ary arithmetic: two operands are fetched then converted; more are converted one by one. */
function arithmetic(op: string, exprs: readonly SqlExpr[], scope: RuleScope, at: readonly (string | number)[], fold: (x: string, y: string, i: number) => string): { v: string; f: string | null } {
  const numbers = exprs.map((e) => toNumber(e, op, scope, at));
  const f =
    exprs.length === 2
      ? firstFailure([exprs[0]?.f ?? null, exprs[1]?.f ?? null, numbers[0]?.f ?? null, numbers[1]?.f ?? null])
      : firstFailure(exprs.flatMap((e, i) => [e.f, numbers[i]?.f ?? null]));
  let v = numbers[0]?.v ?? "NULL";
  for (let i = 1; i < numbers.length; i++) v = fold(v, (numbers[i] as { v: string }).v, i);
  return { v, f };
}

const asNumber = (scope: RuleScope, v: string) => `CAST(${v} AS ${scope.d.types.number})`;

const plus: OperatorTranslation = (args, at, scope, op) => {
  const exprs = compileAll(args, at, scope);
  if (exprs.length === 0) return scope.node("number", scope.param(0, "number"), null, false, []);
  const { v, f } = arithmetic(op, exprs, scope, at, (x, y) => asNumber(scope, `(${x} + ${y})`));
  return scope.node("number", exprs.length === 1 ? asNumber(scope, v) : v, f, false, exprs);
};

/** Whether an operand is a whole-number constant (a literal or a parameter) that the dialect's fast product takes. */
const wholeFactor = (e: SqlExpr | undefined): boolean =>
  e?.t === "number" && typeof e.lit?.value === "number" && Number.isInteger(e.lit.value) && Math.abs(e.lit.value) <= SMALL_FACTOR;

const times: OperatorTranslation = (args, at, scope, op) => {
  arity(op, args, at, 1, Infinity);
  const compiled = compileAll(args, at, scope);
  const fast = scope.d.timesWhole;
  // A product is exact and commutative: with two operands, a whole constant on the left goes to the right (failures keep their order).
  const exprs = fast && compiled.length === 2 && wholeFactor(compiled[0]) && !wholeFactor(compiled[1]) ? [compiled[1] as SqlExpr, compiled[0] as SqlExpr] : compiled;
  const held: SqlExpr[] = [];
  const { v } = arithmetic(op, exprs, scope, at, (x, y, i) => {
    if (fast === undefined || !wholeFactor(exprs[i])) return asNumber(scope, `(${x} * ${y})`);
    // The fast form reads the other factor twice: it is a column of its own.
    const factor = scope.node("number", x, null, false, [...exprs.slice(0, i), ...held]);
    held.push(factor);
    return fast(factor.v, y, scope.param(FAST_PRODUCT_BOUND, "number"));
  });
  const { f } = arithmetic(op, compiled, scope, at, (x, y) => `(${x} * ${y})`);
  return scope.node("number", v, f, false, [...exprs, ...held]);
};

const minus: OperatorTranslation = (args, at, scope, op) => {
  arity(op, args, at, 1, 2);
  const exprs = compileAll(args, at, scope);
  if (exprs.length === 1) {
    const [a] = exprs as [SqlExpr];
    const x = toNumber(a, op, scope, at);
    return scope.node("number", asNumber(scope, `(0 - ${x.v})`), firstFailure([a.f, x.f]), false, exprs);
  }
  const { v, f } = arithmetic(op, exprs, scope, at, (x, y) => asNumber(scope, `(${x} - ${y})`));
  return scope.node("number", v, f, false, exprs);
};

const remainder: OperatorTranslation = (args, at, scope, op) => {
  arity(op, args, at, 2, 2);
  const exprs = compileAll(args, at, scope);
  const [x, y] = exprs.map((e) => toNumber(e, op, scope, at)) as [{ v: string; f: string | null }, { v: string; f: string | null }];
  const zero = failure("division_by_zero", [scope.text(`operator "${op}" cannot divide `), describe({ t: "number", v: x.v, f: null, nullable: false }, scope), scope.text(" by zero")], scope);
  const f = firstFailure([exprs[0]?.f ?? null, exprs[1]?.f ?? null, x.f, y.f, `(CASE WHEN ${y.v} = 0 THEN ${zero} END)`]);
  const v = `(CASE WHEN ${y.v} <> 0 THEN ${scope.d.remainder(x.v, y.v)} END)`;
  return scope.node("number", v, f, false, exprs);
};

const extreme =
  (largest: boolean): OperatorTranslation =>
  (args, at, scope, op) => {
    arity(op, args, at, 1, Infinity);
    const exprs = compileAll(args, at, scope);
    const cmp = largest ? ">" : "<";
    const { v, f } = arithmetic(op, exprs, scope, at, (x, y) => `(CASE WHEN ${y} ${cmp} ${x} THEN ${y} ELSE ${x} END)`);
    return scope.node("number", v, f, false, exprs);
  };

const divide: OperatorTranslation = (_args, at, _scope, op) => {
  throw new UntranslatableError(op, at, "kaohe rounds an exact quotient to the nearest double, which no SQL engine reproduces exactly; multiply instead (a / b < c as a < b * c with b > 0)");
};

/** `in`: membership in a literal array (strict, as a Set), or a substring of text. */
const within: OperatorTranslation = (args, at, scope, op) => {
  arity(op, args, at, 2, 2);
  const exprs = compileAll(args, at, scope);
  const [needle, haystack] = exprs as [SqlExpr, SqlExpr];
  const f = firstFailure([needle.f, haystack.f]);
  if (haystack.t === "list") {
    const items = haystack.lit?.value as readonly unknown[];
    if (needle.t === "truth" || needle.t === "list") throw new UntranslatableError(op, at, "looks for an array or a value of mixed type");
    const tests: string[] = [];
    if (needle.nullable && items.includes(null)) tests.push(`${needle.v} IS NULL`);
    for (const item of items) {
      if (item === null || needle.t === "null") continue;
      const kind = typeof item === "number" ? "number" : typeof item === "string" ? "text" : typeof item === "boolean" ? "boolean" : undefined;
      if (kind !== needle.t) continue;
      const value = scope.param(item as string | number | boolean, kind);
      tests.push(kind === "text" ? scope.d.textEquals(needle.v, value) : `(${needle.v} = ${value})`);
    }
    const v = tests.length === 0 ? FALSE : `COALESCE(${tests.join(" OR ")}, ${FALSE})`;
    return scope.node("boolean", v, f, false, exprs);
  }
  if (haystack.t === "text" || haystack.t === "null") {
    if (haystack.t === "null") return scope.node("boolean", FALSE, f, false, exprs);
    const text = toText(needle, op, scope, at);
    const v = `COALESCE(${scope.d.contains(haystack.v, text)}, ${FALSE})`;
    return scope.node("boolean", v, f, false, exprs);
  }
  if (haystack.t === "number" || haystack.t === "boolean") return scope.node("boolean", FALSE, f, false, exprs);
  throw new UntranslatableError(op, at, "looks in an array that is not written in the rule");
};

const concatenate: OperatorTranslation = (args, at, scope, op) => {
  const exprs = compileAll(args, at, scope);
  if (exprs.length === 0) return scope.node("text", scope.text(""), null, false, []);
  const parts = exprs.map((e) => toText(e, op, scope, at));
  return scope.node("text", parts.length === 1 ? (parts[0] as string) : scope.d.concat(parts), firstFailure(exprs.map((e) => e.f)), false, exprs);
};

/** A literal whole position of `substr` (start or length), as JavaScript truncates it; undefined when computed. */
function position(e: SqlExpr | undefined): number | undefined {
  const value = e?.lit?.value;
  const n = typeof value === "number" ? value : typeof value === "string" && /^[+-]?\d+(\.\d*)?$/.test(value) ? Number(value) : undefined;
  return n === undefined || !Number.isFinite(n) ? undefined : Math.trunc(n);
}

/**
 * `substr`: the text, then the start and the length each converted to a number and truncated
 * (in that order, as the JavaScript engine fails first on the first of them); a negative start
 * counts from the end, a negative length stops that many before the end. Positions computed by
 * the rule are held between 0 and the text's length before they become integers.
 */
const substring: OperatorTranslation = (args, at, scope, op) => {
  arity(op, args, at, 2, 3);
  const exprs = compileAll(args, at, scope);
  const [source, startE, countE] = exprs as [SqlExpr, SqlExpr, SqlExpr | undefined];
  const d = scope.d;
  const text = toText(source, op, scope, at);
  const length = d.length(text);
  const failures: (string | null)[] = [source.f];
  const clamp = (x: string, low: string, high: string) => `(CASE WHEN ${x} < ${low} THEN ${low} WHEN ${x} > ${high} THEN ${high} ELSE ${x} END)`;
  /** A position: a literal, or the truncated number of a computed operand (NULL where it fails). */
  const operand = (e: SqlExpr): { literal?: number; v: string } => {
    failures.push(e.f);
    const literal = position(e);
    if (literal !== undefined) return { literal, v: String(literal) };
    const n = toNumber(e, op, scope, at);
    failures.push(n.f);
    return { v: d.trunc(n.v) };
  };
  const start = operand(startE);
  const from =
    start.literal !== undefined
      ? start.literal >= 0
        ? String(start.literal)
        : `(CASE WHEN ${length} + (${start.literal}) > 0 THEN ${length} + (${start.literal}) ELSE 0 END)`
      : d.integer(`(CASE WHEN ${start.v} < 0 THEN ${clamp(`${length} + ${start.v}`, "0", length)} ELSE ${clamp(start.v, "0", length)} END)`);
  const rest = `(CASE WHEN ${length} - ${from} > 0 THEN ${length} - ${from} ELSE 0 END)`;
  let take = rest;
  if (countE !== undefined) {
    const count = operand(countE);
    take =
      count.literal !== undefined
        ? count.literal >= 0
          ? String(count.literal)
          : `(CASE WHEN ${rest} + (${count.literal}) > 0 THEN ${rest} + (${count.literal}) ELSE 0 END)`
        : d.integer(`(CASE WHEN ${count.v} < 0 THEN ${clamp(`${rest} + ${count.v}`, "0", rest)} ELSE ${clamp(count.v, "0", rest)} END)`);
  }
  const v = d.substring(text, `(${from} + 1)`, take);
  return scope.node("text", v, firstFailure(failures), false, exprs);
};

const variable: OperatorTranslation = (args, at, scope, op) => {
  arity(op, args, at, 0, 2);
  const [path, fallback] = args;
  if (typeof path !== "string" || path === "") throw new UntranslatableError(op, at, "reads a path that is not written in the rule as text");
  const fallbackExpr = fallback === undefined ? undefined : scope.compile(fallback, [...at, 1]);
  return scope.variable(path, fallbackExpr, at);
};

/** The literal keys of `missing`: a list of texts, or one array of them. */
function missingKeys(args: readonly JsonLogicRule[], op: string, at: readonly (string | number)[]): string[] {
  const list = args.length === 1 && Array.isArray(args[0]) ? (args[0] as readonly unknown[]) : args;
  if (!list.every((key): key is string => typeof key === "string")) throw new UntranslatableError(op, at, "takes keys written in the rule as texts");
  return [...list];
}

function absent(key: string, scope: RuleScope, at: readonly (string | number)[]): string {
  if (!scope.present(key)) return TRUE;
  const e = scope.variable(key, undefined, at);
  if (e.t === "text") return `(${e.v} IS NULL OR ${scope.d.length(e.v)} = 0)`;
  return e.nullable ? `(${e.v} IS NULL)` : FALSE;
}

const missing: OperatorTranslation = (args, at, scope, op) => {
  const keys = missingKeys(args, op, at);
  const v = keys.length === 0 ? FALSE : `(${keys.map((key) => absent(key, scope, at)).join(" OR ")})`;
  return scope.node("truth", v, null, false, []);
};

const missingSome: OperatorTranslation = (args, at, scope, op) => {
  arity(op, args, at, 2, 2);
  const [need, keys] = args;
  if (typeof need !== "number" || !Array.isArray(keys)) throw new UntranslatableError(op, at, "takes a number and an array of keys written in the rule");
  const list = missingKeys([keys as JsonLogicRule], op, at);
  if (list.length === 0) return scope.node("truth", FALSE, null, false, []);
  const present = `(${list.map((key) => `(CASE WHEN ${absent(key, scope, at)} THEN 0 ELSE 1 END)`).join(" + ")})`;
  return scope.node("truth", `(${present} < ${need} AND ${present} < ${list.length})`, null, false, []);
};

const quantifier =
  (kind: "some" | "all" | "none"): OperatorTranslation =>
  (args, at, scope, op) => {
    arity(op, args, at, 2, 2);
    return scope.quantify(kind, args[0] as JsonLogicRule, args[1] as JsonLogicRule, at);
  };

/** The failure of a screening operation called with the wrong number of arguments (after its arguments are computed). */
function wrongArity(op: string, wanted: number, exprs: readonly SqlExpr[], scope: RuleScope): string | null {
  if (exprs.length === wanted) return null;
  return scope.text(`invalid_arguments|${op} takes ${wanted} argument${wanted > 1 ? "s" : ""}, got ${exprs.length}`);
}

/** `YYYY-MM` or `YYYY-MM-DD` (the screening operations' month or date); the length check keeps MySQL's `$` from matching before a final line break. */
const MONTH_OR_DATE = "^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$";

/** An operand's year and month (integers, read only where it is a month) and the failure where it is not. */
interface MonthParts {
  readonly year: string;
  readonly month: string;
  readonly f: string | null;
}

/**
 * The year and month of an operand, as `monthIndex` of the screening operations reads them: the
 * `not_a_month` failure unless the operand is a month or date text with a month from 1 to 12.
 */
function monthIndex(e: SqlExpr, op: string, scope: RuleScope, at: readonly (string | number)[]): MonthParts {
  const d = scope.d;
  const fail = failure("not_a_month", [scope.text(`${op} needs a month (YYYY-MM) or a date (YYYY-MM-DD), got `), showValue(e, scope)], scope);
  if (e.t === "truth") throw new UntranslatableError(op, at, "an operand is a value of mixed type, which SQL cannot read as a month");
  const none = `CAST(NULL AS ${d.types.number})`;
  if (e.t !== "text") return { year: none, month: none, f: fail };
  const year = d.integer(d.substring(e.v, "1", "4"));
  const month = d.integer(d.substring(e.v, "6", "2"));
  if (e.month) return { year, month, f: e.nullable ? `(CASE WHEN ${e.v} IS NULL THEN ${fail} END)` : null };
  const form = `(${d.length(e.v)} IN (7, 10) AND ${d.matches(e.v, d.literal(MONTH_OR_DATE))})`;
  // The digits are read as integers only where the form matched (CASE evaluates in order).
  const valid = `(CASE WHEN ${e.v} IS NULL THEN ${FALSE} WHEN ${form} THEN ${month} BETWEEN 1 AND 12 ELSE ${FALSE} END)`;
  return { year: `(CASE WHEN ${valid} THEN ${year} END)`, month: `(CASE WHEN ${valid} THEN ${month} END)`, f: `(CASE WHEN NOT ${valid} THEN ${fail} END)` };
}

/**
 * `months_between`, `month_year`, `month_number`: the operands computed in order, then the month
 * count of each (the last operand's first, as `months_between` subtracts), then the arithmetic.
 */
const months =
  (combine: (parts: readonly MonthParts[]) => string, wanted: number): OperatorTranslation =>
  (args, at, scope, op) => {
    const exprs = compileAll(args, at, scope);
    const arityFailure = wrongArity(op, wanted, exprs, scope);
    if (arityFailure !== null) return scope.node("number", `CAST(NULL AS ${scope.d.types.number})`, firstFailure([...exprs.map((e) => e.f), arityFailure]), true, exprs);
    // Each operand's year and month get columns of their own: the combination reads them by name.
    const parts = exprs.map((e) => {
      const read = monthIndex(e, op, scope, at);
      const year = scope.node("number", read.year, read.f, true, [e]);
      const month = scope.node("number", read.month, null, true, [e]);
      return { parts: { year: year.v, month: month.v, f: year.f }, nodes: [year, month] };
    });
    const f = firstFailure([...exprs.map((e) => e.f), ...[...parts].reverse().map((x) => x.parts.f)]);
    const v = `CAST(${combine(parts.map((x) => x.parts))} AS ${scope.d.types.number})`;
    return scope.node("number", v, f, false, parts.flatMap((x) => x.nodes));
  };

/** `trim`: text without JavaScript's white space at either end; null stays null; anything else is `not_text`. */
const trimText: OperatorTranslation = (args, at, scope, op) => {
  const exprs = compileAll(args, at, scope);
  const arityFailure = wrongArity(op, 1, exprs, scope);
  if (arityFailure !== null) return scope.node("text", `CAST(NULL AS ${scope.d.types.text})`, firstFailure([...exprs.map((e) => e.f), arityFailure]), true, exprs);
  const [e] = exprs as [SqlExpr];
  if (e.t === "null") return scope.node("null", "NULL", e.f, true, exprs);
  if (e.t === "text") return scope.node("text", scope.d.trim(e.v, scope.d.literal(JS_WHITESPACE), scope.d.literal(JS_TRIM_PATTERN)), e.f, e.nullable, exprs);
  if (e.t === "truth") throw new UntranslatableError(op, at, "an operand is a value of mixed type, which SQL cannot trim");
  const fail = failure("not_text", [scope.text("trim needs text, got "), showValue(e, scope)], scope);
  // null (a blank number or boolean) stays null; a value is not text.
  const own = e.nullable ? `(CASE WHEN ${e.v} IS NOT NULL THEN ${fail} END)` : fail;
  return scope.node("null", "NULL", firstFailure([e.f, own]), true, exprs);
};

const refuse =
  (reason: string): OperatorTranslation =>
  (_args, at, _scope, op) => {
    throw new UntranslatableError(op, at, reason);
  };

/** The translation table of JSON Logic operators. @internal */
export const SQL_OPERATORS: ReadonlyMap<string, OperatorTranslation> = new Map<string, OperatorTranslation>([
  ["var", variable],
  ["missing", missing],
  ["missing_some", missingSome],
  ["and", logic(true)],
  ["or", logic(false)],
  ["if", ifThenElse],
  ["?:", ifThenElse],
  ["!", not(true)],
  ["!!", not(false)],
  ["==", equals(false, false)],
  ["!=", equals(true, false)],
  ["===", equals(false, true)],
  ["!==", equals(true, true)],
  ["<", ordering("<")],
  ["<=", ordering("<=")],
  [">", ordering(">")],
  [">=", ordering(">=")],
  ["+", plus],
  ["-", minus],
  ["*", times],
  ["/", divide],
  ["%", remainder],
  ["max", extreme(true)],
  ["min", extreme(false)],
  ["in", within],
  ["cat", concatenate],
  ["substr", substring],
  ["some", quantifier("some")],
  ["all", quantifier("all")],
  ["none", quantifier("none")],
  ["map", refuse("builds arrays, which SQL rows do not hold; use some/all/none over members")],
  ["filter", refuse("builds arrays, which SQL rows do not hold; use some/all/none over members")],
  ["reduce", refuse("folds arrays, which SQL rows do not hold; use some/all/none over members")],
  ["merge", refuse("builds arrays, which SQL rows do not hold")],
  ["log", refuse("is for debugging and has no SQL form")],
  // (year(to) − year(from)) × 12 + month(to) − month(from); the year and month of one (monthIndex ÷ 12 and its remainder + 1).
  ["months_between", months(([from, to]) => `((${to?.year} - ${from?.year}) * 12 + ${to?.month} - ${from?.month})`, 2)],
  ["month_year", months(([m]) => `${m?.year}`, 1)],
  ["month_number", months(([m]) => `${m?.month}`, 1)],
  ["trim", trimText],
]);

export { TRUE as SQL_TRUE, FALSE as SQL_FALSE };
