import * as z from "zod/mini";
import { meta } from "../../internal/zod";
import { IdSchema, TextSchema, type ReadonlyArrays } from "../../model/primitives";
import { FieldSchema, ParameterSchema, SEVERITIES, type Field, type Parameter, type Severity } from "../schema";

/** A table or field name: letters, digits and '_', starting with a letter. */
const NameSchema = z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9_]*$/, { message: "must be a name of letters, digits and '_', starting with a letter" }));

/** A field of one table: as a rulebook field, without `of` (the table says whose it is). */
const TableFieldSchema = z.omit(FieldSchema, { of: true });

/** An aggregate of a table over the rows of another table that refer to it. */
export const AggregateSchema = meta(z.strictObject({
  op: meta(z.enum(["count", "sum", "some", "all"]), { description: "count (rows, or rows where `where` holds), sum (of `field`), some / all (`where` holds for some / every row)." }),
  of: meta(NameSchema, { description: "The table whose rows are aggregated; it must refer to this table (one of its `refs`)." }),
  field: meta(z.optional(NameSchema), { description: "For sum: the number field of `of` summed (exactly, in decimal)." }),
  where: meta(z.optional(z.unknown()), { description: "A JSON Logic condition over a row of `of` (what its rules read): only rows where it holds count." }),
}), { description: "An aggregate over the rows of another table that refer to this one, read by this table's rules as agg.<name>." });

/** One table of a multi-table rulebook: its fields, its key, the tables it refers to, its aggregates. */
export const TableSchema = meta(z.strictObject({
  title: meta(TextSchema, { description: "The export it is read from, in Chinese, e.g. 监测对象信息." }),
  key: meta(z.optional(z.union([NameSchema, z.array(NameSchema).check(z.minLength(1))])), { description: "The field(s) identifying a record (e.g. idNumber for 证件号码); a list is a composite key. A row with an empty key is rejected." }),
  fields: meta(z.record(NameSchema, TableFieldSchema), { description: "The table's fields by name, each with its column(s) in the export." }),
  refs: meta(z._default(z.record(NameSchema, NameSchema), {}), { description: "Joins: a field of this table holding the key of another table (e.g. householdId → households). Rules read the joined record as <table>.<field>." }),
  unit: meta(z.optional(z.strictObject({ county: NameSchema, township: NameSchema, village: NameSchema })), { description: "This table's fields giving a record's 县/乡/村; by default a record's unit is its joined record's." }),
  aggregates: meta(z._default(z.record(NameSchema, AggregateSchema), {}), { description: "Aggregates over the rows of tables referring to this one, read as agg.<name>." }),
}), { description: "A table (one export) of a multi-table rulebook." });

const RuleBase = {
  code: IdSchema,
  title: TextSchema,
  severity: z.enum(SEVERITIES),
  table: meta(NameSchema, { description: "The table whose records it screens (and where its findings are)." }),
  basis: z.optional(TextSchema),
};

/** A rule over one record, reading its fields, its joined records, its aggregates and parameters. */
export const TableRecordRuleSchema = meta(z.strictObject({
  ...RuleBase,
  kind: z.optional(z.literal("record")),
  when: meta(z.unknown(), { description: "A JSON Logic rule over the record: its fields, <table>.<field> of joined records, agg.<name>, params.<name>." }),
  message: meta(TextSchema, { description: "The finding's message; {path} is replaced by the value read." }),
}), { description: "A record rule: a finding where its condition holds." });

/** A key that must be unique across every file of a table. */
export const UniqueRuleSchema = meta(z.strictObject({
  ...RuleBase,
  kind: z.literal("unique"),
  fields: meta(z.array(NameSchema).check(z.minLength(1)), { description: "The field(s) whose values together must not occur twice (e.g. [\"idNumber\"]). Rows where one is empty are not counted." }),
  message: z.optional(TextSchema),
}), { description: "A uniqueness check: one finding per value occurring more than once, listing every place (table, file, row)." });

/** A field that must hold a key of another table. */
export const ReferenceRuleSchema = meta(z.strictObject({
  ...RuleBase,
  kind: z.literal("reference"),
  field: meta(NameSchema, { description: "The field of `table` holding the key (e.g. householdId)." }),
  to: meta(NameSchema, { description: "The table whose key it must be (its key is one field)." }),
  message: z.optional(TextSchema),
}), { description: "A reference check: a finding for each record whose (non-empty) field names no record of `to`." });

