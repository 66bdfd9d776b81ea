import { statSync } from "node:fs";
import { isKaoheError } from "../internal/errors";
import { FindingTally, type FindingSummary } from "../screening/summary";
import { safePrepareRulebook, type PreparedRulebook } from "../screening/prepare";
import type { ScreeningItem, SkippedRule } from "../screening/evaluate";
import type { ScreeningCounts } from "../screening/screen";
import { normalizeEncoding, type CsvEncoding } from "../screening/node/encoding";
import { createEvaluatorPool, type EvaluatorPool } from "../screening/node/pool";
import { screenFile } from "../screening/node/run";
import { stringOption, type CommandSpec, type Parsed } from "./args";
import { runCommand } from "./command";
import { EXIT, UsageError, readJson, reportIssues, type CliIO, type Ctx } from "./io";
import { say, severityLabel, t, type Lang } from "./lang";
import { AtomicFile, checkOutputPath, csvCell } from "./output";
import { renderTable } from "./table";
import { findingTables } from "./screen-summary";
import { isTablesRulebook, screenTablesRun, tableFiles, type TableRunSettings } from "./screen-tables";
import { LoopInputError, LoopRun, UsageErrorText, loopCells, loopCsvHeadings, loopSuffix, loopErrorLines, loopLines, startLoop, writeLedger, writeProblems, type LoopSettings } from "./screen-loop";
import type { RulebookVersion } from "../screening/loop/dated";

