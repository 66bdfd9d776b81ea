import { mkdtemp, open, rm } from "node:fs/promises";
import { availableParallelism, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import type { DuckDBAppender, DuckDBConnection } from "@duckdb/node-api";
import { isKaoheError } from "../../internal/errors";
import { ruleNumberToString } from "../../rules/index";
import { isHeaderRow, mapColumns, type ColumnMap } from "../../screening/columns";
import { evaluateEntries, type Finding, type ScreeningItem } from "../../screening/evaluate";
import { fieldLabel, type PreparedRulebook } from "../../screening/prepare";
import type { DataQualityFinding, RejectedRow } from "../../screening/records";
import { Screener, type ScreeningCounts } from "../../screening/screen";
import { convertCell, isCellProblem } from "../../screening/values";
import { readRows, type ReadSummary, type SourceRow } from "../../screening/node/rows";
import { screenFile, type ScreenFileOptions, type ScreenFileResult } from "../../screening/node/run";
import { compileRulebookSql } from "../compile";

/*
 * `kaohe screen --engine duckdb`: the compiled rulebook on embedded DuckDB. A UTF-8 CSV is read
 * by DuckDB itself (every column as text); GB18030 and XLSX files, and CSV files DuckDB would
 * number differently (quoted line breaks, blank lines), are streamed in through kaohe's readers.
 * DuckDB decides every record, data-quality findings included, except those whose rows disagree
 * on a household cell, repeat or lack a person or are apart; the rows of those, which the SQL
 * rejects, are screened again by the JavaScript screener, which writes the same items as without
 * DuckDB; both streams are merged by position, so that the output is the JavaScript engine's.
 */

const HEADER_SEARCH = 50;

interface Header {
  readonly row: number;
  readonly map: ColumnMap;
  /** The CSV's encoding and delimiter, as kaohe's reader found them. */
  readonly encoding?: string;
  readonly delimiter?: string;
}

/** Thrown when the file's structure breaks (an unclosed quote): the JavaScript engine screens it. */
class Incomplete extends Error {}

const readOptions = (options: ScreenFileOptions) => ({
  ...(options.encoding === undefined ? {} : { encoding: options.encoding }),
  ...(options.sheet === undefined ? {} : { sheet: options.sheet }),
});

/** Finds the header as the JavaScript engine does; reads no further. */
async function findHeader(prepared: PreparedRulebook, file: string, options: ScreenFileOptions): Promise<Header | { reason: string }> {
  const { headerRow } = options;
  const reader = readRows(file, readOptions(options));
  for await (const source of reader) {
    const atHeader = headerRow !== undefined ? source.row >= headerRow : "cells" in source && isHeaderRow(prepared, source.cells);
    if (!atHeader) {
      if (headerRow === undefined && source.row > HEADER_SEARCH) return { reason: `no header row naming a key column in the first ${HEADER_SEARCH} rows; give --header-row` };
      continue;
    }
    if (!("cells" in source) || (headerRow !== undefined && source.row !== headerRow)) return { reason: `row ${headerRow ?? source.row} is not a readable header row` };
    const mapped = mapColumns(prepared, source.cells);
    if (!mapped.ok) return { reason: `row ${source.row}: ${mapped.reason}` };
    const { encoding, delimiter } = reader.summary;
    return { row: source.row, map: mapped.map, ...(encoding === undefined ? {} : { encoding }), ...(delimiter === undefined ? {} : { delimiter }) };
  }
  return { reason: headerRow === undefined ? "no header row naming a key column" : `the file has no row ${headerRow}` };
}

/** Counts the lines of a file (a last line without a line break counts). */
async function countLines(file: string): Promise<number> {
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.allocUnsafe(1 << 20);
    let lines = 0;
    let last = 10;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      let at = buffer.indexOf(10, 0);
      while (at !== -1 && at < bytesRead) {
        lines++;
        at = buffer.indexOf(10, at + 1);
      }
      last = buffer[bytesRead - 1] as number;
    }
    return last === 10 ? lines : lines + 1;
  } finally {
    await handle.close();
  }
}