/** A declared count that must equal the rows of another table referring to the record. */
export const CountRuleSchema = meta(z.strictObject({
  ...RuleBase,
  kind: z.literal("count"),
  field: meta(NameSchema, { description: "The number field of `table` declaring the count (e.g. householdSize, 家庭人口数)." }),
  of: meta(NameSchema, { description: "The table whose rows referring to the record are counted (e.g. persons)." }),
  message: z.optional(TextSchema),
}), { description: "A consistency check between tables: the declared count against the rows that refer to the record." });

/** One rule of a multi-table rulebook, of four kinds: validates a {@link TableRule}. */
export const TableRuleSchema = z.union([TableRecordRuleSchema, UniqueRuleSchema, ReferenceRuleSchema, CountRuleSchema]);

/**
 * A multi-table rulebook: several exports (persons, households, villages, migrant work…), each a
 * table with its key and its joins, screened together by record rules and cross-record checks.
 */
export const TablesRulebookSchema = meta(z.strictObject({
  id: IdSchema,
  title: TextSchema,
  version: TextSchema,
  description: z.optional(TextSchema),
  parameters: z._default(z.record(NameSchema, ParameterSchema), {}),
  tables: z.record(NameSchema, TableSchema),
  rules: z.array(TableRuleSchema).check(z.minLength(1, { message: "must hold at least one rule" })),
}), { description: "A multi-table screening rulebook: tables joined by keys, record rules and cross-record checks." });

/** An aggregate over the rows of another table that refer to this one: see {@link AggregateSchema}. */
export interface Aggregate {
  /**
   * `count` (the rows, or the rows where `where` holds), `sum` (of `field`), `some` / `all`
   * (`where` holds for some / every row). Over no rows, a count and a sum are 0, some and all false.
   */
  op: "count" | "sum" | "some" | "all";
  /** The table whose rows are aggregated; it must refer to this table (one of its `refs`). */
  of: string;
  /** For `sum` (and only for it): the number field of `of` summed, exactly, in decimal. */
  field?: string | undefined;
  /**
   * A JSON Logic condition over a row of `of` (what that table's rules read): only the rows where
   * it holds count. Needed by `some` and `all`.
   */
  where?: unknown;
}

/** One table (one export) of a multi-table rulebook: see {@link TableSchema}. */
export interface Table {
  /** The export it is read from, in Chinese, e.g. 监测对象信息. */
  title: string;
  /**
   * The field(s) identifying a record (e.g. `idNumber` for 证件号码); a list (at least one) is a
   * composite key, quoted joined by `/`. A row with an empty key is rejected. Without a key,
   * records are known by their row.
   */
  key?: string | string[] | undefined;
  /**
   * The table's fields by name, each with its column(s) in the export: a rulebook {@link Field}
   * without `of` (the table says whose it is).
   */
  fields: Record<string, Omit<Field, "of">>;
  /**
   * Joins: a field of this table holding the key of another table (e.g. `householdId: "households"`);
   * rules read the joined record as `<table>.<field>`. Default none.
   */
  refs: Record<string, string>;
  /** This table's fields giving a record's 县/乡/村; by default a record's unit is its first joined record's. */
  unit?:
    | {
        /** The field of the county (县). */
        county: string;
        /** The field of the township (乡镇). */
        township: string;
        /** The field of the village (村). */
        village: string;
      }
    | undefined;
  /** Aggregates by name over the rows of tables referring to this one, read by its rules as `agg.<name>`. Default none. */
  aggregates: Record<string, Aggregate>;
}

/**
 * A table as written (before defaults): `refs` and `aggregates` may be left out, and arrays may be
 * `readonly`. See {@link TableSchema}.
 */
export interface TableInput extends ReadonlyArrays<Omit<Table, "refs" | "aggregates">> {
  /** Joins: a field of this table holding the key of another table; see {@link Table.refs}. Default none. */
  readonly refs?: Readonly<Record<string, string>> | undefined;
  /** Aggregates by name, read by the table's rules as `agg.<name>`; see {@link Table.aggregates}. Default none. */
  readonly aggregates?: Readonly<Record<string, Aggregate>> | undefined;
}

