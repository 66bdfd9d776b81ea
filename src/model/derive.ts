import { KaoheError, toSafe, type KaoheIssue, type SafeResult } from "../internal/errors";
import type { Category, DeductionClause, Department, Framework, GradeBand, Indicator, Policy, SourceDocument } from "./framework";
import { parseFramework } from "./parse";
import type { NumberInput } from "./primitives";

/** A change to one indicator: the fields to replace (its id stays). */
export type IndicatorChange = Partial<Omit<Indicator, "id">>;

/** An indicator to add to a category, after another indicator or at the category's end. */
export interface IndicatorAddition {
  /** The id of the category that receives it. */
  readonly category: string;
  /** The indicator. */
  readonly indicator: Indicator;
  /** The id of the indicator it follows; the category's end when left out. */
  readonly after?: string;
}

/**
 * What a derived framework changes in its base. Everything left out is kept; `id` is required,
 * because a derived framework is a new one.
 */
export interface FrameworkChanges {
  /** The derived framework's id. */
  readonly id: string;
  /** The derived framework's title; the base's otherwise. */
  readonly title?: string;
  /** Its year; the base's otherwise. */
  readonly year?: number;
  /** Its level, e.g. `county`; the base's otherwise. */
  readonly level?: Framework["level"];
  /** The region whose units it assesses; the base's otherwise. */
  readonly region?: string;
  /** The document it is transcribed from; the base's otherwise. */
  readonly document?: SourceDocument;
  /** Departments by id: a known id is renamed, a new one is added at the end. */
  readonly departments?: readonly Department[];
  /** Category renames and renumbering by category id. */
  readonly categories?: Readonly<Record<string, Partial<Pick<Category, "code" | "name">>>>;
  /** Changes by indicator id; `null` removes the indicator. */
  readonly indicators?: Readonly<Record<string, IndicatorChange | null>>;
  /** Indicators to add. */
  readonly addIndicators?: readonly IndicatorAddition[];
  /** The deduction clauses, replacing the base's. */
  readonly deductionClauses?: readonly DeductionClause[];
  /** The policies, replacing the base's. */
  readonly policies?: readonly Policy[];
  /** Grade bands, replacing the base's; `null` removes them. */
  readonly grades?: readonly GradeBand[] | null;
  /** The declared total (合计); `null` removes it. */
  readonly totalPoints?: NumberInput | null;
  /** Decimal places of output scores. */
  readonly precision?: number;
}

/**
 * Derives a framework from another (a county's from its city's, a city's from its province's):
 * a copy with the changes applied, `derivesFrom` naming the base, validated as a whole.
 *
 * @param base - The framework derived from; it is not changed.
 * @param changes - What the derived framework changes; see {@link FrameworkChanges}.
 * @returns The derived framework, parsed by `parseFramework`.
 * @throws {@link index!KaoheError} for changes naming an indicator or category the base does not have
 *   (`unknown_indicator`, `unknown_category`), and for every issue of the result (a category left
 *   empty, an unknown department, a total that no longer adds up …), all at once.
 * @example
 * ```ts
 * import { jiangxi2025 } from "kaohe";
 * import { deriveFramework } from "kaohe/authoring";
 * const city = deriveFramework(jiangxi2025, {
 *   id: "fuzhou2025",
 *   level: "municipal",
 *   region: "抚州市",
 *   indicators: { i8: null, i9: { name: "问题整改情况" } },
 * });
 * city.derivesFrom; //=> { id: "jiangxi2025", year: 2025, title: "2025年度巩固拓展脱贫攻坚成果考核指标体系" }
 * city.categories[2]?.indicators.map((i) => i.id); //=> ["i4", "i5", "i6", "i7", "i9"]
 * ```
 */
