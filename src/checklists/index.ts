/**
 * Checklists and workflow: deadline status, recurring duties (周三帮扶日), and rectification (整改)
 * from 回头看 to 回炉. Pure functions: nothing reads the clock (every call takes `asOf`), nothing
 * depends on the process time zone. The checklist model itself lives in `src/model/checklist.ts`.
 *
 * Kept private on purpose: the day-number helpers of `dates.ts` and the validation helpers of
 * `units.ts`.
 *
 * @module
 */

export { checklistStatus, safeChecklistStatus, DELIVERABLE_STATUSES } from "./status";
export type {
  ChecklistStatusOptions,
  ChecklistStatusReport,
  DeliverableStatus,
  DeliverableStatusKind,
  StatusCounts,
} from "./status";

export { expandRecurrence, markVisits, safeMarkVisits } from "./recurrence";
export type {
  ExpandRecurrenceOptions,
  MarkVisitsOptions,
  OccurrenceMark,
  RecurrenceOccurrence,
  UnitVisitMarks,
  VisitReport,
} from "./recurrence";

export {
  RECTIFICATION_STATES,
  SEND_BACK_REASONS,
  RECTIFICATION_EVENT_LABELS,
  RectificationEventSchema,
  RectificationProblemSchema,
  parseRectificationProblem,
  applyRectificationEvent,
  safeApplyRectificationEvent,
  MAX_RECTIFICATION_HISTORY,
} from "./rectification";
export type {
  RectificationEvent,
  RectificationEventType,
  RectificationProblem,
  RectificationProblemInput,
  RectificationState,
  SendBackReason,
} from "./rectification";

export { summarizeRectifications, safeSummarizeRectifications } from "./summary";
export type {
  OverdueRectification,
  RectificationSummary,
  RepeatedSendBack,
  SummarizeRectificationsOptions,
} from "./summary";

export {
  ChecklistUnitSchema,
  SubmissionSchema,
  SubmissionListSchema,
  VisitSchema,
  RectificationProblemListSchema,
  ProgressSchema,
  EMBEDDED_CHECKLIST_NAME,
  checklistJsonSchemas,
} from "./schemas";
export type { ChecklistUnit, Submission, Visit, Progress, ProgressInput } from "./schemas";

export { DateOrTimestampSchema } from "./dates";
