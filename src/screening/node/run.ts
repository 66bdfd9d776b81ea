import { isHeaderRow, mapColumns, type ColumnMap } from "../columns";
import type { ScreeningItem } from "../evaluate";
import type { PreparedRulebook } from "../prepare";
import { Screener, type ScreeningCounts } from "../screen";
import type { CsvEncoding } from "./encoding";
import type { RejectedRow, ScreeningRecord } from "../records";
import type { EvaluatorPool } from "./pool";
import { readErrorIssue } from "./read-error";
import { readRows, type ReadSummary, type SourceRowError } from "./rows";

/** Options of {@link screenFile}. */
export interface ScreenFileOptions {
  /** The CSV encoding (`auto` by default). */
  readonly encoding?: CsvEncoding;
  /** The worksheet of a workbook (name or 1-based number); by default the first with a non-blank row. */
  readonly sheet?: string | number;
  /** The header's row number; by default the first row among the first 50 that names a key column. */
  readonly headerRow?: number;
  /** Workers to evaluate on; evaluation runs on this thread without one. */
  readonly pool?: EvaluatorPool;
  /** Receives findings and rejected rows, batch by batch, in input order. */
  readonly onItems: (items: readonly ScreeningItem[]) => void | Promise<void>;
  /** Called after each batch with the rows read so far and, for a progress display, the bytes of the file read so far. */
  readonly onProgress?: (rowsRead: number, bytesRead?: number) => void;
  /** Records per batch (default 1,000). */
  readonly batchSize?: number;
}

/** A worker that stopped while it held a batch: the rows it held, screened again one record at a time. */
export interface WorkerFailure {
  /** The first and last row of the batch. */
  readonly rows: readonly [first: number, last: number];
  /** How many records of it could not be screened again either (reported as `not_screened` rows). */
  readonly notScreened: number;
  /** Why the worker stopped (e.g. out of memory). */
  readonly reason: string;
}

/** The outcome of {@link screenFile}: counts, or why the file could not be screened. */
export type ScreenFileResult =
  | { readonly ok: true; readonly counts: ScreeningCounts; readonly workerFailures: readonly WorkerFailure[]; readonly reading?: ReadSummary }
  | {
      readonly ok: false;
      readonly reason: string;
      /** The reader's error code, when the file could not be read (see `READ_ERROR_CODES`), or `incomplete_reading`. */
      readonly code?: string;
      /** The reason in Chinese, where the reader gave one. */
      readonly zh?: string;
      readonly counts?: ScreeningCounts;
      readonly reading?: ReadSummary;
    };

/** How far to look for the header when `headerRow` is not given. */
const HEADER_SEARCH = 50;

/**
 * Screens one file as a stream: reads it row by row, finds the header, maps columns to fields,
 * assembles records, evaluates them in batches (on a worker pool when given, keeping input order
 * with a bounded number of batches in flight) and hands the results to `onItems`.
 *
 * @param prepared - The prepared rulebook.
 * @param file - A `.csv` or `.xlsx` file.
 * @param options - Encoding, header row, pool and the receiver of results.
 * A rule that fails on a record is an undecided finding of that record; a worker that stops
 * (out of memory) is reported with the rows of its batch, which are screened again one record at
 * a time, so that none is lost silently.
 *
 * @returns The counts and the workers that stopped, or why the file could not be screened (unreadable, no header, no key column).
 * @throws Whatever `onItems` throws (e.g. the output cannot be written): that is not a fault of the file.
 */
