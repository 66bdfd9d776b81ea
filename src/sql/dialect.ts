/*
 * The SQL dialects the compiler writes: one table of translations per dialect. Everything that
 * differs between engines (quoting, types, text comparison, string functions, placeholders) is
 * an entry here, so that a new engine or a new field type is one place to fill in.
 */

/** The SQL dialects {@link compileRulebookSql} writes. */
export const SQL_DIALECTS = ["duckdb", "postgres", "mysql"] as const;

/** A SQL dialect: `duckdb`, `postgres` (also openGauss, KingbaseES) or `mysql` (also MariaDB, TiDB, OceanBase). */
export type SqlDialect = (typeof SQL_DIALECTS)[number];

/** The SQL types the compiler casts to: kaohe's number, text and boolean. @internal */
export type SqlScalar = "number" | "text" | "boolean";

/** How one dialect writes what the compiler needs. @internal */
export interface DialectTable {
  readonly name: SqlDialect;
  /** A quoted identifier. */
  quote(name: string): string;
  /** The type kaohe's values take in casts. */
  readonly types: Readonly<Record<SqlScalar, string>>;
  /** The placeholder of the n-th parameter (from 1). */
  placeholder(n: number): string;
  /** Text equality by code point (bytes of UTF-8), no padding, no case folding. */
  textEquals(a: string, b: string): string;
  /** Text order by code point: `op` is one of < <= > >=. */
  textOrder(a: string, op: string, b: string): string;
  /** Whether `needle` occurs in `haystack`, by code point, without wildcards. */
  contains(haystack: string, needle: string): string;
  /** The number of characters. */
  length(text: string): string;
  /** Characters from a 1-based position, `count` of them. */
  substring(text: string, from: string, count: string): string;
  /** Whether the whole text matches a regular expression given as SQL text. */
  matches(text: string, pattern: string): string;
  /** The text with a regular expression's match replaced (groups as \1). */
  replace(text: string, pattern: string, replacement: string): string;
  /** The text without the characters of `set` at either end. */
  trim(text: string, set: string, pattern: string): string;
  /**
   * Whether any of a row's cells begins or ends with a character of `set` or holds U+FFFD (TRUE
   * also where it cannot tell, never FALSE where one does): one test per row instead of a trim and
   * a search per cell.
   */
  readonly rowNeedsCare?: (cells: readonly string[], set: string) => string;
  /** A key that groups texts by their bytes (for DISTINCT, MIN, MAX). */
  binaryKey(text: string): string;
  /** A non-NULL text as a JSON string, where the dialect has a function for it (faster than escaping by REPLACE; read back as JSON, so its escapes need not be JavaScript's). */
  readonly jsonString?: (text: string) => string;
  /** Text concatenation of two or more operands (none of them NULL). */
  concat(parts: readonly string[]): string;
  /** A number as text, before trailing zeros are removed. */
  numberText(value: string): string;
  /** Integer text as an integer. */
  integer(text: string): string;
  /** A number truncated towards zero (still a number). */
  trunc(n: string): string;
  /** The remainder of truncating division (operands are numbers, the divisor not zero). */
  remainder(a: string, b: string): string;
  /** The text of a SQL string literal (for the compiler's own constants, never rulebook values). */
  literal(text: string): string;
  /** Integer remainder for calendar checks. */
  mod(a: string, b: string): string;
  /** Every match of a regular expression replaced by a constant. */
  replaceAll(text: string, pattern: string, replacement: string): string;
  /** The n-th (from 1) part of a text split at a separator (`n` a number, or an integer SQL expression). */
  part(text: string, separator: string, n: number | string): string;
  /** The text without a trailing run of one character. */
  rtrimChar(text: string, char: string): string;
  /** A placeholder cast to a type. */
  param(placeholder: string, type: SqlScalar): string;
  /** A source column read as text. */
  column(quoted: string): string;
  /** The first `value` (by `order`, among rows where `order` is not NULL) of a group. */
  firstBy(value: string, order: string): string;
  /** The texts (never NULL) of a group joined by commas, in order (of an order unique within the group). */
  joinTexts(value: string, order: string): string;
  /** The non-NULL texts of a group joined by a constant separator (a SQL literal), in order. */
  joinOrdered(value: string, separator: string, order: string): string;

