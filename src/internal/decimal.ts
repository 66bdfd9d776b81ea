import Decimal from "decimal.js";

/**
 * kaohe's private decimal constructor: 40 significant digits, round half up (四舍五入).
 * A clone, so the host's global `Decimal` settings are never read or changed.
 */
export const Exact = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -40, toExpPos: 40 });

/** An exact decimal value of kaohe's private constructor. */
export type ExactDecimal = InstanceType<typeof Exact>;

/** Reads a finite number or plain decimal string as an exact decimal. */
export function toExact(value: number | string): ExactDecimal {
  return new Exact(value);
}
