import { basename, extname } from "node:path";
import { isKaoheError, KaoheError, type KaoheIssue } from "../internal/errors";
import { pick, type Bilingual, type Lang } from "../internal/i18n";
import { jiangxi2025 } from "../frameworks/jiangxi2025";
import { keyTasks2025 } from "../frameworks/keyTasks2025";
import { diffFrameworks, type FrameworkDiff } from "../model/diff";
import { fromZodIssues, localizeIssue } from "../model/issues";
import { AssessmentSchema } from "../scoring/assessment";
import { checkAssessmentFit } from "../scoring/fit";
import { formatFrameworkDiff } from "../model/diff-report";
import type { Framework, KeyTask } from "../model/framework";
import { parseFramework, parseKeyTasks } from "../model/parse";
import { exportFramework } from "../model/table-export";
import { importFramework, type ImportFrameworkOptions } from "../model/table-import";
import { parseCommandArgs, stringOption, type CommandSpec, type OptionSpec, type Parsed } from "./args";
import { runCommand, runLang, usageFailure } from "./command";
import { EXIT, UsageError, makeCtx, readJson, type CliIO, type Ctx } from "./io";
import { t } from "./lang";
import { AtomicFile, checkOutputPath } from "./output";
import { readTables, workbookBytes } from "./tables";
import { FileIssues, jsonErrors, type ScoreOutput } from "./score";
import { PARSE_OPTIONS } from "../internal/zod";

const INVALID: readonly [number, Bilingual] = [EXIT.invalid, t("输入有误：逐格列出每个问题，不写出任何文件", "invalid input: every problem is listed with its cell, no file is written")];
/** A string option with its placeholder. */
const valued = (value: string, help: Bilingual): OptionSpec => ({ type: "string", value, help });

/** The declaration of `kaohe framework import`. */
export const FRAMEWORK_IMPORT_SPEC: CommandSpec = {
  name: "framework import",
  args: "<指标表.xlsx|指标表.csv> --out <framework.json>",
  summary: t("读入指标体系表（类别/指标/内容/数据来源/分值…），逐格报告全部问题，写出指标体系 JSON。", "Reads an indicator table (类别/指标/内容/数据来源/分值…), reports every problem with its cell, writes the framework JSON."),
  options: {
    out: valued("<framework.json>", t("写出的指标体系 JSON（必填）；运行成功才替换已有文件，且不能是输入文件", "the framework JSON to write (required); an existing file is replaced only when the run succeeds, and it may not be an input")),
    sheet: valued("<工作表>", t("指标所在的工作表（默认自动查找）", "the sheet of the indicators (found by default)")),
    id: valued("<编号>", t("指标体系编号（默认取自表格或文件名）", "the framework's id (by default from the table or the file name)")),
    title: valued("<标题>", t("标题（默认取自表格的标题行）", "the title (by default the table's title row)")),
    year: valued("<年度>", t("年度，如 2025（默认取自标题）", "the year, e.g. 2025 (by default from the title)")),
    level: valued("<national|provincial|municipal|county>", t("层级（也可写 国家级、省级、市级、县级）", "the level (国家级, 省级, 市级, 县级 also)")),
    region: valued("<地区>", t("地区", "the region")),
    grades: valued("<grades.json>", t("档次文件（等次及最低分）", "grade bands file (grades and their minimums)")),
    departments: valued("<departments.json>", t("部门文件（数据来源中的部门）", "departments file (the departments of 数据来源)")),
  },
  exits: [INVALID],
  examples: ["kaohe framework import examples/frameworks/county-2025.xlsx --out county.json --id example-county-2025 --level county --region 示例县"],
};

/** The declaration of `kaohe framework export`. */
export const FRAMEWORK_EXPORT_SPEC: CommandSpec = {
  name: "framework export",
  args: "<framework.json|jiangxi2025> --out <指标表.xlsx>",
  summary: t("写出供审阅的指标体系表（附件2 的版式，另有扣分项、部门、说明、重点任务等工作表）。", "Writes the table an official reviews (attachment 2's layout, with sheets for clauses, departments, particulars, key tasks)."),
  options: {
    out: valued("<指标表.xlsx>", t("写出的工作簿（必填）；运行成功才替换已有文件，且不能是输入文件", "the workbook to write (required); an existing file is replaced only when the run succeeds, and it may not be an input")),
    "key-tasks": valued("<tasks.json>", t("重点任务文件（jiangxi2025 默认用内嵌的 2025 年重点任务）", "key tasks file (jiangxi2025 takes the embedded 2025 key tasks by default)")),
  },
  exits: [INVALID],
  examples: ["kaohe framework export jiangxi2025 --out 指标体系.xlsx"],
};

