import ExcelJS from "exceljs";
import { existsSync } from "node:fs";
import { basename, extname } from "node:path";
import { isKaoheError, type KaoheIssue } from "../internal/errors";
import { isCalendarDate } from "../model/primitives";
import type { Finding, ScreeningItem } from "../screening/evaluate";
import type { PreparedRulebook } from "../screening/prepare";
import { fieldColumns } from "../screening/prepare";
import { isHeaderRow } from "../screening/columns";
import { resolveDatedRulebook, type RulebookVersion } from "../screening/loop/dated";
import { ScreeningLoop, maskId, maskIdsIn, maskItem, parseBaseline, parseExemptions, type AppliedVersion, type Exemption, type LoopFinding, type LoopReport, type LoopSubject } from "../screening/loop/loop";
import { followUpProblems } from "../screening/loop/rectify";
import { parseRectificationProblem } from "../checklists/rectification";
import { readRows, type ReadRowsOptions } from "../screening/node/rows";
import { severityLabel, t, type Bilingual, type Lang } from "./lang";
import { AtomicFile } from "./output";

/*
 * The re-screening loop on the command line (issue 14): --exemptions, --baseline, --as-of,
 * --mask-ids, --problems and the workbook --out 台账.xlsx. The library part is pure
 * (src/screening/loop/); this module reads the lists, re-reads the findings' rows for the workbook
 * and writes it with exceljs (its writer; the reader's chunk defect does not concern writing).
 */

/** A problem with one of the loop's inputs: printed, exit 1. */
export class LoopInputError extends Error {
  constructor(readonly text: Bilingual, readonly issues: readonly KaoheIssue[] = []) {
    super(text.en);
  }
}

/** Today in China (UTC+8), for a run without --as-of: the CLI, unlike the library, may read the clock. */
function today(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** The rows of a list file: a JSON array (or `{ "exemptions": […] }`), NDJSON, or a CSV/XLSX sheet keyed by its first row. */
async function readListRows(path: string, what: Bilingual): Promise<Record<string, unknown>[]> {
  if (!existsSync(path)) throw new LoopInputError(t(`${what.zh} ${path} 不存在`, `${what.en} ${path} does not exist`));
  const ext = extname(path).toLowerCase();
  if (ext === ".json" || ext === ".ndjson" || ext === ".jsonl") {
    const { readFileSync } = await import("node:fs");
    const text = readFileSync(path, "utf8").replace(/^\uFEFF/, "");
    try {
      if (ext === ".json") {
        const value: unknown = JSON.parse(text);
        const list = Array.isArray(value) ? value : (value as { exemptions?: unknown } | null)?.exemptions;
        if (!Array.isArray(list)) throw new LoopInputError(t(`${what.zh} ${path} 应为 JSON 数组`, `${what.en} ${path} must be a JSON array`));
        return list as Record<string, unknown>[];
      }
      return text.split(/\r?\n/).filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as Record<string, unknown>);
    } catch (error) {
      if (error instanceof LoopInputError) throw error;
      throw new LoopInputError(t(`${what.zh} ${path} 不是有效的 JSON（${(error as Error).message}）`, `${what.en} ${path} is not valid JSON (${(error as Error).message})`));
    }
  }
  if (ext !== ".csv" && ext !== ".xlsx") throw new LoopInputError(t(`${what.zh} ${path} 应为 .json、.ndjson、.csv 或 .xlsx 文件`, `${what.en} ${path} must be a .json, .ndjson, .csv or .xlsx file`));
  const rows: Record<string, unknown>[] = [];
  const before: (readonly unknown[])[] = [];
  let header: string[] | undefined;
  const key = (row: readonly unknown[]) => row.map((c) => String(c ?? "").trim());
  try {
    for await (const row of readRows(path)) {
      if (!("cells" in row)) throw new LoopInputError(t(`${what.zh} ${path} 第 ${row.row} 行无法读取：${row.zh ?? row.reason}`, `${what.en} ${path}: row ${row.row} cannot be read: ${row.reason}`));
      // The header is the first row naming the rule code (title rows above it are passed over).
      if (header) rows.push(Object.fromEntries(header.map((h, i) => [h, row.cells[i] ?? null])));
      else if (key(row.cells).some((c) => c === "规则编号" || c === "code")) header = key(row.cells);
      else if (before.push(row.cells) > 50) break;
    }
    if (!header) {
      // No header naming the code: the first row is the header, and the checks name what is missing.
      const [first = [], ...rest] = before;
      header = key(first);
      for (const cells of rest) rows.push(Object.fromEntries(header.map((h, i) => [h, cells[i] ?? null])));
    }
  } catch (error) {
    if (error instanceof LoopInputError) throw error;
    const issue = isKaoheError(error) ? error.issues[0] : undefined;
    throw new LoopInputError(t(`${what.zh} ${path} 无法读取：${issue?.zh ?? issue?.message ?? (error as Error).message}`, `${what.en} ${path} cannot be read: ${issue?.message ?? (error as Error).message}`));
  }
  return rows;
}