const sqlText = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** Loads a UTF-8 CSV with DuckDB's reader; false when DuckDB's rows would not be the file's rows. */
async function loadCsv(connection: DuckDBConnection, file: string, header: Header): Promise<boolean> {
  const width = header.map.width;
  const columns = Array.from({ length: width }, (_, i) => `'c${i}': 'VARCHAR'`).join(", ");
  // An empty cell is "" as kaohe's reader gives it (a data-quality finding shows the cell as read), not NULL.
  const notNull = Array.from({ length: width }, (_, i) => `'c${i}'`).join(", ");
  // The lines are counted while DuckDB's threads read the file (a failed count fails the load below).
  const counting = countLines(file).then(
    (n) => ({ n }),
    (error: unknown) => ({ error }),
  );
  try {
    // A table keeps the file's order (preserve_insertion_order); its rowid numbers the rows.
    await connection.run(
      `CREATE TABLE kh_raw AS SELECT * FROM read_csv(${sqlText(file)}, header = false, skip = ${header.row}, auto_detect = false, delim = ',', quote = '"', escape = '"', strict_mode = true, null_padding = false, force_not_null = [${notNull}], columns = {${columns}})`,
    );
    await connection.run(`CREATE VIEW kh_input AS SELECT CAST(rowid AS BIGINT) + ${header.row + 1} AS kh_line, * FROM kh_raw`);
  } catch {
    await connection.run("DROP VIEW IF EXISTS kh_input");
    await connection.run("DROP TABLE IF EXISTS kh_raw");
    return false;
  }
  // A row whose cells are all empty or spaces (concat skips NULLs), looked at only where the first cell is (a filter evaluates its
  // second condition on the rows that pass the first); the table's count is known without a scan.
  const blank = `(c0 IS NULL OR trim(c0) = '') AND trim(concat(${Array.from({ length: width }, (_, i) => `c${i}`).join(", ")})) = ''`;
  const check = await connection.runAndReadAll(`SELECT (SELECT count(*) FROM kh_raw)::VARCHAR AS n, (SELECT count(*) FROM kh_raw WHERE ${blank})::VARCHAR AS blank`);
  const [row] = check.getRowObjectsJson() as { n: string; blank: string }[];
  const counted = await counting;
  if ("error" in counted) throw counted.error;
  if (!row || Number(row.blank) > 0 || Number(row.n) + header.row !== counted.n) {
    await connection.run("DROP VIEW kh_input");
    await connection.run("DROP TABLE kh_raw");
    return false;
  }
  return true;
}

/** A cell as the text DuckDB holds: strings as they are; other cells as text that converts as in JavaScript, or U+FFFD where JavaScript would refuse them. */
function cellText(prepared: PreparedRulebook, field: string, cell: unknown): string | null {
  if (cell === null || cell === undefined) return null;
  if (typeof cell === "string") return cell;
  const declared = prepared.rulebook.fields[field];
  if (!declared) return null;
  const value = convertCell(cell, declared, fieldLabel(field, declared));
  if (isCellProblem(value)) return "\uFFFD";
  if (value === null) return null;
  return typeof value === "number" ? ruleNumberToString(value) : String(value);
}

/** Streams a file in through kaohe's readers; rows that cannot be read are JavaScript rejections. */
async function loadRows(connection: DuckDBConnection, prepared: PreparedRulebook, file: string, header: Header, options: ScreenFileOptions, unread: RejectedRow[]): Promise<ReadSummary> {
  const { map } = header;
  const fields = map.indexes;
  await connection.run(`CREATE TABLE kh_input (kh_line BIGINT, kh_cells VARCHAR, ${fields.map((_, i) => `c${i} VARCHAR`).join(", ")})`);
  const appender: DuckDBAppender = await connection.createAppender("kh_input");
  const strictWidth = !/\.xlsx$/i.test(file);
  let past = false;
  let read = 0;
  const reader = readRows(file, readOptions(options));
  for await (const source of reader as AsyncIterable<SourceRow>) {
    if ("incomplete" in source && source.incomplete) throw new Incomplete();
    if (!past) {
      past = source.row === header.row;
      continue;
    }
    const reject = (code: string, reason: string) => unread.push({ kind: "rejected", code, reason, file, row: source.row });
    if (!("cells" in source)) reject(source.code, source.reason);
    else if (source.cells.length > map.width && source.cells.slice(map.width).some((cell) => cell !== null && cell !== undefined && String(cell).trim() !== "")) {
      reject("wrong_cell_count", `has ${source.cells.length} cells, the header has ${map.width}`);
    } else if (strictWidth && source.cells.length < map.width) reject("wrong_cell_count", `has ${source.cells.length} cells, the header has ${map.width}`);
    else {
      appender.appendBigInt(BigInt(source.row));
      const exotic = fields.some(([, index]) => typeof source.cells[index] !== "string" && source.cells[index] !== null && source.cells[index] !== undefined);
      // Cells that are not text (Excel numbers, dates) are kept as read, for the JavaScript screener.
      if (exotic) appender.appendVarchar(JSON.stringify(source.cells.map((cell) => (cell instanceof Date ? { $date: cell.toISOString() } : cell))));
      else appender.appendNull();
      for (const [field, index] of fields) {
        const text = cellText(prepared, field, source.cells[index]);
        if (text === null) appender.appendNull();
        else appender.appendVarchar(text);
      }
      appender.endRow();
    }
    if (++read % 10_000 === 0) options.onProgress?.(read, reader.summary.bytesRead);
  }
  appender.closeSync();
  return reader.summary;
}

