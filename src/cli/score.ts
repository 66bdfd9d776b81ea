import type { z } from "zod/mini";
import { isKaoheError, type KaoheIssue } from "../internal/errors";
import { ScoreOutputSchema } from "./outputs";
import { jiangxi2025 } from "../frameworks/jiangxi2025";
import type { Framework } from "../model/framework";
import { fromZodIssues, localizeIssue } from "../model/issues";
import { parseFramework } from "../model/parse";
import { checkForbiddenKeys } from "../model/validate";
import { GradesFileSchema, PointsFileSchema } from "../scoring/files";
import { withMethods, withPoints } from "../scoring/points";
import { rankResults } from "../scoring/rank";
import type { ScoreResult } from "../scoring/result";
import { scoreAssessment } from "../scoring/score";
import type { AssessmentInput } from "../scoring/input";
import { prepareFramework } from "../scoring/prepare";
import { explainResult, formatExplanation } from "../scoring/explain";
import type { ScoreOptions } from "../scoring/assessment";
import type { CommandSpec, Parsed } from "./args";
import { runCommand } from "./command";
import { decidingComparison, showFact } from "./explain-rule";
import { inputName } from "./input";
import { EXIT, UsageError, readJson, reportIssues, type CliIO, type Ctx } from "./io";
import { t, type Bilingual, type Lang } from "./lang";
import { renderTable } from "./table";
import { PARSE_OPTIONS } from "../internal/zod";

/** The declaration of `kaohe score`, from which its parsing and help are made. */
export const SCORE_SPEC: CommandSpec = {
  name: "score",
  args: "<assessment.json>…",
  summary: t(
    "按指标体系（默认：内嵌的 2025 年江西省考核指标体系）为每个考核输入计分，打印得分明细；多个输入时再打印排名。",
    "Scores each assessment with the framework (default: the embedded 2025 江西省 indicator system), prints each breakdown, and a ranking when there are several.",
  ),
  options: {
    points: { type: "string", value: "<file>", help: t("分值表文件（源文件未给分值，内嵌指标体系计分时必需）", "points file (required with the embedded framework: the source document gives no points)") },
    grades: { type: "string", value: "<file>", help: t("档次文件（等次及最低分）", "grade bands file (grades and their minimums)") },
    framework: { type: "string", value: "<file>", help: t("改用这个指标体系文件", "use this framework file instead") },
    format: { type: "string", value: "<table|json>", choices: ["table", "json"], default: "table", help: t("输出格式；json 时出错信息也是 JSON", "output format; with json, errors are JSON too") },
    explain: { type: "boolean", help: t("打印每项得分的理由及出处；规则计分的指标列出所读事实和起决定作用的比较", "print why each score was given, with its source; rule-scored indicators show the facts read and the deciding comparison") },
    "missing-as-zero": { type: "boolean", help: t("没有考核输入的指标按 0 分计（明细中注明）", "score indicators with no input as 0 (the breakdown says so)") },
    "allow-negative-total": { type: "boolean", help: t("总分可以低于 0（默认不低于 0）", "let the total fall below 0 (held at 0 by default)") },
  },
  exits: [[EXIT.invalid, t("输入有误：列出每个文件的每个问题，不计任何分", "invalid input: every issue of every file is listed, nothing is scored")]],
  examples: [
    "kaohe score examples/jiangxi-2025/assessments/ganzhou.json --points examples/jiangxi-2025/points.json --grades examples/jiangxi-2025/grades.json --explain",
    "kaohe score examples/jiangxi-2025/assessments/*.json --points examples/jiangxi-2025/points.json --format json",
    "kaohe score - --points examples/jiangxi-2025/points.json < examples/jiangxi-2025/assessments/ganzhou.json",
  ],
  notes: [t("文件名为 - 时从标准输入读取。", "A file named - is read from standard input.")],
};

type Issue = Pick<KaoheIssue, "path" | "message" | "code" | "zh">;

/** A file that could not be used, with every issue found in it (or one message about the file). */
export class FileIssues {
  constructor(
    readonly file: string,
    readonly issues: readonly Issue[] | Bilingual,
  ) {}
}

function load(io: CliIO, file: string): unknown {
  const read = readJson(io, file);
  if (!read.ok) throw new FileIssues(inputName(file), read.message);
  const forbidden = checkForbiddenKeys(read.value);
  if (forbidden.length > 0) throw new FileIssues(inputName(file), forbidden);
  return read.value;
}

/** Runs a step that may throw a KaoheError, blaming the given file for its issues. */
function blame<T>(file: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (isKaoheError(error)) throw new FileIssues(inputName(file), error.issues);
    throw error;
  }
}

