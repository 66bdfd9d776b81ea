import { isHeaderRow, mapColumns, type ColumnMap } from "../columns";
import type { ScreeningItem } from "../evaluate";
import type { PreparedRulebook } from "../prepare";
import { Screener, type ScreeningCounts } from "../screen";
import type { CsvEncoding } from "./encoding";
import { SMALL_HOUSEHOLD, type RejectedRow, type ScreeningRecord } from "../records";
import { CellFinder, LineRecord } from "./csv";
import { assembleLines, batchEvaluator, linesAssembler, type LinesTask } from "./lines";
import type { EvaluateTask, EvaluatorPool } from "./pool";
import { readErrorIssue } from "./read-error";
import { readRows, type ReadSummary, type SourceCells, type SourceRow, type SourceRowError } from "./rows";

/** Options of {@link screenFile}. */
export interface ScreenFileOptions {
  /** The CSV encoding (`auto` by default). */
  readonly encoding?: CsvEncoding;
  /** The worksheet of a workbook (name or 1-based number); by default the first with a non-blank row. */
  readonly sheet?: string | number;
  /** The header's row number; by default the first row among the first 50 that names a key column. */
  readonly headerRow?: number;
  /** Workers to screen on besides this thread (see decision 0303); everything runs on this thread without one. */
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
/** Batches a pool holds at once per worker thread (one running, one waiting): further batches are evaluated on this thread rather than wait. */
const POOL_DEPTH = 2;
/** Batches evaluated here but not yet delivered, at most (besides those the pool holds). */
const QUEUE_DEPTH = 4;

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
  // Batches delivered in input order: a worker's result, or one evaluated here (already done).
  const queue: Promise<ScreeningItem[]>[] = [];
  let poolBusy = 0;
  let screener: Screener | undefined;
  let map: ColumnMap | undefined;
  const strictWidth = !/\.xlsx$/i.test(file);
  const workerFailures: WorkerFailure[] = [];

