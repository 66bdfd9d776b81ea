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
 * takes the slow path: exact BigInt arithmetic on the digits of `String(n)` (an integer m times
 * 10^e, at most 17 digits), whose exact result, written as `m e q`, `Number()` rounds correctly
 * (decision 0106). decimal.js, which the rules used before, stays the reference of the tests.
 */

/** The significant digits of a division before its final rounding (half even), as decision 0102 says. */
const QUOTIENT_DIGITS = 120;
const TEN = BigInt(10);
const ZERO = BigInt(0);
const TWO = BigInt(2);

/** 10^n as a BigInt, for the exponents the slow path meets (at most about 650). */
const bigPow10: bigint[] = [BigInt(1)];
function pow10(n: number): bigint {
  for (let i = bigPow10.length; i <= n; i++) bigPow10.push((bigPow10[i - 1] as bigint) * TEN);
  return bigPow10[n] as bigint;
}

/** A finite number's shortest decimal as an integer m (no trailing zeros) times 10^e. */
interface Digits {
  m: bigint;
  e: number;
}

function digitsOf(x: number): Digits {
  const text = String(x);
  const at = text.indexOf("e");
  let e = at < 0 ? 0 : Number(text.slice(at + 1));
  let mantissa = at < 0 ? text : text.slice(0, at);
  const point = mantissa.indexOf(".");
  if (point >= 0) {
    e -= mantissa.length - point - 1;
    mantissa = mantissa.slice(0, point) + mantissa.slice(point + 1);
  }
  // Integers such as 123456789012345680000 are written out in full: drop the trailing zeros.
  let end = mantissa.length;
  while (end > 1 && mantissa.charCodeAt(end - 1) === 48) end--;
  e += mantissa.length - end;
  return { m: BigInt(mantissa.slice(0, end)), e };
}

/** The JS number nearest to m × 10^e (ties to even; no -0): `Number` of the exact decimal. */
function nearest(m: bigint, e: number): number {
  return Number(`${m}e${e}`) + 0;
}

/** Both operands as integers over one power of ten, 10^e with e the smaller exponent. */
function aligned(a: number, b: number): { x: bigint; y: bigint; e: number } {
  const da = digitsOf(a);
  const db = digitsOf(b);
  const e = da.e < db.e ? da.e : db.e;
  return { x: da.m * pow10(da.e - e), y: db.m * pow10(db.e - e), e };
}

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
  // One test first, which full-precision doubles fail: a decimal of at most MAX_SCALE places below
  // 10^4 (or of at most 5 below 10^9) is also one of exactly that many places, of at most 15 digits.
  const ax = x < 0 ? -x : x;
  const first = ax < 1e4 ? MAX_SCALE : ax < 1e9 ? 5 : 0;
  if (first > 0) {
    const s = POW10[first] as number;
    if (Math.round(x * s) / s !== x) return -1;
  }
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
 * most MAX_SCALE places; the slow path. The `…Fast` functions stop before the slow path and return NaN
 * (no fast result is NaN), so that the operators can charge the slow path's cost first
 * ({@link decimalCost}); the `…Exact` functions do both.
 */

/*
 * The near path, for full-precision doubles (16 or 17 digits, 7299.987654321123): no digits are
 * written. A number x stands for dec(x) = x + ε(x), where ε(x) is found in floating point by the
 * shortest-decimal search String(n) does (the first number of places k, from 15 significant digits
 * on, at which an integer lies within half a gap between doubles of x·10^k, computed exactly as two
 * doubles; the nearest such integer is the decimal's digits). An operation takes the IEEE result y,
 * an estimate z of the exact decimal result minus y from error-free transformations, and a bound on
 * the estimate's error; it returns y moved by whole gaps when z then lies clearly inside half a gap,
 * and NaN (the slow path) when the bound leaves any doubt: near a tie, a power of two, zero, or out
 * of the range where 10^k is exact (|x| from 1e-5 to 1e14, or safe integers).
 */

