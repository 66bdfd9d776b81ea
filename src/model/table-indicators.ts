import type { KaoheIssue } from "../internal/errors";
import type { DeductionClause, Policy } from "./framework";
import { cellLabel, cellText, foldCell, isBlankCell, readDecimal, type Table, type TableRow } from "./table";
import { cellIssue, cellSource, parseSourceCell, type CellPlace } from "./table-issues";
import { invalidSource } from "./table-sheets";
import {
  DEFAULT_COLUMN_NAMES,
  headerKey,
  isTotalLabel,
  policyKind,
  readClausePoints,
  clauseCondition,
  splitSentences,
  type ColumnRole,
} from "./table-text";

/** An indicator as read from its row, before departments and rules are resolved. */
export interface RawIndicator {
  readonly place: CellPlace;
  readonly row: TableRow;
  code?: string;
  name: string;
  content: string;
  criteria: string;
  /** Clauses from rows of their own beneath a 扣分项 indicator. */
  readonly clauses: DeductionClause[];
  /** Continuation rows' content (a merged indicator cell read as blank below). */
  readonly more: string[];
  /** How many clause rows it has, read or not: when any, the 内容 is not read for clauses. */
  clauseRows: number;
}

/** A category as read, with its indicators. */
export interface RawCategory {
  readonly place: CellPlace;
  readonly code: string;
  readonly name: string;
  readonly indicators: RawIndicator[];
}

/** What the indicator sheet holds. */
export interface IndicatorSheet {
  readonly title?: string;
  readonly columns: ReadonlyMap<ColumnRole, number>;
  readonly categories: RawCategory[];
  readonly policies: Policy[];
  readonly total?: { readonly value: unknown; readonly place: CellPlace };
  readonly gradeRows: TableRow[];
}

const CATEGORY_PATTERN = /^([一二三四五六七八九十百零〇]+|[0-9]+|[A-Za-z])[、.．]\s*([\s\S]+)$/;
const INDICATOR_PATTERN = /^([0-9A-Za-z]+(?:[.-][0-9A-Za-z]+)*)[.、．]\s*([\s\S]+)$/;
const NUMERALS = "一二三四五六七八九十";

/** A header row's columns by role, matched by the given names (the user's first) and the usual ones. */
export function matchHeader(row: TableRow, extra: Partial<Record<ColumnRole, readonly string[]>>): Map<ColumnRole, number> {
  const columns = new Map<ColumnRole, number>();
  row.cells.forEach((cell, column) => {
    const key = headerKey(cell);
    if (key === "") return;
    for (const role of Object.keys(DEFAULT_COLUMN_NAMES) as ColumnRole[]) {
      const names = [...(extra[role] ?? []), ...DEFAULT_COLUMN_NAMES[role]].map(headerKey);
      if (names.includes(key) && !columns.has(role)) {
        columns.set(role, column);
        return;
      }
    }
  });
  return columns;
}

/** Finds the header row: the first of the first twelve with an indicator column and one more known column. */
export function findIndicatorHeader(table: Table, extra: Partial<Record<ColumnRole, readonly string[]>>): number {
  for (let i = 0; i < Math.min(table.rows.length, 12); i++) {
    const columns = matchHeader(table.rows[i] as TableRow, extra);
    if (columns.has("indicator") && columns.size >= 2) return i;
  }
  return -1;
}

/**
 * Walks the indicator sheet below its header: categories (merged down: a blank cell below is the
 * same category), indicators, clause rows under a 扣分项 indicator, the 合计 row, notes and a grade
 * table after it. Problems go to `issues`, with their cells.
 */