  /** Evaluates a batch on the pool; if its worker stops, each record again alone (on a fresh worker), and what fails again is reported. */
  const onPool = async (active: EvaluatorPool, task: EvaluateTask | LinesTask): Promise<ScreeningItem[]> => {
    try {
      return await active.evaluate(task);
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      const { level, missing } = task;
      const entries = "kind" in task ? assembleLines(linesAssembler(prepared, task), task) : task.entries;
      const rows = entries.flatMap(rowsOf);
      const items: ScreeningItem[] = [];
      let lost = 0;
      for (const entry of entries) {
        if (entry.kind === "rejected") {
          items.push(entry);
          continue;
        }
        try {
          items.push(...(await active.evaluate({ level, ...(missing === undefined ? {} : { missing }), entries: [entry] })));
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
  // Batches evaluated here wait behind those the pool holds.
  const queueDepth = QUEUE_DEPTH + (pool === undefined ? 0 : POOL_DEPTH * (pool.threads ?? 1));
  /** Whether the pool can take another batch now: otherwise this thread evaluates it, rather than wait. */
  const poolFree = () => pool !== undefined && poolBusy < POOL_DEPTH * (pool.threads ?? 1);
  const submit = (active: EvaluatorPool, task: EvaluateTask | LinesTask) => {
    poolBusy++;
    queue.push(
      onPool(active, task).finally(() => {
        poolBusy--;
      }),
    );
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
  /** Delivers the batches at the head of the queue, down to `keep` batches (all of them with 0). */
  const settle = async (keep: number) => {
    while (queue.length > keep) await deliver(await (queue.shift() as Promise<ScreeningItem[]>));
    options.onProgress?.(screener?.counts().rowsRead ?? 0, reader.summary.bytesRead);
  };
  /** Evaluates the records the screener completed (with `end`, the open one too), on the pool or here. */
  const take = (end: boolean) => {
    if (!screener) return;
    const entries = screener.take(end);
    if (entries.length === 0) return;
    // Records cost more to send than to evaluate here, where lines can be sent instead.
    if (pool && poolFree() && !linesOk) submit(pool, { level: screener.level, missing: screener.missing, entries });
    else queue.push(Promise.resolve(screener.evaluate(entries)));
  };
  /** {@link take}, then deliver what is done (everything, at the end). */
  const dispatch = async (end: boolean) => {
    take(end);
    await settle(end ? 0 : queueDepth);
  };
  /** One row into the screener, as read: rejected when the file's structure broke there or its width is wrong. */
  const pushRow = async (active: Screener, columns: ColumnMap, source: SourceRow) => {
    if (!("cells" in source)) active.reject(source.row, source.code, source.reason);
    else if (source.cells.length > columns.width && source.cells.slice(columns.width).some((cell) => cell !== null && cell !== undefined && String(cell).trim() !== "")) {
      active.reject(source.row, "wrong_cell_count", `has ${source.cells.length} cells, the header has ${columns.width}`, source.cells);
    } else if (strictWidth && source.cells.length < columns.width) {
      active.reject(source.row, "wrong_cell_count", `has ${source.cells.length} cells, the header has ${columns.width}`, source.cells);
    } else active.pushCells(source.cells, source.row, columns);
    if (active.waiting >= batchSize) await dispatch(false);
  };

  // With a pool, a CSV's rows of whole records whose keys are new and whose lines hold no quote
  // ("plain" rows: nearly all of an export) are held back and sent to a worker as their lines,
  // which it assembles itself: sending text costs a fraction of sending cells or records. A row
  // that is not plain sends the rows held before it through this thread's screener, in order, so
  // that every rejection and every household's rows come out exactly as without a pool.
  const linesOk = pool !== undefined && strictWidth;
  // The held rows: their lines and row numbers (not their cells: objects held across many rows cost the garbage collector).
  let held: string[] | undefined;
  let heldRows: number[] = [];
  // The keys of the held records, claimed from the assembler (counted as seen) when they are held.
  let heldIds: string[] = [];
  let lastId: string | undefined;
  const persons = new PersonKeys();
  /** A plain row (one line without quotes, of the header's width) into the screener, as its line. */
  const pushPlain = async (active: Screener, columns: ColumnMap, line: string, row: number) => {
    active.pushLine(line, delimiter, row, columns);
    if (active.waiting >= batchSize) await dispatch(false);
  };
  /** The held rows through this thread's screener, one by one. */
  const release = async (active: Screener, columns: ColumnMap) => {
    const lines = held ?? [];
    held = undefined;
    active.assembler.unclaim(heldIds);
    for (let i = 0; i < lines.length; i++) await pushPlain(active, columns, lines[i] as string, heldRows[i] as number);
  };
  // What a worker does with a batch of lines, done here when the pool is busy.
  let here: ReturnType<typeof batchEvaluator> | undefined;
  /** The held rows to the pool as lines, once the records before them are dispatched; or screened here as a worker would, when the pool is busy. */
  const sendHeld = async (active: Screener, columns: ColumnMap) => {
    const lines = held ?? [];
    if (pool === undefined) return release(active, columns);
    held = undefined;
    // The records before the held ones are complete: the first held row starts a record.
    take(true);
    active.assembler.skip(lines.length);
    const task: LinesTask = {
      kind: "lines",
      level: active.level,
      missing: active.missing,
      file,
      columns: { indexes: columns.indexes, ...(columns.names === undefined ? {} : { names: columns.names }) },
      delimiter,
      lines,
      rows: heldRows,
    };
    // A worker's answer comes as an event: one turn of the event loop lets in those that arrived
    // while this thread was reading, so that a pool that has just finished is not taken for busy.
    if (!poolFree()) await new Promise((resolve) => setImmediate(resolve));
    if (poolFree()) submit(pool, task);
    else {
      here ??= batchEvaluator(prepared);
      queue.push(Promise.resolve(here(task)));
    }
    await settle(queueDepth);
  };

  let keyCells: KeyCells = keyCellsOf({ key: -1, member: -1 }, false);
  let finder: CellFinder | undefined;
  let delimiter = ",";
  const reader = readRows(file, {
    ...(options.encoding === undefined ? {} : { encoding: options.encoding }),
    ...(options.sheet === undefined ? {} : { sheet: options.sheet }),
    // Plain rows go in as lines: their cells are split where they are assembled (in a worker, with a pool), only their keys here.
    ...(strictWidth ? { lines: true } : {}),
  });
  // Rows where the file's structure broke (an unclosed quote, a stopped reading): the run is incomplete.
  const broken: SourceRowError[] = [];
  try {
    for await (const batch of reader.batches()) for (const source of batch) {
      if ("incomplete" in source && source.incomplete) broken.push(source);
      if (!screener || !map) {
        const atHeader = headerRow !== undefined ? source.row >= headerRow : "cells" in source && isHeaderRow(prepared, source.cells);
        if (!atHeader) {
          if (headerRow === undefined && source.row > HEADER_SEARCH) {
            return { ok: false, reason: `no header row naming a key column in the first ${HEADER_SEARCH} rows; give --header-row`, zh: `前 ${HEADER_SEARCH} 行中没有列出键列的表头行；请用 --header-row 指定` };
          }
          continue;
        }
        if (!("cells" in source) || (headerRow !== undefined && source.row !== headerRow)) {
          return { ok: false, reason: `row ${headerRow ?? source.row} is not a readable header row`, zh: `第 ${headerRow ?? source.row} 行不是可读取的表头行` };
        }
        const mapped = mapColumns(prepared, source.cells);
        if (!mapped.ok) return { ok: false, reason: `row ${source.row}: ${mapped.reason}`, zh: `第 ${source.row} 行：${mapped.zh}` };
        map = mapped.map;
        screener = new Screener(prepared, map.level, file, map.missing);
        screener.assembler.useColumns(map.indexes, map.names);
        keyCells = keyCellsOf(screener.assembler.keyColumns(), map.level === "person");
        delimiter = reader.summary.delimiter ?? ",";
        finder = new CellFinder(delimiter, keyCells.indexes, map.width);
        continue;
      }
      if (!linesOk) {
        // Without a pool, a plain row still goes in as its line (a household's further lines are
        // split only from their person cells); the assembler checks its width as it splits it.
        // The loop awaits only when a batch is due: an await per row costs a turn of the microtask queue.
        if (source instanceof LineRecord && screener.pushLine(source.line, delimiter, source.row, map, map.width)) {
          if (screener.waiting >= batchSize) await dispatch(false);
        } else await pushRow(screener, map, source);
        continue;
      }
      // Is the row plain: one line without quotes, of the header's width, with the keys it is placed by?
      const assembler = screener.assembler;
      let id: string | undefined;
      let person: string | undefined;
      // The row's line, where it is plain: one line without quotes, of the header's width.
      let plain: string | undefined;
      if ("cells" in source && source.line !== undefined) {
        // The key cells, found in the line without splitting all of it where the reader left it whole.
        const width = source instanceof LineRecord && finder !== undefined ? finder.find(source.line, keyCells.found) : source.cells.length;
        if (!(source instanceof LineRecord)) for (let i = 0; i < keyCells.indexes.length; i++) keyCells.found[i] = source.cells[keyCells.indexes[i] as number] as string | undefined;
        if (width === map.width) plain = source.line;
        if (width === map.width && keyCells.ok) {
          id = assembler.keyOf(keyCells.found[keyCells.key]);
          if (id !== undefined && map.level === "person") {
            person = assembler.memberKeyOf(keyCells.found[keyCells.member]);
            if (person === undefined) id = undefined;
          }
        }
      }
      if (held !== undefined) {
        // A further row of the last household held, with a new person.
        if (id !== undefined && map.level === "person" && id === lastId && !persons.has(person as string)) {
          held.push((source as SourceCells).line as string);
          heldRows.push(source.row);
          persons.add(person as string);
          continue;
        }
      }
      // A new record's key is claimed as it is held (one lookup for the check and the claim).
      const fresh = id !== undefined && id !== lastId && assembler.claim(id);
      if (held !== undefined) {
        if (!fresh) {
          await release(screener, map);
          await (plain === undefined ? pushRow(screener, map, source) : pushPlain(screener, map, plain, source.row));
          continue;
        }
        if (heldIds.length >= batchSize) await sendHeld(screener, map);
      }
      if (fresh && id !== undefined) {
        // A new record: held (a batch begins with it when none is held). The batch goes to the
        // pool when it is complete, or is screened here if the pool is busy then.
        if (held === undefined) {
          held = [];
          heldRows = [];
          heldIds = [];
        }
        held.push((source as SourceCells).line as string);
        heldRows.push(source.row);
        heldIds.push(id);
        lastId = id;
        persons.clear();
        if (person !== undefined) persons.add(person);
        continue;
      }
      await (plain === undefined ? pushRow(screener, map, source) : pushPlain(screener, map, plain, source.row));
    }
    if (!screener || !map) {
      return headerRow === undefined
        ? { ok: false, reason: "no header row naming a key column", zh: "没有列出键列的表头行", reading: reader.summary }
        : { ok: false, reason: `the file has no row ${headerRow}`, zh: `文件没有第 ${headerRow} 行`, reading: reader.summary };
    }
    if (held !== undefined) await sendHeld(screener, map);
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
    await Promise.allSettled(queue);
    if (sinkError !== undefined && error === sinkError) throw error;
    const issue = readErrorIssue(error);
    if (issue) {
      const failed = { ok: false as const, reason: `${issue.message} [${issue.code}]`, code: issue.code, ...(issue.zh === undefined ? {} : { zh: `${issue.zh} [${issue.code}]` }), reading: reader.summary };
      return screener ? { ...failed, counts: screener.counts() } : failed;
    }
    const code = (error as { code?: unknown }).code;
    const named = typeof code === "string" && /^E[A-Z]+$/.test(code);
    const reason = named ? `cannot read the file (${code})` : `cannot read the file: ${(error as Error).message}`;
    const zh = named ? `无法读取文件（${code}）` : `无法读取文件：${(error as Error).message}`;
    return screener ? { ok: false, reason, zh, counts: screener.counts() } : { ok: false, reason, zh };
  }
}

/** The keys of the persons of one household: a short list while it is small, a set once it is large. */
class PersonKeys {
  private list: string[] = [];
  private set: Set<string> | undefined;

  has(id: string): boolean {
    return this.set !== undefined ? this.set.has(id) : this.list.includes(id);
  }

  add(id: string): void {
    if (this.set !== undefined) this.set.add(id);
    else if (this.list.push(id) > SMALL_HOUSEHOLD) this.set = new Set(this.list);
  }

  clear(): void {
    if (this.list.length !== 0) this.list.length = 0;
    this.set = undefined;
  }
}

/** Where the key cells of a row are, and the cells found there, row after row. */
interface KeyCells {
  /** The key columns, ascending. */
  readonly indexes: readonly number[];
  /** The cells at those columns in the row at hand. */
  readonly found: (string | undefined)[];
  /** The position of the record's key, and of the person's, in `indexes`. */
  readonly key: number;
  readonly member: number;
  /** Whether every key needed has a column. */
  readonly ok: boolean;
}

function keyCellsOf(columns: { readonly key: number; readonly member: number }, persons: boolean): KeyCells {
  const wanted = persons ? [columns.key, columns.member] : [columns.key];
  const indexes = [...wanted].sort((a, b) => a - b);
  return { indexes, found: [], key: indexes.indexOf(columns.key), member: persons ? indexes.lastIndexOf(columns.member) : -1, ok: wanted.every((i) => i >= 0) };
}

/** The rows an entry holds. */
function rowsOf(entry: ScreeningRecord | RejectedRow): number[] {
  if (entry.kind === "rejected" || entry.members.length === 0) return [entry.row];
  return entry.members.map((member) => member.row);
}
