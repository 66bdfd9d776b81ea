import type { KaoheIssue } from "../internal/errors";
import type { DeductionClause, Department, Fact, GradeBand, Policy } from "./framework";
import { cellLabel, cellText, foldCell, isBlankCell, readDecimal, type Table, type TableRow } from "./table";
import { cellIssue, cellSource, parseSourceCell, type CellPlace } from "./table-issues";
import { policyKind, readClausePoints, clauseCondition } from "./table-text";
import { IdSchema } from "./primitives";

/** The sheets of a workbook that an indicator table may come with, told apart by their headers. */
export type SheetKind = "metadata" | "departments" | "clauses" | "grades" | "rules";

/** The header names of each auxiliary sheet, as the export writes them; the first `required` must all be present. */
export const SHEET_HEADERS: Readonly<Record<SheetKind, { readonly required: readonly string[]; readonly optional: readonly string[] }>> = {
  metadata: { required: ["项目", "值"], optional: [] },
  departments: { required: ["编号", "部门"], optional: ["数据来源指标"] },
  clauses: { required: ["扣分情形", "每项扣分"], optional: ["编号", "类型", "出处"] },
  grades: { required: ["等次", "最低分"], optional: [] },
  rules: { required: ["指标编号", "规则", "事实"], optional: ["说明"] },
};

/** The 类型 of a row of the 扣分项 sheet: a clause or one of the policies. */
export const CLAUSE_ROW_TYPES = { clause: "扣分项", same_matter_highest: "就高原则", severe_case: "严重情形" } as const;

/** A sheet's header row and its columns by header name. */
export interface Header {
  readonly index: number;
  readonly row: TableRow;
  readonly columns: ReadonlyMap<string, number>;
}

/**
 * Finds the first row (of the first ten) holding every one of the `required` names, and maps each
 * of them and of the `optional` ones found to its column.
 */
export function findHeader(table: Table, names: { readonly required: readonly string[]; readonly optional: readonly string[] }): Header | undefined {
  for (let index = 0; index < Math.min(table.rows.length, 10); index++) {
    const row = table.rows[index] as TableRow;
    const columns = new Map<string, number>();
    row.cells.forEach((cell, column) => {
      const key = foldCell(cell);
      if ((names.required.includes(key) || names.optional.includes(key)) && !columns.has(key)) columns.set(key, column);
    });
    if (names.required.every((name) => columns.has(name))) return { index, row, columns };
  }
  return undefined;
}

/** The kind of an auxiliary sheet, or `undefined` for any other sheet. */
export function sheetKind(table: Table): SheetKind | undefined {
  return (Object.keys(SHEET_HEADERS) as SheetKind[]).find((kind) => findHeader(table, SHEET_HEADERS[kind]));
}

/** The data rows of an auxiliary sheet with a reader of its cells by header name. */
function* dataRows(table: Table, kind: SheetKind): Generator<{ get: (name: string) => unknown; place: (name: string) => CellPlace }> {
  const header = findHeader(table, SHEET_HEADERS[kind]);
  if (!header) return;
  for (const row of table.rows.slice(header.index + 1)) {
    if (row.cells.every(isBlankCell)) continue;
    const column = (name: string) => header.columns.get(name) ?? -1;
    yield { get: (name) => (column(name) < 0 ? undefined : row.cells[column(name)]), place: (name) => ({ sheet: table.name, row: row.row, column: Math.max(column(name), 0) }) };
  }
}

/** The framework's fields given by a metadata sheet (项目 / 值), by their Chinese names. */
export function readMetadata(table: Table): Map<string, { value: unknown; place: CellPlace }> {
  const out = new Map<string, { value: unknown; place: CellPlace }>();
  for (const row of dataRows(table, "metadata")) out.set(foldCell(row.get("项目")), { value: row.get("值"), place: row.place("值") });
  return out;
}

/** Reads an id cell, reporting one that is not a valid id. */
export function readId(value: unknown, place: CellPlace, issues: KaoheIssue[]): string | undefined {
  const id = foldCell(value);
  if (id === "") return undefined;
  if (IdSchema.safeParse(id).success) return id;
  issues.push(cellIssue("invalid_id", place, value, "is not an id (letters of any script, digits, '-', '_', '.')", "不是有效的编号（只能含文字、数字、“-”“_”“.”）"));
  return undefined;
}

/** The department registry of a 部门 sheet. */
export function readDepartments(table: Table, issues: KaoheIssue[]): Department[] {
  const out: Department[] = [];
  for (const row of dataRows(table, "departments")) {
    const id = readId(row.get("编号"), row.place("编号"), issues);
    const name = cellLabel(row.get("部门"));
    if (id !== undefined && name !== "") out.push({ id, name });
    else if (isBlankCell(row.get("编号")) || name === "") issues.push(cellIssue("incomplete_department", row.place(name === "" ? "部门" : "编号"), undefined, "a department needs an id and a name", "部门须有编号和名称"));
  }
  return out;
}

