import * as z from "zod/mini";
import { KaoheError, toSafe, type KaoheIssue, type SafeResult } from "../internal/errors";
import { CalendarDateSchema } from "../model/primitives";
import { dayNumber } from "./dates";
import {
  RECTIFICATION_STATES,
  checkProblemHistory,
  stateAsOf,
  type RectificationProblem,
  type RectificationProblemInput,
  type RectificationState,
  type SendBackReason,
} from "./rectification";
import { ChecklistUnitSchema, RectificationProblemListSchema, type ChecklistUnit } from "./schemas";
import { check } from "./units";

/** Options of {@link summarizeRectifications}. */
export interface SummarizeRectificationsOptions {
  /** The day the summary is taken: later events and problems found later are not yet seen. */
  readonly asOf: string;
  /** When given, every problem's unit must be one of them (`unknown_unit` otherwise). */
  readonly units?: readonly ChecklistUnit[];
}

/** An open problem past its target date. */
export interface OverdueRectification {
  /** The problem's id. */
  readonly id: string;
  /** The problem, as the feedback states it. */
  readonly title: string;
  /** The id of the unit responsible. */
  readonly unit: string;
  /** Its state as of `asOf`: 待整改 or 整改中. */
  readonly state: RectificationState;
  /** The target date (整改时限). */
  readonly targetOn: string;
  /** Days from the target date to `asOf`. */
  readonly daysPastTarget: number;
}

/** A problem sent back (回炉) more than once, with every reason given. */
export interface RepeatedSendBack {
  /** The problem's id. */
  readonly id: string;
  /** The problem, as the feedback states it. */
  readonly title: string;
  /** The id of the unit responsible. */
  readonly unit: string;
  /** How many times it was sent back. */
  readonly times: number;
  /** Every reason given, in the order of the events. */
  readonly reasons: readonly SendBackReason[];
}

/** What {@link summarizeRectifications} returns. */
export interface RectificationSummary {
  /** The China calendar date the summary is made as of. */
  readonly asOf: string;
  /** Problems known as of `asOf`. */
  readonly total: number;
  /** Counts per state, as of `asOf`. */
  readonly byState: Readonly<Record<RectificationState, number>>;
  /** Problems still 待整改 or 整改中 after their target date, most overdue first. */
  readonly overdue: readonly OverdueRectification[];
  /** How many problems were sent back at least once. */
  readonly sentBack: number;
  /** Problems sent back more than once. */
  readonly sentBackMoreThanOnce: readonly RepeatedSendBack[];
}

const OptionsSchema = z.strictObject({ asOf: CalendarDateSchema, units: z.optional(z.array(ChecklistUnitSchema)) });

/**
 * Summarises rectifications (整改) as of a date: counts per state (待整改, 整改中, 已整改, 已销号),
 * the open problems past their target date, and the problems sent back through 回炉 more than once.
 * Each problem's history is replayed up to `asOf`; problems found after it are left out.
 *
 * @param problems - The problems, each valid as `parseRectificationProblem` checks it, with unique ids.
 * @param options - `asOf`, and optionally the `units` the problems must belong to.
 * @returns The summary.
 * @throws {@link KaoheError} holding every issue: malformed problems, a history the workflow refuses
 *   (`transition_not_allowed`, `event_date_backwards`, `state_mismatch`), a repeated id
 *   (`duplicate_id`), an unknown unit (`unknown_unit`), an unreal `asOf` (`invalid_date`).
 * @example
 * ```ts
 * import { summarizeRectifications } from "kaohe";
 * const problems = [{
 *   id: "p1", title: "监测帮扶不及时", origin: { kind: "national-assessment" as const, year: 2024 },
 *   unit: "town-01", foundOn: "2025-03-01", targetOn: "2025-10-31", state: "整改中" as const,
 *   history: [{ type: "start" as const, on: "2025-03-05" }],
 * }];
 * const summary = summarizeRectifications(problems, { asOf: "2025-11-03" });
 * summary.byState; //=> { 待整改: 0, 整改中: 1, 已整改: 0, 已销号: 0 }
 * summary.overdue.map((p) => `${p.id} ${p.daysPastTarget}`); //=> ["p1 3"]
 * ```
 */
export function summarizeRectifications(
  problems: readonly (RectificationProblem | RectificationProblemInput)[],
  options: SummarizeRectificationsOptions,
): RectificationSummary {
  const issues: KaoheIssue[] = [];
  const opts = check(OptionsSchema, options, [], issues);
  const list = check(RectificationProblemListSchema, problems, ["problems"], issues);
  if (list) {
    const ids = new Set<string>();
    const units = opts?.units ? new Set(opts.units.map((u) => u.id)) : undefined;
    list.forEach((problem, i) => {
      if (ids.has(problem.id)) issues.push({ code: "duplicate_id", path: ["problems", i, "id"], message: `problem id "${problem.id}" is given more than once` });
      ids.add(problem.id);
      if (units && !units.has(problem.unit)) {
        issues.push({ code: "unknown_unit", path: ["problems", i, "unit"], message: `problem ${problem.id} names unit "${problem.unit}", which the units do not list` });
      }
      issues.push(...checkProblemHistory(problem, ["problems", i]));
    });
  }
  if (issues.length > 0 || !opts || !list) throw new KaoheError(issues, "Invalid rectification problems");

  const { asOf } = opts;
  const byState = Object.fromEntries(RECTIFICATION_STATES.map((s) => [s, 0])) as Record<RectificationState, number>;
  const overdue: OverdueRectification[] = [];
  const repeated: RepeatedSendBack[] = [];
  let total = 0;
  let sentBack = 0;
  for (const problem of list) {
    if (problem.foundOn > asOf) continue;
    total++;
    const state = stateAsOf(problem, asOf);
    byState[state]++;
    if ((state === "待整改" || state === "整改中") && problem.targetOn < asOf) {
      const { id, title, unit, targetOn } = problem;
      overdue.push({ id, title, unit, state, targetOn, daysPastTarget: dayNumber(asOf) - dayNumber(targetOn) });
    }
    const backs = problem.history.filter((e) => e.type === "send-back" && e.on <= asOf);
    if (backs.length > 0) sentBack++;
    if (backs.length > 1) {
      const reasons = backs.flatMap((e) => (e.type === "send-back" ? e.reasons : []));
      repeated.push({ id: problem.id, title: problem.title, unit: problem.unit, times: backs.length, reasons });
    }
  }
  overdue.sort((a, b) => b.daysPastTarget - a.daysPastTarget || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { asOf, total, byState, overdue, sentBack, sentBackMoreThanOnce: repeated };
}

/**
 * Like {@link summarizeRectifications}, but returns `{ success: true, data }` or
 * `{ success: false, error }` instead of throwing.
 *
 * @param problems - The problems.
 * @param options - `asOf`, optionally `units`.
 * @returns The summary, or the error holding every issue.
 * @example
 * ```ts
 * import { safeSummarizeRectifications } from "kaohe";
 * const result = safeSummarizeRectifications([], { asOf: "2025-11-31" });
 * result.success ? "ok" : result.error.issues[0]?.code; //=> "invalid_date"
 * ```
 */
export function safeSummarizeRectifications(
  problems: readonly (RectificationProblem | RectificationProblemInput)[],
  options: SummarizeRectificationsOptions,
): SafeResult<RectificationSummary> {
  return toSafe(summarizeRectifications)(problems, options);
}