/** The declaration of `kaohe screen`, from which its parsing and help are made. */
export const SCREEN_SPEC: CommandSpec = {
  name: "screen",
  args: "--rules <rulebook.json> <file.csv|file.xlsx|->…",
  summary: t(
    "用筛查规则集逐村逐户过筛 CSV 或 Excel 导出文件，列出每条问题线索，再按文件、规则、乡镇汇总；发现问题不算出错。",
    "Screens CSV or Excel exports with a rulebook (逐村逐户过筛), lists every finding, then totals per file, rule and township; findings are not an error.",
  ),
  options: {
    rules: { type: "string", value: "<rulebook.json>", help: t("筛查规则集（必填）", "the rulebook (required)") },
    out: { type: "string", short: "o", value: "<findings.csv|findings.ndjson|台账.xlsx>", help: t("把问题线索写入文件（按扩展名用 CSV、NDJSON 或 Excel 台账）；运行成功才替换已有文件，且不能是输入文件", "write the findings to a file (CSV, NDJSON or an Excel ledger by its extension); an existing file is replaced only when the run succeeds, and it may not be an input") },
    "raw-csv": { type: "boolean", help: t("CSV 供程序读取时使用：不给以 = + - @ 开头的单元格加 ' 前缀", "for CSV read by programs: do not prefix cells that begin with = + - @ with '") },
    workers: { type: "string", value: "<N>", default: "0", help: t("并行计算的工作线程数（0 为不用线程）", "worker threads evaluating rules (0: none)") },
    encoding: { type: "string", value: "<auto|utf8|gbk|gb18030>", default: "auto", help: t("CSV 的编码；auto 时自动判断", "the CSV's encoding; auto detects it") },
    "header-row": { type: "string", value: "<N>", help: t("表头所在行（默认自动查找）", "the row holding the header (found by default)") },
    sheet: { type: "string", value: "<名称|序号>", help: t("Excel 工作簿中要读取的工作表（名称或从 1 起的序号）；默认第一个非空工作表", "the worksheet of a workbook to read (name or 1-based number); by default the first non-empty one") },
    engine: { type: "string", value: "<js|duckdb>", choices: ["js", "duckdb"], default: "js", help: t("筛查引擎：js，或 duckdb（把规则集编译为 SQL，在内嵌 DuckDB 上筛查大文件，结果相同；需安装 @duckdb/node-api，见 docs/sql.md）", "the engine: js, or duckdb (the rulebook compiled to SQL on embedded DuckDB, for big files, with the same results; needs @duckdb/node-api, see docs/sql.md)") },
    table: { type: "string", value: "<表名=文件>", multiple: true, help: t("多表规则集（声明了 tables）的一张表及其文件，如 --table persons=监测对象信息.xlsx；可多次给出，同一张表可给多个文件（见 docs/screening.md「多表联合过筛」）", "a table of a multi-table rulebook (one declaring tables) and its file, e.g. --table persons=persons.xlsx; may be repeated, also for several files of one table (see docs/screening.md, \"Several exports\")") },
    // The re-screening loop (issue 14): src/cli/screen-loop.ts.
    exemptions: { type: "string", value: "<豁免清单.json|csv|xlsx>", help: t("豁免清单（规则编号、记录编号、豁免理由、批准人、起始日期、截止日期）：匹配的问题线索标明已豁免，仍然列出；过期或未匹配的豁免另行列出", "an exemption list (code, record, reason, approvedBy, from, until): matching findings are marked exempted, still listed; expired or unmatched exemptions are listed") },
    baseline: { type: "string", value: "<上次问题线索.csv|ndjson>", help: t("上次 kaohe screen 写出的问题线索文件：按规则编号和记录编号标明新发现、仍存在、已解决", "the findings file of an earlier kaohe screen: each finding new, persisting or resolved, by rule code and record key") },
    "as-of": { type: "string", value: "<YYYY-MM-DD>", help: t("筛查日期：据此选用有日期的参数和规则、判断豁免是否有效（默认今天）", "the run's date: picks dated parameters and rules, judges exemptions (default today)") },
    "mask-ids": { type: "boolean", help: t("在所有输出中遮蔽证件号码（保留前 6 位和后 4 位）", "mask 证件号码 in every output (keeping the first 6 and last 4 characters)") },
    problems: { type: "string", value: "<整改问题.json>", help: t("整改问题清单（JSON）：新问题线索登记为待整改，已解决的销号，仍存在的已整改问题回炉；不存在则新建", "rectification problems (JSON): new findings become 待整改 problems, resolved ones are closed, persisting 已整改 ones are sent back; created when missing") },
    param: { type: "string", value: "<name=value>", multiple: true, help: t("本次运行覆盖规则集的一个参数（如 --param incomeLine=7600），按其声明的类型检查；可多次给出", "override a rulebook parameter for this run (e.g. --param incomeLine=7600), checked against its declared type; may be repeated") },
  },
  exits: [
    [EXIT.invalid, t("规则集有误、文件无法读取或没有读完；汇总会写明哪些文件没有筛查", "an invalid rulebook, or a file unreadable or not read to its end; the summary names the files not screened")],
    [3, t("筛查运行了但不完整：有规则因文件缺列（或没有适用的文件）未能运行，或有行未能筛查；汇总末尾的「不完整」逐条列出", "the screening ran but is incomplete: a rule could not run (a column missing, or no file of its kind), or rows were not screened; the INCOMPLETE lines at the end list each")],
  ],
  examples: [
    "kaohe screen --rules examples/screening/rulebook.json examples/screening/synthetic-households.csv",
    "kaohe screen --rules examples/screening/rulebook.json examples/screening/synthetic-households.csv --out findings.csv",
    "kaohe screen --rules examples/screening/rulebook.json examples/screening/synthetic-households.csv --param incomeLine=7600",
  ],
  notes: [
    t(
      "写给人看的 CSV（带 BOM，Excel、WPS 可直接打开）中，以 =、+、-、@、制表符或回车开头且不是普通数字的单元格前加 '，防止被当作公式执行（OWASP CSV 注入防护）；供程序读取时加 --raw-csv。NDJSON 始终保持原样。",
      "CSV written for people (with a BOM, for Excel and WPS) gets a leading ' on a cell that begins with =, +, -, @, tab or carriage return and is not a plain number, so that it is never run as a formula (OWASP CSV injection guidance); pass --raw-csv for programs. NDJSON is always raw.",
    ),
  ],
};

/**
 * What `kaohe screen` may use beyond {@link CliIO}. Both are optional: without `progress`, a
 * progress line is drawn on standard error only when it is a terminal.
 */
export interface ScreenCliIO extends CliIO {
  /** Shows a transient progress line (rows/s, elapsed); `undefined` text clears it. */
  progress?(text: string | undefined): void;
  /** Milliseconds of a monotonic clock, for the progress line (default `performance.now`). */
  now?(): number;
}

/** Exit code of a screening that ran but is incomplete: a rule could not run on a file (a column missing, rows of the wrong kind), or rows were not screened. */
export const EXIT_INCOMPLETE = 3;

const MAX_WORKERS = 64;
/** Rejected rows shown on standard error when the findings go to --out. */
const SHOWN_REJECTIONS = 20;

function positiveInt(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new UsageError(t(`--${name} 必须是 ${min} 到 ${max} 的整数（收到 "${text}"）`, `--${name} must be a whole number from ${min} to ${max} (got "${text}")`));
  }
  return value;
}

