import { KaoheError, isKaoheError, toSafe, type KaoheIssue, type SafeResult } from "../internal/errors";
import type { Framework, FrameworkInput, GradeBand } from "../model/framework";
import { fromZodIssues, inLanguage } from "../model/issues";
import { PreparedFramework, isScored, prepareFramework, type FrameworkIndex } from "./prepare";
import { checkInputStructure } from "../model/read";
import { ZERO, amountText, compare, minus, plus, roundedText, toAmount } from "./amount";
import { AssessmentSchema, type Assessment, type ScoreOptions } from "./assessment";
import type { AssessmentInput } from "./input";
import { checkDeductionEvents, checkMatterNames, compareDeductionEvents, deductMatters, matterKey, sortDeductionEvents } from "./deductions";
import { assessmentJson } from "./canonical-json";
import { compareCodePoints, sha256Hex } from "./digest";
import { readAssessment } from "./fast-read";
import { gradeTotal } from "./grades";
import { canonicalIndicators, inOrder, indicatorLabel, indicatorPaths, scoreIndicator, type IndicatorScore } from "./indicators";
import { readScoreOptions, type PreparedScoreOptions } from "./options";
import type { CategoryResult, ScoreResult, TraceEntry } from "./result";
import { PARSE_OPTIONS } from "../internal/zod";

function prefixed(issues: readonly KaoheIssue[], prefix: string): KaoheIssue[] {
  return issues.map((issue) => ({ ...issue, path: [prefix, ...issue.path] }));
}

/** Names the indicator that an assessment path runs through, e.g. 指标 2「…」. */
function assessmentLabel(index: FrameworkIndex | undefined): (path: readonly PropertyKey[]) => string | undefined {
  return (path) => {
    if (path[0] !== "indicators" || index === undefined) return undefined;
    const indicator = index.byId.get(path[1] as string);
    return indicator ? indicatorLabel(indicator) : undefined;
  };
}

/**
 * Validates the framework, the options and the assessment, reporting every issue at once. An
 * assessment that is plainly valid is read in one walk (see fast-read.ts); any other goes through
 * the structure check and the schema, which report its issues.
 */
function validateInputs(
  frameworkInput: unknown,
  assessmentInput: unknown,
  options: unknown,
): { prepared: PreparedFramework; assessment: Assessment; options: PreparedScoreOptions; grades: readonly GradeBand[] | undefined } {
  const issues: KaoheIssue[] = [];
  let prepared: PreparedFramework | undefined;
  try {
    prepared = prepareFramework(frameworkInput as FrameworkInput);
  } catch (error) {
    if (!isKaoheError(error)) throw error;
    issues.push(...prefixed(error.issues, "framework"));
  }
  const read = readScoreOptions(options);
  issues.push(...prefixed(read.issues, "options"));
  let assessment = readAssessment(assessmentInput);
  if (assessment === undefined) {
    issues.push(...checkInputStructure(assessmentInput));
    const parsed = AssessmentSchema.safeParse(assessmentInput, PARSE_OPTIONS);
    if (parsed.success) assessment = parsed.data;
    else issues.push(...fromZodIssues(parsed.error.issues, assessmentLabel(prepared?.index)));
  }
  if (issues.length > 0 || !prepared || !assessment || !read.parsed) {
    throw new KaoheError(issues, "Cannot score the assessment");
  }
  return { prepared, assessment, options: read.parsed, grades: read.parsed.grades ?? prepared.framework.grades };
}

/**
 * The assessment in canonical order: deductions and findings sorted, so that order never matters.
 * Lists already in that order are kept as they are (the assessment read is the caller's own copy).
 */
function canonicalAssessment(assessment: Assessment): Assessment {
  const { deductions } = assessment;
  return {
    ...assessment,
    indicators: canonicalIndicators(assessment.indicators),
    ...(deductions ? { deductions: inOrder(deductions, compareDeductionEvents) ? deductions : sortDeductionEvents(deductions) } : {}),
    ...(assessment.severe?.seriousMatters ? { severe: { ...assessment.severe, seriousMatters: [...new Set(assessment.severe.seriousMatters)].sort(compareCodePoints) } } : {}),
  };
}

/** The issues of the assessment against the framework, before any arithmetic. */
function unknownInputs(index: FrameworkIndex, framework: Framework, assessment: Assessment, issues: KaoheIssue[]): void {
  for (const [id, input] of Object.entries(assessment.indicators)) {
    const indicator = index.byId.get(id);
    if (!indicator) {
      issues.push({ code: "unknown_indicator", path: ["indicators", id], message: `indicator "${id}" is not in framework ${framework.id}`, zh: `指标「${id}」不在指标体系 ${framework.id} 中` });
    } else if (!isScored(indicator)) {
      const given = Object.keys(input)[0] ?? "";
      issues.push({
        code: "input_method_mismatch",
        path: ["indicators", id],
        message: `${indicatorLabel(indicator)} is scored through the deductions, not by an input (got { ${given} })`,
        zh: `${indicatorLabel(indicator)}通过扣分项计分，不接受考核输入（收到 { ${given} }）`,
      });
    }
  }
  if (index.unpointed.length === 0) return;
  const paths = indicatorPaths(framework);
  for (const indicator of index.unpointed) {
    issues.push({
      code: "missing_points",
      path: ["framework", ...(paths.get(indicator.id) ?? []), "points"],
      message: `${indicatorLabel(indicator)} has no points: the source document gives none; supply them with withPoints(framework, { ${indicator.id}: … }) or \`kaohe score --points <file>\``,
      zh: `${indicatorLabel(indicator)}没有分值：源文件未给出分值；请用 withPoints(framework, { ${indicator.id}: … }) 或 \`kaohe score --points <文件>\` 给出`,
    });
  }
}

