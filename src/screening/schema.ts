import * as z from "zod/mini";
import { meta } from "../internal/zod";
import { IdSchema, TextSchema } from "../model/primitives";
import type { ReadonlyArrays } from "../model/primitives";

/** The kinds of record a rule screens, from the widest to the narrowest: 村, 户, 人. */
export const SUBJECTS = ["village", "household", "person"] as const;

/** The kind of record a rule screens: `village` (村), `household` (户) or `person` (人). */
export type Subject = (typeof SUBJECTS)[number];

/** The types a record field may have; cells are converted to them before any rule runs. */
export const FIELD_TYPES = ["text", "number", "date", "month", "boolean"] as const;

/** The type of a record field: see {@link FIELD_TYPES}. */
export type FieldType = (typeof FIELD_TYPES)[number];

/** How serious a finding is: `high` (严重), `medium` (一般), `low` (提示). */
export const SEVERITIES = ["high", "medium", "low"] as const;

/** How serious a finding is: see {@link SEVERITIES}. */
export type Severity = (typeof SEVERITIES)[number];

/** A field name: an identifier that rules read with `{"var": "name"}` (no dots). */
const FieldNameSchema = meta(z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9_]*$/, { message: "must be a field name of letters, digits and '_', starting with a letter" })), { description: "A field name, as rules read it with {\"var\": \"name\"}: letters, digits and '_'." });

/** One field of the records, and the column(s) of an export that hold it (the field map). */
export const FieldSchema = meta(z.strictObject({
  column: meta(z.union([TextSchema, z.array(TextSchema).check(z.minLength(1, { message: "must name at least one column" }))]), {
      description:
        "The column header(s) of an export that hold this field, e.g. 户编号; a list gives alternatives for exports that spell it differently.",
    }),
  type: meta(z.enum(FIELD_TYPES), {
    description:
      "text; number (a plain decimal such as 8123.5); date (YYYY-MM-DD, also 2025/3/5, 20250305 and Excel dates); month (YYYYMM as the monitoring system exports it, also YYYY-MM and 2022年10月; read as YYYY-MM); boolean (是/否, true/false, 1/0).",
  }),
  of: meta(z.enum(SUBJECTS), {
    description:
      "The record this field belongs to: village (the same on every row of a village), household (the same on every row of a household) or person (one row each).",
  }),
  label: meta(z.optional(TextSchema), { description: "A Chinese label for messages; the first column name by default." }),
  required: meta(z.optional(z.boolean()), {
    description: "An empty cell is a data-quality finding (missing_value), and the rules that read the field are undecided for that record. Default false (an empty cell is null).",
  }),
  allowed: meta(z.optional(z.array(TextSchema).check(z.minLength(1))), {
      description:
        "For text fields: the code table, the only values allowed, e.g. [\"脱贫户\", \"一般农户\", \"监测户\"]; any other is a data-quality finding (not_allowed).",
    }),
  trim: meta(z.optional(z.boolean()), {
    description:
      "For text fields: false keeps the cell's text as exported, blanks included (a cell of spaces is then not empty, and an empty cell is \"\", never null). Default true: blanks around the text are removed and a blank cell is empty (null).",
  }),
}), { description: "A record field: its column(s) in the export, its type, and which record it belongs to." });

