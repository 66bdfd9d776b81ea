/*
 * Error bounds for deciding an ordering without exact arithmetic (decision 0107).
 *
 * An ordering over arithmetic (`{"<": [{"/": [a, b]}, 7000]}`) needs only the order of two exact
 * results, not their digits. Each arithmetic sub-rule is first computed in plain floating point,
 * as an approximation y of its exact result R (the JS number decision 0102 gives, whichever path of
 * decimal.ts computes it) with a bound e: |R − y| ≤ e. A leaf (a finite number read or written in
 * the rule) is its own R, with e = 0. When the two intervals [y − e, y + e] of an ordering are
 * apart, the order of the exact results is known; otherwise (a tie or near one, anything not a
 * finite number, an overflow, a divisor near zero) the exact evaluation runs, as before.
 *
 * The bounds. A JS number R stands for its shortest decimal dec(R), with |dec(R) − R| ≤ half a gap
 * between doubles ≤ U·|R| (U = 2^-53) for normal R, and ≤ 2^-1075 for subnormal R. So, from
 * |R − y| ≤ e, |dec(R) − y| ≤ D = e + U·(|y| + e), plus MIN_NORMAL when the interval reaches
 * below SMALL (2^-968), and D = 0 when y = e = 0 (R is 0, whose decimal is 0) ({@link reach}). The exact result E of the operation on
 * the operands' decimals is then within Dx + Dy of x + y (sum), within |x|·Dy + |y|·Dx + Dx·Dy of
 * x·y (product), within (Dx + |x/y|·Dy) / (|y| − Dy) of x/y (quotient, when Dy < |y| / 2). The
 * floating-point result r differs from x op y by at most about U·|r|, and R (E rounded once to the
 * nearest JS number, or for `/` first to 120 digits, whose error is far smaller) from E by at most
 * U·|E|, both plus 2^-1075 in the subnormal range; together at most 2.01·U·|r| on top of the
 * terms above, which 4·U·|r| covers. The factor K covers the rounding of these few floating-point
 * operations themselves (each relative U at most), and T (2^-1021) the subnormal terms and any
 * underflow. An exact zero operand gives an exact zero product or quotient (bound 0), so that
 * zeros, common in data, cost no slack. A NaN anywhere (a leaf that is not a finite number) makes the
 * bound NaN, and no interval with a NaN bound is apart from any other. Results of magnitude
 * 2^1020 or more give NaN too: the exact path may then overflow, which is an error there.
 *
 * Max and min choose an operand: the chosen approximation is within max(ex, ey) ≤ ex + ey of the
 * chosen exact result (both are 1-Lipschitz), and ex + ey keeps a NaN bound NaN.
 */

const U = 2 ** -53;
const U4 = 4 * U;
const K = 1 + 2 ** -20;
/** The smallest normal double: it covers the gaps of subnormals (2^-1074) and any underflow. */
const MIN_NORMAL = 2 ** -1022;
/** Twice MIN_NORMAL: the absolute slack of every result that is not exactly zero. */
const T = 2 ** -1021;
/** Numbers from here on are far from the subnormals: (|y| + e)·U ≥ 2^-1021. */
const SMALL = 2 ** -968;
const LIMIT = 2 ** 1020;
const MAX = Number.MAX_VALUE;

/**
 * A bound on |dec(R) − y| from |R − y| ≤ e: 0 when R is exactly 0; NaN when y or e is.
 * Subnormal numbers are never computed with (they are slow on common processors): a gap below
 * MIN_NORMAL is bounded by MIN_NORMAL itself.
 */
function reach(y: number, e: number): number {
  const ay = y < 0 ? -y : y;
  // Above SMALL, (|y| + e)·U is a normal number, never 0.
  if (ay - e >= SMALL) return e + (ay + e) * U;
  return ay === 0 && e === 0 ? 0 : e + (ay + e) * U + MIN_NORMAL;
}

/** A result's bound from the sum of its error terms: checked against overflow. */
function finish(terms: number, ar: number): number {
  const e = (terms + U4 * ar) * K + T;
  return ar + e < LIMIT ? e : Number.NaN;
}

/** The bound of r = x + y (or x − y) as an approximation of the exact sum's JS number. */
export function sumBound(x: number, ex: number, y: number, ey: number, r: number): number {
  const dx = reach(x, ex);
  const dy = reach(y, ey);
  // Two exact zeros add up to an exact zero.
  if (dx === 0 && dy === 0) return 0;
  return finish(dx + dy, r < 0 ? -r : r);
}

/** The bound of r = x × y. */
export function productBound(x: number, ex: number, y: number, ey: number, r: number): number {
  const dx = reach(x, ex);
  const dy = reach(y, ey);
  // An exact zero times a finite number is an exact zero.
  if ((dx === 0 && dy <= MAX) || (dy === 0 && dx <= MAX)) return 0;
  // |x|·dy + |y|·dx + dx·dy, written so that no tiny product stands alone.
  return finish(((x < 0 ? -x : x) + dx) * dy + (y < 0 ? -y : y) * dx, r < 0 ? -r : r);
}

/** The bound of r = x / y; NaN when y may be zero (or near it, within half of |y|). */
export function quotientBound(x: number, ex: number, y: number, ey: number, r: number): number {
  const dx = reach(x, ex);
  const dy = reach(y, ey);
  const ay = y < 0 ? -y : y;
  if (!(dy < ay * 0.5)) return Number.NaN;
  // An exact zero over a number that is not zero is an exact zero.
  if (dx === 0) return 0;
  const ar = r < 0 ? -r : r;
  return finish((dx + ar * (1 + U4) * dy) / (ay - dy), ar);
}

/**
 * The order of two exact results from their approximations: -1 when the first is smaller, 1 when
 * larger, 0 when the intervals meet (or a bound is NaN). Rounding is monotone, so comparing the
 * rounded ends strictly never claims an order the exact ends do not have.
 */
export function orderOf(x: number, ex: number, y: number, ey: number): number {
  if (x + ex < y - ey) return -1;
  if (x - ex > y + ey) return 1;
  return 0;
}