/** The size of a file in bytes, or `undefined` when it cannot be told (a pipe, a missing file: the reader reports that). */
function fileSize(file: string): number | undefined {
  try {
    const stat = statSync(file);
    return stat.isFile() ? stat.size : undefined;
  } catch {
    return undefined;
  }
}

/** Node's own progress line: rewritten in place with a carriage return, on a terminal only. */
function ttyProgress(): ((text: string | undefined) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (text) => process.stderr.write(text === undefined ? "\r\u001b[K" : `\r\u001b[K${text}`);
}

const CSV_COLUMNS = ["kind", "code", "title", "severity", "subject", "recordId", "householdId", "county", "township", "village", "message", "values", "file", "row"];
/** The findings CSV's column headers for people, in Chinese (the default) and English. */
const CSV_HEADINGS: Readonly<Record<Lang, readonly string[]>> = {
  zh: ["类型", "规则编号", "规则名称", "严重程度", "对象", "记录编号", "户编号", "县", "乡镇", "村", "说明", "取值", "文件", "行号"],
  en: CSV_COLUMNS,
};
const KIND_LABEL: Readonly<Record<string, { zh: string; en: string }>> = {
  finding: t("问题线索", "finding"),
  rule_failed: t("规则未判定", "rule_failed"),
  rejected: t("无法读取的行", "rejected"),
  data_quality: t("数据质量问题", "data_quality"),
};

/** One output line per finding or rejected row, as NDJSON (raw) or CSV (for people, in a language). */
function formatItem(item: ScreeningItem, format: "csv" | "ndjson", lang: Lang, neutralise: boolean): string {
  if (format === "ndjson") return `${JSON.stringify(item)}\n`;
  // CSV for people speaks the reader's language; --raw-csv (for programs) keeps the codes.
  const kind = !neutralise || lang === "en" ? item.kind : (KIND_LABEL[item.kind]?.zh ?? item.kind);
  const severity = (value: string) => (neutralise ? severityLabel(lang, value) : value);
  const cells =
    item.kind === "rejected"
      ? [kind, item.code, "", "", "", "", "", "", "", "", item.reason, "", item.file ?? "", String(item.row)]
      : item.kind === "data_quality"
        ? [kind, item.code, item.column, "", item.subject, item.recordId, item.householdId ?? "", item.unit.county, item.unit.township, item.unit.village, lang === "en" ? item.reason : item.zh, JSON.stringify({ [item.field]: item.value }), item.file ?? "", String(item.row)]
        : [kind, item.code, item.title, severity(item.severity), item.subject, item.recordId, item.householdId ?? "", item.unit.county, item.unit.township, item.unit.village, item.message, JSON.stringify(item.values), item.file ?? "", String(item.row)];
  return `${cells.map((c) => csvCell(c, neutralise)).join(",")}\n`;
}

/** One line per finding or rejected row on standard output, when there is no --out. */
function showItem(item: ScreeningItem, lang: Lang): string {
  const where = `${item.file ?? ""}:${item.row}`;
  if (item.kind === "rejected") return `${where}  ${lang === "en" ? "rejected" : "无法读取"}  ${item.reason} [${item.code}]`;
  const unit = `${item.unit.county}/${item.unit.township}/${item.unit.village}`;
  if (item.kind === "data_quality") return `${where}  ${lang === "en" ? "data quality" : "数据质量"} ${item.code}  ${unit}  ${item.recordId}  ${lang === "en" ? item.reason : item.zh}`;
  const kind = item.kind === "rule_failed" ? (lang === "en" ? "  (rule failed)" : "  （规则未判定）") : "";
  return `${where}  ${item.code} ${severityLabel(lang, item.severity)}  ${unit}  ${item.recordId}  ${item.message}${kind}`;
}

