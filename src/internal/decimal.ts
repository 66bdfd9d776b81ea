import Decimal from "decimal.js";

/**
 * kaohe's private decimal constructor, round half up (四舍五入). A clone, so the host's global
 * `Decimal` settings are never read or changed.
 *
 * Its precision is decimal.js's largest, 1,000,000,000 significant digits: scoring only adds,
 * subtracts, compares and rounds at the end, and decimal.js's `plus` and `minus` work on the digits
 * the operands have (the precision only says where a result would be rounded), so every sum of
 * accepted inputs is exact however many digits they carry (`"9.0049999…"` with 49 digits stays
 * 49 digits). Nothing in scoring divides or multiplies, which would work to the precision.
 */
export const Exact = Decimal.clone({ precision: 1e9, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -40, toExpPos: 40 });

/** An exact decimal value of kaohe's private constructor. */
export type ExactDecimal = InstanceType<typeof Exact>;

/** Zero, shared: decimal.js values are immutable, every operation gives a new one. */
export const EXACT_ZERO: ExactDecimal = new Exact(0);

/**
 * Reads a finite number or plain decimal string as an exact decimal. Zero is zero whatever its
 * sign (`-0`, `"-0.0"`): decimals have no negative zero, so that `-0` is never "below 0".
 */
export function toExact(value: number | string): ExactDecimal {
  const decimal = new Exact(value);
  return decimal.isZero() ? EXACT_ZERO : decimal;
}
