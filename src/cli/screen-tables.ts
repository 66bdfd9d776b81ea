/**
 * `kaohe screen --rules r.json --table persons=a.xlsx --table households=b.xlsx …`: screening
 * several exports joined by their keys with a multi-table rulebook (issue 14). Kept apart from
 * screen.ts, which hands over here when the rulebook declares `tables` or `--table` is given.
 */
import { FindingTally } from "../screening/summary";
import type { CsvEncoding } from "../screening/node/encoding";
import { safePrepareTablesRulebook, type PreparedTablesRulebook } from "../screening/tables/prepare";
import { fieldColumns } from "../screening/prepare";
import { LoopRun, loopCells, loopCsvHeadings, loopLines, loopSuffix, type LoopSettings } from "./screen-loop";
import type { TableFinding, TableQualityFinding, TableRejectedRow, TablesResult } from "../screening/tables/screen";
import { createTablesPool, screenTableFiles, type TableFile, type TablesPool } from "../screening/node/tables";
import { EXIT, UsageError, reportIssues, type Ctx } from "./io";
import { say, severityLabel, t, type Lang } from "./lang";
import { AtomicFile, checkOutputPath, csvCell } from "./output";
import { renderTable } from "./table";
import { findingTables } from "./screen-summary";

/** The settings screen.ts has already read and checked. */
export interface TableRunSettings {
  readonly rulesPath: string;
  readonly workers: number;
  readonly headerRow: number | undefined;
  readonly sheet: string | number | undefined;
  readonly encoding: CsvEncoding;
  readonly out: { readonly path: string; readonly format: "csv" | "ndjson" } | undefined;
  readonly neutralise: boolean;
  readonly parameters: Readonly<Record<string, string>>;
  /** The re-screening loop's settings (--exemptions, --baseline, --as-of, --mask-ids), when one is given. */
  readonly loop?: LoopSettings | undefined;
  /** Milliseconds of a monotonic clock (default `performance.now`). */
  readonly now?: () => number;
}

/** Whether a parsed rulebook is a multi-table one (it declares `tables`). */
export function isTablesRulebook(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.hasOwn(value, "tables");
}

/** Reads `--table name=file` values into files per table, refusing a malformed one. */
export function tableFiles(values: readonly string[]): TableFile[] {
  return values.map((text) => {
    const eq = text.indexOf("=");
    if (eq <= 0 || eq === text.length - 1) throw new UsageError(t(`--table 需要 表名=文件，例如 --table persons=监测对象信息.xlsx（收到 "${text}"）`, `--table needs name=file, e.g. --table persons=persons.xlsx (got "${text}")`));
    return { table: text.slice(0, eq), file: text.slice(eq + 1) };
  });
}

const CSV_COLUMNS = ["kind", "code", "title", "severity", "table", "recordId", "county", "township", "village", "message", "values", "places", "file", "row"];
const CSV_HEADINGS: Readonly<Record<Lang, readonly string[]>> = {
  zh: ["类型", "规则编号", "规则名称", "严重程度", "表", "记录编号", "县", "乡镇", "村", "说明", "取值", "出现位置", "文件", "行号"],
  en: CSV_COLUMNS,
};
const KIND_ZH: Readonly<Record<string, string>> = { finding: "问题线索", rule_failed: "规则未判定", rejected: "无法读取的行", data_quality: "数据质量问题" };

type Item = TableFinding | TableQualityFinding | TableRejectedRow;

function csvLine(item: Item, lang: Lang, neutralise: boolean): string {
  const kind = !neutralise || lang === "en" ? item.kind : (KIND_ZH[item.kind] ?? item.kind);
  const places = (f: TableFinding) => (f.places ? f.places.map((p) => `${p.table}:${p.file ?? ""}:${p.row}`).join(" ") : "");
  const cells =
    item.kind === "rejected"
      ? [kind, item.code, "", "", item.table, "", "", "", "", item.reason, "", "", item.file ?? "", String(item.row)]
      : item.kind === "data_quality"
        ? [kind, item.code, item.column, "", item.table, item.recordId, item.unit.county, item.unit.township, item.unit.village, lang === "en" ? item.reason : item.zh, JSON.stringify({ [item.field]: item.value }), "", item.file ?? "", String(item.row)]
        : [kind, item.code, item.title, neutralise ? severityLabel(lang, item.severity) : item.severity, item.table, item.recordId, item.unit.county, item.unit.township, item.unit.village, item.message, JSON.stringify(item.values), places(item), item.file ?? "", String(item.row)];
  return `${cells.map((c) => csvCell(c, neutralise)).join(",")}\n`;
}