/**
 * Runs `kaohe screen`: screens CSV and XLSX files with a rulebook, streaming, and writes the
 * findings and rejected rows in input order (to `--out` as CSV or NDJSON by its extension, or to
 * standard output), then a summary table. Rejected rows never stop the run.
 *
 * For instance, screening the synthetic households of the repository prints one line per finding
 * (file:row, code, severity, 县/乡/村, record key, message), then the tables per file, rule and
 * township, and exits with 0 although there are findings:
 *
 * ```sh
 * kaohe screen --rules examples/screening/rulebook.json examples/screening/synthetic-households.csv
 * # examples/screening/synthetic-households.csv:4  SC02 high  示例县/甲乡/一村  SYN-0104  以帮扶消除风险，但人均纯收入7599.99元低于监测收入标准7600元
 * # …
 * # 21 rows read, 21 screened, 0 rejected; 7 findings, 0 rules undecided; 0.0 s
 * ```
 *
 * @param args - The arguments after `screen`.
 * @param io - Output channels and the rulebook reader; see {@link ScreenCliIO} for the optional progress line.
 * @returns The exit code: 0 when it ran (findings are not an error), 1 for an invalid rulebook or an unreadable file, 2 for a usage error, 3 when it ran but is incomplete (a rule could not run on a file, or rows were not screened).
 */
export async function runScreenCommand(args: string[], io: ScreenCliIO): Promise<number> {
  return await runCommand(SCREEN_SPEC, args, io, (ctx, parsed) => screen(ctx, parsed, io));
}

/** The loop's options a multi-table screening does not take yet (the others it does: decision 0307). */
const LOOP_OPTIONS = ["problems"] as const;

async function screen(ctx: Ctx, parsed: Parsed, io: ScreenCliIO): Promise<number> {
  const files = parsed.positionals;
  const rulesPath = stringOption(parsed, "rules");
  if (rulesPath === undefined) throw new UsageError(t("需要 --rules <规则集.json>", "--rules <rulebook.json> is required"));
  const tableValues = parsed.values.table;
  const tables = tableFiles(Array.isArray(tableValues) ? tableValues : typeof tableValues === "string" ? [tableValues] : []);
  if (files.length === 0 && tables.length === 0) throw new UsageError(t("至少给出一个要筛查的 CSV 或 XLSX 文件", "give at least one CSV or XLSX file to screen"));
  const workers = positiveInt("workers", stringOption(parsed, "workers"), 0, MAX_WORKERS) ?? 0;
  // --engine duckdb (issue 11): the compiled rulebook on embedded DuckDB, see src/sql/node/duckdb.ts.
  const engine = stringOption(parsed, "engine") === "duckdb" ? "duckdb" : "js";
  if (engine === "duckdb" && stringOption(parsed, "workers") !== undefined) throw new UsageError(t("--workers 只用于 js 引擎；DuckDB 有自己的线程", "--workers is for the js engine; DuckDB uses its own threads"));
  const stdin = files.filter((f) => f === "-").length;
  if (stdin > 1) throw new UsageError(t("标准输入（-）只能读一次", "standard input (-) can be read only once"));
  if (stdin > 0 && engine === "duckdb") throw new UsageError(t("--engine duckdb 按文件名读取导出文件，不能读标准输入（-）", "--engine duckdb reads exports by file name, not from standard input (-)"));
  const headerRow = positiveInt("header-row", stringOption(parsed, "header-row"), 1, 1_000_000);
  let encoding: CsvEncoding = "auto";
  const encodingText = stringOption(parsed, "encoding");
  if (encodingText !== undefined) {
    const normalized = normalizeEncoding(encodingText);
    if (!normalized) throw new UsageError(t(`--encoding 只能是 auto、utf8、gbk 或 gb18030（收到 "${encodingText}"）`, `--encoding must be auto, utf8, gbk or gb18030 (got "${encodingText}")`));
    encoding = normalized;
  }
  let out: RunSettings["out"];
  const outPath = stringOption(parsed, "out");
  if (outPath !== undefined) {
    const format = /\.csv$/i.test(outPath) ? "csv" : /\.(ndjson|jsonl)$/i.test(outPath) ? "ndjson" : /\.xlsx$/i.test(outPath) ? "xlsx" : undefined;
    if (!format) throw new UsageError(t(`--out 的文件名必须以 .csv、.ndjson 或 .xlsx 结尾（收到 "${outPath}"）`, `--out must end in .csv, .ndjson or .xlsx (got "${outPath}")`));
    // Before anything is read or opened: an output that is an input, or in a missing folder, is refused.
    const problem = checkOutputPath(outPath, [rulesPath, ...files, ...tables.map((f) => f.file)]);
    if (problem) throw new UsageError(problem);
    out = { path: outPath, format };
  }
  const sheetText = stringOption(parsed, "sheet");
  const sheet = sheetText === undefined ? undefined : /^\d+$/.test(sheetText) ? Number(sheetText) : sheetText;
  const parameters: Record<string, string> = {};
  const params = parsed.values.param;
  for (const text of Array.isArray(params) ? params : typeof params === "string" ? [params] : []) {
    const eq = text.indexOf("=");
    if (eq <= 0) throw new UsageError(t(`--param 需要 名称=值，例如 --param incomeLine=7600（收到 "${text}"）`, `--param needs name=value, e.g. --param incomeLine=7600 (got "${text}")`));
    parameters[text.slice(0, eq)] = text.slice(eq + 1);
  }
  const json = readJson(io, rulesPath);
  if (!json.ok) {
    ctx.err(json.message);
    return EXIT.invalid;
  }
  let loop: Awaited<ReturnType<typeof startLoop>>;
  try {
    loop = await startLoop(parsed.values, json.value);
  } catch (error) {
    if (error instanceof UsageErrorText) throw new UsageError(error.text);
    if (!(error instanceof LoopInputError)) throw error;
    for (const line of loopErrorLines(error, ctx.lang)) ctx.err(line);
    return EXIT.invalid;
  }
  // Several exports joined by keys (issue 14): src/cli/screen-tables.ts.
  if (tables.length > 0 || isTablesRulebook(json.value)) {
    if (engine === "duckdb") throw new UsageError(t("多表筛查（--table）只用 js 引擎", "a multi-table screening (--table) uses the js engine only"));
    const loopOption = LOOP_OPTIONS.find((name) => parsed.values[name] !== undefined);
    if (loopOption) throw new UsageError(t(`多表筛查（--table）尚不支持 --${loopOption}`, `a multi-table screening (--table) does not take --${loopOption} yet`));
    if (out?.format === "xlsx") throw new UsageError(t("多表筛查（--table）的 --out 须为 .csv 或 .ndjson", "a multi-table screening (--table) writes --out as .csv or .ndjson only"));
    // The lists and the date; a multi-table rulebook has no dated periods (its schema refuses them), so json.value is given as read.
    return screenTablesRun(ctx, json.value, files, tables, { rulesPath, workers, headerRow, sheet, encoding, out: out as TableRunSettings["out"], neutralise: parsed.values["raw-csv"] !== true, parameters, loop: loop.settings, ...(io.now ? { now: io.now } : {}) });
  }
  const problemsProblem = loop.settings?.problemsPath === undefined ? undefined : checkOutputPath(loop.settings.problemsPath, [rulesPath, ...files]);
  if (problemsProblem) {
    // checkOutputPath speaks of --out; this output is --problems. A bad output path is a usage error (decision 0602).
    throw new UsageError({ zh: problemsProblem.zh.replace(/^--out /, "--problems "), en: problemsProblem.en.replace(/^--out /, "--problems ") });
  }
  const prepared = safePrepareRulebook(loop.rulebook, { parameters });
  if (!prepared.success) {
    reportIssues(ctx, rulesPath, prepared.error.issues);
    return EXIT.invalid;
  }
  return screenFiles(ctx, prepared.data, loop.rulebook, files, { workers, headerRow, sheet, encoding, out, neutralise: parsed.values["raw-csv"] !== true, engine, loop: loop.settings, version: loop.version }, io);
}

