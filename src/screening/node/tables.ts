import { Piscina } from "piscina";
import { isHeaderRow, mapColumns } from "../columns";
import type { ParameterValue } from "../schema";
import { cellCountProblem } from "../records";
import { workerModule, workerOptions } from "./pool";
import type { CsvEncoding } from "./encoding";
import { readErrorIssue } from "./read-error";
import { readRows } from "./rows";
import type { PreparedTablesRulebook } from "../tables/prepare";
import { TablesScreener, type RuleTest, type RuleTestResult, type TablesResult } from "../tables/screen";

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
  /** Workers to run record rules' conditions on (see {@link createTablesPool}); they run on this thread without one. */
  readonly pool?: TablesPool;
}

/** A pool of worker threads running record rules' conditions for a multi-table screening. */
export interface TablesPool {
  run(tasks: readonly RuleTest[]): Promise<RuleTestResult[]>;
  close(): Promise<void>;
}

/**
 * Starts worker threads (piscina), each with the multi-table rulebook prepared once. The worker
 * module is `tables-worker.js` next to the running bundle, or its `.ts` source (see `workerModule`).
 *
 * @param threads - The number of workers, at least 1.
 * @param init - The rulebook (as JSON) and the parameter overrides.
 * @returns The pool.
 */
export function createTablesPool(threads: number, init: { readonly rulebook: unknown; readonly parameters: Readonly<Record<string, ParameterValue>> }): TablesPool {
  const { filename, loader, workerData } = workerModule("tables-worker", init);
  const options = workerOptions(process.execArgv, loader);
  const pool = new Piscina({ filename, minThreads: threads, maxThreads: threads, workerData, execArgv: options.execArgv, ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}), idleTimeout: 60_000 });
  return { run: (tasks) => pool.run(tasks) as Promise<RuleTestResult[]>, close: () => pool.destroy() };
}

/** Rule tests per batch sent to a worker, and batches in flight at most. */
const BATCH = 1000;
const IN_FLIGHT = 4;

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
  const { pool } = options;
  const screener = new TablesScreener(prepared, [...new Set(files.map((f) => f.table))], { deferTests: pool !== undefined });
  // Batches of rule tests on the workers; findings are sorted at the end, so they may settle in any order.
  const inFlight: Promise<void>[] = [];
  const dispatch = async (all: boolean) => {
    if (pool && (all ? screener.pendingTests > 0 : screener.pendingTests >= BATCH)) {
      const batch = screener.takeTests();
      inFlight.push(pool.run(batch.tasks).then((results) => batch.settle(results)));
    }
    while (inFlight.length > (all ? 0 : IN_FLIGHT - 1)) await inFlight.shift();
  };
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
          const wrong = "cells" in source ? cellCountProblem(source.cells, map.map.width, strictWidth) : undefined;
          if (!("cells" in source)) screener.reject(source.row, source.code, source.reason);
          else if (wrong !== undefined) screener.reject(source.row, "wrong_cell_count", wrong);
          else {
            const values: Record<string, unknown> = {};
            for (const [field, index] of map.map.indexes) values[field] = source.cells[index];
            screener.push(values, source.row);
          }
          if (rows % 10_000 === 0) options.onProgress?.(table, file, rows);
          if (pool && screener.pendingTests >= BATCH) await dispatch(false);
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
  await dispatch(true);
  screener.endRows();
  // The held tables' rules, taken in batches.
  while (screener.pendingTests > 0) {
    const batch = screener.takeTests();
    const results = (await Promise.all(Array.from({ length: Math.ceil(batch.tasks.length / BATCH) }, (_, i) => (pool as TablesPool).run(batch.tasks.slice(i * BATCH, (i + 1) * BATCH))))).flat();
    batch.settle(results);
  }
  return { ok: true, result: screener.finish() };
}
