import { Decimal } from "decimal.js";
import { COST } from "./limits";

/*
 * Exact decimal arithmetic on JS numbers.
 *
 * A number stands for its shortest round-trip decimal (`String(n)`): 0.1 is one tenth. Each
 * operation computes the exact decimal result and returns the JS number nearest to it (ties to
 * even), which is what `Number(exactDecimalString)` gives. Decimals have no negative zero, so
 * no result is -0 (`+ 0` turns -0 into 0). When that result has at most 15
 * significant digits, `String(result)` is exactly it. Division is exact the same way: the quotient
 * is rounded once, to the nearest JS number (the slow path works to 120 significant digits first).
 *
 * Fast path: a number whose decimal has at most 15 significant digits and at most MAX_SCALE
 * places is an integer r over 10^k; integer arithmetic on such r is exact below 2^53, and one
 * IEEE division by a power of ten (or of two such integers) is correctly rounded. Only the rest
 * goes to decimal.js, in private clones (never `Decimal.set`).
 */

/** Exact for +, − and × of any two JS numbers: their exact results have fewer digits. */
const Exact = Decimal.clone({ precision: 1_000, rounding: Decimal.ROUND_HALF_EVEN, modulo: Decimal.ROUND_DOWN });
/** Division: 120 significant digits, half even, before the final rounding to a JS number. */
const Quotient = Decimal.clone({ precision: 120, rounding: Decimal.ROUND_HALF_EVEN });

/** The number of decimal places the fast path handles. */
const MAX_SCALE = 10;
const POW10: readonly number[] = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20];
/** Scaled integers stay below this, so rounding recovers them and sums stay exact. */
const SCALED_LIMIT = 1e15;
const SAFE = Number.MAX_SAFE_INTEGER;

/**
 * The number of decimal places k of a finite number whose decimal is an integer below 10^15 over
 * 10^k (or a safe integer, k = 0), else -1.
 *
 * @internal
 */
export function scaleOf(x: number): number {
  if (Number.isInteger(x)) return x <= SAFE && x >= -SAFE ? 0 : -1;
  for (let k = 1; k <= MAX_SCALE; k++) {
    const s = POW10[k] as number;
    const r = Math.round(x * s);
    // r / s is the number nearest r·10^-k; equality with x means x's decimal is r·10^-k, since two
    // decimals of at most 15 significant digits never share a JS number.
    if (r / s === x) return r < SCALED_LIMIT && r > -SCALED_LIMIT ? k : -1;
  }
  return -1;
}

/** Whether n is an integer scaled from a 2-place decimal that stays in the exact range. */
function cents(x: number, r: number): boolean {
  return r / 100 === x && r < SCALED_LIMIT && r > -SCALED_LIMIT;
}

/*
 * Each operation tries, in order: both safe integers; both decimals of at most 2 places (money,
 * the common case, tested with one multiplication and one division each); both decimals of at
 * most MAX_SCALE places; decimal.js. The `…Fast` functions stop before decimal.js and return NaN
 * (no fast result is NaN), so that the operators can charge the slow path's cost first
 * ({@link decimalCost}); the `…Exact` functions do both.
 */

/** Exact sum on the fast path, or NaN. @internal */
export function addFast(a: number, b: number): number {
  if (Number.isInteger(a) && Number.isInteger(b)) {
    const sum = a + b;
    if (sum <= SAFE && sum >= -SAFE && a <= SAFE && a >= -SAFE && b <= SAFE && b >= -SAFE) return sum + 0;
  } else {
    const ra = Math.round(a * 100);
    const rb = Math.round(b * 100);
    if (cents(a, ra) && cents(b, rb)) return (ra + rb) / 100 + 0;
  }
  const s = commonScale(a, b);
  if (s > 0) return (Math.round(a * s) + Math.round(b * s)) / s + 0;
  return Number.NaN;
}

/** Exact sum through decimal.js. @internal */
export function addSlow(a: number, b: number): number {
  return new Exact(a).plus(b).toNumber() + 0;
}

/** Exact difference on the fast path, or NaN. @internal */
export function subtractFast(a: number, b: number): number {
  return addFast(a, -b);
}

/** Exact difference through decimal.js. @internal */
export function subtractSlow(a: number, b: number): number {
  return addSlow(a, -b);
}

/** Exact product on the fast path, or NaN. @internal */
export function multiplyFast(a: number, b: number): number {
  const ka = scaleOf(a);
  if (ka >= 0) {
    const kb = scaleOf(b);
    if (kb >= 0) {
      const ra = ka === 0 ? a : Math.round(a * (POW10[ka] as number));
      const rb = kb === 0 ? b : Math.round(b * (POW10[kb] as number));
      const p = ra * rb;
      if (p <= SAFE && p >= -SAFE) return (ka + kb === 0 ? p : p / (POW10[ka + kb] as number)) + 0;
    }
  }
  return Number.NaN;
}

/** Exact product through decimal.js. @internal */
export function multiplySlow(a: number, b: number): number {
  return new Exact(a).times(b).toNumber() + 0;
}

/**
 * The power of ten s (1 for integers) that makes both numbers integers below 10^15 (or safe
 * integers), or 0 when either is not on the fast path. The callers scale with Math.round(x * s).
 */
