// Screening of an export held in memory, as the CLI screens a file (src/screening/node/run.ts):
// a zip (by its first bytes, as the CLI sniffs) is read as an XLSX workbook, anything else as CSV.
// The header is the first of the first 50 rows naming a key column; a row with more non-blank cells
// than the header (or, in a CSV, fewer cells) is rejected with its number; rows are numbered by CSV
// line or sheet row. A workbook's sheet is the first visible one with a non-blank row.
import { parse } from "csv-parse/browser/esm/sync";
import { Screener, isHeaderRow, mapColumns, prepareRulebook, summarizeFindings } from "kaohe";
import type { DataQualityFinding, FindingSummary, RejectedRow, ScreeningCounts, ScreeningFinding, Subject } from "kaohe";
import { isBlankRecord } from "../../../src/screening/node/csv";
import { readError } from "../../../src/screening/node/read-error";
import { PartsWorkbook, type WorkbookLimits } from "../../../src/screening/node/xlsx-book";
import { MemoryZip } from "./unzip";

const HEADER_SEARCH = 50;

/** The page's bounds on a workbook (the CLI's defaults, with a part held in memory at most 512 MiB). */
const LIMITS: WorkbookLimits = { maxRecordSize: 1024 * 1024, maxPartSize: 512 * 1024 ** 2, maxRatio: 200, maxEntries: 10_000, maxSharedStringsSize: 256 * 1024 ** 2 };

export interface ExportScreening {
  /** `csv` or `xlsx`, from the bytes. */
  readonly format: "csv" | "xlsx";
  /** The sheet read, for a workbook. */
  readonly sheet?: string;
  /** Findings, undecided rules and data-quality findings (cells that could not be used), in input order. */
  readonly findings: readonly (ScreeningFinding | DataQualityFinding)[];
  readonly rejected: readonly RejectedRow[];
  readonly counts: ScreeningCounts;
  readonly summary: FindingSummary;
  readonly level: Subject;
}

interface Row {
  readonly row: number;
  readonly cells: readonly unknown[];
}

/** Whether the bytes start as a zip does (a local file header, or an empty archive's end record). */
export function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && ((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6));
}

/** Whether the bytes start as an OLE2 file does (an Excel 97–2003 .xls, or a password-protected workbook). */
function isOle2(bytes: Uint8Array): boolean {
  return [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1].every((b, i) => bytes[i] === b);
}

/** Decodes the bytes of an export: UTF-8 (with or without a BOM), else GB18030 (a superset of GBK). */
export function decodeExport(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder("gb18030").decode(bytes);
  }
}

function csvRows(bytes: Uint8Array, file: string): Row[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // With `info`, each record comes with its line number (csv-parse's types do not say so).
    records = parse(decodeExport(bytes), { bom: true, relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as typeof records;
  } catch (error) {
    throw new Error(`${file}: not valid CSV: ${(error as Error).message}`);
  }
  return records.map((r) => ({ row: r.info.lines, cells: r.record }));
}

/** The rows of the first visible sheet with a non-blank row, and its name. */
async function sheetRows(bytes: Uint8Array, file: string): Promise<{ sheet: string; rows: Row[] }> {
  const book = await PartsWorkbook.fromParts(file, MemoryZip.open(file, bytes, LIMITS), LIMITS);
  for (const sheet of book.sheets) {
    if (sheet.part === undefined || sheet.hidden) continue;
    const rows: Row[] = [];
    for await (const row of book.rows(sheet)) rows.push(row);
    if (rows.some((r) => !isBlankRecord(r.cells))) return { sheet: sheet.name, rows };
  }
  throw new Error(`${file}: no visible sheet of the workbook has a non-blank row`);
}

/**
 * Screens an export (CSV or XLSX, told apart by its bytes) with a rulebook.
 *
 * @throws Error with a message naming the file when the export or its header cannot be used;
 *   KaoheError for an invalid rulebook or an unreadable workbook.
 */
export async function screenExport(bytes: Uint8Array, rulebook: unknown, file: string): Promise<ExportScreening> {
  const prepared = prepareRulebook(rulebook as never);
  if (isOle2(bytes)) {
    throw readError(file, "legacy_xls", {
      en: "an Excel 97–2003 workbook (.xls) or a password-protected workbook, which kaohe does not read: open it in Excel, remove any password, and save it as .xlsx",
      zh: "Excel 97–2003 工作簿（.xls）或设有密码的工作簿，考核工具不能读取：请用 Excel 打开（如有密码先取消），另存为 .xlsx",
    });
  }
  const format: ExportScreening["format"] = isZip(bytes) ? "xlsx" : "csv";
  const read = format === "xlsx" ? await sheetRows(bytes, file) : { sheet: undefined, rows: csvRows(bytes, file) };
  const rows = read.rows.filter((r) => !isBlankRecord(r.cells));
  const headerAt = rows.findIndex((r) => r.row <= HEADER_SEARCH && isHeaderRow(prepared, r.cells));
  if (headerAt === -1) throw new Error(`${file}: no header row naming a key column in the first ${HEADER_SEARCH} rows`);
  const header = rows[headerAt] as Row;
  const mapped = mapColumns(prepared, header.cells);
  if (!mapped.ok) throw new Error(`${file}: row ${header.row}: ${mapped.reason}`);
  const { map } = mapped;
  const screener = new Screener(prepared, map.level, file, map.missing);
  for (const { row, cells } of rows.slice(headerAt + 1)) {
    const extra = cells.length > map.width && cells.slice(map.width).some((cell) => cell !== null && cell !== undefined && String(cell).trim() !== "");
    if (extra || (format === "csv" && cells.length < map.width)) {
      screener.reject(row, "wrong_cell_count", `has ${cells.length} cells, the header has ${map.width}`, cells);
    } else screener.pushCells(cells, row, map);
  }
  const items = screener.evaluate(screener.take(true));
  screener.count(items);
  const findings: (ScreeningFinding | DataQualityFinding)[] = [];
  const rejected: RejectedRow[] = [];
  for (const item of items) {
    if (item.kind === "rejected") rejected.push(item);
    else findings.push(item);
  }
  const result = { format, findings, rejected, counts: screener.counts(), summary: summarizeFindings(findings, { rules: prepared.rulebook.rules }), level: map.level };
  return read.sheet === undefined ? result : { ...result, sheet: read.sheet };
}