/** One field of the records: see {@link FieldSchema}. */
export interface Field {
  /**
   * The column header(s) of an export that hold this field, e.g. 户编号; a list (at least one)
   * gives alternatives for exports that spell it differently.
   */
  column: string | string[];
  /**
   * `text`; `number` (a plain decimal such as 8123.5); `date` (YYYY-MM-DD, also 2025/3/5, 20250305
   * and Excel dates); `month` (YYYYMM as the monitoring system exports it, also YYYY-MM and
   * 2022年10月; read as YYYY-MM); `boolean` (是/否, true/false, 1/0).
   */
  type: FieldType;
  /**
   * The record this field belongs to: `village` (the same on every row of a village), `household`
   * (the same on every row of a household) or `person` (one row each).
   */
  of: Subject;
  /** A Chinese label for messages; the first column name by default. */
  label?: string | undefined;
  /**
   * An empty cell is a data-quality finding (`missing_value`), and the rules that read the field
   * are undecided for that record. Default `false` (an empty cell is null).
   */
  required?: boolean | undefined;
  /**
   * For text fields: the code table, the only values allowed, e.g. `["脱贫户", "一般农户", "监测户"]`;
   * any other is a data-quality finding (`not_allowed`).
   */
  allowed?: string[] | undefined;
  /**
   * For text fields: `false` keeps the cell's text as exported, blanks included (a cell of spaces is
   * then not empty, and an empty cell is `""`, never null). Default `true`: blanks around the text
   * are removed and a blank cell is empty (null).
   */
  trim?: boolean | undefined;
}

/** A parameter's value: a finite number, a text or a boolean. */
const ParameterValueSchema = z.union([z.number().check(z.refine(Number.isFinite, { message: "must be a finite number", params: { code: "invalid_number" } })), z.string(), z.boolean()]);

/** A parameter of a rulebook: a value that rules read as `params.<name>` and that callers may override. */
export const ParameterSchema = meta(z.strictObject({
  title: meta(TextSchema, { description: "What it is, in Chinese, e.g. 防返贫监测收入标准（元/人·年）." }),
  value: meta(ParameterValueSchema, { description: "The default value, e.g. 7600; a caller may override it for its province and year." }),
  unit: meta(z.optional(TextSchema), { description: "The unit, e.g. 元." }),
}), { description: "A rulebook parameter, read by rules as params.<name>." });

/** A rulebook parameter: see {@link ParameterSchema}. */
export interface Parameter {
  /** What it is, in Chinese, e.g. 防返贫监测收入标准（元/人·年）. */
  title: string;
  /** The default value, e.g. 7600; a caller may override it for its province and year. */
  value: string | number | boolean;
  /** The unit, e.g. 元. */
  unit?: string | undefined;
}

/** A coded screening rule (筛查规则). */
export const ScreeningRuleSchema = meta(z.strictObject({
  code: meta(IdSchema, { description: "A unique code, e.g. SC01, quoted in every finding." }),
  title: meta(TextSchema, { description: "The rule's title in Chinese, e.g. 识别纳入不满6个月即消除风险." }),
  subject: meta(z.enum(SUBJECTS), { description: "The records it screens: village, household or person." }),
  severity: meta(z.enum(SEVERITIES), { description: "high (严重), medium (一般) or low (提示)." }),
  when: meta(z.unknown(), {
    description:
      "A JSON Logic rule over the record (its fields, members for a household, params.<name>); a truthy value is a finding.",
  }),
  message: meta(TextSchema, {
    description: "The finding's message; {field} and {params.name} are replaced by the record's values.",
  }),
  basis: meta(z.optional(TextSchema), { description: "Where the check comes from (政策依据), for readers of the findings." }),
}), { description: "A coded screening rule: when its JSON Logic condition holds for a record, that record is a finding." });

/** A coded screening rule: see {@link ScreeningRuleSchema}. */
export interface ScreeningRule {
  /** A unique code, e.g. SC01, quoted in every finding. */
  code: string;
  /** The rule's title in Chinese, e.g. 识别纳入不满6个月即消除风险. */
  title: string;
  /** The records it screens: village, household or person. */
  subject: Subject;
  /** `high` (严重), `medium` (一般) or `low` (提示). */
  severity: Severity;
  /**
   * A JSON Logic rule over the record (its fields, `members` for a household, `params.<name>`); a
   * truthy value is a finding.
   */
  when: unknown;
  /** The finding's message; `{field}` and `{params.name}` are replaced by the record's values. */
  message: string;
  /** Where the check comes from (政策依据), for readers of the findings. */
  basis?: string | undefined;
}

