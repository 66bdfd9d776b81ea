import { isHeaderRow, mapColumns } from "../columns";
import type { CsvEncoding } from "./encoding";
import { readErrorIssue } from "./read-error";
import { readRows } from "./rows";
import type { PreparedTablesRulebook } from "../tables/prepare";
import { TablesScreener, type TablesResult } from "../tables/screen";

/** One file of one table. */
export interface TableFile {
  readonly table: string;
  readonly file: string;
}

/** Options of {@link screenTableFiles}. */
export interface ScreenTableFilesOptions {
  readonly encoding?: CsvEncoding;
  readonly sheet?: string | number;
  readonly headerRow?: number;
  /** Called now and then with the table, the file and the rows read from it so far. */
  readonly onProgress?: (table: string, file: string, rowsRead: number) => void;
}

/** Why a run over several tables stopped: the file, and the reason in English and Chinese. */
export interface TableFileError {
  readonly table: string;
  readonly file: string;
  readonly code?: string;
  readonly reason: string;
  readonly zh: string;
}

const HEADER_SEARCH = 50;

/**
 * Screens the files of several tables with a multi-table rulebook: each file is read as a stream
 * (CSV or XLSX, its header found by its key column), the tables in the rulebook's reading order
 * whatever the order given. A file that cannot be read, or is not read to its end, stops the run:
 * a join over a partial table would report every record of the missing part as unresolved.
 *
 * @param prepared - The prepared multi-table rulebook.
 * @param files - The files, each with its table.
 * @param options - Encoding, sheet, header row and progress.
 * @returns The result, or the file that stopped the run and why.
 */
export async function screenTableFiles(
  prepared: PreparedTablesRulebook,
  files: readonly TableFile[],
  options: ScreenTableFilesOptions = {},
): Promise<{ readonly ok: true; readonly result: TablesResult } | { readonly ok: false; readonly error: TableFileError }> {
  const screener = new TablesScreener(prepared, [...new Set(files.map((f) => f.table))]);
  for (const table of prepared.order) {
    const columns = prepared.tables[table]?.columns;
    if (!columns) continue;
    for (const { file } of files.filter((f) => f.table === table)) {
      const fail = (reason: string, zh: string, code?: string) => ({ ok: false as const, error: { table, file, reason, zh, ...(code === undefined ? {} : { code }) } });
      const reader = readRows(file, {
        ...(options.encoding === undefined ? {} : { encoding: options.encoding }),
        ...(options.sheet === undefined ? {} : { sheet: options.sheet }),
      });
      let map: ReturnType<typeof mapColumns> | undefined;
      let rows = 0;
      const strictWidth = !/\.xlsx$/i.test(file);
      try {
        for await (const source of reader) {
          if ("incomplete" in source && source.incomplete) return fail(`incomplete: ${source.reason} [${source.code}]`, `读取不完整：${source.zh ?? source.reason} [${source.code}]`, "incomplete_reading");
          if (map === undefined) {
            const atHeader = options.headerRow !== undefined ? source.row === options.headerRow : "cells" in source && isHeaderRow(columns, source.cells);
            if (!atHeader) {
              if (source.row > (options.headerRow ?? HEADER_SEARCH)) return fail(`no header row naming the key column in the first ${HEADER_SEARCH} rows; give --header-row`, `前 ${HEADER_SEARCH} 行中没有含关键列的表头；请用 --header-row 指定`);
              continue;
            }
            if (!("cells" in source)) return fail(`row ${source.row} is not a readable header row`, `第 ${source.row} 行不是可读的表头`);
            map = mapColumns(columns, source.cells);
            if (!map.ok) return fail(`row ${source.row}: ${map.reason}`, `第 ${source.row} 行：${map.zh}`);
            screener.begin(table, file, map.map.missing);
            continue;
          }
          if (!map.ok) continue;
          rows++;
          if (!("cells" in source)) screener.reject(source.row, source.code, source.reason);
          else if (strictWidth && source.cells.length !== map.map.width) screener.reject(source.row, "wrong_cell_count", `has ${source.cells.length} cells, the header has ${map.map.width}`);
          else {
            const values: Record<string, unknown> = {};
            for (const [field, index] of map.map.indexes) values[field] = source.cells[index];
            screener.push(values, source.row);
          }
          if (rows % 10_000 === 0) options.onProgress?.(table, file, rows);
        }
      } catch (error) {
        const issue = readErrorIssue(error);
        if (issue) return fail(`${issue.message} [${issue.code}]`, `${issue.zh ?? issue.message} [${issue.code}]`, issue.code);
        const code = (error as { code?: unknown }).code;
        const detail = typeof code === "string" && /^E[A-Z]+$/.test(code) ? code : (error as Error).message;
        return fail(`cannot read the file (${detail})`, `无法读取文件（${detail}）`);
      }
      if (map === undefined) return fail("no header row naming the key column", "没有含关键列的表头");
      if (!reader.summary.complete) return fail("incomplete: the file was not read to its end", "读取不完整：文件未读完", "incomplete_reading");
      options.onProgress?.(table, file, rows);
    }
  }
  return { ok: true, result: screener.finish() };
}
