/**
 * The CSV reader: RFC 4180 records over decoded text, streaming, with exact line numbers and an
 * account of every physical line. Written for kaohe rather than taken from csv-parse because the
 * readers must know where each record starts, re-read the lines after a quote that never closes
 * (instead of losing the rest of the file in one field), bound a record's size and span, accept
 * mixed CRLF/LF line endings, and count lines independently of the parse; it is also about twice
 * as fast (see docs/screening.md, "Reading files").
 */
import type { SourceRow } from "./rows";
import { cellsPattern, splitLine } from "../records";

export { splitLine };

/** The limits of the CSV reader (defaults in `DEFAULT_READ_LIMITS`). */
export interface CsvLimits {
  /** The most characters of one record. */
  readonly maxRecordSize: number;
  /** The most physical lines one quoted field may span. */
  readonly maxRecordLines: number;
  /** The most broken quotes reported before the reading stops. */
  readonly maxBrokenQuotes: number;
}

/** What the CSV reader counts as it goes (every physical line is blank, in a record, or reported). */
export interface CsvTally {
  delimiter: string;
  lines: number;
  blankLines: number;
  recordLines: number;
  reportedLines: number;
  multiLineRecords: number;
  complete: boolean;
}

const QUOTE = 34;
const LF = "\n";

type Parsed =
  | { readonly kind: "record"; readonly cells: string[]; readonly end: number; readonly lines: number }
  | { readonly kind: "more" }
  | { readonly kind: "syntax"; readonly at: number; readonly en: string; readonly zh: string }
  | { readonly kind: "unclosed"; readonly lines: number; readonly why: "end" | "size" | "lines" };

/** Counts LFs in `text[from, to)`, stopping once past `cap`. */
function countLines(text: string, from: number, to: number, cap = Infinity): number {
  let n = 0;
  for (let i = text.indexOf(LF, from); i !== -1 && i < to; i = text.indexOf(LF, i + 1)) if (++n > cap) break;
  return n;
}

/**
 * Parses one record at `start` that holds a quote somewhere (the slow path).
 *
 * @returns The record, a request for more text, or why it is broken.
 */
function parseQuoted(buf: string, start: number, final: boolean, delimiter: number, limits: CsvLimits): Parsed {
  const cells: string[] = [];
  let i = start;
  let span = 0; // LFs between start and `counted`
  let counted = start;
  const linesTo = (to: number) => {
    span += countLines(buf, counted, to, limits.maxRecordLines + 1);
    counted = Math.max(counted, to);
    return span;
  };
  const more = (): Parsed => (buf.length - start > limits.maxRecordSize ? { kind: "unclosed", lines: countLines(buf, start, start + limits.maxRecordSize), why: "size" } : { kind: "more" });
  const delimiterText = String.fromCharCode(delimiter);
  for (;;) {
    if (buf.charCodeAt(i) === QUOTE) {
      let j = i + 1;
      let value = "";
      for (;;) {
        const q = buf.indexOf('"', j);
        const to = q === -1 ? buf.length : q;
        if (linesTo(to) > limits.maxRecordLines) return { kind: "unclosed", lines: span, why: "lines" };
        if (to - start > limits.maxRecordSize) return { kind: "unclosed", lines: countLines(buf, start, start + limits.maxRecordSize), why: "size" };
        if (q === -1) return final ? { kind: "unclosed", lines: countLines(buf, start, buf.endsWith(LF) ? buf.length - 1 : buf.length), why: "end" } : more();
        if (q === buf.length - 1 && !final) return more();
        if (buf.charCodeAt(q + 1) === QUOTE) {
          value += buf.slice(j, q + 1);
          j = q + 2;
          continue;
        }
        value += buf.slice(j, q);
        i = q + 1;
        break;
      }
      cells.push(value);
      const c = buf.charCodeAt(i);
      if (c === delimiter) {
        i++;
        continue;
      }
      if (i === buf.length) return final ? { kind: "record", cells, end: i, lines: linesTo(i) } : more();
      if (c === 10) return { kind: "record", cells, end: i + 1, lines: linesTo(i) };
      if (c === 13 && buf.charCodeAt(i + 1) === 10) return { kind: "record", cells, end: i + 2, lines: linesTo(i) };
      if (c === 13 && i + 1 === buf.length) return final ? { kind: "record", cells, end: i + 1, lines: linesTo(i) } : more();
      return {
        kind: "syntax",
        at: i,
        en: `text after the closing quote of field ${cells.length}`,
        zh: `第 ${cells.length} 个字段的右引号之后还有文字`,
      };
    }
    const d = buf.indexOf(delimiterText, i);
    const n = buf.indexOf(LF, i);
    const endsField = d !== -1 && (n === -1 || d < n);
    const end = endsField ? d : n === -1 ? buf.length : n;
    if (!endsField && n === -1 && !final) return more();
    let field = buf.slice(i, end);
    if (!endsField && field.endsWith("\r")) field = field.slice(0, -1);
    const quote = field.indexOf('"');
    if (quote !== -1) {
      return {
        kind: "syntax",
        at: i + quote,
        en: `a quote inside field ${cells.length + 1}, which does not start with one`,
        zh: `第 ${cells.length + 1} 个字段中间有引号（该字段不以引号开头）`,
      };
    }
    cells.push(field);
    if (endsField) {
      i = d + 1;
      continue;
    }
    return { kind: "record", cells, end: n === -1 ? buf.length : n + 1, lines: linesTo(end) };
  }
}

