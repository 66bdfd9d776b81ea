import { isKaoheError, type KaoheIssue } from "../internal/errors";
import { jiangxi2025 } from "../frameworks/jiangxi2025";
import { nearTermChecklist2025 } from "../frameworks/nearTermChecklist2025";
import { fromZodIssues } from "../model/issues";
import { parseFramework } from "../model/parse";
import { safeParseChecklist } from "../model/checklistParse";
import { checkForbiddenKeys, checkGradeBands } from "../model/validate";
import { isCalendarDate } from "../model/primitives";
import { GradesFileSchema, PointsFileSchema } from "../scoring/files";
import { withMethods, withPoints } from "../scoring/points";
import { prepareFramework } from "../scoring/prepare";
import { SubmissionListSchema, RectificationProblemListSchema } from "../checklists/schemas";
import { checkProblemHistory } from "../checklists/rectification";
import { safePrepareRulebook } from "../screening/prepare";
import type { CommandSpec, Parsed } from "./args";
import { computeChecklistProgress } from "./checklist";
import { runCommand } from "./command";
import { inputName } from "./input";
import { EXIT, UsageError, readJson, reportIssues, type CliIO, type Ctx } from "./io";
import { t } from "./lang";
import { FileIssues, scoreFiles } from "./score";
import { PARSE_OPTIONS } from "../internal/zod";

/** Every kind of file the CLI reads, each checked as the command that reads it checks it. */
export const FILE_KINDS = ["assessment", "points", "grades", "framework", "checklist", "progress", "submissions", "problems", "rulebook"] as const;

/** The declaration of `kaohe validate`. */
export const VALIDATE_SPEC: CommandSpec = {
  name: "validate",
  args: "<file>",
  summary: t(
    "检查一个文件，一次列出所有问题；检查与读取该文件的命令相同（考核输入按指标体系检查，可用 --points/--framework，与 score 一致）。",
    "Checks a file and lists every issue at once, with the same checks as the command that reads it (an assessment is checked against the framework, with --points/--framework as score takes them).",
  ),
  options: {
    kind: { type: "string", value: `<${FILE_KINDS.join("|")}>`, choices: FILE_KINDS, help: t("文件类型；不给时按内容判断", "the kind of file; guessed from its content when not given") },
    points: { type: "string", value: "<file>", help: t("考核输入：按这个分值表检查（同 score）", "assessment: check with this points file (as score does)") },
    framework: { type: "string", value: "<file>", help: t("考核输入、分值表：按这个指标体系检查（默认内嵌的）", "assessment, points: check against this framework (default: the embedded one)") },
    grades: { type: "string", value: "<file>", help: t("考核输入：连同这个档次文件检查", "assessment: check together with this grades file") },
    "missing-as-zero": { type: "boolean", help: t("考核输入：缺少的指标按 0 分计，不报错（同 score）", "assessment: missing indicators count as 0, not as errors (as score does)") },
    "as-of": { type: "string", value: "<YYYY-MM-DD>", help: t("进度文件：按这一天检查（默认文件中最晚的日期）", "progress: check as of this day (default: the latest date in the file)") },
  },
  exits: [[EXIT.invalid, t("文件有问题（逐条列出），或无法判断文件类型", "the file has problems (each listed), or its kind cannot be told")]],
  examples: [
    "kaohe validate examples/jiangxi-2025/assessments/ganzhou.json --points examples/jiangxi-2025/points.json",
    "kaohe validate examples/screening/rulebook.json",
    "kaohe validate examples/county-2025/progress.json --kind progress",
  ],
};

type Kind = (typeof FILE_KINDS)[number];