/** Splits a double into halves of 26 bits (Dekker). */
const SPLIT = 134217729;
const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
/** The index of the high word of a double in U32 (1 on little-endian machines). */
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

/**
 * Half the gap between x and its neighbours, for a normal x that is not a power of two (whose two
 * gaps differ) and is at least 2^-969; 0 otherwise. F64 is scratch space, written and read at once.
 */
function halfGap(x: number): number {
  F64[0] = x;
  const hi = U32[HI] as number;
  const exp = (hi >>> 20) & 0x7ff;
  if (exp < 54 || exp === 0x7ff || ((hi & 0xfffff) === 0 && U32[LO] === 0)) return 0;
  U32[LO] = 0;
  U32[HI] = (exp - 53) << 20;
  return F64[0] as number;
}

/** The rounding error of p = a × b: a × b = p + productError(a, b, p) exactly (no overflow). */
function productError(a: number, b: number, p: number): number {
  const t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  const u = SPLIT * b;
  const bh = u - (u - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

/** dec(x) − x, within |ε| · 2^-50, or NaN when the near path does not apply. */
function decimalError(x: number): number {
  if (Number.isInteger(x)) return x <= SAFE && x >= -SAFE ? 0 : Number.NaN;
  const ax = x < 0 ? -x : x;
  if (!(ax >= 1e-5 && ax < 1e14)) return Number.NaN;
  F64[0] = ax;
  const hi = U32[HI] as number;
  // A power of two has a smaller gap below than above: the slow path takes it.
  if ((hi & 0xfffff) === 0 && U32[LO] === 0) return Number.NaN;
  const exp = hi >>> 20;
  U32[LO] = 0;
  U32[HI] = (exp - 53) << 20;
  const half = F64[0] as number;
  // The places of 15 significant digits, or of 14: ax < 2^(exp - 1022), so this never takes fewer
  // digits than 14 nor more than 15. A decimal of up to 15 digits is the only one of its places that
  // rounds to x, so starting there finds the shortest; 17 digits always suffice.
  let k = 14 - Math.floor((exp - 1022) * 0.3010299956639812);
  for (let end = k + 4; k < end && k <= 22; k++) {
    const t = POW10[k] as number;
    const p = ax * t;
    const r = Math.round(p);
    // δ = x·10^k − r ≈ d: p − r is exact; past 2^53, p is an integer and the error term (up to 2)
    // holds the rest.
    let d = p - r + productError(ax, t, p);
    if (d > 0.5 || d < -0.5) d -= Math.round(d);
    const h = half * t;
    const ad = d < 0 ? -d : d;
    if (ad === 0.5 || ad === h) return Number.NaN;
    if (ad < h) return (x < 0 ? d : -d) / t;
  }
  return Number.NaN;
}

/** y moved by whole gaps by z (≈ exact − y, within bound), when that decides the rounding; else NaN. */
function settle(y: number, z: number, bound: number): number {
  const half = halfGap(y);
  if (half === 0) return Number.NaN;
  const gap = 2 * half;
  const n = Math.round(z / gap);
  let rest = z;
  if (n !== 0) {
    const moved = y + n * gap;
    if (halfGap(moved) !== half) return Number.NaN;
    y = moved;
    rest = z - n * gap;
    bound += (rest < 0 ? -rest : rest) * 2 ** -52;
  }
  const ar = rest < 0 ? -rest : rest;
  return ar + bound < half ? y + 0 : Number.NaN;
}

const EPS = 2 ** -48;

function addNear(a: number, b: number): number {
  const ea = decimalError(a);
  const eb = decimalError(b);
  if (ea !== ea || eb !== eb) return Number.NaN;
  const y = a + b;
  if (y === 0) return 0;
  const bb = y - a;
  const e = a - (y - bb) + (b - bb);
  const size = (e < 0 ? -e : e) + (ea < 0 ? -ea : ea) + (eb < 0 ? -eb : eb);
  return settle(y, e + ea + eb, size * EPS);
}

function multiplyNear(a: number, b: number): number {
  if (a === 0 || b === 0) return 0;
  const ea = decimalError(a);
  const eb = decimalError(b);
  if (ea !== ea || eb !== eb) return Number.NaN;
  const y = a * b;
  const e = productError(a, b, y);
  const z = e + a * eb + b * ea + ea * eb;
  const size = Math.abs(e) + Math.abs(a * eb) + Math.abs(b * ea) + Math.abs(ea * eb);
  return settle(y, z, size * EPS);
}

function divideNear(a: number, b: number): number {
  if (a === 0) return 0;
  const ea = decimalError(a);
  const eb = decimalError(b);
  if (ea !== ea || eb !== eb) return Number.NaN;
  const y = a / b;
  const p = y * b;
  // The residual a − y·b of an IEEE division is a double, and this computes it exactly.
  const rem = a - p - productError(y, b, p);
  const top = rem + ea - y * eb;
  const z = top / (b + eb);
  const size = (Math.abs(rem) + Math.abs(ea) + Math.abs(y * eb)) / Math.abs(b);
  return settle(y, z, size * 4 * EPS);
}

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
  return addNear(a, b);
}

/** Exact sum on the slow path (BigInt). @internal */
export function addSlow(a: number, b: number): number {
  const { x, y, e } = aligned(a, b);
  return nearest(x + y, e);
}

/** Exact difference on the fast path, or NaN. @internal */
export function subtractFast(a: number, b: number): number {
  return addFast(a, -b);
}

/** Exact difference on the slow path. @internal */
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
  return multiplyNear(a, b);
}

