// Screening of a CSV export held in memory, as the CLI screens a file (src/screening/node/run.ts):
// the header is the first of the first 50 rows naming a key column, a row with more non-blank
// cells or fewer cells than the header is rejected with its number, and rows are numbered by line.
import { parse } from "csv-parse/browser/esm/sync";
import { Screener, isHeaderRow, mapColumns, prepareRulebook, summarizeFindings } from "kaohe";
import type { DataQualityFinding, FindingSummary, RejectedRow, ScreeningCounts, ScreeningFinding, Subject } from "kaohe";

const HEADER_SEARCH = 50;

export interface CsvScreening {
  /** Findings, undecided rules and data-quality findings (cells that could not be used), in input order. */
  readonly findings: readonly (ScreeningFinding | DataQualityFinding)[];
  readonly rejected: readonly RejectedRow[];
  readonly counts: ScreeningCounts;
  readonly summary: FindingSummary;
  readonly level: Subject;
}

/** Decodes the bytes of an export: UTF-8 (with or without a BOM), else GB18030 (a superset of GBK). */
export function decodeExport(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder("gb18030").decode(bytes);
  }
}

function isBlank(cells: readonly string[]): boolean {
  return cells.every((cell) => cell.trim() === "");
}

/**
 * Screens a CSV export with a rulebook.
 *
 * @throws Error with a message naming the file when the CSV or the header cannot be used;
 *   KaoheError for an invalid rulebook.
 */
export function screenCsv(text: string, rulebook: unknown, file: string): CsvScreening {
  const prepared = prepareRulebook(rulebook as never);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // With `info`, each record comes with its line number (csv-parse's types do not say so).
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as typeof records;
  } catch (error) {
    throw new Error(`${file}: not valid CSV: ${(error as Error).message}`);
  }
  const headerAt = records.findIndex((r) => r.info.lines <= HEADER_SEARCH && isHeaderRow(prepared, r.record));
  if (headerAt === -1) throw new Error(`${file}: no header row naming a key column in the first ${HEADER_SEARCH} rows`);
  const header = records[headerAt] as (typeof records)[number];
  const mapped = mapColumns(prepared, header.record);
  if (!mapped.ok) throw new Error(`${file}: row ${header.info.lines}: ${mapped.reason}`);
  const { map } = mapped;
  const screener = new Screener(prepared, map.level, file, map.missing);
  for (const { record, info } of records.slice(headerAt + 1)) {
    if (isBlank(record)) continue;
    const extra = record.length > map.width && record.slice(map.width).some((cell) => cell.trim() !== "");
    if (extra || record.length < map.width) {
      screener.reject(info.lines, "wrong_cell_count", `has ${record.length} cells, the header has ${map.width}`, record);
    } else screener.pushCells(record, info.lines, map);
  }
  const items = screener.evaluate(screener.take(true));
  screener.count(items);
  const findings: (ScreeningFinding | DataQualityFinding)[] = [];
  const rejected: RejectedRow[] = [];
  for (const item of items) {
    if (item.kind === "rejected") rejected.push(item);
    else findings.push(item);
  }
  return { findings, rejected, counts: screener.counts(), summary: summarizeFindings(findings, { rules: prepared.rulebook.rules }), level: map.level };
}
