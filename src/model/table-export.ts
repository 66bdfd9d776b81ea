import { KaoheError, type KaoheIssue } from "../internal/errors";
import type { Framework, Indicator, KeyTask } from "./framework";
import type { SourceRef } from "./primitives";
import { cellAddress, type Table, type TableRow } from "./table";
import { formatSourceCell, SOURCE_SEPARATOR } from "./table-issues";
import { CLAUSE_ROW_TYPES, SHEET_HEADERS } from "./table-sheets";
import { METHOD_LABELS, ON_SITE_LABEL } from "./table-text";

/** Options of {@link exportFramework}. */
export interface ExportFrameworkOptions {
  /** Key tasks (重点任务) to list with the indicators that assess them, on a sheet of their own. */
  readonly keyTasks?: readonly KeyTask[];
}

/** The name of the indicator sheet the export writes. */
export const INDICATOR_SHEET = "指标体系";

const LEVEL_LABELS: Readonly<Record<Framework["level"], string>> = { national: "国家级", provincial: "省级", municipal: "市级", county: "县级" };

/**
 * Exports a framework as the tables an official reviews: the indicator sheet in the document's
 * layout (a title row, 类别 / 指标 / 内容 / 数据来源, categories merged down, a 合计 row; then 分值
 * when any indicator has points, 计分方法, 出处 and 编号), and sheets for the deduction clauses and
 * policies (扣分项), the departments (部门), the framework's particulars (说明), grade bands (等次),
 * rules (规则) and, when given, the key tasks (重点任务). `importFramework` reads the workbook back
 * to the same framework (equal digest).
 *
 * @param framework - A parsed framework.
 * @param options - Key tasks to list.
 * @returns The sheets, indicator sheet first, with merged ranges, frozen header rows and widths.
 * @throws {@link index!KaoheError} (`not_writable_as_table`) for what a table cannot carry so that it
 *   reads back the same: a department name with 、，,；;/ or blanks (数据来源 splits names there), a
 *   source reference with ｜, a category code other than a numeral or letter, an indicator code
 *   other than letters and digits joined by . or -, a name with a line break. All at once.
 * @example
 * ```ts
 * import { jiangxi2025 } from "kaohe";
 * import { exportFramework } from "kaohe/authoring";
 * const [sheet] = exportFramework(jiangxi2025);
 * sheet?.rows[1]?.cells.slice(0, 4); //=> ["类别", "指标", "内容", "数据来源"]
 * sheet?.rows[2]?.cells[1]; //=> "1. 主体责任、部门责任、驻村帮扶责任等情况"
 * sheet?.merges?.[1]; //=> "A4:A5"
 * ```
 */
export function exportFramework(framework: Framework, options: ExportFrameworkOptions = {}): Table[] {
  const problems = unwritable(framework);
  if (problems.length > 0) throw new KaoheError(problems, `Framework ${framework.id} cannot be written as a table`);
  const sheets: Table[] = [indicatorSheet(framework), clauseSheet(framework), departmentSheet(framework), metadataSheet(framework)];
  if (framework.grades) sheets.push(simpleSheet("等次", SHEET_HEADERS.grades.required, framework.grades.map((g) => [g.grade, g.min])));
  const rules = framework.categories.flatMap((c) => c.indicators).flatMap((i) =>
    i.scoring.method === "rule" ? [[i.id, i.scoring.description, JSON.stringify(i.scoring.rule), JSON.stringify(i.scoring.facts)]] : [],
  );
  if (rules.length > 0) sheets.push(simpleSheet("规则", ["指标编号", "说明", "规则", "事实"], rules, [10, 40, 60, 60]));
  if (options.keyTasks) sheets.push(keyTaskSheet(framework, options.keyTasks));
  return sheets;
}