export function readIndicatorSheet(table: Table, headerIndex: number, columns: Map<ColumnRole, number>, file: string, issues: KaoheIssue[]): IndicatorSheet {
  const titleRow = table.rows.slice(0, headerIndex).find((r) => r.cells.some((c) => !isBlankCell(c)));
  const titleCell = titleRow?.cells.find((c) => !isBlankCell(c));
  const categories: RawCategory[] = [];
  const policies: Policy[] = [];
  const gradeRows: TableRow[] = [];
  let total: IndicatorSheet["total"];
  let mode: "body" | "after" | "grades" = "body";
  let current: RawIndicator | undefined;
  let lastCategoryText = "";
  const at = (row: TableRow, role: ColumnRole): unknown => (columns.has(role) ? row.cells[columns.get(role) as number] : undefined);
  const place = (row: TableRow, role: ColumnRole): CellPlace => ({ sheet: table.name, row: row.row, column: columns.get(role) ?? 0 });

  const notePolicies = (row: TableRow) => {
    row.cells.forEach((cell, column) => {
      for (const sentence of splitSentences(cellText(cell))) {
        const kind = policyKind(sentence);
        if (kind) addPolicy(policies, kind, sentence.replace(/^(注|说明)[:：]\s*/, ""), cellSource(file, { sheet: table.name, row: row.row, column }));
      }
    });
  };

  for (const row of table.rows.slice(headerIndex + 1)) {
    if (row.cells.every(isBlankCell)) continue;
    if (mode === "grades") {
      gradeRows.push(row);
      continue;
    }
    const label = (["category", "code", "indicator"] as const).find((role) => isTotalLabel(at(row, role)));
    if (mode === "body" && label) {
      total = { value: at(row, "points"), place: place(row, columns.has("points") ? "points" : label) };
      mode = "after";
      continue;
    }
    if (row.cells.some((c) => foldCell(c) === "等次") && row.cells.some((c) => foldCell(c) === "最低分")) {
      mode = "grades";
      gradeRows.push(row);
      continue;
    }
    if (mode === "after") {
      if (!isBlankCell(at(row, "indicator"))) {
        issues.push(cellIssue("row_after_total", place(row, "indicator"), cellLabel(at(row, "indicator")), "an indicator row follows the 合计 row", "合计行之后还有指标行"));
      } else notePolicies(row);
      continue;
    }

    const categoryText = cellLabel(at(row, "category"));
    if (categoryText !== "" && categoryText !== lastCategoryText) {
      const match = CATEGORY_PATTERN.exec(categoryText);
      categories.push({
        place: place(row, "category"),
        code: match ? (match[1] as string) : NUMERALS[categories.length] ?? String(categories.length + 1),
        name: match ? (match[2] as string) : categoryText,
        indicators: [],
      });
      lastCategoryText = categoryText;
      current = undefined;
    }
    const category = categories[categories.length - 1];
    const indicatorText = cellLabel(at(row, "indicator"));
    const contentText = cellText(at(row, "content"));
    const criteriaText = cellText(at(row, "criteria"));
    if (indicatorText !== "") {
      if (!category) {
        issues.push(cellIssue("indicator_without_category", place(row, "indicator"), indicatorText, "this indicator has no category above it", "该指标上方没有类别"));
        current = undefined;
        continue;
      }
      const codeText = foldCell(at(row, "code"));
      const match = codeText === "" ? INDICATOR_PATTERN.exec(indicatorText) : null;
      current = {
        place: place(row, "indicator"),
        row,
        ...(codeText !== "" ? { code: codeText.replace(/[.、．]$/, "") } : match ? { code: match[1] as string } : {}),
        name: match ? (match[2] as string) : indicatorText,
        content: contentText,
        criteria: criteriaText,
        clauses: [],
        more: [],
        clauseRows: 0,
      };
      category.indicators.push(current);
      continue;
    }
    const text = criteriaText || contentText;
    const textPlace = place(row, criteriaText ? "criteria" : "content");
    // A row that only names its category (the indicators follow below) carries nothing else.
    if (text === "" && isBlankCell(at(row, "points")) && categoryText !== "") continue;
    if (!current || text === "") {
      const where = place(row, isBlankCell(at(row, "points")) ? "indicator" : "points");
      issues.push(cellIssue("row_without_indicator", where, undefined, "this row gives content or points but no indicator", "该行有内容或分值，却没有指标"));
      continue;
    }
    if (isDeductionsIndicator(current, category)) readClauseRow(row, text, textPlace, current, policies, file, issues, at, place);
    else if (!isBlankCell(at(row, "points"))) {
      issues.push(cellIssue("row_without_indicator", place(row, "points"), at(row, "points"), "this row gives points but no indicator", "该行有分值，却没有指标"));
    } else current.more.push(text);
  }
  return { ...(titleCell === undefined ? {} : { title: cellLabel(titleCell) }), columns, categories, policies, ...(total ? { total } : {}), gradeRows };
}

