import { toExact } from "../internal/decimal";
import type { KaoheIssue } from "../internal/errors";
import type { Category, DeductionClause, Department, Fact, Indicator, Scoring } from "./framework";
import { IdSchema } from "./primitives";
import { cellLabel, cellText, foldCell, isBlankCell, readDecimal, type TableRow } from "./table";
import { clausesInText, isDeductionsIndicator, type IndicatorSheet, type RawIndicator } from "./table-indicators";
import { cellIssue, cellSource, parseSourceCell, placeName, type CellPlace } from "./table-issues";
import { invalidSource } from "./table-sheets";
import { ON_SITE_LABEL, readMethod, splitSources, type ColumnRole } from "./table-text";

/** What the indicator rows resolve to. */
export interface Resolved {
  readonly departments: Department[];
  readonly categories: Category[];
  readonly clauses: DeductionClause[];
  /** The sum of the scored indicators' points when every one has points. */
  readonly sum?: string;
}

/** What resolving needs besides the rows. */
export interface BuildContext {
  readonly file: string;
  readonly registry: readonly Department[] | undefined;
  readonly rules: ReadonlyMap<string, { rule: unknown; facts: Fact[]; description: string }>;
  /** Whether a 扣分项 sheet gives the clauses (then the 内容 is kept as written, not read for clauses). */
  readonly clausesGiven: boolean;
}

const isId = (text: string): boolean => IdSchema.safeParse(text).success;

/**
 * Resolves the indicator rows: ids, codes, points, scoring methods, departments, deduction
 * clauses and source references, reporting every problem with its cell.
 */
