import * as z from "zod/mini";
import { meta } from "../../internal/zod";
import { IdSchema, TextSchema } from "../../model/primitives";
import { FieldSchema, ParameterSchema, SEVERITIES } from "../schema";

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

/** One rule of a multi-table rulebook: see the four kinds. */
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

/** A validated multi-table rulebook: see {@link TablesRulebookSchema}. */
export type TablesRulebook = z.infer<typeof TablesRulebookSchema>;
/** A multi-table rulebook as written: see {@link TablesRulebookSchema}. */
export type TablesRulebookInput = z.input<typeof TablesRulebookSchema>;
/** One table: see {@link TableSchema}. */
export type Table = z.infer<typeof TableSchema>;
/** One rule of a multi-table rulebook. */
export type TableRule = z.infer<typeof TableRuleSchema>;
/** An aggregate: see {@link AggregateSchema}. */
export type Aggregate = z.infer<typeof AggregateSchema>;
