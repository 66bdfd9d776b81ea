import { closeSync, openSync, readSync } from "node:fs";
import ExcelJS from "exceljs";
import { basename, extname } from "node:path";
import { KaoheError, type KaoheIssue } from "../internal/errors";
import type { Table, TableRow } from "../model/table";
import { readErrorIssue } from "../screening/node/read-error";
import { DEFAULT_READ_LIMITS, readRows } from "../screening/node/rows";
import { sniffKind } from "../screening/node/sniff";
import { Workbook } from "../screening/node/xlsx";
import { columnOf } from "../screening/node/xlsx-values";

/** How many first bytes tell a zip from an OLE2 file or text. */
const ENCODING_SAMPLE_HEAD = 4096;

/** Sheets read from a file, and the rows that could not be read (CSV syntax), as issues. */
export interface ReadTables {
  readonly tables: Table[];
  readonly issues: KaoheIssue[];
}

/**
 * Reads every sheet of a workbook, or a CSV file as one sheet named after the file. CSV goes
 * through the screening readers' `readRows` (UTF-8 or GBK, detected), its records numbered as a
 * spreadsheet shows them. A workbook is read sheet by sheet with the screening readers' `Workbook`
 * (yauzl and saxes, text decoded as a stream, so Chinese text across a 64 KiB chunk is whole, which
 * exceljs 4.4.0's reader is not), because an indicator table comes with sheets beside it (部门,
 * 扣分项, 说明 …) and `readRows` reads one sheet; the cells a merge covers, other than its top-left
 * one, are read as blank (blank below a category = the same category), whatever the file holds there.
 *
 * @param path - A `.xlsx` or `.csv` file.
 * @returns The sheets, and an issue for each row that is not valid CSV.
 * @throws A Node error when the file cannot be opened; a `KaoheError` (`unreadable_workbook`, its
 *   message giving the reader's reason) for a file that is not a readable workbook.
 */
export async function readTables(path: string): Promise<ReadTables> {
  if (/\.xlsx$/i.test(path)) return { tables: await readWorkbook(path), issues: [] };
  const rows: TableRow[] = [];
  const issues: KaoheIssue[] = [];
  // readRows numbers a CSV record by its last physical line (csv-parse's info.lines), which a
  // multi-line cell pushes down; a spreadsheet opening the file shows records as rows, so records
  // are numbered in order here. (Blank lines, which readRows leaves out, would shift them.)
  for await (const row of readRows(path)) {
    if ("cells" in row) rows.push({ row: rows.length + 1, cells: row.cells });
    else issues.push({ code: row.code, path: [basename(path), row.row], message: `row ${row.row}: ${row.reason}`, zh: `第 ${row.row} 行：${row.reason}` });
  }
  return { tables: [{ name: basename(path, extname(path)), rows }], issues };
}

/** A merged range as 1-based rows and columns; undefined when the reference is not `A1:B2` (or `A1`). */
function mergeRange(ref: string): { top: number; left: number; bottom: number; right: number } | undefined {
  const [from = "", to = from] = ref.split(":");
  const a = /^([A-Za-z]+)(\d+)$/.exec(from);
  const b = /^([A-Za-z]+)(\d+)$/.exec(to);
  if (!a || !b) return undefined;
  const [top, bottom] = [Number(a[2]), Number(b[2])].sort((x, y) => x - y) as [number, number];
  const [left, right] = [columnOf(a[1] as string), columnOf(b[1] as string)].sort((x, y) => x - y) as [number, number];
  return left < 1 ? undefined : { top, left, bottom, right };
}

/** Blanks the cells a merge covers, other than its top-left one (a sweep over rows in order). */
function blankCovered(rows: TableRow[], merges: readonly string[]): TableRow[] {
  const ranges = merges.flatMap((ref) => mergeRange(ref) ?? []).sort((a, b) => a.top - b.top);
  let next = 0;
  let active: typeof ranges = [];
  return rows.map((row) => {
    while (next < ranges.length && (ranges[next] as (typeof ranges)[number]).top <= row.row) active.push(ranges[next++] as (typeof ranges)[number]);
    active = active.filter((r) => r.bottom >= row.row);
    if (active.length === 0) return row;
    const cells = [...row.cells];
    for (const r of active) {
      for (let c = r.left; c <= Math.min(r.right, cells.length); c++) if (r.top !== row.row || c !== r.left) cells[c - 1] = null;
    }
    return { row: row.row, cells };
  });
}

/** A reader's error about a workbook, as the `unreadable_workbook` issue the importer's callers know. */
function unreadable(path: string, error: unknown): KaoheError {
  const issue = readErrorIssue(error);
  if (!issue) return error as KaoheError;
  const name = basename(path);
  return new KaoheError(
    [{ code: "unreadable_workbook", path: [name], message: `${name} is not a readable .xlsx workbook (${issue.message})`, zh: `${name} 不是可读取的 .xlsx 工作簿（${issue.zh ?? issue.message}）` }],
    "Unreadable workbook",
  );
}

async function readWorkbook(path: string): Promise<Table[]> {
  // The first bytes first: a missing file then fails with Node's ENOENT, a CSV or an .xls named
  // .xlsx is named for what it is.
  const head = Buffer.alloc(ENCODING_SAMPLE_HEAD);
  const fd = openSync(path, "r");
  let length: number;
  try {
    length = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  let book: Workbook;
  try {
    sniffKind(path, head.subarray(0, length));
    book = await Workbook.open(path, DEFAULT_READ_LIMITS);
  } catch (error) {
    throw unreadable(path, error);
  }
  try {
    const tables: Table[] = [];
    // Chart sheets have no cells; hidden sheets are read like the others.
    for (const sheet of book.sheets.filter((s) => s.part !== undefined)) {
      const merges: string[] = [];
      const rows: TableRow[] = [];
      for await (const row of book.rows(sheet, merges)) if (row.cells.some((c) => c !== undefined)) rows.push(row);
      tables.push({ name: sheet.name, rows: blankCovered(rows, merges), merges });
    }
    return tables;
  } catch (error) {
    throw unreadable(path, error);
  } finally {
    book.close();
  }
}

/**
 * Builds an `.xlsx` workbook of tables: merged ranges, frozen header rows, column widths, text
 * wrapped and aligned to the top, header rows bold. Uses exceljs's non-streaming writer.
 *
 * @param tables - The sheets, in order.
 * @returns The workbook's bytes.
 */
export async function workbookBytes(tables: readonly Table[]): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  for (const table of tables) {
    const frozen = table.frozenRows ?? 0;
    const sheet = workbook.addWorksheet(table.name, frozen > 0 ? { views: [{ state: "frozen", ySplit: frozen }] } : {});
    (table.widths ?? []).forEach((width, i) => {
      sheet.getColumn(i + 1).width = width;
    });
    for (const row of table.rows) {
      const target = sheet.getRow(row.row);
      row.cells.forEach((value, i) => {
        if (value === null || value === undefined) return;
        const cell = target.getCell(i + 1);
        cell.value = value as ExcelJS.CellValue;
        cell.alignment = { wrapText: true, vertical: "top" };
        if (row.row <= frozen) cell.font = { bold: true };
      });
    }
    for (const range of table.merges ?? []) sheet.mergeCells(range);
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
