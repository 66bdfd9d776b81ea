import { isHeaderRow, mapColumns, type ColumnMap } from "../columns";
import { EntryEvaluator, type ScreeningItem } from "../evaluate";
import type { PreparedRulebook } from "../prepare";
import { Screener, type ScreeningCounts } from "../screen";
import type { CsvEncoding } from "./encoding";
import type { RejectedRow, ScreeningRecord } from "../records";
import { CellFinder, LineBlock, LineRecord } from "./csv";
import { assembleLines, batchEvaluator, linesAssembler, screenLines, type BatchEvaluator, type LinesResult, type LinesTask } from "./lines";
import type { EvaluateTask, EvaluatorPool } from "./pool";
import { readErrorIssue } from "./read-error";
import { readRows, type ReadSummary, type RowReader, type SourceRow, type SourceRowError } from "./rows";

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
  /** Records per batch (default 1,000); with a pool, a CSV's batches of lines hold at least this many rows, cut where the household key changes. */
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
/** Batches' worth of rows gathered without a place to cut them (rows that are all rejected, a household of thousands): past this, the rest is screened here. */
const MOST_GATHERED = 16;

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
  // Batches in input order, each settling to what delivers it: a batch of lines is accounted for
  // (its keys claimed) when it is delivered, after every batch before it.
  const queue: Promise<() => ScreeningItem[]>[] = [];
  let poolBusy = 0;
  let screener: Screener | undefined;
  let map: ColumnMap | undefined;
  const strictWidth = !/\.xlsx$/i.test(file);
  const workerFailures: WorkerFailure[] = [];

  /** Entries whose worker stopped, each again alone (on a fresh worker); what fails again is reported as not screened. */
  const again = async (active: EvaluatorPool, task: { readonly level: EvaluateTask["level"]; readonly missing?: EvaluateTask["missing"] }, entries: readonly (ScreeningRecord | RejectedRow)[], error: unknown): Promise<ScreeningItem[]> => {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const { level, missing } = task;
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
      } catch (twice) {
        lost++;
        const why = twice instanceof Error ? `${twice.name}: ${twice.message}` : String(twice);
        for (const row of rowsOf(entry)) {
          const rejected = { kind: "rejected", code: "not_screened", reason: `not screened: the worker evaluating record ${entry.id} stopped twice (${why})`, row } as const;
          items.push(entry.file === undefined ? rejected : { ...rejected, file: entry.file });
        }
      }
    }
    workerFailures.push({ rows: [Math.min(...rows), Math.max(...rows)], notScreened: lost, reason });
    return items;
  };
  /** Evaluates a batch of records on the pool; if its worker stops, each record again alone. */
  const onPool = async (active: EvaluatorPool, task: EvaluateTask): Promise<ScreeningItem[]> => {
    try {
      return await active.evaluate(task);
    } catch (error) {
      return again(active, task, task.entries, error);
    }
  };
  /** Screens a batch of lines on the pool; if its worker stops, its records are assembled here and evaluated again alone. */
  const onPoolLines = async (active: EvaluatorPool, task: LinesTask): Promise<LinesResult> => {
    try {
      return await active.screenLines(task);
    } catch (error) {
      const assembler = linesAssembler(prepared, task);
      const entries = assembleLines(assembler, task);
      return { items: await again(active, task, entries, error), keys: assembler.takeKeys(), counts: { ...assembler.counts } };
    }
  };
  // Batches evaluated here wait behind those the pool holds.
  const queueDepth = QUEUE_DEPTH + (pool === undefined ? 0 : POOL_DEPTH * (pool.threads ?? 1));
  /** Whether the pool can take another batch now: otherwise this thread evaluates it, rather than wait. */
  const poolFree = () => pool !== undefined && poolBusy < POOL_DEPTH * (pool.threads ?? 1);
  const submit = (work: Promise<() => ScreeningItem[]>) => {
    poolBusy++;
    queue.push(
      work.finally(() => {
        poolBusy--;
      }),
    );
  };
  const done = (items: ScreeningItem[]) => () => items;

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
    while (queue.length > keep) await deliver((await (queue.shift() as Promise<() => ScreeningItem[]>))());
    options.onProgress?.(screener?.counts().rowsRead ?? 0, reader.summary.bytesRead);
  };
  /** Evaluates the records the screener completed (with `end`, the open one too), on the pool or here. */
  const take = (end: boolean) => {
    if (!screener) return;
    const entries = screener.take(end);
    if (entries.length === 0) return;
    // Records cost more to send than to evaluate here, where lines can be sent instead.
    if (pool && poolFree() && !linesOk) submit(onPool(pool, { level: screener.level, missing: screener.missing, entries }).then(done));
    else queue.push(Promise.resolve(done(screener.evaluate(entries))));
  };
  /** {@link take}, then deliver what is done (everything, at the end). */
  const dispatch = async (end: boolean) => {
    take(end);
    await settle(end ? 0 : queueDepth);
  };

  // With a pool, a CSV's rows go to a worker in batches of their text (runs of one-line records
  // without quotes as one text, other rows as read), each batch cut where the household key
  // changes and screened as if it were a file of its own. The keys of its records come back with
  // its items and are claimed here when it is delivered, in order: a batch one of whose keys was
  // read before (a household split across the file) is screened again here, as inline. So every
  // rejection and every household's rows come out exactly as without a pool (decision 0303).
  const linesOk = pool !== undefined && strictWidth;
  let batching = false;
  // The rows of the batch being gathered: texts of lines and rows as read, each part's first row
  // number and number of lines.
  let parts: (string | SourceRow)[] = [];
  let partRows: number[] = [];
  let partLines: number[] = [];
  let gathered = 0;
  // What a worker does with a batch of lines, done here when the pool is busy.
  let here: BatchEvaluator | undefined;
  // Screens a batch again here, with this thread's own assembler.
  let rescreen: EntryEvaluator | undefined;
  /** Delivers a batch of lines: its keys claimed, and its items; or, where one of its keys was read before, screened again here. */
  const account = (task: LinesTask, result: LinesResult) => (): ScreeningItem[] => {
    const active = screener as Screener;
    if (active.assembler.claimAll(result.keys)) {
      active.assembler.addCounts(result.counts);
      return result.items;
    }
    rescreen ??= new EntryEvaluator(prepared, active.plan);
    return screenLines(active.assembler, rescreen, task);
  };
  /** The parts gathered before `count` (and `head`, the start of the next one) to the pool as a batch, or screened here as a worker would, when the pool is busy. */
  const send = async (count: number, head?: string) => {
    const active = screener as Screener;
    const columns = map as ColumnMap;
    const task: LinesTask = {
      kind: "lines",
      level: active.level,
      missing: active.missing,
      file,
      columns: { indexes: columns.indexes, ...(columns.names === undefined ? {} : { names: columns.names }) },
      delimiter,
      width: columns.width,
      parts: head === undefined ? parts.slice(0, count) : [...parts.slice(0, count), head],
      rows: partRows.slice(0, head === undefined ? count : count + 1),
    };
    // A worker's answer comes as an event: one turn of the event loop lets in those that arrived
    // while this thread was reading, so that a pool that has just finished is not taken for busy.
    if (!poolFree()) await new Promise((resolve) => setImmediate(resolve));
    if (pool !== undefined && poolFree()) submit(onPoolLines(pool, task).then((result) => account(task, result)));
    else {
      here ??= batchEvaluator(prepared);
      queue.push(Promise.resolve(account(task, here.lines(task))));
    }
    await settle(queueDepth);
  };
  /** The key by which a line of the gathered text is placed, where it starts a record when it follows a record of another key (it has the header's width and a key). */
  const lineKey = (line: string): string | undefined => (finder !== undefined && finder.find(line, keyCells.found) === (map as ColumnMap).width ? (screener as Screener).assembler.keyOf(keyCells.found[keyCells.key]) : undefined);
  const rowKey = (row: string | SourceRow): string | undefined => {
    if (typeof row === "string") return lineKey(row.slice(row.lastIndexOf("\n") + 1));
    return "cells" in row && row.cells.length === (map as ColumnMap).width ? (screener as Screener).assembler.keyOf(row.cells[(keyCells.indexes[keyCells.key] as number)]) : undefined;
  };
  /** The rows gathered before part `count` to the pool as a batch, the rest kept. */
  const sendBefore = async (count: number) => {
    await send(count);
    parts = parts.slice(count);
    partRows = partRows.slice(count);
    partLines = partLines.slice(count);
    gathered = partLines.reduce((sum, lines) => sum + lines, 0);
  };
  /**
   * Sends the gathered rows in batches of at least `batchSize` rows, each cut at the first place
   * from there where a row that starts a record follows one of another key (both of the header's
   * width, with a key), in the last part or at its border with the part before (the places before
   * were looked at when their parts came). Without such a place, the rows stay gathered until one
   * comes (one household's rows, however many).
   */
  const cut = async () => {
    while (gathered >= batchSize) {
      const last = parts.length - 1;
      const part = parts[last] as string | SourceRow;
      const lines = partLines[last] as number;
      // Look from the line that brings the batch to its size: the cut goes before line `j` of the part.
      let j = Math.max(0, batchSize - (gathered - lines));
      let previous = j === 0 && last > 0 ? rowKey(parts[last - 1] as string | SourceRow) : undefined;
      if (typeof part !== "string") {
        const key = j === 0 ? rowKey(part) : undefined;
        if (key === undefined || previous === undefined || key === previous) return;
        await sendBefore(last);
        continue;
      }
      let at = 0;
      if (j > 0) {
        for (let k = 0; k < j - 1; k++) at = part.indexOf("\n", at) + 1;
        const n = part.indexOf("\n", at);
        if (n === -1) return;
        previous = lineKey(part.slice(at, n));
        at = n + 1;
      }
      for (; j < lines; j++) {
        const n = part.indexOf("\n", at);
        const key = lineKey(n === -1 ? (at === 0 ? part : part.slice(at)) : part.slice(at, n));
        if (key !== undefined && previous !== undefined && key !== previous) break;
        previous = key;
        if (n === -1) return;
        at = n + 1;
      }
      if (j >= lines) return;
      if (j === 0) {
        await sendBefore(last);
        continue;
      }
      // Before line j of the last part: its lines before go with the batch, the rest stays.
      await send(last, part.slice(0, at - 1));
      parts = [part.slice(at)];
      partRows = [(partRows[last] as number) + j];
      partLines = [lines - j];
      gathered = lines - j;
    }
  };
  /** One part into the batch being gathered: a text of `lines` lines from `row` on, or a row as read. */
  const gather = (part: string | SourceRow, row: number, lines: number): Promise<void> | undefined => {
    parts.push(part);
    partRows.push(row);
    partLines.push(lines);
    gathered += lines;
    if (gathered < batchSize) return undefined;
    return cut().then(() => (gathered > MOST_GATHERED * batchSize ? inlineFromHere() : undefined));
  };
  /**
   * Stops batching: once every batch sent is delivered (its keys claimed), the rows gathered and
   * all after them are screened here, as without a pool, so that rows that give no place to cut
   * (a file whose rows all have the wrong width) are not all held.
   */
  const inlineFromHere = async () => {
    batching = false;
    await settle(0);
    const held = parts;
    const rows = partRows;
    const lines = partLines;
    parts = [];
    partRows = [];
    partLines = [];
    gathered = 0;
    for (let i = 0; i < held.length; i++) {
      const part = held[i] as string | SourceRow;
      if (typeof part === "string") await lineByLine(part, rows[i] as number, lines[i] as number);
      else await onRow(part);
    }
  };
  /**
   * The lines of a text (`count` of them, from `row` on) to {@link onRow} one by one: before the
   * header, or without batching. Once batching begins (the header found), the rest of the text is
   * gathered as one part. A result where the screening cannot go on.
   */
  const lineByLine = async (text: string, row: number, count: number): Promise<ScreenFileResult | undefined> => {
    for (let i = 0, at = 0; i < count; i++) {
      const n = text.indexOf("\n", at);
      const stop = onRow(new LineRecord(row + i, n === -1 ? text.slice(at) : text.slice(at, n), reader.summary.delimiter ?? ","));
      if (stop instanceof Promise) await stop;
      else if (stop !== undefined) return stop;
      at = n + 1;
      if (batching && i + 1 < count) {
        await gather(text.slice(at), row + i + 1, count - i - 1);
        return undefined;
      }
    }
    return undefined;
  };

  let keyCells: KeyCells = keyCellsOf({ key: -1, member: -1 }, false);
  let finder: CellFinder | undefined;
  let delimiter = ",";
  // With a pool, runs of lines come as blocks (one text each); without, each plain line as its own.
  const given = {
    ...(options.encoding === undefined ? {} : { encoding: options.encoding }),
    ...(options.sheet === undefined ? {} : { sheet: options.sheet }),
  };
  const reader: RowReader<SourceRow | LineBlock> = linesOk ? readRows(file, { ...given, blocks: true }) : readRows(file, { ...given, lines: strictWidth });
  // Rows where the file's structure broke (an unclosed quote, a stopped reading): the run is incomplete.
  const broken: SourceRowError[] = [];
  /**
   * One row as read: the header looked for, then into the screener or the batch being gathered; a
   * result where the screening cannot go on. A promise only where a batch is due: an await per row
   * costs a turn of the microtask queue.
   */
  const onRow = (source: SourceRow): ScreenFileResult | undefined | Promise<unknown> => {
    if (!screener || !map) {
      const atHeader = headerRow !== undefined ? source.row >= headerRow : "cells" in source && isHeaderRow(prepared, source.cells);
      if (!atHeader) {
        if (headerRow === undefined && source.row > HEADER_SEARCH) {
          return { ok: false, reason: `no header row naming a key column in the first ${HEADER_SEARCH} rows; give --header-row`, zh: `前 ${HEADER_SEARCH} 行中没有列出键列的表头行；请用 --header-row 指定` };
        }
        return undefined;
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
      // Batches are cut where the household key changes: without a key column, everything is screened here.
      batching = linesOk && keyCells.ok;
      return undefined;
    }
    if (batching) return gather("cells" in source && source.line !== undefined ? source.line : source, source.row, 1);
    // A plain row goes in as its line (a household's further lines are split only from their person
    // cells); the assembler checks its width as it splits it.
    if (!(source instanceof LineRecord && screener.pushLine(source.line, delimiter, source.row, map, map.width))) screener.pushRow(source, map, strictWidth);
    return screener.waiting >= batchSize ? dispatch(false) : undefined;
  };

  try {
    for await (const batch of reader.batches()) for (const source of batch) {
      if (!(source instanceof LineBlock)) {
        if ("incomplete" in source && source.incomplete) broken.push(source);
        const stop = onRow(source);
        if (stop instanceof Promise) await stop;
        else if (stop !== undefined) return stop;
        continue;
      }
      if (batching) {
        await gather(source.text, source.row, source.count);
        continue;
      }
      // Before the header (or without a key column to cut batches by): line by line.
      const stop = await lineByLine(source.text, source.row, source.count);
      if (stop !== undefined) return stop;
    }
    if (!screener || !map) {
      return headerRow === undefined
        ? { ok: false, reason: "no header row naming a key column", zh: "没有列出键列的表头行", reading: reader.summary }
        : { ok: false, reason: `the file has no row ${headerRow}`, zh: `文件没有第 ${headerRow} 行`, reading: reader.summary };
    }
    if (parts.length > 0) await send(parts.length);
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
