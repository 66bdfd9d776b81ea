/* What the parity tests compare: the JavaScript screener's items and a SQL result, in one shape. */
import { mapColumns } from "../../src/screening/columns";
import type { ScreeningItem } from "../../src/screening/evaluate";
import { prepareRulebook } from "../../src/screening/prepare";
import { Screener } from "../../src/screening/screen";
import type { Subject } from "../../src/screening/schema";
import type { SqlRow } from "./engines";

export interface Outcome {
  kind: string;
  code: string;
  subject: string;
  /** A data-quality finding's Chinese reason; null otherwise. */
  zh: string | null;
  /** An undecided rule's cause; null otherwise. */
  cause: string | null;
  recordId: string;
  householdId: string | null;
  unit: string;
  message: string;
  values: unknown;
  row: number;
}

export interface Compared {
  /** Findings and undecided rules, in output order. */
  outcomes: Outcome[];
  /** Rejected rows, by row number, with their code. */
  rejected: { row: number; code: string }[];
}

/** Screens rows (a header and cells) with the JavaScript screener, as the CLI does. */
export function screenJs(rulebook: unknown, header: readonly string[], rows: readonly { row: number; cells: readonly (string | null)[] }[], level?: Subject): Compared {
  const prepared = prepareRulebook(rulebook as never);
  const mapped = mapColumns(prepared, header);
  if (!mapped.ok) throw new Error(mapped.reason);
  const screener = new Screener(prepared, level ?? mapped.map.level);
  const items: ScreeningItem[] = [];
  let previous = -2;
  for (const { row, cells } of rows) {
    // A gap between rows ends the open household, as the rows between would have (the engine's replay).
    if (row !== previous + 1) items.push(...screener.evaluate(screener.take(true)));
    previous = row;
    screener.pushCells(cells, row, mapped.map);
  }
  items.push(...screener.evaluate(screener.take(true)));
  return fromJs(items);
}

/** Items in row order, those of one row in their order (the order of one record's items, whichever side gave them). */
function byRow(outcomes: readonly Outcome[]): Outcome[] {
  return outcomes.map((o, i) => ({ o, i })).sort((a, b) => a.o.row - b.o.row || a.i - b.i).map(({ o }) => o);
}

/**
 * What `--engine duckdb` makes of a SQL result: the SQL decides the records, data-quality
 * findings included; the records it hands back as rejected rows (rows that disagree on a
 * household cell, a person twice or without a key, a blank household key) are screened by
 * JavaScript. Both sides in row order.
 */
export function combine(rulebook: unknown, header: readonly string[], rows: readonly { row: number; cells: readonly (string | null)[] }[], sql: Compared, level?: Subject): Compared {
  const handedBack = new Set(sql.rejected.map((r) => r.row));
  const replayed = screenJs(rulebook, header, rows.filter((r) => handedBack.has(r.row)), level);
  return { outcomes: byRow([...sql.outcomes, ...replayed.outcomes]), rejected: replayed.rejected };
}

/** The JavaScript screener's result, findings in row order (as {@link combine} gives them). */
export function inRowOrder(compared: Compared): Compared {
  return { outcomes: byRow(compared.outcomes), rejected: compared.rejected };
}

export function fromJs(items: readonly ScreeningItem[]): Compared {
  const outcomes: Outcome[] = [];
  const rejected: { row: number; code: string }[] = [];
  for (const item of items) {
    if (item.kind === "rejected") rejected.push({ row: item.row, code: item.code });
    else {
      const quality = item.kind === "data_quality";
      outcomes.push({
        kind: item.kind,
        code: item.code,
        subject: item.subject,
        zh: quality ? item.zh : null,
        cause: quality ? null : (item.cause ?? null),
        recordId: item.recordId,
        householdId: item.householdId ?? null,
        unit: `${item.unit.county}/${item.unit.township}/${item.unit.village}`,
        message: quality ? item.reason : item.message,
        values: quality ? { field: item.field, column: item.column, value: item.value } : item.values,
        row: item.row,
      });
    }
  }
  rejected.sort((a, b) => a.row - b.row);
  return { outcomes, rejected };
}

export function fromSql(rows: readonly SqlRow[]): Compared {
  const outcomes: Outcome[] = [];
  const rejected: { row: number; code: string }[] = [];
  for (const r of rows) {
    if (r.kind === "rejected") rejected.push({ row: Number(r.row), code: String(r.code) });
    else {
      const quality = r.kind === "data_quality";
      outcomes.push({
        kind: String(r.kind),
        code: String(r.code),
        subject: String(r.subject),
        zh: quality ? String(r.zh) : null,
        cause: r.kind === "rule_failed" ? (r.reason_code === "unusable_value" ? "unusable_value" : "rule_error") : null,
        recordId: String(r.record_id),
        householdId: r.household_id === null ? null : String(r.household_id),
        unit: `${r.county}/${r.township}/${r.village}`,
        message: String(r.message),
        values: quality ? { field: r.field, column: r.column, value: JSON.parse(String(r.value)) } : JSON.parse(String(r.values)),
        row: Number(r.row),
      });
    }
  }
  rejected.sort((a, b) => a.row - b.row);
  return { outcomes, rejected };
}

/** Rejections compared by row; codes where the row itself is malformed (the SQL names the first problem of the row). */
export function rejectedRows(compared: Compared): number[] {
  return compared.rejected.map((r) => r.row);
}
