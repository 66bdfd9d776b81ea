/**
 * kaohe (考核): assessment indicator systems as typed data and rules, with exact, explainable,
 * deterministic scoring. Every public export is named here; anything not listed is private.
 *
 * @packageDocumentation
 */

// Errors shared by every entry point.
export { KaoheError, isKaoheError } from "./internal/errors";
export type { KaoheIssue, IssuePath, SafeResult } from "./internal/errors";
export type { Lang, Bilingual } from "./internal/i18n";
export { localizeIssue, localizeIssues } from "./model/issues";
export type { MessageOptions } from "./model/issues";

// Model: primitives.
export {
  NumberInputSchema,
  PointsSchema,
  NonNegativeNumberSchema,
  CalendarDateSchema,
  IdSchema,
  SourceRefSchema,
} from "./model/primitives";
export type { NumberInput, CalendarDate, SourceRef, ReadonlyArrays } from "./model/primitives";

// Model: frameworks and key tasks.
export {
  FrameworkSchema,
  CategorySchema,
  IndicatorSchema,
  DepartmentSchema,
  DeductionClauseSchema,
  PolicySchema,
  GradeBandSchema,
  ScoringSchema,
  FactSchema,
  SourceDocumentSchema,
  KeyTaskSchema,
  KeyTaskListSchema,
} from "./model/framework";
export type {
  Framework,
  FrameworkInput,
  Category,
  Indicator,
  Department,
  DeductionClause,
  Policy,
  GradeBand,
  Scoring,
  ScoringMethod,
  Fact,
  SourceDocument,
  KeyTask,
} from "./model/framework";
export { parseFramework, safeParseFramework, parseKeyTasks, safeParseKeyTasks } from "./model/parse";
export { FrameworkRefSchema } from "./model/framework";
export type { FrameworkRef } from "./model/framework";

// Frameworks that users author (tables in and out, derived versions, diffs, fit): the subpath entry `kaohe/authoring`.

// Embedded data: the 2025 framework (附件2) and key tasks (附件1).
export { jiangxi2025 } from "./frameworks/jiangxi2025";
export { keyTasks2025 } from "./frameworks/keyTasks2025";

// Rules: safe, exact JSON Logic (the compiler and operator tables stay private).
export {
  compileRule,
  createRuleEngine,
  evaluateRule,
  ruleVariables,
  safeCompileRule,
  safeEvaluateRule,
  RULE_OPERATORS,
  ruleNumberToString,
  DEFAULT_RULE_LIMITS,
} from "./rules/index";
export type {
  JsonLogicRule,
  PreparedRule,
  RuleEngine,
  RuleEngineOptions,
  RuleLimits,
  RuleOperation,
  RuleValue,
} from "./rules/index";

// Scoring.
export {
  AssessmentSchema,
  UnitSchema,
  FindingSchema,
  FactValueSchema,
  IndicatorInputSchema,
  DeductionEventSchema,
  DiscretionarySchema,
  SevereCaseSchema,
  ScoreOptionsSchema,
} from "./scoring/assessment";
export type { Assessment, Unit, Finding, IndicatorInput, DeductionEvent, Discretionary, SevereCase, ScoreOptions } from "./scoring/assessment";
export {
  ScoreResultSchema,
  IndicatorResultSchema,
  CategoryResultSchema,
  MatterResultSchema,
  TraceEntrySchema,
  GradeResultSchema,
  ClauseRefSchema,
} from "./scoring/result";
export type { ScoreResult, IndicatorResult, CategoryResult, MatterResult, ClauseRef, GradeResult, TraceEntry } from "./scoring/result";
export { scoreAssessment, safeScoreAssessment } from "./scoring/score";
export { parseAssessment, safeParseAssessment } from "./scoring/input";
export type { AssessmentInput } from "./scoring/input";
export { matterKey } from "./scoring/deductions";
export { MAX_INPUT_DEPTH } from "./internal/json";
export { prepareFramework, PreparedFramework } from "./scoring/prepare";
export { prepareScoreOptions, PreparedScoreOptions } from "./scoring/options";
export { withPoints, safeWithPoints, withMethods } from "./scoring/points";
export type { WithPointsOptions } from "./scoring/points";
export { explainResult, formatExplanation, formatSourceRef } from "./scoring/explain";
export type { ExplainOptions, ExplanationLine } from "./scoring/explain";
export { rankResults } from "./scoring/rank";
export type { RankedResult } from "./scoring/rank";
export { canonicalJson, digestJson } from "./scoring/digest";

