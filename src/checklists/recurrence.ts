import * as z from "zod/mini";
import { KaoheError, toSafe, type KaoheIssue, type SafeResult } from "../internal/errors";
import { ChecklistTaskSchema, type ChecklistTask, type ChecklistTaskInput } from "../model/checklist";
import { CalendarDateSchema } from "../model/primitives";
import { dayNumber, fromDayNumber, isoWeekday, toChinaDate } from "./dates";
import { ChecklistUnitSchema, VisitSchema, type ChecklistUnit, type Visit } from "./schemas";
import { check, checkUnits, unitAnswersFor } from "./units";

/** The longest range expanded at once, in days (ten years). */
const MAX_RANGE_DAYS = 3660;

/** Options of {@link expandRecurrence}: an inclusive range of China calendar dates. */
export interface ExpandRecurrenceOptions {
  /** The first day of the range (inclusive). */
  readonly from: string;
  /** The last day of the range (inclusive). */
  readonly to: string;
}

/** One dated occurrence of a recurring duty. */
export interface RecurrenceOccurrence {
  /** The recurrence's id. */
  readonly recurrence: string;
  /** The recurrence's name, e.g. 周三帮扶日. */
  readonly name: string;
  /** The China calendar date. */
  readonly date: string;
}

/** Options of {@link markVisits}: the range, the units, and the day the marking is taken. */
export interface MarkVisitsOptions extends ExpandRecurrenceOptions {
  /** The units that keep the duties; those whose parties the duty does not name are left out. */
  readonly units: readonly ChecklistUnit[];
  /** Occurrences after this day are `upcoming`, and visits after it are not yet seen. Default: `to`. */
  readonly asOf?: string;
}

/** Whether a unit kept an occurrence: a visit on that very day, none (`missed`), or still ahead. */
export type OccurrenceMark = "kept" | "missed" | "upcoming";

/** The marks of one unit for one recurring duty. */
export interface UnitVisitMarks {
  /** The unit's id. */
  readonly unit: string;
  /** The unit's name. */
  readonly name: string;
  /** The recurring duty's id. */
  readonly recurrence: string;
  /** Occurrences kept: a visit on the day. */
  readonly kept: number;
  /** Occurrences missed: past, with no visit on the day. */
  readonly missed: number;
  /** Occurrences still to come (after `asOf`). */
  readonly upcoming: number;
  /** Each occurrence and its mark, by date. */
  readonly marks: readonly {
    /** The occurrence's date. */
    readonly date: string;
    /** Kept, missed or upcoming. */
    readonly mark: OccurrenceMark;
  }[];
}

/** What {@link markVisits} returns. */
export interface VisitReport {
  /** The duty's occurrences in the range. */
  readonly occurrences: readonly RecurrenceOccurrence[];
  /** The marks of each unit the duty applies to. */
  readonly units: readonly UnitVisitMarks[];
  /** Visits on a day that is not the duty's day: kept on record, but they keep no occurrence. */
  readonly offDay: readonly {
    /** The unit's id. */
    readonly unit: string;
    /** The recurring duty's id. */
    readonly recurrence: string;
    /** The China calendar date of the visit. */
    readonly on: string;
  }[];
}

const RangeSchema = z.strictObject({ from: CalendarDateSchema, to: CalendarDateSchema });

function checkRange(range: { from: string; to: string } | undefined, issues: KaoheIssue[]): void {
  if (!range) return;
  const length = dayNumber(range.to) - dayNumber(range.from);
  if (length < 0) {
    issues.push({ code: "range_reversed", path: ["to"], message: `the range ends on ${range.to}, before it starts on ${range.from}` });
  } else if (length > MAX_RANGE_DAYS) {
    issues.push({ code: "range_too_long", path: ["to"], message: `the range ${range.from} … ${range.to} is longer than ${MAX_RANGE_DAYS} days` });
  }
}