/**
 * The rulebook (筛查规则集): record fields with their field map, parameters and coded rules.
 * Use {@link prepareRulebook} to validate it fully (codes, variables, safe rules).
 *
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { RulebookSchema } from "kaohe";
 * const text = readFileSync("examples/screening/rulebook.json", "utf8");
 * RulebookSchema.safeParse(JSON.parse(text)).success;                     //=> true
 * RulebookSchema.safeParse({ ...JSON.parse(text), rules: [] }).success;  //=> false
 * ```
 */
export const RulebookSchema = meta(z.strictObject({
  id: IdSchema,
  title: meta(TextSchema, { description: "The rulebook's title in Chinese." }),
  version: meta(TextSchema, { description: "The rulebook's version, e.g. 2025.1." }),
  description: z.optional(TextSchema),
  parameters: meta(z._default(z.record(FieldNameSchema, ParameterSchema), {}), { description: "Parameters by name, read by rules as params.<name> (e.g. the monitoring income line)." }),
  fields: meta(z.record(FieldNameSchema, FieldSchema), { description: "The record fields by name, each with its column(s) in the export (the field map)." }),
  keys: meta(z.strictObject({
    village: z.optional(FieldNameSchema),
    household: z.optional(FieldNameSchema),
    person: z.optional(FieldNameSchema),
  }), {
      description:
        "The field that identifies each kind of record (e.g. household: householdId for 户编号). A file holds the narrowest kind whose key column it has.",
    }),
  unit: meta(z.strictObject({ county: FieldNameSchema, township: FieldNameSchema, village: FieldNameSchema }), { description: "The village fields that give a record's unit path 县/乡/村." }),
  rules: z.array(ScreeningRuleSchema).check(z.minLength(1, { message: "must hold at least one rule" })),
}), { description: "A screening rulebook (筛查规则集): fields and their columns, parameters, and coded rules." });

/** A validated rulebook: see {@link RulebookSchema}. */
export interface Rulebook {
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
  /** The record fields by name, each with its column(s) in the export (the field map). */
  fields: Record<string, Field>;
  /**
   * The field that identifies each kind of record (e.g. `household: "householdId"` for 户编号). A
   * file holds the narrowest kind whose key column it has.
   */
  keys: {
    /** The field that identifies a village. */
    village?: string | undefined;
    /** The field that identifies a household. */
    household?: string | undefined;
    /** The field that identifies a person. */
    person?: string | undefined;
  };
  /** The village fields that give a record's unit path 县/乡/村. */
  unit: {
    /** The field of the county (县). */
    county: string;
    /** The field of the township (乡镇). */
    township: string;
    /** The field of the village (村). */
    village: string;
  };
  /** The coded rules (at least one). */
  rules: ScreeningRule[];
}

/**
 * A rulebook as written (before defaults): `parameters` may be left out, and arrays may be
 * `readonly`. See {@link RulebookSchema}.
 */
export interface RulebookInput {
  /** The rulebook's id. */
  readonly id: string;
  /** The rulebook's title in Chinese. */
  readonly title: string;
  /** The rulebook's version, e.g. 2025.1. */
  readonly version: string;
  /** What it screens, in words. */
  readonly description?: string | undefined;
  /** Parameters by name, read by rules as `params.<name>` (e.g. the monitoring income line). Default none. */
  readonly parameters?: Readonly<Record<string, Parameter>> | undefined;
  /** The record fields by name, each with its column(s) in the export (the field map). */
  readonly fields: Readonly<Record<string, ReadonlyArrays<Field>>>;
  /** The field that identifies each kind of record: see {@link Rulebook.keys}. */
  readonly keys: Rulebook["keys"];
  /** The village fields that give a record's unit path 县/乡/村: see {@link Rulebook.unit}. */
  readonly unit: Rulebook["unit"];
  /** The coded rules (at least one). */
  readonly rules: readonly ScreeningRule[];
}

/** A parameter value: a finite number, a text or a boolean. */
export type ParameterValue = Parameter["value"];
