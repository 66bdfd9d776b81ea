import { isKaoheError, KaoheError, toSafe, type KaoheIssue, type SafeResult } from "../internal/errors";
import { toExact } from "../internal/decimal";
import type { Department, Framework, FrameworkRef, GradeBand, Policy, SourceDocument } from "./framework";
import { parseFramework } from "./parse";
import { cellText, foldCell, isBlankCell, readDecimal, type Table } from "./table";
import { buildIndicators, type Resolved } from "./table-build";
import { findIndicatorHeader, matchHeader, readIndicatorSheet } from "./table-indicators";
import { cellIssue, tableIssue } from "./table-issues";
import { readClauseSheet, readDepartments, readGrades, readMetadata, readRules, sheetKind } from "./table-sheets";
import type { ColumnRole } from "./table-text";

/** Options of {@link importFramework}: what the table does not say, and how to read it. */
export interface ImportFrameworkOptions {
  /** The framework's id; required unless a 说明 sheet gives it. */
  readonly id?: string;
  /** The title; the table's title row otherwise. */
  readonly title?: string;
  /** The year; a 说明 sheet's 年度, or the first `20xx年` of the title, otherwise. */
  readonly year?: number;
  /** The level of government that issues it; a 说明 sheet's 层级 otherwise. */
  readonly level?: Framework["level"];
  /** The region whose units it assesses; a 说明 sheet's 地区 otherwise. */
  readonly region?: string;
  /** The source document; `{ title: <the title> }` otherwise. */
  readonly document?: SourceDocument;
  /** The framework it derives from, if any. */
  readonly derivesFrom?: FrameworkRef;
  /** The file's name, written into every source reference. Default `table`. */
  readonly file?: string;
  /** The indicator sheet's name; the first sheet with an indicator header otherwise. */
  readonly sheet?: string;
  /** Header names per column role, tried before the usual ones (类别, 指标, 内容, 数据来源, 分值 …). */
  readonly columns?: Partial<Record<ColumnRole, readonly string[]>>;
  /** The department registry: every 数据来源 name must be one of them. Made from the names otherwise. */
  readonly departments?: readonly Department[];
  /** Grade bands, replacing any grade table of the workbook. */
  readonly grades?: readonly GradeBand[];
  /** Decimal places of output scores. */
  readonly precision?: number;
}

const LEVELS: Readonly<Record<string, Framework["level"]>> = {
  national: "national", 国家级: "national", 全国: "national",
  provincial: "provincial", 省级: "provincial",
  municipal: "municipal", 市级: "municipal", 设区市: "municipal",
  county: "county", 县级: "county",
};

/**
 * Imports an indicator table (考核指标体系 as rows and cells, as read from Excel or CSV) as a
 * framework: title rows, a header matched by the usual names, 类别 cells merged down, multi-line
 * cells, a 合计 row checked against the points, deduction clauses as rows of their own or inside
 * the 内容/评分标准 of a 扣分项 indicator, policies, grade bands; every item gets a source reference
 * naming the file, the sheet and the cell. Sheets the export writes (说明, 部门, 扣分项, 等次, 规则)
 * are read too, so that an exported workbook imports back to the same framework.
 *
 * @param tables - The sheets of a workbook (or one CSV table); see {@link Table}.
 * @param options - What the table does not say (id, year, level, region …) and how to read it.
 * @returns The framework, accepted by `parseFramework`.
 * @throws {@link index!KaoheError} holding every problem at once, each with its cell (`指标体系!C7`) and
 *   value, in English (`message`) and Chinese (`zh`).
 * @example
 * ```ts
 * import { importFramework } from "kaohe/authoring";
 * const framework = importFramework(
 *   { name: "指标体系", rows: [
 *     { row: 1, cells: ["某县2025年度考核指标"] },
 *     { row: 2, cells: ["类别", "指标", "评分标准", "分值"] },
 *     { row: 3, cells: ["一、责任落实", "1. 责任压实", "未研究部署的，扣 2 分，扣完为止。", "１０"] },
 *     { row: 4, cells: [null, "2. 驻村帮扶", "驻村干部履职情况。", 5] },
 *     { row: 5, cells: ["合计", null, null, 15] },
 *   ] },
 *   { id: "county2025", level: "county", region: "某县", file: "county.xlsx" },
 * );
 * framework.year; //=> 2025
 * framework.categories[0]?.indicators.map((i) => [i.code, i.points, i.scoring.method]); //=> [["1", "10", "findings"], ["2", 5, "manual"]]
 * framework.categories[0]?.indicators[0]?.source; //=> { document: "county.xlsx", part: "指标体系", item: "B3" }
 * ```
 */
