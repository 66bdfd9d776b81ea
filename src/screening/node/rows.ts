import { createReadStream } from "node:fs";
import { parseCsv, isBlankRecord, type CsvLimits, type CsvTally, type LineBlock } from "./csv";
import { chooseEncoding, decoderLabel, ENCODING_SAMPLE, type CsvEncoding, type TextEncoding } from "./encoding";
import { readError } from "./read-error";
import { sniffKind } from "./sniff";
import { Workbook, type SheetEntry, type WorkbookLimits } from "./xlsx";

/** A row of a file: its number (CSV line, sheet row) and cells. */
export interface SourceCells {
  readonly row: number;
  readonly cells: readonly unknown[];
  /** The last line of a CSV record whose quoted field spans lines (absent for one-line records). */
  readonly endRow?: number;
  /**
   * For a CSV record of one line without quotes, the line as read (without its LF): its cells are
   * this text split at the delimiter (`splitLine`), so that a batch of such records can be sent to
   * a worker thread as one text rather than as cells.
   */
  readonly line?: string;
}

/** A row that could not be read, and why. */
export interface SourceRowError {
  readonly row: number;
  /** `csv_syntax`, `unclosed_quote`, `record_too_large`, `too_many_errors`, `lines_unaccounted`. */
  readonly code: string;
  /** Why, in English, naming the line. */
  readonly reason: string;
  /** Why, in Chinese. */
  readonly zh?: string;
  /**
   * Set when the file's structure is broken here (an unclosed quote, a stopped reading): the reading
   * around it is a best guess, so the screening of the file is incomplete.
   */
  readonly incomplete?: true;
  /** The last line concerned, when more than one. */
  readonly endRow?: number;
}

/** A row of a file: its cells, or why it could not be read. */
export type SourceRow = SourceCells | SourceRowError;

/** The limits of the readers (see {@link DEFAULT_READ_LIMITS}). */
export interface ReadLimits extends CsvLimits, WorkbookLimits {}

/** The default limits: generous for real exports, small enough to stop hostile files quickly. */
export const DEFAULT_READ_LIMITS: ReadLimits = {
  maxRecordSize: 1024 * 1024,
  maxRecordLines: 100,
  maxBrokenQuotes: 100,
  maxPartSize: 2 * 1024 ** 3,
  maxRatio: 200,
  maxEntries: 10_000,
  maxSharedStringsSize: 256 * 1024 ** 2,
};

/** Options of {@link readRows}. */
export interface ReadRowsOptions {
  /** The encoding of a CSV file: `auto` (default) detects UTF-8, UTF-16 (by its BOM) or GB18030. */
  readonly encoding?: CsvEncoding;
  /** The delimiter of a CSV; by default a tab when the first line has tabs and no commas, else a comma. */
  readonly delimiter?: "," | "\t" | ";";
  /** The worksheet of a workbook: its name, or its 1-based position among the tabs. */
  readonly sheet?: string | number;
  /** Limits other than {@link DEFAULT_READ_LIMITS}. */
  readonly limits?: Partial<ReadLimits>;
  /**
   * CSV: a one-line record without quotes splits its line into cells only when its `cells` are
   * read (a `LineRecord`), for a reader that needs only a few cells of most records.
   */
  readonly lines?: boolean;
}

/**
 * {@link ReadRowsOptions} for a reader that hands runs of lines on whole: consecutive one-line CSV
 * records without quotes that are not possibly blank come as one `LineBlock` (their lines as one
 * text); other rows as without it.
 */
export interface ReadBlocksOptions extends ReadRowsOptions {
  readonly blocks: true;
}

/** Which sheet of a workbook was read, and why that one. */
export interface SheetChoice {
  readonly name: string;
  readonly number: number;
  /** `named` (the `sheet` option), or `first` / `first_non_empty` when none was named. */
  readonly chosen: "named" | "first" | "first_non_empty";
  /** The sheets passed over before it (empty, hidden or charts) when none was named. */
  readonly passed: readonly string[];
}

/**
 * What a reading found, filled in as it goes and final when the iteration ends. For a CSV every
 * physical line is counted once: `lines = blankLines + recordLines + reportedLines` when `complete`.
 */
export interface ReadSummary {
  /** `csv` or `xlsx`, once the file is opened. */
  readonly format?: "csv" | "xlsx";
  /** The CSV's encoding. */
  readonly encoding?: TextEncoding;
  /** The CSV's delimiter (`,` or a tab). */
  readonly delimiter?: string;
  /** The sheet read. */
  readonly sheet?: SheetChoice;
  /** Physical lines of the CSV; rows present in the sheet's XML. */
  readonly lines: number;
  /** Lines or rows whose cells are all blank (not yielded). */
  readonly blankLines: number;
  /** Lines in yielded records. */
  readonly recordLines: number;
  /** Lines in reported (broken) records. */
  readonly reportedLines: number;
  /** CSV records spanning more than one line. */
  readonly multiLineRecords: number;
  /** Whether the file was read to its end (false while reading, and when the reading stopped early). */
  readonly complete: boolean;
  /** Bytes of the file read so far (for a progress display; a workbook counts its compressed sheet as a whole). */
  readonly bytesRead: number;
}

