import { KaoheError, isKaoheError, type KaoheIssue } from "../internal/errors";
import type { Category, DeductionClause, Framework, FrameworkInput, Indicator, Policy } from "../model/framework";
import { parseFramework } from "../model/parse";
import { compileRule, type PreparedRule } from "../rules/index";
import { ZERO, amountText, plus, toAmount, type Amount } from "./amount";
import { compareCodePoints, digestJson } from "./digest";
import { indicatorLabel, indicatorPaths, ruleOf } from "./indicators";

/** An indicator scored by an input (every method but `deductions`). */
export type ScoredIndicator = Indicator & { scoring: { method: "manual" | "findings" | "rule" } };

/** Tells whether an indicator is scored by an input rather than through the deductions. */
export function isScored(indicator: Indicator): indicator is ScoredIndicator {
  return indicator.scoring.method !== "deductions";
}

/**
 * What scoring looks up in a framework, derived once from it: the indicators by id, the scored ones
 * by category with their points as exact decimals, the deduction clauses and the policies cited.
 * Scoring an assessment reads it and never changes it.
 */
export interface FrameworkIndex {
  /** Every indicator, in document order. */
  readonly indicators: readonly Indicator[];
  readonly byId: ReadonlyMap<string, Indicator>;
  /** The scored indicators, in document order. */
  readonly scored: readonly ScoredIndicator[];
  /** Each category that has scored indicators, with them and the sum of their points as text. */
  readonly categories: readonly { readonly category: Category; readonly scored: readonly ScoredIndicator[]; readonly points: string }[];
  /** The points of each scored indicator that has them, exact, by id. */
  readonly points: ReadonlyMap<string, Amount>;
  /** The same points as plain decimal text. */
  readonly pointsText: ReadonlyMap<string, string>;
  /** Every indicator's id, in code point order (the order of canonical JSON's keys). */
  readonly idOrder: readonly string[];
  /** The fact names of each rule-scored indicator, in code point order, by indicator id. */
  readonly factOrder: ReadonlyMap<string, readonly string[]>;
  /** The scored indicators without points. */
  readonly unpointed: readonly ScoredIndicator[];
  /** The deduction clauses by id, and each clause's place in the framework's order. */
  readonly clauses: ReadonlyMap<string, DeductionClause>;
  readonly clauseOrder: ReadonlyMap<string, number>;
  /** Each clause's points, exact and as plain decimal text, by clause id. */
  readonly clausePoints: ReadonlyMap<string, { readonly exact: Amount; readonly text: string }>;
  readonly severePolicy: Policy | undefined;
  readonly highestPolicy: Policy | undefined;
}

/** Derives the {@link FrameworkIndex} of a validated framework. */
export function indexFramework(framework: Framework): FrameworkIndex {
  const indicators = framework.categories.flatMap((c) => c.indicators);
  const scored = indicators.filter(isScored);
  const points = new Map<string, Amount>();
  for (const indicator of scored) if (indicator.points !== undefined) points.set(indicator.id, toAmount(indicator.points));
  const sum = (list: readonly ScoredIndicator[]) => amountText(list.reduce((total, i) => plus(total, points.get(i.id) ?? ZERO), ZERO));
  return {
    indicators,
    byId: new Map(indicators.map((i) => [i.id, i])),
    scored,
    categories: framework.categories
      .map((category) => category.indicators.filter(isScored))
      .flatMap((list, i) => (list.length > 0 ? [{ category: framework.categories[i] as Category, scored: list, points: sum(list) }] : [])),
    points,
    pointsText: new Map([...points].map(([id, value]) => [id, amountText(value)])),
    idOrder: indicators.map((i) => i.id).sort(compareCodePoints),
    factOrder: new Map(scored.flatMap((i) => (i.scoring.method === "rule" ? [[i.id, i.scoring.facts.map((f) => f.name).sort(compareCodePoints)]] : []))),
    unpointed: scored.filter((i) => i.points === undefined),
    clauses: new Map(framework.deductionClauses.map((c) => [c.id, c])),
    clauseOrder: new Map(framework.deductionClauses.map((c, i) => [c.id, i])),
    clausePoints: new Map(framework.deductionClauses.map((c) => {
      const exact = toAmount(c.points);
      return [c.id, { exact, text: amountText(exact) }];
    })),
    severePolicy: framework.policies.find((p) => p.kind === "severe_case"),
    highestPolicy: framework.policies.find((p) => p.kind === "same_matter_highest"),
  };
}

/**
 * A framework validated once, with its rules compiled and its digest computed, for scoring many
 * assessments: pass it to `scoreAssessment` in place of the framework. Immutable.
 */
export class PreparedFramework {
  /** The validated framework. */
  readonly framework: Framework;
  /** SHA-256 of the framework's canonical JSON. */
  readonly digest: string;
  /** @internal The compiled rules of rule-scored indicators, by indicator id. */
  readonly rules: ReadonlyMap<string, PreparedRule>;
  /** @internal What scoring looks up in the framework, derived once. */
  readonly index: FrameworkIndex;

  /** @internal Use {@link prepareFramework}. */
  constructor(framework: Framework, rules: ReadonlyMap<string, PreparedRule>) {
    this.framework = framework;
    this.rules = rules;
    this.digest = digestJson(framework);
    this.index = indexFramework(framework);
    Object.freeze(this);
  }
}

/**
 * Validates a framework and compiles its rules once, so that scoring many assessments with it
 * (a province's 11 设区市, a benchmark) does not repeat the work.
 *
 * @param framework - The framework, e.g. from {@link withPoints}; data of unknown shape goes
 *   through {@link parseFramework} first. It is validated all the same.
 * @returns The prepared framework, to pass to `scoreAssessment`.
 * @throws {@link KaoheError} holding every issue of the framework and of its rules.
 * @example
 * ```ts
 * import { jiangxi2025, prepareFramework } from "kaohe";
 * prepareFramework(jiangxi2025).framework.id; //=> "jiangxi2025"
 * ```
 */
export function prepareFramework(framework: FrameworkInput | PreparedFramework): PreparedFramework {
  if (framework instanceof PreparedFramework) return framework;
  const issues: KaoheIssue[] = [];
  let parsed: Framework | undefined;
  try {
    parsed = parseFramework(framework);
  } catch (error) {
    if (!isKaoheError(error)) throw error;
    issues.push(...error.issues);
  }
  const rules = new Map<string, PreparedRule>();
  const paths = parsed ? indicatorPaths(parsed) : new Map<string, (string | number)[]>();
  for (const indicator of parsed?.categories.flatMap((c) => c.indicators) ?? []) {
    const rule = ruleOf(indicator);
    if (rule === undefined) continue;
    try {
      rules.set(indicator.id, compileRule(rule));
    } catch (error) {
      if (!isKaoheError(error)) throw error;
      for (const issue of error.issues) {
        issues.push({
          ...issue,
          path: [...(paths.get(indicator.id) ?? []), "scoring", "rule", ...issue.path],
          message: `${indicatorLabel(indicator)}: ${issue.message}`,
        });
      }
    }
  }
  if (issues.length > 0 || parsed === undefined) throw new KaoheError(issues, "Invalid framework");
  return new PreparedFramework(parsed, rules);
}