interface RunSettings {
  workers: number;
  headerRow: number | undefined;
  sheet: string | number | undefined;
  encoding: CsvEncoding;
  out: { path: string; format: "csv" | "ndjson" | "xlsx" } | undefined;
  neutralise: boolean;
  engine: "js" | "duckdb";
  loop: LoopSettings | undefined;
  version: RulebookVersion | undefined;
}

interface FileOutcome {
  file: string;
  counts?: ScreeningCounts;
  error?: string;
}

async function screenFiles(ctx: Ctx, prepared: PreparedRulebook, rulebook: unknown, files: string[], settings: RunSettings, io: ScreenCliIO): Promise<number> {
  const { out } = settings;
  const { lang } = ctx;
  const progress = io.progress ?? ttyProgress();
  const now = io.now ?? (() => performance.now());
  const started = now();
  const tally = new FindingTally({ rules: prepared.rulebook.rules });
  const perFile: FileOutcome[] = [];
  let writer: AtomicFile | undefined;
  let pool: EvaluatorPool | undefined;
  let rejectionsShown = 0;
  let rejections = 0;
  let rowsBefore = 0;
  let completed = false;
  // The loop (exemptions, baseline, dates, masking); it keeps the items only for a workbook or --problems.
  const looping = settings.loop !== undefined || settings.version !== undefined;
  const run = new LoopRun(settings.loop, prepared, settings.version, out?.format === "xlsx" || settings.loop?.problemsPath !== undefined);
  const loopCsv = (item: ScreeningItem) => (looping && out?.format === "csv" ? `,${loopCells(item, lang, !settings.neutralise).map((c) => csvCell(c, settings.neutralise)).join(",")}` : "");
  try {
    if (out && out.format !== "xlsx") {
      writer = new AtomicFile(out.path);
      if (out.format === "csv") await writer.write(`\uFEFF${[...(settings.neutralise ? CSV_HEADINGS[lang] : CSV_COLUMNS), ...(looping ? loopCsvHeadings(lang, !settings.neutralise) : [])].join(",")}\n`);
    }
    if (settings.workers > 0) pool = createEvaluatorPool(settings.workers, { rulebook, parameters: prepared.overrides });
    const screen = settings.engine === "duckdb" ? (await import("../sql/node/duckdb")).screenFileDuckdb : screenFile;
    for (const file of files) {
      const fileStarted = now();
      const size = file === "-" ? undefined : fileSize(file);
      const result = await screen(prepared, file, {
        encoding: settings.encoding,
        ...(settings.headerRow === undefined ? {} : { headerRow: settings.headerRow }),
        ...(settings.sheet === undefined ? {} : { sheet: settings.sheet }),
        ...(pool ? { pool } : {}),
        onItems: async (screened) => {
          for (const item of screened.map((i) => run.process(i))) {
            if (item.kind === "rejected") {
              rejections++;
              if (out && rejectionsShown < SHOWN_REJECTIONS) {
                rejectionsShown++;
                io.stderr(`${item.file ?? file}:${item.row}: ${item.reason} [${item.code}]`);
              }
            } else tally.add(item);
            if (writer && out && out.format !== "xlsx") await writer.write(out.format === "csv" ? `${formatItem(item, out.format, lang, settings.neutralise).slice(0, -1)}${loopCsv(item)}\n` : formatItem(item, out.format, lang, settings.neutralise));
            else if (!out) io.stdout(`${showItem(item, lang)}${looping ? loopSuffix(item, lang) : ""}`);
          }
        },
        onProgress: (rowsRead, bytesRead) => {
          if (!progress) return;
          const seconds = (now() - started) / 1000;
          const rows = rowsBefore + rowsRead;
          const rate = Math.round(rows / Math.max(seconds, 0.001)).toLocaleString("en-US");
          const line = t(`${file}：已读 ${rows.toLocaleString("en-US")} 行，每秒 ${rate} 行，${seconds.toFixed(1)} 秒`, `${file}: ${rows.toLocaleString("en-US")} rows, ${rate} rows/s, ${seconds.toFixed(1)} s`);
          // Where the size is known (a file, not standard input): the share read and the time left at this file's pace.
          const share = size === undefined || size === 0 || bytesRead === undefined ? undefined : Math.min(bytesRead / size, 1);
          const spent = (now() - fileStarted) / 1000;
          const left = share === undefined || share === 0 ? undefined : (spent * (1 - share)) / share;
          const more = share === undefined || left === undefined ? t("", "") : t(`，${Math.floor(share * 100)}%，约剩 ${Math.ceil(left)} 秒`, `, ${Math.floor(share * 100)}%, about ${Math.ceil(left)} s left`);
          progress(`${say(lang, line)}${say(lang, more)}`);
        },
      });
      progress?.(undefined);
      // Why a file was not screened, in the run's language (the reader gives a Chinese reason for each).
      const why = result.ok ? "" : lang === "en" || result.zh === undefined ? result.reason : result.zh;
      if (!result.ok) io.stderr(`${file}: ${why}`);
      else {
        const sheetRead = result.reading?.sheet;
        if (sheetRead) {
          const passed = sheetRead.passed.length > 0 ? t(`（跳过了 ${sheetRead.passed.join("、")}）`, ` (passed over ${sheetRead.passed.join(", ")})`) : t("", "");
          ctx.err(t(`${file}：读取工作表「${sheetRead.name}」（第 ${sheetRead.number} 个）${passed.zh}`, `${file}: read the sheet "${sheetRead.name}" (number ${sheetRead.number})${passed.en}`));
        }
        for (const failure of result.workerFailures) {
          const [first, last] = failure.rows;
          ctx.err(
            t(
              `${file}：工作线程在筛查第 ${first}-${last} 行时退出（${failure.reason}）；已重新筛查，${failure.notScreened} 条记录未能筛查`,
              `${file}: a worker stopped while screening rows ${first}-${last} (${failure.reason}); screened again, ${failure.notScreened} records not screened`,
            ),
          );
        }
      }
      if (result.counts) rowsBefore += result.counts.rowsRead;
      perFile.push(result.ok ? { file, counts: result.counts } : { file, error: why, ...(result.counts ? { counts: result.counts } : {}) });
    }
    completed = true;
  } catch (error) {
    if (isKaoheError(error)) {
      reportIssues(ctx, "screening", error.issues);
      return EXIT.invalid;
    }
    const code = (error as { code?: unknown }).code;
    const detail = typeof code === "string" ? code : (error as Error).message;
    ctx.err(out ? t(`kaohe screen：${out.path}：无法写入（${detail}），原有文件未改动`, `kaohe screen: ${out.path}: cannot write (${detail}); the previous file is unchanged`) : `kaohe screen: ${detail}`);
    return EXIT.invalid;
  } finally {
    await pool?.close();
    if (writer && !completed) await writer.abort();
  }
  const failed = perFile.filter((f) => f.error !== undefined);
  // A run in which a file could not be screened is not a clean run: the old output stays, exit 1.
  if (writer) {
    if (failed.length > 0) await writer.abort();
    else await writer.commit();
  }
  if (failed.length === 0) {
    try {
      if (out?.format === "xlsx") await writeLedger(out.path, run, { encoding: settings.encoding, ...(settings.sheet === undefined ? {} : { sheet: settings.sheet }), ...(settings.headerRow === undefined ? {} : { headerRow: settings.headerRow }) }, lang);
      await writeProblems(run);
    } catch (error) {
      if (!(error instanceof LoopInputError)) {
        ctx.err(t(`kaohe screen：无法写入（${(error as Error).message}），原有文件未改动`, `kaohe screen: cannot write (${(error as Error).message}); the previous file is unchanged`));
        return EXIT.invalid;
      }
      for (const line of loopErrorLines(error, lang)) ctx.err(line);
      return EXIT.invalid;
    }
  }
  if (out && rejections > rejectionsShown) ctx.err(t(`…… 另有 ${rejections - rejectionsShown} 行无法读取，见 ${out.path}`, `… ${rejections - rejectionsShown} more rejected rows in ${out.path}`));
  for (const line of summaryLines(lang, perFile, tally.summary(), (now() - started) / 1000)) io.stdout(line);
  if (looping) for (const line of loopLines(run, lang)) io.stdout(line);
  if (failed.length > 0) {
    ctx.err(
      t(
        `筛查未完成：${failed.length} 个文件没有筛查（${failed.map((f) => f.file).join("、")}），以上汇总不含这些文件${out ? `；${out.path} 未写入` : ""}`,
        `screening incomplete: ${failed.length} file(s) not screened (${failed.map((f) => f.file).join(", ")}); the totals above leave them out${out ? `; ${out.path} was not written` : ""}`,
      ),
    );
    return EXIT.invalid;
  }
  const { lines: incomplete, complete } = incompleteLines(perFile, prepared, lang);
  for (const line of incomplete) io.stdout(line);
  return complete ? EXIT.ok : EXIT_INCOMPLETE;
}

