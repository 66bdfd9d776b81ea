import { isCalendarDate } from "../model/primitives";
import { showValue } from "../model/issues";
import type { Field } from "./schema";

/** A field's value once converted: text, a finite number, a `YYYY-MM-DD` date or `YYYY-MM` month as text, a boolean, or null when empty. */
export type FieldValue = string | number | boolean | null;

/** Why a cell cannot be used: a stable code and the reason in English and Chinese. */
export interface CellProblem {
  /** `invalid_value` (does not parse as the field's type), `not_allowed` (outside the code table) or `invalid_encoding`. */
  readonly code: string;
  readonly reason: string;
  readonly zh: string;
}

/** The outcome of converting one cell: its value, or (the only object) why it cannot be used. */
export type CellResult = FieldValue | CellProblem;

/**
 * What converting a cell reads of its field: a field, or the same three properties copied into
 * an object of one shape (as the record assembler does, so that reading them stays cheap however
 * differently the rulebook's fields were written).
 */
export interface Conversion {
  readonly type: Field["type"];
  readonly trim?: boolean | undefined;
  readonly allowed?: readonly string[] | undefined;
}

/** Tells a problem from a value: values are never objects. */
export function isCellProblem(result: CellResult): result is CellProblem {
  return typeof result === "object" && result !== null;
}

const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;
const TRUE_WORDS = new Set(["是", "true", "y", "yes", "1"]);
const FALSE_WORDS = new Set(["否", "false", "n", "no", "0"]);

/** The Chinese name of each field type, for messages. */
const TYPE_ZH: Readonly<Record<Field["type"], string>> = { text: "文本", number: "数字", date: "日期", month: "年月", boolean: "是或否" };

/**
 * Whether `String.prototype.trim` could change a text: its first or last character may be white
 * space or a line terminator. Most characters of an export (ASCII letters and digits, CJK) are told
 * apart at once; anything else is left to `trim` itself (a blank cell, U+3000, U+00A0, U+FEFF…).
 */
function spaceAtEdge(text: string): boolean {
  return text.length === 0 || !plainEdge(text.charCodeAt(0)) || !plainEdge(text.charCodeAt(text.length - 1));
}

/** A character that is surely not white space: printable ASCII, or from Latin-1's letters up to (not including) U+1680, or CJK and the rest below U+FEFF after U+3000. */
function plainEdge(c: number): boolean {
  return (c > 0x20 && c < 0x7f) || (c > 0xa0 && c < 0x1680) || (c > 0x3000 && c < 0xfeff);
}

function problem(code: string, label: string, raw: unknown, en: string, zh: string): CellProblem {
  return { code, reason: `${label} ${showValue(raw)} ${en}`, zh: `「${label}」的值${showValue(raw)}${zh}` };
}

/**
 * Converts one cell (from CSV text, an Excel cell or a caller's object) to the field's type. Empty
 * cells (undefined, null, blank text) are null, except in a text field with `trim: false`, which
 * holds the text as exported: blanks are kept, and an empty cell is `""` (as pandas reads an
 * export with `dtype=str, keep_default_na=False`), the same from CSV and XLSX. Text containing
 * U+FFFD, the mark of bytes that did not decode, is refused rather than screened garbled.
 *
 * @param raw - The cell as read.
 * @param field - The field it holds.
 * @param label - The field's label for the reason.
 * @param clean - Whether the caller knows that the text holds no U+FFFD (it checked the whole line once).
 * @returns The value, or (an object) the code and reason of the failure.
 */
export function convertCell(raw: unknown, field: Conversion, label: string, clean = false): CellResult {
  const keepRaw = field.trim === false && field.type === "text";
  if (raw === undefined || raw === null) return keepRaw ? "" : null;
  let text: string | undefined;
  if (typeof raw === "string") {
    text = keepRaw || !spaceAtEdge(raw) ? raw : raw.trim();
    if (text === "") return keepRaw ? "" : null;
    if (!clean && text.includes("\uFFFD")) {
      return problem("invalid_encoding", label, raw, "holds bytes that are not valid in the file's encoding (try --encoding)", "含有不符合文件编码的字节（请用 --encoding 指定编码）");
    }
  }
  switch (field.type) {
    case "text": {
      const value = text ?? (typeof raw === "number" && Number.isFinite(raw) ? String(raw) : undefined);
      if (value === undefined) break;
      if (field.allowed && !field.allowed.includes(value)) {
        return problem("not_allowed", label, raw, `is not in its code table (${field.allowed.join("/")})`, `不在代码表内（${field.allowed.join("/")}）`);
      }
      return value;
    }
    case "number":
      if (typeof raw === "number" && Number.isFinite(raw) && Math.abs(raw) <= Number.MAX_SAFE_INTEGER) return raw;
      if (text !== undefined && text.length <= 64 && PLAIN_DECIMAL.test(text)) {
        const value = Number(text);
        if (Math.abs(value) <= Number.MAX_SAFE_INTEGER) return value === 0 ? 0 : value;
      }
      return problem("invalid_value", label, raw, "is not a number", "不是数字");
    case "date": {
      const date = raw instanceof Date ? excelDate(raw) : text !== undefined ? normalizeDate(text) : undefined;
      if (date !== undefined) return date;
      return problem("invalid_value", label, raw, "is not a date (write YYYY-MM-DD)", "不是日期（应写作 YYYY-MM-DD）");
    }
    case "month": {
      const month =
        raw instanceof Date
          ? excelDate(raw)?.slice(0, 7)
          : typeof raw === "number" && Number.isInteger(raw)
            ? normalizeMonth(String(raw))
            : text !== undefined
              ? normalizeMonth(text)
              : undefined;
      if (month !== undefined) return month;
      return problem("invalid_value", label, raw, "is not a month (write YYYYMM, YYYY-MM or YYYY年M月)", "不是年月（应写作 YYYYMM、YYYY-MM 或 YYYY年M月）");
    }
    case "boolean":
      if (typeof raw === "boolean") return raw;
      if (raw === 1 || raw === 0) return raw === 1;
      if (text === "是") return true;
      if (text === "否") return false;
      if (text !== undefined) {
        const word = text.toLowerCase();
        if (TRUE_WORDS.has(word)) return true;
        if (FALSE_WORDS.has(word)) return false;
      }
      return problem("invalid_value", label, raw, "is not 是 or 否", "不是「是」或「否」");
  }
  return problem("invalid_value", label, raw, `is not ${field.type}`, `不是${TYPE_ZH[field.type]}`);
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

/**
 * Reads a month as the monitoring system exports it (`202210`), or `2022-10`, `2022-1`, `2022/10`,
 * `2022年10月`, as `YYYY-MM`; undefined if none, or if the month is not 1 to 12.
 *
 * @param text - The cell's text, trimmed.
 * @returns The month as `YYYY-MM`, or undefined.
 */
export function normalizeMonth(text: string): string | undefined {
  const match = /^(\d{4})(?:(\d{2})|[-/.](\d{1,2})|年(\d{1,2})月)$/.exec(text);
  if (!match) return undefined;
  const month = Number(match[2] ?? match[3] ?? match[4]);
  if (month < 1 || month > 12) return undefined;
  return `${match[1]}-${String(month).padStart(2, "0")}`;
}

/** An Excel date cell: exceljs gives the calendar day written in the sheet at midnight UTC. */
function excelDate(value: Date): string | undefined {
  if (Number.isNaN(value.getTime())) return undefined;
  const year = value.getUTCFullYear();
  if (year < 1000 || year > 9999) return undefined;
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${year}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
}
