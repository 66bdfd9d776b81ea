import { basename, extname } from "node:path";
import { isKaoheError, KaoheError, type KaoheIssue } from "../internal/errors";
import { pick, type Bilingual, type Lang } from "../internal/i18n";
import { jiangxi2025 } from "../frameworks/jiangxi2025";
import { keyTasks2025 } from "../frameworks/keyTasks2025";
import { diffFrameworks } from "../model/diff";
import { fromZodIssues } from "../model/issues";
import { AssessmentSchema } from "../scoring/assessment";
import { checkAssessmentFit } from "../scoring/fit";
import { formatFrameworkDiff } from "../model/diff-report";
import type { Framework, KeyTask } from "../model/framework";
import { parseFramework, parseKeyTasks } from "../model/parse";
import { exportFramework } from "../model/table-export";
import { importFramework, type ImportFrameworkOptions } from "../model/table-import";
import { samePath, writeFileAtomic } from "./atomic-write";
import { EXIT, UsageError, parseArgs, readJson, type CliIO } from "./io";
import { readTables, workbookBytes } from "./tables";

/** The usage of `kaohe framework`, in both languages. */
export const FRAMEWORK_USAGE: Bilingual = {
  zh: [
    "用法：",
    "  kaohe framework import <指标表.xlsx|.csv> --out <framework.json> [--sheet 工作表] [--id 编号] [--title 标题]",
    "        [--year 年度] [--level national|provincial|municipal|county] [--region 地区] [--grades grades.json]",
    "        [--departments departments.json]",
    "      读入指标体系表（类别/指标/内容/数据来源/分值…），逐格报告全部问题，写出指标体系 JSON",
    "  kaohe framework export <framework.json|jiangxi2025> --out <指标表.xlsx> [--key-tasks tasks.json]",
    "      写出供审阅的指标体系表（附件2 的版式，另有扣分项、部门、说明、重点任务等工作表）",
    "  kaohe framework diff <a> <b> [--format text|json] [--assessment 考核数据.json]",
    "      比较两个指标体系（JSON、jiangxi2025 或导出的表格）：新增、删除、更名、移动、内容、分值、扣分项、规则；",
    "      给出 --assessment 时，说明按 a 填报的考核数据对照 b 有哪些不再适用",
    "选项 --lang zh|en 选择输出语言（默认中文）。不会覆盖输入文件；输出先写临时文件再改名。",
    "退出码：0 成功，1 输入有误，2 用法错误。",
  ].join("\n"),
  en: [
    "Usage:",
    "  kaohe framework import <table.xlsx|.csv> --out <framework.json> [--sheet name] [--id id] [--title title]",
    "        [--year year] [--level national|provincial|municipal|county] [--region region] [--grades grades.json]",
    "        [--departments departments.json]",
    "      read an indicator table (类别/指标/内容/数据来源/分值…), report every problem with its cell, write the framework JSON",
    "  kaohe framework export <framework.json|jiangxi2025> --out <table.xlsx> [--key-tasks tasks.json]",
    "      write the table an official reviews (attachment 2's layout, with sheets for clauses, departments, particulars, key tasks)",
    "  kaohe framework diff <a> <b> [--format text|json] [--assessment assessment.json]",
    "      compare two frameworks (JSON, jiangxi2025 or an exported table): added, removed, renamed, moved, content, points, clauses, policies;",
    "      with --assessment, say what of an assessment written for a no longer fits b",
    "Option --lang zh|en picks the language (Chinese by default). Inputs are never overwritten; output goes to a temporary file, then is renamed.",
    "Exit codes: 0 success, 1 invalid input, 2 usage error.",
  ].join("\n"),
};

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

function needOut(options: Record<string, string>, inputs: readonly string[], ext: RegExp, what: string): string {
  const out = options.out;
  if (out === undefined) throw new UsageError(`${what} needs --out`);
  if (!ext.test(out)) throw new UsageError(`--out must end in ${ext.source.replace(/\\|\$|\(|\)/g, "").replace("|", " or ")}`);
  if (inputs.some((input) => samePath(input, out))) throw new UsageError(`--out ${out} is an input; refusing to overwrite it`);
  return out;
}