/**
 * Whether a record's multi-line field holds lines that look like records of the file (at least
 * `width - 2` delimiters): the mark of a stray quote that swallowed whole lines, where a note typed
 * across lines (Alt+Enter in Excel) has few delimiters.
 */
function holdsRecords(cells: readonly string[], delimiter: string, width: number): boolean {
  if (width < 3) return false;
  for (const cell of cells) {
    if (cell.indexOf(LF) === -1) continue;
    for (const inner of cell.split(LF).slice(1)) if (inner.split(delimiter).length - 1 >= width - 2) return true;
  }
  return false;
}

/**
 * Whether a line without quotes might be blank (every cell white space): its first character that
 * is not the delimiter is white space, or there is none. A conservative test (any character that
 * might be white space counts), cheap on the lines of an export, which start with a value.
 */
function maybeBlank(text: string, delimiter: number, from = 0, to = text.length): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === delimiter) continue;
    return c <= 32 || c === 0xa0 || c === 0xfeff || (c >= 0x1680 && c <= 0x3000);
  }
  return true;
}

/**
 * A one-line record without quotes whose cells are split from its line only when they are asked
 * for (`ReadRowsOptions.lines`): a reader that needs a few cells of most records finds them in the
 * line with {@link cellsAt}.
 */
export class LineRecord {
  #cells: string[] | undefined;

  /**
   * @param row - The record's line number.
   * @param line - The line, without its LF.
   * @param delimiter - The file's delimiter.
   */
  constructor(
    readonly row: number,
    readonly line: string,
    private readonly delimiter: string,
  ) {}

  /** The cells, split from the line at the first request. */
  get cells(): string[] {
    this.#cells ??= splitLine(this.line, this.delimiter);
    return this.#cells;
  }
}

/**
 * Consecutive one-line records without quotes (`readRows(file, { blocks: true })`), as one text:
 * the lines `row` to `row + count - 1`, joined by their LFs (the last one's left out), none
 * possibly blank and each within `maxRecordSize`. A reader that hands whole runs of lines to
 * another thread sends one string rather than one per line (decision 0303, revised an eighth
 * time: blocks of lines).
 */
export class LineBlock {
  /**
   * @param row - The first line's number.
   * @param text - The lines, without the last one's LF.
   * @param count - How many lines.
   */
  constructor(
    readonly row: number,
    readonly text: string,
    readonly count: number,
  ) {}
}