function indicatorSheet(framework: Framework): Table {
  const indicators = framework.categories.flatMap((c) => c.indicators);
  const hasPoints = framework.totalPoints !== undefined || indicators.some((i) => i.points !== undefined);
  const header = ["类别", "指标", "内容", "数据来源", ...(hasPoints ? ["分值"] : []), "计分方法", "出处", "编号"];
  const last = header.length - 1;
  const rows: TableRow[] = [{ row: 1, cells: [framework.title] }, { row: 2, cells: header }];
  const merges = [`A1:${cellAddress(1, last)}`];
  for (const category of framework.categories) {
    const start = rows.length + 1;
    category.indicators.forEach((indicator, index) => {
      rows.push({
        row: rows.length + 1,
        cells: [
          index === 0 ? `${category.code}、${category.name}` : null,
          `${indicator.code}. ${indicator.name}`,
          indicator.content,
          sourcesText(framework, indicator),
          ...(hasPoints ? [indicator.points ?? null] : []),
          (METHOD_LABELS[indicator.scoring.method] as readonly string[])[0] as string,
          formatSourceCell(indicator.source),
          `${category.id}/${indicator.id}`,
        ],
      });
    });
    if (category.indicators.length > 1) merges.push(`A${start}:A${rows.length}`);
  }
  rows.push({ row: rows.length + 1, cells: ["合计", null, null, null, ...(hasPoints ? [framework.totalPoints ?? null] : [])] });
  merges.push(`A${rows.length}:D${rows.length}`);
  return { name: INDICATOR_SHEET, rows, merges, frozenRows: 2, widths: [14, 30, 70, 36, ...(hasPoints ? [8] : []), 12, 36, 10] };
}

/** 数据来源 as the document writes it: 实地考核 first, then the departments joined by 、. */
function sourcesText(framework: Framework, indicator: Indicator): string {
  const names = indicator.departments.map((id) => framework.departments.find((d) => d.id === id)?.name ?? id);
  if (!indicator.onSite) return names.join("、");
  return names.length === 0 ? ON_SITE_LABEL : `${ON_SITE_LABEL}；${names.join("、")}`;
}

function clauseSheet(framework: Framework): Table {
  const rows = [
    ...framework.deductionClauses.map((c) => [c.id, CLAUSE_ROW_TYPES.clause, c.text, c.points, formatSourceCell(c.source)]),
    ...framework.policies.map((p) => [p.id, CLAUSE_ROW_TYPES[p.kind], p.text, null, formatSourceCell(p.source)]),
  ];
  return simpleSheet("扣分项", ["编号", "类型", "扣分情形", "每项扣分", "出处"], rows, [8, 10, 70, 10, 36]);
}

function departmentSheet(framework: Framework): Table {
  const indicators = framework.categories.flatMap((c) => c.indicators);
  const rows = framework.departments.map((d) => [
    d.id,
    d.name,
    indicators.filter((i) => i.departments.includes(d.id)).map((i) => i.code).join("、"),
  ]);
  return simpleSheet("部门", ["编号", "部门", "数据来源指标"], rows, [10, 36, 24]);
}

function metadataSheet(framework: Framework): Table {
  const rows: unknown[][] = [
    ["编号", framework.id],
    ["标题", framework.title],
    ["年度", framework.year],
    ["层级", LEVEL_LABELS[framework.level]],
    ["地区", framework.region],
    ["来源文件", framework.document.title],
    ...(framework.document.issuedOn ? [["印发日期", framework.document.issuedOn]] : []),
    ...(framework.document.note ? [["备注", framework.document.note]] : []),
    ["小数位数", framework.precision],
    ...(framework.derivesFrom
      ? [
          ["派生自", framework.derivesFrom.id],
          ...(framework.derivesFrom.year ? [["派生自年度", framework.derivesFrom.year]] : []),
          ...(framework.derivesFrom.title ? [["派生自标题", framework.derivesFrom.title]] : []),
        ]
      : []),
  ];
  return simpleSheet("说明", ["项目", "值"], rows, [12, 60]);
}

