/**
 * Tables as kaohe reads and writes them: sheets of numbered rows of cells, with no I/O. A table is
 * what a reader of `.xlsx` or `.csv` gives (the CLI's readers) and what a writer turns into a file.
 */

/** A row of a table: its number in the sheet (1-based) and its cells, column A first. */
export interface TableRow {
  /** The row's number in the sheet, as a spreadsheet shows it (1 is the first row). */
  readonly row: number;
  /** The cells, column A first: strings, numbers, booleans, or blank (`null`/`undefined`/""). */
  readonly cells: readonly unknown[];
}

/** A sheet of a workbook (or a CSV file) as rows of cells. */
export interface Table {
  /** The sheet's name (`指标体系`); a CSV file's name without its extension. */
  readonly name: string;
  /** The rows, in order; blank rows may be left out. */
  readonly rows: readonly TableRow[];
  /** Merged ranges such as `A3:A5`, for a writer; a reader may leave them out. */
  readonly merges?: readonly string[];
  /** Rows above and including this one stay in view when scrolling (the header), for a writer. */
  readonly frozenRows?: number;
  /** Column widths in characters, column A first, for a writer. */
  readonly widths?: readonly number[];
}

/** Column letters of a 0-based column index: 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(index: number): string {
  let out = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) out = String.fromCharCode(65 + ((n - 1) % 26)) + out;
  return out;
}

/** The address of a cell, `C7`. */
export function cellAddress(row: number, column: number): string {
  return `${columnLetter(column)}${row}`;
}

/** Tells whether a cell is blank: nothing, or only whitespace (ideographic spaces too). */
export function isBlankCell(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === "string" && value.replace(/[\s\u3000]/g, "") === "");
}

/** A cell as text: strings as written (CRLF made LF, trimmed), numbers as JS prints them. */
export function cellText(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value.replace(/\r\n?/g, "\n").replace(/^[\s\u3000]+|[\s\u3000]+$/g, "");
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value);
}

/**
 * A cell as a one-line label: lines joined (without a space between CJK characters, with one
 * between Latin words), runs of whitespace made one space.
 */
export function cellLabel(value: unknown): string {
  const lines = cellText(value).split("\n").map((line) => line.replace(/[\s\u3000]+/g, " ").trim()).filter((l) => l !== "");
  let out = "";
  for (const line of lines) {
    const latin = /[A-Za-z0-9]$/.test(out) && /^[A-Za-z0-9]/.test(line);
    out += (out === "" || !latin ? "" : " ") + line;
  }
  return out;
}

/**
 * Folds full-width forms to ASCII (NFKC) and drops every space, ideographic ones too: how a cell
 * that should hold a number or a header name is compared.
 */
export function foldCell(value: unknown): string {
  return cellText(value).normalize("NFKC").replace(/[\s\u3000]/g, "");
}

/**
 * Reads a cell as a plain decimal: a number cell as it is, a text cell after folding full-width
 * digits and spaces and dropping a trailing 分 (`"１０分"` → `"10"`). `undefined` when it is not one.
 */
export function readDecimal(value: unknown): number | string | undefined {
  if (typeof value === "number") return Number.isFinite(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER ? value : undefined;
  const folded = foldCell(value).replace(/分$/, "");
  return /^-?\d+(\.\d+)?$/.test(folded) ? folded : undefined;
}