/**
 * Finds some cells of a one-line record without quotes in its line, without splitting all of it:
 * the cell at each of `indexes` (ascending) is written to `out` at the same position (undefined
 * past the last cell), as {@link splitLine} would give it.
 *
 * @param line - The line, without its LF.
 * @param delimiter - The file's delimiter.
 * @param indexes - The cells wanted, in ascending order.
 * @param out - Where they go.
 * @returns The number of cells of the line.
 */
export function cellsAt(line: string, delimiter: string, indexes: readonly number[], out: (string | undefined)[]): number {
  const end = line.endsWith("\r") ? line.length - 1 : line.length;
  let start = 0;
  let cell = 0;
  let want = 0;
  for (;;) {
    const d = line.indexOf(delimiter, start);
    const stop = d === -1 || d >= end ? end : d;
    while (want < indexes.length && indexes[want] === cell) out[want++] = line.slice(start, stop);
    if (stop === end) break;
    start = stop + 1;
    cell++;
  }
  for (; want < indexes.length; want++) out[want] = undefined;
  return cell + 1;
}

/**
 * {@link cellsAt} for the lines of one file, most of which have the header's width: one regular
 * expression per file finds the wanted cells and checks the width in one native pass (about
 * twice as fast as cutting at each delimiter); a line of another width is read by `cellsAt`.
 */
export class CellFinder {
  private readonly pattern: RegExp | undefined;

  /**
   * @param delimiter - The file's delimiter (one character).
   * @param indexes - The cells wanted, in ascending order.
   * @param width - The header's width.
   */
  constructor(
    private readonly delimiter: string,
    private readonly indexes: readonly number[],
    private readonly width: number,
  ) {
    const ascending = indexes.every((index, i) => index >= 0 && index < width && (i === 0 || index > (indexes[i - 1] as number)));
    this.pattern = ascending && delimiter.length === 1 && indexes.length > 0 ? new RegExp(`^${cellsPattern(delimiter, width, indexes)}`) : undefined;
  }

  /**
   * Writes the cell at each wanted index of a line to `out`, as {@link cellsAt} does.
   *
   * @param line - A one-line record without quotes, without its LF.
   * @param out - Where the cells go.
   * @returns The number of cells of the line.
   */
  find(line: string, out: (string | undefined)[]): number {
    const match = this.pattern?.exec(line);
    if (!match) return cellsAt(line, this.delimiter, this.indexes, out);
    for (let i = 0; i < this.indexes.length; i++) out[i] = match[i + 1];
    return this.width;
  }
}

/** Whether every cell of a record is blank. */
export function isBlankRecord(cells: readonly unknown[]): boolean {
  return cells.every((cell) => cell === undefined || cell === null || (typeof cell === "string" && cell.trim() === ""));
}

/**
 * Picks the delimiter of a CSV from its first text: a tab when the first line holding a tab or a
 * comma has tabs and no commas (Excel's "Unicode text"), else a comma.
 */
export function detectDelimiter(text: string): string {
  const head = text.slice(0, 64 * 1024);
  for (const line of head.split(/\r\n|\n|\r/)) {
    const tab = line.includes("\t");
    const comma = line.includes(",");
    if (tab || comma) return tab && !comma ? "\t" : ",";
  }
  return ",";
}

