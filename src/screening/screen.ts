import { KaoheError } from "../internal/errors";
import { evaluateEntries, planRules, type Finding, type RulePlan, type ScreeningItem, type SkippedRule } from "./evaluate";
import { prepareRulebook, type PrepareRulebookOptions, type PreparedRulebook } from "./prepare";
import { RecordAssembler, type DataQualityFinding, type RejectedRow, type RowCounts, type ScreeningRecord } from "./records";
import type { RulebookInput, Subject } from "./schema";

/** Options of {@link screenRecords} and {@link screenRecordStream}. */
export interface ScreenOptions extends PrepareRulebookOptions {
  /**
   * What one row holds: `person` (rows of persons, grouped into households by the household key),
   * `household` or `village`. By default, the narrowest kind whose key the first row has.
   */
  readonly level?: Subject;
  /** The file the rows come from, quoted in findings and rejected rows. */
  readonly file?: string;
}

/** Row counts and the rules that could not run on rows of this kind. */
export interface ScreeningCounts extends RowCounts {
  /** What one row held. */
  readonly level: Subject;
  /** Findings (rules that held). */
  readonly findings: number;
  /** Rules that could not be decided for a record. */
  readonly ruleFailures: number;
  /** Data-quality findings (unusable cells, inconsistent households). */
  readonly dataQuality: number;
  /** Rows whose evaluation failed twice (the worker holding them stopped), reported as `not_screened` and counted as rejected. */
  readonly notScreened: number;
  /**
   * Rules not run at all on these rows, with why (a person rule over rows of households, a column
   * the file lacks). Any entry means the screening of this file is incomplete.
   */
  readonly skipped: readonly SkippedRule[];
}

/** The result of {@link screenRecords}. */
export interface ScreeningResult {
  /** Findings and undecided rules, in input order (see `docs/screening.md`, "Order"). */
  readonly findings: readonly Finding[];
  /** Data-quality findings (a cell that does not parse, outside its code table, inconsistent within a household), in input order. */
  readonly quality: readonly DataQualityFinding[];
  /** Rows not screened, with their reason, in input order. */
  readonly rejected: readonly RejectedRow[];
  /** Rows and records counted. */
  readonly counts: ScreeningCounts;
}

/** How many records are evaluated at once by the streaming functions. */
const BATCH = 512;

/**
 * Screens rows through a prepared rulebook, one at a time, in bounded memory: the building block
 * of {@link screenRecords}, {@link screenRecordStream} and the CLI.
 *
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { Screener, prepareRulebook } from "kaohe";
 * const rulebook = JSON.parse(readFileSync("examples/screening/rulebook.json", "utf8"));
 * const screener = new Screener(prepareRulebook(rulebook), "person", "户.csv");
 * const household = {
 *   county: "示例县", township: "甲乡", village: "一村", householdId: "H1", riskStatus: "未消除",
 *   perCapitaIncome: "9000", measures: "产业帮扶", householdSize: "2",
 * };
 * screener.push({ ...household, personId: "H1-1", age: "40", labourAbility: "普通劳动力", employed: "是", insured: "否" }, 2);
 * screener.push({ ...household, personId: "H1-2", age: "10", labourAbility: "无劳动力", schooling: "在校生", employed: "否", insured: "是" }, 3);
 * screener.waiting; //=> 0
 * const items = screener.evaluate(screener.take(true));
 * screener.count(items);
 * items.map((i) => [i.code, i.file, i.row]); //=> [["SC13", "户.csv", 2]]
 * screener.counts().rowsRead; //=> 2
 * screener.counts().findings; //=> 1
 * ```
 */
export class Screener {
  /** The rules run on these rows, and those skipped. */
  readonly plan: RulePlan;
  /** @internal The assembler of the rows, for `screenFile`'s batches that workers assemble. */
  readonly assembler: RecordAssembler;
  private pending: (ScreeningRecord | RejectedRow)[] = [];
  private findings = 0;
  private ruleFailures = 0;
  private dataQuality = 0;
  private notScreened = 0;

