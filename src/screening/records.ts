import type { PreparedRulebook } from "./prepare";
import { SUBJECT_DEPTH, fieldColumns, fieldLabel } from "./prepare";
import type { Field, Subject } from "./schema";
import { convertCell, isCellProblem, type CellResult, type Conversion, type FieldValue } from "./values";

/** A record's unit path 县/乡/村 (empty text where the cell was empty). */
export interface UnitPath {
  /** The county (县). */
  readonly county: string;
  /** The township (乡镇). */
  readonly township: string;
  /** The village (村). */
  readonly village: string;
}

/** A person within a household record. */
export interface ScreeningMember {
  /** The person's key (e.g. 人编号). */
  readonly id: string;
  /** The row that holds the person. */
  readonly row: number;
  /** The person's own fields (those declared `of: "person"`); an unusable value is null. */
  readonly fields: Readonly<Record<string, FieldValue>>;
  /** The person's fields whose cell is unusable (see {@link DataQualityFinding}); rules reading them are undecided. */
  readonly unusable: readonly string[];
}

/**
 * A data-quality finding (数据质量问题): a cell that does not parse as its field's type, lies
 * outside its code table, is empty although required, or (for a household field) differs
 * between the rows of one household. The record is still screened by every rule that does not
 * read that field; the rules that do are undecided for it.
 */
export interface DataQualityFinding {
  /** Marks a data-quality finding. */
  readonly kind: "data_quality";
  /** `invalid_value`, `not_allowed`, `missing_value`, `invalid_encoding` or `inconsistent_household`. */
  readonly code: string;
  /** The record the cell belongs to. */
  readonly subject: Subject;
  /** The key of that record (a person's for a person field). */
  readonly recordId: string;
  /** For a person's cell, the key of the household. */
  readonly householdId?: string;
  /** The field, as rules read it. */
  readonly field: string;
  /** The column of the export that holds it. */
  readonly column: string;
  /** The cell as read (text, a number, or null when empty). */
  readonly value: string | number | boolean | null;
  /** Why it cannot be used, naming the column and the value (English). */
  readonly reason: string;
  /** The same in Chinese. */
  readonly zh: string;
  /** The record's unit path 县/乡/村. */
  readonly unit: UnitPath;
  /** The file it comes from, when known. */
  readonly file?: string;
  /** The row that holds the cell. */
  readonly row: number;
}

/**
 * A record assembled from rows, ready for the rules: a village, or a household with the persons
 * of its rows. Plain data, so that it can be sent to a worker thread.
 */
export interface ScreeningRecord {
  /** Marks a record. */
  readonly kind: "record";
  /** `village` or `household` (persons are screened within their household). */
  readonly subject: "village" | "household";
  /** The record's key. */
  readonly id: string;
  /** Its unit path 县/乡/村. */
  readonly unit: UnitPath;
  /** The file it comes from, when known. */
  readonly file?: string;
  /** Its first row. */
  readonly row: number;
  /** Its village and household fields; an unusable value is null. */
  readonly fields: Readonly<Record<string, FieldValue>>;
  /** Its persons, in row order; empty unless read from rows of persons. */
  readonly members: readonly ScreeningMember[];
  /** Its village and household fields whose value is unusable (unparsable, or inconsistent between its rows). */
  readonly unusable: readonly string[];
  /** Its data-quality findings, in row order. */
  readonly quality: readonly DataQualityFinding[];
  /** Rows of this household that were rejected (no person key, a person twice): its member list is incomplete. */
  readonly rejectedRows: readonly number[];
}

/** A row that was not screened, and why: nothing is skipped silently. */
export interface RejectedRow {
  /** Marks a rejected row. */
  readonly kind: "rejected";
  /**
   * Why, as a stable code: a structural break (`wrong_cell_count`, `csv_syntax`, …), a key that is
   * empty (`missing_key`), a record twice (`duplicate_record`, `household_not_contiguous`), or
   * `not_screened` (the worker that held it stopped, and screening it again failed too).
   */
  readonly code: string;
  /** Why, for a person: names the field, the value and the row concerned. */
  readonly reason: string;
  /** The file it comes from, when known. */
  readonly file?: string;
  /** The row's number in the file. */
  readonly row: number;
}

/** Rows read, screened and rejected; `rowsRead` is always `rowsScreened + rowsRejected`. */
export interface RowCounts {
  /** Rows read. */
  rowsRead: number;
  /** Rows screened. */
  rowsScreened: number;
  /** Rows rejected, each with its reason. */
  rowsRejected: number;
}

/** One unusable cell, before its record is known. */
interface CellIssue {
  readonly field: string;
  readonly code: string;
  readonly value: FieldValue;
  readonly reason: string;
  readonly zh: string;
  readonly row: number;
  readonly person?: string;
}