export async function screenFile(prepared: PreparedRulebook, file: string, options: ScreenFileOptions): Promise<ScreenFileResult> {
  const { pool, onItems, headerRow } = options;
  const batchSize = options.batchSize ?? 1000;
  const inFlight: Promise<ScreeningItem[]>[] = [];
  const maxInFlight = 4;
  let screener: Screener | undefined;
  let map: ColumnMap | undefined;
  const strictWidth = !/\.xlsx$/i.test(file);
  const workerFailures: WorkerFailure[] = [];

  /** Evaluates a batch on the pool; if its worker stops, each record again alone (on a fresh worker), and what fails again is reported. */
  const onPool = async (active: EvaluatorPool, level: Screener["level"], missing: Screener["missing"], entries: (ScreeningRecord | RejectedRow)[]): Promise<ScreeningItem[]> => {
    try {
      return await active.evaluate({ level, missing, entries });
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      const rows = entries.flatMap(rowsOf);
      const items: ScreeningItem[] = [];
      let lost = 0;
      for (const entry of entries) {
        if (entry.kind === "rejected") {
          items.push(entry);
          continue;
        }
        try {
          items.push(...(await active.evaluate({ level, missing, entries: [entry] })));
        } catch (again) {
          lost++;
          const why = again instanceof Error ? `${again.name}: ${again.message}` : String(again);
          for (const row of rowsOf(entry)) {
            const rejected = { kind: "rejected", code: "not_screened", reason: `not screened: the worker evaluating record ${entry.id} stopped twice (${why})`, row } as const;
            items.push(entry.file === undefined ? rejected : { ...rejected, file: entry.file });
          }
        }
      }
      workerFailures.push({ rows: [Math.min(...rows), Math.max(...rows)], notScreened: lost, reason });
      return items;
    }
  };

  // An error of the receiver (writing the output) is not an error of reading the file: it propagates.
  let sinkError: unknown;
  const deliver = async (items: ScreeningItem[]) => {
    screener?.count(items);
    try {
      await onItems(items);
    } catch (error) {
      sinkError = error ?? new Error("the receiver of the findings failed");
      throw sinkError;
    }
  };
  const dispatch = async (end: boolean) => {
    if (!screener) return;
    const entries = screener.take(end);
    if (entries.length > 0) {
      if (pool) inFlight.push(onPool(pool, screener.level, screener.missing, entries));
      else await deliver(screener.evaluate(entries));
    }
    while (inFlight.length > (end ? 0 : maxInFlight - 1)) await deliver(await (inFlight.shift() as Promise<ScreeningItem[]>));
    options.onProgress?.(screener.counts().rowsRead, reader.summary.bytesRead);
  };

  const reader = readRows(file, {
    ...(options.encoding === undefined ? {} : { encoding: options.encoding }),
    ...(options.sheet === undefined ? {} : { sheet: options.sheet }),
  });
  // Rows where the file's structure broke (an unclosed quote, a stopped reading): the run is incomplete.
  const broken: SourceRowError[] = [];
  try {
    for await (const source of reader) {
      if ("incomplete" in source && source.incomplete) broken.push(source);
      if (!screener || !map) {
        const atHeader = headerRow !== undefined ? source.row >= headerRow : "cells" in source && isHeaderRow(prepared, source.cells);
        if (!atHeader) {
          if (headerRow === undefined && source.row > HEADER_SEARCH) {
            return { ok: false, reason: `no header row naming a key column in the first ${HEADER_SEARCH} rows; give --header-row` };
          }
          continue;
        }
        if (!("cells" in source) || (headerRow !== undefined && source.row !== headerRow)) {
          return { ok: false, reason: `row ${headerRow ?? source.row} is not a readable header row` };
        }
        const mapped = mapColumns(prepared, source.cells);
        if (!mapped.ok) return { ok: false, reason: `row ${source.row}: ${mapped.reason}`, zh: `第 ${source.row} 行：${mapped.zh}` };
        map = mapped.map;
        screener = new Screener(prepared, map.level, file, map.missing);
        continue;
      }
      if (!("cells" in source)) screener.reject(source.row, source.code, source.reason);
      else if (source.cells.length > map.width && source.cells.slice(map.width).some((cell) => cell !== null && cell !== undefined && String(cell).trim() !== "")) {
        screener.reject(source.row, "wrong_cell_count", `has ${source.cells.length} cells, the header has ${map.width}`, source.cells);
      } else if (strictWidth && source.cells.length < map.width) {
        screener.reject(source.row, "wrong_cell_count", `has ${source.cells.length} cells, the header has ${map.width}`, source.cells);
      } else screener.pushCells(source.cells, source.row, map);
      if (screener.waiting >= batchSize) await dispatch(false);
    }
    if (!screener) return { ok: false, reason: headerRow === undefined ? "no header row naming a key column" : `the file has no row ${headerRow}`, reading: reader.summary };
    await dispatch(true);
    if (broken.length > 0 || !reader.summary.complete) {
      const first = broken[0];
      const more = broken.length > 1 ? ` (and ${broken.length - 1} more)` : "";
      const moreZh = broken.length > 1 ? `（另有 ${broken.length - 1} 处）` : "";
      return {
        ok: false,
        code: "incomplete_reading",
        reason: `incomplete: ${first ? `${first.reason} [${first.code}]` : "the file was not read to its end"}${more}`,
        zh: `筛查不完整：${first ? `${first.zh ?? first.reason} [${first.code}]` : "文件未读完"}${moreZh}`,
        counts: screener.counts(),
        reading: reader.summary,
      };
    }
    return { ok: true, counts: screener.counts(), workerFailures, reading: reader.summary };
  } catch (error) {
    await Promise.allSettled(inFlight);
    if (sinkError !== undefined && error === sinkError) throw error;
    const issue = readErrorIssue(error);
    if (issue) {
      const failed = { ok: false as const, reason: `${issue.message} [${issue.code}]`, code: issue.code, ...(issue.zh === undefined ? {} : { zh: `${issue.zh} [${issue.code}]` }), reading: reader.summary };
      return screener ? { ...failed, counts: screener.counts() } : failed;
    }
    const code = (error as { code?: unknown }).code;
    const reason = typeof code === "string" && /^E[A-Z]+$/.test(code) ? `cannot read the file (${code})` : `cannot read the file: ${(error as Error).message}`;
    return screener ? { ok: false, reason, counts: screener.counts() } : { ok: false, reason };
  }
}

/** The rows an entry holds. */
function rowsOf(entry: ScreeningRecord | RejectedRow): number[] {
  if (entry.kind === "rejected" || entry.members.length === 0) return [entry.row];
  return entry.members.map((member) => member.row);
}
