import * as z from "zod/mini";
import { meta } from "../internal/zod";

/** The plain decimal form accepted in strings: optional minus, digits, optional fraction. */
export const DECIMAL_STRING_PATTERN = /^-?\d+(\.\d+)?$/;

/** Calendar dates are written `YYYY-MM-DD`. */
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A number as kaohe accepts it: a finite JS number within the safe integer range, or a decimal
 * string of the plain form `-?digits(.digits)?` (no exponent, no blanks, not empty).
 * Decimal strings keep exact values that a JS number cannot hold, such as `"0.1"` summed ten times.
 */
export const NumberInputSchema = meta(z.union([
  z.number().check(z.refine((n) => Number.isFinite(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER, {
    message: "must be a finite number within the safe integer range",
    params: { code: "invalid_number" },
  })),
  z.string().check(z.regex(DECIMAL_STRING_PATTERN, {
    message: 'must be a plain decimal string such as "0.8" (no exponent, no blanks)',
  })),
]), {
    description:
      'A finite number, or a decimal string of the plain form -?digits(.digits)? such as "0.8".',
  });

/** A number as kaohe accepts it: see {@link NumberInputSchema}. */
export type NumberInput = number | string;

/** Converts an accepted number to its plain decimal string without going through exponent form. */
export function numberInputToString(value: NumberInput): string {
  if (typeof value === "string") return value;
  // Safe-range numbers print without exponent except tiny fractions; toFixed keeps them plain.
  const text = String(value);
  if (!/e/i.test(text)) return text;
  return value.toFixed(20).replace(/\.?0+$/, "");
}

/** Tells whether a decimal string or number is strictly positive. */
export function isPositive(value: NumberInput): boolean {
  if (typeof value === "number") return value > 0;
  return !value.startsWith("-") && /[1-9]/.test(value);
}

/** Points (分值): a strictly positive {@link NumberInput}. */
export const PointsSchema = meta(NumberInputSchema.check(z.refine(isPositive, {
  message: "must be greater than 0",
  params: { code: "points_not_positive" },
})), { description: "Points: a strictly positive finite number or plain decimal string." });

/** Tells whether a decimal string or number is zero or more. */
function isNonNegative(value: NumberInput): boolean {
  return typeof value === "number" ? value >= 0 : !value.startsWith("-") || !/[1-9]/.test(value);
}

/** A non-negative {@link NumberInput}, e.g. a grade band's minimum. */
export const NonNegativeNumberSchema = meta(NumberInputSchema.check(z.refine(isNonNegative, {
  message: "must be 0 or more",
  params: { code: "number_negative" },
})), { description: "A finite number or plain decimal string, 0 or more." });

/** Tells whether `y-m-d` names a real day of the proleptic Gregorian calendar. */
export function isCalendarDate(text: string): boolean {
  const match = DATE_PATTERN.exec(text);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}

/** A calendar date `YYYY-MM-DD` that exists (2025-02-30 does not), read in China Standard Time. */
export const CalendarDateSchema = meta(z.string().check(z.regex(DATE_PATTERN, { message: "must be a date written YYYY-MM-DD" })).check(z.refine(isCalendarDate, { message: "is not a real calendar date", params: { code: "invalid_date" } })), { description: "A calendar date YYYY-MM-DD (China Standard Time), e.g. 2025-10-31." });

/** A calendar date `YYYY-MM-DD`: see {@link CalendarDateSchema}. */
export type CalendarDate = string;

/** The form of an id: see {@link IdSchema}. */
export const ID_PATTERN = /^[\p{L}\p{N}][\p{L}\p{M}\p{N}_.-]*$/u;

/**
 * An identifier as offices write them: letters of any script (乡镇A, 青山镇), digits (an
 * administrative division code such as 360702), `-`, `_` and `.`, starting with a letter or digit.
 * Blanks, empty ids and keys such as `__proto__` are refused.
 */
export const IdSchema = meta(z.string().check(z.regex(ID_PATTERN, {
    message: "must be an id: letters (Chinese too), digits, '-', '_' or '.', starting with a letter or digit",
  })), { description: "An identifier: letters of any script (e.g. 青山镇), digits (e.g. the division code 360702), '-', '_' and '.', starting with a letter or digit." });

/** A non-empty text, trimmed of nothing: the document's words are kept as written. */
export const TextSchema = z.string().check(z.minLength(1, { message: "must not be empty" }));

/**
 * Where a clause comes from (出处): the document, the part or attachment, and the item number, so a
 * reader can find the sentence behind each point.
 */
export const SourceRefSchema = meta(z.strictObject({
  document: meta(TextSchema, { description: "The source document's title, e.g. 近期巩固拓展脱贫攻坚成果重点工作任务清单." }),
  part: meta(TextSchema, { description: "The part or attachment, e.g. 附件2 or 正文." }),
  item: meta(TextSchema, { description: "The item within the part, e.g. 13(h) or 第1项." }),
}), { description: "Source reference (出处): document, part and item." });

/** Where a clause comes from (出处): see {@link SourceRefSchema}. */
export interface SourceRef {
  /** The source document's title, e.g. 近期巩固拓展脱贫攻坚成果重点工作任务清单. */
  document: string;
  /** The part or attachment, e.g. 附件2 or 正文. */
  part: string;
  /** The item within the part, e.g. 13(h) or 第1项. */
  item: string;
}

/**
 * `T` with every array, at any depth, `readonly` (and every property `readonly`): the shape of an
 * input that kaohe only reads, so that a caller's `readonly` arrays need no cast.
 *
 * @typeParam T - The type as parsed.
 */
export type ReadonlyArrays<T> = T extends readonly (infer E)[]
  ? readonly ReadonlyArrays<E>[]
  : T extends object
    ? { readonly [K in keyof T]: ReadonlyArrays<T[K]> }
    : T;