/** The declaration of `kaohe framework diff`. */
export const FRAMEWORK_DIFF_SPEC: CommandSpec = {
  name: "framework diff",
  args: "<a> <b>",
  summary: t(
    "比较两个指标体系（JSON、jiangxi2025 或导出的表格）：新增、删除、更名、移动、内容、分值、扣分项、规则；给出 --assessment 时，说明按 a 填报的考核数据对照 b 有哪些不再适用。",
    "Compares two frameworks (JSON, jiangxi2025 or an exported table): added, removed, renamed, moved, content, points, clauses, policies; with --assessment, says what of an assessment written for a no longer fits b.",
  ),
  options: {
    format: { type: "string", value: "<text|json>", choices: ["text", "json"], default: "text", help: t("输出格式；json 时出错信息也是 JSON（schemas/framework-diff-output.schema.json）", "output format; with json, errors are JSON too (schemas/framework-diff-output.schema.json)") },
    assessment: valued("<assessment.json>", t("按 a 填报的考核数据，检查它对照 b 是否仍适用", "an assessment written for a, checked against b")),
  },
  exits: [INVALID],
  examples: ["kaohe framework diff jiangxi2025 examples/frameworks/city-2025.framework.json"],
};

/** The subcommands of `kaohe framework`, in order. */
export const FRAMEWORK_SUBCOMMAND_SPECS: readonly CommandSpec[] = [FRAMEWORK_IMPORT_SPEC, FRAMEWORK_EXPORT_SPEC, FRAMEWORK_DIFF_SPEC];

/** The declaration of `kaohe framework` itself: its help lists the subcommands. */
export const FRAMEWORK_SPEC: CommandSpec = {
  name: "framework",
  args: "<import|export|diff> …",
  summary: t("指标体系表的导入、导出与比较（详见 kaohe help framework 与 docs/frameworks.md）", "Indicator tables in and out of Excel, and what changed between frameworks (see kaohe help framework and docs/frameworks.md)"),
  options: {},
  exits: [INVALID],
  examples: FRAMEWORK_SUBCOMMAND_SPECS.flatMap((spec) => spec.examples),
};

/** The help of `kaohe framework`: each subcommand's usage and summary (generated from the specs). */
function frameworkOverview(lang: Lang): string[] {
  return [
    pick(lang, t("用法：", "Usage:")),
    ...FRAMEWORK_SUBCOMMAND_SPECS.flatMap((spec) => [`  kaohe ${spec.name} ${spec.args} [${pick(lang, t("选项", "options"))}]`, `      ${pick(lang, spec.summary)}`]),
    "",
    pick(lang, t(
      "运行 `kaohe help framework <子命令>` 或 `kaohe framework <子命令> --help` 查看其选项。--lang zh|en 选择语言（默认中文，LANG 为英文时用英文）。不会覆盖输入文件；输出先写临时文件，成功后才改名。",
      "Run `kaohe help framework <subcommand>` or `kaohe framework <subcommand> --help` for its options. --lang zh|en picks the language (Chinese unless LANG is English). Inputs are never overwritten; output goes to a temporary file, renamed only on success.",
    )),
    pick(lang, t("退出码：0 完成，1 输入有误，2 命令行有误，130 被中断。", "Exit codes: 0 done, 1 invalid input, 2 wrong command line, 130 interrupted.")),
  ];
}

const LEVELS: Readonly<Record<string, Framework["level"]>> = {
  national: "national", provincial: "provincial", municipal: "municipal", county: "county",
  国家级: "national", 省级: "provincial", 市级: "municipal", 县级: "county",
};

/** Prints issues in the chosen language, one per line. */
function printIssues(io: CliIO, lang: Lang, file: string, issues: readonly KaoheIssue[]): void {
  io.stderr(pick(lang, { zh: `${file}：${issues.length} 个问题`, en: `${file}: ${issues.length} issue${issues.length === 1 ? "" : "s"}` }));
  for (const issue of issues) io.stderr(`  ${lang === "zh" ? (issue.zh ?? issue.message) : issue.message} [${issue.code}]`);
}