  /**
   * Starts screening rows of one kind through a prepared rulebook.
   *
   * @param prepared - The rulebook, from {@link prepareRulebook}.
   * @param level - What one row holds.
   * @param file - The file the rows come from.
   * @param missing - Fields whose column the file lacks, with the column's name: the rules reading them are not run.
   */
  constructor(
    readonly prepared: PreparedRulebook,
    readonly level: Subject,
    file?: string,
    readonly missing: Readonly<Record<string, string>> = {},
  ) {
    this.plan = planRules(prepared, level, missing);
    this.assembler = new RecordAssembler(prepared, level, file);
  }

  /**
   * Takes one row keyed by field name.
   *
   * @param values - The row's cells by field name.
   * @param row - Its number in the file.
   */
  push(values: Readonly<Record<string, unknown>>, row: number): void {
    this.assembler.push(values, row, this.pending);
  }

  /**
   * Takes one row as an array of cells, read by the column map (faster than {@link Screener.push}
   * with {@link rowFromCells}).
   *
   * @param cells - The row's cells.
   * @param row - Its number in the file.
   * @param map - The file's column map, from `mapColumns`; the same for every row.
   */
  pushCells(cells: readonly unknown[], row: number, map: { readonly indexes: readonly (readonly [string, number])[]; readonly names?: Readonly<Record<string, string>> }): void {
    this.use(map);
    this.assembler.push(cells, row, this.pending);
  }

  /**
   * Takes one row as the file's reader gave it: its cells, or why it could not be read. A row
   * with more cells than the header, one of the extra cells not blank, is rejected as
   * `wrong_cell_count`; so is a row with fewer, when `strict`.
   *
   * @param source - The row: its number and cells, or its number, a code and a reason.
   * @param map - The file's column map, from `mapColumns`, with the header's width.
   * @param strict - Whether a row with fewer cells than the header is rejected (a CSV's).
   */
  pushRow(
    source: { readonly row: number; readonly cells: readonly unknown[] } | { readonly row: number; readonly code: string; readonly reason: string },
    map: { readonly indexes: readonly (readonly [string, number])[]; readonly names?: Readonly<Record<string, string>>; readonly width: number },
    strict: boolean,
  ): void {
    this.use(map);
    this.assembler.pushRow(source, map.width, strict, this.pending);
  }

  /**
   * Takes one row as its line: one line without quotes, of the header's width (the caller
   * checked), read by the column map as {@link Screener.pushCells} reads its cells.
   *
   * @param line - The row's line, without its LF.
   * @param delimiter - The file's delimiter.
   * @param row - Its number in the file.
   * @param map - The file's column map, from `mapColumns`; the same for every row.
   * @param width - The header's width, where the caller did not check the line's: a line of
   * another width is then not taken (give its cells to {@link Screener.pushCells} or reject it).
   * @returns Whether the line was taken (always, without `width`).
   */
  pushLine(line: string, delimiter: string, row: number, map: { readonly indexes: readonly (readonly [string, number])[]; readonly names?: Readonly<Record<string, string>> }, width?: number): boolean {
    this.use(map);
    return this.assembler.pushLine(line, delimiter, row, this.pending, width);
  }

  private use(map: { readonly indexes: readonly (readonly [string, number])[]; readonly names?: Readonly<Record<string, string>> }): void {
    if (this.columns === map) return;
    this.assembler.useColumns(map.indexes, map.names);
    this.columns = map;
  }

  private columns: unknown;

  /**
   * Counts a row that could not be read at all, as rejected.
   *
   * @param row - Its number in the file.
   * @param code - Why, as a code (e.g. `wrong_cell_count`).
   * @param reason - Why, for a person.
   * @param cells - Its cells, if it has any (a row of the wrong width), read by the column map of {@link Screener.pushCells}.
   */
  reject(row: number, code: string, reason: string, cells?: readonly unknown[]): void {
    this.assembler.rejectUnread(row, code, reason, this.pending, cells);
  }

  /**
   * Takes the records completed and rows rejected so far, to be evaluated here or elsewhere.
   *
   * @param end - `true` after the last row, to complete the last household.
   * @returns The entries, in input order.
   */
  take(end = false): (ScreeningRecord | RejectedRow)[] {
    if (end) this.assembler.end(this.pending);
    const taken = this.pending;
    this.pending = [];
    return taken;
  }