interface Group {
  id: string;
  row: number;
  fields: Record<string, FieldValue>;
  members: ScreeningMember[];
  /** The keys of its persons: beside `members` while the household is small, a set once it is large. */
  memberIds: Set<string> | undefined;
  rows: number;
  unusable: Set<string>;
  issues: CellIssue[];
  rejectedRows: number[];
  /**
   * The cells of the household fields on its first accepted row, or {@link UNUSABLE} where that
   * cell was unusable: a later row with the same cell needs no conversion (it converts alike).
   */
  raw: unknown[];
  /**
   * The text of its first accepted row's line up to its first person cell, where every household
   * cell lies before that (see {@link RecordAssembler.pushLine}): a later line that starts so has
   * the same household cells.
   */
  prefix?: string;
}

/**
 * Households up to this size find a person twice by a scan of their members, larger ones by a set.
 * @internal
 */
export const SMALL_HOUSEHOLD = 16;

/** Whether the household already holds a person of this key. */
function hasMember(group: Group, id: string): boolean {
  if (group.memberIds !== undefined) return group.memberIds.has(id);
  const members = group.members;
  for (let i = 0; i < members.length; i++) if ((members[i] as ScreeningMember).id === id) return true;
  return false;
}

/** Marks a cell of the household's first row that was unusable: it is converted again on each row. */
const UNUSABLE = Symbol("unusable");

/**
 * A field the rows need: its name, declaration, label, where a row holds it (a name, or a cell
 * index), and a memo of its conversions.
 */
interface FieldEntry {
  readonly name: string;
  readonly field: Field;
  /** What conversion reads of the field, in an object of the same shape for every field. */
  readonly conversion: Conversion;
  readonly required: boolean;
  readonly label: string;
  at: string | number;
  /** Text cells already converted, and their outcome (see {@link convertMemo}); undefined where memoising does not pay. */
  memo: Map<string, CellResult> | undefined;
  /** Lookups in the memo so far, and how many found the cell. */
  lookups: number;
  hits: number;
}

/** The most codes a code table may have for its cells to be looked up in it rather than in a memo. */
const SHORT_CODE_TABLE = 8;

/** The most cells a field's memo holds. */
const MEMO_SIZE = 512;
/** Lookups after which a memo that found fewer than half of its cells is dropped (an income, a name). */
const MEMO_TRIAL = 4096;

/**
 * Why a row's cells do not fit its header, or undefined where they do: more cells than the header
 * where one of the extra cells is not blank, or, when `strict` (a CSV, whose rows must have the
 * header's width; a workbook leaves trailing empty cells out), fewer. Every reader of a file's rows
 * (one table or several) rejects such a row as `wrong_cell_count` with this reason.
 *
 * @param cells - The row's cells.
 * @param width - The header's width.
 * @param strict - Whether fewer cells than the header do not fit.
 * @returns The reason, or undefined.
 * @internal
 */
export function cellCountProblem(cells: readonly unknown[], width: number, strict: boolean): string | undefined {
  const wrong = cells.length > width ? cells.slice(width).some((cell) => cell !== null && cell !== undefined && String(cell).trim() !== "") : strict && cells.length < width;
  return wrong ? `has ${cells.length} cells, the header has ${width}` : undefined;
}

function fieldEntry(name: string, field: Field): FieldEntry {
  // Plain text converts by a trim, a boolean or a short code table's code by a comparison or
  // two: cheaper than a lookup. Numbers, dates, months and long code tables repeat, and cost more.
  const memoised = field.type === "text" ? (field.allowed?.length ?? 0) > SHORT_CODE_TABLE : field.type !== "boolean";
  const conversion: Conversion = { type: field.type, trim: field.trim, allowed: field.allowed };
  return { name, field, conversion, required: field.required === true, label: fieldLabel(name, field), at: name, memo: memoised ? new Map() : undefined, lookups: 0, hits: 0 };
}

/**
 * Converts a cell through its field's memo: conversion is a pure function of the cell's text, and
 * an export repeats the same few values of a code, a date or an age on most of its rows.
 */
function convertMemo(entry: FieldEntry, raw: unknown, clean: boolean): CellResult {
  const memo = entry.memo;
  if (memo === undefined || typeof raw !== "string") return convertCell(raw, entry.conversion, entry.label, clean);
  const known = memo.get(raw);
  entry.lookups++;
  if (known !== undefined) {
    entry.hits++;
    return known;
  }
  const result = convertCell(raw, entry.conversion, entry.label, clean);
  // A long cell would keep the text of the file it was cut from (see detached).
  if (memo.size < MEMO_SIZE) memo.set(detached(raw), result);
  if (entry.lookups >= MEMO_TRIAL && entry.hits * 2 < entry.lookups) entry.memo = undefined;
  return result;
}

/**
 * The cells of a one-line record without quotes: its line, without a final CR, split at the
 * delimiter. Reading the line again this way gives the cells the reader gave (see `SourceCells.line`).
 *
 * @param line - The record's line, without its LF.
 * @param delimiter - The file's delimiter.
 * @returns The cells.
 */