/** What every kind of rule of a multi-table rulebook holds. */
export interface TableRuleBase {
  /** A unique code, e.g. T01, quoted in every finding. */
  code: string;
  /** The rule's title in Chinese, e.g. 证件号码重复. */
  title: string;
  /** `high` (严重), `medium` (一般) or `low` (提示). */
  severity: Severity;
  /** The table whose records it screens (and where its findings are). */
  table: string;
  /** Where the check comes from (政策依据), for readers of the findings. */
  basis?: string | undefined;
}

/** A record rule: a finding where its condition holds for a record. One kind of {@link TableRuleSchema}. */
export interface TableRecordRule extends TableRuleBase {
  /** `record`, the default kind. */
  kind?: "record" | undefined;
  /**
   * A JSON Logic rule over the record: its fields, `<table>.<field>` of joined records,
   * `agg.<name>` (and `<table>.agg.<name>`), `params.<name>`; a truthy value is a finding.
   */
  when: unknown;
  /** The finding's message; `{path}` is replaced by the value read at that path. */
  message: string;
}

/**
 * A uniqueness check: one finding per value occurring more than once across every file of the
 * table, listing every place (table, file, row). One kind of {@link TableRuleSchema}.
 */
export interface UniqueRule extends TableRuleBase {
  /** `unique`. */
  kind: "unique";
  /**
   * The field(s) whose values together must not occur twice (e.g. `["idNumber"]`, 证件号码); rows
   * where one is empty are not counted.
   */
  fields: string[];
  /** The finding's message; by default it names the value and every row where it occurs. */
  message?: string | undefined;
}

/**
 * A reference check: a finding for each record whose (non-empty) field names no record of `to`.
 * One kind of {@link TableRuleSchema}.
 */
export interface ReferenceRule extends TableRuleBase {
  /** `reference`. */
  kind: "reference";
  /** The field of `table` holding the key (e.g. `householdId`, 户编号). */
  field: string;
  /** The table whose key it must be (its key is one field). */
  to: string;
  /** The finding's message; by default 「…」在…中没有记录, naming the value and the table. */
  message?: string | undefined;
}

/**
 * A consistency check between tables: the count a record declares against the rows of another
 * table that refer to it. One kind of {@link TableRuleSchema}.
 */
export interface CountRule extends TableRuleBase {
  /** `count`. */
  kind: "count";
  /** The number field of `table` declaring the count (e.g. `householdSize`, 家庭人口数). */
  field: string;
  /** The table whose rows referring to the record are counted (e.g. `persons`). */
  of: string;
  /** The finding's message; by default it gives the declared count and the rows found. */
  message?: string | undefined;
}

/** One rule of a multi-table rulebook, by its `kind`: a record rule, or a uniqueness, reference or count check. */
export type TableRule = TableRecordRule | UniqueRule | ReferenceRule | CountRule;

/** A validated multi-table rulebook: see {@link TablesRulebookSchema}. */
export interface TablesRulebook {
  /** The rulebook's id. */
  id: string;
  /** The rulebook's title in Chinese. */
  title: string;
  /** The rulebook's version, e.g. 2025.1. */
  version: string;
  /** What it screens, in words. */
  description?: string | undefined;
  /** Parameters by name, read by rules as `params.<name>` (e.g. the monitoring income line). */
  parameters: Record<string, Parameter>;
  /** The tables by name, one per export (e.g. `persons` for 监测对象信息, `households` for 户信息). */
  tables: Record<string, Table>;
  /** The rules (at least one), in the order their findings are listed. */
  rules: TableRule[];
}

/**
 * A multi-table rulebook as written (before defaults): `parameters`, and each table's `refs` and
 * `aggregates`, may be left out, and arrays may be `readonly`. See {@link TablesRulebookSchema}.
 */
export interface TablesRulebookInput {
  /** The rulebook's id. */
  readonly id: string;
  /** The rulebook's title in Chinese. */
  readonly title: string;
  /** The rulebook's version, e.g. 2025.1. */
  readonly version: string;
  /** What it screens, in words. */
  readonly description?: string | undefined;
  /** Parameters by name, read by rules as `params.<name>`. Default none. */
  readonly parameters?: Readonly<Record<string, Parameter>> | undefined;
  /** The tables by name, one per export. */
  readonly tables: Readonly<Record<string, TableInput>>;
  /** The rules (at least one). */
  readonly rules: readonly ReadonlyArrays<TableRule>[];
}
