import { createReadStream } from "node:fs";
import { parse } from "csv-parse";
import ExcelJS from "exceljs";
import { decodeStream, detectEncoding, type CsvEncoding } from "./encoding";

/** A row of a file: its number and cells, or why it could not be read. */
export type SourceRow =
  | { readonly row: number; readonly cells: readonly unknown[] }
  | { readonly row: number; readonly code: string; readonly reason: string };

/** Options of {@link readRows}. */
export interface ReadRowsOptions {
  /** The encoding of a CSV file: `auto` (default) detects UTF-8 or GB18030. */
  readonly encoding?: CsvEncoding;
}

/**
 * Reads the rows of a CSV or XLSX file as a stream: CSV through csv-parse (after decoding GBK or
 * GB18030 with iconv-lite), XLSX through exceljs's streaming reader (first worksheet). Rows whose
 * cells are all blank are left out; a row with bad CSV syntax comes as a reason.
 *
 * @param path - The file; `.xlsx` is read as a workbook, anything else as CSV.
 * @param options - The CSV encoding.
 * @returns The rows, numbered as in the file (CSV lines, sheet rows).
 * @throws A Node error when the file cannot be opened, or an error for a corrupt workbook.
 */
export function readRows(path: string, options: ReadRowsOptions = {}): AsyncIterable<SourceRow> {
  return /\.xlsx$/i.test(path) ? readXlsx(path) : readCsv(path, options.encoding ?? "auto");
}

function isBlank(cells: readonly unknown[]): boolean {
  return cells.every((cell) => cell === undefined || cell === null || (typeof cell === "string" && cell.trim() === ""));
}

async function* readCsv(path: string, requested: CsvEncoding): AsyncGenerator<SourceRow> {
  const encoding = requested === "auto" ? await detectEncoding(path) : requested;
  const skipped: SourceRow[] = [];
  const parser = parse({
    bom: true,
    relax_column_count: true,
    relax_quotes: false,
    skip_empty_lines: true,
    skip_records_with_error: true,
    info: true,
    ...(encoding === "utf8" ? { encoding: "utf8" as const } : {}),
  });
  parser.on("skip", (error: Error & { lines?: number }) => {
    skipped.push({ row: error.lines ?? 0, code: "csv_syntax", reason: `not valid CSV: ${error.message}` });
  });
  const input = createReadStream(path);
  input.on("error", (error) => parser.destroy(error));
  if (encoding === "utf8") input.pipe(parser);
  else input.pipe(decodeStream(encoding)).pipe(parser);
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    while (skipped.length > 0) yield skipped.shift() as SourceRow;
    if (!isBlank(record)) yield { row: info.lines, cells: record };
  }
  while (skipped.length > 0) yield skipped.shift() as SourceRow;
}

/** An exceljs cell value as a plain value: text of rich text and hyperlinks, results of formulas. */
function plainCell(value: unknown): unknown {
  if (value === null || value === undefined || typeof value !== "object" || value instanceof Date) return value;
  const cell = value as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: unknown; formula?: unknown };
  if (Array.isArray(cell.richText)) return cell.richText.map((part) => part.text).join("");
  if ("result" in cell || "formula" in cell) return plainCell(cell.result);
  if (typeof cell.text === "string") return cell.text;
  if (cell.error !== undefined) return String(cell.error);
  return String(value);
}

async function* readXlsx(path: string): AsyncGenerator<SourceRow> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    worksheets: "emit",
    sharedStrings: "cache",
    styles: "cache",
    hyperlinks: "ignore",
    entries: "ignore",
  });
  for await (const worksheet of workbook) {
    for await (const row of worksheet) {
      const values = row.values as unknown[];
      const cells: unknown[] = [];
      for (let i = 1; i < values.length; i++) cells.push(plainCell(values[i]));
      if (!isBlank(cells)) yield { row: row.number, cells };
    }
    // Only the first worksheet is screened: the monitoring system exports one sheet per file.
    break;
  }
}