  /** Statements that set the session up for the query (MySQL: GROUP_CONCAT's limit). */
  readonly preamble: readonly string[];
  /** A boolean as a value the dialect selects (MySQL's are integers). */
  flag(condition: string): string;
  /** A numeral (already checked) as a number: DuckDB parses short ones through DECIMAL(18,6), many times faster than DECIMAL(38,10). */
  numberFromText(text: string): string;
  /** A numeral of at most 12 digits and 6 decimals (already checked) as a number, where the dialect has a faster cast for it than {@link DialectTable.numberFromText}. */
  readonly shortNumber?: (text: string) => string;
  /**
   * `x * n` for a whole number `n` of at most {@link SMALL_FACTOR} in size, where the dialect has a
   * faster exact form than its generic product; `bound` is {@link FAST_PRODUCT_BOUND}. DuckDB's
   * DECIMAL(38,10) × DECIMAL(38,10) has 20 decimals and is rescaled by a 128-bit division, about
   * 50 × slower than × DECIMAL(18,0) (decision 0705).
   */
  readonly timesWhole?: (x: string, n: string, bound: string) => string;
  /** A date text in one of the accepted forms (already checked; `groups` captures its parts) as `YYYY-MM-DD`, NULL when not a calendar date; without it, the calendar is checked by arithmetic. */
  readonly dateFromText?: (text: string, groups: string) => string;
  /**
   * Whether the columns of an `and`/`or`'s later operands are computed only where the operand is
   * reached (`CASE WHEN reached THEN … END`), so that e.g. a rule's month arithmetic is computed
   * only for the households whose status its first operand asks for (decision 0706).
   */
  readonly guardOperands?: boolean;
  /** Whether a chain of computed layers is one query of nested subqueries (stored once) rather than a chain of stored CTEs. */
  readonly nestLayers?: boolean;
  /** Whether a group's rows all hold the same values (NULL equal to NULL), as one aggregate; without it, a count, MIN and MAX per value. */
  readonly allEqual?: (values: readonly string[]) => string;
  /** The keyword that makes a CTE computed once (DuckDB and PostgreSQL inline CTEs otherwise). */
  readonly materialized: string;
}

/** Refuses a name no engine can hold safely: empty, NUL, or over the engines' limit. */
function checkName(name: string, max: number): void {
  if (name === "" || name.includes("\u0000") || [...name].length > max) {
    throw new RangeError(`"${name.replace(/\u0000/g, "\\0")}" cannot be a SQL identifier (empty, NUL, or longer than ${max} characters)`);
  }
}

/** The largest whole factor {@link DialectTable.timesWhole} is used for. */
export const SMALL_FACTOR = 1_000_000;
/** {@link DialectTable.timesWhole} is the fast product where the other factor is below this in size: the product stays below 10^18. */
export const FAST_PRODUCT_BOUND = 1_000_000_000_000;

const standardLiteral = (text: string) => `'${text.replace(/'/g, "''")}'`;

const duckTypes = { number: "DECIMAL(38,10)", text: "VARCHAR", boolean: "BOOLEAN" } as const;

