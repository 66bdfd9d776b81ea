import * as z from "zod/mini";
import { KaoheError, toSafe, type KaoheIssue, type SafeResult } from "../internal/errors";
import type { Checklist, ChecklistInput } from "../model/checklist";
import { CalendarDateSchema } from "../model/primitives";
import { dayNumber, toChinaDate } from "./dates";
import { ChecklistUnitSchema, SubmissionSchema, type ChecklistUnit, type Submission } from "./schemas";
import { check, checkChecklist, checkUnits, unitAnswersFor } from "./units";

/**
 * The status of one deliverable for one unit as of a date:
 * - `done`: submitted on or before the due date;
 * - `late`: submitted after the due date;
 * - `pending`: not submitted, not yet due;
 * - `due-soon`: not submitted, due within `dueSoonDays` days (only when that option is given);
 * - `overdue`: not submitted, and the due date has passed.
 */
export type DeliverableStatusKind = "done" | "late" | "pending" | "due-soon" | "overdue";

/** Every status, in the order totals list them. */
export const DELIVERABLE_STATUSES: readonly DeliverableStatusKind[] = ["overdue", "due-soon", "pending", "late", "done"];

/** Options of {@link checklistStatus}. */
export interface ChecklistStatusOptions {
  /** The day the status is taken (China calendar date); submissions dated after it are not yet seen. */
  readonly asOf: string;
  /** The units that answer to the checklist, e.g. a county's 乡镇 and 行业帮扶单位. */
  readonly units: readonly ChecklistUnit[];
  /** Marks a deliverable `due-soon` when it is due in this many days or fewer (0: on the due day). */
  readonly dueSoonDays?: number;
}

/** One deliverable for one unit, its status and the dates behind it. */
export interface DeliverableStatus {
  /** The unit's id. */
  readonly unit: string;
  /** The unit's name. */
  readonly unitName: string;
  /** The id of the task the deliverable belongs to. */
  readonly task: string;
  /** The task's number in the checklist. */
  readonly taskNumber: number;
  /** The deliverable's id. */
  readonly deliverable: string;
  /** The deliverable's name. */
  readonly deliverableName: string;
  /** The recipient's name, e.g. 县农业农村局. */
  readonly recipient: string;
  /** The due date, inclusive (China calendar). */
  readonly dueOn: string;
  /** Its status as of `asOf`. */
  readonly status: DeliverableStatusKind;
  /** The China calendar date of the first submission on or before `asOf`, if any. */
  readonly submittedOn?: string;
  /** Days until the due date (`pending`, `due-soon`); 0 on the due day. */
  readonly daysLeft?: number;
  /** Days past the due date: when it was submitted (`late`) or as of `asOf` (`overdue`). */
  readonly daysPastDue?: number;
}

/** Counts of each status, and their total. */
export type StatusCounts = Readonly<Record<DeliverableStatusKind | "total", number>>;

/** What {@link checklistStatus} returns: the overdue list first, then everything, then totals. */
export interface ChecklistStatusReport {
  /** The China calendar date the report is made as of. */
  readonly asOf: string;
  /** Overdue deliverables, by due date, then in the units' order. */
  readonly overdue: readonly DeliverableStatus[];
  /** Deliverables due soon (empty unless `dueSoonDays` is given). */
  readonly dueSoon: readonly DeliverableStatus[];
  /** Every deliverable for every unit it applies to, in the checklist's order, then the units'. */
  readonly items: readonly DeliverableStatus[];
  /** Counts per unit, in the units' order. */
  readonly byUnit: readonly {
    /** The unit's id. */
    readonly unit: string;
    /** The unit's name. */
    readonly name: string;
    /** Its deliverables' counts by status. */
    readonly counts: StatusCounts;
  }[];
  /** Counts per task, in the checklist's order. */
  readonly byTask: readonly {
    /** The task's id. */
    readonly task: string;
    /** The task's number. */
    readonly number: number;
    /** The task's title. */
    readonly title: string;
    /** Its deliverables' counts by status, over every unit. */
    readonly counts: StatusCounts;
  }[];
}