export function importFramework(tables: Table | readonly Table[], options: ImportFrameworkOptions = {}): Framework {
  const sheets: readonly Table[] = Array.isArray(tables) ? tables : [tables as Table];
  const issues: KaoheIssue[] = [];
  const file = options.file ?? "table";
  const extra = options.columns ?? {};
  const main = options.sheet === undefined ? sheets.find((t) => findIndicatorHeader(t, extra) >= 0) : sheets.find((t) => t.name === options.sheet);
  if (!main) {
    const [code, en, zh] = options.sheet === undefined
      ? ["no_header_row", "no sheet has a header row with an indicator column (指标/二级指标) and one more known column", "没有任何工作表含表头行（须有“指标”列及另一已知列）"]
      : ["sheet_not_found", `there is no sheet "${options.sheet}" (sheets: ${sheets.map((t) => t.name).join(", ")})`, `没有名为「${options.sheet}」的工作表（现有：${sheets.map((t) => t.name).join("、")}）`];
    throw new KaoheError([tableIssue(code, [], en, zh)], "Invalid indicator table");
  }
  const headerIndex = findIndicatorHeader(main, extra);
  if (headerIndex < 0) throw new KaoheError([tableIssue("no_header_row", [main.name], `sheet "${main.name}" has no header row with an indicator column (指标/二级指标)`, `工作表「${main.name}」没有含“指标”列的表头行`)], "Invalid indicator table");
  const columns = matchHeader(main.rows[headerIndex] as Table["rows"][number], extra);
  const headerRow = (main.rows[headerIndex] as Table["rows"][number]).row;
  if (!columns.has("content") && !columns.has("criteria")) {
    issues.push(cellIssue("missing_column", { sheet: main.name, row: headerRow, column: columns.get("indicator") as number }, undefined, "the header has no content column (内容/考核内容/评分标准)", "表头没有“内容”列（内容/考核内容/评分标准）"));
  }
  const sheet = readIndicatorSheet(main, headerIndex, columns, file, issues);

  const others = sheets.filter((t) => t !== main);
  const ofKind = (kind: ReturnType<typeof sheetKind>) => others.find((t) => sheetKind(t) === kind);
  const metaSheet = ofKind("metadata");
  const meta = metaSheet ? readMetadata(metaSheet) : new Map<string, { value: unknown; place: { sheet: string; row: number; column: number } }>();
  const departmentSheet = ofKind("departments");
  const registry = options.departments ?? (departmentSheet ? readDepartments(departmentSheet, issues) : undefined);
  const clauseSheet = ofKind("clauses");
  const fromClauseSheet = clauseSheet ? readClauseSheet(clauseSheet, file, issues) : undefined;
  const rulesSheet = ofKind("rules");
  const rules = rulesSheet ? readRules(rulesSheet, issues) : new Map();
  const gradeSheet = ofKind("grades");
  const gradeTable = gradeSheet ?? (sheet.gradeRows.length > 0 ? { name: main.name, rows: sheet.gradeRows } : undefined);
  const grades = options.grades ?? (gradeTable ? readGrades(gradeTable, issues) : undefined);

  const resolved: Resolved = buildIndicators(sheet, { file, registry, rules, clausesGiven: fromClauseSheet !== undefined }, issues);
  const policies: Policy[] = fromClauseSheet?.policies.length ? fromClauseSheet.policies : sheet.policies;

  let totalPoints: number | string | undefined;
  if (sheet.total && !isBlankCell(sheet.total.value)) {
    totalPoints = readDecimal(sheet.total.value);
    if (totalPoints === undefined) issues.push(cellIssue("invalid_total", sheet.total.place, sheet.total.value, "the 合计 is not a number", "合计不是数字"));
    else if (resolved.sum !== undefined && !sameNumber(resolved.sum, totalPoints)) {
      issues.push(cellIssue("total_mismatch", sheet.total.place, sheet.total.value, `the indicators' points add up to ${resolved.sum}, not the stated 合计`, `各指标分值之和为 ${resolved.sum}，与合计不符`));
    }
  }

  const metaText = (key: string) => (meta.has(key) ? cellText(meta.get(key)?.value) : undefined);
  const title = options.title ?? metaText("标题") ?? sheet.title;
  const yearText = metaText("年度") ?? /(20\d\d)\s*年/.exec(title ?? "")?.[1];
  const year = options.year ?? (yearText === undefined ? undefined : Number(foldCell(yearText)));
  const levelText = metaText("层级");
  const level = options.level ?? (levelText === undefined ? undefined : LEVELS[foldCell(levelText)]);
  const region = options.region ?? metaText("地区");
  const id = options.id ?? metaText("编号");
  const missing = [["id", "编号", id], ["title", "标题", title], ["year", "年度", year], ["level", "层级", level], ["region", "地区", region]]
    .filter(([, , value]) => value === undefined || value === "" || Number.isNaN(value));
  for (const [key, zh] of missing) {
    issues.push(tableIssue("missing_metadata", [String(key)], `the framework's ${String(key)} is not given: pass it as an option or in a 说明 sheet`, `未给出指标体系的${String(zh)}：请作为选项传入，或写在“说明”工作表中`));
  }
  if (levelText !== undefined && level === undefined) {
    issues.push(cellIssue("invalid_level", meta.get("层级")?.place ?? { sheet: main.name, row: 1, column: 0 }, levelText, "is not a level (国家级, 省级, 市级, 县级)", "不是有效的层级（国家级、省级、市级、县级）"));
  }
  if (issues.length > 0) throw new KaoheError(issues, "Invalid indicator table");

  const document: SourceDocument = options.document ?? {
    title: metaText("来源文件") ?? (title as string),
    ...(metaText("印发日期") ? { issuedOn: metaText("印发日期") as string } : {}),
    ...(metaText("备注") ? { note: metaText("备注") as string } : {}),
  };
  const derivesFrom = options.derivesFrom ?? readDerivesFrom(metaText);
  const precisionText = metaText("小数位数");
  const framework: Record<string, unknown> = {
    id, title, year, level, region, document,
    ...(derivesFrom ? { derivesFrom } : {}),
    departments: resolved.departments,
    categories: resolved.categories,
    deductionClauses: fromClauseSheet?.clauses ?? resolved.clauses,
    policies,
    ...(grades && grades.length > 0 ? { grades } : {}),
    ...(totalPoints !== undefined ? { totalPoints } : {}),
    precision: options.precision ?? (precisionText ? Number(precisionText) : 2),
  };
  try {
    return parseFramework(framework);
  } catch (error) {
    if (isKaoheError(error)) throw new KaoheError(error.issues, "The indicator table does not make a valid framework");
    throw error;
  }
}

