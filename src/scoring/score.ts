import { KaoheError, isKaoheError, toSafe, type KaoheIssue, type SafeResult } from "../internal/errors";
import { Exact, toExact, type ExactDecimal } from "../internal/decimal";
import type { Framework, FrameworkInput, GradeBand, Indicator } from "../model/framework";
import { fromZodIssues } from "../model/issues";
import { PreparedFramework, prepareFramework } from "./prepare";
import { checkGradeBands } from "../model/validate";
import { checkInputStructure } from "../model/read";
import { AssessmentSchema, ScoreOptionsSchema, type Assessment, type ScoreOptions } from "./assessment";
import type { AssessmentInput } from "./input";
import { checkDeductionEvents, checkMatterNames, deductMatters, matterKey, sortDeductionEvents } from "./deductions";
import { compareCodePoints, digestJson } from "./digest";
import { gradeTotal } from "./grades";
import { indicatorLabel, indicatorPaths, scoreIndicator, sortFindings, type IndicatorScore } from "./indicators";
import type { CategoryResult, ScoreResult, TraceEntry } from "./result";
import { PARSE_OPTIONS } from "../internal/zod";

type ScoredIndicator = Indicator & { scoring: { method: "manual" | "findings" | "rule" } };

function isScored(indicator: Indicator): indicator is ScoredIndicator {
  return indicator.scoring.method !== "deductions";
}

function prefixed(issues: readonly KaoheIssue[], prefix: string): KaoheIssue[] {
  return issues.map((issue) => ({ ...issue, path: [prefix, ...issue.path] }));
}

/** Names the indicator that an assessment path runs through, e.g. 指标 2「…」. */
function assessmentLabel(framework: Framework | undefined): (path: readonly PropertyKey[]) => string | undefined {
  return (path) => {
    if (path[0] !== "indicators" || framework === undefined) return undefined;
    const indicator = framework.categories.flatMap((c) => c.indicators).find((i) => i.id === path[1]);
    return indicator ? indicatorLabel(indicator) : undefined;
  };
}

/** Validates the framework, the options and the assessment, reporting every issue at once. */
function validateInputs(
  frameworkInput: unknown,
  assessmentInput: unknown,
  options: unknown,
): { prepared: PreparedFramework; assessment: Assessment; grades: GradeBand[] | undefined } {
  const issues: KaoheIssue[] = [];
  let prepared: PreparedFramework | undefined;
  try {
    prepared = prepareFramework(frameworkInput as FrameworkInput);
  } catch (error) {
    if (!isKaoheError(error)) throw error;
    issues.push(...prefixed(error.issues, "framework"));
  }
  const parsedOptions = ScoreOptionsSchema.safeParse(options ?? {}, PARSE_OPTIONS);
  if (!parsedOptions.success) issues.push(...prefixed(fromZodIssues(parsedOptions.error.issues), "options"));
  issues.push(...checkInputStructure(options, ["options"]));
  issues.push(...prefixed(checkGradeBands((options as ScoreOptions | undefined)?.grades, ["grades"]), "options"));
  issues.push(...checkInputStructure(assessmentInput));
  const parsed = AssessmentSchema.safeParse(assessmentInput, PARSE_OPTIONS);
  if (!parsed.success) issues.push(...fromZodIssues(parsed.error.issues, assessmentLabel(prepared?.framework)));
  if (issues.length > 0 || !prepared || !parsed.success || !parsedOptions.success) {
    throw new KaoheError(issues, "Cannot score the assessment");
  }
  return { prepared, assessment: parsed.data, grades: parsedOptions.data.grades ?? prepared.framework.grades };
}

/** The assessment in canonical order: deductions and findings sorted, so that order never matters. */
function canonicalAssessment(assessment: Assessment): Assessment {
  const indicators = Object.fromEntries(
    Object.entries(assessment.indicators).map(([id, input]) => [id, "findings" in input ? { findings: sortFindings(input.findings) } : input]),
  );
  return {
    ...assessment,
    indicators,
    ...(assessment.deductions ? { deductions: sortDeductionEvents(assessment.deductions) } : {}),
    ...(assessment.severe?.seriousMatters ? { severe: { ...assessment.severe, seriousMatters: [...new Set(assessment.severe.seriousMatters)].sort(compareCodePoints) } } : {}),
  };
}

function round(value: ExactDecimal, places: number): string {
  return value.toDecimalPlaces(places, Exact.ROUND_HALF_UP).toFixed(places);
}

