/**
 * The SQL compiler: a rulebook as one query for DuckDB, PostgreSQL or MySQL, giving the findings
 * the JavaScript screener gives. Browser-safe: it writes text and runs nothing.
 *
 * @module
 */
export { compileRulebookSql, safeCompileRulebookSql, SQL_RESULT_COLUMNS, type CompileRulebookSqlOptions, type CompiledSql } from "./compile";
export { SQL_DIALECTS, type SqlDialect } from "./dialect";
export { sqlScript, type SqlScriptOptions } from "./script";
