import type { IssuePath } from "../internal/errors";
import { COST, describeValue, evaluationError, MAX_NUMERAL_LENGTH } from "./limits";
import type { Compiler, EvalState, Site } from "./compile";

/*
 * How operators look at values. None of these calls a method of the data (no toString, valueOf,
 * indexOf or getter on a prototype): values are inspected by type, and only own properties are read.
 */

const hasOwn = Object.prototype.hasOwnProperty;

/** Path segments that never reach data: they lead to prototypes in JS. @internal */
export const UNSAFE_SEGMENTS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** JSON Logic truthiness: JS truthiness, except that an empty array is false. @internal */
export function truthy(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : !!value;
}

/**
 * Reads one own property of a value: own keys of objects and arrays, indexes and `length` of
 * strings. Anything else, and anything inherited, reads as `undefined` (missing).
 *
 * @internal
 */
export function readOwn(value: unknown, key: string): unknown {
  if (typeof value === "object") {
    if (value !== null && hasOwn.call(value, key)) return (value as Record<string, unknown>)[key];
    return undefined;
  }
  if (typeof value === "string") {
    if (key === "length") return value.length;
    return hasOwn.call(value, key) ? value[Number(key)] : undefined;
  }
  return undefined;
}

/**
 * `{"var": key}` for a one-step key with no default: the own property, or null when missing.
 * A plain function, so that TurboFan inlines it into the operators that read operands directly.
 *
 * @internal
 */
export function readKey(data: unknown, key: string): unknown {
  if (typeof data === "object" && data !== null) {
    if (!hasOwn.call(data, key)) return null;
    const value = (data as Record<string, unknown>)[key];
    return value === undefined ? null : value;
  }
  const value = data === undefined ? undefined : readOwn(data, key);
  return value === undefined ? null : value;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Scans a decimal numeral as JSON writes numbers, with a sign and an exponent allowed
 * (`[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?`), in one pass: no backtracking, so that no text
 * takes longer than its length. Returns the index where the numeral stops matching (the length
 * when all of it is one).
 */
function scanNumeral(text: string, end: number): { readonly stop: number; readonly whole: boolean } {
  let i = 0;
  let c = text.charCodeAt(0);
  if (c === 43 || c === 45) i++;
  let digits = 0;
  while (i < end && isDigit(text.charCodeAt(i))) {
    i++;
    digits++;
  }
  if (i < end && text.charCodeAt(i) === 46) {
    i++;
    while (i < end && isDigit(text.charCodeAt(i))) {
      i++;
      digits++;
    }
  }
  if (digits === 0) return { stop: i, whole: false };
  c = text.charCodeAt(i);
  if (i < end && (c === 101 || c === 69)) {
    i++;
    c = text.charCodeAt(i);
    if (i < end && (c === 43 || c === 45)) i++;
    let exponent = 0;
    while (i < end && isDigit(text.charCodeAt(i))) {
      i++;
      exponent++;
    }
    if (exponent === 0) return { stop: i, whole: false };
  }
  return { stop: i, whole: i === text.length };
}

/**
 * Whether a text is a decimal numeral (see {@link MAX_NUMERAL_LENGTH} for its length).
 *
 * @internal
 */
export function isNumeral(text: string): boolean {
  return text.length > 0 && text.length <= MAX_NUMERAL_LENGTH && scanNumeral(text, text.length).whole;
}

/**
 * Converts an operand of arithmetic or numeric comparison: a finite number as it is, a string
 * holding a decimal numeral to the nearest JS number. Anything else is an error naming the
 * operator: NaN, ±Infinity, BigInt, symbols and functions are `invalid_data`; other JSON values
 * (null, booleans, arrays, objects, text) are `not_a_number`; a numeral of more than
 * {@link MAX_NUMERAL_LENGTH} characters is `numeral_too_long`.
 *
 * @internal
 */
export function toNumber(value: unknown, op: string, path: IssuePath): number {
  if (typeof value === "number") {
    if (value - value === 0) return value;
    throw evaluationError("invalid_data", path, `operator "${op}" got ${describeValue(value)}, which is not a finite number`);
  }
  if (typeof value === "string" && value.length > 0) {
    if (value.length <= MAX_NUMERAL_LENGTH) {
      if (scanNumeral(value, value.length).whole) {
        const n = Number(value);
        if (n - n === 0) return n;
      }
    } else if (scanNumeral(value, MAX_NUMERAL_LENGTH + 1).stop > MAX_NUMERAL_LENGTH) {
      throw evaluationError(
        "numeral_too_long",
        path,
        `operator "${op}" got a numeral of ${value.length} characters (${describeValue(value)}), more than ${MAX_NUMERAL_LENGTH}, the longest read as a number`,
      );
    }
  }
  return throwNotANumber(value, op, path);
}

/**
 * The number {@link toNumber} gives a numeral, when reading it is free: a text of at most
 * {@link COST}.freeText characters (longer numerals are charged to the step budget when read)
 * that is a decimal numeral; NaN for any other text. It may be ±Infinity ("1e999"), which
 * toNumber refuses: callers treat a result that is not finite as unknown.
 *
 * @internal
 */
export function freeNumeral(text: string): number {
  if (text.length === 0 || text.length > COST.freeText || !scanNumeral(text, text.length).whole) return Number.NaN;
  return Number(text);
}

function throwNotANumber(value: unknown, op: string, path: IssuePath): never {
  const kind = typeof value;
  if (kind === "bigint" || kind === "symbol" || kind === "function" || kind === "undefined") {
    throw evaluationError("invalid_data", path, `operator "${op}" got ${describeValue(value)}, which is not a JSON value`);
  }
  throw evaluationError("not_a_number", path, `operator "${op}" needs numbers, got ${describeValue(value)}`);
}

/**
 * JSON Logic `==` without coercing objects: an array or object equals only itself; primitives
 * compare with JS loose equality (which calls no user code for primitives).
 *
 * @internal
 */
export function looseEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((typeof a === "object" && a !== null) || typeof a === "function") return false;
  if ((typeof b === "object" && b !== null) || typeof b === "function") return false;
  // eslint-disable-next-line eqeqeq -- JSON Logic's == is JS loose equality on primitives.
  return a == b;
}