/** Runs an action, turning a {@link KaoheError} into printed issues and exit 1. */
async function reporting(io: CliIO, lang: Lang, file: string, action: () => Promise<number> | number): Promise<number> {
  try {
    return await action();
  } catch (error) {
    if (isKaoheError(error)) {
      printIssues(io, lang, file, error.issues);
      return EXIT.invalid;
    }
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && /^E[A-Z]+$/.test(code)) {
      io.stderr(pick(lang, { zh: `${file}：无法读写文件（${code}）`, en: `${file}: cannot read or write the file (${code})` }));
      return EXIT.invalid;
    }
    throw error;
  }
}

/** Reads a JSON file; a missing file or bad JSON becomes an error carrying the message to print. */
function readJsonOrFail(io: CliIO, path: string): unknown {
  const read = readJson(io, path);
  if (!read.ok) throw Object.assign(new Error(read.message.en), { cliMessage: read.message });
  return read.value;
}

/** Loads a framework: the embedded one by name, a JSON file, or an exported table. */
async function loadFramework(io: CliIO, source: string): Promise<Framework> {
  if (source === "jiangxi2025") return parseFramework(jiangxi2025);
  if (/\.(xlsx|csv)$/i.test(source)) {
    const { tables, issues } = await readTables(source);
    if (issues.length > 0) throw new KaoheError(issues, `${source}: rows not read`);
    return importFramework(tables, { file: basename(source) });
  }
  return parseFramework(readJsonOrFail(io, source));
}

/** The `--out` of a subcommand, checked before any input is read (see {@link checkOutputPath}). */
function needOut(parsed: Parsed, inputs: readonly (string | undefined)[], ext: RegExp, what: string): string {
  const out = stringOption(parsed, "out");
  if (out === undefined) throw new UsageError(t(`${what} 需要 --out`, `${what} needs --out`));
  const suffix = ext.source.replace(/\\|\$|\(|\)/g, "").replace("|", " or ");
  if (!ext.test(out)) throw new UsageError(t(`--out 的文件名必须以 ${suffix} 结尾（收到 "${out}"）`, `--out must end in ${suffix} (got "${out}")`));
  const problem = checkOutputPath(out, inputs.filter((f): f is string => f !== undefined));
  if (problem) throw new UsageError(problem);
  return out;
}

/** Writes an output file atomically (temporary file, then renamed); a failure leaves no temporary file. */
async function writeOutput(path: string, data: string | Uint8Array): Promise<void> {
  const file = new AtomicFile(path);
  try {
    await file.write(data);
    await file.commit();
  } catch (error) {
    await file.abort();
    throw error;
  }
}

async function importCommand(ctx: Ctx, parsed: Parsed): Promise<number> {
  const { io, lang } = ctx;
  const option = (name: string) => stringOption(parsed, name);
  const [file, ...extra] = parsed.positionals;
  if (file === undefined || extra.length > 0) throw new UsageError(t("framework import 需要一个表格文件", "framework import takes one table file"));
  const out = needOut(parsed, [file, option("grades"), option("departments")], /\.json$/i, "framework import");
  const levelText = option("level");
  const level = levelText === undefined ? undefined : LEVELS[levelText];
  if (levelText !== undefined && level === undefined) {
    throw new UsageError(t(`--level 只能是 national、provincial、municipal 或 county（收到 "${levelText}"）`, `--level must be national, provincial, municipal or county (got "${levelText}")`));
  }
  const year = option("year");
  if (year !== undefined && !/^\d{4}$/.test(year)) throw new UsageError(t(`--year 须为年份，如 2025（收到 "${year}"）`, `--year must be a year such as 2025 (got "${year}")`));
  return reporting(io, lang, file, async () => {
    const gradesFile = option("grades");
    const grades = gradesFile === undefined ? undefined : (readJsonOrFail(io, gradesFile) as { grades?: unknown }).grades;
    const departmentsPath = option("departments");
    const departmentsFile = departmentsPath === undefined ? undefined : readJsonOrFail(io, departmentsPath);
    const departments = Array.isArray(departmentsFile) ? departmentsFile : (departmentsFile as { departments?: unknown } | undefined)?.departments;
    const { tables, issues } = await readTables(file);
    if (issues.length > 0) {
      printIssues(io, lang, file, issues);
      return EXIT.invalid;
    }
    const fallbackId = basename(file, extname(file)).replace(/[^A-Za-z0-9_.-]/g, "").replace(/^[^A-Za-z0-9]+/, "");
    const [sheet, id, title, region] = [option("sheet"), option("id"), option("title"), option("region")];
    const importOptions: ImportFrameworkOptions = {
      file: basename(file),
      ...(sheet !== undefined ? { sheet } : {}),
      ...(id !== undefined ? { id } : tables.length === 1 ? { id: fallbackId || "framework" } : {}),
      ...(title !== undefined ? { title } : {}),
      ...(year !== undefined ? { year: Number(year) } : {}),
      ...(level !== undefined ? { level } : {}),
      ...(region !== undefined ? { region } : {}),
      ...(Array.isArray(grades) ? { grades } : {}),
      ...(Array.isArray(departments) ? { departments } : {}),
    };
    const framework = importFramework(tables, importOptions);
    await writeOutput(out, `${JSON.stringify(framework, null, 2)}\n`);
    const indicators = framework.categories.reduce((n, c) => n + c.indicators.length, 0);
    io.stdout(pick(lang, {
      zh: `${out}：指标体系 ${framework.id}，${framework.categories.length} 个类别，${indicators} 个指标，${framework.deductionClauses.length} 条扣分项`,
      en: `${out}: framework ${framework.id}, ${framework.categories.length} categories, ${indicators} indicators, ${framework.deductionClauses.length} deduction clauses`,
    }));
    return EXIT.ok;
  });
}

