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
import { checkProblemHistory, RectificationProblemSchema } from "../checklists/rectification";
import { safePrepareRulebook } from "../screening/prepare";
import { compileRule } from "../rules/index";
import type { JsonLogicRule } from "../rules/types";
import { stringOption, type CommandSpec, type Parsed } from "./args";
import { computeChecklistProgress } from "./checklist";
import { runCommand } from "./command";
import { inputName } from "./input";
import { EXIT, UsageError, readJson, reportIssues, type CliIO, type Ctx } from "./io";
import { t } from "./lang";
import { FILE_KINDS, type ValidateOutput } from "./outputs";
import { FileIssues, jsonErrors, scoreFiles } from "./score";
import { PARSE_OPTIONS } from "../internal/zod";

export { FILE_KINDS };

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
    format: { type: "string", value: "<text|json>", choices: ["text", "json"], default: "text", help: t("输出格式；json 时有效与否、出错信息都是 JSON（schemas/validate-output.schema.json）", "output format; with json, the verdict and every problem are JSON (schemas/validate-output.schema.json)") },
  },
  exits: [[EXIT.invalid, t("文件有问题（逐条列出），或无法判断文件类型", "the file has problems (each listed), or its kind cannot be told")]],
  examples: [
    "kaohe validate examples/jiangxi-2025/assessments/ganzhou.json --points examples/jiangxi-2025/points.json",
    "kaohe validate examples/screening/rulebook.json",
    "kaohe validate examples/county-2025/progress.json --kind progress",
    "kaohe validate examples/screening/rulebook.json --format json",
  ],
};

type Kind = (typeof FILE_KINDS)[number];
type Issue = Pick<KaoheIssue, "path" | "message" | "code" | "zh">;

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

/** Whether a path lies at or under another. */
function under(path: readonly PropertyKey[], prefix: readonly PropertyKey[]): boolean {
  return prefix.length <= path.length && prefix.every((key, i) => path[i] === key);
}

/**
 * Shape errors do not hide the other errors: what a later check finds is added to what the shape
 * check found, leaving out what it finds at or under a path already reported (the same problem twice).
 */
function alsoFound(first: readonly Issue[], later: readonly Issue[]): Issue[] {
  const seen = new Set(first.map((i) => `${i.code}|${i.path.join(".")}`));
  const added = later.filter((i) => !first.some((f) => under(i.path, f.path)) && !seen.has(`${i.code}|${i.path.join(".")}`));
  return [...first, ...added];
}

/** How messages name a list's elements: `rules[2]` (from 0), `submission 3`, 第 3 条报送记录 (from 1). */
const ORDINALS: Readonly<Record<string, readonly (readonly [RegExp, number])[]>> = {
  rules: [[/rules\[(\d+)\]/g, 0]],
  submissions: [[/submission (\d+)/g, 1], [/第 (\d+) 条报送记录/g, 1]],
  visits: [[/visit (\d+)/g, 1], [/第 (\d+) 条走访记录/g, 1]],
  problems: [[/problems\[(\d+)\]/g, 0]],
};

/**
 * Runs a check that the shape check stops on the value without the list elements that its shape
 * issues point at, and adds what it finds, with paths and the elements that messages name mapped
 * back to the file's own.
 */
function beyondShape(value: unknown, first: readonly Issue[], keys: readonly string[], run: (reduced: unknown) => readonly Issue[]): Issue[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [...first];
  const reduced: Record<string, unknown> = { ...value };
  const kept = new Map<string, number[]>();
  for (const key of keys) {
    const list = reduced[key];
    if (!Array.isArray(list)) continue;
    const bad = new Set(first.flatMap((i) => (i.path[0] === key ? [i.path[1]] : [])));
    const indexes = list.flatMap((_, i) => (bad.has(i) ? [] : [i]));
    kept.set(key, indexes);
    reduced[key] = indexes.map((i) => list[i] as unknown);
  }
  const renumber = (text: string) => {
    let out = text;
    for (const [key, indexes] of kept) {
      for (const [pattern, base] of ORDINALS[key] ?? []) {
        out = out.replace(pattern, (whole, n: string) => whole.replace(n, String((indexes[Number(n) - base] ?? Number(n) - base) + base)));
      }
    }
    return out;
  };
  const back = (issue: Issue): Issue => {
    const [key, index, ...rest] = issue.path;
    const indexes = typeof key === "string" ? kept.get(key) : undefined;
    const path = indexes && typeof index === "number" ? [key as string, indexes[index] ?? index, ...rest] : issue.path;
    return { ...issue, path, message: renumber(issue.message), ...(issue.zh === undefined ? {} : { zh: renumber(issue.zh) }) };
  };
  return alsoFound(first, run(reduced).map(back));
}