function occurrencesOf(task: ChecklistTask, from: string, to: string): RecurrenceOccurrence[] {
  const out: RecurrenceOccurrence[] = [];
  const last = dayNumber(to);
  for (const r of task.recurrences) {
    const start = dayNumber(from);
    const first = start + ((r.weekday - isoWeekday(from) + 7) % 7);
    for (let day = first; day <= last; day += 7) out.push({ recurrence: r.id, name: r.name, date: fromDayNumber(day) });
  }
  return out;
}

/**
 * Lists the dated occurrences of a task's weekly duties (e.g. every Wednesday's 周三帮扶日) within
 * an inclusive range of China calendar dates, in date order per duty.
 *
 * @param task - A checklist task, e.g. task 2 of `nearTermChecklist2025`.
 * @param options - The range `{ from, to }`, inclusive, at most ten years.
 * @returns The occurrences; none when the task has no recurring duty.
 * @throws {@link KaoheError} for an unreal date (`invalid_date`), a reversed range (`range_reversed`)
 *   or one longer than ten years (`range_too_long`), or a malformed task (under `task`).
 * @example
 * ```ts
 * import { expandRecurrence, nearTermChecklist2025 } from "kaohe";
 * const task2 = nearTermChecklist2025.tasks[1]!;
 * expandRecurrence(task2, { from: "2025-10-28", to: "2025-11-12" }).map((o) => o.date); //=> ["2025-10-29", "2025-11-05", "2025-11-12"]
 * ```
 */
export function expandRecurrence(task: ChecklistTask | ChecklistTaskInput, options: ExpandRecurrenceOptions): RecurrenceOccurrence[] {
  const issues: KaoheIssue[] = [];
  const valid = check(ChecklistTaskSchema, task, ["task"], issues);
  const range = check(RangeSchema, options, [], issues);
  checkRange(range, issues);
  if (issues.length > 0 || !valid || !range) throw new KaoheError(issues, "Invalid recurrence input");
  return occurrencesOf(valid, range.from, range.to);
}

const MarkOptionsSchema = z.strictObject({
  from: CalendarDateSchema,
  to: CalendarDateSchema,
  units: z.array(ChecklistUnitSchema).check(z.minLength(1, { message: "must list at least one unit" })),
  asOf: z.optional(CalendarDateSchema),
});

/**
 * Marks each occurrence of a task's weekly duties, per unit, `kept` (a visit record of that unit
 * for that duty on that very China calendar day), `missed`, or `upcoming` (after `asOf`). A visit
 * on another day keeps no occurrence and is listed in `offDay`.
 *
 * @param task - A checklist task with recurring duties.
 * @param visits - Visit records `{ unit, recurrence, on }`.
 * @param options - The range, the units, and optionally `asOf`.
 * @returns The occurrences, the marks per unit and duty, and the off-day visits.
 * @throws {@link KaoheError} for an unknown unit (`unknown_unit`) or duty (`unknown_recurrence`), a
 *   unit the duty does not apply to (`recurrence_not_assigned`), bad dates or ranges.
 * @example
 * ```ts
 * import { markVisits, nearTermChecklist2025 } from "kaohe";
 * const units = [{ id: "sector-01", name: "县教育局", parties: ["assisting-units"] }];
 * const visits = [{ unit: "sector-01", recurrence: "t2-wednesday", on: "2025-10-29" }];
 * const report = markVisits(nearTermChecklist2025.tasks[1]!, visits, { from: "2025-10-28", to: "2025-11-12", units, asOf: "2025-11-06" });
 * report.units[0]?.marks.map((m) => m.mark); //=> ["kept", "missed", "upcoming"]
 * ```
 */
