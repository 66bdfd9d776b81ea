import { isKaoheError } from "../internal/errors";
import { pick, type Bilingual, type Lang } from "../internal/i18n";
import { safePrepareRulebook } from "../screening/prepare";
import { SUBJECTS, type Subject } from "../screening/schema";
import { safeCompileRulebookSql } from "../sql/compile";
import { SQL_DIALECTS, type SqlDialect } from "../sql/dialect";
import { sqlScript } from "../sql/script";
import { EXIT, UsageError, parseArgs, readJson, reportIssues, type CliIO } from "./io";

/** The usage line of `kaohe sql`. */
export const SQL_USAGE = "kaohe sql --rules <rulebook.json> --dialect postgres|mysql|duckdb [--table persons] [--level person|household|village] [--row-column name] [--format sql|json]";

/** What `kaohe sql` may use beyond {@link CliIO}: the language of its messages (Chinese by default). */
export interface SqlCliIO extends CliIO {
  readonly lang?: Lang;
}

const TEXT = {
  dialect: { zh: "--dialect 须为 postgres、mysql 或 duckdb", en: "--dialect must be postgres, mysql or duckdb" },
  rules: { zh: "须给出 --rules <规则集.json>", en: "--rules <rulebook.json> is required" },
  format: { zh: "--format 须为 sql 或 json", en: "--format must be sql or json" },
  level: { zh: "--level 须为 person、household 或 village", en: "--level must be person, household or village" },
  positional: { zh: "kaohe sql 不读数据文件：它输出在数据库中运行的脚本", en: "kaohe sql reads no data file: it prints a script to run in the database" },
} satisfies Record<string, Bilingual>;

/**
 * Runs `kaohe sql`: compiles a rulebook to one query and prints it as a script that the database's
 * own client runs as is (`psql -f`, `mysql <`, `duckdb <`), or with `--format json` as
 * `{ sql, params, … }`. The table holds the export as a database administrator loads it: one text
 * column per exported column, named as in the file's header.
 *
 * @param args - The arguments after `sql`.
 * @param io - Output channels, the file reader and the language.
 * @returns 0 when the script was printed, 1 for an invalid or untranslatable rulebook, 2 for a usage error.
 */
export function runSqlCommand(args: string[], io: SqlCliIO): number {
  const lang = io.lang ?? "zh";
  let options: Record<string, string>;
  try {
    const parsed = parseArgs(args, ["rules", "dialect", "table", "format", "level", "row-column"]);
    options = parsed.options;
    if (parsed.positionals.length > 0) throw new UsageError(pick(lang, TEXT.positional));
    if (options.rules === undefined) throw new UsageError(pick(lang, TEXT.rules));
    if (!(SQL_DIALECTS as readonly string[]).includes(options.dialect ?? "")) throw new UsageError(`${pick(lang, TEXT.dialect)} (${options.dialect ?? "—"})`);
    if (options.format !== undefined && options.format !== "sql" && options.format !== "json") throw new UsageError(`${pick(lang, TEXT.format)} (${options.format})`);
    if (options.level !== undefined && !(SUBJECTS as readonly string[]).includes(options.level)) throw new UsageError(`${pick(lang, TEXT.level)} (${options.level})`);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`kaohe sql: ${error.message}`);
    io.stderr(`usage: ${SQL_USAGE}`);
    return EXIT.usage;
  }
  const rulesPath = options.rules as string;
  const json = readJson(io, rulesPath);
  if (!json.ok) {
    io.stderr(json.message);
    return EXIT.invalid;
  }
  const prepared = safePrepareRulebook(json.value);
  if (!prepared.success) {
    reportIssues(io, rulesPath, prepared.error.issues);
    return EXIT.invalid;
  }
  const dialect = options.dialect as SqlDialect;
  const table = options.table ?? "persons";
  const compiled = safeCompileRulebookSql(prepared.data, {
    dialect,
    table: table.includes(".") ? table.split(".") : table,
    ...(options.level === undefined ? {} : { level: options.level as Subject }),
    ...(options["row-column"] === undefined ? {} : { rowColumn: options["row-column"] }),
  });
  if (!compiled.success) {
    if (!isKaoheError(compiled.error)) throw compiled.error;
    reportIssues(io, rulesPath, compiled.error.issues);
    return EXIT.invalid;
  }
  const { rulebook } = prepared.data;
  if (options.format === "json") {
    io.stdout(JSON.stringify(compiled.data, null, 2));
    return EXIT.ok;
  }
  const comments = [
    `kaohe sql: ${rulebook.id} ${rulebook.version} (${rulebook.title}) for ${dialect}, table ${table}, rows of ${compiled.data.level === "person" ? "persons" : `${compiled.data.level}s`}`,
    "The table holds the export as loaded: one text column per exported column, named as in the file's header.",
    `Rules: ${compiled.data.rules.join(", ")}${compiled.data.skipped.length > 0 ? `; not run on these rows: ${compiled.data.skipped.map((s) => s.code).join(", ")}` : ""}`,
    "One row per finding (kind finding), undecided rule (rule_failed, with its reason) or rejected row (rejected).",
  ];
  io.stdout(sqlScript(compiled.data, { dialect, comments }).replace(/\n$/, ""));
  return EXIT.ok;
}