export function splitLine(line: string, delimiter: string): string[] {
  return cutCells(line, 0, lineEnd(line), delimiter);
}

/**
 * The cells of `line` from index `from` to `end`, split at `delimiter`: what
 * `line.slice(from, end).split(delimiter)` gives, without the slice, and faster than `split` for
 * a one-character delimiter (about 1.2 × on a whole line of the screening benchmark, 1.7 × on the
 * seven person cells after a household's cells; V8 12, Node 20).
 */
function cutCells(line: string, from: number, end: number, delimiter: string): string[] {
  if (delimiter.length !== 1) return line.slice(from, end).split(delimiter);
  const cells: string[] = [];
  let at = from;
  for (;;) {
    const next = line.indexOf(delimiter, at);
    if (next === -1 || next >= end) {
      cells.push(line.slice(at, end));
      return cells;
    }
    cells.push(line.slice(at, next));
    at = next + 1;
  }
}

/**
 * Cuts the lines of one file into cells as {@link splitLine} does, with a regular expression for
 * the width of the file's lines (and one for the cells after a household's, read from a given
 * index on): one native pass, about 1.4 × faster than cutting at each delimiter on the lines of
 * the screening benchmark (V8 12, Node 20). A line of another width does not match, and is cut at
 * each delimiter.
 * @internal
 */
export class LineCutter {
  private delimiter = "";
  private whole: RegExp | undefined;
  private width = 0;
  private tail: RegExp | undefined;
  private tailWidth = 0;

  /**
   * The cells of a line without its LF (see {@link splitLine}).
   *
   * @param line - The line.
   * @param delimiter - The file's delimiter.
   * @param width - The header's width, where known; else the first line's is expected.
   * @returns The cells.
   */
  line(line: string, delimiter: string, width?: number): string[] {
    const match = delimiter === this.delimiter ? this.whole?.exec(line) : undefined;
    if (match) return match.slice(1);
    const cells = splitLine(line, delimiter);
    if (this.whole === undefined && delimiter.length === 1) {
      this.delimiter = delimiter;
      this.width = width ?? cells.length;
      this.whole = new RegExp(`^${cellsPattern(delimiter, this.width)}`);
    }
    return cells;
  }

  /**
   * The cells of a line without its LF from index `from` on, a final CR left out.
   *
   * @param line - The line.
   * @param from - Where the first cell starts.
   * @param delimiter - The file's delimiter.
   * @param width - How many cells are expected (a line with another number is cut all the same).
   * @returns The cells.
   */
  from(line: string, from: number, delimiter: string, width: number): string[] {
    if (delimiter === this.delimiter && width > 0) {
      if (this.tail === undefined || this.tailWidth !== width) {
        this.tail = new RegExp(cellsPattern(delimiter, width), "y");
        this.tailWidth = width;
      }
      this.tail.lastIndex = from;
      const match = this.tail.exec(line);
      if (match) return match.slice(1);
    }
    return cutCells(line, from, lineEnd(line), delimiter);
  }

  /** The width of the lines {@link LineCutter.line} expects (0 before the first line). */
  get expected(): number {
    return this.width;
  }
}

/**
 * A pattern for text of exactly `width` cells, to its end but for a final CR: the cells at
 * `captured` (ascending; by default all) each in a group, in order. Without `^`, for a sticky
 * expression that starts where it is told.
 *
 * @param delimiter - The delimiter (one character).
 * @param width - The number of cells.
 * @param captured - The cells captured.
 * @returns The pattern's source.
 * @internal
 */
export function cellsPattern(delimiter: string, width: number, captured?: readonly number[]): string {
  const d = `\\u${delimiter.charCodeAt(0).toString(16).padStart(4, "0")}`;
  const cell = `[^${d}]*`;
  const last = width - 1;
  let source = "";
  let next = 0;
  for (const index of captured ?? Array.from({ length: width }, (_, i) => i)) {
    if (index > next) source += `(?:${cell}${d}){${index - next}}`;
    // The last cell is taken lazily, so that a final CR stays out of it.
    source += index === last ? `([^${d}]*?)` : `(${cell})${d}`;
    next = index + 1;
  }
  if (next < width) source += `(?:${cell}${d}){${last - next}}${cell}`;
  return `${source}\\r?$`;
}

/** Where a line's cells end: before a final CR. */
function lineEnd(line: string): number {
  return line.charCodeAt(line.length - 1) === 13 ? line.length - 1 : line.length;
}

/** Shared by every record and person without a problem: most have none, and allocating one each costs on millions of rows. */
const NONE: readonly never[] = Object.freeze([]);

/**
 * A copy of a key that does not hold on to the text it was cut from: V8 keeps a substring of 13
 * characters or more (a 户编号 of 16 to 20 digits) as a slice of the decoded chunk of the file, so
 * the set of keys seen would otherwise keep the text of the whole file alive.
 */