function readDerivesFrom(metaText: (key: string) => string | undefined): FrameworkRef | undefined {
  const id = metaText("派生自");
  if (!id) return undefined;
  const year = metaText("派生自年度");
  const title = metaText("派生自标题");
  return { id, ...(year ? { year: Number(year) } : {}), ...(title ? { title } : {}) };
}

function sameNumber(a: string, b: number | string): boolean {
  return toExact(a).equals(toExact(b));
}

/**
 * Like {@link importFramework}, but returns a {@link SafeResult} instead of throwing.
 *
 * @param tables - The sheets of a workbook (or one CSV table).
 * @param options - What the table does not say, and how to read it.
 * @returns The framework, or the error holding every issue with its cell.
 * @example
 * ```ts
 * import { safeImportFramework } from "kaohe/authoring";
 * const result = safeImportFramework({ name: "表1", rows: [
 *   { row: 1, cells: ["类别", "指标", "内容", "分值"] },
 *   { row: 2, cells: ["一、责任落实", "1. 责任压实", "研究部署情况。", "十分"] },
 * ] }, { id: "x", year: 2025, level: "county", region: "某县", title: "示例" });
 * result.success ? [] : result.error.issues.map((i) => [i.code, i.path]); //=> [["invalid_points", ["表1", "D2"]]]
 * ```
 */
export const safeImportFramework: (tables: Table | readonly Table[], options?: ImportFrameworkOptions) => SafeResult<Framework> =
  toSafe(importFramework);
