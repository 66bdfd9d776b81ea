/**
 * Frameworks that users author (issue 13), the subpath entry `kaohe/authoring`: the indicator table
 * read into a framework and written back (`importFramework`, `exportFramework`), versions derived
 * from a framework (`deriveFramework`), what changed between two frameworks (`diffFrameworks`,
 * `formatFrameworkDiff`) and whether an assessment still fits a derived framework
 * (`checkAssessmentFit`). Authoring a framework is a separate job from scoring or screening with
 * one, so this code is kept out of the main entry's bundle, like `kaohe/sql` (the library's size
 * budget, docs/decisions/0504-authoring-subpath.md). Browser-safe: tables in, tables out, no files.
 *
 * @module
 */
export { deriveFramework, safeDeriveFramework } from "../model/derive";
export type { FrameworkChanges, IndicatorChange, IndicatorAddition } from "../model/derive";
export type { Table, TableRow } from "../model/table";
export { importFramework, safeImportFramework } from "../model/table-import";
export type { ImportFrameworkOptions } from "../model/table-import";
export type { ColumnRole } from "../model/table-text";
export { exportFramework, INDICATOR_SHEET } from "../model/table-export";
export type { ExportFrameworkOptions } from "../model/table-export";
export { diffFrameworks } from "../model/diff";
export type { FrameworkDiff, IndicatorDiff, IndicatorMatch, IndicatorSide, ClauseDiff, PolicyDiff, FieldDiff } from "../model/diff";
export { formatFrameworkDiff } from "../model/diff-report";
export type { FormatDiffOptions } from "../model/diff-report";
export type { TextDiffPart } from "../model/text-diff";
export { checkAssessmentFit } from "../scoring/fit";