/**
 * Scores an assessment against a framework, exactly and deterministically (DESIGN.md, scoring
 * semantics 1–9): indicator scores by method, deductions per matter at the highest clause,
 * severe-case flags and discretionary points, a total held at 0, and the grade when bands exist.
 *
 * @param framework - The framework, with points on every scored indicator (see {@link withPoints}),
 *   or a {@link PreparedFramework} to skip validating it again.
 * @param assessment - The assessment input for one unit.
 * @param options - Grade bands, scoring missing inputs as 0, letting the total go negative, the
 *   language of the issues (`lang`); or {@link PreparedScoreOptions} (see
 *   {@link prepareScoreOptions}) to skip validating them again when many assessments share them.
 * @returns The result, with every score as a decimal string and a trace back to the document.
 * @throws {@link KaoheError} holding every issue of the framework, the options and the assessment:
 *   missing points or inputs, unknown indicators, clauses or matters, inputs that do not fit the
 *   method, scores out of range, bad facts, discretionary points without a severe case, bad numbers.
 *   With `lang: "zh"` each issue's `message` is its Chinese text; codes and paths are the same.
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
 * try {
 *   scoreAssessment(framework, { unit: { id: "nanchang", name: "南昌市" }, indicators: { ...indicators, i99: { score: 1 } } }, { lang: "zh" });
 * } catch (error) {
 *   (error as { issues: { message: string }[] }).issues[0]?.message; //=> "指标「i99」不在指标体系 jiangxi2025 中"
 * }
 * ```
 */
export function scoreAssessment(framework: Framework | PreparedFramework, assessment: AssessmentInput, options?: ScoreOptions | PreparedScoreOptions): ScoreResult;
export function scoreAssessment(frameworkInput: Framework | PreparedFramework, assessmentInput: AssessmentInput, options: ScoreOptions | PreparedScoreOptions = {}): ScoreResult {
  // Only a valid language is honoured: options that fail validation report in English otherwise.
  const lang = (options as { lang?: unknown } | null)?.lang === "zh" ? "zh" : undefined;
  return inLanguage(lang, "Cannot score the assessment", () => score(frameworkInput, assessmentInput, options));
}