async function exportCommand(ctx: Ctx, parsed: Parsed): Promise<number> {
  const { io, lang } = ctx;
  const [source, ...extra] = parsed.positionals;
  if (source === undefined || extra.length > 0) throw new UsageError(t("framework export 需要一个指标体系（JSON 文件或 jiangxi2025）", "framework export takes one framework (a JSON file or jiangxi2025)"));
  const tasksFile = stringOption(parsed, "key-tasks");
  const out = needOut(parsed, [source, tasksFile], /\.xlsx$/i, "framework export");
  return reporting(io, lang, source, async () => {
    const framework = await loadFramework(io, source);
    const keyTasks: readonly KeyTask[] | undefined =
      tasksFile !== undefined ? parseKeyTasks(readJsonOrFail(io, tasksFile), framework) : source === "jiangxi2025" ? keyTasks2025 : undefined;
    await writeOutput(out, await workbookBytes(exportFramework(framework, keyTasks ? { keyTasks } : {})));
    io.stdout(pick(lang, { zh: `${out}：已写出指标体系 ${framework.id} 的表格`, en: `${out}: wrote the table of framework ${framework.id}` }));
    return EXIT.ok;
  });
}

/** Runs a step of diff; a file's failure (not JSON, invalid, unreadable) becomes its {@link FileIssues}. */
async function orFailure<T>(file: string, step: () => Promise<T> | T): Promise<T | FileIssues> {
  try {
    return await step();
  } catch (error) {
    if (isKaoheError(error)) return new FileIssues(file, error.issues);
    const message = (error as { cliMessage?: Bilingual }).cliMessage;
    if (message !== undefined) return new FileIssues(file, message);
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && /^E[A-Z]+$/.test(code)) return new FileIssues(file, t(`${file}：无法读写文件（${code}）`, `${file}: cannot read or write the file (${code})`));
    throw error;
  }
}

/** What `framework diff --format json` prints (schemas/framework-diff-output.schema.json). */
interface FrameworkDiffOutput {
  readonly ok: boolean;
  readonly diff: FrameworkDiff | null;
  readonly assessment: { readonly file: string; readonly issues: ScoreOutput["errors"][number]["issues"] & object } | null;
  readonly errors: ScoreOutput["errors"];
}

/** Both frameworks and the assessment of `framework diff`, each read even when another failed. */
async function loadDiff(io: CliIO, a: string, b: string, file: string | undefined) {
  const from = await orFailure(a, () => loadFramework(io, a));
  const to = await orFailure(b, () => loadFramework(io, b));
  const assessment = file === undefined ? undefined : await orFailure(file, () => {
    const checked = AssessmentSchema.safeParse(readJsonOrFail(io, file), PARSE_OPTIONS);
    if (!checked.success) throw new KaoheError(fromZodIssues(checked.error.issues), `${file}: invalid assessment`);
    return checked.data;
  });
  const failures = [from, to, assessment].filter((x): x is FileIssues => x instanceof FileIssues);
  if (from instanceof FileIssues || to instanceof FileIssues || assessment instanceof FileIssues) return { failures };
  const diff = diffFrameworks(from, to);
  return { failures, to, diff, misfits: assessment === undefined || file === undefined ? undefined : { file, issues: checkAssessmentFit(assessment, to, diff) } };
}