const OptionsSchema = z.strictObject({
  asOf: CalendarDateSchema,
  units: z.array(ChecklistUnitSchema).check(z.minLength(1, { message: "must list at least one unit" })),
  dueSoonDays: z.optional(z.int().check(z.gte(0)).check(z.lte(366))),
});

/** Validates everything and returns the checklist, the options and submissions' China dates. */
function validate(checklistInput: unknown, submissionsInput: unknown, optionsInput: unknown) {
  const issues: KaoheIssue[] = [];
  const checklist = checkChecklist(checklistInput, issues);
  const options = check(OptionsSchema, optionsInput, [], issues);
  const submissions = check(z.array(SubmissionSchema), submissionsInput, ["submissions"], issues);
  if (options) checkUnits(options.units, checklist, issues);
  if (checklist && options && submissions) {
    const units = new Map(options.units.map((u) => [u.id, u]));
    const deliverables = new Map(checklist.tasks.flatMap((t) => t.deliverables.map((d) => [d.id, { task: t, d }] as const)));
    submissions.forEach((s, i) => {
      const unit = units.get(s.unit);
      const found = deliverables.get(s.deliverable);
      if (!unit) {
        issues.push({ code: "unknown_unit", path: ["submissions", i, "unit"], message: `submission ${i + 1} names unit "${s.unit}", which the units do not list` });
      }
      if (!found) {
        issues.push({
          code: "unknown_deliverable",
          path: ["submissions", i, "deliverable"],
          message: `submission ${i + 1} names deliverable "${s.deliverable}", which the checklist 「${checklist.title}」 does not have`,
        });
      } else if (unit && !unitAnswersFor(unit, found.task.responsible)) {
        issues.push({
          code: "deliverable_not_assigned",
          path: ["submissions", i, "deliverable"],
          message: `${unit.name} submitted 报送材料「${found.d.name}」, but 任务 ${found.task.number}「${found.task.title}」 is not one of its tasks`,
        });
      }
      const day = toChinaDate(s.submittedOn);
      if (day < checklist.issuedOn) {
        issues.push({
          code: "submission_before_issue",
          path: ["submissions", i, "submittedOn"],
          message: `submission ${i + 1} (${s.unit}) is dated ${day} (China), before the checklist was issued on ${checklist.issuedOn}`,
        });
      }
    });
  }
  if (issues.length > 0 || !checklist || !options || !submissions) throw new KaoheError(issues, "Invalid checklist status input");
  return { checklist, options, submissions };
}

function emptyCounts(): Record<DeliverableStatusKind | "total", number> {
  return { overdue: 0, "due-soon": 0, pending: 0, late: 0, done: 0, total: 0 };
}

/**
 * The status of every deliverable for every unit as of a date: `done`, `late`, `pending`,
 * `due-soon` or `overdue`, with the dates behind it, totals per unit and per task, and the overdue
 * list first. Due dates are inclusive China calendar dates; a timestamp is read as its China date
 * (`2025-10-31T23:30:00Z` is 2025-11-01 in China). The first submission on or before `asOf` counts;
 * later ones are not yet seen. Nothing reads the clock.
 *
 * @param checklist - The checklist, e.g. `nearTermChecklist2025`.
 * @param submissions - The submissions `{ unit, deliverable, submittedOn }`.
 * @param options - `asOf`, the `units`, and optionally `dueSoonDays`.
 * @returns The report: `overdue`, `dueSoon`, `items`, `byUnit`, `byTask`.
 * @throws {@link KaoheError} holding every issue: a malformed checklist (under `checklist`), an
 *   unreal date (`invalid_date`), an unknown unit or deliverable (`unknown_unit`,
 *   `unknown_deliverable`), a deliverable the unit does not answer for (`deliverable_not_assigned`),
 *   a submission before the issue date (`submission_before_issue`).
 * @example
 * ```ts
 * import { checklistStatus, nearTermChecklist2025 } from "kaohe";
 * const units = [{ id: "town-01", name: "青山镇" }];
 * const submissions = [{ unit: "town-01", deliverable: "t1-deployment", submittedOn: "2025-10-31T23:30:00Z" }];
 * const report = checklistStatus(nearTermChecklist2025, submissions, { asOf: "2025-11-04", units, dueSoonDays: 2 });
 * report.items.map((i) => `${i.deliverableName} ${i.status}`); //=> ["工作部署情况 late", "总结材料 due-soon"]
 * report.items[0]?.submittedOn; //=> "2025-11-01"
 * ```
 */