/** A points or grades file that says it is illustrative (示例数据). */
export interface IllustrativeFile {
  readonly file: string;
  readonly kind: "points" | "grades";
}

interface Loaded {
  framework: Framework;
  grades?: ScoreOptions["grades"];
  illustrative: IllustrativeFile[];
}

/** Builds the framework to score with: embedded or from a file, with points and methods applied. */
function loadFramework(io: CliIO, options: Record<string, unknown>): Loaded {
  let framework: Framework = jiangxi2025;
  const illustrative: IllustrativeFile[] = [];
  const failures: FileIssues[] = [];
  const attempt = (step: () => void) => {
    try {
      step();
    } catch (error) {
      if (!(error instanceof FileIssues)) throw error;
      failures.push(error);
    }
  };
  const frameworkFile = options.framework as string | undefined;
  const pointsFile = options.points as string | undefined;
  const gradesFile = options.grades as string | undefined;
  if (frameworkFile) attempt(() => (framework = blame(frameworkFile, () => parseFramework(load(io, frameworkFile)))));
  if (pointsFile) {
    attempt(() => {
      const parsed = PointsFileSchema.safeParse(load(io, pointsFile), PARSE_OPTIONS);
      if (!parsed.success) throw new FileIssues(inputName(pointsFile), fromZodIssues(parsed.error.issues));
      const { points, methods, total, illustrative: flag } = parsed.data;
      if (flag) illustrative.push({ file: pointsFile, kind: "points" });
      if (failures.length === 0) framework = blame(pointsFile, () => withPoints(methods ? withMethods(framework, methods) : framework, points, total === undefined ? {} : { total }));
    });
  }
  let grades: ScoreOptions["grades"];
  if (gradesFile) {
    attempt(() => {
      const parsed = GradesFileSchema.safeParse(load(io, gradesFile), PARSE_OPTIONS);
      if (!parsed.success) throw new FileIssues(inputName(gradesFile), fromZodIssues(parsed.error.issues));
      if (parsed.data.illustrative) illustrative.push({ file: gradesFile, kind: "grades" });
      grades = parsed.data.grades;
    });
  }
  if (failures.length > 0) throw failures;
  return { framework, ...(grades ? { grades } : {}), illustrative };
}

/**
 * The problems a shape error hides: when the library stops at the shape of an assessment, its
 * indicator keys are still checked against the framework (unknown ids, scored indicators with no
 * input), so that one run reports every problem of the file.
 */
function beyondShape(found: readonly Issue[], framework: Framework, value: unknown, missingAsZero: boolean): Issue[] {
  if (found.some((i) => i.code === "unknown_indicator" || i.code === "missing_indicator")) return [];
  const given = (value as { indicators?: unknown } | null)?.indicators;
  if (typeof given !== "object" || given === null || Array.isArray(given)) return [];
  const indicators = framework.categories.flatMap((c) => c.indicators);
  const known = new Map(indicators.map((i) => [i.id, i]));
  const issues: Issue[] = [];
  for (const id of Object.keys(given)) {
    if (!known.has(id)) {
      issues.push({ code: "unknown_indicator", path: ["indicators", id], message: `indicator "${id}" is not in framework ${framework.id}`, zh: `指标「${id}」不在指标体系 ${framework.id} 中` });
    }
  }
  if (!missingAsZero) {
    for (const indicator of indicators) {
      if (indicator.scoring.method === "deductions" || Object.hasOwn(given, indicator.id)) continue;
      issues.push({ code: "missing_indicator", path: ["indicators", indicator.id], message: `指标 ${indicator.code}「${indicator.name}」 has no input` });
    }
  }
  return issues;
}

/**
 * Puts the library's advice in the command line's terms: `--points <file>` rather than
 * `withPoints(…)`, `--missing-as-zero` rather than `{ missingAsZero: true }`, and no paths inside
 * the embedded framework, which the user never sees.
 */
