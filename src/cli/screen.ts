import { createWriteStream, type WriteStream } from "node:fs";
import { isKaoheError } from "../internal/errors";
import { FindingTally, type FindingSummary } from "../screening/summary";
import { safePrepareRulebook, type PreparedRulebook } from "../screening/prepare";
import type { ScreeningItem, SkippedRule } from "../screening/evaluate";
import type { ScreeningCounts } from "../screening/screen";
import { normalizeEncoding, type CsvEncoding } from "../screening/node/encoding";
import { createEvaluatorPool, type EvaluatorPool } from "../screening/node/pool";
import { screenFile } from "../screening/node/run";
import { pick, type Lang } from "../internal/i18n";
import { EXIT, UsageError, parseArgs, readJson, reportIssues, type CliIO } from "./io";
import { renderTable } from "./table";

/** The usage line of `kaohe screen`. */
export const SCREEN_USAGE =
  "kaohe screen --rules <rulebook.json> <file.csv|file.xlsx>... [--out findings.csv|findings.ndjson] [--workers N] [--encoding auto|utf8|gbk|gb18030] [--header-row N] [--param name=value]... [--engine js|duckdb]";

/** Exit code of a screening that ran but is incomplete: a rule could not run on a file (a column missing, rows of the wrong kind), or rows were not screened. */
export const EXIT_INCOMPLETE = 3;

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

const MAX_WORKERS = 64;
/** Rejected rows shown on standard error when the findings go to --out. */
const SHOWN_REJECTIONS = 20;

