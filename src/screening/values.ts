import { isCalendarDate } from "../model/primitives";
import { showValue } from "../model/issues";
import type { Field } from "./schema";

/** A field's value once converted: text, a finite number, a `YYYY-MM-DD` date as text, a boolean, or null when empty. */
export type FieldValue = string | number | boolean | null;

/** Why a cell cannot be used. */
export interface CellProblem {
  readonly code: string;
  readonly reason: string;
}

/** The outcome of converting one cell: its value, or (the only object) why it cannot be used. */
export type CellResult = FieldValue | CellProblem;

/** Tells a problem from a value: values are never objects. */
export function isCellProblem(result: CellResult): result is CellProblem {
  return typeof result === "object" && result !== null;
}

const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;
const TRUE_WORDS = new Set(["是", "true", "y", "yes", "1"]);
const FALSE_WORDS = new Set(["否", "false", "n", "no", "0"]);

/**
 * Converts one cell (from CSV text, an Excel cell or a caller's object) to the field's type. Empty
 * cells (undefined, null, blank text) are null. Text containing U+FFFD, the mark of bytes that
 * did not decode, is refused rather than screened garbled.
 *
 * @param raw - The cell as read.
 * @param field - The field it holds.
 * @param label - The field's label for the reason.
 * @returns The value, or (an object) the code and reason of the failure.
 */
export function convertCell(raw: unknown, field: Field, label: string): CellResult {
  if (raw === undefined || raw === null) return null;
  let text: string | undefined;
  if (typeof raw === "string") {
    text = raw.trim();
    if (text === "") return null;
    if (text.includes("\uFFFD")) {
      return { code: "invalid_encoding", reason: `${label} holds bytes that are not valid in the file's encoding (try --encoding)` };
    }
  }
  switch (field.type) {
    case "text":
      if (text !== undefined) {
        if (field.values && !field.values.includes(text)) {
          return { code: "invalid_value", reason: `${label} ${showValue(text)} is not one of ${field.values.join("/")}` };
        }
        return text;
      }
      if (typeof raw === "number" && Number.isFinite(raw) && !field.values) return String(raw);
      break;
    case "number":
      if (typeof raw === "number" && Number.isFinite(raw) && Math.abs(raw) <= Number.MAX_SAFE_INTEGER) return raw;
      if (text !== undefined && PLAIN_DECIMAL.test(text)) {
        const value = Number(text);
        if (Math.abs(value) <= Number.MAX_SAFE_INTEGER) return value === 0 ? 0 : value;
      }
      return { code: "invalid_value", reason: `${label} ${showValue(raw)} is not a number` };
    case "date": {
      const date = raw instanceof Date ? excelDate(raw) : text !== undefined ? normalizeDate(text) : undefined;
      if (date !== undefined) return date;
      return { code: "invalid_value", reason: `${label} ${showValue(raw)} is not a date (write YYYY-MM-DD)` };
    }
    case "boolean":
      if (typeof raw === "boolean") return raw;
      if (raw === 1 || raw === 0) return raw === 1;
      if (text !== undefined) {
        const word = text.toLowerCase();
        if (TRUE_WORDS.has(word)) return true;
        if (FALSE_WORDS.has(word)) return false;
      }
      return { code: "invalid_value", reason: `${label} ${showValue(raw)} is not 是 or 否` };
  }
  return { code: "invalid_value", reason: `${label} ${showValue(raw)} is not ${field.type}` };
}

/** Reads 2025-03-05, 2025-3-5, 2025/3/5, 2025.3.5, 2025年3月5日 and 20250305 as `YYYY-MM-DD`; undefined if none. */
export function normalizeDate(text: string): string | undefined {
  const match = /^(\d{4})(?:[-/.年](\d{1,2})[-/.月](\d{1,2})日?|(\d{2})(\d{2}))$/.exec(text);
  if (!match) return undefined;
  const month = (match[2] ?? match[4] ?? "").padStart(2, "0");
  const day = (match[3] ?? match[5] ?? "").padStart(2, "0");
  const date = `${match[1]}-${month}-${day}`;
  return isCalendarDate(date) ? date : undefined;
}

/** An Excel date cell: exceljs gives the calendar day written in the sheet at midnight UTC. */
function excelDate(value: Date): string | undefined {
  if (Number.isNaN(value.getTime())) return undefined;
  const year = value.getUTCFullYear();
  if (year < 1000 || year > 9999) return undefined;
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${year}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
}