async function diffCommand(ctx: Ctx, parsed: Parsed): Promise<number> {
  const { io, lang } = ctx;
  const [a, b, ...extra] = parsed.positionals;
  if (a === undefined || b === undefined || extra.length > 0) throw new UsageError(t("framework diff 需要两个指标体系", "framework diff takes two frameworks"));
  const { failures, to, diff, misfits } = await loadDiff(io, a, b, stringOption(parsed, "assessment"));
  if (stringOption(parsed, "format") === "json") {
    // One shape with or without --assessment, every file's problems in errors.
    const output: FrameworkDiffOutput = {
      ok: failures.length === 0,
      diff: diff ?? null,
      assessment: misfits ? { file: misfits.file, issues: misfits.issues.map((i) => ({ code: i.code, path: [...i.path], message: localizeIssue(i, lang).message })) } : null,
      errors: jsonErrors(lang, failures),
    };
    io.stdout(JSON.stringify(output, null, 2));
    return output.ok ? EXIT.ok : EXIT.invalid;
  }
  for (const failure of failures) {
    if (Array.isArray(failure.issues)) printIssues(io, lang, failure.file, failure.issues as KaoheIssue[]);
    else ctx.err(failure.issues as Bilingual);
  }
  if (!diff || !to) return EXIT.invalid;
  io.stdout(formatFrameworkDiff(diff, { lang }));
  if (misfits) {
    const { file, issues } = misfits;
    io.stdout(pick(lang, issues.length === 0
      ? { zh: `${file}：适用于 ${to.id}`, en: `${file}: fits ${to.id}` }
      : { zh: `${file}：对照 ${to.id}，有 ${issues.length} 处不再适用`, en: `${file}: ${issues.length} thing${issues.length === 1 ? "" : "s"} no longer fit ${to.id}` }));
    for (const issue of issues) io.stdout(`  ${lang === "zh" ? (issue.zh ?? issue.message) : issue.message} [${issue.code}]`);
  }
  return EXIT.ok;
}

const SUBCOMMANDS: Readonly<Record<string, { spec: CommandSpec; run: (ctx: Ctx, parsed: Parsed) => Promise<number> }>> = {
  import: { spec: FRAMEWORK_IMPORT_SPEC, run: importCommand },
  export: { spec: FRAMEWORK_EXPORT_SPEC, run: exportCommand },
  diff: { spec: FRAMEWORK_DIFF_SPEC, run: diffCommand },
};

/** A JSON file that could not be read, reported as its message, exit 1. */
async function printingReadFailures(ctx: Ctx, action: () => Promise<number>): Promise<number> {
  try {
    return await action();
  } catch (error) {
    const message = (error as { cliMessage?: Bilingual }).cliMessage;
    if (message === undefined) throw error;
    ctx.err(message);
    return EXIT.invalid;
  }
}

/**
 * Runs `kaohe framework import|export|diff`: each subcommand parses its options from its
 * declaration (`kaohe framework import --help` prints the help made from it); `kaohe framework`
 * alone, or with `--help`, lists the subcommands. The language is `--lang`, else `LANG`, else Chinese.
 *
 * @param args - The arguments after `framework`.
 * @param io - Where to read and print.
 * @returns The exit code: 0 done, 1 invalid input, 2 usage error.
 */
export async function runFrameworkCommand(args: readonly string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  const found = sub === undefined ? undefined : SUBCOMMANDS[sub];
  if (found) return runCommand(found.spec, rest, io, (ctx, parsed) => printingReadFailures(ctx, () => found.run(ctx, parsed)));
  const ctx = makeCtx(io, runLang(args, io));
  if (sub !== undefined && !sub.startsWith("-")) {
    return usageFailure(ctx, "framework", new UsageError(t(`没有 "${sub}" 这个 framework 子命令（import、export 或 diff）`, `unknown framework command "${sub}" (import, export or diff)`)));
  }
  let help: boolean;
  try {
    help = parseCommandArgs(FRAMEWORK_SPEC, args).values.help === true;
  } catch (error) {
    if (error instanceof UsageError) return usageFailure(ctx, "framework", error);
    throw error;
  }
  for (const line of frameworkOverview(ctx.lang)) (help ? ctx.out : ctx.err)(line);
  return help ? EXIT.ok : EXIT.usage;
}
