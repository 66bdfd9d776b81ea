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
 * between doubles ≤ U·|R| + T (U = 2^-53; T covers subnormals). So, from |R − y| ≤ e,
 * |dec(R) − y| ≤ D = e + U·(|y| + e) + T ({@link reach}). The exact result E of the operation on
 * the operands' decimals is then within Dx + Dy of x + y (sum), within |x|·Dy + |y|·Dx + Dx·Dy of
 * x·y (product), within (Dx + |x/y|·Dy) / (|y| − Dy) of x/y (quotient, when Dy < |y| / 2). The
 * floating-point result r differs from x op y by at most about U·|r|, and R (E rounded once to the
 * nearest JS number, or for `/` first to 120 digits, whose error is far smaller) from E by at most
 * U·|E| + T; together at most 2.01·U·|r| on top of the terms above, which 4·U·|r| covers. The
 * factor K covers the rounding of these few floating-point operations themselves (each relative
 * U at most), and T their underflow. A NaN anywhere (a leaf that is not a finite number) makes the
 * bound NaN, and no interval with a NaN bound is apart from any other. Results of magnitude
 * 2^1020 or more give NaN too: the exact path may then overflow, which is an error there.
 *
 * Max and min choose an operand: the chosen approximation is within max(ex, ey) ≤ ex + ey of the
 * chosen exact result (both are 1-Lipschitz), and ex + ey keeps a NaN bound NaN.
 */

const U = 2 ** -53;
const U4 = 4 * U;
const K = 1 + 2 ** -20;
const T = 2 ** -1060;
const LIMIT = 2 ** 1020;

/** A bound on |dec(R) − y| from |R − y| ≤ e. */
function reach(y: number, e: number): number {
  return e + ((y < 0 ? -y : y) + e) * U + T;
}

/** The bound of r = x + y (or x − y: pass −y) as an approximation of the exact sum's JS number. */
export function sumBound(x: number, ex: number, y: number, ey: number, r: number): number {
  const ar = r < 0 ? -r : r;
  const e = (reach(x, ex) + reach(y, ey) + U4 * ar) * K + T;
  return ar + e < LIMIT ? e : Number.NaN;
}

/** The bound of r = x × y. */
export function productBound(x: number, ex: number, y: number, ey: number, r: number): number {
  const dx = reach(x, ex);
  const dy = reach(y, ey);
  const ar = r < 0 ? -r : r;
  const e = ((x < 0 ? -x : x) * dy + (y < 0 ? -y : y) * dx + dx * dy + U4 * ar) * K + T;
  return ar + e < LIMIT ? e : Number.NaN;
}

/** The bound of r = x / y; NaN when y may be zero (or near it, within half of |y|). */
export function quotientBound(x: number, ex: number, y: number, ey: number, r: number): number {
  const dx = reach(x, ex);
  const dy = reach(y, ey);
  const ay = y < 0 ? -y : y;
  if (!(dy < ay * 0.5)) return Number.NaN;
  const ar = r < 0 ? -r : r;
  const e = ((dx + ar * (1 + U4) * dy) / (ay - dy) + U4 * ar) * K + T;
  return ar + e < LIMIT ? e : Number.NaN;
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