// Model: checklists (任务清单).
export {
  ChecklistSchema,
  ChecklistTaskSchema,
  ChecklistPartySchema,
  DeliverableSchema,
  RecurrenceSchema,
  FocusItemSchema,
  ReviewSchema,
  MilestoneSchema,
  CalendarMonthSchema,
} from "./model/checklist";
export type {
  Checklist,
  ChecklistInput,
  ChecklistTask,
  ChecklistTaskInput,
  ChecklistParty,
  Deliverable,
  Recurrence,
  FocusItem,
  Review,
  Milestone,
  CalendarMonth,
} from "./model/checklist";
export { parseChecklist, safeParseChecklist } from "./model/checklistParse";

// Embedded data: the near-term checklist of 2025 (正文).
export { nearTermChecklist2025 } from "./frameworks/nearTermChecklist2025";

// Checklists and workflow: deadlines, 周三帮扶日, rectification (整改).
export {
  checklistStatus,
  safeChecklistStatus,
  DELIVERABLE_STATUSES,
  expandRecurrence,
  markVisits,
  safeMarkVisits,
  RECTIFICATION_STATES,
  SEND_BACK_REASONS,
  RECTIFICATION_EVENT_LABELS,
  RectificationEventSchema,
  RectificationProblemSchema,
  parseRectificationProblem,
  applyRectificationEvent,
  safeApplyRectificationEvent,
  MAX_RECTIFICATION_HISTORY,
  summarizeRectifications,
  safeSummarizeRectifications,
  ChecklistUnitSchema,
  SubmissionSchema,
  SubmissionListSchema,
  VisitSchema,
  RectificationProblemListSchema,
  ProgressSchema,
  EMBEDDED_CHECKLIST_NAME,
  checklistJsonSchemas,
  DateOrTimestampSchema,
} from "./checklists/index";
export type {
  ChecklistStatusOptions,
  ChecklistStatusReport,
  DeliverableStatus,
  DeliverableStatusKind,
  StatusCounts,
  ExpandRecurrenceOptions,
  MarkVisitsOptions,
  OccurrenceMark,
  RecurrenceOccurrence,
  UnitVisitMarks,
  VisitReport,
  RectificationEvent,
  RectificationEventType,
  RectificationProblem,
  RectificationProblemInput,
  RectificationState,
  SendBackReason,
  OverdueRectification,
  RectificationSummary,
  RepeatedSendBack,
  SummarizeRectificationsOptions,
  ChecklistUnit,
  Submission,
  Visit,
  Progress,
  ProgressInput,
} from "./checklists/index";

// Screening (逐村逐户过筛): rulebooks over village, household and person records. The file readers
// and the worker pool (src/screening/node/) are Node-only and kept for the CLI on purpose.
export {
  RulebookSchema,
  FieldSchema,
  ParameterSchema,
  ScreeningRuleSchema,
  SUBJECTS,
  FIELD_TYPES,
  SEVERITIES,
  prepareRulebook,
  safePrepareRulebook,
  screenRecords,
  screenRecordStream,
  Screener,
  summarizeFindings,
  FindingTally,
  mapColumns,
  isHeaderRow,
  rowFromCells,
  screeningJsonSchemas,
  SCREENING_OPERATIONS,
} from "./screening/index";
export type {
  Rulebook,
  RulebookInput,
  Field,
  FieldType,
  Parameter,
  ParameterValue,
  ScreeningRule,
  Severity,
  Subject,
  PreparedRulebook,
  PreparedScreeningRule,
  PrepareRulebookOptions,
  ScreenOptions,
  ScreeningCounts,
  ScreeningResult,
  Finding as ScreeningFinding,
  ScreeningItem,
  RulePlan,
  SkippedRule,
  DataQualityFinding,
  RejectedRow,
  RowCounts,
  ScreeningRecord,
  ScreeningMember,
  UnitPath,
  FieldValue,
  FindingSummary,
  FindingCounts,
  SummarizeFindingsOptions,
  ColumnMap,
} from "./screening/index";

// Several exports joined by keys (issue 14): the subpath entry `kaohe/tables`
// (src/screening/tables/index.ts), kept out of this one's bundle like `kaohe/sql`.
// The re-screening loop (issue 14) is the subpath entry `kaohe/loop` (src/loop/index.ts), kept out of this one's bundle.

// SQL: the compiler is the subpath entry `kaohe/sql` (src/sql/index.ts), kept out of this one's bundle.
