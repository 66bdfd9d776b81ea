import { isKaoheError } from "../internal/errors";
import { safePrepareRulebook } from "../screening/prepare";
import { SUBJECTS, type Subject } from "../screening/schema";
import { safeCompileRulebookSql } from "../sql/compile";
import { SQL_DIALECTS, type SqlDialect } from "../sql/dialect";
import { sqlScript } from "../sql/script";
import { EXIT, UsageError, readJson, reportIssues, type CliIO, type Ctx } from "./io";

import type { CommandSpec, Parsed } from "./args";
import { stringOption } from "./args";
import { runCommand } from "./command";
import { t } from "./lang";

/** The declaration of `kaohe sql`, from which its parsing and help are made. */
export const SQL_SPEC: CommandSpec = {
  name: "sql",
  args: "--rules <rulebook.json> --dialect <postgres|mysql|duckdb>",
  summary: t("把筛查规则集编译为一条 SQL，输出可在存放导出数据的数据库中运行的脚本（见 docs/sql.md）", "Prints the rulebook as one SQL script for the database that holds the export (see docs/sql.md)"),
  options: {
    rules: { type: "string", value: "<rulebook.json>", help: t("筛查规则集（必填）", "the rulebook (required)") },
    dialect: { type: "string", value: "<postgres|mysql|duckdb>", choices: SQL_DIALECTS, help: t("SQL 方言（必填）", "the SQL dialect (required)") },
    table: { type: "string", value: "<name|schema.name>", default: "persons", help: t("存放导出数据的表：每个导出列一个文本列", "the table holding the export, one text column per exported column") },
    level: { type: "string", value: "<person|household|village>", choices: SUBJECTS, help: t("每行是什么（默认按表头判断）", "what one row holds (by default from the key columns)") },
    columns: { type: "string", value: "<a,b,…>", help: t("表中的列名（如导出文件的表头行），以逗号分隔；表中没有列的字段，读取它的规则被跳过（默认每个字段的第一个列名都在表中）", "the table's column names (such as the export's header line), separated by commas; the rules reading a field the table has no column for are skipped (by default each field's first column is in the table)") },
    "row-column": { type: "string", value: "<name>", help: t("存放行号的列：结果带行号并按文件顺序排列", "a column of row numbers: results carry rows, in file order") },
    format: { type: "string", value: "<sql|json>", choices: ["sql", "json"], default: "sql", help: t("sql 输出脚本，json 输出查询与绑定参数", "sql prints the script, json the query and its bound parameters") },
  },
  exits: [[1, t("规则集有误，或有规则无法精确翻译为 SQL（指明规则和运算符）", "an invalid rulebook, or a rule that cannot be translated to SQL exactly (naming the rule and the operator)")]],
  examples: ["kaohe sql --rules examples/screening/rulebook.json --dialect postgres --table persons"],
};

/**
 * Runs `kaohe sql`: compiles a rulebook to one query and prints it as a script that the database's
 * own client runs as is (`psql -f`, `mysql <`, `duckdb <`), or with `--format json` as
 * `{ sql, params, … }`. The table holds the export as a database administrator loads it: one text
 * column per exported column, named as in the file's header.
 *
 * @param args - The arguments after `sql`.
 * @param io - Output channels and the file reader.
 * @returns 0 when the script was printed, 1 for an invalid or untranslatable rulebook, 2 for a usage error.
 */
export function runSqlCommand(args: string[], io: CliIO): number | Promise<number> {
  return runCommand(SQL_SPEC, args, io, (ctx, parsed) => sql(ctx, parsed, io));
}

function sql(ctx: Ctx, parsed: Parsed, io: CliIO): number {
  if (parsed.positionals.length > 0) throw new UsageError(t("kaohe sql 不读数据文件：它输出在数据库中运行的脚本", "kaohe sql reads no data file: it prints a script to run in the database"));
  const options: Record<string, string | undefined> = Object.fromEntries(Object.keys(SQL_SPEC.options).map((name) => [name, stringOption(parsed, name)]));
  if (options.rules === undefined) throw new UsageError(t("需要 --rules <规则集.json>", "--rules <rulebook.json> is required"));
  if (options.dialect === undefined) throw new UsageError(t("需要 --dialect postgres、mysql 或 duckdb", "--dialect postgres, mysql or duckdb is required"));
  const rulesPath = options.rules as string;
  const json = readJson(io, rulesPath);
  if (!json.ok) {
    ctx.err(json.message);
    return EXIT.invalid;
  }
  const prepared = safePrepareRulebook(json.value);
  if (!prepared.success) {
    reportIssues(ctx, rulesPath, prepared.error.issues);
    return EXIT.invalid;
  }
  const dialect = options.dialect as SqlDialect;
  const table = options.table ?? "persons";
  const compiled = safeCompileRulebookSql(prepared.data, {
    dialect,
    table: table.includes(".") ? table.split(".") : table,
    // A header line pasted as is (`head -1 export.csv`): without its BOM and line break.
    ...(options.columns === undefined ? {} : { header: options.columns.replace(/^\uFEFF/, "").replace(/[\r\n]+$/, "").split(",") }),
    ...(options.level === undefined ? {} : { level: options.level as Subject }),
    ...(options["row-column"] === undefined ? {} : { rowColumn: options["row-column"] }),
  });
  if (!compiled.success) {
    if (!isKaoheError(compiled.error)) throw compiled.error;
    reportIssues(ctx, rulesPath, compiled.error.issues);
    return EXIT.invalid;
  }
  const { rulebook } = prepared.data;
  if (options.format === "json") {
    ctx.out(JSON.stringify(compiled.data, null, 2));
    return EXIT.ok;
  }
  const comments = [
    `kaohe sql: ${rulebook.id} ${rulebook.version} (${rulebook.title}) for ${dialect}, table ${table}, rows of ${compiled.data.level === "person" ? "persons" : `${compiled.data.level}s`}`,
    "The table holds the export as loaded: one text column per exported column, named as in the file's header.",
    `Rules: ${compiled.data.rules.join(", ")}${compiled.data.skipped.length > 0 ? `; not run on these rows: ${compiled.data.skipped.map((s) => s.code).join(", ")}` : ""}`,
    "One row per finding (kind finding), undecided rule (rule_failed, with its reason) or rejected row (rejected).",
  ];
  ctx.out(sqlScript(compiled.data, { dialect, comments }).replace(/\n$/, ""));
  return EXIT.ok;
}