const duckdb: DialectTable = {
  name: "duckdb",
  quote: (name) => {
    checkName(name, 255);
    return `"${name.replace(/"/g, '""')}"`;
  },
  types: { number: "DECIMAL(38,10)", text: "VARCHAR", boolean: "BOOLEAN" },
  placeholder: (n) => `$${n}`,
  textEquals: (a, b) => `(${a} = ${b})`,
  textOrder: (a, op, b) => `(${a} ${op} ${b})`,
  contains: (h, n) => `(strpos(${h}, ${n}) > 0)`,
  length: (t) => `length(${t})`,
  substring: (t, f, c) => `substr(${t}, ${f}, ${c})`,
  matches: (t, p) => `regexp_full_match(${t}, ${p})`,
  replace: (t, p, r) => `regexp_replace(${t}, ${p}, ${r})`,
  // Most cells have no white space at either end: looking at the first and last character tells them faster than trim with a set.
  trim: (t, set) => `(CASE WHEN strpos(${set}, left(${t}, 1)) > 0 OR strpos(${set}, right(${t}, 1)) > 0 THEN trim(${t}, ${set}) ELSE ${t} END)`,
  // The cells joined by U+001F (not white space): a cell with white space at an end has it next to a separator or an end of the
  // joined text. A cell holding U+001F itself may make it TRUE, which only costs the trims.
  rowNeedsCare: (cells, set) => {
    const any = `[${set.replace(/[\\\]^-]/g, "\\$&")}]`;
    return cells.length === 0 ? "(1 = 0)" : `COALESCE(regexp_matches(concat_ws(chr(31), ${cells.join(", ")}), ${standardLiteral(`(^|\\x1f)${any}|${any}(\\x1f|$)|\uFFFD`)}), (1 = 1))`;
  },
  binaryKey: (t) => t,
  jsonString: (t) => `CAST(to_json(${t}) AS VARCHAR)`,
  concat: (parts) => `(${parts.join(" || ")})`,
  numberText: (v) => `CAST(${v} AS VARCHAR)`,
  integer: (t) => `CAST(${t} AS BIGINT)`,
  trunc: (n) => `trunc(${n})`,
  remainder: (a, b) => `CAST((${a}) % (${b}) AS DECIMAL(38,10))`,
  literal: standardLiteral,
  mod: (a, b) => `((${a}) % (${b}))`,
  replaceAll: (t, p, r) => `regexp_replace(${t}, ${p}, ${r}, 'g')`,
  part: (t, sep, n) => `split_part(${t}, ${sep}, ${n})`,
  rtrimChar: (t, c) => `rtrim(${t}, ${c})`,
  param: (p, type) => `CAST(${p} AS ${duckTypes[type]})`,
  column: (q) => `CAST(${q} AS VARCHAR)`,
  firstBy: (v, o) => `arg_min(${v}, ${o})`,
  // A list sorted by its structs (the order first) instead of an ordered string_agg, which sorts each group apart: about a
  // third less for the members' JSON (decision 0706). The order is unique within a group (a member's row or number).
  joinTexts: (v, o) => `array_to_string(list_transform(list_sort(list({'o': ${o}, 'j': ${v}})), s -> s.j), ',')`,
  joinOrdered: (v, sep, o) => `string_agg(${v}, ${sep} ORDER BY ${o})`,
  preamble: [],
  flag: (c) => c,
  materialized: "MATERIALIZED ",
  nestLayers: true,
  guardOperands: true,
  // DISTINCT treats NULLs as equal, and compares texts by their bytes.
  allEqual: (values) => `(COUNT(DISTINCT row(${values.join(", ")})) = 1)`,
  // DuckDB's calendar is proleptic Gregorian with a year 0, as JavaScript's check is; strftime writes four-digit years.
  dateFromText: (t, groups) => `strftime(TRY_CAST(regexp_replace(${t}, ${standardLiteral(groups)}, '\\1-\\2\\4-\\3\\5') AS DATE), '%Y-%m-%d')`,
  shortNumber: (t) => `CAST(CAST(${t} AS DECIMAL(18,6)) AS DECIMAL(38,10))`,
  // Below the bound the product is exact in both forms (fewer than 18 digits before the point); at or above it, the generic
  // product, which fails on overflow as before.
  timesWhole: (x, n, bound) => `(CASE WHEN abs(${x}) < ${bound} THEN CAST((${x} * CAST(${n} AS DECIMAL(18,0))) AS DECIMAL(38,10)) ELSE CAST((${x} * ${n}) AS DECIMAL(38,10)) END)`,
  numberFromText: (t) =>
    `(CASE WHEN regexp_full_match(${t}, '^[+-]?[0-9]{0,12}([.][0-9]{0,6})?$') THEN CAST(CAST(${t} AS DECIMAL(18,6)) AS DECIMAL(38,10)) ELSE CAST(${t} AS DECIMAL(38,10)) END)`,
};

/** A name as PostgreSQL stores it: cut to 63 bytes of UTF-8 at a character boundary, as the server cuts every longer identifier (a table created from a long header has the cut names). */
function postgresName(name: string): string {
  const encoder = new TextEncoder();
  let bytes = 0;
  let cut = "";
  for (const char of name) {
    bytes += encoder.encode(char).length;
    if (bytes > 63) break;
    cut += char;
  }
  return cut;
}

const postgres: DialectTable = {
  name: "postgres",
  quote: (name) => {
    checkName(name, 63 * 4);
    return `"${postgresName(name).replace(/"/g, '""')}"`;
  },
  types: { number: "NUMERIC", text: "TEXT", boolean: "BOOLEAN" },
  placeholder: (n) => `$${n}`,
  textEquals: (a, b) => `(${a} = ${b} COLLATE "C")`,
  textOrder: (a, op, b) => `(${a} ${op} ${b} COLLATE "C")`,
  contains: (h, n) => `(strpos(${h}, ${n}) > 0)`,
  length: (t) => `char_length(${t})`,
  // substr takes integers (a computed position is a BIGINT).
  substring: (t, f, c) => `substr(${t}, CAST(${f} AS INTEGER), CAST(${c} AS INTEGER))`,
  matches: (t, p) => `(${t} ~ ${p})`,
  replace: (t, p, r) => `regexp_replace(${t}, ${p}, ${r})`,
  trim: (t, set) => `btrim(${t}, ${set})`,
  binaryKey: (t) => `(${t} COLLATE "C")`,
  jsonString: (t) => `CAST(to_json(CAST(${t} AS TEXT)) AS TEXT)`,
  concat: (parts) => `(${parts.join(" || ")})`,
  numberText: (v) => `CAST(${v} AS TEXT)`,
  integer: (t) => `CAST(${t} AS BIGINT)`,
  trunc: (n) => `trunc(${n})`,
  remainder: (a, b) => `mod(${a}, ${b})`,
  literal: standardLiteral,
  mod: (a, b) => `mod(${a}, ${b})`,
  replaceAll: (t, p, r) => `regexp_replace(${t}, ${p}, ${r}, 'g')`,
  part: (t, sep, n) => `split_part(${t}, ${sep}, ${n})`,
  rtrimChar: (t, c) => `rtrim(${t}, ${c})`,
  param: (p, type) => `CAST(${p} AS ${{ number: "NUMERIC", text: "TEXT", boolean: "BOOLEAN" }[type]})`,
  column: (q) => `CAST(${q} AS TEXT)`,
  firstBy: (v, o) => `(array_agg(${v} ORDER BY ${o}) FILTER (WHERE ${o} IS NOT NULL))[1]`,
  joinTexts: (v, o) => `string_agg(${v}, ',' ORDER BY ${o})`,
  joinOrdered: (v, sep, o) => `string_agg(${v}, ${sep} ORDER BY ${o})`,
  preamble: [],
  flag: (c) => c,
  materialized: "MATERIALIZED ",
  numberFromText: (t) => `CAST(${t} AS NUMERIC)`,
};

