/**
 * Screening (逐村逐户过筛): coded rulebooks run over records of villages, households and persons.
 * Browser-safe: the file readers and the worker pool live in `./node/`, which only the CLI imports,
 * and are not exported here on purpose.
 *
 * Kept private on purpose: the record assembler and evaluation internals (`records.ts`,
 * `evaluate.ts`), which the CLI's workers use and which may change.
 *
 * @module
 */
import { RulebookSchema } from "./schema";

export {
  RulebookSchema,
  FieldSchema,
  ParameterSchema,
  ScreeningRuleSchema,
  SUBJECTS,
  FIELD_TYPES,
  SEVERITIES,
} from "./schema";
export type { Rulebook, RulebookInput, Field, FieldType, Parameter, ParameterValue, ScreeningRule, Severity, Subject } from "./schema";
export { prepareRulebook, safePrepareRulebook } from "./prepare";
export type { PreparedRulebook, PreparedScreeningRule, PrepareRulebookOptions } from "./prepare";
export { screenRecords, screenRecordStream, Screener } from "./screen";
export type { ScreenOptions, ScreeningCounts, ScreeningResult } from "./screen";
export type { Finding, ScreeningItem, RulePlan, SkippedRule } from "./evaluate";
export type { DataQualityFinding, RejectedRow, RowCounts, ScreeningRecord, ScreeningMember, UnitPath } from "./records";
export { SCREENING_OPERATIONS } from "./operations";
export type { FieldValue } from "./values";
export { summarizeFindings, FindingTally } from "./summary";
export type { FindingSummary, FindingCounts, SummarizeFindingsOptions } from "./summary";
export { mapColumns, isHeaderRow, rowFromCells } from "./columns";
export type { ColumnMap } from "./columns";

/**
 * The zod schemas of screening's inputs, by the name of the JSON Schema generated from each
 * (`schemas/rulebook.schema.json`, with `z.toJSONSchema(schema, { io: "input" })`).
 *
 * @example
 * ```ts
 * import { screeningJsonSchemas } from "kaohe";
 * Object.keys(screeningJsonSchemas); //=> ["rulebook"]
 * ```
 */
export const screeningJsonSchemas = {
  /** The rulebook's schema, {@link RulebookSchema}: `schemas/rulebook.schema.json`. */
  rulebook: RulebookSchema,
} as const;