/** The loop's settings from the command line, checked before anything is screened. */
export interface LoopSettings {
  readonly asOf: string;
  /** Whether --as-of was given (else today). */
  readonly asOfGiven: boolean;
  readonly exemptions?: readonly Exemption[];
  readonly baselinePath?: string;
  readonly baseline?: ReturnType<typeof parseBaseline>;
  readonly maskIds: boolean;
  readonly problemsPath?: string;
  readonly targetOn?: string;
}

/** Reads and checks --as-of, --exemptions, --baseline, --problems; `undefined` when none of the loop's options is given. */
export async function loopSettings(values: Readonly<Record<string, unknown>>, rulebookDated: boolean): Promise<LoopSettings | undefined> {
  const text = (name: string) => (typeof values[name] === "string" ? (values[name] as string) : undefined);
  const asOfText = text("as-of");
  const any = ["as-of", "exemptions", "baseline", "problems"].some((n) => text(n) !== undefined) || values["mask-ids"] === true || rulebookDated;
  if (!any) return undefined;
  if (asOfText !== undefined && !isCalendarDate(asOfText)) throw new UsageErrorText(t(`--as-of 必须是 YYYY-MM-DD 格式的日期（收到 "${asOfText}"）`, `--as-of must be a date YYYY-MM-DD (got "${asOfText}")`));
  const asOf = asOfText ?? today();
  let exemptions: Exemption[] | undefined;
  const exemptionsPath = text("exemptions");
  if (exemptionsPath !== undefined) {
    const rows = await readListRows(exemptionsPath, t("豁免清单", "The exemption list"));
    try {
      exemptions = parseExemptions(rows, basename(exemptionsPath));
    } catch (error) {
      if (!isKaoheError(error)) throw error;
      throw new LoopInputError(t(`豁免清单 ${exemptionsPath} 有误：`, `the exemption list ${exemptionsPath} is invalid:`), error.issues);
    }
  }
  const baselinePath = text("baseline");
  let baseline: ReturnType<typeof parseBaseline> | undefined;
  if (baselinePath !== undefined) {
    if (!/\.(csv|ndjson|jsonl)$/i.test(baselinePath)) throw new LoopInputError(t(`--baseline ${baselinePath} 应为 kaohe screen 写出的 .csv 或 .ndjson 问题线索文件`, `--baseline ${baselinePath} must be a .csv or .ndjson findings file written by kaohe screen`));
    const rows = await readListRows(baselinePath, t("上次筛查结果", "The baseline"));
    try {
      baseline = parseBaseline(rows, basename(baselinePath));
    } catch (error) {
      if (!isKaoheError(error)) throw error;
      throw new LoopInputError(t(`上次筛查结果 ${baselinePath} 有误：`, `the baseline ${baselinePath} is invalid:`), error.issues);
    }
  }
  const problemsPath = text("problems");
  return { asOf, asOfGiven: asOfText !== undefined, maskIds: values["mask-ids"] === true, ...(exemptions ? { exemptions } : {}), ...(baselinePath ? { baselinePath } : {}), ...(baseline ? { baseline } : {}), ...(problemsPath ? { problemsPath } : {}) };
}

/** A usage mistake in a loop option (exit 2), carried to screen.ts's UsageError. */
export class UsageErrorText extends Error {
  constructor(readonly text: Bilingual) {
    super(text.en);
  }
}

