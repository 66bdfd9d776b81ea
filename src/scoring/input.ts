import { KaoheError, toSafe, type SafeResult } from "../internal/errors";
import { fromZodIssues } from "../model/issues";
import { checkForbiddenKeys } from "../model/validate";
import { AssessmentSchema, type Assessment, type DeductionEvent, type IndicatorInput, type SevereCase, type Unit } from "./assessment";
import type { ReadonlyArrays } from "../model/primitives";
import { PARSE_OPTIONS } from "../internal/zod";

/**
 * An assessment as a user writes it (考核输入): the unit, the period, per-indicator inputs,
 * deductions and severe case, with numbers as JS numbers or exact decimal strings (`"11.5"`). It is
 * what {@link scoreAssessment} takes; data of unknown shape goes through {@link parseAssessment},
 * {@link safeParseAssessment} or {@link safeScoreAssessment} instead. It is an {@link Assessment}
 * whose arrays may be `readonly`.
 */
// An interface, not a type alias: the reference and editors then show its name, not the expanded shape.
export interface AssessmentInput {
  /** A free note, e.g. that the data are synthetic. */
  readonly $comment?: string | undefined;
  /** The unit assessed. */
  readonly unit: Unit;
  /** The period assessed, e.g. 2025. */
  readonly period?: string | undefined;
  /** Inputs by indicator id. */
  readonly indicators: Readonly<Record<string, ReadonlyArrays<IndicatorInput>>>;
  /** The deduction events (负面事项). */
  readonly deductions?: readonly DeductionEvent[] | undefined;
  /** The severe-case record, when the case is severe. */
  readonly severe?: ReadonlyArrays<SevereCase> | undefined;
}

/**
 * Validates an assessment of unknown shape, e.g. read from a JSON file, and returns it typed.
 *
 * @param input - The assessment, as data.
 * @returns The validated assessment.
 * @throws {@link KaoheError} listing every issue (unknown or misspelt keys, wrong types, forbidden keys such as `__proto__`).
 * @example
 * ```ts
 * import { parseAssessment } from "kaohe";
 * const data: unknown = JSON.parse('{"unit":{"id":"jian","name":"吉安市"},"indicators":{"i1":{"score":"9.5"}}}');
 * parseAssessment(data).indicators.i1; //=> { score: "9.5" }
 * try {
 *   parseAssessment({ unti: { id: "jian", name: "吉安市" }, indicators: {} });
 * } catch (error) {
 *   (error as { issues: { code: string }[] }).issues.map((i) => i.code); //=> ["invalid_type", "unrecognized_keys"]
 * }
 * ```
 */
export function parseAssessment(input: unknown): Assessment {
  const forbidden = checkForbiddenKeys(input);
  const parsed = AssessmentSchema.safeParse(input, PARSE_OPTIONS);
  const issues = [...forbidden, ...(parsed.success ? [] : fromZodIssues(parsed.error.issues))];
  if (issues.length > 0 || !parsed.success) throw new KaoheError(issues, "Invalid assessment");
  return parsed.data;
}

/**
 * {@link parseAssessment} returning a result instead of throwing.
 *
 * @param input - The assessment, as data.
 * @returns `{ success: true, data }` or `{ success: false, error }` with every issue.
 * @example
 * ```ts
 * import { safeParseAssessment } from "kaohe";
 * safeParseAssessment({ unit: { id: "x", name: "某市" }, indicators: {} }).success; //=> true
 * safeParseAssessment(42).success;                                                  //=> false
 * ```
 */
export const safeParseAssessment: (input: unknown) => SafeResult<Assessment> = toSafe(parseAssessment);