function keyTaskSheet(framework: Framework, tasks: readonly KeyTask[]): Table {
  const indicators = new Map(framework.categories.flatMap((c) => c.indicators).map((i) => [i.id, i]));
  const rows = tasks.map((t) => [
    t.number,
    t.title,
    t.content,
    t.indicatorIds.map((id) => { const i = indicators.get(id); return i ? `${i.code}. ${i.name}` : id; }).join("\n"),
    formatSourceCell(t.source),
  ]);
  return simpleSheet("重点任务", ["序号", "任务", "内容", "考核指标", "出处"], rows, [6, 30, 70, 40, 36]);
}

function simpleSheet(name: string, header: readonly string[], body: readonly (readonly unknown[])[], widths?: readonly number[]): Table {
  const rows: TableRow[] = [{ row: 1, cells: [...header] }, ...body.map((cells, i) => ({ row: i + 2, cells: [...cells] }))];
  return { name, rows, frozenRows: 1, ...(widths ? { widths } : {}) };
}

/** What a table cannot carry so that it reads back the same. */
function unwritable(framework: Framework): KaoheIssue[] {
  const issues: KaoheIssue[] = [];
  const add = (path: (string | number)[], en: string, zh: string) => issues.push({ code: "not_writable_as_table", path, message: en, zh });
  const checkSource = (source: SourceRef, path: (string | number)[]) => {
    if ([source.document, source.part, source.item].some((t) => t.includes(SOURCE_SEPARATOR) || t !== t.trim() || t.includes("\n"))) {
      add(path, `the source reference holds "${SOURCE_SEPARATOR}", a line break or outer blanks, which the 出处 column cannot carry`, `出处含“${SOURCE_SEPARATOR}”、换行或首尾空白，无法写入“出处”列`);
    }
  };
  framework.departments.forEach((d, i) => {
    if (/[、，,；;/\s\u3000]/.test(d.name) || d.name === ON_SITE_LABEL) {
      add(["departments", i, "name"], `department name "${d.name}" holds a separator of 数据来源 (、，,；;/ or a blank), or is 实地考核`, `部门名称「${d.name}」含数据来源的分隔符（、，,；;/ 或空白），或为“实地考核”`);
    }
  });
  framework.categories.forEach((c, ci) => {
    if (!/^([一二三四五六七八九十百零〇]+|[0-9]+|[A-Za-z])$/.test(c.code)) add(["categories", ci, "code"], `category code "${c.code}" is not a numeral or a letter`, `类别代码「${c.code}」不是数字或字母`);
    if (/[\n]/.test(c.name) || c.name !== c.name.trim()) add(["categories", ci, "name"], `category name "${c.name}" holds a line break or outer blanks`, `类别名称「${c.name}」含换行或首尾空白`);
    c.indicators.forEach((i, ii) => {
      const path = ["categories", ci, "indicators", ii];
      if (!/^[0-9A-Za-z]+(?:[.-][0-9A-Za-z]+)*$/.test(i.code)) add([...path, "code"], `indicator code "${i.code}" is not letters and digits joined by . or -`, `指标序号「${i.code}」不是由“.”或“-”连接的字母和数字`);
      if (/\s{2}|\n/.test(i.name) || i.name !== i.name.trim()) add([...path, "name"], `indicator name "${i.name}" holds a line break, doubled or outer blanks`, `指标名称「${i.name}」含换行、连续空白或首尾空白`);
      if (i.content !== i.content.trim()) add([...path, "content"], `the content of indicator ${i.code} has outer blanks`, `指标 ${i.code} 的内容有首尾空白`);
      checkSource(i.source, [...path, "source"]);
    });
  });
  framework.deductionClauses.forEach((c, i) => checkSource(c.source, ["deductionClauses", i, "source"]));
  framework.policies.forEach((p, i) => checkSource(p.source, ["policies", i, "source"]));
  return issues;
}
