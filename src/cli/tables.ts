import { readFileSync } from "node:fs";
import ExcelJS from "exceljs";
import { basename, extname } from "node:path";
import { KaoheError, type KaoheIssue } from "../internal/errors";
import type { Table, TableRow } from "../model/table";
import { readRows } from "../screening/node/rows";

/** Sheets read from a file, and the rows that could not be read (CSV syntax), as issues. */
export interface ReadTables {
  readonly tables: Table[];
  readonly issues: KaoheIssue[];
}

/**
 * Reads every sheet of a workbook, or a CSV file as one sheet named after the file. CSV goes
 * through the screening readers' `readRows` (UTF-8 or GBK, detected), its records numbered as a
 * spreadsheet shows them. A workbook is read with
 * exceljs's non-streaming reader, because an indicator table comes with sheets beside it (部门,
 * 扣分项, 说明 …) and `readRows` reads the first sheet only; the cells a merge covers, other than
 * its top-left one, are read as blank, as the streaming reader gives them.
 *
 * @param path - A `.xlsx` or `.csv` file.
 * @returns The sheets, and an issue for each row that is not valid CSV.
 * @throws A Node error when the file cannot be read; a `KaoheError` (`unreadable_workbook`) for a
 *   file that is not a workbook.
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

function plain(value: unknown): unknown {
  if (value === null || value === undefined || typeof value !== "object" || value instanceof Date) return value;
  const cell = value as { richText?: { text: string }[]; text?: unknown; result?: unknown; formula?: unknown; error?: unknown };
  if (Array.isArray(cell.richText)) return cell.richText.map((part) => part.text).join("");
  if ("result" in cell || "formula" in cell) return plain(cell.result);
  if (typeof cell.text === "string") return cell.text;
  if (cell.error !== undefined) return String(cell.error);
  return String(value);
}

async function readWorkbook(path: string): Promise<Table[]> {
  const workbook = new ExcelJS.Workbook();
  // Read the bytes first: a missing file then fails with Node's ENOENT, not exceljs's own message.
  const bytes = readFileSync(path);
  try {
    await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new KaoheError(
      [{ code: "unreadable_workbook", path: [basename(path)], message: `${basename(path)} is not a readable .xlsx workbook (${reason})`, zh: `${basename(path)} 不是可读取的 .xlsx 工作簿（${reason}）` }],
      "Unreadable workbook",
    );
  }
  return workbook.worksheets.map((sheet) => {
    const covered = new Set<string>();
    const merges = ((sheet.model as { merges?: string[] }).merges ?? []).slice();
    for (const range of merges) {
      const [from, to] = range.split(":");
      const a = sheet.getCell(from as string);
      const b = sheet.getCell((to ?? from) as string);
      for (let r = Number(a.row); r <= Number(b.row); r++) {
        for (let c = Number(a.col); c <= Number(b.col); c++) if (r !== Number(a.row) || c !== Number(a.col)) covered.add(`${r}:${c}`);
      }
    }
    const rows: TableRow[] = [];
    sheet.eachRow({ includeEmpty: false }, (row, number) => {
      const cells: unknown[] = [];
      for (let c = 1; c <= row.cellCount; c++) cells.push(covered.has(`${number}:${c}`) ? null : plain(row.getCell(c).value));
      rows.push({ row: number, cells });
    });
    return { name: sheet.name, rows, merges };
  });
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