/** Tells whether an indicator lists deduction clauses (扣分项). */
export function isDeductionsIndicator(indicator: Pick<RawIndicator, "name">, category: Pick<RawCategory, "name"> | undefined): boolean {
  return /扣分项|负面清单/.test(indicator.name) || /负面事项|扣分项/.test(category?.name ?? "");
}

function readClauseRow(
  row: TableRow,
  text: string,
  textPlace: CellPlace,
  indicator: RawIndicator,
  policies: Policy[],
  file: string,
  issues: KaoheIssue[],
  at: (row: TableRow, role: ColumnRole) => unknown,
  place: (row: TableRow, role: ColumnRole) => CellPlace,
): void {
  indicator.clauseRows++;
  const sourceText = cellText(at(row, "source"));
  const stated = parseSourceCell(sourceText);
  if (sourceText !== "" && !stated) issues.push(invalidSource(place(row, "source"), sourceText));
  const source = stated ?? cellSource(file, textPlace);
  const kind = isBlankCell(at(row, "points")) ? policyKind(text) : undefined;
  const id = foldCell(at(row, "id")).split("/").pop() ?? "";
  if (kind) {
    addPolicy(policies, kind, text, source, id || undefined);
    return;
  }
  const pointsCell = at(row, "points");
  const stated2 = readDecimal(pointsCell);
  const read = isBlankCell(pointsCell) ? readClausePoints(text) : undefined;
  const points = stated2 ?? (read && "points" in read ? read.points : undefined);
  if (points === undefined || Number(points) <= 0) {
    const bad = isBlankCell(pointsCell) ? textPlace : place(row, "points");
    issues.push(cellIssue("unreadable_clause_points", bad, isBlankCell(pointsCell) ? text : pointsCell, "the points per item of this deduction clause cannot be read", "无法读出该扣分项的每项扣分"));
    return;
  }
  indicator.clauses.push({ id: id || clauseId(indicator, indicator.clauses.length), text: isBlankCell(pointsCell) ? clauseCondition(text) : text, points, source });
}

/** Clauses written inside the 内容 or 评分标准 of a 扣分项 indicator, one per sentence. */
export function clausesInText(indicator: RawIndicator, text: string, textPlace: CellPlace, policies: Policy[], file: string, issues: KaoheIssue[]): void {
  let n = 0;
  for (const sentence of splitSentences(text)) {
    const kind = policyKind(sentence);
    if (kind) {
      addPolicy(policies, kind, sentence, cellSource(file, textPlace));
      continue;
    }
    const read = readClausePoints(sentence);
    if (!read) continue;
    n++;
    if ("unreadable" in read) {
      issues.push(cellIssue("unreadable_clause_points", textPlace, sentence, `the points per item of clause ${n} cannot be read`, `无法读出第 ${n} 条扣分项的每项扣分`));
      continue;
    }
    indicator.clauses.push({ id: clauseId(indicator, indicator.clauses.length), text: clauseCondition(sentence), points: read.points, source: cellSource(file, textPlace, ` 第${n}条`) });
  }
}

function clauseId(indicator: RawIndicator, index: number): string {
  const letters = index < 26 ? String.fromCharCode(97 + index) : `-${index + 1}`;
  return indicator.code && /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(indicator.code) ? `${indicator.code}${letters}` : `k${index + 1}`;
}

function addPolicy(policies: Policy[], kind: Policy["kind"], text: string, source: Policy["source"], id?: string): void {
  if (!policies.some((p) => p.kind === kind)) policies.push({ id: id ?? kind.replace(/_/g, "-"), kind, text, source });
}
