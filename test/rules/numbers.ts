import { Decimal } from "decimal.js";
import fc from "fast-check";

/*
 * Numbers for the property tests of the rules' arithmetic (decimal.test.ts, bounds.test.ts), and
 * decimal.js as their reference.
 */

/** The reference: decimal.js in a private clone, far more precise than any result needs. */
export const Ref = Decimal.clone({ precision: 2_000, rounding: Decimal.ROUND_HALF_EVEN });
/** Division as decision 0102 says: 120 significant digits, half even. */
export const RefDiv = Decimal.clone({ precision: 120, rounding: Decimal.ROUND_HALF_EVEN });

/** Decimals as they arrive in data: an integer of up to 12 digits over 10^0…10^6. */
export const fewPlaces = fc
  .tuple(fc.integer({ min: -999_999_999_999, max: 999_999_999_999 }), fc.integer({ min: 0, max: 6 }))
  .map(([n, k]) => n / 10 ** k);
/** Any finite double, binary noise included (0.30000000000000004, 1e-300, …). */
export const anyFinite = fc.double({ noNaN: true, noDefaultInfinity: true });
export const operand = fc.oneof(fewPlaces, fewPlaces, anyFinite, fc.integer({ min: -1e6, max: 1e6 }));

/** Full-precision doubles as a host system computes them: ratios and averages of amounts (16-17 digits). */
export const fullPrecision = fc
  .tuple(fc.integer({ min: 1, max: 99_999_999 }), fc.integer({ min: 1, max: 9_999 }), fc.boolean())
  .map(([n, d, negative]) => ((negative ? -n : n) / d) * 1.0000001);
/** Very large and very small magnitudes, subnormals included. */
export const extreme = fc.oneof(
  fc.double({ min: 1e280, max: 1.7e308, noNaN: true }),
  fc.double({ min: -1.7e308, max: -1e280, noNaN: true }),
  fc.double({ min: 5e-324, max: 1e-290, noNaN: true }),
  fc.constantFrom(5e-324, -5e-324, 2.2250738585072014e-308, Number.MAX_VALUE, -Number.MAX_VALUE, 2 ** 53 + 2, 2 ** 70, 1e21, 1e22, 1.5e-7),
);
/** Integers past 2^53, written in full by String (123456789012345680000) or with an exponent. */
export const bigInteger = fc.bigInt({ min: BigInt(2) ** BigInt(53), max: BigInt(10) ** BigInt(25) }).map((n) => Number(n));
export const slowOperand = fc.oneof(fullPrecision, extreme, bigInteger, anyFinite, fewPlaces);