function commonScale(a: number, b: number): number {
  const ka = scaleOf(a);
  if (ka < 0) return 0;
  const kb = scaleOf(b);
  if (kb < 0) return 0;
  const s = POW10[ka > kb ? ka : kb] as number;
  const ra = s === 1 ? a : Math.round(a * s);
  const rb = s === 1 ? b : Math.round(b * s);
  return s === 1 || (ra < SCALED_LIMIT && ra > -SCALED_LIMIT && rb < SCALED_LIMIT && rb > -SCALED_LIMIT) ? s : 0;
}

/** Exact quotient (b ≠ 0) on the fast path, or NaN. @internal */
export function divideFast(a: number, b: number): number {
  // Both operands are made exact integers below 2^53, so one IEEE division rounds the exact
  // quotient correctly.
  if (Number.isInteger(a) && Number.isInteger(b)) {
    if (a <= SAFE && a >= -SAFE && b <= SAFE && b >= -SAFE) return a / b + 0;
  } else {
    const ra = Math.round(a * 100);
    const rb = Math.round(b * 100);
    if (cents(a, ra) && cents(b, rb)) return ra / rb + 0;
  }
  const s = commonScale(a, b);
  if (s > 0) return Math.round(a * s) / Math.round(b * s) + 0;
  return Number.NaN;
}

/** Exact quotient (b ≠ 0) through decimal.js at 120 digits, rounded once. @internal */
export function divideSlow(a: number, b: number): number {
  return new Quotient(a).div(b).toNumber() + 0;
}

/** Exact remainder of a truncating division (b ≠ 0) on the fast path, or NaN. @internal */
export function remainderFast(a: number, b: number): number {
  const s = commonScale(a, b);
  if (s > 0) return (Math.round(a * s) % Math.round(b * s)) / s + 0;
  return Number.NaN;
}

/** Exact remainder through decimal.js. @internal */
export function remainderSlow(a: number, b: number): number {
  return new Exact(a).mod(b).toNumber() + 0;
}

/** Exact sum of two finite numbers, rounded once to the nearest JS number. @internal */
export function addExact(a: number, b: number): number {
  const r = addFast(a, b);
  return r === r ? r : addSlow(a, b);
}

/** Exact difference of two finite numbers, rounded once. @internal */
export function subtractExact(a: number, b: number): number {
  return addExact(a, -b);
}

/** Exact product of two finite numbers, rounded once. @internal */
export function multiplyExact(a: number, b: number): number {
  const r = multiplyFast(a, b);
  return r === r ? r : multiplySlow(a, b);
}

/**
 * Exact quotient of two finite numbers (b ≠ 0), rounded once to the nearest JS number.
 *
 * @internal
 */
export function divideExact(a: number, b: number): number {
  const r = divideFast(a, b);
  return r === r ? r : divideSlow(a, b);
}

/**
 * Exact remainder of a truncating division (sign of `a`, as JS `%`), b ≠ 0.
 *
 * @internal
 */
export function remainderExact(a: number, b: number): number {
  const r = remainderFast(a, b);
  return r === r ? r : remainderSlow(a, b);
}

/** The decimal magnitude of a finite number: the power of ten of its leading digit (0 for 0). */
function magnitude(x: number): number {
  return x === 0 ? 0 : Math.floor(Math.log10(Math.abs(x)));
}

/**
 * The cost, in steps of the `maxSteps` budget, of one operation through decimal.js: a base (twice
 * for `/`, which works to 120 digits), plus
 * the digits the exact result spans between the operands' magnitudes for `+` and `-` (an addition
 * of 1e308 and 1e-300 writes 608 digits), and four times the digits of the quotient for `%` (the
 * remainder divides them all out). `*` and `/` work on at most 17 and 120 digits.
 *
 * @internal
 */
export function decimalCost(op: "+" | "-" | "*" | "/" | "%", a: number, b: number): number {
  const base = COST.decimalBase;
  if (op === "*") return base;
  if (op === "/") return 2 * base;
  const spread = magnitude(a) - magnitude(b);
  if (op === "%") return base + 4 * COST.decimalPerDigit * (spread > 0 ? spread : 0);
  return base + COST.decimalPerDigit * (spread > 0 ? spread : -spread);
}

/**
 * Writes a rule's number as a plain decimal string, the form kaohe's scoring and decimal.js read:
 * the number's exact decimal value (its shortest round-trip digits), never in exponent notation.
 *
 * @param value - A finite number, typically a rule's result.
 * @returns The plain decimal string, e.g. `"0.3"` or `"1000000000000000000000"`.
 * @throws {RangeError} When the value is NaN or infinite.
 * @example
 * ```ts
 * import { evaluateRule, ruleNumberToString } from "kaohe";
 * ruleNumberToString(evaluateRule({ "+": [0.1, 0.2] }, {}) as number); //=> "0.3"
 * ruleNumberToString(1e21); //=> "1000000000000000000000"
 * ruleNumberToString(1.5e-7); //=> "0.00000015"
 * ```
 */
export function ruleNumberToString(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`ruleNumberToString needs a finite number, got ${String(value)}`);
  const text = String(value);
  if (!/e/i.test(text)) return text === "-0" ? "0" : text;
  return new Exact(value).toFixed();
}