/**
 * Scores an assessment against a framework, exactly and deterministically (DESIGN.md, scoring
 * semantics 1–9): indicator scores by method, deductions per matter at the highest clause,
 * severe-case flags and discretionary points, a total held at 0, and the grade when bands exist.
 *
 * @param framework - The framework, with points on every scored indicator (see {@link withPoints}),
 *   or a {@link PreparedFramework} to skip validating it again.
 * @param assessment - The assessment input for one unit.
 * @param options - Grade bands, scoring missing inputs as 0, letting the total go negative.
 * @returns The result, with every score as a decimal string and a trace back to the document.
 * @throws {@link KaoheError} holding every issue of the framework, the options and the assessment:
 *   missing points or inputs, unknown indicators, clauses or matters, inputs that do not fit the
 *   method, scores out of range, bad facts, discretionary points without a severe case, bad numbers.
 * @example
 * ```ts
 * import { jiangxi2025, scoreAssessment, withPoints } from "kaohe";
 * const ids = jiangxi2025.categories.flatMap((c) => c.indicators).filter((i) => i.code !== "13").map((i) => i.id);
 * const framework = withPoints(jiangxi2025, Object.fromEntries(ids.map((id) => [id, 8])));
 * const indicators = Object.fromEntries(ids.map((id) => [id, { score: 8 }]));
 * indicators.i10 = { facts: { wholeTownshipOrVillageRisk: false } };
 * indicators.i11 = { facts: { growth: 6.5, provinceGrowth: 6.4, nationalGrowth: 6.6 } };
 * const result = scoreAssessment(framework, {
 *   unit: { id: "nanchang", name: "南昌市" },
 *   indicators,
 *   deductions: [{ matter: "媒体曝光", clause: "13f" }, { matter: "媒体曝光", clause: "13d" }],
 * });
 * result.total; //=> "87.20"
 * ```
 */
