import type { CompiledSql } from "./compile";
import type { SqlDialect } from "./dialect";

/** Options of {@link sqlScript}. */
export interface SqlScriptOptions {
  /** The dialect the query was compiled for. */
  readonly dialect: SqlDialect;
  /** Comment lines to put first (e.g. what the rulebook and the table are). */
  readonly comments?: readonly string[];
}

const standard = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** UTF-8 bytes as a MySQL hex literal converted to utf8mb4 text: safe in every SQL mode and client charset. */
function mysqlText(value: string): string {
  let hex = "";
  for (const byte of new TextEncoder().encode(value)) hex += byte.toString(16).padStart(2, "0");
  return hex === "" ? "''" : `CONVERT(X'${hex}' USING utf8mb4)`;
}

/**
 * Writes a compiled query as a script the database's own client runs as it is (`psql -f`,
 * `mysql <`, `duckdb <`): the query prepared with placeholders and executed with the bound
 * values, never with the values spliced into its text.
 *
 * @param compiled - From `compileRulebookSql`.
 * @param options - The dialect and leading comments.
 * @returns The script text.
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { compileRulebookSql, sqlScript } from "kaohe/sql";
 * const rulebook = JSON.parse(readFileSync("examples/screening/rulebook.json", "utf8"));
 * const script = sqlScript(compileRulebookSql(rulebook, { dialect: "postgres", table: "persons" }), { dialect: "postgres" });
 * script.includes("PREPARE kaohe_screen");   //=> true
 * script.includes("EXECUTE kaohe_screen('"); //=> true
 * ```
 */
export function sqlScript(compiled: CompiledSql, options: SqlScriptOptions): string {
  const lines = (options.comments ?? []).map((line) => `-- ${line.replace(/[\r\n]+/g, " ")}`);
  const values = compiled.params.map((value) => (typeof value === "boolean" ? (value ? "true" : "false") : String(value)));
  switch (options.dialect) {
    case "postgres":
      lines.push("SET standard_conforming_strings = on;");
      lines.push(`PREPARE kaohe_screen(${values.map(() => "text").join(", ")}) AS`);
      lines.push(`${compiled.sql};`);
      lines.push(`EXECUTE kaohe_screen(${values.map(standard).join(", ")});`);
      lines.push("DEALLOCATE kaohe_screen;");
      break;
    case "duckdb":
      lines.push("PREPARE kaohe_screen AS");
      lines.push(`${compiled.sql};`);
      lines.push(`EXECUTE kaohe_screen(${values.map(standard).join(", ")});`);
      lines.push("DEALLOCATE kaohe_screen;");
      break;
    case "mysql": {
      lines.push("SET NAMES utf8mb4;");
      for (const statement of compiled.setup) lines.push(`${statement};`);
      lines.push("-- The query, as prepared below (its text is bound as hex so that no quoting can break it):");
      for (const line of compiled.sql.split("\n")) lines.push(`--   ${line}`);
      lines.push(`SET @kaohe_sql = ${mysqlText(compiled.sql)};`);
      lines.push("PREPARE kaohe_screen FROM @kaohe_sql;");
      compiled.params.forEach((value, i) => lines.push(`SET @kaohe_p${i + 1} = ${typeof value === "number" ? String(value) : mysqlText(String(value))};`));
      lines.push(`EXECUTE kaohe_screen${values.length > 0 ? ` USING ${values.map((_, i) => `@kaohe_p${i + 1}`).join(", ")}` : ""};`);
      lines.push("DEALLOCATE PREPARE kaohe_screen;");
      break;
    }
  }
  return `${lines.join("\n")}\n`;
}