/**
 * Orders two operands of `<`, `<=`, `>`, `>=`: numbers and numeric strings by exact decimal value
 * (a JS number's order is its decimal's order), two strings by code units as JS does. Returns a
 * negative number, zero or a positive number.
 *
 * @internal
 */
export function compareValues(a: unknown, b: unknown, op: string, path: IssuePath): number {
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  const sa = typeof a === "string" || typeof a === "number";
  const sb = typeof b === "string" || typeof b === "number";
  if (!sa || !sb) {
    const bad = sa ? b : a;
    const kind = typeof bad;
    if (kind === "bigint" || kind === "symbol" || kind === "function" || kind === "undefined") {
      throw evaluationError("invalid_data", path, `operator "${op}" got ${describeValue(bad)}, which is not a JSON value`);
    }
    throw evaluationError("not_comparable", path, `operator "${op}" cannot order ${describeValue(a)} and ${describeValue(b)}`);
  }
  const x = toNumber(a, op, path);
  const y = toNumber(b, op, path);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Writes a value as `cat` and `substr` see it (JS `Array.prototype.join` rules, without calling
 * methods): null → "", arrays joined by commas, plain objects "[object Object]". Non-JSON values
 * and arrays nested deeper than `maxDepth` (or cyclic) are `invalid_data`. An array costs one step
 * per element, charged before it is walked, and the text it builds is held to maxStringLength.
 *
 * @internal
 */
export function toText(value: unknown, site: Site, cx: Compiler, state: EvalState): string {
  switch (typeof value) {
    case "string":
      return value;
    case "number":
      if (value - value === 0) return String(value);
      break;
    case "boolean":
      return value ? "true" : "false";
    case "object":
      if (value === null) return "";
      if (!Array.isArray(value)) return "[object Object]";
      return joinArray(value, site, cx, state, []);
    default:
      break;
  }
  throw evaluationError("invalid_data", site.path, `operator "${site.op}" cannot write ${describeValue(value)} as text`);
}

function joinArray(array: readonly unknown[], site: Site, cx: Compiler, state: EvalState, open: unknown[]): string {
  const maxDepth = cx.options.maxDepth;
  if (open.includes(array) || open.length >= maxDepth) {
    throw evaluationError("invalid_data", site.path, `operator "${site.op}" met an array nested more than ${maxDepth} deep, or containing itself`);
  }
  cx.chargeSteps(state, array.length, site);
  open.push(array);
  let out = "";
  for (let i = 0; i < array.length; i++) {
    if (i > 0) out += ",";
    const item: unknown = hasOwn.call(array, i) ? array[i] : undefined;
    if (item !== null && item !== undefined) {
      out += Array.isArray(item) ? joinArray(item, site, cx, state, open) : toText(item, site, cx, state);
    }
    // chargeBuilt throws here: the text is past the limit.
    if (out.length > cx.options.maxStringLength) cx.chargeBuilt(state, out.length, site);
  }
  open.pop();
  return out;
}