/** Why a quote is taken for a broken one, in both languages. */
function brokenQuote(parsed: Exclude<Parsed, { kind: "more" }>, line: number, at: number, width: number, limits: CsvLimits): { en: string; zh: string } {
  if (parsed.kind === "record") {
    const lines = `${line}–${line + parsed.lines}`;
    return parsed.cells.length === width
      ? { en: `joins lines ${lines} into one record whose field holds lines that look like records of this file`, zh: `把第 ${lines} 行连成一条记录，其字段中含有形似本文件记录的行` }
      : { en: `joins lines ${lines} into one record of ${parsed.cells.length} cells (the record before has ${width})`, zh: `把第 ${lines} 行连成一条有 ${parsed.cells.length} 个单元格的记录（上一条记录有 ${width} 个）` };
  }
  if (parsed.kind === "syntax") return { en: `runs to line ${at}, where a quote is followed by text (${parsed.en})`, zh: `一直延续到第 ${at} 行，该处引号后还有文字（${parsed.zh}）` };
  if (parsed.why === "end") return { en: `is not closed before the end of the file (${parsed.lines} lines after it)`, zh: `直到文件末尾都没有闭合（其后还有 ${parsed.lines} 行）` };
  if (parsed.why === "size") return { en: `is not closed within ${limits.maxRecordSize} characters (${parsed.lines} lines)`, zh: `在 ${limits.maxRecordSize} 个字符（${parsed.lines} 行）内没有闭合` };
  return { en: `is not closed within ${limits.maxRecordLines} lines`, zh: `在 ${limits.maxRecordLines} 行内没有闭合` };
}

/** The most rows the parser hands on at once: a batch's rows and cells live until its reader is done with them. */
const BATCH_ROWS = 512;

/**
 * Reads CSV records from decoded text chunks. Yields each non-blank record with its first line
 * (and its last, when it spans lines), and each broken one as a reason: `csv_syntax` (a misplaced
 * quote; the reading goes on at the next line), `unclosed_quote` (a quote that never closes, or
 * spans more than `maxRecordLines` lines or `maxRecordSize` characters, or joins lines into a
 * record whose cell count differs from the record before: reported at the line where it opens,
 * with the lines it would swallow; the lines after it are read again), `record_too_large` (a
 * line over `maxRecordSize` is skipped; without a line break within it the reading stops),
 * `too_many_errors` (past `maxBrokenQuotes`: the reading stops). Every physical line ends up in
 * `tally` as blank, in a record or reported.
 *
 * @param chunks - The file's text.
 * @param limits - The limits.
 * @param tally - Filled in as the reading goes.
 * @param given - The delimiter, when not to be detected.
 * @returns The rows, in batches (those of each chunk of text): one promise per row would cost more than parsing it.
 */