export function buildIndicators(sheet: IndicatorSheet, context: BuildContext, issues: KaoheIssue[]): Resolved {
  const departments: Department[] = context.registry ? [...context.registry] : [];
  const byName = new Map(departments.map((d) => [d.name, d.id]));
  const clauses: DeductionClause[] = [];
  const categories: Category[] = [];
  const codes = new Map<string, CellPlace>();
  const ids = new Set<string>();
  let sum = toExact(0);
  let pointed = 0;
  const unpointed: CellPlace[] = [];
  const at = (row: TableRow, role: ColumnRole): unknown => (sheet.columns.has(role) ? row.cells[sheet.columns.get(role) as number] : undefined);
  const place = (raw: RawIndicator, role: ColumnRole): CellPlace => ({ ...raw.place, column: sheet.columns.get(role) ?? raw.place.column });
  let ordinal = 0;

  sheet.categories.forEach((raw, ci) => {
    if (raw.indicators.length === 0) {
      issues.push(cellIssue("category_without_indicators", raw.place, `${raw.code}、${raw.name}`, "this category has no indicators", "该类别下没有指标"));
    }
    const idCell = raw.indicators.map((i) => foldCell(at(i.row, "id"))).find((t) => t.includes("/"));
    const categoryId = idCell && isId(idCell.split("/")[0] as string) ? (idCell.split("/")[0] as string) : `c${ci + 1}`;
    const indicators: Indicator[] = [];
    for (const item of raw.indicators) {
      ordinal++;
      const code = item.code ?? String(ordinal);
      const seen = codes.get(code);
      if (seen) issues.push(cellIssue("duplicate_code", item.place, code, `indicator code "${code}" is already used at ${placeName(seen)}`, `指标序号「${code}」已在 ${placeName(seen)} 使用`));
      codes.set(code, item.place);
      const idText = foldCell(at(item.row, "id")).split("/").pop() ?? "";
      if (idText !== "" && !isId(idText)) issues.push(cellIssue("invalid_id", place(item, "id"), at(item.row, "id"), "is not an id (letters of any script, digits, '-', '_', '.')", "不是有效的编号（只能含文字、数字、“-”“_”“.”）"));
      const id = idText !== "" && isId(idText) ? idText : isId(`i${code}`) ? `i${code}` : `i${ordinal}`;
      if (ids.has(id)) issues.push(cellIssue("duplicate_id", place(item, sheet.columns.has("id") ? "id" : "indicator"), id, `indicator id "${id}" is given more than once`, `指标编号「${id}」重复`));
      ids.add(id);

      const deductions = isDeductionsIndicator(item, raw);
      const methodCell = at(item.row, "method");
      const named = isBlankCell(methodCell) ? undefined : readMethod(methodCell);
      if (!isBlankCell(methodCell) && named === undefined) {
        issues.push(cellIssue("unknown_scoring_method", place(item, "method"), cellLabel(methodCell), "is not a scoring method (实地考核评分, 扣完为止, 规则, 扣分项)", "不是已知的计分方法（实地考核评分、扣完为止、规则、扣分项）"));
      }
      const text = [item.content, item.criteria].join("\n");
      const method = named ?? (deductions ? "deductions" : /扣完为止|扣完即止/.test(text) ? "findings" : "manual");

      const pointsCell = at(item.row, "points");
      const points = isBlankCell(pointsCell) ? undefined : readDecimal(pointsCell);
      if (!isBlankCell(pointsCell) && (points === undefined || !toExact(points).greaterThan(0))) {
        issues.push(cellIssue("invalid_points", place(item, "points"), pointsCell, "the points are not a number greater than 0", "分值不是大于 0 的数"));
      } else if (method === "deductions" && points !== undefined) {
        issues.push(cellIssue("points_on_deductions_indicator", place(item, "points"), pointsCell, "a 扣分项 indicator is scored through its clauses and takes no points of its own", "扣分项指标按扣分条款计分，不能有自己的分值"));
      } else if (method !== "deductions") {
        if (points === undefined) unpointed.push(place(item, "points"));
        else {
          pointed++;
          sum = sum.plus(toExact(points));
        }
      }

      const content = [item.content, item.criteria === "" ? "" : item.content === "" ? item.criteria : `评分标准：${item.criteria}`, ...item.more]
        .filter((t) => t !== "")
        .join("\n");
      if (content === "") issues.push(cellIssue("missing_content", place(item, sheet.columns.has("content") ? "content" : "criteria"), undefined, `indicator ${code}「${item.name}」 has no content`, `指标 ${code}「${item.name}」没有内容`));

      const sourcesText = cellText(at(item.row, "sources"));
      const names = splitSources(sourcesText);
      const onSite = names.includes(ON_SITE_LABEL);
      const departmentIds: string[] = [];
      for (const name of names.filter((n) => n !== ON_SITE_LABEL)) {
        let known = byName.get(name);
        if (known === undefined && context.registry) {
          issues.push(cellIssue("unknown_department", place(item, "sources"), name, "is not a department of the registry", "不在部门名录中"));
          continue;
        }
        if (known === undefined) {
          known = `d${departments.length + 1}`;
          departments.push({ id: known, name });
          byName.set(name, known);
        }
        if (!departmentIds.includes(known)) departmentIds.push(known);
      }

      const sourceText = cellText(at(item.row, "source"));
      const stated = sourceText === "" ? undefined : parseSourceCell(sourceText);
      if (sourceText !== "" && !stated) issues.push(invalidSource(place(item, "source"), sourceText));

      // A rule-scored indicator whose rule is missing is reported; it is held as manual meanwhile.
      let scoring: Scoring = { method: method === "rule" ? "manual" : method };
      if (method === "rule") {
        const rule = context.rules.get(id);
        if (!rule) issues.push(cellIssue("missing_rule", place(item, "method"), cellLabel(methodCell), `indicator ${id} is scored by rule, but no 规则 sheet row gives its rule`, `指标 ${id} 按规则计分，但“规则”工作表中没有它的规则`));
        else scoring = { method: "rule", rule: rule.rule, facts: rule.facts, description: rule.description };
      }
      if (method === "deductions" && !context.clausesGiven) {
        if (item.clauseRows === 0) {
          const cell = place(item, item.criteria ? "criteria" : "content");
          clausesInText(item, item.criteria || item.content, cell, sheet.policies, context.file, issues);
        }
        if (item.clauses.length === 0 && item.clauseRows === 0 && !issues.some((i) => i.code === "unreadable_clause_points")) {
          issues.push(cellIssue("no_deduction_clauses", item.place, item.name, "this 扣分项 indicator lists no deduction clause with its points", "该扣分项指标没有列出带扣分值的条款"));
        }
        clauses.push(...item.clauses);
      }
      indicators.push({
        id,
        code,
        name: item.name,
        content,
        onSite,
        departments: departmentIds,
        ...(points !== undefined && method !== "deductions" ? { points } : {}),
        scoring,
        source: stated ?? cellSource(context.file, item.place),
      });
    }
    categories.push({ id: categoryId, code: raw.code, name: raw.name, indicators });
  });

  if (pointed > 0) {
    for (const cell of unpointed) issues.push(cellIssue("missing_points", cell, undefined, "this indicator has no points while others have", "其他指标有分值，该指标却没有"));
  }
  return { departments, categories, clauses, ...(pointed > 0 && unpointed.length === 0 ? { sum: sum.toFixed() } : {}) };
}
