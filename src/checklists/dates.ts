import * as z from "zod/mini";
import { meta } from "../internal/zod";
import { isCalendarDate } from "../model/primitives";

// Calendar arithmetic on day numbers (days since 1970-01-01) through Date.UTC only: nothing here
// depends on the process time zone, and nothing reads the clock.

const MS_PER_DAY = 86_400_000;

/** China Standard Time is UTC+8 all year (no daylight saving since 1991). */
const CHINA_OFFSET_MINUTES = 8 * 60;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP_RE = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The day number of a calendar date `YYYY-MM-DD` (days since 1970-01-01), computed in UTC.
 *
 * @internal
 */
export function dayNumber(date: string): number {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`not a calendar date: ${date}`);
  return Math.round(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / MS_PER_DAY);
}

/**
 * The calendar date `YYYY-MM-DD` of a day number.
 *
 * @internal
 */
export function fromDayNumber(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/**
 * The ISO weekday of a calendar date: 1 Monday … 7 Sunday.
 *
 * @internal
 */
export function isoWeekday(date: string): number {
  const day = dayNumber(date);
  return (((day + 3) % 7) + 7) % 7 + 1;
}

/**
 * Tells whether a string is a timestamp with an offset, `YYYY-MM-DDTHH:MM[:SS[.fff]](Z|±HH:MM)`,
 * whose parts are all in range.
 *
 * @internal
 */
export function isTimestampWithOffset(text: string): boolean {
  const m = TIMESTAMP_RE.exec(text);
  if (!m || !isCalendarDate(m[1] as string)) return false;
  const [hour, minute, second] = [Number(m[2]), Number(m[3]), Number(m[4] ?? 0)];
  if (hour > 23 || minute > 59 || second > 59) return false;
  const offset = m[5] as string;
  return offset === "Z" || (Number(offset.slice(1, 3)) <= 23 && Number(offset.slice(4, 6)) <= 59);
}

/**
 * The China calendar date (UTC+8) of a calendar date or a timestamp with offset: a date stays as it
 * is; `2025-10-31T23:30:00Z` is `2025-11-01` in China.
 *
 * @internal
 */
export function toChinaDate(value: string): string {
  if (DATE_RE.test(value)) return value;
  const m = TIMESTAMP_RE.exec(value);
  if (!m) throw new RangeError(`not a date or timestamp: ${value}`);
  const offset = m[5] as string;
  const offsetMinutes =
    offset === "Z" ? 0 : (offset.startsWith("-") ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  // Minutes since the epoch in UTC, then shifted into China time; seconds never cross a day here.
  const utcMinutes = dayNumber(m[1] as string) * 1440 + Number(m[2]) * 60 + Number(m[3]) - offsetMinutes;
  return fromDayNumber(Math.floor((utcMinutes + CHINA_OFFSET_MINUTES) / 1440));
}

/**
 * When something happened: a calendar date `YYYY-MM-DD` (China), or a timestamp with an offset
 * (`2025-10-31T23:30:00Z`, `2025-11-01T07:30:00+08:00`) that is read as its China calendar date.
 * A timestamp without an offset is refused: its day would depend on where it is read.
 */
export const DateOrTimestampSchema = meta(z.string().check(z.refine((text) => isCalendarDate(text) || isTimestampWithOffset(text), {
    message: "must be a real date YYYY-MM-DD or a timestamp with an offset such as 2025-10-31T16:30:00+08:00",
    params: { code: "invalid_date" },
  })), {
    description:
      "A China calendar date YYYY-MM-DD, or an ISO timestamp with offset (Z or ±HH:MM) that is converted to its China (UTC+8) calendar date.",
  });