/** Whether a rulebook as parsed uses dates (parameters with `values`, rules with `from`/`until`). */
export function isDated(rulebook: unknown): boolean {
  const book = rulebook as { parameters?: Record<string, unknown>; rules?: unknown[] } | null;
  return Object.values(book?.parameters ?? {}).some((p) => typeof p === "object" && p !== null && "values" in p) || (book?.rules ?? []).some((r) => typeof r === "object" && r !== null && ((r as { from?: unknown }).from !== undefined || (r as { until?: unknown }).until !== undefined));
}

/**
 * The loop's settings and the rulebook for the run's date: a dated rulebook is resolved for --as-of
 * (today without it). Throws {@link UsageErrorText} (exit 2) or {@link LoopInputError} (exit 1).
 */
export async function startLoop(values: Readonly<Record<string, unknown>>, rulebook: unknown): Promise<{ settings: LoopSettings | undefined; rulebook: unknown; version: RulebookVersion | undefined }> {
  const dated = isDated(rulebook);
  const settings = await loopSettings(values, dated);
  if (!dated || !settings) return { settings, rulebook, version: undefined };
  try {
    return { settings, ...resolveDatedRulebook(rulebook, settings.asOf) };
  } catch (error) {
    if (!isKaoheError(error)) throw error;
    throw new LoopInputError(t(`规则集的有效期有误：`, `the rulebook's dated periods are invalid:`), error.issues);
  }
}

/** What the loop does to each item, and what it keeps for the workbook and the summary. */
export class LoopRun {
  private readonly loop: ScreeningLoop;
  private readonly idFields: Set<string>;
  private readonly idKeys: Set<string>;
  /** Kept for the workbook and --problems only. */
  readonly kept: ScreeningItem[] = [];

  /**
   * @param ids - For a multi-table screening (no one-table `prepared`): the fields holding identity
   *   numbers, and the tables whose key is one. By default read from `prepared`.
   */
  constructor(readonly settings: LoopSettings | undefined, readonly prepared: PreparedRulebook | undefined, readonly version: RulebookVersion | undefined, private readonly keep: boolean, ids?: { readonly fields: Set<string>; readonly keys: Set<string> }) {
    const { fields, keys } = prepared?.rulebook ?? { fields: {}, keys: {} };
    this.idFields = ids?.fields ?? new Set(Object.entries(fields).filter(([, f]) => fieldColumns(f).some((c) => /证件号码|身份证/.test(c))).map(([name]) => name));
    this.idKeys = ids?.keys ?? new Set((["person", "household", "village"] as const).filter((k) => keys[k] !== undefined && this.idFields.has(keys[k] as string)));
    // Exemptions match the raw keys; with --mask-ids, the baseline (perhaps written masked) is compared on masked keys.
    this.loop = new ScreeningLoop({
      asOf: settings?.asOf ?? "1970-01-01",
      ...(settings?.exemptions ? { exemptions: settings.exemptions } : {}),
      ...(settings?.baseline ? { baseline: settings.baseline } : {}),
      ...(settings?.maskIds ? { normalizeId: (id: string) => maskIdsIn(id) } : {}),
      ...(version ? { version } : {}),
    });
  }

  /** Masks (with --mask-ids) and marks one item; keeps it when a workbook or problems are written. */
  process<T extends { readonly kind: string }>(item: T): T {
    let out = item;
    if (out.kind === "finding" || out.kind === "rule_failed") {
      out = this.loop.annotate(out as unknown as LoopSubject) as unknown as T;
    }
    if (this.settings?.maskIds) out = maskItem(out, this.idFields, this.idKeys);
    if (this.keep) this.kept.push(out as unknown as ScreeningItem);
    return out;
  }

  private report: LoopReport | undefined;
  /** The loop's report; with --mask-ids, the earlier findings and exemptions it lists are masked too. */
  finish(): LoopReport {
    if (this.report) return this.report;
    const report = this.loop.finish();
    const m = (text: string) => (this.settings?.maskIds ? maskIdsIn(text) : text);
    this.report = {
      ...report,
      resolvedFindings: report.resolvedFindings.map((f) => ({ ...f, recordId: m(f.recordId), ...(f.householdId ? { householdId: m(f.householdId) } : {}), ...(f.message ? { message: m(f.message) } : {}) })),
      unusedExemptions: report.unusedExemptions.map((u) => ({ ...u, exemption: { ...u.exemption, record: m(u.exemption.record) } })),
    };
    return this.report;
  }