function score(frameworkInput: unknown, assessmentInput: unknown, optionsInput: unknown): ScoreResult {
  const { prepared, assessment: raw, options, grades } = validateInputs(frameworkInput, assessmentInput, optionsInput);
  const { framework, rules, index } = prepared;
  const assessment = canonicalAssessment(raw);
  const issues: KaoheIssue[] = [];
  unknownInputs(index, framework, assessment, issues);

  const scores = new Map<string, IndicatorScore>();
  for (const indicator of index.scored) {
    const input = Object.hasOwn(assessment.indicators, indicator.id) ? assessment.indicators[indicator.id] : undefined;
    const path = ["indicators", indicator.id];
    if (input === undefined) {
      if (options.missingAsZero) {
        scores.set(indicator.id, { score: ZERO, exact: "0", input: null, trace: [{ kind: "missing_as_zero", message: "未提供考核输入，按选项 missingAsZero 计 0 分", source: indicator.source }] });
      } else {
        issues.push({
          code: "missing_indicator",
          path,
          message: `${indicatorLabel(indicator)} has no input; give one, or pass { missingAsZero: true } to score it 0`,
          zh: `${indicatorLabel(indicator)}没有考核输入：请给出，或传入 { missingAsZero: true } 按 0 分计`,
        });
      }
      continue;
    }
    const points = index.points.get(indicator.id);
    if (points === undefined) continue;
    const scored = scoreIndicator(indicator, points, index.pointsText.get(indicator.id) ?? amountText(points), index.factOrder.get(indicator.id), input, rules.get(indicator.id), path, issues);
    if (scored) scores.set(indicator.id, scored);
  }

  const events = assessment.deductions ?? [];
  // Paths name the events as given, not in canonical order.
  checkDeductionEvents(framework, index, raw.deductions ?? [], issues);
  checkMatterNames(raw.deductions ?? [], issues);
  const severe = assessment.severe;
  const matterNames = new Set(events.map((e) => matterKey(e.matter)));
  const isSevere = severe !== undefined && (severe.scaleReturnToPoverty === true || (severe.seriousMatters?.length ?? 0) > 0);
  severe?.seriousMatters?.forEach((matter, i) => {
    if (!matterNames.has(matterKey(matter))) {
      issues.push({
        code: "unknown_matter",
        path: ["severe", "seriousMatters", i],
        message: `serious matter "${matter}" is not a matter of the deductions`,
        zh: `问题严重的事项「${matter}」不是负面事项中的事项`,
      });
    }
  });
  if (severe && !isSevere) {
    issues.push(
      (severe.discretionary?.length ?? 0) > 0
        ? {
            code: "discretionary_without_severe_case",
            path: ["severe", "discretionary"],
            message: "discretionary points need a severe case: set scaleReturnToPoverty or name seriousMatters",
            zh: "酌情扣分须有问题严重情形：请设 scaleReturnToPoverty 或写明 seriousMatters",
          }
        : {
            code: "severe_case_not_established",
            path: ["severe"],
            message: "a severe-case record must set scaleReturnToPoverty: true or name seriousMatters",
            zh: "问题严重情形须设 scaleReturnToPoverty: true 或写明 seriousMatters",
          },
    );
  }
  if (issues.length > 0) throw new KaoheError(issues, "Cannot score the assessment");

  // Arithmetic starts only here, once every input is known to be good.
  const deductions = deductMatters(index, events, new Set((severe?.seriousMatters ?? []).map(matterKey)));
  const trace: TraceEntry[] = [...deductions.trace];
  const severePolicy = index.severePolicy;
  const discretionary = isSevere ? (severe?.discretionary ?? []) : [];
  const discretionaryTotal = discretionary.reduce((sum, d) => plus(sum, toAmount(d.points)), ZERO);
  if (isSevere && severe) {
    const why = [severe.scaleReturnToPoverty ? "发生规模性返贫" : "", (severe.seriousMatters ?? []).length > 0 ? `事项问题严重：${severe.seriousMatters?.join("、")}` : ""].filter(Boolean).join("；");
    trace.push({ kind: "severe_case", message: `${why}（${severe.reason}）：降档处理，约谈提醒`, ...(severePolicy ? { source: severePolicy.source } : {}) });
    for (const item of discretionary) {
      trace.push({ kind: "discretionary", message: `另行酌情扣分 ${amountText(toAmount(item.points))} 分：${item.reason}`, ...(severePolicy ? { source: severePolicy.source } : {}) });
    }
  }

  const precision = framework.precision;
  let indicatorsTotal = ZERO;
  const categories: CategoryResult[] = [];
  for (const { category, scored, points } of index.categories) {
    let sum = ZERO;
    const indicators = scored.map((indicator) => {
      const s = scores.get(indicator.id) as IndicatorScore;
      sum = plus(sum, s.score);
      const exactScore = s.exact;
      return {
        id: indicator.id,
        code: indicator.code,
        name: indicator.name,
        method: indicator.scoring.method,
        points: index.pointsText.get(indicator.id) ?? "0",
        score: roundedText(s.score, precision),
        exactScore,
        input: s.input,
        trace: s.trace,
      };
    });
    indicatorsTotal = plus(indicatorsTotal, sum);
    categories.push({ id: category.id, code: category.code, name: category.name, points, score: roundedText(sum, precision), exactScore: amountText(sum), indicators });
  }

  let total = minus(minus(indicatorsTotal, deductions.total), discretionaryTotal);
  if (compare(total, ZERO) < 0 && !options.allowNegativeTotal) {
    trace.push({ kind: "total_held_at_zero", message: `总分 ${amountText(total)} 低于 0，按 0 分计` });
    total = ZERO;
  }
  const rounded = roundedText(total, precision);
  const graded = grades ? gradeTotal(toAmount(rounded), grades, isSevere) : undefined;
  if (graded) trace.push(...graded.trace);

  return {
    framework: { id: framework.id, title: framework.title, precision },
    unit: assessment.unit,
    ...(assessment.period === undefined ? {} : { period: assessment.period }),
    total: rounded,
    exactTotal: amountText(total),
    indicatorsTotal: amountText(indicatorsTotal),
    categories,
    deductions: { total: amountText(deductions.total), matters: deductions.matters },
    severe:
      isSevere && severe
        ? { reason: severe.reason, scaleReturnToPoverty: severe.scaleReturnToPoverty === true, seriousMatters: severe.seriousMatters ?? [], ...(severePolicy ? { source: severePolicy.source } : {}) }
        : null,
    discretionary: { total: amountText(discretionaryTotal), items: discretionary },
    grade: graded?.grade ?? null,
    flags: { downgrade: isSevere, interview: isSevere },
    trace,
    digests: { algorithm: "sha256", framework: prepared.digest, assessment: sha256Hex(assessmentJson(assessment, index.idOrder)) },
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
export const safeScoreAssessment: (framework: unknown, assessment: unknown, options?: ScoreOptions | PreparedScoreOptions) => SafeResult<ScoreResult> =
  // Untrusted data enters here: scoreAssessment validates all three inputs whatever their type says.
  toSafe((framework: unknown, assessment: unknown, options?: ScoreOptions | PreparedScoreOptions) =>
    scoreAssessment(framework as Framework, assessment as AssessmentInput, options),
  );