/** Clauses and policies of a 扣分项 sheet. */
export function readClauseSheet(table: Table, file: string, issues: KaoheIssue[]): { clauses: DeductionClause[]; policies: Policy[] } {
  const clauses: DeductionClause[] = [];
  const policies: Policy[] = [];
  for (const row of dataRows(table, "clauses")) {
    const text = cellText(row.get("扣分情形"));
    const sourceText = cellText(row.get("出处"));
    const source = (sourceText === "" ? undefined : parseSourceCell(sourceText)) ?? cellSource(file, row.place("扣分情形"));
    if (sourceText !== "" && !parseSourceCell(sourceText)) issues.push(invalidSource(row.place("出处"), sourceText));
    const id = readId(row.get("编号"), row.place("编号"), issues);
    const typeText = foldCell(row.get("类型"));
    const typed = (Object.keys(CLAUSE_ROW_TYPES) as (keyof typeof CLAUSE_ROW_TYPES)[]).find((k) => CLAUSE_ROW_TYPES[k] === typeText);
    if (typeText !== "" && typed === undefined) {
      issues.push(cellIssue("unknown_row_type", row.place("类型"), typeText, "is not a row type (扣分项, 就高原则, 严重情形)", "不是已知的类型（扣分项、就高原则、严重情形）"));
      continue;
    }
    const kind = typed === "clause" ? undefined : typed ?? (isBlankCell(row.get("每项扣分")) ? policyKind(text) : undefined);
    if (kind) {
      policies.push({ id: id ?? kind.replace(/_/g, "-"), kind, text, source });
      continue;
    }
    const cell = row.get("每项扣分");
    const stated = readDecimal(cell);
    const read = isBlankCell(cell) ? readClausePoints(text) : undefined;
    const points = stated ?? (read && "points" in read ? read.points : undefined);
    if (points === undefined || Number(points) <= 0) {
      issues.push(cellIssue("unreadable_clause_points", row.place("每项扣分"), isBlankCell(cell) ? text : cell, "the points per item of this deduction clause cannot be read", "无法读出该扣分项的每项扣分"));
      continue;
    }
    clauses.push({ id: id ?? `k${clauses.length + 1}`, text: isBlankCell(cell) ? clauseCondition(text) : text, points, source });
  }
  return { clauses, policies };
}

/** Grade bands of an 等次 / 最低分 table. */
export function readGrades(table: Table, issues: KaoheIssue[]): GradeBand[] {
  const out: GradeBand[] = [];
  for (const row of dataRows(table, "grades")) {
    const min = readDecimal(row.get("最低分"));
    const grade = cellLabel(row.get("等次"));
    if (min === undefined || String(min).startsWith("-")) {
      issues.push(cellIssue("invalid_grade_min", row.place("最低分"), row.get("最低分"), `the minimum of grade "${grade}" is not a number of 0 or more`, `等次「${grade}」的最低分不是不小于 0 的数`));
    } else if (grade !== "") out.push({ grade, min });
  }
  return out;
}

/** Rules of rule-scored indicators (规则 sheet), by indicator id. */
export function readRules(table: Table, issues: KaoheIssue[]): Map<string, { rule: unknown; facts: Fact[]; description: string }> {
  const out = new Map<string, { rule: unknown; facts: Fact[]; description: string }>();
  for (const row of dataRows(table, "rules")) {
    const id = foldCell(row.get("指标编号"));
    const rule = readJsonCell(row.get("规则"), row.place("规则"), issues);
    const facts = readJsonCell(row.get("事实"), row.place("事实"), issues);
    if (rule !== undefined && Array.isArray(facts)) out.set(id, { rule, facts: facts as Fact[], description: cellText(row.get("说明")) });
  }
  return out;
}

function readJsonCell(value: unknown, place: CellPlace, issues: KaoheIssue[]): unknown {
  try {
    return JSON.parse(cellText(value)) as unknown;
  } catch {
    issues.push(cellIssue("invalid_rule_json", place, value, "is not valid JSON", "不是有效的 JSON"));
    return undefined;
  }
}

/** A 出处 cell that is not `document｜part｜item`. */
export function invalidSource(place: CellPlace, value: string): KaoheIssue {
  return cellIssue("invalid_source_ref", place, value, "a source reference must be written document｜part｜item", "出处须写作「文件｜部分｜条目」");
}