  /** Masks a cell of the record's original columns (--mask-ids). */
  maskCell(header: string, value: string): string {
    if (!this.settings?.maskIds) return value;
    const fields = this.prepared?.rulebook.fields ?? {};
    const isId = [...this.idFields].some((f) => fields[f] !== undefined && fieldColumns(fields[f] as never).includes(header));
    return isId ? maskId(value) : maskIdsIn(value);
  }
}


const STATUS: Readonly<Record<string, Bilingual>> = { new: t("新发现", "new"), persisting: t("仍存在", "persisting") };

/** The extra CSV columns the loop adds: status, exemption, version applied. */
export function loopCsvHeadings(lang: Lang, raw: boolean): string[] {
  return raw || lang === "en" ? ["status", "exemption", "approvedBy", "exemptUntil", "applied"] : ["对比上次", "豁免理由", "批准人", "豁免截止", "适用版本"];
}

/** The loop's cells of one item, for CSV and the workbook. */
export function loopCells(item: ScreeningItem, lang: Lang, raw: boolean): string[] {
  const f = item as Partial<LoopFinding>;
  const status = f.status === undefined ? "" : raw ? f.status : (STATUS[f.status]?.[lang] ?? f.status);
  const e = f.exemption;
  return [status, e?.reason ?? "", e?.approvedBy ?? "", e ? (e.until ?? (lang === "en" ? "no end" : "长期")) : "", f.applied === undefined ? "" : appliedText(f.applied, lang)];
}

/** What the loop adds to a finding's line on standard output: its status and exemption. */
export function loopSuffix(item: ScreeningItem, lang: Lang): string {
  const [status = "", reason, approvedBy, until] = loopCells(item, lang, false);
  const parts = [status, reason ? (lang === "en" ? `exempted: ${reason} (${approvedBy}, until ${until})` : `已豁免：${reason}（${approvedBy}，至 ${until}）`) : ""].filter((p) => p !== "");
  return parts.length > 0 ? `  [${parts.join(lang === "en" ? "; " : "；")}]` : "";
}

function appliedText(a: AppliedVersion, lang: Lang): string {
  const params = Object.entries(a.parameters).map(([n, from]) => (lang === "en" ? `${n} from ${from}` : `${n} 自 ${from}`));
  const rule = a.rule ? [lang === "en" ? `rule ${a.rule.from ?? ""}–${a.rule.until ?? ""}` : `规则 ${a.rule.from ?? ""}–${a.rule.until ?? ""}`] : [];
  return `${a.asOf}: ${[...params, ...rule].join(lang === "en" ? ", " : "，")}`;
}

/** The lines the loop adds to the summary: the date and version, counts against the baseline, unused exemptions. */
export function loopLines(run: LoopRun, lang: Lang): string[] {
  const r = run.finish();
  const s = run.settings;
  const h = (zh: string, en: string) => (lang === "en" ? en : zh);
  const lines: string[] = [""];
  if (s) lines.push(h(`筛查日期 ${r.asOf}${s.asOfGiven ? "" : "（今天；用 --as-of 指定）"}`, `as of ${r.asOf}${s.asOfGiven ? "" : " (today; give --as-of)"}`));
  if (run.version) {
    for (const [name, p] of Object.entries(run.version.parameters)) lines.push(h(`参数 ${name} = ${String(p.value)}（自 ${p.from} 起的取值）`, `parameter ${name} = ${String(p.value)} (the value from ${p.from})`));
    if (run.version.notInForce.length > 0) lines.push(h(`不在有效期内、未运行的规则：${run.version.notInForce.join("、")}`, `rules not in force, not run: ${run.version.notInForce.join(", ")}`));
  }
  if (s?.exemptions) lines.push(h(`已豁免 ${r.exempted} 条（仍列出，标明理由）`, `${r.exempted} findings exempted (still listed, with the reason)`));
  for (const u of r.unusedExemptions) {
    const e = u.exemption;
    const why = u.why === "expired" ? h(`已过期（截止 ${e.until ?? ""}），不再适用，${u.matched} 条问题线索未豁免`, `expired (until ${e.until ?? ""}), no longer applies; ${u.matched} findings not exempted`) : u.why === "not_yet" ? h(`尚未生效（自 ${e.from} 起）`, `not in force yet (from ${e.from})`) : h("没有匹配任何问题线索", "matches no finding");
    lines.push(h(`豁免 ${e.code} ${e.record}：${why}`, `exemption ${e.code} ${e.record}: ${why}`));
  }
  if (r.compared) {
    lines.push(h(`对比上次（${s?.baselinePath ?? ""}）：新发现 ${r.new} 条，仍存在 ${r.persisting} 条，已解决 ${r.resolved} 条`, `against the baseline (${s?.baselinePath ?? ""}): ${r.new} new, ${r.persisting} persisting, ${r.resolved} resolved`));
    const table = (rows: readonly { new: number; persisting: number; resolved: number }[], label: (i: number) => string) => rows.map((c, i) => `  ${label(i)}  ${h("新发现", "new")} ${c.new}  ${h("仍存在", "persisting")} ${c.persisting}  ${h("已解决", "resolved")} ${c.resolved}`);
    lines.push(...table(r.byRule, (i) => r.byRule[i]?.code ?? ""));
    lines.push(...table(r.byTownship, (i) => `${r.byTownship[i]?.county}/${r.byTownship[i]?.township}`));
    lines.push(...table(r.byVillage, (i) => `${r.byVillage[i]?.county}/${r.byVillage[i]?.township}/${r.byVillage[i]?.village}`));
  }
  return lines;
}