export function markVisits(
  task: ChecklistTask | ChecklistTaskInput,
  visits: readonly Visit[],
  options: MarkVisitsOptions,
): VisitReport {
  const issues: KaoheIssue[] = [];
  const valid = check(ChecklistTaskSchema, task, ["task"], issues);
  const opts = check(MarkOptionsSchema, options, [], issues);
  const records = check(z.array(VisitSchema), visits, ["visits"], issues);
  checkRange(opts, issues);
  if (opts) checkUnits(opts.units, undefined, issues);
  if (valid && opts && records) {
    const units = new Map(opts.units.map((u) => [u.id, u]));
    const duties = new Map(valid.recurrences.map((r) => [r.id, r]));
    records.forEach((v, i) => {
      const unit = units.get(v.unit);
      const duty = duties.get(v.recurrence);
      if (!unit) issues.push({ code: "unknown_unit", path: ["visits", i, "unit"], message: `visit ${i + 1} names unit "${v.unit}", which the units do not list` });
      if (!duty) {
        issues.push({
          code: "unknown_recurrence",
          path: ["visits", i, "recurrence"],
          message: `visit ${i + 1} names duty "${v.recurrence}", which 任务 ${valid.number}「${valid.title}」 does not have`,
        });
      } else if (unit && !unitAnswersFor(unit, duty.parties)) {
        issues.push({
          code: "recurrence_not_assigned",
          path: ["visits", i, "unit"],
          message: `${unit.name} recorded a visit for 「${duty.name}」, which its parties do not keep`,
        });
      }
    });
  }
  if (issues.length > 0 || !valid || !opts || !records) throw new KaoheError(issues, "Invalid visit records");

  const asOf = opts.asOf ?? opts.to;
  const occurrences = occurrencesOf(valid, opts.from, opts.to);
  const seen = new Set<string>();
  const offDay: { unit: string; recurrence: string; on: string }[] = [];
  const weekdays = new Map(valid.recurrences.map((r) => [r.id, r.weekday]));
  for (const v of records) {
    const on = toChinaDate(v.on);
    if (on > asOf || on < opts.from || on > opts.to) continue;
    if (isoWeekday(on) === weekdays.get(v.recurrence)) seen.add(`${v.unit}\u0000${v.recurrence}\u0000${on}`);
    else offDay.push({ unit: v.unit, recurrence: v.recurrence, on });
  }
  const marks: UnitVisitMarks[] = [];
  for (const duty of valid.recurrences) {
    for (const unit of opts.units) {
      if (!unitAnswersFor(unit, duty.parties)) continue;
      const list = occurrences
        .filter((o) => o.recurrence === duty.id)
        .map((o) => ({
          date: o.date,
          mark: (o.date > asOf ? "upcoming" : seen.has(`${unit.id}\u0000${duty.id}\u0000${o.date}`) ? "kept" : "missed") as OccurrenceMark,
        }));
      const count = (mark: OccurrenceMark) => list.filter((m) => m.mark === mark).length;
      marks.push({ unit: unit.id, name: unit.name, recurrence: duty.id, kept: count("kept"), missed: count("missed"), upcoming: count("upcoming"), marks: list });
    }
  }
  return { occurrences, units: marks, offDay };
}

/**
 * Like {@link markVisits}, but returns `{ success: true, data }` or `{ success: false, error }`.
 *
 * @param task - A checklist task with recurring duties.
 * @param visits - Visit records.
 * @param options - The range, the units, and optionally `asOf`.
 * @returns The report, or the error holding every issue.
 * @example
 * ```ts
 * import { safeMarkVisits, nearTermChecklist2025 } from "kaohe";
 * const units = [{ id: "sector-01", name: "县教育局" }];
 * const result = safeMarkVisits(nearTermChecklist2025.tasks[1]!, [{ unit: "nobody", recurrence: "t2-wednesday", on: "2025-10-29" }], { from: "2025-10-28", to: "2025-11-12", units });
 * result.success ? "ok" : result.error.issues[0]?.code; //=> "unknown_unit"
 * ```
 */
export function safeMarkVisits(
  task: ChecklistTask | ChecklistTaskInput,
  visits: readonly Visit[],
  options: MarkVisitsOptions,
): SafeResult<VisitReport> {
  return toSafe(markVisits)(task, visits, options);
}