  /** How many entries wait to be taken. */
  get waiting(): number {
    return this.pending.length;
  }

  /**
   * Evaluates entries taken from this screener (or any with the same rulebook and level).
   *
   * @param entries - Entries from {@link Screener.take}.
   * @returns Findings and rejected rows, in input order.
   */
  evaluate(entries: readonly (ScreeningRecord | RejectedRow)[]): ScreeningItem[] {
    return evaluateEntries(this.prepared, this.plan, entries);
  }

  /**
   * Counts items produced elsewhere (by workers), so that {@link Screener.counts} includes them.
   *
   * @param items - Items returned by an evaluation of this screener's entries.
   */
  count(items: readonly ScreeningItem[]): void {
    for (const item of items) {
      if (item.kind === "finding") this.findings++;
      else if (item.kind === "rule_failed") this.ruleFailures++;
      else if (item.kind === "data_quality") this.dataQuality++;
      else if (item.code === "not_screened") this.notScreened++;
    }
  }

  /** The counts so far. */
  counts(): ScreeningCounts {
    const { rowsRead, rowsScreened, rowsRejected } = this.assembler.counts;
    return {
      level: this.level,
      rowsRead,
      rowsScreened: rowsScreened - this.notScreened,
      rowsRejected: rowsRejected + this.notScreened,
      findings: this.findings,
      ruleFailures: this.ruleFailures,
      dataQuality: this.dataQuality,
      notScreened: this.notScreened,
      skipped: this.plan.skipped,
    };
  }
}

/** The narrowest kind of record whose key a row (or a header's field list) has. */
export function detectLevel(prepared: PreparedRulebook, has: (field: string) => boolean): Subject | undefined {
  const { keys } = prepared.rulebook;
  if (keys.person !== undefined && keys.household !== undefined && has(keys.person) && has(keys.household)) return "person";
  if (keys.household !== undefined && has(keys.household)) return "household";
  if (keys.village !== undefined && has(keys.village)) return "village";
  return undefined;
}

function levelOf(prepared: PreparedRulebook, first: Readonly<Record<string, unknown>> | undefined, options: ScreenOptions): Subject {
  if (options.level !== undefined) return options.level;
  // No rows: the narrowest kind the rulebook declares (nothing will be read anyway).
  if (first === undefined) return detectLevel(prepared, () => true) ?? "village";
  const level = detectLevel(prepared, (field) => first[field] !== undefined);
  if (level !== undefined) return level;
  const keys = Object.values(prepared.rulebook.keys).join(", ");
  throw new KaoheError([{ code: "missing_key", path: [], message: `the first row has none of the key fields (${keys}): give options.level or the keys` }], "Cannot screen");
}

/**
 * Screens rows with a rulebook: converts each row's cells to the declared field types, groups
 * rows of persons into households, runs every rule on every record of its subject. A cell that
 * cannot be used is a data-quality finding, and the rules that read it are undecided for that
 * record while the others run; only a row that cannot be placed (no key) is rejected.
 *
 * @param rows - Rows keyed by field name (numbered from 1 in findings); cells may be text as read from a file.
 * @param rulebook - A rulebook (validated here) or a prepared one from {@link prepareRulebook}.
 * @param options - The kind of row, parameter overrides, the file name to quote.
 * @returns Findings, data-quality findings and rejected rows in input order, and counts.
 * @throws {@link KaoheError} for an invalid rulebook (every issue), or rows without a key when no level is given.
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { screenRecords } from "kaohe";
 * const rulebook = JSON.parse(readFileSync("examples/screening/rulebook.json", "utf8"));
 * const result = screenRecords(
 *   [{
 *     county: "示例县", township: "甲乡", village: "一村", householdId: "H1", riskStatus: "已消除",
 *     clearedBy: "帮扶消除", identifiedOn: "2024-01-01", clearedOn: "2024-12-01", perCapitaIncome: "6000",
 *     measures: "产业帮扶", householdSize: "1", personId: "H1-1", age: "40", labourAbility: "普通劳动力",
 *     employed: "是", insured: "是",
 *   }],
 *   rulebook,
 * );
 * result.findings.map((f) => f.code); //=> ["SC02"]
 * result.counts.rowsRead;              //=> 1
 * result.rejected;                     //=> []
 * ```
 */