export async function* parseCsv(chunks: AsyncIterable<string>, limits: CsvLimits, tally: CsvTally, given?: string, lazy: boolean | "blocks" = false): AsyncGenerator<(SourceRow | LineBlock)[]> {
  let buf = "";
  let pos = 0;
  let line = 1;
  let counted = 0; // LFs seen in the input, counted apart from the parse
  let delimiter = -1;
  let delimiterText = ",";
  let crOnly = false;
  let width = 0; // cells of the last single-line record, the yardstick of a multi-line one
  let widthOf: string | undefined; // the last single-line record, when its cells were not counted (lazy)
  /** The width, counting the cells of the last single-line record now if they were not. */
  const yardstick = () => {
    if (widthOf !== undefined) {
      const n = splitLine(widthOf, delimiterText).length;
      if (n >= 2) width = n;
      widthOf = undefined;
    }
    return width;
  };
  let broken = 0;
  let last = "";

  /** A reported line: counted as such, and incomplete when the file's structure broke there. */
  const report = (row: number, code: string, en: string, zh: string, incomplete: boolean): SourceRow => {
    tally.reportedLines++;
    return incomplete ? { row, code, reason: en, zh, incomplete: true } : { row, code, reason: en, zh };
  };

  // The rows of the chunk being parsed.
  let out: (SourceRow | LineBlock)[] = [];

  /**
   * With `lazy === "blocks"`: the lines from `pos` on that are one-line records without quotes,
   * complete (or the file's last), within the size limit and not possibly blank, as one block;
   * false where the line at `pos` is not such a line (it is read the usual way).
   */
  function block(final: boolean): boolean {
    const quote = buf.indexOf('"', pos);
    const stop = quote === -1 ? buf.length : quote;
    let at = pos;
    let count = 0;
    let end = pos;
    while (at < buf.length) {
      let n = buf.indexOf(LF, at);
      if (n === -1) {
        if (!final) break;
        n = buf.length;
      }
      if (n > stop || n - at > limits.maxRecordSize || maybeBlank(buf, delimiter, at, n)) break;
      count++;
      end = n;
      at = n + 1;
    }
    if (count === 0) return false;
    tally.recordLines += count;
    // The yardstick: the block's last line of at least two cells, where it has one.
    for (let to = end; ; ) {
      const from = Math.max(buf.lastIndexOf(LF, to - 1) + 1, pos);
      const d = buf.indexOf(delimiterText, from);
      if (d !== -1 && d < to) {
        widthOf = buf.slice(from, to);
        break;
      }
      if (from === pos) break;
      to = from - 1;
    }
    out.push(new LineBlock(line, buf.slice(pos, end), count));
    line += count;
    pos = Math.min(at, buf.length);
    return true;
  }
  function drain(final: boolean): boolean {
    while (pos < buf.length) {
      // A batch is handed on at this size, the rest of the text read after it.
      if (out.length >= BATCH_ROWS) return true;
      if (lazy === "blocks" && block(final)) continue;
      const n = buf.indexOf(LF, pos);
      if (n === -1 && buf.length - pos > limits.maxRecordSize) {
        out.push(report(line, "record_too_large", `line ${line} runs past ${limits.maxRecordSize} characters without a line break; the reading stops here (not a CSV file, or a broken export)`, `第 ${line} 行超过 ${limits.maxRecordSize} 个字符仍无换行，读取到此为止（不是 CSV 文件，或导出已损坏）`, true));
        tally.complete = false;
        return false;
      }
      if (n - pos > limits.maxRecordSize) {
        out.push(report(line, "record_too_large", `line ${line} has ${n - pos} characters, more than the limit of ${limits.maxRecordSize}; it is not read`, `第 ${line} 行有 ${n - pos} 个字符，超过上限 ${limits.maxRecordSize}，未读取`, true));
        pos = n + 1;
        line++;
        continue;
      }
      if (n === -1 && !final) return true;
      const lineEnd = n === -1 ? buf.length : n;
      const next = n === -1 ? buf.length : n + 1;
      const text = buf.slice(pos, lineEnd);
      if (text.indexOf('"') === -1) {
        if (lazy && !maybeBlank(text, delimiter)) {
          tally.recordLines++;
          // The yardstick is the last single-line record of at least two cells.
          if (text.indexOf(delimiterText) !== -1) widthOf = text;
          out.push(new LineRecord(line, text, delimiterText));
          pos = next;
          line++;
          continue;
        }
        const cells = splitLine(text, delimiterText);
        if (isBlankRecord(cells)) tally.blankLines++;
        else {
          tally.recordLines++;
          if (cells.length >= 2) {
            width = cells.length;
            widthOf = undefined;
          }
          out.push({ row: line, cells, line: text });
        }
        pos = next;
        line++;
        continue;
      }
      const parsed = parseQuoted(buf, pos, final, delimiter, limits);
      if (parsed.kind === "more") return true;
      if (parsed.kind === "record" && (parsed.lines === 0 || yardstick() < 2 || (parsed.cells.length === width && !holdsRecords(parsed.cells, delimiterText, width)))) {
        const endRow = line + parsed.lines;
        if (isBlankRecord(parsed.cells)) tally.blankLines += parsed.lines + 1;
        else {
          tally.recordLines += parsed.lines + 1;
          if (parsed.lines > 0) tally.multiLineRecords++;
          else if (parsed.cells.length >= 2) {
            width = parsed.cells.length;
            widthOf = undefined;
          }
          out.push(parsed.lines > 0 ? { row: line, endRow, cells: parsed.cells } : { row: line, cells: parsed.cells });
        }
        pos = parsed.end;
        line = endRow + 1;
        continue;
      }
      // A broken record: report its first line and read again from the next one.
      const at = parsed.kind === "syntax" ? line + countLines(buf, pos, parsed.at) : line;
      if (parsed.kind === "syntax" && at === line) {
        out.push(report(line, "csv_syntax", `not valid CSV at line ${line}: ${parsed.en}`, `第 ${line} 行不是有效的 CSV：${parsed.zh}`, false));
      } else {
        broken++;
        const why = brokenQuote(parsed, line, at, yardstick(), limits);
        out.push(report(
          line,
          "unclosed_quote",
          `likely an unclosed quote: a quote at line ${line} ${why.en}; line ${line} is not read, the lines after it are read on their own`,
          `疑似引号未闭合：第 ${line} 行的引号${why.zh}；第 ${line} 行未读取，其后各行单独读取`,
          true,
        ));
        if (broken >= limits.maxBrokenQuotes) {
          // Not a line of its own: the lines from here on are not read.
          out.push({ row: line + 1, code: "too_many_errors", reason: `${broken} broken quotes; the reading stops after line ${line}`, zh: `${broken} 处引号错误，读取在第 ${line} 行后停止`, incomplete: true });
          tally.complete = false;
          return false;
        }
      }
      const lf = buf.indexOf(LF, pos);
      pos = lf === -1 ? buf.length : lf + 1;
      line++;
    }
    return true;
  }

  /**
   * Drains the text (unless the reading has stopped) and hands on its rows in batches of at most
   * BATCH_ROWS, with what was drained before; returns whether the reading goes on.
   */
  function* handOn(going: boolean, final: boolean): Generator<(SourceRow | LineBlock)[], boolean> {
    let on = going && drain(final);
    while (on && out.length >= BATCH_ROWS) {
      yield out;
      out = [];
      on = drain(final);
    }
    if (out.length > 0) {
      yield out;
      out = [];
    }
    return on;
  }

  let going = true;
  for await (const raw of chunks) {
    let chunk = raw;
    if (delimiter === -1) {
      if (buf.length + chunk.length === 0) continue;
      const head = buf + chunk;
      // The first chunk is the encoding sample (256 KiB) or the whole file.
      crOnly = head.indexOf(LF) === -1 && head.indexOf("\r") !== -1;
      delimiterText = given ?? detectDelimiter(head);
      delimiter = delimiterText.charCodeAt(0);
      tally.delimiter = delimiterText;
    }
    if (crOnly) chunk = chunk.replace(/\r\n?/g, LF);
    counted += countLines(chunk, 0, chunk.length);
    if (chunk.length > 0) last = chunk;
    const lf = pos < buf.length ? chunk.indexOf(LF) : -1;
    if (lf !== -1) {
      // The text left over (the start of a line) is completed by the chunk's first line and read
      // on its own, so that the chunk is then read as decoded: joining the two copies all of it.
      buf = buf.slice(pos) + chunk.slice(0, lf + 1);
      pos = 0;
      going = drain(false);
      const rest = buf.slice(pos);
      // A record that goes on past that line (a quoted cell over several lines) is joined as before.
      buf = rest === "" ? chunk : rest + chunk.slice(lf + 1);
      pos = rest === "" ? lf + 1 : 0;
    } else {
      buf = pos > 0 ? buf.slice(pos) + chunk : buf + chunk;
      pos = 0;
    }
    going = yield* handOn(going, false);
    if (!going) break;
  }
  if (going) {
    if (delimiter === -1) {
      delimiterText = given ?? ",";
      tally.delimiter = delimiterText;
      delimiter = delimiterText.charCodeAt(0);
    }
    going = yield* handOn(true, true);
  }
  if (!going) return;
  tally.lines = counted + (last !== "" && !last.endsWith(LF) ? 1 : 0);
  const accounted = tally.blankLines + tally.recordLines + tally.reportedLines;
  if (accounted !== tally.lines) {
    tally.complete = false;
    yield [report(line, "lines_unaccounted", `the file has ${tally.lines} lines but ${accounted} were read or reported`, `文件共 ${tally.lines} 行，但只读取或报告了 ${accounted} 行`, true)];
  }
}
