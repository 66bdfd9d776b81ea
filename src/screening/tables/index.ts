/**
 * Screening several exports at once (issue 14): a multi-table rulebook declares its tables (one per
 * export), their keys and joins; record rules read joined records and aggregates; uniqueness,
 * reference and count checks compare records across tables. The file reader (`../node/tables.ts`) is
 * Node-only and kept for the CLI.
 *
 * @module
 */
export { TablesRulebookSchema, TableSchema, AggregateSchema, TableRuleSchema } from "./schema";
export type { TablesRulebook, TablesRulebookInput, Table, TableInput, Aggregate, TableRule, TableRuleBase, TableRecordRule, UniqueRule, ReferenceRule, CountRule } from "./schema";
export { prepareTablesRulebook, safePrepareTablesRulebook } from "./prepare";
export type { PreparedTablesRulebook, PreparedTable, PreparedTableRule, PreparedAggregate, PreparedCondition } from "./prepare";
export { screenTables, TablesScreener, runRuleTests } from "./screen";
export type { TableFinding, TableQualityFinding, TableRejectedRow, TablePlace, TableSource, TablesCounts, TablesResult, SkippedTableRule, RuleTest, RuleTestResult } from "./screen";