export function screenRecords(
  rows: Iterable<Readonly<Record<string, unknown>>>,
  rulebook: RulebookInput | PreparedRulebook,
  options: ScreenOptions = {},
): ScreeningResult {
  const prepared = isPrepared(rulebook) ? rulebook : prepareRulebook(rulebook, options);
  const list = Array.isArray(rows) ? (rows as readonly Readonly<Record<string, unknown>>[]) : [...rows];
  const screener = new Screener(prepared, levelOf(prepared, list[0], options), options.file);
  list.forEach((row, i) => screener.push(row, i + 1));
  const items = screener.evaluate(screener.take(true));
  screener.count(items);
  const findings: Finding[] = [];
  const quality: DataQualityFinding[] = [];
  const rejected: RejectedRow[] = [];
  for (const item of items) {
    if (item.kind === "rejected") rejected.push(item);
    else if (item.kind === "data_quality") quality.push(item);
    else findings.push(item);
  }
  return { findings, quality, rejected, counts: screener.counts() };
}

/**
 * The streaming twin of {@link screenRecords}: reads rows from a sync or async iterable and
 * yields findings and rejected rows in input order, holding only one batch of records at a time.
 * The generator's return value is the counts.
 *
 * @param rows - Rows keyed by field name, numbered from 1.
 * @param rulebook - A rulebook or a prepared one.
 * @param options - As for {@link screenRecords}.
 * @returns An async generator of findings and rejected rows that returns the counts.
 * @throws {@link KaoheError} as {@link screenRecords} does (when iteration starts).
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { screenRecordStream } from "kaohe";
 * const rulebook = JSON.parse(readFileSync("examples/screening/rulebook.json", "utf8"));
 * // Any sync or async iterable of rows keyed by field name, e.g. rows read from a file.
 * async function* readRows() {
 *   yield {
 *     county: "示例县", township: "甲乡", village: "一村", householdId: "H1", riskStatus: "已消除",
 *     clearedBy: "帮扶消除", identifiedOn: "2024-01-01", clearedOn: "2024-12-01", perCapitaIncome: "6000",
 *     measures: "产业帮扶", householdSize: "1", personId: "H1-1", age: "40", labourAbility: "普通劳动力",
 *     employed: "是", insured: "是",
 *   };
 * }
 * const lines: string[] = [];
 * for await (const item of screenRecordStream(readRows(), rulebook)) {
 *   if (item.kind !== "rejected") lines.push(`${item.code} ${item.recordId} ${item.message}`);
 * }
 * lines; //=> ["SC02 H1 以帮扶消除风险，但人均纯收入6000元低于监测收入标准7600元"]
 * ```
 */
export async function* screenRecordStream(
  rows: AsyncIterable<Readonly<Record<string, unknown>>> | Iterable<Readonly<Record<string, unknown>>>,
  rulebook: RulebookInput | PreparedRulebook,
  options: ScreenOptions = {},
): AsyncGenerator<ScreeningItem, ScreeningCounts, undefined> {
  const prepared = isPrepared(rulebook) ? rulebook : prepareRulebook(rulebook, options);
  let screener: Screener | undefined;
  let row = 0;
  for await (const values of rows) {
    screener ??= new Screener(prepared, levelOf(prepared, values, options), options.file);
    screener.push(values, ++row);
    if (screener.waiting >= BATCH) {
      const items = screener.evaluate(screener.take());
      screener.count(items);
      yield* items;
    }
  }
  screener ??= new Screener(prepared, levelOf(prepared, undefined, options), options.file);
  const items = screener.evaluate(screener.take(true));
  screener.count(items);
  yield* items;
  return screener.counts();
}

/** Tells a prepared rulebook from a raw one by its compiled rules. */
function isPrepared(value: unknown): value is PreparedRulebook {
  const rules = (value as { rules?: unknown } | null)?.rules;
  return Array.isArray(rules) && rules.length > 0 && typeof (rules[0] as { condition?: { test?: unknown } }).condition?.test === "function";
}