function record(value: unknown, key: string): Record<string, unknown> | undefined {
  const field = (value as Record<string, unknown> | null)?.[key];
  return typeof field === "object" && field !== null && !Array.isArray(field) ? (field as Record<string, unknown>) : undefined;
}

/** The issues of the rules of rule-scored indicators that no shape issue touches, compiled one by one. */
function ruleIssues(framework: unknown, shape: readonly Issue[]): Issue[] {
  const categories = (framework as { categories?: unknown } | null)?.categories;
  if (!Array.isArray(categories)) return [];
  return categories.flatMap((category: unknown, c) => {
    const indicators = (category as { indicators?: unknown } | null)?.indicators;
    if (!Array.isArray(indicators)) return [];
    return indicators.flatMap((indicator: unknown, i) => {
      const path = ["categories", c, "indicators", i];
      const { scoring, code, name } = (indicator ?? {}) as { scoring?: { method?: unknown; rule?: unknown }; code?: unknown; name?: unknown };
      if (scoring?.method !== "rule" || shape.some((issue) => under(issue.path, path) || under(path, issue.path))) return [];
      const label = `指标 ${String(code)}「${String(name)}」`;
      return caught(() => compileRule(scoring.rule as JsonLogicRule)).map((issue) => ({ ...issue, path: [...path, "scoring", "rule", ...issue.path], message: `${label}: ${issue.message}` }));
    });
  });
}

/** The deliverables of submissions that the embedded checklist does not have. */
function unknownDeliverables(submissions: unknown): Issue[] {
  if (!Array.isArray(submissions)) return [];
  const known = new Set(nearTermChecklist2025.tasks.flatMap((task) => task.deliverables.map((d) => d.id)));
  return submissions.flatMap((s: unknown, i) => {
    const deliverable = (s as { deliverable?: unknown } | null)?.deliverable;
    return typeof deliverable !== "string" || known.has(deliverable)
      ? []
      : [{ code: "unknown_deliverable", path: [i, "deliverable"], message: `submission ${i + 1} names deliverable "${deliverable}", which ${nearTermChecklist2025.id} does not have`, zh: `第 ${i + 1} 条报送记录的报送材料「${deliverable}」不在任务清单 ${nearTermChecklist2025.id} 中` }];
  });
}

