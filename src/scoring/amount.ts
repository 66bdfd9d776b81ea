import { Exact, EXACT_ZERO, toExact, type ExactDecimal } from "../internal/decimal";
import { scaleOf } from "../rules/decimal";

/*
 * Exact amounts for scoring (decision 0005, revised 2026-12-03 a second time): points, scores,
 * deductions and totals as safe integers of millionths where they fit, as decimal.js values where
 * they do not. An amount of at most six decimal places and below 9·10^9 in size, which is every
 * amount of an ordinary assessment, is the integer `units` standing for units × 10^-6; integer
 * addition and comparison of such integers are exact while the result stays a safe integer (below
 * 2^53), which each operation checks. Anything else (more places, larger amounts, a sum past 2^53)
 * is a decimal.js value of kaohe's exact constructor, as all amounts were before, and an operation
 * with one such operand works in decimal.js. The two forms of one value give the same text, sign
 * and order, so which form a value has never shows: test/scoring/amount.test.ts compares every
 * operation with decimal.js on random operands of both forms.
 */

/** An exact amount: a safe integer of millionths, or a decimal.js value for the rest. */
export type Amount = number | ExactDecimal;

/** The decimal places of the integer form. */
const PLACES = 6;
const UNIT = 1e6;
const POW10: readonly number[] = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6];

/** Zero in the integer form. */
export const ZERO: Amount = 0;

/** The millionths of a plain decimal text (`-?\d+(\.\d+)?`) of at most six places, when they are a safe integer; NaN otherwise. */
function textUnits(text: string): number {
  const negative = text.charCodeAt(0) === 45;
  let units = 0;
  let digits = 0;
  let places = -1;
  for (let i = negative ? 1 : 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 && places === -1 && digits > 0) {
      places = 0;
      continue;
    }
    if (c < 48 || c > 57) return Number.NaN;
    // Exact while below 2^53; once past it, it never comes back below, and the check at the end fails.
    units = units * 10 + (c - 48);
    digits++;
    if (places >= 0) places++;
  }
  if (digits === 0 || places === 0 || places > PLACES) return Number.NaN;
  units *= POW10[PLACES - (places === -1 ? 0 : places)] as number;
  if (!Number.isSafeInteger(units)) return Number.NaN;
  // 0 - 0 is 0, not -0: a decimal has no negative zero.
  return negative ? 0 - units : units;
}

/**
 * The millionths of a finite number's decimal (`String(n)`), when the rules' `scaleOf` finds its
 * places (at most ten below 10^4, five below 10^9, none above) and they are at most six; NaN otherwise.
 */
function numberUnits(value: number): number {
  // scaleOf gives the places k of the number's decimal r · 10^-k, r = Math.round(value · 10^k).
  const places = scaleOf(value);
  if (places < 0 || places > PLACES) return Number.NaN;
  const units = Math.round(value * (POW10[places] as number)) * (POW10[PLACES - places] as number);
  return Number.isSafeInteger(units) ? units + 0 : Number.NaN;
}

/**
 * Reads a finite number or a plain decimal string exactly, as `toExact` does: in the integer form
 * when it fits, as a decimal.js value otherwise (which also reports what is not a number).
 */
export function toAmount(value: number | string): Amount {
  const units = typeof value === "number" ? numberUnits(value) : textUnits(value);
  return Number.isNaN(units) ? toExact(value) : units;
}

/** An amount as a decimal.js value. */
function decimal(value: Amount): ExactDecimal {
  if (typeof value !== "number") return value;
  return value === 0 ? EXACT_ZERO : new Exact(`${value}e-${PLACES}`);
}

/** a + b, exactly. */
export function plus(a: Amount, b: Amount): Amount {
  if (typeof a === "number" && typeof b === "number") {
    const sum = a + b;
    if (Number.isSafeInteger(sum)) return sum;
  }
  return decimal(a).plus(decimal(b));
}

/** a − b, exactly. */
export function minus(a: Amount, b: Amount): Amount {
  if (typeof a === "number" && typeof b === "number") {
    const difference = a - b;
    if (Number.isSafeInteger(difference)) return difference + 0;
  }
  return decimal(a).minus(decimal(b));
}

/** The order of two amounts: negative when a < b, 0 when they are equal, positive when a > b. */
export function compare(a: Amount, b: Amount): number {
  if (typeof a === "number" && typeof b === "number") return a < b ? -1 : a > b ? 1 : 0;
  return decimal(a).comparedTo(decimal(b));
}

/** `"-"` and the digits of a safe integer's size, for the integer form's texts. */
function signAndDigits(units: number): [string, string] {
  return units < 0 ? ["-", String(-units)] : ["", String(units)];
}

/** `digits` (of a non-negative integer) over 10^places as text: `places` decimals, at least one digit before the point. */
function fixed(sign: string, digits: string, places: number): string {
  if (places === 0) return sign + digits;
  const padded = digits.length > places ? digits : "0".repeat(places + 1 - digits.length) + digits;
  return `${sign}${padded.slice(0, padded.length - places)}.${padded.slice(padded.length - places)}`;
}

/** An amount as plain decimal text without trailing zeros (decimal.js's `toFixed()`): `"87.2"`, `"-0.5"`, `"8"`. */
export function amountText(value: Amount): string {
  if (typeof value !== "number") return value.toFixed();
  if (value % UNIT === 0) return String(value / UNIT);
  let units = value;
  let places = PLACES;
  while (units % 10 === 0) {
    units /= 10;
    places--;
  }
  const [sign, digits] = signAndDigits(units);
  return fixed(sign, digits, places);
}

/**
 * An amount rounded half up (四舍五入, ties away from zero) to `places` decimals, written with
 * exactly that many (decimal.js's `toDecimalPlaces(places, ROUND_HALF_UP).toFixed(places)`); a value
 * that rounds to zero has no sign.
 */
export function roundedText(value: Amount, places: number): string {
  if (typeof value !== "number") {
    // Padded with zeros when it has no more decimals than that, which needs no arithmetic.
    const exact = value.toFixed();
    const dot = exact.indexOf(".");
    const decimals = dot === -1 ? 0 : exact.length - dot - 1;
    if (decimals > places) return value.toDecimalPlaces(places, Exact.ROUND_HALF_UP).toFixed(places);
    return decimals === places ? exact : `${exact}${dot === -1 ? "." : ""}${"0".repeat(places - decimals)}`;
  }
  const [sign, digits] = signAndDigits(value);
  if (places >= PLACES) return fixed(sign, digits + "0".repeat(places - PLACES), places);
  const step = POW10[PLACES - places] as number;
  const size = value < 0 ? -value : value;
  const rest = size % step;
  const rounded = (size - rest) / step + (2 * rest >= step ? 1 : 0);
  return fixed(rounded === 0 ? "" : sign, String(rounded), places);
}