export function checklistStatus(
  checklist: Checklist | ChecklistInput,
  submissions: readonly Submission[],
  options: ChecklistStatusOptions,
): ChecklistStatusReport {
  const valid = validate(checklist, submissions, options);
  const { asOf, units, dueSoonDays } = valid.options;
  const today = dayNumber(asOf);
  // The first submission seen as of asOf, per unit and deliverable.
  const first = new Map<string, string>();
  for (const s of valid.submissions) {
    const day = toChinaDate(s.submittedOn);
    const key = `${s.unit}\u0000${s.deliverable}`;
    const known = first.get(key);
    if (day <= asOf && (known === undefined || day < known)) first.set(key, day);
  }
  const parties = new Map(valid.checklist.parties.map((p) => [p.id, p.name]));
  const items: DeliverableStatus[] = [];
  const byTask = [];
  for (const task of valid.checklist.tasks) {
    const counts = emptyCounts();
    for (const d of task.deliverables) {
      const due = dayNumber(d.dueOn);
      for (const unit of units) {
        if (!unitAnswersFor(unit, task.responsible)) continue;
        const base = {
          unit: unit.id, unitName: unit.name, task: task.id, taskNumber: task.number, deliverable: d.id,
          deliverableName: d.name, recipient: parties.get(d.recipient) ?? d.recipient, dueOn: d.dueOn,
        };
        const submittedOn = first.get(`${unit.id}\u0000${d.id}`);
        let item: DeliverableStatus;
        if (submittedOn !== undefined) {
          const past = dayNumber(submittedOn) - due;
          item = past <= 0 ? { ...base, status: "done", submittedOn } : { ...base, status: "late", submittedOn, daysPastDue: past };
        } else if (today > due) {
          item = { ...base, status: "overdue", daysPastDue: today - due };
        } else {
          const left = due - today;
          item = { ...base, status: dueSoonDays !== undefined && left <= dueSoonDays ? "due-soon" : "pending", daysLeft: left };
        }
        items.push(item);
        counts[item.status]++;
        counts.total++;
      }
    }
    byTask.push({ task: task.id, number: task.number, title: task.title, counts });
  }
  const byUnit = units.map((unit) => {
    const counts = emptyCounts();
    for (const item of items) {
      if (item.unit !== unit.id) continue;
      counts[item.status]++;
      counts.total++;
    }
    return { unit: unit.id, name: unit.name, counts };
  });
  const byDue = (a: DeliverableStatus, b: DeliverableStatus) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : 0);
  return {
    asOf,
    overdue: items.filter((i) => i.status === "overdue").sort(byDue),
    dueSoon: items.filter((i) => i.status === "due-soon").sort(byDue),
    items,
    byUnit,
    byTask,
  };
}

/**
 * Like {@link checklistStatus}, but returns `{ success: true, data }` or `{ success: false, error }`
 * instead of throwing.
 *
 * @param checklist - The checklist.
 * @param submissions - The submissions.
 * @param options - `asOf`, `units`, optionally `dueSoonDays`.
 * @returns The report, or the error holding every issue.
 * @example
 * ```ts
 * import { safeChecklistStatus, nearTermChecklist2025 } from "kaohe";
 * const result = safeChecklistStatus(nearTermChecklist2025, [], { asOf: "2025-02-30", units: [{ id: "a", name: "甲镇" }] });
 * result.success ? "ok" : result.error.issues.map((i) => `${i.code} ${i.path.join(".")}`); //=> ["invalid_date asOf"]
 * ```
 */
export function safeChecklistStatus(
  checklist: Checklist | ChecklistInput,
  submissions: readonly Submission[],
  options: ChecklistStatusOptions,
): SafeResult<ChecklistStatusReport> {
  return toSafe(checklistStatus)(checklist, submissions, options);
}