/** Updates --problems (a JSON array of rectification problems, created when missing), atomically. */
export async function writeProblems(run: LoopRun): Promise<number> {
  const s = run.settings;
  if (!s?.problemsPath) return 0;
  const { readFileSync } = await import("node:fs");
  let problems: ReturnType<typeof parseRectificationProblem>[] = [];
  if (existsSync(s.problemsPath)) {
    try {
      const list = JSON.parse(readFileSync(s.problemsPath, "utf8").replace(/^\uFEFF/, "")) as unknown[];
      problems = list.map((p) => parseRectificationProblem(p));
    } catch (error) {
      const issues = isKaoheError(error) ? error.issues : [];
      throw new LoopInputError(t(`整改问题清单 ${s.problemsPath} 有误${issues.length ? "：" : `（${(error as Error).message}）`}`, `the problems file ${s.problemsPath} is invalid${issues.length ? ":" : ` (${(error as Error).message})`}`), issues);
    }
  }
  const report = run.finish();
  const targetOn = new Date(Date.parse(`${s.asOf}T00:00:00Z`) + 30 * 86_400_000).toISOString().slice(0, 10);
  const updated = followUpProblems(problems, run.kept.filter((i): i is LoopFinding => i.kind === "finding"), report.resolvedFindings, { on: s.asOf, targetOn: s.targetOn ?? targetOn });
  const file = new AtomicFile(s.problemsPath);
  try {
    await file.write(`${JSON.stringify(updated, null, 2)}\n`);
    await file.commit();
  } catch (error) {
    await file.abort();
    throw error;
  }
  return updated.length;
}

/** A sheet name Excel accepts: at most 31 characters, none of []:*?/\ . */
function sheetName(text: string, used: Set<string>): string {
  const base = text.replace(/[[\]:*?/\\]/g, "_").slice(0, 31);
  let name = base;
  for (let i = 2; used.has(name); i++) name = `${base.slice(0, 27)}(${i})`;
  used.add(name);
  return name;
}

/** A cell's value for the workbook: text stays text (never a formula), numbers stay numbers, dates become YYYY-MM-DD. */
function cellValue(value: unknown): string | number {
  if (typeof value === "number") return value;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return value === null || value === undefined ? "" : String(value);
}

/** Reads the rows the findings name again, for their original columns: the header and the cells by row, per file. */
async function originalRows(prepared: PreparedRulebook, wanted: Map<string, Set<number>>, options: ReadRowsOptions & { headerRow?: number }): Promise<Map<string, { header: string[]; rows: Map<number, readonly unknown[]> }>> {
  const out = new Map<string, { header: string[]; rows: Map<number, readonly unknown[]> }>();
  for (const [file, rows] of wanted) {
    if (file === "-" || !existsSync(file)) continue;
    let header: string[] | undefined;
    const found = new Map<number, readonly unknown[]>();
    const { headerRow, ...read } = options;
    for await (const row of readRows(file, read)) {
      if (!("cells" in row)) continue;
      if (!header) {
        if (headerRow !== undefined ? row.row === headerRow : isHeaderRow(prepared, row.cells)) header = row.cells.map((c) => String(c ?? "").trim());
        continue;
      }
      if (rows.has(row.row)) found.set(row.row, row.cells);
    }
    if (header) out.set(file, { header, rows: found });
  }
  return out;
}