/** Guesses what a file holds from its top-level keys. */
export function guessKind(value: unknown): Kind | undefined {
  if (Array.isArray(value)) {
    const first = value[0] as Record<string, unknown> | undefined;
    if (first && typeof first === "object" && "submittedOn" in first) return "submissions";
    if (first && typeof first === "object" && "history" in first) return "problems";
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  if ("categories" in value) return "framework";
  if ("unit" in value && "indicators" in value) return "assessment";
  if ("tasks" in value && "issuedOn" in value) return "checklist";
  if ("rules" in value && "fields" in value) return "rulebook";
  if ("points" in value) return "points";
  if ("grades" in value) return "grades";
  if ("units" in value) return "progress";
  return undefined;
}

/** The latest calendar date written anywhere in a file (the embedded checklist's issue date if none). */
function latestDate(value: unknown): string {
  const dates = JSON.stringify(value).match(/\d{4}-\d{2}-\d{2}/g) ?? [];
  return dates.filter(isCalendarDate).reduce((a, b) => (b > a ? b : a), nearTermChecklist2025.issuedOn);
}

function caught(run: () => unknown): KaoheIssue[] {
  try {
    run();
    return [];
  } catch (error) {
    if (isKaoheError(error)) return [...error.issues];
    throw error;
  }
}

/** Checks a file's content as a kind, with every check of the command that reads it. */
function check(io: CliIO, kind: Kind, file: string, value: unknown, options: Parsed["values"]): KaoheIssue[] | FileIssues[] {
  const forbidden = checkForbiddenKeys(value);
  if (forbidden.length > 0) return forbidden;
  switch (kind) {
    case "assessment": {
      const { failures } = scoreFiles(io, options, [file]);
      // Without --points the embedded framework has no points: that is the run's, not the file's.
      return failures.filter((f) => options.points !== undefined || f.file !== "--points");
    }
    case "points": {
      const parsed = PointsFileSchema.safeParse(value, PARSE_OPTIONS);
      if (!parsed.success) return fromZodIssues(parsed.error.issues);
      let framework = jiangxi2025;
      const frameworkFile = options.framework as string | undefined;
      if (frameworkFile !== undefined) {
        const read = readJson(io, frameworkFile);
        if (!read.ok) return [new FileIssues(inputName(frameworkFile), read.message)];
        const issues = caught(() => (framework = parseFramework(read.value)));
        if (issues.length > 0) return [new FileIssues(inputName(frameworkFile), issues)];
      }
      const { points, methods, total } = parsed.data;
      return caught(() => prepareFramework(withPoints(methods ? withMethods(framework, methods) : framework, points, total === undefined ? {} : { total })));
    }
    case "grades": {
      const parsed = GradesFileSchema.safeParse(value, PARSE_OPTIONS);
      return parsed.success ? checkGradeBands(parsed.data.grades, ["grades"]) : fromZodIssues(parsed.error.issues);
    }
    case "framework":
      return caught(() => prepareFramework(parseFramework(value)));
    case "checklist": {
      const parsed = safeParseChecklist(value);
      return parsed.success ? [] : [...parsed.error.issues];
    }
    case "progress": {
      const computed = computeChecklistProgress(value, (options["as-of"] as string | undefined) ?? latestDate(value), 0);
      return computed.ok ? [] : computed.issues;
    }
    case "submissions": {
      const parsed = SubmissionListSchema.safeParse(value, PARSE_OPTIONS);
      if (!parsed.success) return fromZodIssues(parsed.error.issues);
      const known = new Set(nearTermChecklist2025.tasks.flatMap((task) => task.deliverables.map((d) => d.id)));
      return parsed.data.flatMap((s, i) =>
        known.has(s.deliverable)
          ? []
          : [{ code: "unknown_deliverable", path: [i, "deliverable"], message: `submission ${i + 1} names deliverable "${s.deliverable}", which ${nearTermChecklist2025.id} does not have`, zh: `第 ${i + 1} 条报送记录的报送材料「${s.deliverable}」不在任务清单 ${nearTermChecklist2025.id} 中` }],
      );
    }
    case "problems": {
      const parsed = RectificationProblemListSchema.safeParse(value, PARSE_OPTIONS);
      if (!parsed.success) return fromZodIssues(parsed.error.issues);
      return parsed.data.flatMap((problem, i) => checkProblemHistory(problem, [i]));
    }
    case "rulebook": {
      const prepared = safePrepareRulebook(value);
      return prepared.success ? [] : [...prepared.error.issues];
    }
  }
}

function validate(ctx: Ctx, parsed: Parsed): number {
  const [file, ...extra] = parsed.positionals;
  if (file === undefined || extra.length > 0) throw new UsageError(t("validate 只检查一个文件", "validate takes one file"));
  const name = inputName(file);
  // Read once (standard input can be read only once); the checks below read the same content.
  let content: string | Uint8Array | undefined;
  const once: CliIO = { ...ctx.io, readFile: (path) => (path === file ? (content ??= ctx.io.readFile(path)) : ctx.io.readFile(path)) };
  const read = readJson(once, file);
  if (!read.ok) {
    ctx.err(read.message);
    return EXIT.invalid;
  }
  const kind = (parsed.values.kind as Kind | undefined) ?? guessKind(read.value);
  if (kind === undefined) {
    ctx.err(t(`${name}：无法判断这是哪种文件；请加 --kind ${FILE_KINDS.join("|")}`, `${name}: cannot tell what this file holds; pass --kind ${FILE_KINDS.join("|")}`));
    return EXIT.invalid;
  }
  const found = check(once, kind, file, read.value, parsed.values);
  if (found.length > 0) {
    if (!(found[0] instanceof FileIssues)) reportIssues(ctx, name, found as KaoheIssue[]);
    else {
      for (const item of found as FileIssues[]) {
        if (Array.isArray(item.issues)) reportIssues(ctx, item.file, item.issues);
        else ctx.err(item.issues as { zh: string; en: string });
      }
    }
    return EXIT.invalid;
  }
  const label = t(KIND_ZH[kind], kind);
  ctx.out(t(`${name}：有效的${label.zh}`, `${name}: valid ${kind}`));
  return EXIT.ok;
}

const KIND_ZH: Readonly<Record<Kind, string>> = {
  assessment: "考核输入", points: "分值表", grades: "档次文件", framework: "指标体系", checklist: "任务清单",
  progress: "进度文件", submissions: "报送记录", problems: "整改问题清单", rulebook: "筛查规则集",
};

/** Runs `kaohe validate`. */
export function runValidateCommand(io: CliIO, args: string[]): number | Promise<number> {
  return runCommand(VALIDATE_SPEC, args, io, validate);
}
