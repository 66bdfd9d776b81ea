import { KaoheError, type KaoheIssue } from "../internal/errors";
import type { Lang } from "../internal/i18n";
import type { GradeBand } from "../model/framework";
import { fromZodIssues, inLanguage } from "../model/issues";
import { checkInputStructure } from "../model/read";
import { checkGradeBands } from "../model/validate";
import { PARSE_OPTIONS } from "../internal/zod";
import { ScoreOptionsSchema, type ScoreOptions } from "./assessment";

/**
 * Scoring options validated once, for scoring a cohort (a province's 11 设区市) that shares them:
 * pass them to `scoreAssessment` in place of the options, and they are not validated again.
 * Immutable.
 */
export class PreparedScoreOptions {
  /** The grade bands given, validated; `undefined` when the framework's are to be used. */
  readonly grades: readonly GradeBand[] | undefined;
  /** Whether a scored indicator without input scores 0. */
  readonly missingAsZero: boolean;
  /** Whether the total may fall below 0. */
  readonly allowNegativeTotal: boolean;
  /** The language of the issues' messages; English when `undefined`. */
  readonly lang: Lang | undefined;

  /** @internal Use {@link prepareScoreOptions}. */
  constructor(options: { grades?: readonly GradeBand[] | undefined; missingAsZero?: boolean | undefined; allowNegativeTotal?: boolean | undefined; lang?: Lang | undefined }) {
    this.grades = options.grades === undefined ? undefined : Object.freeze([...options.grades]);
    this.missingAsZero = options.missingAsZero === true;
    this.allowNegativeTotal = options.allowNegativeTotal === true;
    this.lang = options.lang;
    Object.freeze(this);
  }
}

/** The issues of scoring options given as data, with paths from the options' root. */
function optionIssues(options: unknown): { issues: KaoheIssue[]; parsed: PreparedScoreOptions | undefined } {
  const parsed = ScoreOptionsSchema.safeParse(options ?? {}, PARSE_OPTIONS);
  const issues: KaoheIssue[] = parsed.success ? [] : fromZodIssues(parsed.error.issues);
  issues.push(...checkInputStructure(options), ...checkGradeBands((options as ScoreOptions | null | undefined)?.grades, ["grades"]));
  return { issues, parsed: parsed.success && issues.length === 0 ? new PreparedScoreOptions(parsed.data) : undefined };
}

/** @internal Reads options for `scoreAssessment`: prepared ones as they are, others validated. */
export function readScoreOptions(options: unknown): { issues: KaoheIssue[]; parsed: PreparedScoreOptions | undefined } {
  return options instanceof PreparedScoreOptions ? { issues: [], parsed: options } : optionIssues(options);
}

/**
 * Validates scoring options once, so that scoring many assessments with them (a cohort, a
 * benchmark) does not check the grade bands again on every call: pass the result to
 * `scoreAssessment` in place of the options. Scoring with prepared options gives the same result as
 * with the options themselves.
 *
 * @param options - Grade bands, `missingAsZero`, `allowNegativeTotal`, `lang`.
 * @returns The prepared options. Passed prepared options, returns them.
 * @throws {@link KaoheError} holding every issue of the options (unknown keys, bad grade bands,
 *   repeated grades, minimums not strictly descending), in the language `options.lang` names when
 *   it is a valid one.
 * @example
 * ```ts
 * import { prepareScoreOptions } from "kaohe";
 * const options = prepareScoreOptions({ grades: [{ grade: "好", min: 90 }, { grade: "一般", min: 0 }], missingAsZero: true });
 * options.grades?.map((band) => band.grade); //=> ["好", "一般"]
 * try {
 *   prepareScoreOptions({ grades: [{ grade: "好", min: 80 }, { grade: "一般", min: 90 }], lang: "zh" });
 * } catch (error) {
 *   (error as { issues: { code: string }[] }).issues.map((i) => i.code); //=> ["grades_not_descending"]
 * }
 * ```
 */
export function prepareScoreOptions(options: ScoreOptions | PreparedScoreOptions = {}): PreparedScoreOptions {
  const lang = (options as { lang?: unknown } | null)?.lang === "zh" ? "zh" : undefined;
  return inLanguage(lang, "Invalid score options", () => {
    const { issues, parsed } = readScoreOptions(options);
    if (parsed === undefined) throw new KaoheError(issues, "Invalid score options");
    return parsed;
  });
}