function adviseInCliTerms(issues: readonly Issue[], embedded: boolean): Issue[] {
  const out: Issue[] = [];
  const unpointed = issues.filter((i) => i.code === "missing_points" && i.path[0] === "framework");
  if (unpointed.length > 0) {
    const labels = unpointed.map((i) => /^(指标 [^「]+「[^」]*」)/.exec(i.message)?.[1] ?? "").filter(Boolean);
    const where = embedded ? "" : " in the --framework file";
    out.push({
      code: "missing_points",
      path: ["--points"],
      message: `${unpointed.length} scored indicator(s)${where} have no points (the source document gives none): give a points file with --points <file>, e.g. examples/jiangxi-2025/points.json; missing: ${labels.join(", ")}`,
      zh: `有 ${unpointed.length} 个计分指标没有分值（源文件未给出分值）：请用 --points <文件> 给出分值表，如 examples/jiangxi-2025/points.json；缺少分值的：${labels.join("、")}`,
    });
  }
  for (const issue of issues) {
    if (unpointed.includes(issue)) continue;
    if (issue.code === "missing_indicator") {
      const label = /^(指标 [^「]+「[^」]*」)/.exec(issue.message)?.[1] ?? formatKey(issue.path);
      out.push({
        ...issue,
        message: `${label} has no input: give ${formatKey(issue.path)} in the file, or pass --missing-as-zero to score it 0`,
        zh: `${label}没有考核输入：请在文件中填写 ${formatKey(issue.path)}，或加 --missing-as-zero 按 0 分计`,
      });
    } else out.push(issue);
  }
  return out;
}

function formatKey(path: readonly (string | number)[]): string {
  return path.map((k) => String(k)).join(".");
}

const METHOD_LABEL: Readonly<Record<string, Bilingual>> = { manual: t("实地考核", "on-site"), findings: t("扣完为止", "findings"), rule: t("规则", "rule") };

function l(lang: Lang, text: Bilingual): string {
  return lang === "en" ? text.en : text.zh;
}

function gradeText(lang: Lang, result: ScoreResult, banded: boolean): string {
  if (!banded) return "";
  const g = result.grade;
  if (!g) return l(lang, t("  等次 —（低于各档最低分，不定等次）", "  grade — (below every band's minimum: no grade)"));
  const note = g.downgraded ? l(lang, t(`（由 ${g.base} 降档）`, ` (downgraded from ${g.base})`)) : g.alreadyLowest ? l(lang, t("（已是最低档）", " (already the lowest)")) : "";
  return `${l(lang, t("  等次 ", "  grade "))}${g.final}${note}`;
}

/** Prints one result as a table, then its deductions, severe case and total. */
export function printResult(ctx: Ctx, result: ScoreResult, banded: boolean): void {
  const { lang } = ctx;
  ctx.out(`${result.unit.name}（${result.unit.id}）${result.period ? ` ${result.period}` : ""}`);
  const rows = result.categories.flatMap((category) =>
    category.indicators.map((i) => [`${category.code}`, i.code, i.name, l(lang, METHOD_LABEL[i.method] ?? t(i.method, i.method)), i.points, i.score]),
  );
  const h = (zh: string, en: string) => l(lang, t(zh, en));
  for (const line of renderTable(
    [{ heading: h("类别", "category") }, { heading: h("代码", "code"), align: "right" }, { heading: h("指标", "indicator") }, { heading: h("方法", "method") }, { heading: h("分值", "points"), align: "right" }, { heading: h("得分", "score"), align: "right" }],
    rows,
  )) {
    ctx.out(`  ${line}`);
  }
  for (const matter of result.deductions.matters) {
    const ids = matter.superseded.map((c) => c.id);
    const superseded = ids.length > 0 ? h(`；就高，不再按 ${ids.join("、")} 扣分`, `; the higher clause applies, not ${ids.join(", ")}`) : "";
    ctx.out(h(`  扣分  事项「${matter.matter}」按 ${matter.clause.id} 扣 ${matter.points} 分${superseded}`, `  deduction  matter「${matter.matter}」: ${matter.points} under ${matter.clause.id}${superseded}`));
  }
  for (const item of result.discretionary.items) ctx.out(h(`  酌情扣分  ${item.points} 分：${item.reason}`, `  discretionary  ${item.points}: ${item.reason}`));
  if (result.severe) ctx.out(h(`  问题严重：${result.severe.reason}（降档处理，约谈提醒）`, `  severe case: ${result.severe.reason} (downgrade, interview)`));
  const sum = h(`（指标 ${result.indicatorsTotal} − 扣分 ${result.deductions.total} − 酌情 ${result.discretionary.total}）`, ` (indicators ${result.indicatorsTotal} − deductions ${result.deductions.total} − discretionary ${result.discretionary.total})`);
  ctx.out(`${h("  总分 ", "  total ")}${result.total}${sum}${gradeText(lang, result, banded)}`);
  ctx.out("");
}