function positiveInt(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (got "${text}")`);
  return value;
}

/** Node's own progress line: rewritten in place with a carriage return, on a terminal only. */
function ttyProgress(): ((text: string | undefined) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (text) => process.stderr.write(text === undefined ? "\r\u001b[K" : `\r\u001b[K${text}`);
}

/** Writes lines to a file, waiting when the stream's buffer is full (bounded memory). */
class LineWriter {
  private readonly stream: WriteStream;
  private failure: Error | undefined;
  constructor(path: string) {
    this.stream = createWriteStream(path);
    this.stream.on("error", (error) => {
      this.failure = error;
    });
  }
  async write(text: string): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.stream.write(text)) await new Promise<void>((resolve) => this.stream.once("drain", resolve));
  }
  async close(): Promise<void> {
    await new Promise<void>((resolve, reject) => this.stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
    if (this.failure) throw this.failure;
  }
}

const CSV_COLUMNS = ["kind", "code", "title", "severity", "subject", "recordId", "householdId", "county", "township", "village", "message", "values", "file", "row"];

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One output line per finding or rejected row, as NDJSON or CSV. */
function formatItem(item: ScreeningItem, format: "csv" | "ndjson"): string {
  if (format === "ndjson") return `${JSON.stringify(item)}\n`;
  const cells =
    item.kind === "rejected"
      ? ["rejected", item.code, "", "", "", "", "", "", "", "", item.reason, "", item.file ?? "", String(item.row)]
      : item.kind === "data_quality"
        ? ["data_quality", item.code, item.column, "", item.subject, item.recordId, item.householdId ?? "", item.unit.county, item.unit.township, item.unit.village, item.zh, JSON.stringify({ [item.field]: item.value }), item.file ?? "", String(item.row)]
        : [item.kind, item.code, item.title, item.severity, item.subject, item.recordId, item.householdId ?? "", item.unit.county, item.unit.township, item.unit.village, item.message, JSON.stringify(item.values), item.file ?? "", String(item.row)];
  return `${cells.map(csvCell).join(",")}\n`;
}

/** One line per finding or rejected row on standard output, when there is no --out. */
function showItem(item: ScreeningItem): string {
  const where = `${item.file ?? ""}:${item.row}`;
  if (item.kind === "rejected") return `${where}  rejected  ${item.reason} [${item.code}]`;
  const unit = `${item.unit.county}/${item.unit.township}/${item.unit.village}`;
  if (item.kind === "data_quality") return `${where}  数据质量 ${item.code}  ${unit}  ${item.recordId}  ${item.zh}`;
  const kind = item.kind === "rule_failed" ? "  (rule failed)" : "";
  return `${where}  ${item.code} ${item.severity}  ${unit}  ${item.recordId}  ${item.message}${kind}`;
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
  let options: Record<string, string>;
  let files: string[];
  let workers: number;
  let headerRow: number | undefined;
  let encoding: CsvEncoding = "auto";
  let out: { path: string; format: "csv" | "ndjson" } | undefined;
  const parameters: Record<string, string> = {};
  try {
    // --param may be given several times; parseArgs keeps one value per option.
    const rest: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const arg = args[i] as string;
      if (arg !== "--param" && !arg.startsWith("--param=")) {
        rest.push(arg);
        continue;
      }
      const text = arg === "--param" ? args[++i] : arg.slice("--param=".length);
      const eq = text === undefined ? -1 : text.indexOf("=");
      if (text === undefined || eq <= 0) throw new UsageError(`--param needs name=value, e.g. --param incomeLine=7600 (got ${text === undefined ? "nothing" : `"${text}"`})`);
      parameters[text.slice(0, eq)] = text.slice(eq + 1);
    }
    const parsed = parseArgs(rest, ["rules", "out", "workers", "encoding", "header-row", "engine"]);
    options = parsed.options;
    files = parsed.positionals;
    if (options.rules === undefined) throw new UsageError("--rules <rulebook.json> is required");
    if (files.length === 0) throw new UsageError("give at least one CSV or XLSX file to screen");
    workers = positiveInt("workers", options.workers, 0, MAX_WORKERS) ?? 0;
    // --engine duckdb (issue 11): the compiled rulebook on embedded DuckDB, see src/sql/node/duckdb.ts.
    if (options.engine !== undefined && options.engine !== "js" && options.engine !== "duckdb") throw new UsageError(`--engine must be js or duckdb (got "${options.engine}")`);
    if (options.engine === "duckdb" && options.workers !== undefined) throw new UsageError("--workers is for the js engine; DuckDB uses its own threads");
    headerRow = positiveInt("header-row", options["header-row"], 1, 1_000_000);
    if (options.encoding !== undefined) {
      const normalized = normalizeEncoding(options.encoding);
      if (!normalized) throw new UsageError(`--encoding must be auto, utf8, gbk or gb18030 (got "${options.encoding}")`);
      encoding = normalized;
    }
    if (options.out !== undefined) {
      const format = /\.csv$/i.test(options.out) ? "csv" : /\.(ndjson|jsonl)$/i.test(options.out) ? "ndjson" : undefined;
      if (!format) throw new UsageError(`--out must end in .csv or .ndjson (got "${options.out}")`);
      out = { path: options.out, format };
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`kaohe screen: ${error.message}`);
    io.stderr(`usage: ${SCREEN_USAGE}`);
    return EXIT.usage;
  }

  const rulesPath = options.rules as string;
  const json = readJson(io, rulesPath);
  if (!json.ok) {
    io.stderr(json.message);
    return EXIT.invalid;
  }
  const prepared = safePrepareRulebook(json.value, { parameters });
  if (!prepared.success) {
    reportIssues(io, rulesPath, prepared.error.issues);
    return EXIT.invalid;
  }
  return screenFiles(prepared.data, json.value, files, { workers, headerRow, encoding, out, engine: options.engine === "duckdb" ? "duckdb" : "js" }, io);
}

interface RunSettings {
  workers: number;
  headerRow: number | undefined;
  encoding: CsvEncoding;
  out: { path: string; format: "csv" | "ndjson" } | undefined;
  engine: "js" | "duckdb";
}

async function screenFiles(prepared: PreparedRulebook, rulebook: unknown, files: string[], settings: RunSettings, io: ScreenCliIO): Promise<number> {
  const { out } = settings;
  const progress = io.progress ?? ttyProgress();
  const now = io.now ?? (() => performance.now());
  const started = now();
  const tally = new FindingTally({ rules: prepared.rulebook.rules });
  const perFile: { file: string; counts?: ScreeningCounts; error?: string }[] = [];
  let writer: LineWriter | undefined;
  let pool: EvaluatorPool | undefined;
  let rejectionsShown = 0;
  let rejections = 0;
  let rowsBefore = 0;
  let exit: number = EXIT.ok;
  try {
    if (out) {
      writer = new LineWriter(out.path);
      if (out.format === "csv") await writer.write(`\uFEFF${CSV_COLUMNS.join(",")}\n`);
    }
    if (settings.workers > 0) pool = createEvaluatorPool(settings.workers, { rulebook, parameters: prepared.overrides });
    const screen = settings.engine === "duckdb" ? (await import("../sql/node/duckdb")).screenFileDuckdb : screenFile;
    for (const file of files) {
      const result = await screen(prepared, file, {
        encoding: settings.encoding,
        ...(settings.headerRow === undefined ? {} : { headerRow: settings.headerRow }),
        ...(pool ? { pool } : {}),
        onItems: async (items) => {
          for (const item of items) {
            if (item.kind === "rejected") {
              rejections++;
              if (out && rejectionsShown < SHOWN_REJECTIONS) {
                rejectionsShown++;
                io.stderr(`${item.file ?? file}:${item.row}: ${item.reason} [${item.code}]`);
              }
            } else tally.add(item);
            if (writer && out) await writer.write(formatItem(item, out.format));
            else io.stdout(showItem(item));
          }
        },
        onProgress: (rowsRead) => {
          if (!progress) return;
          const seconds = (now() - started) / 1000;
          const rows = rowsBefore + rowsRead;
          progress(`${file}: ${rows.toLocaleString("en-US")} rows, ${Math.round(rows / Math.max(seconds, 0.001)).toLocaleString("en-US")} rows/s, ${seconds.toFixed(1)} s`);
        },
      });
      progress?.(undefined);
      if (!result.ok) {
        io.stderr(`${file}: ${result.reason}`);
        exit = EXIT.invalid;
      } else {
        for (const failure of result.workerFailures) {
          const [first, last] = failure.rows;
          io.stderr(
            pick(langOf(io), {
              en: `${file}: a worker stopped while screening rows ${first}-${last} (${failure.reason}); screened again, ${failure.notScreened} records not screened`,
              zh: `${file}：工作线程在筛查第 ${first}-${last} 行时退出（${failure.reason}）；已重新筛查，${failure.notScreened} 条记录未能筛查`,
            }),
          );
        }
      }
      if (result.counts) rowsBefore += result.counts.rowsRead;
      perFile.push(result.ok ? { file, counts: result.counts } : { file, error: result.reason, ...(result.counts ? { counts: result.counts } : {}) });
    }
  } catch (error) {
    if (isKaoheError(error)) {
      reportIssues(io, "screening", error.issues);
      return EXIT.invalid;
    }
    const code = (error as { code?: unknown }).code;
    io.stderr(`kaohe screen: ${out ? `${out.path}: ` : ""}${typeof code === "string" ? `cannot write (${code})` : (error as Error).message}`);
    return EXIT.invalid;
  } finally {
    await pool?.close();
    if (writer) await writer.close().catch(() => undefined);
  }
  if (out && rejections > rejectionsShown) io.stderr(`… ${rejections - rejectionsShown} more rejected rows in ${out.path}`);
  for (const line of summaryLines(perFile, tally.summary(), (now() - started) / 1000)) io.stdout(line);
  const { lines: incomplete, complete } = incompleteLines(perFile, prepared, langOf(io));
  for (const line of incomplete) io.stdout(line);
  return exit === EXIT.ok && !complete ? EXIT_INCOMPLETE : exit;
}

/** The language of the CLI's messages, once the CLI wires it into its IO (Chinese by default). */
function langOf(io: ScreenCliIO): Lang | undefined {
  return (io as { lang?: Lang }).lang;
}

/** The parameters overridden for this run, and the rules that could not run, by file, named with their title and why: printed last, where a reader looks. */
function incompleteLines(perFile: readonly { file: string; counts?: ScreeningCounts }[], prepared: PreparedRulebook, lang: Lang | undefined): { lines: string[]; complete: boolean } {
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
    lines.push(pick(lang, { en: `parameters for this run: ${list(false)}`, zh: `本次参数：${list(true)}` }));
  }
  const titles = new Map(prepared.rulebook.rules.map((rule) => [rule.code, rule.title]));
  const show = (skipped: SkippedRule) => `  ${skipped.code} ${titles.get(skipped.code) ?? ""}: ${pick(lang, { en: skipped.reason, zh: skipped.zh })}`;
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
      lines.push(pick(lang, { en: `INCOMPLETE ${file}: ${columns.length} rule${columns.length > 1 ? "s" : ""} could not run:`, zh: `不完整 ${file}：${columns.length} 条规则未能运行：` }));
      lines.push(...columns.map(show));
    }
    for (const skipped of counts.skipped) if (skipped.why === "level" && !ran.has(skipped.code) && !notRun.has(skipped.code)) notRun.set(skipped.code, skipped);
    if (counts.notScreened > 0) {
      complete = false;
      lines.push(pick(lang, { en: `INCOMPLETE ${file}: ${counts.notScreened} rows not screened (their worker stopped twice)`, zh: `不完整 ${file}：${counts.notScreened} 行未能筛查（其工作线程两次退出）` }));
    }
  }
  if (notRun.size > 0) {
    complete = false;
    lines.push(pick(lang, { en: `INCOMPLETE: ${notRun.size} rule${notRun.size > 1 ? "s" : ""} ran on no file of this run:`, zh: `不完整：${notRun.size} 条规则在本次的任何文件上都没有运行：` }));
    lines.push(...[...notRun.values()].map(show));
  }
  return { lines, complete };
}

function summaryLines(perFile: readonly { file: string; counts?: ScreeningCounts; error?: string }[], summary: FindingSummary, seconds: number): string[] {
  const n = (value: number) => value.toLocaleString("en-US");
  const lines: string[] = [""];
  lines.push(
    ...renderTable(
      [{ heading: "file" }, { heading: "rows" }, { heading: "read", align: "right" }, { heading: "screened", align: "right" }, { heading: "rejected", align: "right" }, { heading: "note" }],
      perFile.map(({ file, counts, error }) => [
        file,
        counts ? `${counts.level}` : "",
        counts ? n(counts.rowsRead) : "",
        counts ? n(counts.rowsScreened) : "",
        counts ? n(counts.rowsRejected) : "",
        error ?? (counts && counts.skipped.length > 0 ? `not run: ${counts.skipped.map((s) => s.code).join(", ")}` : ""),
      ]),
    ),
  );
  lines.push("");
  lines.push(
    ...renderTable(
      [{ heading: "rule" }, { heading: "severity" }, { heading: "title" }, { heading: "findings", align: "right" }, { heading: "failed", align: "right" }],
      summary.byRule.map((rule) => [rule.code, rule.severity, rule.title, n(rule.findings), n(rule.ruleFailures)]),
    ),
  );
  lines.push("");
  lines.push(
    ...renderTable(
      [{ heading: "县" }, { heading: "乡" }, { heading: "findings", align: "right" }, { heading: "failed", align: "right" }],
      summary.byTownship.map((t) => [t.county, t.township, n(t.findings), n(t.ruleFailures)]),
    ),
  );
  const read = perFile.reduce((sum, f) => sum + (f.counts?.rowsRead ?? 0), 0);
  const rejected = perFile.reduce((sum, f) => sum + (f.counts?.rowsRejected ?? 0), 0);
  lines.push("");
  if (summary.dataQuality > 0) lines.push(`${n(summary.dataQuality)} data-quality findings (数据质量问题)`);
  lines.push(`${n(read)} rows read, ${n(read - rejected)} screened, ${n(rejected)} rejected; ${n(summary.findings)} findings, ${n(summary.ruleFailures)} rules undecided; ${seconds.toFixed(1)} s`);
  return lines;
}