/** Exact product on the slow path (BigInt). @internal */
export function multiplySlow(a: number, b: number): number {
  const da = digitsOf(a);
  const db = digitsOf(b);
  return nearest(da.m * db.m, da.e + db.e);
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
  return divideNear(a, b);
}

/** Exact quotient (b ≠ 0) on the slow path: 120 significant digits (half even), then the nearest JS number. @internal */
export function divideSlow(a: number, b: number): number {
  const da = digitsOf(a);
  const db = digitsOf(b);
  const negative = da.m < ZERO !== db.m < ZERO;
  const x = da.m < ZERO ? -da.m : da.m;
  const y = db.m < ZERO ? -db.m : db.m;
  if (x === ZERO) return 0;
  // x·10^s / y has QUOTIENT_DIGITS digits (one more when the first guess of s is one too large).
  let s = QUOTIENT_DIGITS - (String(x).length - String(y).length);
  let n = x * pow10(s);
  let q = n / y;
  if (q >= pow10(QUOTIENT_DIGITS)) {
    s -= 1;
    n = x * pow10(s);
    q = n / y;
  }
  // Rounded to QUOTIENT_DIGITS significant digits, half to even, as decimal.js did.
  const twice = TWO * (n - q * y);
  if (twice > y || (twice === y && q % TWO !== ZERO)) q += BigInt(1);
  return nearest(negative ? -q : q, da.e - db.e - s);
}

/** Exact remainder of a truncating division (b ≠ 0) on the fast path, or NaN. @internal */
export function remainderFast(a: number, b: number): number {
  const s = commonScale(a, b);
  if (s > 0) return (Math.round(a * s) % Math.round(b * s)) / s + 0;
  return Number.NaN;
}

/** Exact remainder on the slow path (BigInt). @internal */
export function remainderSlow(a: number, b: number): number {
  // BigInt % truncates, and keeps the sign of the dividend, as JS % does.
  const { x, y, e } = aligned(a, b);
  return nearest(x % y, e);
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
 * The cost, in steps of the `maxSteps` budget, of one operation on the slow path: a base (twice
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
  const { m, e } = digitsOf(value);
  const sign = m < ZERO ? "-" : "";
  const digits = String(m < ZERO ? -m : m);
  if (e >= 0) return sign + digits + "0".repeat(e);
  const places = -e;
  return places < digits.length
    ? `${sign}${digits.slice(0, digits.length - places)}.${digits.slice(digits.length - places)}`
    : `${sign}0.${"0".repeat(places - digits.length)}${digits}`;
}