/** Prints the explanation of a result in the reader's language, with the facts and deciding comparison of rules. */
function printExplanation(ctx: Ctx, result: ScoreResult, framework: Framework): void {
  const rules = new Map(framework.categories.flatMap((c) => c.indicators).flatMap((i) => (i.scoring.method === "rule" ? [[i.id, i.scoring.rule] as const] : [])));
  const lines = explainResult(result, { lang: ctx.lang });
  const text = formatExplanation(lines).split("\n");
  for (const line of text) {
    ctx.out(line);
    const indicator = result.categories.flatMap((c) => c.indicators).find((i) => i.method === "rule" && line.startsWith(`  ${i.code}. `));
    const facts = indicator?.input && "facts" in indicator.input ? (indicator.input.facts as Record<string, unknown>) : undefined;
    if (!indicator || !facts) continue;
    const read = Object.entries(facts).map(([k, v]) => `${k} = ${showFact(v)}`).join(ctx.lang === "en" ? ", " : "，");
    ctx.out(`    ${l(ctx.lang, t(`读取的事实：${read}`, `facts read: ${read}`))}`);
    const decided = decidingComparison(rules.get(indicator.id), facts, ctx.lang);
    if (decided) ctx.out(`    ${l(ctx.lang, t(`起决定作用的比较：${decided}，得 ${indicator.score} 分`, `deciding comparison: ${decided}, score ${indicator.score}`))}`);
  }
  ctx.out("");
}

/** Prints a cohort ranking table. */
export function printRanking(ctx: Ctx, results: readonly ScoreResult[]): void {
  const h = (zh: string, en: string) => l(ctx.lang, t(zh, en));
  ctx.out(h("排名", "Ranking"));
  const rows = rankResults(results).map((r) => [String(r.rank), r.unitName, r.unitId, r.total, r.grade ?? "—"]);
  for (const line of renderTable(
    [{ heading: h("名次", "rank"), align: "right" }, { heading: h("单位", "unit") }, { heading: h("代码", "id") }, { heading: h("总分", "total"), align: "right" }, { heading: h("等次", "grade") }],
    rows,
  )) {
    ctx.out(`  ${line}`);
  }
}

/** What `kaohe score --format json` prints, whatever the number of inputs: see {@link ScoreOutputSchema}. */
export type ScoreOutput = z.input<typeof ScoreOutputSchema>;

/** Every problem of every file, as `--format json` reports them (see the schemas' `errors`). */
export function jsonErrors(lang: Lang, failures: readonly FileIssues[]): ScoreOutput["errors"] {
  return failures.map((f) =>
    "zh" in f.issues && "en" in f.issues && !Array.isArray(f.issues)
      ? { file: f.file, message: l(lang, f.issues as Bilingual) }
      : { file: f.file, issues: (f.issues as readonly Issue[]).map((i) => ({ code: i.code, path: [...i.path], message: localizeIssue(i, lang).message })) },
  );
}

/**
 * Runs `kaohe score`: scores each assessment with the embedded framework (or `--framework`), prints
 * each breakdown, and a ranking when there are several. Bad input of any file: exit 1 with every
 * issue of every file, nothing scored.
 *
 * @param args - The arguments after `score`.
 * @param io - Output channels and the file reader.
 * @returns The exit code.
 */
export function runScoreCommand(io: CliIO, args: string[]): number | Promise<number> {
  return runCommand(SCORE_SPEC, args, io, (ctx, parsed) => score(ctx, parsed));
}

/** What scoring a run's files gives: the results, or the failures of every file. */
export interface ScoredFiles {
  readonly failures: FileIssues[];
  readonly results: { file: string; result: ScoreResult }[];
  readonly loaded: Loaded | undefined;
  readonly prepared: ReturnType<typeof prepareFramework> | undefined;
}

/**
 * Loads the framework, points and grades that the options name and scores each file, collecting
 * every problem of every file; `kaohe validate` runs the same checks through it.
 *
 * @internal
 */