/**
 * Writes the ledger workbook (台账.xlsx): a summary sheet, one sheet per rule with findings (the
 * loop's columns, then the original columns of the finding's record), data-quality findings,
 * resolved findings and unused exemptions; Chinese headers, the header row frozen, text cells as
 * text (a cell beginning with = is never a formula). Written to a temporary file and renamed.
 */
export async function writeLedger(path: string, run: LoopRun, readOptions: ReadRowsOptions & { headerRow?: number }, lang: Lang): Promise<void> {
  const { prepared } = run;
  if (!prepared) throw new Error("the ledger is written for a one-table screening only");
  const report = run.finish();
  const findings = run.kept.filter((i): i is Finding => i.kind === "finding" || i.kind === "rule_failed");
  const wanted = new Map<string, Set<number>>();
  for (const i of run.kept) if (i.file !== undefined) (wanted.get(i.file) ?? wanted.set(i.file, new Set()).get(i.file))?.add(i.row);
  const originals = await originalRows(prepared, wanted, readOptions);
  const book = new ExcelJS.Workbook();
  const used = new Set<string>();
  const sheet = (name: string, headings: string[], rows: (string | number)[][]) => {
    const ws = book.addWorksheet(sheetName(name, used), { views: [{ state: "frozen", ySplit: 1 }] });
    ws.addRow(headings).font = { bold: true };
    for (const r of rows) ws.addRow(r);
    headings.forEach((h, i) => {
      ws.getColumn(i + 1).width = Math.min(40, Math.max(8, h.length * 2 + 2));
    });
    return ws;
  };
  const zh = lang !== "en";
  const h = (a: string, b: string) => (zh ? a : b);
  // The summary sheet: per rule, then per township.
  const perRule = new Map(report.byRule.map((r) => [r.code, r]));
  const counts = new Map<string, { findings: number; failed: number }>();
  for (const f of findings) {
    const c = counts.get(f.code) ?? { findings: 0, failed: 0 };
    if (f.kind === "finding") c.findings++;
    else c.failed++;
    counts.set(f.code, c);
  }
  const title = `${prepared.rulebook.title}（${prepared.rulebook.version}）`;
  const summaryRows: (string | number)[][] = prepared.rulebook.rules.map((rule) => {
    const c = counts.get(rule.code);
    const l = perRule.get(rule.code);
    return [rule.code, rule.title, severityLabel(lang, rule.severity), c?.findings ?? 0, l?.exempted ?? 0, l?.new ?? 0, l?.persisting ?? 0, l?.resolved ?? 0, c?.failed ?? 0];
  });
  const info: (string | number)[][] = [[h("规则集", "rulebook"), title], [h("筛查日期", "as of"), run.settings?.asOf ?? ""]];
  for (const [name, p] of Object.entries(run.version?.parameters ?? {})) info.push([`${h("参数", "parameter")} ${name}`, `${String(p.value)}${h(`（自 ${p.from}）`, ` (from ${p.from})`)}`]);
  for (const [name, value] of Object.entries(prepared.overrides)) info.push([`${h("本次参数", "override")} ${name}`, String(value)]);
  const summary = sheet(h("汇总", "summary"), [h("规则编号", "code"), h("规则名称", "title"), h("严重程度", "severity"), h("问题线索", "findings"), h("其中已豁免", "exempted"), h("新发现", "new"), h("仍存在", "persisting"), h("已解决", "resolved"), h("未判定", "undecided")], summaryRows);
  summary.addRow([]);
  for (const r of info) summary.addRow(r.map(cellValue));
  summary.addRow([]);
  summary.addRow([h("县", "county"), h("乡镇", "township"), h("新发现", "new"), h("仍存在", "persisting"), h("已解决", "resolved"), h("已豁免", "exempted")]).font = { bold: true };
  for (const tw of report.byTownship) summary.addRow([tw.county, tw.township, tw.new, tw.persisting, tw.resolved, tw.exempted]);
  summary.addRow([]);
  summary.addRow([h("县", "county"), h("乡镇", "township"), h("行政村", "village"), h("新发现", "new"), h("仍存在", "persisting"), h("已解决", "resolved"), h("已豁免", "exempted")]).font = { bold: true };
  for (const v of report.byVillage) summary.addRow([v.county, v.township, v.village, v.new, v.persisting, v.resolved, v.exempted]);
  // One sheet per rule with findings.
  const loopHeadings = loopCsvHeadings(lang, false);
  for (const rule of prepared.rulebook.rules) {
    const list = findings.filter((f) => f.code === rule.code);
    if (list.length === 0) continue;
    // The original columns of every file the rule's findings come from, each once, in order of appearance.
    const header = [...new Set(list.flatMap((f) => originals.get(f.file ?? "")?.header ?? []))];
    const rows = list.map((f) => {
      const original = originals.get(f.file ?? "");
      const byName = new Map((original?.header ?? []).map((name, i) => [name, original?.rows.get(f.row)?.[i]]));
      const cells = header.map((name) => byName.get(name));
      return [
        f.kind === "finding" ? h("问题线索", "finding") : h("规则未判定", "undecided"),
        ...loopCells(f, lang, false),
        f.message, f.unit.county, f.unit.township, f.unit.village, f.recordId, f.householdId ?? "", f.file ?? "", f.row,
        ...header.map((col, i) => {
          const v = cellValue(cells[i]);
          return typeof v === "string" ? run.maskCell(col, v) : v;
        }),
      ];
    });
    sheet(`${rule.code} ${rule.title}`, [h("类型", "kind"), ...loopHeadings, h("说明", "message"), "县", "乡镇", "村", h("记录编号", "record"), h("户编号", "household"), h("文件", "file"), h("行号", "row"), ...header], rows);
  }
  const quality = run.kept.filter((i) => i.kind === "data_quality");
  if (quality.length > 0) {
    sheet(h("数据质量问题", "data quality"), [h("问题", "code"), h("列", "column"), h("取值", "value"), h("说明", "reason"), "县", "乡镇", "村", h("记录编号", "record"), h("文件", "file"), h("行号", "row")], quality.map((q) => [q.code, q.column, cellValue(q.value), zh ? q.zh : q.reason, q.unit.county, q.unit.township, q.unit.village, q.recordId, q.file ?? "", q.row]));
  }
  if (report.compared) {
    sheet(h("已解决", "resolved"), [h("规则编号", "code"), h("规则名称", "title"), h("说明（上次）", "message (last run)"), "县", "乡镇", "村", h("记录编号", "record"), h("户编号", "household")], report.resolvedFindings.map((f) => [f.code, f.title ?? "", f.message ?? "", f.unit.county, f.unit.township, f.unit.village, f.recordId, f.householdId ?? ""]));
  }
  if (report.unusedExemptions.length > 0) {
    const why = { expired: h("已过期", "expired"), not_yet: h("尚未生效", "not yet in force"), unmatched: h("未匹配", "unmatched") };
    sheet(h("豁免未生效", "exemptions unused"), [h("规则编号", "code"), h("记录编号", "record"), h("豁免理由", "reason"), h("批准人", "approved by"), h("起始日期", "from"), h("截止日期", "until"), h("情况", "why"), h("涉及问题线索", "findings")], report.unusedExemptions.map((u) => [u.exemption.code, u.exemption.record, u.exemption.reason, u.exemption.approvedBy, u.exemption.from, u.exemption.until ?? "", why[u.why], u.matched]));
  }
  // Text cells as text: exceljs writes a string as a shared string, never as a formula.
  const bytes = new Uint8Array(await book.xlsx.writeBuffer());
  const file = new AtomicFile(path);
  try {
    await file.write(bytes);
    await file.commit();
  } catch (error) {
    await file.abort();
    throw error;
  }
}

/** Prints a loop input error (with its issues) for {@link LoopInputError}. */
export function loopErrorLines(error: LoopInputError, lang: Lang): string[] {
  const head = lang === "en" ? error.text.en : error.text.zh;
  return [head, ...error.issues.map((i) => `  ${i.path.join(" › ")}: ${lang === "en" ? i.message : (i.zh ?? i.message)} [${i.code}]`)];
}