function showLine(item: Item, lang: Lang): string {
  const where = `${item.file ?? item.table}:${item.row}`;
  if (item.kind === "rejected") return `${where}  ${lang === "en" ? "rejected" : "无法读取"}  ${item.reason} [${item.code}]`;
  const unit = `${item.unit.county}/${item.unit.township}/${item.unit.village}`;
  if (item.kind === "data_quality") return `${where}  ${lang === "en" ? "data quality" : "数据质量"} ${item.code}  ${unit}  ${item.recordId}  ${lang === "en" ? item.reason : item.zh}`;
  const failed = item.kind === "rule_failed" ? (lang === "en" ? "  (rule failed)" : "  （规则未判定）") : "";
  return `${where}  ${item.code} ${severityLabel(lang, item.severity)}  ${unit}  ${item.table} ${item.recordId}  ${item.message}${failed}`;
}

/**
 * Runs a multi-table screening from the command line: validates the rulebook and the tables
 * named, reads every file (the tables in the rulebook's reading order), writes the findings
 * (sorted: by rule, then record key) and a summary.
 *
 * @returns The exit code: 0, 1 (invalid rulebook, unreadable file), 2 (usage), 3 (rules not run).
 */
export async function screenTablesRun(ctx: Ctx, rulebook: unknown, files: readonly string[], tables: readonly TableFile[], settings: TableRunSettings): Promise<number> {
  const { lang } = ctx;
  if (files.length > 0) throw new UsageError(t(`多表规则集的文件用 --table 表名=文件 给出（收到 ${files.join(" ")}）`, `the files of a multi-table rulebook are given as --table name=file (got ${files.join(" ")})`));
  if (tables.length === 0) throw new UsageError(t("该规则集声明了多张表：用 --table 表名=文件 给出每张表的文件", "this rulebook declares several tables: give each table's file with --table name=file"));
  if (!isTablesRulebook(rulebook)) throw new UsageError(t("--table 需要声明了 tables 的多表规则集", "--table needs a multi-table rulebook (one that declares tables)"));
  if (tables.some((f) => f.file === "-")) throw new UsageError(t("--table 按文件名读取，不能读标准输入（-）", "--table reads files by name, not standard input (-)"));
  const prepared = safePrepareTablesRulebook(rulebook, { parameters: settings.parameters });
  if (!prepared.success) {
    reportIssues(ctx, settings.rulesPath, prepared.error.issues);
    return EXIT.invalid;
  }
  const unknown = tables.filter((f) => !Object.hasOwn(prepared.data.tables, f.table));
  if (unknown.length > 0) {
    const known = prepared.data.order.join(", ");
    throw new UsageError(t(`规则集没有表「${unknown.map((f) => f.table).join("」「")}」（它声明了 ${known}）`, `the rulebook declares no table ${unknown.map((f) => f.table).join(", ")} (it declares ${known})`));
  }
  if (settings.out) {
    const problem = checkOutputPath(settings.out.path, [settings.rulesPath, ...tables.map((f) => f.file)]);
    // A bad output path is a usage error (decision 0602); screen.ts checks it first, this keeps the function safe alone.
    if (problem) throw new UsageError(problem);
  }
  const now = settings.now ?? (() => performance.now());
  const started = now();
  // --workers N: the record rules' conditions run on N threads; reading, joins and checks stay here.
  const pool: TablesPool | undefined = settings.workers > 0 ? createTablesPool(settings.workers, { rulebook, parameters: prepared.data.overrides }) : undefined;
  let run: Awaited<ReturnType<typeof screenTableFiles>>;
  try {
    run = await screenTableFiles(prepared.data, tables, {
      encoding: settings.encoding,
      ...(settings.headerRow === undefined ? {} : { headerRow: settings.headerRow }),
      ...(settings.sheet === undefined ? {} : { sheet: settings.sheet }),
      ...(pool ? { pool } : {}),
    });
  } catch (error) {
    // A worker that stopped (out of memory): the run cannot be completed, and nothing is written.
    if (!pool) throw error;
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    ctx.err(t(`工作线程在多表筛查中退出（${reason}）；未输出任何结果，请减少 --workers 或不用 --workers 重试`, `a worker stopped during the multi-table screening (${reason}); nothing was written: try again with fewer --workers, or none`));
    return EXIT.invalid;
  } finally {
    await pool?.close();
  }
  if (!run.ok) {
    const { error } = run;
    ctx.err(t(`${error.file}（${error.table}）：${error.zh}`, `${error.file} (${error.table}): ${error.reason}`));
    ctx.err(t("筛查未完成：多表筛查需要每张表读完，未输出任何结果", "screening not done: a multi-table screening needs every table read in full; nothing was written"));
    return EXIT.invalid;
  }
  const { result } = run;
  // The loop marks findings (rule code + table + record key) and masks identity numbers; the findings come sorted, so the same on any number of workers.
  const loop = settings.loop ? new LoopRun(settings.loop, undefined, undefined, false, identityFields(prepared.data)) : undefined;
  const items: Item[] = [...result.rejected, ...result.quality, ...result.findings].map((item) => (loop ? loop.process(item) : item));
  const loopCsv = (item: Item) => (loop ? `,${loopCells(item as never, lang, !settings.neutralise).map((c) => csvCell(c, settings.neutralise)).join(",")}` : "");
  const tally = new FindingTally({ rules: prepared.data.rules.map((r) => r.rule) });
  for (const item of items) if (item.kind !== "rejected") tally.add(item as never);
  if (settings.out) {
    const writer = new AtomicFile(settings.out.path);
    try {
      if (settings.out.format === "csv") await writer.write(`\uFEFF${[...(settings.neutralise ? CSV_HEADINGS[lang] : CSV_COLUMNS), ...(loop ? loopCsvHeadings(lang, !settings.neutralise) : [])].join(",")}\n`);
      for (const item of items) await writer.write(settings.out.format === "ndjson" ? `${JSON.stringify(item)}\n` : `${csvLine(item, lang, settings.neutralise).slice(0, -1)}${loopCsv(item)}\n`);
      await writer.commit();
    } catch (error) {
      await writer.abort();
      const code = (error as { code?: unknown }).code;
      ctx.err(t(`kaohe screen：${settings.out.path}：无法写入（${String(code ?? (error as Error).message)}），原有文件未改动`, `kaohe screen: ${settings.out.path}: cannot write (${String(code ?? (error as Error).message)}); the previous file is unchanged`));
      return EXIT.invalid;
    }
  } else for (const item of items) ctx.io.stdout(`${showLine(item, lang)}${loop ? loopSuffix(item as never, lang) : ""}`);
  for (const line of summaryLines(lang, result, prepared.data.rulebook.tables, tally, (now() - started) / 1000)) ctx.io.stdout(line);
  if (loop) for (const line of loopLines(loop, lang)) ctx.io.stdout(line);
  if (result.counts.skipped.length === 0) return EXIT.ok;
  ctx.io.stdout(say(lang, t(`不完整：${result.counts.skipped.length} 条规则未能运行：`, `INCOMPLETE: ${result.counts.skipped.length} rule${result.counts.skipped.length > 1 ? "s" : ""} could not run:`)));
  for (const skipped of result.counts.skipped) ctx.io.stdout(`  ${skipped.code}: ${lang === "en" ? skipped.reason : skipped.zh}`);
  return 3;
}