function detached(id: string): string {
  // A shorter substring is a copy already.
  return id.length < 13 ? id : ` ${id}`.slice(1);
}

/** Issues in row order. */
function byRow(a: CellIssue, b: CellIssue): number {
  return a.row - b.row;
}

/** A unit's name (县, 乡, 村) from a record's fields: empty text where the field is empty. */
function unitText(fields: Readonly<Record<string, FieldValue>>, name: string): string {
  const value = fields[name];
  return value === null || value === undefined ? "" : String(value);
}

/** A cell's value as it stands in a finding: text, a number, a boolean or null. */
function cellValue(raw: unknown): FieldValue {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === "string" || typeof raw === "number" || typeof raw === "boolean") return raw;
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? null : raw.toISOString();
  return String(raw);
}

function show(value: FieldValue): string {
  if (value === null) return "empty";
  if (typeof value === "string" && value.trim() === "") return `blank ${JSON.stringify(value)}`;
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

function showZh(value: FieldValue): string {
  if (value === null) return "空";
  if (typeof value === "string" && value.trim() === "") return `空白${JSON.stringify(value)}`;
  return typeof value === "string" ? `"${value}"` : String(value);
}

/** Converts one field's cell; an unusable one is null, with its issue pushed to `issues`. */
function convertEntry(entry: FieldEntry, raw: unknown, row: number, issues: CellIssue[], clean = false): FieldValue {
  const { name, label, at } = entry;
  const converted = convertMemo(entry, raw, clean);
  if (isCellProblem(converted)) {
    issues.push({ field: name, code: converted.code, value: cellValue(raw), reason: converted.reason, zh: converted.zh, row });
    return null;
  }
  if ((converted === null || converted === "") && entry.required && at !== -1) {
    const value = cellValue(raw);
    const blank = typeof value === "string" && value !== "";
    issues.push({
      field: name,
      code: "missing_value",
      value,
      row,
      reason: `${label} is ${blank ? `blank ${JSON.stringify(value)}` : "empty"}, but required`,
      zh: `「${label}」${blank ? "只有空白" : "为空"}，但为必填项`,
    });
    return null;
  }
  return converted;
}

/**
 * Converts rows keyed by field name into records, one row at a time: rows of persons are grouped
 * into households by consecutive household key. Memory holds one household and the set of keys
 * already seen (to refuse a household split across the file). A cell that cannot be used is a
 * data-quality finding of its record, never a reason to drop the record; only a row that cannot
 * be placed (no key, a record twice) is rejected.
 */
export class RecordAssembler {
  /** Rows read, screened and rejected so far. */
  readonly counts: RowCounts = { rowsRead: 0, rowsScreened: 0, rowsRejected: 0 };
  private readonly base: FieldEntry[] = [];
  private readonly own: FieldEntry[] = [];
  /** The keys already read, to refuse a record twice. */
  private readonly seen = new Set<string>();
  private readonly memberKeyEntry: FieldEntry | undefined;
  private group: Group | undefined;
  /** Rows rejected while a household is open: they follow it, so that its rows stay together. */
  private deferred: RejectedRow[] = [];
  private readonly key: string;
  private readonly memberKey: string | undefined;
  /** The household key's place among the household fields (-1 without one). */
  private readonly keyAt: number;
  private readonly columns = new Map<string, string>();
  private readonly scratch: CellIssue[] = [];
  /** Cuts the lines given to {@link RecordAssembler.pushLine}. */
  private readonly cutter = new LineCutter();
  /** After {@link RecordAssembler.useColumns}: the first person column, where every household column comes before it; otherwise -1. */
  private tailAt = -1;

  /**
   * @param prepared - The prepared rulebook.
   * @param level - What one row holds: a village, a household, or a person of a household.
   * @param file - The file the rows come from, quoted in rejections and findings.
   */
  constructor(
    private readonly prepared: PreparedRulebook,
    readonly level: Subject,
    private readonly file?: string,
  ) {
    const { fields, keys } = prepared.rulebook;
    const outer: Subject = level === "person" ? "household" : level;
    for (const [name, field] of Object.entries(fields)) {
      const depth = SUBJECT_DEPTH[field.of];
      const entry = fieldEntry(name, field);
      this.columns.set(name, fieldColumns(field)[0] ?? name);
      if (depth <= SUBJECT_DEPTH[outer]) this.base.push(entry);
      else if (depth <= SUBJECT_DEPTH[level]) this.own.push(entry);
    }
    this.key = keys[outer] ?? "";
    this.memberKey = level === "person" ? keys.person : undefined;
    this.keyAt = this.base.findIndex((entry) => entry.name === this.key);
    this.memberKeyEntry = this.memberKey === undefined ? undefined : this.own.find((entry) => entry.name === this.memberKey);
  }

  /**
   * The cells that hold the keys rows are placed by, after {@link RecordAssembler.useColumns}:
   * the record's (a household's for rows of persons) and, for rows of persons, the person's.
   *
   * @returns Their indexes (-1 where there is none).
   */
  keyColumns(): { readonly key: number; readonly member: number } {
    const at = (entry: FieldEntry | undefined) => (entry !== undefined && typeof entry.at === "number" ? entry.at : -1);
    return { key: at(this.base[this.keyAt]), member: at(this.memberKeyEntry) };
  }

  /**
   * The key of the record that a row starts or continues (a household's for rows of persons),
   * from the row's cell in its key column, read as {@link RecordAssembler.push} reads it;
   * undefined where the row has none.
   *
   * @param raw - The cell.
   * @returns The key, or undefined.
   */
  keyOf(raw: unknown): string | undefined {
    // Rows of one household repeat its key: the same cell as the row before reads the same.
    if (raw !== undefined && raw === this.lastKey[0]) return this.lastKey[1];
    const id = this.keyIn(this.base[this.keyAt], raw);
    this.lastKey = [raw, id];
    return id;
  }

  private lastKey: [raw: unknown, id: string | undefined] = [undefined, undefined];

  /**
   * The person's key, from a row's cell in the person key's column, read as
   * {@link RecordAssembler.push} reads it; undefined where the row has none (or the rows are not
   * of persons).
   *
   * @param raw - The cell.
   * @returns The key, or undefined.
   */
  memberKeyOf(raw: unknown): string | undefined {
    return this.keyIn(this.memberKeyEntry, raw);
  }

  private keyIn(entry: FieldEntry | undefined, raw: unknown): string | undefined {
    if (entry === undefined) return undefined;
    const scratch = this.scratch;
    if (scratch.length !== 0) scratch.length = 0;
    const value = convertEntry(entry, raw, 0, scratch);
    return value === null || value === undefined ? undefined : String(value);
  }

  /**
   * Claims the keys of records that were assembled elsewhere (a batch screened by a worker thread,
   * or apart on this thread): they count as seen from now on. All or none: where one of them was
   * seen already, none is claimed.
   *
   * @param ids - The keys, each once (as {@link RecordAssembler.takeKeys} gives them).
   * @returns Whether every key was new (false: a record of one of them was read or claimed already).
   */
  claimAll(ids: readonly string[]): boolean {
    const seen = this.seen;
    for (let i = 0; i < ids.length; i++) {
      const before = seen.size;
      seen.add(ids[i] as string);
      if (seen.size > before) continue;
      for (let j = 0; j < i; j++) seen.delete(ids[j] as string);
      return false;
    }
    return true;
  }

  /**
   * The keys of the records read since the last call, in the order they were first read; they are
   * forgotten, so that the next rows are read as if none had been seen (an assembler that reads a
   * file's batches apart, each of whose keys are then claimed by {@link RecordAssembler.claimAll}).
   *
   * @returns The keys.
   */
  takeKeys(): string[] {
    const keys = [...this.seen];
    this.seen.clear();
    return keys;
  }

  /**
   * Counts rows that were read elsewhere (a batch whose keys {@link RecordAssembler.claimAll}
   * claimed), as if they had been pushed here.
   *
   * @param counts - Their counts.
   */
  addCounts(counts: RowCounts): void {
    this.counts.rowsRead += counts.rowsRead;
    this.counts.rowsScreened += counts.rowsScreened;
    this.counts.rowsRejected += counts.rowsRejected;
  }

  /**
   * Takes one row as the reader gave it (after {@link RecordAssembler.useColumns}): its cells, or
   * why it could not be read. A row with more cells than the header, where one of the extra cells
   * is not blank, is rejected as `wrong_cell_count`; so is a row with fewer, when `strict` (a
   * CSV, whose rows must have the header's width; a workbook leaves trailing empty cells out).
   *
   * @param source - The row.
   * @param width - The header's width.
   * @param strict - Whether a row with fewer cells than the header is rejected.
   * @param out - Where completed records and rejected rows go.
   */
  pushRow(source: { readonly row: number; readonly cells: readonly unknown[] } | { readonly row: number; readonly code: string; readonly reason: string }, width: number, strict: boolean, out: (ScreeningRecord | RejectedRow)[]): void {
    if (!("cells" in source)) return this.rejectUnread(source.row, source.code, source.reason, out);
    const { cells, row } = source;
    const wrong = cellCountProblem(cells, width, strict);
    if (wrong !== undefined) return this.rejectUnread(row, "wrong_cell_count", wrong, out, cells);
    this.pushCells(cells, row, out, false);
  }

  /**
   * Reads rows as arrays of cells from now on: each field from its column's index (a field
   * without a column is empty on every row).
   *
   * @param indexes - The column index of each field.
   * @param names - The header of each field's column, as the file writes it, for findings.
   */
  useColumns(indexes: readonly (readonly [field: string, index: number])[], names?: Readonly<Record<string, string>>): void {
    const byField = new Map(indexes);
    for (const entry of [...this.base, ...this.own]) entry.at = byField.get(entry.name) ?? -1;
    // Where every household column comes before every person column, a row's household cells are a prefix of its line.
    const at = (entries: readonly FieldEntry[]) => entries.map((entry) => entry.at as number).filter((index) => index >= 0);
    const firstOwn = Math.min(...at(this.own));
    this.tailAt = this.memberKey !== undefined && Number.isFinite(firstOwn) && at(this.base).every((index) => index < firstOwn) ? firstOwn : -1;
    for (const [field, name] of Object.entries(names ?? {})) this.columns.set(field, name);
  }

  /**
   * Takes one row as its line, after {@link RecordAssembler.useColumns}, exactly as
   * {@link RecordAssembler.push} takes the line's cells. The line holds no quote and has the
   * header's width (the caller checked). A further line of the open household that starts with
   * its first line's household cells is split only from its first person cell on: its household
   * cells are those of the first line, and need neither cutting nor comparing.
   *
   * @param line - The row's line, without its LF.
   * @param delimiter - The file's delimiter.
   * @param row - The row's number in its file.
   * @param out - Where completed records and rejected rows go.
   * @param width - The header's width, where the caller did not check the line's: a line of
   * another width is then not taken.
   * @returns Whether the line was taken (always, without `width`).
   */
  pushLine(line: string, delimiter: string, row: number, out: (ScreeningRecord | RejectedRow)[], width?: number): boolean {
    const open = this.group;
    const prefix = open?.prefix;
    // A line without U+FFFD has none in its cells: they need not be searched one by one.
    const clean = !line.includes("\uFFFD");
    // A slice compared by === rather than startsWith: about 4 × faster on lines of two-byte text (V8 12, Node 20).
    if (open !== undefined && prefix !== undefined && line.length >= prefix.length && line.slice(0, prefix.length) === prefix) {
      const tail = this.cutter.from(line, prefix.length, delimiter, (width ?? this.cutter.expected) - this.tailAt);
      if (width !== undefined && tail.length !== width - this.tailAt) return false;
      this.counts.rowsRead++;
      this.pushMember(open, tail as unknown as Record<number, unknown>, row, undefined, out, this.tailAt, clean);
      return true;
    }
    const cells = this.cutter.line(line, delimiter, width);
    if (width !== undefined && cells.length !== width) return false;
    this.pushCells(cells, row, out, clean);
    const group = this.group;
    // The row began a household, its household cells all usable: later lines may start as it does.
    if (this.tailAt > 0 && group !== undefined && group.rows === 1 && group.row === row && !group.raw.includes(UNUSABLE)) {
      let at = -1;
      for (let i = 0; i < this.tailAt; i++) at = line.indexOf(delimiter, at + 1);
      group.prefix = line.slice(0, at + 1);
    }
    return true;
  }

  /**
   * Takes one row (by field name, or cells after {@link RecordAssembler.useColumns}); pushes to `out` every record completed and every row rejected, in order.
   *
   * @param values - The row's cells by field name.
   * @param row - The row's number in its file (or its position).
   * @param out - Where completed records and rejected rows go.
   */
  push(values: Readonly<Record<string, unknown>> | readonly unknown[], row: number, out: (ScreeningRecord | RejectedRow)[]): void {
    this.pushCells(values, row, out, false);
  }

  /** {@link RecordAssembler.push}; `clean` where the cells are known to hold no U+FFFD. */
  private pushCells(values: Readonly<Record<string, unknown>> | readonly unknown[], row: number, out: (ScreeningRecord | RejectedRow)[], clean: boolean): void {
    this.counts.rowsRead++;
    const cells = values as Record<string | number, unknown>;
    const open = this.group;
    // A further row of the open household (the same key cell as its first row): only the cells that differ are converted.
    if (open !== undefined && open.rows > 0 && this.keyAt >= 0 && cells[(this.base[this.keyAt] as FieldEntry).at] === open.raw[this.keyAt]) {
      this.pushMember(open, cells, row, undefined, out, 0, clean);
      return;
    }
    const baseIssues: CellIssue[] = [];
    const fields = this.convert(this.base, cells, row, baseIssues, 0, clean);
    const keyValue = fields[this.key];
    if (keyValue === null || keyValue === undefined) {
      const keyIssue = baseIssues.find((issue) => issue.field === this.key);
      const label = this.label(this.key);
      const reason = keyIssue ? `${keyIssue.reason}: the row cannot be placed without its key` : `${label} is empty: the row cannot be placed without its key`;
      return this.reject(out, row, keyIssue?.code === "invalid_encoding" ? "invalid_encoding" : "missing_key", reason);
    }
    const id = String(keyValue);
    if (this.memberKey === undefined) {
      if (this.seen.has(id)) return this.reject(out, row, "duplicate_record", `${this.label(this.key)} ${id} appears twice`);
      this.seen.add(detached(id));
      this.counts.rowsScreened++;
      out.push(this.record(id, row, fields, [], new Set(baseIssues.map((i) => i.field)), baseIssues, []));
      return;
    }
    let group = this.group;
    if (group === undefined || group.id !== id) {
      this.flush(out);
      if (this.seen.has(id)) {
        return this.reject(out, row, "household_not_contiguous", `${this.label(this.key)} ${id} appears again, apart from its other rows (sort the export by ${this.label(this.key)})`);
      }
      this.seen.add(detached(id));
      group = { id, row, fields, members: [], memberIds: undefined, rows: 0, unusable: new Set(), issues: [], rejectedRows: [], raw: [] };
      this.group = group;
    }
    this.pushMember(group, cells, row, { fields, issues: baseIssues }, out, 0, clean);
  }

  /**
   * A row of persons in the open household: its person, and its household cells checked against the
   * household's first row (`household` holds them converted, or they are converted here where they differ).
   */
  private pushMember(
    group: Group,
    cells: Record<string | number, unknown>,
    row: number,
    household: { fields: Record<string, FieldValue>; issues: CellIssue[] } | undefined,
    out: (ScreeningRecord | RejectedRow)[],
    tail = 0,
    clean = false,
  ): void {
    const memberKey = this.memberKey as string;
    // Most rows have no unusable cell: the issues are collected in one array kept for the purpose.
    const memberIssues = this.scratch;
    if (memberIssues.length !== 0) memberIssues.length = 0;
    const own = this.convert(this.own, cells, row, memberIssues, tail, clean);
    const memberId = own[memberKey];
    const id = group.id;
    if (memberId === null || memberId === undefined || hasMember(group, String(memberId))) {
      group.rejectedRows.push(row);
      const twice = memberId !== null && memberId !== undefined;
      const personLabel = this.label(memberKey);
      const reason = twice ? `${personLabel} ${String(memberId)} appears twice in household ${id}` : `${personLabel} is empty: the row cannot be placed in household ${id}`;
      return this.reject(out, row, twice ? "duplicate_record" : "missing_key", reason);
    }
    const person = String(memberId);
    if (group.rows++ === 0) {
      // The household's first accepted row gives its household fields.
      const first = household as { fields: Record<string, FieldValue>; issues: CellIssue[] };
      group.row = row;
      group.fields = first.fields;
      for (const issue of first.issues) {
        group.issues.push(issue);
        group.unusable.add(issue.field);
      }
      const raw: unknown[] = [];
      for (const entry of this.base) raw.push(first.issues.length > 0 && first.issues.some((issue) => issue.field === entry.name) ? UNUSABLE : cells[entry.at]);
      group.raw = raw;
    } else if (tail === 0) this.compareHousehold(group, household, cells, row);
    for (const issue of memberIssues) group.issues.push({ ...issue, person });
    if (group.memberIds !== undefined) group.memberIds.add(person);
    else if (group.members.length >= SMALL_HOUSEHOLD) group.memberIds = new Set([...group.members.map((member) => member.id), person]);
    group.members.push({ id: person, row, fields: own, unusable: memberIssues.length === 0 ? NONE : memberIssues.map((issue) => issue.field) });
  }

  /**
   * A later row of a household: each household field must be as on its first row; a difference is
   * an inconsistency of the household. A cell equal to the first row's usable cell is equal without
   * conversion; the others are converted here unless `household` holds them converted.
   */
  private compareHousehold(group: Group, household: { fields: Record<string, FieldValue>; issues: CellIssue[] } | undefined, cells: Record<string | number, unknown>, row: number): void {
    const base = this.base;
    for (let j = 0; j < base.length; j++) {
      const entry = base[j] as FieldEntry;
      const { name, label, at } = entry;
      if (j === this.keyAt) continue;
      const raw = cells[at];
      if (raw === group.raw[j]) continue;
      let value: FieldValue;
      let issue: CellIssue | undefined;
      if (household === undefined) {
        const issues: CellIssue[] = [];
        value = convertEntry(entry, raw, row, issues);
        issue = issues[0];
      } else {
        value = household.fields[name] ?? null;
        issue = household.issues.length === 0 ? undefined : household.issues.find((i) => i.field === name);
      }
      if (issue) {
        group.issues.push(issue);
        group.unusable.add(name);
        continue;
      }
      const first = group.fields[name] ?? null;
      if (value === first) continue;
      const shown = cellValue(raw);
      const firstRow = group.row;
      group.unusable.add(name);
      group.issues.push({
        field: name,
        code: "inconsistent_household",
        value: shown,
        row,
        reason: `${label} ${show(shown)} on row ${row} differs from ${show(first)} on row ${firstRow} of the same household ${group.id}`,
        zh: `同一户（${group.id}）第 ${row} 行「${label}」为${showZh(shown)}，与第 ${firstRow} 行的${showZh(first)}不一致`,
      });
    }
  }

  /**
   * Marks the end of the rows: pushes the last household, if any.
   *
   * @param out - Where it goes.
   */
  end(out: (ScreeningRecord | RejectedRow)[]): void {
    this.flush(out);
  }

  /**
   * Counts a row that could not be read at all (bad CSV syntax, wrong number of cells).
   *
   * @param row - Its number.
   * @param code - Why, as a code.
   * @param reason - Why, for a person.
   * @param out - Where the rejection goes.
   * @param cells - The row's cells, when it has any: its household key tells whether it belongs to the household being read.
   */
  rejectUnread(row: number, code: string, reason: string, out: (ScreeningRecord | RejectedRow)[], cells?: readonly unknown[]): void {
    this.counts.rowsRead++;
    const group = this.group;
    if (group !== undefined) {
      const at = this.base.find((entry) => entry.name === this.key)?.at;
      const key = cells !== undefined && typeof at === "number" ? cells[at] : undefined;
      // A row without readable cells may belong to the open household: its member list may be incomplete.
      if (key === undefined || String(key).trim() === group.id) group.rejectedRows.push(row);
    }
    this.reject(out, row, code, reason);
  }

  /**
   * Converts the cells of some fields, collecting the unusable ones; such a field is null. With
   * `tail`, the cells are those of a line from its cell `tail` on (see {@link RecordAssembler.pushLine}).
   */
  private convert(entries: readonly FieldEntry[], cells: Record<string | number, unknown>, row: number, issues: CellIssue[], tail = 0, clean = false): Record<string, FieldValue> {
    const result: Record<string, FieldValue> = {};
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i] as FieldEntry;
      result[entry.name] = convertEntry(entry, cells[tail === 0 ? entry.at : (entry.at as number) - tail], row, issues, clean);
    }
    return result;
  }

  private label(name: string): string {
    const field = this.prepared.rulebook.fields[name];
    return field ? fieldLabel(name, field) : name;
  }

  private reject(out: (ScreeningRecord | RejectedRow)[], row: number, code: string, reason: string): void {
    this.counts.rowsRejected++;
    const rejected: RejectedRow = this.file === undefined ? { kind: "rejected", code, reason, row } : { kind: "rejected", code, reason, file: this.file, row };
    if (this.group !== undefined) this.deferred.push(rejected);
    else out.push(rejected);
  }

  private flush(out: (ScreeningRecord | RejectedRow)[]): void {
    const group = this.group;
    if (group === undefined) return;
    this.group = undefined;
    if (group.rows > 0) {
      this.counts.rowsScreened += group.rows;
      if (group.issues.length > 1) group.issues.sort(byRow);
      out.push(this.record(group.id, group.row, group.fields, group.members, group.unusable, group.issues, group.rejectedRows));
    }
    if (this.deferred.length > 0) {
      out.push(...this.deferred);
      this.deferred = [];
    }
  }

  private record(
    id: string,
    row: number,
    fields: Record<string, FieldValue>,
    members: ScreeningMember[],
    unusable: ReadonlySet<string>,
    issues: readonly CellIssue[],
    rejectedRows: readonly number[],
  ): ScreeningRecord {
    const { unit } = this.prepared.rulebook;
    const subject = this.level === "village" ? "village" : "household";
    const path = { county: unitText(fields, unit.county), township: unitText(fields, unit.township), village: unitText(fields, unit.village) };
    const quality = issues.length === 0 ? NONE : issues.map((issue): DataQualityFinding => {
      const fieldOf = this.prepared.rulebook.fields[issue.field]?.of ?? subject;
      const finding = {
        kind: "data_quality",
        code: issue.code,
        subject: issue.person !== undefined ? "person" : fieldOf === "village" && subject === "village" ? "village" : subject,
        recordId: issue.person ?? id,
        ...(issue.person !== undefined ? { householdId: id } : {}),
        field: issue.field,
        column: this.columns.get(issue.field) ?? issue.field,
        value: issue.value,
        reason: issue.reason,
        zh: issue.zh,
        unit: path,
        ...(this.file === undefined ? {} : { file: this.file }),
        row: issue.row,
      } as const;
      return finding;
    });
    const sorted = unusable.size === 0 ? NONE : [...unusable].sort();
    const rejected = rejectedRows.length === 0 ? NONE : rejectedRows;
    if (this.file === undefined) return { kind: "record", subject, id, unit: path, row, fields, members, unusable: sorted, quality, rejectedRows: rejected };
    return { kind: "record", subject, id, unit: path, row, fields, members, unusable: sorted, quality, rejectedRows: rejected, file: this.file };
  }
}