/** The rows of a file, with a {@link ReadSummary} of the reading. */
export interface RowReader<Row = SourceRow> extends AsyncIterable<Row> {
  /** Filled in as the rows are read. */
  readonly summary: ReadSummary;
  /**
   * The same rows in batches (a CSV's: those of each chunk of its text), for a reader of millions
   * of rows: one promise per row costs more than parsing it. Iterate the reader or its batches, not both.
   *
   * @returns The rows, in order, in batches.
   */
  batches(): AsyncIterable<readonly Row[]>;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Reads the rows of a CSV or XLSX file as a stream. The file's kind comes from its bytes and must
 * match its extension (a legacy `.xls`, a workbook named `.csv`, a Word file… are refused, naming
 * what they are). CSV: decoded from UTF-8, UTF-16 or GB18030 (detected, or `encoding`), parsed
 * with exact line numbers; broken quotes are reported at the line where they open and the lines
 * after are read again. XLSX: the zip is inflated in memory within limits, the sheet's XML parsed
 * as a stream (the sheet named by `sheet`, or the first sheet with a non-blank row). Rows whose
 * cells are all blank are left out.
 *
 * @param path - The file: `.xlsx`/`.xlsm` is read as a workbook, anything else as CSV; `-` reads CSV from standard input.
 * @param options - The CSV encoding, the sheet, the limits.
 * @returns The rows (numbered as in the file), and a summary of the reading.
 * @throws A Node error when the file cannot be opened; {@link KaoheError} with one issue whose code
 *   is one of `READ_ERROR_CODES` when it cannot be read (thrown by the iteration).
 */
export function readRows(path: string, options: ReadBlocksOptions): RowReader<SourceRow | LineBlock>;
export function readRows(path: string, options?: ReadRowsOptions): RowReader;
export function readRows(path: string, options: ReadRowsOptions & { readonly blocks?: true } = {}): RowReader<SourceRow | LineBlock> {
  const summary: Mutable<ReadSummary> = { lines: 0, blankLines: 0, recordLines: 0, reportedLines: 0, multiLineRecords: 0, complete: false, bytesRead: 0 };
  const limits: ReadLimits = { ...DEFAULT_READ_LIMITS, ...options.limits };
  const batches = () => batchesOf(path, options, limits, summary);
  return {
    summary,
    batches,
    [Symbol.asyncIterator]: () => rowsOf(batches())[Symbol.asyncIterator](),
  };
}

async function* rowsOf<Row>(batches: AsyncIterable<readonly Row[]>): AsyncGenerator<Row> {
  for await (const batch of batches) yield* batch;
}

async function* batchesOf(path: string, options: ReadRowsOptions & { readonly blocks?: true }, limits: ReadLimits, summary: Mutable<ReadSummary>): AsyncGenerator<readonly (SourceRow | LineBlock)[]> {
  // One stream for the sample and the rest, so that a pipe (`<(…)`, a FIFO, `-` for standard input) is read once.
  // Reads of 256 KiB: their decoded text (a string of 170–512 KB) is born in V8's large-object
  // space, so that the lines held for a worker, which keep it alive, are not copied by each scavenge.
  const stream = path === "-" ? process.stdin : createReadStream(path, { highWaterMark: 256 * 1024 });
  const bytes = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  try {
    const head: Buffer[] = [];
    let size = 0;
    let whole = false;
    while (size < ENCODING_SAMPLE) {
      const next = await bytes.next();
      if (next.done) {
        whole = true;
        break;
      }
      head.push(next.value);
      size += next.value.length;
      summary.bytesRead = size;
    }
    const start = Buffer.concat(head);
    const sample = start.subarray(0, ENCODING_SAMPLE);
    if (sniffKind(path, sample) === "xlsx") {
      stream.destroy();
      summary.format = "xlsx";
      yield* readXlsx(path, options.sheet, limits, summary);
      return;
    }
    summary.format = "csv";
    const encoding = chooseEncoding(path, sample, whole, options.encoding ?? "auto");
    yield* readCsv(decode(start, bytes, encoding, summary), encoding, options.delimiter, limits, summary, options.blocks === true ? "blocks" : options.lines === true);
  } finally {
    stream.destroy();
  }
}

async function* decode(start: Buffer, rest: AsyncIterator<Buffer>, encoding: TextEncoding, summary: Mutable<ReadSummary>): AsyncGenerator<string> {
  const decoder = new TextDecoder(decoderLabel(encoding));
  let text = decoder.decode(start, { stream: true });
  if (text !== "") yield text;
  for (let next = await rest.next(); !next.done; next = await rest.next()) {
    summary.bytesRead += next.value.length;
    text = decoder.decode(next.value, { stream: true });
    if (text !== "") yield text;
  }
  const tail = decoder.decode();
  if (tail !== "") yield tail;
}

async function* readCsv(text: AsyncIterable<string>, encoding: TextEncoding, delimiter: string | undefined, limits: ReadLimits, summary: Mutable<ReadSummary>, lazy: boolean | "blocks"): AsyncGenerator<readonly (SourceRow | LineBlock)[]> {
  summary.encoding = encoding;
  const tally: CsvTally = { delimiter: ",", lines: 0, blankLines: 0, recordLines: 0, reportedLines: 0, multiLineRecords: 0, complete: true };
  const sync = () => {
    summary.delimiter = tally.delimiter;
    summary.lines = tally.lines;
    summary.blankLines = tally.blankLines;
    summary.recordLines = tally.recordLines;
    summary.reportedLines = tally.reportedLines;
    summary.multiLineRecords = tally.multiLineRecords;
  };
  for await (const rows of parseCsv(text, limits, tally, delimiter, lazy)) {
    sync();
    yield rows;
  }
  sync();
  summary.complete = tally.complete;
}

function findSheet(path: string, sheets: readonly SheetEntry[], wanted: string | number): SheetEntry {
  const list = sheets.map((s) => `${s.number} "${s.name}"`).join(", ");
  const found =
    typeof wanted === "number"
      ? sheets[wanted - 1]
      : (sheets.find((s) => s.name === wanted) ?? sheets.find((s) => s.name.trim().toLowerCase() === wanted.trim().toLowerCase()) ?? (/^\d+$/.test(wanted.trim()) ? sheets[Number(wanted) - 1] : undefined));
  if (!found) {
    throw readError(path, "no_such_sheet", {
      en: `the workbook has no sheet ${typeof wanted === "number" ? wanted : JSON.stringify(wanted)}; its sheets are ${list}`,
      zh: `工作簿中没有工作表 ${typeof wanted === "number" ? wanted : `「${wanted}」`}；现有工作表：${list}`,
    });
  }
  if (found.part === undefined) {
    throw readError(path, "no_such_sheet", {
      en: `sheet ${found.number} "${found.name}" is a chart sheet, without cells; the workbook's sheets are ${list}`,
      zh: `第 ${found.number} 个工作表「${found.name}」是图表，没有单元格；现有工作表：${list}`,
    });
  }
  return found;
}

/** A workbook's rows, each a batch of its own (parsing a row of a sheet's XML costs far more than its promise). */
async function* readXlsx(path: string, wanted: string | number | undefined, limits: ReadLimits, summary: Mutable<ReadSummary>): AsyncGenerator<readonly SourceRow[]> {
  const book = await Workbook.open(path, limits);
  try {
    const candidates = wanted !== undefined ? [findSheet(path, book.sheets, wanted)] : book.sheets;
    const passed: string[] = [];
    for (const sheet of candidates) {
      if (wanted === undefined && (sheet.part === undefined || sheet.hidden)) {
        passed.push(sheet.name);
        continue;
      }
      let found = false;
      const choose = () => {
        found = true;
        summary.sheet = { name: sheet.name, number: sheet.number, chosen: wanted !== undefined ? "named" : passed.length === 0 ? "first" : "first_non_empty", passed: [...passed] };
      };
      if (wanted !== undefined) choose();
      for await (const { row, cells } of book.rows(sheet)) {
        summary.lines++;
        if (isBlankRecord(cells)) {
          summary.blankLines++;
          continue;
        }
        if (!found) choose();
        summary.recordLines++;
        yield [{ row, cells }];
      }
      if (found) {
        summary.complete = true;
        return;
      }
      passed.push(sheet.name);
      summary.lines = 0;
      summary.blankLines = 0;
    }
    const hidden = book.sheets.filter((s) => s.hidden && s.part !== undefined).map((s) => s.name);
    throw readError(path, "empty_workbook", {
      en: `no sheet of the workbook has a non-blank row (sheets: ${book.sheets.map((s) => `"${s.name}"`).join(", ") || "none"})${hidden.length > 0 ? `; hidden sheets are read only when named with --sheet: ${hidden.map((n) => `"${n}"`).join(", ")}` : ""}`,
      zh: `工作簿中没有任何工作表含有非空行（工作表：${book.sheets.map((s) => `「${s.name}」`).join("、") || "无"}）${hidden.length > 0 ? `；隐藏的工作表只有用 --sheet 指定时才读取：${hidden.map((n) => `「${n}」`).join("、")}` : ""}`,
    });
  } finally {
    book.close();
  }
}