/** Findings and rejections of the rows the SQL rejected, screened by JavaScript, each with its position. */
async function replay(connection: DuckDBConnection, prepared: PreparedRulebook, file: string, header: Header, csv: boolean): Promise<{ items: { pos: number; items: ScreeningItem[] }[]; screener: Screener }> {
  const { map } = header;
  const screener = new Screener(prepared, map.level, file);
  const cellsOf = csv ? Array.from({ length: map.width }, (_, i) => `c${i}`) : ["kh_cells", ...map.indexes.map((_, i) => `c${i}`)];
  const result = await connection.stream(`SELECT CAST(i.kh_line AS VARCHAR), ${cellsOf.map((c) => `i.${c}`).join(", ")} FROM kh_input i JOIN (SELECT DISTINCT CAST("row" AS BIGINT) AS r FROM kh_result WHERE kind = 'rejected') x ON i.kh_line = x.r ORDER BY i.kh_line`);
  const localMap: ColumnMap = csv ? map : { ...map, indexes: map.indexes.map(([field], i) => [field, i] as const), width: map.indexes.length };
  const out: { pos: number; items: ScreeningItem[] }[] = [];
  const drain = () => {
    for (const entry of screener.take(true)) out.push({ pos: entry.row, items: evaluateEntries(prepared, screener.plan, [entry]) });
  };
  let previous = -2;
  for await (const rows of result.yieldRowsJson()) {
    for (const row of rows) {
      const line = Number(row[0]);
      // A gap between replayed rows ends the household, as the rows between would have.
      if (line !== previous + 1) drain();
      previous = line;
      let cells: unknown[];
      if (csv) cells = row.slice(1);
      else if (typeof row[1] === "string") {
        const raw = JSON.parse(row[1]) as unknown[];
        const all = raw.map((cell) => (cell !== null && typeof cell === "object" && "$date" in cell ? new Date(String((cell as { $date: string }).$date)) : cell));
        cells = map.indexes.map(([, index]) => all[index]);
      } else cells = row.slice(2);
      screener.pushCells(cells, line, localMap);
    }
  }
  drain();
  return { items: out, screener };
}

/** The result columns read back, in this order (the others are the rule's, known here). */
const READ_BACK = ["kind", "code", "record_id", "household_id", "county", "township", "village", "message", "row", "reason_code", "subject", "field", "zh", "position"] as const;
/** The result columns that hold JSON texts, after those of {@link READ_BACK}: a finding's values, a data-quality finding's cell (read back as JSON values). */
const JSON_COLUMNS = ["values", "value"] as const;
/** How many result rows are read back as one text. */
const READ_BACK_BATCH = 1024;

/**
 * The query reading the result back: its rows in order, {@link READ_BACK_BATCH} at a time, each
 * batch one text holding per row a JSON array: the array of the {@link READ_BACK} columns, then
 * the {@link JSON_COLUMNS} as they are. The node
 * client takes a few microseconds per text it hands over (a native call and a UTF-8 decoding
 * each), which for 16 columns of tens of thousands of findings was most of the reading back
 * (decision 0706); one `JSON.parse` per batch gives the same values.
 */
function readBackSql(): string {
  const plain = READ_BACK.map((column) => `"${column}"`);
  // json_array writes NULL as null and numbers as numbers; one concat makes the row's text at once (a chain of || copies it at each step).
  const row = `concat('[', json_array(${plain.join(", ")}), ${JSON_COLUMNS.map((column) => `',', COALESCE("${column}", 'null')`).join(", ")}, ']')`;
  return `SELECT kh_batch, string_agg(kh_json, ',' ORDER BY kh_n) AS kh_rows FROM (SELECT rowid AS kh_n, rowid // ${READ_BACK_BATCH} AS kh_batch, ${row} AS kh_json FROM kh_result WHERE kind <> 'rejected') GROUP BY kh_batch ORDER BY kh_batch`;
}