async function importCommand(io: CliIO, lang: Lang, args: readonly string[]): Promise<number> {
  const { positionals, options } = parseArgs(args, ["out", "sheet", "id", "title", "year", "level", "region", "grades", "departments", "lang"]);
  const file = positionals[0];
  if (file === undefined || positionals.length > 1) throw new UsageError("framework import takes one table file");
  const inputs = [file, options.grades, options.departments].filter((f): f is string => f !== undefined);
  const out = needOut(options, inputs, /\.json$/i, "framework import");
  const level = options.level === undefined ? undefined : LEVELS[options.level];
  if (options.level !== undefined && level === undefined) throw new UsageError(`--level must be national, provincial, municipal or county (got "${options.level}")`);
  if (options.year !== undefined && !/^\d{4}$/.test(options.year)) throw new UsageError(`--year must be a year such as 2025 (got "${options.year}")`);
  return reporting(io, lang, file, async () => {
    const grades = options.grades === undefined ? undefined : (readJsonOrFail(io, options.grades) as { grades?: unknown }).grades;
    const departmentsFile = options.departments === undefined ? undefined : readJsonOrFail(io, options.departments);
    const departments = Array.isArray(departmentsFile) ? departmentsFile : (departmentsFile as { departments?: unknown } | undefined)?.departments;
    const { tables, issues } = await readTables(file);
    if (issues.length > 0) {
      printIssues(io, lang, file, issues);
      return EXIT.invalid;
    }
    const fallbackId = basename(file, extname(file)).replace(/[^A-Za-z0-9_.-]/g, "").replace(/^[^A-Za-z0-9]+/, "");
    const importOptions: ImportFrameworkOptions = {
      file: basename(file),
      ...(options.sheet !== undefined ? { sheet: options.sheet } : {}),
      ...(options.id !== undefined ? { id: options.id } : tables.length === 1 ? { id: fallbackId || "framework" } : {}),
      ...(options.title !== undefined ? { title: options.title } : {}),
      ...(options.year !== undefined ? { year: Number(options.year) } : {}),
      ...(level !== undefined ? { level } : {}),
      ...(options.region !== undefined ? { region: options.region } : {}),
      ...(Array.isArray(grades) ? { grades } : {}),
      ...(Array.isArray(departments) ? { departments } : {}),
    };
    const framework = importFramework(tables, importOptions);
    writeFileAtomic(out, `${JSON.stringify(framework, null, 2)}\n`);
    const indicators = framework.categories.reduce((n, c) => n + c.indicators.length, 0);
    io.stdout(pick(lang, {
      zh: `${out}：指标体系 ${framework.id}，${framework.categories.length} 个类别，${indicators} 个指标，${framework.deductionClauses.length} 条扣分项`,
      en: `${out}: framework ${framework.id}, ${framework.categories.length} categories, ${indicators} indicators, ${framework.deductionClauses.length} deduction clauses`,
    }));
    return EXIT.ok;
  });
}

async function exportCommand(io: CliIO, lang: Lang, args: readonly string[]): Promise<number> {
  const { positionals, options } = parseArgs(args, ["out", "key-tasks", "lang"]);
  const source = positionals[0];
  if (source === undefined || positionals.length > 1) throw new UsageError("framework export takes one framework (a JSON file or jiangxi2025)");
  const out = needOut(options, [source, options["key-tasks"] ?? ""].filter((f) => f !== ""), /\.xlsx$/i, "framework export");
  return reporting(io, lang, source, async () => {
    const framework = await loadFramework(io, source);
    const tasksFile = options["key-tasks"];
    const keyTasks: readonly KeyTask[] | undefined =
      tasksFile !== undefined ? parseKeyTasks(readJsonOrFail(io, tasksFile), framework) : source === "jiangxi2025" ? keyTasks2025 : undefined;
    writeFileAtomic(out, await workbookBytes(exportFramework(framework, keyTasks ? { keyTasks } : {})));
    io.stdout(pick(lang, { zh: `${out}：已写出指标体系 ${framework.id} 的表格`, en: `${out}: wrote the table of framework ${framework.id}` }));
    return EXIT.ok;
  });
}