export function scoreAssessment(framework: Framework | PreparedFramework, assessment: AssessmentInput, options?: ScoreOptions): ScoreResult;
export function scoreAssessment(frameworkInput: Framework | PreparedFramework, assessmentInput: AssessmentInput, options: ScoreOptions = {}): ScoreResult {
  const { prepared, assessment: raw, grades } = validateInputs(frameworkInput, assessmentInput, options);
  const { framework, rules } = prepared;
  const assessment = canonicalAssessment(raw);
  const issues: KaoheIssue[] = [];
  const all = framework.categories.flatMap((c) => c.indicators);
  const byId = new Map(all.map((i) => [i.id, i]));
  for (const [id, input] of Object.entries(assessment.indicators)) {
    const indicator = byId.get(id);
    if (!indicator) {
      issues.push({ code: "unknown_indicator", path: ["indicators", id], message: `indicator "${id}" is not in framework ${framework.id}`, zh: `指标「${id}」不在指标体系 ${framework.id} 中` });
    } else if (!isScored(indicator)) {
      issues.push({
        code: "input_method_mismatch",
        path: ["indicators", id],
        message: `${indicatorLabel(indicator)} is scored through the deductions, not by an input (got { ${Object.keys(input)[0] ?? ""} })`,
      });
    }
  }
  const unpointed = all.filter((i) => isScored(i) && i.points === undefined);
  const paths = unpointed.length > 0 ? indicatorPaths(framework) : new Map<string, (string | number)[]>();
  for (const indicator of unpointed) {
    issues.push({
      code: "missing_points",
      path: ["framework", ...(paths.get(indicator.id) ?? []), "points"],
      message: `${indicatorLabel(indicator)} has no points: the source document gives none; supply them with withPoints(framework, { ${indicator.id}: … }) or \`kaohe score --points <file>\``,
    });
  }

  const scores = new Map<string, IndicatorScore>();
  for (const indicator of all.filter(isScored)) {
    const input = Object.hasOwn(assessment.indicators, indicator.id) ? assessment.indicators[indicator.id] : undefined;
    const path = ["indicators", indicator.id];
    if (input === undefined) {
      if (options.missingAsZero) {
        scores.set(indicator.id, { score: toExact(0), input: null, trace: [{ kind: "missing_as_zero", message: "未提供考核输入，按选项 missingAsZero 计 0 分", source: indicator.source }] });
      } else {
        issues.push({ code: "missing_indicator", path, message: `${indicatorLabel(indicator)} has no input; give one, or pass { missingAsZero: true } to score it 0` });
      }
      continue;
    }
    if (indicator.points === undefined) continue;
    const scored = scoreIndicator(indicator, toExact(indicator.points), input, rules.get(indicator.id), path, issues);
    if (scored) scores.set(indicator.id, scored);
  }

  const events = assessment.deductions ?? [];
  // Paths name the events as given, not in canonical order.
  checkDeductionEvents(framework, raw.deductions ?? [], issues);
  checkMatterNames(raw.deductions ?? [], issues);
  const severe = assessment.severe;
  const matterNames = new Set(events.map((e) => matterKey(e.matter)));
  const isSevere = severe !== undefined && (severe.scaleReturnToPoverty === true || (severe.seriousMatters?.length ?? 0) > 0);
  severe?.seriousMatters?.forEach((matter, index) => {
    if (!matterNames.has(matterKey(matter))) {
      issues.push({ code: "unknown_matter", path: ["severe", "seriousMatters", index], message: `serious matter "${matter}" is not a matter of the deductions` });
    }
  });
  if (severe && !isSevere) {
    issues.push(
      (severe.discretionary?.length ?? 0) > 0
        ? { code: "discretionary_without_severe_case", path: ["severe", "discretionary"], message: "discretionary points need a severe case: set scaleReturnToPoverty or name seriousMatters" }
        : { code: "severe_case_not_established", path: ["severe"], message: "a severe-case record must set scaleReturnToPoverty: true or name seriousMatters" },
    );
  }
  if (issues.length > 0) throw new KaoheError(issues, "Cannot score the assessment");

  // Arithmetic starts only here, once every input is known to be good.
  const deductions = deductMatters(framework, events, new Set((severe?.seriousMatters ?? []).map(matterKey)));
  const trace: TraceEntry[] = [...deductions.trace];
  const severePolicy = framework.policies.find((p) => p.kind === "severe_case");
  const discretionary = isSevere ? (severe?.discretionary ?? []) : [];
  const discretionaryTotal = discretionary.reduce((sum, d) => sum.plus(toExact(d.points)), toExact(0));
  if (isSevere && severe) {
    const why = [severe.scaleReturnToPoverty ? "发生规模性返贫" : "", (severe.seriousMatters ?? []).length > 0 ? `事项问题严重：${severe.seriousMatters?.join("、")}` : ""].filter(Boolean).join("；");
    trace.push({ kind: "severe_case", message: `${why}（${severe.reason}）：降档处理，约谈提醒`, ...(severePolicy ? { source: severePolicy.source } : {}) });
    for (const item of discretionary) {
      trace.push({ kind: "discretionary", message: `另行酌情扣分 ${toExact(item.points).toFixed()} 分：${item.reason}`, ...(severePolicy ? { source: severePolicy.source } : {}) });
    }
  }

  const precision = framework.precision;
  let indicatorsTotal = toExact(0);
  const categories: CategoryResult[] = [];
  for (const category of framework.categories) {
    const scored = category.indicators.filter(isScored);
    if (scored.length === 0) continue;
    let sum = toExact(0);
    let points = toExact(0);
    const indicators = scored.map((indicator) => {
      const s = scores.get(indicator.id) as IndicatorScore;
      const max = toExact(indicator.points ?? 0);
      sum = sum.plus(s.score);
      points = points.plus(max);
      return {
        id: indicator.id,
        code: indicator.code,
        name: indicator.name,
        method: indicator.scoring.method,
        points: max.toFixed(),
        score: round(s.score, precision),
        exactScore: s.score.toFixed(),
        input: s.input,
        trace: s.trace,
      };
    });
    indicatorsTotal = indicatorsTotal.plus(sum);
    categories.push({ id: category.id, code: category.code, name: category.name, points: points.toFixed(), score: round(sum, precision), exactScore: sum.toFixed(), indicators });
  }

  let total = indicatorsTotal.minus(deductions.total).minus(discretionaryTotal);
  if (total.isNegative() && !options.allowNegativeTotal) {
    trace.push({ kind: "total_held_at_zero", message: `总分 ${total.toFixed()} 低于 0，按 0 分计` });
    total = toExact(0);
  }
  const rounded = round(total, precision);
  const graded = grades ? gradeTotal(toExact(rounded), grades, isSevere) : undefined;
  if (graded) trace.push(...graded.trace);

  return {
    framework: { id: framework.id, title: framework.title, precision },
    unit: assessment.unit,
    ...(assessment.period === undefined ? {} : { period: assessment.period }),
    total: rounded,
    exactTotal: total.toFixed(),
    indicatorsTotal: indicatorsTotal.toFixed(),
    categories,
    deductions: { total: deductions.total.toFixed(), matters: deductions.matters },
    severe:
      isSevere && severe
        ? { reason: severe.reason, scaleReturnToPoverty: severe.scaleReturnToPoverty === true, seriousMatters: severe.seriousMatters ?? [], ...(severePolicy ? { source: severePolicy.source } : {}) }
        : null,
    discretionary: { total: discretionaryTotal.toFixed(), items: discretionary },
    grade: graded?.grade ?? null,
    flags: { downgrade: isSevere, interview: isSevere },
    trace,
    digests: { algorithm: "sha256", framework: prepared.digest, assessment: digestJson(assessment) },
  };
}

/**
 * Like {@link scoreAssessment}, but returns `{ success: true, data }` or `{ success: false, error }`.
 *
 * @param framework - The framework, with points on every scored indicator.
 * @param assessment - The assessment input for one unit.
 * @param options - As for {@link scoreAssessment}.
 * @returns The result, or the error holding every issue.
 * @example
 * ```ts
 * import { jiangxi2025, safeScoreAssessment } from "kaohe";
 * const outcome = safeScoreAssessment(jiangxi2025, { unit: { id: "x", name: "某市" }, indicators: {} });
 * outcome.success; //=> false
 * ```
 */
export const safeScoreAssessment: (framework: unknown, assessment: unknown, options?: ScoreOptions) => SafeResult<ScoreResult> =
  // Untrusted data enters here: scoreAssessment validates all three inputs whatever their type says.
  toSafe((framework: unknown, assessment: unknown, options?: ScoreOptions) =>
    scoreAssessment(framework as Framework, assessment as AssessmentInput, options),
  );