export function deriveFramework(base: Framework, changes: FrameworkChanges): Framework {
  const issues: KaoheIssue[] = [];
  const indicatorIds = new Set(base.categories.flatMap((c) => c.indicators.map((i) => i.id)));
  const categoryIds = new Set(base.categories.map((c) => c.id));
  for (const id of Object.keys(changes.indicators ?? {})) {
    if (!indicatorIds.has(id)) issues.push(unknown("indicator", ["indicators", id], id, base.id));
  }
  for (const id of Object.keys(changes.categories ?? {})) {
    if (!categoryIds.has(id)) issues.push(unknown("category", ["categories", id], id, base.id));
  }
  (changes.addIndicators ?? []).forEach((addition, index) => {
    if (!categoryIds.has(addition.category)) issues.push(unknown("category", ["addIndicators", index, "category"], addition.category, base.id));
    if (addition.after !== undefined && !indicatorIds.has(addition.after)) {
      issues.push(unknown("indicator", ["addIndicators", index, "after"], addition.after, base.id));
    }
  });
  if (issues.length > 0) throw new KaoheError(issues, `Invalid changes to framework ${base.id}`);

  const categories = base.categories.map((category) => {
    const indicators: Indicator[] = [];
    const additions = (changes.addIndicators ?? []).filter((a) => a.category === category.id);
    for (const indicator of category.indicators) {
      const change = changes.indicators?.[indicator.id];
      if (change !== null) indicators.push(change === undefined ? indicator : { ...indicator, ...change, id: indicator.id });
      indicators.push(...additions.filter((a) => a.after === indicator.id).map((a) => a.indicator));
    }
    indicators.push(...additions.filter((a) => a.after === undefined).map((a) => a.indicator));
    return { ...category, ...changes.categories?.[category.id], id: category.id, indicators };
  });

  const departments = base.departments.map((d) => changes.departments?.find((c) => c.id === d.id) ?? d);
  departments.push(...(changes.departments ?? []).filter((c) => !base.departments.some((d) => d.id === c.id)));

  const { grades, totalPoints, ...rest } = base;
  const derived: Record<string, unknown> = {
    ...rest,
    id: changes.id,
    title: changes.title ?? base.title,
    year: changes.year ?? base.year,
    level: changes.level ?? base.level,
    region: changes.region ?? base.region,
    document: changes.document ?? base.document,
    derivesFrom: { id: base.id, year: base.year, title: base.title },
    departments,
    categories,
    deductionClauses: changes.deductionClauses ?? base.deductionClauses,
    policies: changes.policies ?? base.policies,
    precision: changes.precision ?? base.precision,
  };
  const newGrades = changes.grades === undefined ? grades : changes.grades;
  if (newGrades !== null && newGrades !== undefined) derived.grades = newGrades;
  const newTotal = changes.totalPoints === undefined ? totalPoints : changes.totalPoints;
  if (newTotal !== null && newTotal !== undefined) derived.totalPoints = newTotal;
  return parseFramework(derived);
}

function unknown(noun: "indicator" | "category", path: (string | number)[], id: string, base: string): KaoheIssue {
  const zh = noun === "indicator" ? "指标" : "类别";
  return {
    code: `unknown_${noun}`,
    path,
    message: `${noun} "${id}" is not in framework ${base}`,
    zh: `${zh}「${id}」不在指标体系 ${base} 中`,
  };
}

/**
 * Like {@link deriveFramework}, but returns a {@link SafeResult} instead of throwing.
 *
 * @param base - The framework derived from.
 * @param changes - What the derived framework changes.
 * @returns The derived framework, or the error holding every issue.
 * @example
 * ```ts
 * import { jiangxi2025 } from "kaohe";
 * import { safeDeriveFramework } from "kaohe/authoring";
 * const result = safeDeriveFramework(jiangxi2025, { id: "x", indicators: { i99: null } });
 * result.success ? "" : result.error.issues[0]?.code; //=> "unknown_indicator"
 * ```
 */
export const safeDeriveFramework: (base: Framework, changes: FrameworkChanges) => SafeResult<Framework> =
  toSafe(deriveFramework);