export function scoreFiles(io: CliIO, options: Parsed["values"], files: readonly string[]): ScoredFiles {
  const failures: FileIssues[] = [];
  const results: { file: string; result: ScoreResult }[] = [];
  let loaded: Loaded | undefined;
  try {
    loaded = loadFramework(io, options);
  } catch (error) {
    if (!Array.isArray(error)) throw error;
    failures.push(...(error as FileIssues[]));
  }
  const embedded = options.framework === undefined;
  let prepared: ReturnType<typeof prepareFramework> | undefined;
  if (loaded) {
    try {
      prepared = blame((options.framework as string | undefined) ?? "--framework", () => prepareFramework(loaded.framework));
    } catch (error) {
      if (!(error instanceof FileIssues)) throw error;
      failures.push(error);
    }
  }
  const scoreOptions: ScoreOptions = {
    ...(loaded?.grades ? { grades: loaded.grades } : {}),
    ...(options["missing-as-zero"] ? { missingAsZero: true } : {}),
    ...(options["allow-negative-total"] ? { allowNegativeTotal: true } : {}),
  };
  let pointsAdvised = false;
  for (const file of files) {
    try {
      if (!prepared) {
        load(io, file);
        continue;
      }
      const framework = prepared;
      const value = load(io, file);
      try {
        results.push({ file, result: blame(file, () => scoreAssessment(framework, value as AssessmentInput, scoreOptions)) });
      } catch (error) {
        if (!(error instanceof FileIssues) || !Array.isArray(error.issues)) throw error;
        throw new FileIssues(error.file, [...error.issues, ...beyondShape(error.issues as Issue[], framework.framework, value, scoreOptions.missingAsZero === true)]);
      }
    } catch (error) {
      if (!(error instanceof FileIssues)) throw error;
      if (Array.isArray(error.issues)) {
        let issues = adviseInCliTerms(error.issues as Issue[], embedded);
        // The missing points are the framework's, not each file's: say it once, for the run.
        if (issues.some((i) => i.path[0] === "--points")) {
          if (!pointsAdvised) failures.push(new FileIssues("--points", issues.filter((i) => i.path[0] === "--points")));
          pointsAdvised = true;
          issues = issues.filter((i) => i.path[0] !== "--points");
        }
        if (issues.length > 0) failures.push(new FileIssues(error.file, issues));
      } else failures.push(error);
    }
  }
  const seen = new Map<string, string>();
  for (const { file, result } of results) {
    const first = seen.get(result.unit.id);
    if (first !== undefined) {
      failures.push(
        new FileIssues(inputName(file), [
          {
            code: "duplicate_unit",
            path: ["unit", "id"],
            message: `unit "${result.unit.id}" (${result.unit.name}) is also assessed in ${first}: one input per unit, or the ranking is wrong`,
            zh: `单位「${result.unit.name}」（${result.unit.id}）在 ${first} 中也有考核输入：每个单位只能有一份，否则排名会出错`,
          },
        ]),
      );
    } else seen.set(result.unit.id, inputName(file));
  }
  return { failures, results, loaded, prepared };
}

function score(ctx: Ctx, parsed: Parsed): number {
  const { io, lang } = ctx;
  const options = parsed.values;
  const files = parsed.positionals;
  const format = (options.format as string | undefined) ?? "table";
  if (files.length === 0) throw new UsageError(t("score 至少需要一个考核输入文件", "score needs at least one assessment file"));
  if (files.filter((f) => f === "-").length > 1) throw new UsageError(t("标准输入（-）只能读一次", "standard input (-) can be read only once"));
  const { failures, results, loaded, prepared } = scoreFiles(io, options, files);
  const illustrative = loaded?.illustrative ?? [];
  if (format === "json") {
    const ok = failures.length === 0;
    const scored = ok ? results.map((r) => r.result) : [];
    const output: ScoreOutput = {
      ok,
      illustrative,
      results: scored,
      ranking: rankResults(scored).map(({ result: _result, ...rest }) => rest),
      errors: jsonErrors(lang, failures),
    };
    io.stdout(JSON.stringify(output, null, 2));
    return ok ? EXIT.ok : EXIT.invalid;
  }
  if (failures.length > 0) {
    for (const failure of failures) {
      if (Array.isArray(failure.issues)) reportIssues(ctx, failure.file, failure.issues as Issue[]);
      else ctx.err(failure.issues as Bilingual);
    }
    ctx.err(t(`未计分：${failures.length} 个文件有问题，改正后重试`, `nothing scored: ${failures.length} file(s) have problems; correct them and run again`));
    return EXIT.invalid;
  }
  for (const item of illustrative) {
    ctx.out(t(`示例数据：${item.kind === "points" ? "分值" : "档次"}来自示例文件 ${item.file}，不是正式标准，结果仅供演示`, `示例数据 (illustrative): the ${item.kind} come from ${item.file}, an example, not an official standard`));
  }
  if (illustrative.length > 0) ctx.out("");
  const banded = loaded?.grades !== undefined || prepared?.framework.grades !== undefined;
  for (const { result } of results) {
    if (options.explain && prepared) printExplanation(ctx, result, prepared.framework);
    else printResult(ctx, result, banded);
  }
  if (results.length > 1) printRanking(ctx, results.map((r) => r.result));
  return EXIT.ok;
}
