import { isKaoheError, type KaoheIssue } from "../internal/errors";
import { jiangxi2025 } from "../frameworks/jiangxi2025";
import type { Framework } from "../model/framework";
import { fromZodIssues } from "../model/issues";
import { parseFramework } from "../model/parse";
import { checkForbiddenKeys } from "../model/validate";
import { GradesFileSchema, PointsFileSchema } from "../scoring/files";
import { withMethods, withPoints } from "../scoring/points";
import { rankResults } from "../scoring/rank";
import type { ScoreResult } from "../scoring/result";
import { scoreAssessment } from "../scoring/score";
import type { AssessmentInput } from "../scoring/input";
import { prepareFramework } from "../scoring/prepare";
import type { ScoreOptions } from "../scoring/assessment";
import { EXIT, UsageError, parseArgs, readJson, reportIssues, type CliIO } from "./io";
import { renderTable } from "./table";

/** A file that could not be used, with every issue found in it. */
class FileIssues {
  constructor(
    readonly file: string,
    readonly issues: readonly Pick<KaoheIssue, "path" | "message" | "code">[] | string,
  ) {}
}

function load(io: CliIO, file: string): unknown {
  const read = readJson(io, file);
  if (!read.ok) throw new FileIssues(file, read.message);
  const forbidden = checkForbiddenKeys(read.value);
  if (forbidden.length > 0) throw new FileIssues(file, forbidden);
  return read.value;
}

/** Runs a step that may throw a KaoheError, blaming the given file for its issues. */
function blame<T>(file: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (isKaoheError(error)) throw new FileIssues(file, error.issues);
    throw error;
  }
}

/** Builds the framework to score with: embedded or from a file, with points and methods applied. */
function loadFramework(io: CliIO, options: Record<string, string>): { framework: Framework; grades?: ScoreOptions["grades"] } {
  let framework: Framework = jiangxi2025;
  if (options.framework) {
    const file = options.framework;
    framework = blame(file, () => parseFramework(load(io, file)));
  }
  if (options.points) {
    const file = options.points;
    const parsed = PointsFileSchema.safeParse(load(io, file), { reportInput: true });
    if (!parsed.success) throw new FileIssues(file, fromZodIssues(parsed.error.issues));
    const { points, methods, total } = parsed.data;
    framework = blame(file, () => withPoints(methods ? withMethods(framework, methods) : framework, points, total === undefined ? {} : { total }));
  }
  if (!options.grades) return { framework };
  const file = options.grades;
  const parsed = GradesFileSchema.safeParse(load(io, file), { reportInput: true });
  if (!parsed.success) throw new FileIssues(file, fromZodIssues(parsed.error.issues));
  return { framework, grades: parsed.data.grades };
}

const METHOD_LABEL = { manual: "实地考核", findings: "扣完为止", rule: "规则" } as const;

/** Prints one result as a table with Chinese labels, then its deductions, severe case and total. */
export function printResult(io: CliIO, result: ScoreResult): void {
  io.stdout(`${result.unit.name}（${result.unit.id}）${result.period ? ` ${result.period}` : ""}`);
  const rows = result.categories.flatMap((category) =>
    category.indicators.map((i) => [`${category.code}`, i.code, i.name, METHOD_LABEL[i.method], i.points, i.score]),
  );
  for (const line of renderTable(
    [{ heading: "类别" }, { heading: "代码", align: "right" }, { heading: "指标" }, { heading: "方法" }, { heading: "分值", align: "right" }, { heading: "得分", align: "right" }],
    rows,
  )) {
    io.stdout(`  ${line}`);
  }
  for (const matter of result.deductions.matters) {
    const superseded = matter.superseded.length > 0 ? `；就高，不再按 ${matter.superseded.map((c) => c.id).join("、")} 扣分` : "";
    io.stdout(`  扣分  事项「${matter.matter}」按 ${matter.clause.id} 扣 ${matter.points} 分${superseded}`);
  }
  for (const item of result.discretionary.items) io.stdout(`  酌情扣分  ${item.points} 分：${item.reason}`);
  if (result.severe) io.stdout(`  问题严重：${result.severe.reason}（降档处理，约谈提醒）`);
  const grade = result.grade
    ? `  等次 ${result.grade.final}${result.grade.downgraded ? `（由 ${result.grade.base} 降档）` : result.grade.alreadyLowest ? "（已是最低档）" : ""}`
    : "";
  io.stdout(`  总分 ${result.total}（指标 ${result.indicatorsTotal} − 扣分 ${result.deductions.total} − 酌情 ${result.discretionary.total}）${grade}`);
  io.stdout("");
}

/** Prints a cohort ranking table. */
export function printRanking(io: CliIO, results: readonly ScoreResult[]): void {
  io.stdout("排名");
  const rows = rankResults(results).map((r) => [String(r.rank), r.unitName, r.unitId, r.total, r.grade ?? "—"]);
  for (const line of renderTable(
    [{ heading: "名次", align: "right" }, { heading: "单位" }, { heading: "代码" }, { heading: "总分", align: "right" }, { heading: "等次" }],
    rows,
  )) {
    io.stdout(`  ${line}`);
  }
}

/**
 * `kaohe score <assessment.json…> [--points f] [--grades f] [--framework f] [--format table|json]
 * [--missing-as-zero] [--allow-negative-total]`:
 * scores each assessment with the embedded framework (or `--framework`), prints each breakdown,
 * and a ranking when there are several. Exit 1 with every issue of every file for bad input.
 */
export function runScoreCommand(io: CliIO, args: string[]): number {
  const { positionals, options } = parseArgs(args, ["points", "grades", "framework", "format"], ["missing-as-zero", "allow-negative-total"]);
  const format = options.format ?? "table";
  if (format !== "table" && format !== "json") throw new UsageError(`--format must be table or json (got "${format}")`);
  if (positionals.length === 0) throw new UsageError("score needs at least one assessment file");
  const failures: FileIssues[] = [];
  const results: ScoreResult[] = [];
  try {
    const { framework: loaded, grades } = loadFramework(io, options);
    const framework = blame(options.framework ?? "(embedded framework)", () => prepareFramework(loaded));
    const scoreOptions: ScoreOptions = {
      ...(grades ? { grades } : {}),
      ...(options["missing-as-zero"] ? { missingAsZero: true } : {}),
      ...(options["allow-negative-total"] ? { allowNegativeTotal: true } : {}),
    };
    for (const file of positionals) {
      try {
        results.push(blame(file, () => scoreAssessment(framework, load(io, file) as AssessmentInput, scoreOptions)));
      } catch (error) {
        if (!(error instanceof FileIssues)) throw error;
        failures.push(error);
      }
    }
  } catch (error) {
    if (!(error instanceof FileIssues)) throw error;
    failures.push(error);
  }
  if (failures.length > 0) {
    for (const failure of failures) printFileIssues(io, failure);
    return EXIT.invalid;
  }
  if (format === "json") {
    const ranking = rankResults(results).map(({ result: _result, ...rest }) => rest);
    io.stdout(JSON.stringify(results.length === 1 ? results[0] : { results, ranking }, null, 2));
    return EXIT.ok;
  }
  for (const result of results) printResult(io, result);
  if (results.length > 1) printRanking(io, results);
  return EXIT.ok;
}

function printFileIssues(io: CliIO, failure: FileIssues): void {
  if (typeof failure.issues === "string") io.stderr(failure.issues);
  else reportIssues(io, failure.file, failure.issues);
}