/**
 * Makes the finding or data-quality finding of one row of the compiled query's result, given as
 * {@link readBackSql} writes it, with the fields of the JavaScript screener's, in its order.
 */
function findingMaker(prepared: PreparedRulebook, file: string, columnNames: Readonly<Record<string, string>>): (row: readonly unknown[]) => Finding | DataQualityFinding {
  const rules = new Map(prepared.rules.map((r) => [r.rule.code, r.rule]));
  return (row) => {
    const [plain, values, value] = row as [readonly string[], unknown, unknown];
    const [kind, code, recordId, householdId, county, township, village, message, line, reasonCode, subject, field, zh] = plain;
    if (kind === "data_quality") {
      return {
        kind: "data_quality",
        code: code as string,
        subject: subject as DataQualityFinding["subject"],
        recordId: recordId as string,
        ...(householdId === null || householdId === undefined ? {} : { householdId }),
        field: field as string,
        column: columnNames[field as string] ?? (field as string),
        value: value as unknown as DataQualityFinding["value"],
        reason: message as string,
        zh: zh as string,
        unit: { county: county as string, township: township as string, village: village as string },
        file,
        row: Number(line),
      };
    }
    const rule = rules.get(code as string);
    if (!rule) throw new Error(`the query returned an unknown rule ${String(code)}`);
    return {
      kind: kind as Finding["kind"],
      code: rule.code,
      title: rule.title,
      severity: rule.severity,
      subject: rule.subject,
      recordId: recordId as string,
      ...(householdId === null || householdId === undefined ? {} : { householdId }),
      unit: { county: county as string, township: township as string, village: village as string },
      message: message as string,
      ...(kind === "rule_failed" ? { cause: reasonCode === "unusable_value" ? ("unusable_value" as const) : ("rule_error" as const) } : {}),
      values: values as unknown as Finding["values"],
      file,
      row: Number(line),
    };
  };
}

/**
 * Screens one file on embedded DuckDB, with the result and the calls of `screenFile` (the
 * JavaScript engine): the same findings, rejected rows, order and counts.
 *
 * @param prepared - The prepared rulebook.
 * @param file - A `.csv` or `.xlsx` file.
 * @param options - Encoding, header row and the receiver of results (`pool` is not used).
 * @returns The counts, or why the file could not be screened.
 */