/** For --mask-ids: the fields read from a 证件号码/身份证 column (by name and as `table.name`), and the tables keyed by one such field alone. */
function identityFields(prepared: PreparedTablesRulebook): { fields: Set<string>; keys: Set<string> } {
  const fields = new Set<string>();
  const keys = new Set<string>();
  for (const [name, table] of Object.entries(prepared.tables)) {
    const ids = Object.entries(table.columns.rulebook.fields).filter(([, f]) => fieldColumns(f).some((c) => /证件号码|身份证/.test(c))).map(([field]) => field);
    for (const id of ids) fields.add(id).add(`${name}.${id}`);
    if (table.key.length === 1 && ids.includes(table.key[0] as string)) keys.add(name);
  }
  return { fields, keys };
}

function summaryLines(lang: Lang, result: TablesResult, tables: Readonly<Record<string, { title: string }>>, tally: FindingTally, seconds: number): string[] {
  const n = (value: number) => value.toLocaleString("en-US");
  const h = (zh: string, en: string) => (lang === "en" ? en : zh);
  const summary = tally.summary();
  const lines: string[] = [""];
  lines.push(
    ...renderTable(
      [{ heading: h("表", "table") }, { heading: h("名称", "title") }, { heading: h("读取", "read"), align: "right" }, { heading: h("记录", "records"), align: "right" }, { heading: h("无法读取", "rejected"), align: "right" }],
      Object.entries(result.counts.tables).map(([name, c]) => [name, tables[name]?.title ?? "", n(c.rowsRead), n(c.records), n(c.rowsRejected)]),
    ),
  );
  lines.push("");
  lines.push(...findingTables(lang, summary));
  const read = Object.values(result.counts.tables).reduce((sum, c) => sum + c.rowsRead, 0);
  const rejected = Object.values(result.counts.tables).reduce((sum, c) => sum + c.rowsRejected, 0);
  lines.push("");
  if (summary.dataQuality > 0) lines.push(h(`数据质量问题 ${n(summary.dataQuality)} 条`, `${n(summary.dataQuality)} data-quality findings (数据质量问题)`));
  lines.push(
    h(
      `读取 ${n(read)} 行，筛查 ${n(read - rejected)} 行，无法读取 ${n(rejected)} 行；问题线索 ${n(summary.findings)} 条，未判定 ${n(summary.ruleFailures)} 条；${seconds.toFixed(1)} 秒`,
      `${n(read)} rows read, ${n(read - rejected)} screened, ${n(rejected)} rejected; ${n(summary.findings)} findings, ${n(summary.ruleFailures)} rules undecided; ${seconds.toFixed(1)} s`,
    ),
  );
  return lines;
}
