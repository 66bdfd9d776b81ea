import { KaoheError, toSafe, type KaoheIssue, type SafeResult } from "../internal/errors";
import { toExact, type ExactDecimal } from "../internal/decimal";
import type { Framework } from "../model/framework";
import { parseFramework } from "../model/parse";
import { NumberInputSchema, type NumberInput } from "../model/primitives";
import { showValue } from "../model/issues";

/** Options of {@link withPoints}. */
export interface WithPointsOptions {
  /** A declared total (合计) that the points must add up to; the framework's `totalPoints` otherwise. */
  readonly total?: NumberInput;
}

/**
 * Returns a validated copy of a framework with points (分值) set per indicator id. The source
 * document gives no points, so scoring the embedded framework starts here.
 *
 * @param framework - The framework to copy.
 * @param points - Points by indicator id, as numbers or decimal strings; every scored indicator
 *   (all but the deductions indicator) must have points.
 * @param options - An optional declared total to check the points against.
 * @returns A new framework with `points` on each scored indicator and `totalPoints` set.
 * @throws {@link KaoheError} for unknown ids (`unknown_indicator`), scored indicators left without
 *   points (`missing_points`), points that are not positive numbers, points for the deductions
 *   indicator, or a sum that differs from the declared total (`total_mismatch`), all at once.
 * @example
 * ```ts
 * import { jiangxi2025, withPoints } from "kaohe";
 * const ids = jiangxi2025.categories.flatMap((c) => c.indicators).filter((i) => i.code !== "13");
 * const scored = withPoints(jiangxi2025, Object.fromEntries(ids.map((i) => [i.id, "8"])));
 * scored.totalPoints; //=> "96"
 * ```
 */
export function withPoints(
  framework: Framework,
  points: Readonly<Record<string, NumberInput>>,
  options: WithPointsOptions = {},
): Framework {
  const issues: KaoheIssue[] = [];
  const indicators = framework.categories.flatMap((c) => c.indicators);
  const byId = new Map(indicators.map((i) => [i.id, i]));
  for (const [id, value] of Object.entries(points)) {
    const indicator = byId.get(id);
    if (!indicator) {
      issues.push({ code: "unknown_indicator", path: ["points", id], message: `indicator "${id}" is not in framework ${framework.id}` });
    } else if (indicator.scoring.method === "deductions") {
      issues.push({
        code: "points_on_deductions_indicator",
        path: ["points", id],
        message: `指标 ${indicator.code}「${indicator.name}」 is scored through the deduction clauses and takes no points`,
      });
    } else if (!NumberInputSchema.safeParse(value).success || !toExact(value).greaterThan(0)) {
      issues.push({
        code: "invalid_points",
        path: ["points", id],
        message: `指标 ${indicator.code}「${indicator.name}」: points must be a positive number or decimal string (got ${showValue(value)})`,
      });
    }
  }
  for (const indicator of indicators) {
    if (indicator.scoring.method !== "deductions" && !Object.hasOwn(points, indicator.id)) {
      issues.push({
        code: "missing_points",
        path: ["points", indicator.id],
        message: `指标 ${indicator.code}「${indicator.name}」 has no points`,
      });
    }
  }
  if (issues.length > 0) throw new KaoheError(issues, "Invalid points");

  const total = Object.values(points).reduce((sum: ExactDecimal, v) => sum.plus(toExact(v)), toExact(0));
  const declared = options.total ?? framework.totalPoints;
  if (declared !== undefined && !total.equals(toExact(declared))) {
    throw new KaoheError(
      [{ code: "total_mismatch", path: ["total"], message: `the points add up to ${total.toFixed()}, not the declared total ${declared}` }],
      "Invalid points",
    );
  }
  return parseFramework({
    ...framework,
    totalPoints: total.toFixed(),
    categories: framework.categories.map((category) => ({
      ...category,
      indicators: category.indicators.map((indicator) => {
        const value = points[indicator.id];
        return value === undefined ? indicator : { ...indicator, points: value };
      }),
    })),
  });
}

/**
 * Like {@link withPoints}, but returns a {@link SafeResult} instead of throwing.
 *
 * @param framework - The framework to copy.
 * @param points - Points by indicator id.
 * @param options - An optional declared total.
 * @returns The framework with points, or the error holding every issue.
 * @example
 * ```ts
 * import { jiangxi2025, safeWithPoints } from "kaohe";
 * safeWithPoints(jiangxi2025, { i99: 5 }).success; //=> false
 * ```
 */
export const safeWithPoints: (
  framework: Framework,
  points: Readonly<Record<string, NumberInput>>,
  options?: WithPointsOptions,
) => SafeResult<Framework> = toSafe(withPoints);

/**
 * Returns a validated copy of a framework with the scoring method of some indicators switched
 * between `manual` (实地考核 gives a score) and `findings` (扣完为止: points minus findings). The
 * source document names no method; an assessment team that deducts per finding sets it here.
 *
 * @param framework - The framework to copy.
 * @param methods - The method by indicator id: `"manual"` or `"findings"`.
 * @returns A new framework with those methods.
 * @throws {@link KaoheError} for unknown ids (`unknown_indicator`), methods other than `manual` and
 *   `findings` (`invalid_method`), or an indicator scored by rule or through deductions
 *   (`method_not_switchable`), all at once.
 * @example
 * ```ts
 * import { jiangxi2025, withMethods } from "kaohe";
 * const framework = withMethods(jiangxi2025, { i9: "findings" });
 * framework.categories[2]?.indicators[5]?.scoring; //=> { method: "findings" }
 * ```
 */
export function withMethods(framework: Framework, methods: Readonly<Record<string, "manual" | "findings">>): Framework {
  const issues: KaoheIssue[] = [];
  const byId = new Map(framework.categories.flatMap((c) => c.indicators).map((i) => [i.id, i]));
  for (const [id, method] of Object.entries(methods)) {
    const indicator = byId.get(id);
    const path = ["methods", id];
    if (!indicator) {
      issues.push({ code: "unknown_indicator", path, message: `indicator "${id}" is not in framework ${framework.id}` });
    } else if (method !== "manual" && method !== "findings") {
      issues.push({ code: "invalid_method", path, message: `指标 ${indicator.code}「${indicator.name}」: method must be "manual" or "findings" (got ${showValue(method)})` });
    } else if (indicator.scoring.method !== "manual" && indicator.scoring.method !== "findings") {
      issues.push({
        code: "method_not_switchable",
        path,
        message: `指标 ${indicator.code}「${indicator.name}」 is scored by ${indicator.scoring.method}; only manual and findings indicators can switch`,
      });
    }
  }
  if (issues.length > 0) throw new KaoheError(issues, "Invalid scoring methods");
  return parseFramework({
    ...framework,
    categories: framework.categories.map((category) => ({
      ...category,
      indicators: category.indicators.map((indicator) => {
        const method = methods[indicator.id];
        return method === undefined ? indicator : { ...indicator, scoring: { method } };
      }),
    })),
  });
}