/** Checks a file's content as a kind, with every check of the command that reads it. */
function check(io: CliIO, kind: Kind, file: string, value: unknown, options: Parsed["values"]): Issue[] | FileIssues[] {
  const forbidden = checkForbiddenKeys(value);
  if (forbidden.length > 0) return forbidden;
  switch (kind) {
    case "assessment": {
      const { failures } = scoreFiles(io, options, [file]);
      // Without --points the embedded framework has no points: that is the run's, not the file's.
      return failures.filter((f) => options.points !== undefined || f.file !== "--points");
    }
    case "points": {
      let framework = jiangxi2025;
      const frameworkFile = options.framework as string | undefined;
      if (frameworkFile !== undefined) {
        const read = readJson(io, frameworkFile);
        if (!read.ok) return [new FileIssues(inputName(frameworkFile), read.message)];
        const issues = caught(() => (framework = parseFramework(read.value)));
        if (issues.length > 0) return [new FileIssues(inputName(frameworkFile), issues)];
      }
      const parsed = PointsFileSchema.safeParse(value, PARSE_OPTIONS);
      if (parsed.success) {
        const { points, methods, total } = parsed.data;
        return caught(() => prepareFramework(withPoints(methods ? withMethods(framework, methods) : framework, points, total === undefined ? {} : { total })));
      }
      // The ids and values are still checked against the framework, as withPoints checks them.
      const first = fromZodIssues(parsed.error.issues);
      const points = record(value, "points");
      const methods = record(value, "methods");
      const later = [
        ...(methods ? caught(() => withMethods(framework, methods as never)) : []),
        ...(points ? caught(() => withPoints(framework, points as never)) : []),
      ];
      return alsoFound(first, later);
    }
    case "grades": {
      const parsed = GradesFileSchema.safeParse(value, PARSE_OPTIONS);
      const bands = (value as { grades?: unknown } | null)?.grades;
      // The bands' order and uniqueness are checked on what the file holds, well-shaped or not.
      return parsed.success ? checkGradeBands(parsed.data.grades, ["grades"]) : alsoFound(fromZodIssues(parsed.error.issues), checkGradeBands(bands, ["grades"]));
    }
    case "framework": {
      // parseFramework reports the shape and the references (ids, departments, clauses) together;
      // the rules, which it does not reach, are still compiled where the indicator is well shaped.
      const first = caught(() => prepareFramework(parseFramework(value)));
      return first.length === 0 ? [] : alsoFound(first, ruleIssues(value, first));
    }
    case "checklist": {
      // Shape and references together, as parseChecklist reports them.
      const parsed = safeParseChecklist(value);
      return parsed.success ? [] : [...parsed.error.issues];
    }
    case "progress": {
      const asOf = (options["as-of"] as string | undefined) ?? latestDate(value);
      const computed = computeChecklistProgress(value, asOf, 0);
      if (computed.ok) return [];
      // Submissions, visits and problems of a good shape are still checked against the checklist and the units.
      return beyondShape(value, computed.issues, ["submissions", "visits", "problems"], (reduced) => {
        const again = computeChecklistProgress(reduced, asOf, 0);
        return again.ok ? [] : again.issues;
      });
    }
    case "submissions": {
      const parsed = SubmissionListSchema.safeParse(value, PARSE_OPTIONS);
      return alsoFound(parsed.success ? [] : fromZodIssues(parsed.error.issues), unknownDeliverables(value));
    }
    case "problems": {
      const parsed = RectificationProblemListSchema.safeParse(value, PARSE_OPTIONS);
      if (parsed.success) return parsed.data.flatMap((problem, i) => checkProblemHistory(problem, [i]));
      // Each problem of a good shape still has its history checked against the workflow.
      const first = fromZodIssues(parsed.error.issues);
      const histories = Array.isArray(value)
        ? value.flatMap((problem: unknown, i) => {
            const one = RectificationProblemSchema.safeParse(problem, PARSE_OPTIONS);
            return one.success ? checkProblemHistory(one.data, [i]) : [];
          })
        : [];
      return alsoFound(first, histories);
    }
    case "rulebook": {
      const prepared = safePrepareRulebook(value);
      if (prepared.success) return [];
      // The rules of a good shape are still compiled and checked (codes, fields, parameters).
      return beyondShape(value, prepared.error.issues, ["rules"], (reduced) => {
        const again = safePrepareRulebook(reduced);
        return again.success ? [] : again.error.issues;
      });
    }
  }
}

/** What checking a file found: the kind it was checked as, and every problem. */
interface Verdict {
  readonly kind: Kind | undefined;
  readonly failures: readonly FileIssues[];
}

function verdict(ctx: Ctx, file: string, parsed: Parsed): Verdict {
  const name = inputName(file);
  const given = parsed.values.kind as Kind | undefined;
  // Read once (standard input can be read only once); the checks below read the same content.
  let content: string | Uint8Array | undefined;
  const once: CliIO = { ...ctx.io, readFile: (path) => (path === file ? (content ??= ctx.io.readFile(path)) : ctx.io.readFile(path)) };
  const read = readJson(once, file);
  if (!read.ok) return { kind: given, failures: [new FileIssues(name, read.message)] };
  const kind = given ?? guessKind(read.value);
  if (kind === undefined) {
    return { kind, failures: [new FileIssues(name, t(`${name}：无法判断这是哪种文件；请加 --kind ${FILE_KINDS.join("|")}`, `${name}: cannot tell what this file holds; pass --kind ${FILE_KINDS.join("|")}`))] };
  }
  const found = check(once, kind, file, read.value, parsed.values);
  if (found.length === 0) return { kind, failures: [] };
  return { kind, failures: found[0] instanceof FileIssues ? (found as FileIssues[]) : [new FileIssues(name, found as Issue[])] };
}

function validate(ctx: Ctx, parsed: Parsed): number {
  const [file, ...extra] = parsed.positionals;
  if (file === undefined || extra.length > 0) throw new UsageError(t("validate 只检查一个文件", "validate takes one file"));
  const name = inputName(file);
  const { kind, failures } = verdict(ctx, file, parsed);
  const ok = failures.length === 0;
  if (stringOption(parsed, "format") === "json") {
    const output: ValidateOutput = { ok, file: name, kind: kind ?? null, errors: jsonErrors(ctx.lang, failures) };
    ctx.io.stdout(JSON.stringify(output, null, 2));
    return ok ? EXIT.ok : EXIT.invalid;
  }
  for (const item of failures) {
    if (Array.isArray(item.issues)) reportIssues(ctx, item.file, item.issues);
    else ctx.err(item.issues as { zh: string; en: string });
  }
  if (!ok || kind === undefined) return EXIT.invalid;
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
