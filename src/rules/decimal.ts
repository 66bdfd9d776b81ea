import { Decimal } from "decimal.js";

/*
 * Exact decimal arithmetic on JS numbers.
 *
 * A number stands for its shortest round-trip decimal (`String(n)`): 0.1 is one tenth. Each
 * operation computes the exact decimal result and returns the JS number nearest to it (ties to
 * even), which is what `Number(exactDecimalString)` gives. When that result has at most 15
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

/** Exact sum of two finite numbers, rounded once to the nearest JS number. @internal */
export function addExact(a: number, b: number): number {
  const ka = scaleOf(a);
  if (ka >= 0) {
    const kb = scaleOf(b);
    if (kb >= 0) {
      if ((ka | kb) === 0) {
        const sum = a + b;
        if (sum <= SAFE && sum >= -SAFE) return sum;
      } else {
        const s = POW10[ka > kb ? ka : kb] as number;
        const ra = Math.round(a * s);
        const rb = Math.round(b * s);
        if (ra < SCALED_LIMIT && ra > -SCALED_LIMIT && rb < SCALED_LIMIT && rb > -SCALED_LIMIT) return (ra + rb) / s;
      }
    }
  }
  return new Exact(a).plus(b).toNumber();
}

/** Exact difference of two finite numbers, rounded once. @internal */
export function subtractExact(a: number, b: number): number {
  return addExact(a, -b);
}

/** Exact product of two finite numbers, rounded once. @internal */
export function multiplyExact(a: number, b: number): number {
  const ka = scaleOf(a);
  if (ka >= 0) {
    const kb = scaleOf(b);
    if (kb >= 0) {
      const ra = ka === 0 ? a : Math.round(a * (POW10[ka] as number));
      const rb = kb === 0 ? b : Math.round(b * (POW10[kb] as number));
      const p = ra * rb;
      if (p <= SAFE && p >= -SAFE) return ka + kb === 0 ? p : p / (POW10[ka + kb] as number);
    }
  }
  return new Exact(a).times(b).toNumber();
}

/** Brings two fast-path numbers to one scale; null when either is too large. */
function commonScale(a: number, b: number): [number, number] | null {
  const ka = scaleOf(a);
  if (ka < 0) return null;
  const kb = scaleOf(b);
  if (kb < 0) return null;
  if ((ka | kb) === 0) return [a, b];
  const s = POW10[ka > kb ? ka : kb] as number;
  const ra = Math.round(a * s);
  const rb = Math.round(b * s);
  return ra < SCALED_LIMIT && ra > -SCALED_LIMIT && rb < SCALED_LIMIT && rb > -SCALED_LIMIT ? [ra, rb] : null;
}

/**
 * Exact quotient of two finite numbers (b ≠ 0), rounded once to the nearest JS number.
 *
 * @internal
 */
export function divideExact(a: number, b: number): number {
  const scaled = commonScale(a, b);
  // Both are exact integers below 2^53, so one IEEE division rounds the exact quotient correctly.
  if (scaled !== null) return scaled[0] / scaled[1];
  return new Quotient(a).div(b).toNumber();
}

/**
 * Exact remainder of a truncating division (sign of `a`, as JS `%`), b ≠ 0.
 *
 * @internal
 */
export function remainderExact(a: number, b: number): number {
  const ka = scaleOf(a);
  const kb = scaleOf(b);
  if ((ka | kb) === 0) return a % b;
  const scaled = commonScale(a, b);
  if (scaled !== null) return (scaled[0] % scaled[1]) / (POW10[ka > kb ? ka : kb] as number);
  return new Exact(a).mod(b).toNumber();
}

/**
 * Writes a rule's number as a plain decimal string, the form kaohe's scoring and decimal.js read:
 * the number's exact decimal value (its shortest round-trip digits), never in exponent notation.
 *
 * @param value - A finite number, typically a rule's result.
 * @returns The plain decimal string, e.g. `"0.3"` or `"1000000000000000000000"`.
 * @throws {RangeError} When the value is NaN or infinite.
 * @example
 * ruleNumberToString(evaluateRule({ "+": [0.1, 0.2] }, {}) as number); //=> "0.3"
 * ruleNumberToString(1e21); //=> "1000000000000000000000"
 * ruleNumberToString(1.5e-7); //=> "0.00000015"
 */
export function ruleNumberToString(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`ruleNumberToString needs a finite number, got ${String(value)}`);
  const text = String(value);
  if (!/e/i.test(text)) return text === "-0" ? "0" : text;
  return new Exact(value).toFixed();
}