/** The parameters overridden for this run, and the rules that could not run, by file, named with their title and why: printed last, where a reader looks. */
function incompleteLines(perFile: readonly FileOutcome[], prepared: PreparedRulebook, lang: Lang): { lines: string[]; complete: boolean } {
  const lines: string[] = [];
  let complete = true;
  const overrides = Object.entries(prepared.overrides);
  if (overrides.length > 0) {
    const list = (zh: boolean) =>
      overrides
        .map(([name, value]) => {
          const declared = prepared.rulebook.parameters[name];
          return zh ? `${name}=${String(value)}（${declared?.title ?? name}；默认 ${String(declared?.value)}）` : `${name}=${String(value)} (${declared?.title ?? name}; default ${String(declared?.value)})`;
        })
        .join(zh ? "，" : ", ");
    lines.push(say(lang, t(`本次参数：${list(true)}`, `parameters for this run: ${list(false)}`)));
  }
  const titles = new Map(prepared.rulebook.rules.map((rule) => [rule.code, rule.title]));
  const show = (skipped: SkippedRule) => `  ${skipped.code} ${titles.get(skipped.code) ?? ""}: ${lang === "en" ? skipped.reason : skipped.zh}`;
  // A rule skipped for the kind of rows is incomplete only if no file of the run could run it.
  const ran = new Set<string>();
  for (const { counts } of perFile) {
    if (!counts) continue;
    const skipped = new Set(counts.skipped.map((s) => s.code));
    for (const rule of prepared.rulebook.rules) if (!skipped.has(rule.code)) ran.add(rule.code);
  }
  const notRun = new Map<string, SkippedRule>();
  for (const { file, counts } of perFile) {
    if (!counts) continue;
    const columns = counts.skipped.filter((s) => s.why === "columns");
    if (columns.length > 0) {
      complete = false;
      lines.push(say(lang, t(`不完整 ${file}：${columns.length} 条规则未能运行：`, `INCOMPLETE ${file}: ${columns.length} rule${columns.length > 1 ? "s" : ""} could not run:`)));
      lines.push(...columns.map(show));
    }
    for (const skipped of counts.skipped) if (skipped.why === "level" && !ran.has(skipped.code) && !notRun.has(skipped.code)) notRun.set(skipped.code, skipped);
    if (counts.notScreened > 0) {
      complete = false;
      lines.push(say(lang, t(`不完整 ${file}：${counts.notScreened} 行未能筛查（其工作线程两次退出）`, `INCOMPLETE ${file}: ${counts.notScreened} rows not screened (their worker stopped twice)`)));
    }
  }
  if (notRun.size > 0) {
    complete = false;
    lines.push(say(lang, t(`不完整：${notRun.size} 条规则在本次的任何文件上都没有运行：`, `INCOMPLETE: ${notRun.size} rule${notRun.size > 1 ? "s" : ""} ran on no file of this run:`)));
    lines.push(...[...notRun.values()].map(show));
  }
  return { lines, complete };
}