export async function screenFileDuckdb(prepared: PreparedRulebook, file: string, options: ScreenFileOptions): Promise<ScreenFileResult> {
  let header: Header | { reason: string };
  try {
    header = await findHeader(prepared, file, options);
  } catch {
    header = { reason: "unreadable" };
  }
  // No header, or a file that cannot be read: the JavaScript engine reports it in its own words.
  if ("reason" in header) return screenFile(prepared, file, options);
  let DuckDBInstance: typeof import("@duckdb/node-api").DuckDBInstance;
  try {
    ({ DuckDBInstance } = await import("@duckdb/node-api"));
  } catch {
    // An optional peer dependency: 80 MB of native code that only --engine duckdb needs.
    return { ok: false, reason: "--engine duckdb needs the package @duckdb/node-api: npm install @duckdb/node-api@1.5.6-r.1" };
  }
  // Bounded memory: DuckDB spills what does not fit (the loaded table, materialized CTEs, sorts) to a
  // temporary directory of its own, removed afterwards, instead of taking 80 % of the machine.
  const spill = await mkdtemp(join(tmpdir(), "kaohe-duckdb-"));
  const instance = await DuckDBInstance.create(":memory:", duckdbSettings(spill));
  const connection = await instance.connect();
  try {
    const unread: RejectedRow[] = [];
    const isCsv = !/\.xlsx$/i.test(file);
    const utf8 = isCsv && header.encoding === "utf8" && header.delimiter === ",";
    const csv = utf8 && (await loadCsv(connection, file, header));
    // The reading's summary (the sheet read, for the CLI) where kaohe's readers read the file.
    const reading = csv ? undefined : await loadRows(connection, prepared, file, header, options, unread);
    // A row that cannot be read may belong to the household open before it, whose members are then
    // incomplete (rules reading them undecided): such a file is screened by the JavaScript engine.
    if (unread.length > 0) throw new Incomplete();
    // Every column the file has is in columnOf; with an empty header, the others are missing (their rules skipped).
    const columnOf = Object.fromEntries(header.map.indexes.map(([field, index], i) => [field, csv ? `c${index}` : `c${i}`]));
    // Rows read by kaohe's readers with cells that are not text (Excel numbers, dates) keep them in kh_cells: the JavaScript screener shows those cells as read.
    const compiled = compileRulebookSql(prepared, { dialect: "duckdb", table: "kh_input", columnOf, header: [], level: header.map.level, rowColumn: "kh_line", withPosition: true, ...(csv ? {} : { opaqueColumn: "kh_cells" }) });
    await connection.run(`CREATE TABLE kh_result AS ${compiled.sql}`, compiled.params as never);
    const replayed = await replay(connection, prepared, file, header, csv);
    const counts = await connection.runAndReadAll(`SELECT CAST(count(*) AS VARCHAR) FROM kh_input`);
    const rowsLoaded = Number((counts.getRowsJson()[0] as string[])[0]);

    // Merge by position: SQL findings (clean records), replayed items, unreadable rows.
    const others = [...replayed.items, ...unread.map((r) => ({ pos: r.row, items: [r as ScreeningItem] }))].sort((a, b) => a.pos - b.pos);
    let next = 0;
    let batch: ScreeningItem[] = [];
    let findings = 0;
    let failures = 0;
    let dataQuality = 0;
    /** Adds an item to the batch; true when the batch is full (to be handed on by {@link flush}). */
    const add = (item: ScreeningItem): boolean => {
      if (item.kind === "finding") findings++;
      else if (item.kind === "rule_failed") failures++;
      else if (item.kind === "data_quality") dataQuality++;
      batch.push(item);
      return batch.length >= 1000;
    };
    const flush = async () => {
      const full = batch;
      batch = [];
      await options.onItems(full);
    };
    const emit = async (items: readonly ScreeningItem[]) => {
      let full = false;
      for (const item of items) full = add(item) || full;
      if (full) await flush();
    };
    // The table holds the query's rows in its order (preserve_insertion_order): its rowid is that order.
    const result = await connection.stream(readBackSql());
    const toFinding = findingMaker(prepared, file, header.map.names);
    for await (const batches of result.yieldRows()) {
      for (const [, text] of batches) {
        for (const row of JSON.parse(`[${String(text)}]`) as unknown[][]) {
          const pos = Number((row[0] as readonly unknown[])[READ_BACK.length - 1]);
          while (next < others.length && (others[next] as { pos: number }).pos < pos) await emit((others[next++] as { items: ScreeningItem[] }).items);
          if (add(toFinding(row))) await flush();
        }
      }
    }
    while (next < others.length) await emit((others[next++] as { items: ScreeningItem[] }).items);
    if (batch.length > 0) await options.onItems(batch);
    const replayCounts = replayed.screener.counts();
    const rowsRead = rowsLoaded + unread.length;
    const rowsRejected = replayCounts.rowsRejected + unread.length;
    options.onProgress?.(rowsRead);
    const counts_: ScreeningCounts = {
      level: header.map.level,
      rowsRead,
      rowsScreened: rowsRead - rowsRejected,
      rowsRejected,
      findings,
      ruleFailures: failures,
      dataQuality,
      notScreened: 0,
      skipped: compiled.skipped,
    };
    return { ok: true, counts: counts_, workerFailures: [], ...(reading === undefined ? {} : { reading }) };
  } catch (error) {
    // A file whose structure breaks, or that cannot be read: the JavaScript engine says so exactly.
    if (isKaoheError(error) && error.issues.some((issue) => issue.code === "untranslatable_rule" || issue.code === "invalid_identifier")) {
      return { ok: false, reason: error.issues.map((issue) => `${issue.message} [${issue.code}]`).join("; ") };
    }
    if (error instanceof Incomplete || isKaoheError(error)) return screenFile(prepared, file, options);
    const code = (error as { code?: unknown }).code;
    return { ok: false, reason: typeof code === "string" && /^E[A-Z]+$/.test(code) ? `cannot read the file (${code})` : `cannot screen the file on DuckDB: ${(error as Error).message}` };
  } finally {
    connection.closeSync();
    instance.closeSync();
    await rm(spill, { recursive: true, force: true });
  }
}

/** DuckDB's settings: file order kept, a quarter of the memory (1–4 GiB), every core, spilling to `spill`. */
export function duckdbSettings(spill: string): Record<string, string> {
  const gib = Math.min(4, Math.max(1, Math.floor(totalmem() / 4 / 2 ** 30)));
  return { preserve_insertion_order: "true", memory_limit: `${gib}GiB`, threads: String(availableParallelism()), temp_directory: spill };
}