async function diffCommand(io: CliIO, lang: Lang, args: readonly string[]): Promise<number> {
  const { positionals, options } = parseArgs(args, ["format", "lang", "assessment"]);
  const [a, b] = positionals;
  if (a === undefined || b === undefined || positionals.length > 2) throw new UsageError("framework diff takes two frameworks");
  if (options.format !== undefined && options.format !== "text" && options.format !== "json") throw new UsageError(`--format must be text or json (got "${options.format}")`);
  let from: Framework | undefined;
  const loaded = await reporting(io, lang, a, async () => {
    from = await loadFramework(io, a);
    return EXIT.ok;
  });
  if (loaded !== EXIT.ok || from === undefined) return loaded;
  const first = from;
  return reporting(io, lang, b, async () => {
    const to = await loadFramework(io, b);
    const diff = diffFrameworks(first, to);
    const file = options.assessment;
    if (file === undefined) {
      io.stdout(options.format === "json" ? JSON.stringify(diff, null, 2) : formatFrameworkDiff(diff, { lang }));
      return EXIT.ok;
    }
    const parsed = AssessmentSchema.safeParse(readJsonOrFail(io, file), { reportInput: true });
    if (!parsed.success) {
      printIssues(io, lang, file, fromZodIssues(parsed.error.issues));
      return EXIT.invalid;
    }
    const misfits = checkAssessmentFit(parsed.data, to, diff);
    if (options.format === "json") io.stdout(JSON.stringify({ diff, assessment: misfits }, null, 2));
    else {
      io.stdout(formatFrameworkDiff(diff, { lang }));
      io.stdout(pick(lang, misfits.length === 0
        ? { zh: `${file}：适用于 ${to.id}`, en: `${file}: fits ${to.id}` }
        : { zh: `${file}：对照 ${to.id}，有 ${misfits.length} 处不再适用`, en: `${file}: ${misfits.length} thing${misfits.length === 1 ? "" : "s"} no longer fit ${to.id}` }));
      for (const issue of misfits) io.stdout(`  ${lang === "zh" ? (issue.zh ?? issue.message) : issue.message} [${issue.code}]`);
    }
    return EXIT.ok;
  });
}

/**
 * Runs `kaohe framework import|export|diff`.
 *
 * @param io - Where to read and print.
 * @param args - The arguments after `framework`.
 * @param lang - The language of messages; Chinese by default (`--lang en` overrides it).
 * @returns The exit code.
 */
export async function runFrameworkCommand(io: CliIO, args: readonly string[], lang: Lang = "zh"): Promise<number> {
  const [sub, ...rest] = args;
  const langAt = rest.findIndex((arg) => arg === "--lang" || arg.startsWith("--lang="));
  const langArg = langAt < 0 ? undefined : (rest[langAt] as string).includes("=") ? (rest[langAt] as string).split("=")[1] : rest[langAt + 1];
  if (langArg !== undefined && langArg !== "zh" && langArg !== "en") throw new UsageError(`--lang must be zh or en (got "${langArg}")`);
  const chosen: Lang = (langArg as Lang | undefined) ?? lang;
  if (sub === undefined || sub === "--help" || sub === "-h" || rest.includes("--help") || rest.includes("-h")) {
    io.stdout(pick(chosen, FRAMEWORK_USAGE));
    return sub === undefined ? EXIT.usage : EXIT.ok;
  }
  const run = async (action: () => Promise<number>) => {
    try {
      return await action();
    } catch (error) {
      const message = (error as { cliMessage?: Bilingual }).cliMessage;
      if (message === undefined) throw error;
      io.stderr(pick(chosen, message));
      return EXIT.invalid;
    }
  };
  if (sub === "import") return run(() => importCommand(io, chosen, rest));
  if (sub === "export") return run(() => exportCommand(io, chosen, rest));
  if (sub === "diff") return run(() => diffCommand(io, chosen, rest));
  throw new UsageError(`unknown framework command "${sub}" (import, export or diff)`);
}