const mysql: DialectTable = {
  name: "mysql",
  quote: (name) => {
    checkName(name, 64);
    if (/ $/.test(name)) throw new RangeError(`"${name}" ends with a space, which MySQL identifiers cannot`);
    return `\`${name.replace(/`/g, "``")}\``;
  },
  types: { number: "DECIMAL(65,30)", text: "CHAR", boolean: "SIGNED" },
  placeholder: () => "?",
  textEquals: (a, b) => `(CAST(${a} AS BINARY) = CAST(${b} AS BINARY))`,
  textOrder: (a, op, b) => `(CAST(${a} AS BINARY) ${op} CAST(${b} AS BINARY))`,
  contains: (h, n) => `(LOCATE(CAST(${n} AS BINARY), CAST(${h} AS BINARY)) > 0)`,
  length: (t) => `CHAR_LENGTH(${t})`,
  substring: (t, f, c) => `SUBSTRING(${t}, ${f}, ${c})`,
  // PCRE's and ICU's $ also match before a final line break; none of the compiler's patterns accepts one, as JavaScript's do not.
  matches: (t, p) => `(${t} REGEXP ${p} AND RIGHT(${t}, 1) <> CHAR(10 USING utf8mb4))`,
  replace: (t, p, r) => `REGEXP_REPLACE(${t}, ${p}, ${r})`,
  trim: (t, _set, pattern) => `REGEXP_REPLACE(${t}, ${pattern}, '')`,
  binaryKey: (t) => `CAST(${t} AS BINARY)`,
  concat: (parts) => `CONCAT(${parts.join(", ")})`,
  numberText: (v) => `CAST(${v} AS CHAR)`,
  integer: (t) => `CAST(${t} AS SIGNED)`,
  trunc: (n) => `TRUNCATE(${n}, 0)`,
  remainder: (a, b) => `MOD(${a}, ${b})`,
  literal: (text) => `'${text.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`,
  mod: (a, b) => `MOD(${a}, ${b})`,
  replaceAll: (t, p, r) => `REGEXP_REPLACE(${t}, ${p}, ${r})`,
  part: (t, sep, n) => `SUBSTRING_INDEX(SUBSTRING_INDEX(${t}, ${sep}, ${n}), ${sep}, -1)`,
  rtrimChar: (t, c) => `TRIM(TRAILING ${c} FROM ${t})`,
  param: (p, type) => (type === "text" ? `(CAST(${p} AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_bin)` : `CAST(${p} AS ${type === "number" ? "DECIMAL(65,30)" : "SIGNED"})`),
  column: (q) => `(CONVERT(${q} USING utf8mb4) COLLATE utf8mb4_bin)`,
  firstBy: (v, o) => `SUBSTRING_INDEX(GROUP_CONCAT(CASE WHEN ${o} IS NOT NULL THEN ${v} END ORDER BY ${o} SEPARATOR '\x1e'), '\x1e', 1)`,
  joinTexts: (v, o) => `GROUP_CONCAT(${v} ORDER BY ${o} SEPARATOR ',')`,
  joinOrdered: (v, sep, o) => `GROUP_CONCAT(${v} ORDER BY ${o} SEPARATOR ${sep})`,
  preamble: ["SET SESSION group_concat_max_len = 1073741824"],
  flag: (c) => `(CASE WHEN ${c} THEN 1 ELSE 0 END)`,
  materialized: "",
  numberFromText: (t) => `CAST(${t} AS DECIMAL(65,30))`,
};

/** The translation tables by dialect. @internal */
export const DIALECTS: Readonly<Record<SqlDialect, DialectTable>> = { duckdb, postgres, mysql };