function summaryLines(lang: Lang, perFile: readonly FileOutcome[], summary: FindingSummary, seconds: number): string[] {
  const n = (value: number) => value.toLocaleString("en-US");
  const h = (zh: string, en: string) => (lang === "en" ? en : zh);
  const lines: string[] = [""];
  lines.push(
    ...renderTable(
      [{ heading: h("文件", "file") }, { heading: h("对象", "rows") }, { heading: h("读取", "read"), align: "right" }, { heading: h("筛查", "screened"), align: "right" }, { heading: h("无法读取", "rejected"), align: "right" }, { heading: h("备注", "note") }],
      perFile.map(({ file, counts, error }) => [
        file,
        counts ? `${counts.level}` : "",
        counts ? n(counts.rowsRead) : "",
        counts ? n(counts.rowsScreened) : "",
        counts ? n(counts.rowsRejected) : "",
        error !== undefined ? h(`未筛查：${error}`, `NOT SCREENED: ${error}`) : counts && counts.skipped.length > 0 ? h(`未运行：${counts.skipped.map((s) => s.code).join("、")}`, `not run: ${counts.skipped.map((s) => s.code).join(", ")}`) : "",
      ]),
    ),
  );
  lines.push("");
  lines.push(...findingTables(lang, summary));
  const read = perFile.reduce((sum, f) => sum + (f.counts?.rowsRead ?? 0), 0);
  const rejected = perFile.reduce((sum, f) => sum + (f.counts?.rowsRejected ?? 0), 0);
  const notScreened = perFile.filter((f) => f.error !== undefined).length;
  lines.push("");
  if (summary.dataQuality > 0) lines.push(h(`数据质量问题 ${n(summary.dataQuality)} 条`, `${n(summary.dataQuality)} data-quality findings (数据质量问题)`));
  lines.push(
    h(
      `读取 ${n(read)} 行，筛查 ${n(read - rejected)} 行，无法读取 ${n(rejected)} 行；问题线索 ${n(summary.findings)} 条，未判定 ${n(summary.ruleFailures)} 条；${seconds.toFixed(1)} 秒${notScreened > 0 ? `；${notScreened} 个文件未筛查` : ""}`,
      `${n(read)} rows read, ${n(read - rejected)} screened, ${n(rejected)} rejected; ${n(summary.findings)} findings, ${n(summary.ruleFailures)} rules undecided; ${seconds.toFixed(1)} s${notScreened > 0 ? `; ${notScreened} file(s) NOT screened` : ""}`,
    ),
  );
  return lines;
}
