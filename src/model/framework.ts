import * as z from "zod/mini";
import { meta } from "../internal/zod";
import { IdSchema, NonNegativeNumberSchema, PointsSchema, SourceRefSchema, TextSchema, CalendarDateSchema } from "./primitives";

/** A department (部门) of the framework's registry, referred to by indicators through its id. */
export const DepartmentSchema = meta(z.strictObject({
  id: IdSchema,
  name: meta(TextSchema, { description: "The department's name as the document writes it, e.g. 省农业农村厅." }),
}), { description: "Department (部门): id and name; indicators refer to it by id." });

/** A department (部门): see {@link DepartmentSchema}. */
export type Department = z.infer<typeof DepartmentSchema>;

/** A fact that a rule-scored indicator reads from the assessment: its name, type and meaning. */
export const FactSchema = meta(z.strictObject({
  name: IdSchema,
  type: z.enum(["number", "boolean"]),
  description: TextSchema,
}), { description: "A fact a rule reads: name, type (number or boolean), meaning." });

/** A fact that a rule reads: see {@link FactSchema}. */
export type Fact = z.infer<typeof FactSchema>;

/**
 * How an indicator is scored.
 * - `manual`: the on-site assessment (实地考核) gives a score in [0, points].
 * - `findings`: points minus the findings' points, held at 0 (扣完为止).
 * - `rule`: a JSON Logic rule over the facts the indicator declares.
 * - `deductions`: the indicator is the list of deduction clauses (扣分项); it has no points of its
 *   own and is scored through the framework's deduction clauses.
 */
export const ScoringSchema = meta(z.discriminatedUnion("method", [
  z.strictObject({ method: z.literal("manual") }),
  z.strictObject({ method: z.literal("findings") }),
  z.strictObject({
    method: z.literal("rule"),
    rule: meta(z.unknown(), { description: "A JSON Logic rule over the declared facts." }),
    facts: meta(z.array(FactSchema).check(z.minLength(1, { message: "must declare at least one fact" })), { description: "The facts the rule reads; the assessment must give each, of its type." }),
    description: meta(TextSchema, { description: "What the rule decides, in words." }),
  }),
  z.strictObject({ method: z.literal("deductions") }),
]), { description: "How an indicator is scored: manual, findings, rule, or deductions." });

/** How an indicator is scored: see {@link ScoringSchema}. */
export type Scoring = z.infer<typeof ScoringSchema>;

/** The methods of {@link Scoring}. */
export type ScoringMethod = Scoring["method"];

/** An indicator (指标) of a category. */
export const IndicatorSchema = meta(z.strictObject({
  id: IdSchema,
  code: meta(TextSchema, { description: 'The document\'s number, "1" … "13".' }),
  name: meta(TextSchema, { description: "The indicator's name (指标)." }),
  content: meta(TextSchema, { description: "What is assessed (内容), word for word." }),
  onSite: meta(z.boolean(), { description: "Whether the on-site assessment (实地考核) is a data source." }),
  departments: meta(z.array(IdSchema), { description: "Ids of the departments whose figures it draws on (数据来源), in the document's order." }),
  points: z.optional(PointsSchema),
  scoring: ScoringSchema,
  source: SourceRefSchema,
}), { description: "Indicator (指标): code, name, content, data sources, optional points, scoring method." });

/** An indicator (指标): see {@link IndicatorSchema}. */
export type Indicator = z.infer<typeof IndicatorSchema>;

/** A category (类别) of indicators, numbered 一 … 五 in the document. */
export const CategorySchema = meta(z.strictObject({
  id: IdSchema,
  code: meta(TextSchema, { description: "The document's numeral, 一 … 五." }),
  name: meta(TextSchema, { description: "The category's name (类别)." }),
  indicators: z.array(IndicatorSchema).check(z.minLength(1, { message: "must hold at least one indicator" })),
}), { description: "Category (类别): code, name and its indicators." });

/** A category (类别): see {@link CategorySchema}. */
export type Category = z.infer<typeof CategorySchema>;

/** A deduction clause (扣分项): its condition and the points deducted per item (每项扣 x 分). */
export const DeductionClauseSchema = meta(z.strictObject({
  id: IdSchema,
  text: meta(TextSchema, { description: "The clause's condition, word for word." }),
  points: PointsSchema,
  source: SourceRefSchema,
}), { description: "Deduction clause (扣分项): id, condition text, points per item." });

/** A deduction clause (扣分项): see {@link DeductionClauseSchema}. */
export type DeductionClause = z.infer<typeof DeductionClauseSchema>;

/**
 * A policy that governs scoring, quoted from the document.
 * - `same_matter_highest`: one matter meeting several clauses is deducted once, at the highest.
 * - `severe_case`: serious cases get discretionary extra deductions, a downgrade and an interview.
 */
export const PolicySchema = meta(z.strictObject({
  id: IdSchema,
  kind: z.enum(["same_matter_highest", "severe_case"]),
  text: meta(TextSchema, { description: "The rule, word for word." }),
  source: SourceRefSchema,
}), { description: "A scoring policy quoted from the document." });

/** A scoring policy: see {@link PolicySchema}. */
export type Policy = z.infer<typeof PolicySchema>;

/** A grade band (档次): the grade reached by totals at or above `min`. */
export const GradeBandSchema = meta(z.strictObject({
  grade: meta(TextSchema, { description: "The grade's name, e.g. 好." }),
  min: meta(NonNegativeNumberSchema, { description: "The minimum total for this grade." }),
}), { description: "Grade band: a grade and the minimum total that reaches it." });

/** A grade band: see {@link GradeBandSchema}. */
export type GradeBand = z.infer<typeof GradeBandSchema>;

/** The document a framework is transcribed from. */
export const SourceDocumentSchema = meta(z.strictObject({
  title: TextSchema,
  issuedOn: z.optional(CalendarDateSchema),
  note: z.optional(TextSchema),
}), { description: "The source document: title, date issued, note." });

/** The source document of a framework: see {@link SourceDocumentSchema}. */
export type SourceDocument = z.infer<typeof SourceDocumentSchema>;

/**
 * The framework another derives from (a county's from its city's, a city's from its province's):
 * its id, and its year and title when known.
 */
export const FrameworkRefSchema = meta(z.strictObject({
  id: IdSchema,
  year: z.optional(z.int().check(z.gte(2000)).check(z.lte(2100))),
  title: z.optional(TextSchema),
}), { description: "The framework this one derives from: id, optional year and title." });

/** The framework another derives from: see {@link FrameworkRefSchema}. */
export type FrameworkRef = z.infer<typeof FrameworkRefSchema>;

/** An assessment indicator system (考核指标体系). */
export const FrameworkSchema = meta(z.strictObject({
  id: IdSchema,
  title: TextSchema,
  year: z.int().check(z.gte(2000)).check(z.lte(2100)),
  level: z.enum(["national", "provincial", "municipal", "county"]),
  region: meta(TextSchema, { description: "The region whose units it assesses, e.g. 江西省." }),
  document: SourceDocumentSchema,
  derivesFrom: meta(z.optional(FrameworkRefSchema), {
    description: "The framework this one derives from (a county's from its city's, a city's from its province's).",
  }),
  departments: z.array(DepartmentSchema),
  categories: z.array(CategorySchema).check(z.minLength(1, { message: "must hold at least one category" })),
  deductionClauses: z.array(DeductionClauseSchema),
  policies: z.array(PolicySchema),
  grades: meta(z.optional(z.array(GradeBandSchema).check(z.minLength(1, { message: "must hold at least one band when given" }))), { description: "Grade bands, highest first, with strictly descending minimums." }),
  totalPoints: meta(z.optional(PointsSchema), { description: "The declared total (合计), when the document gives one." }),
  precision: meta(z._default(z.int().check(z.gte(0)).check(z.lte(10)), 2), { description: "Decimal places of output scores (rounded half up at the end). Default 2." }),
}), { description: "Assessment indicator system (考核指标体系)." });

/** An assessment indicator system (考核指标体系), as parsed (defaults applied). */
export type Framework = z.infer<typeof FrameworkSchema>;

/** A framework as written before parsing (`precision` may be left out). */
export type FrameworkInput = z.input<typeof FrameworkSchema>;

/** A key task (重点任务) of the year, linked to the indicators that assess it. */
export const KeyTaskSchema = meta(z.strictObject({
  id: IdSchema,
  number: z.int().check(z.positive()),
  title: TextSchema,
  content: TextSchema,
  indicatorIds: z.array(IdSchema).check(z.minLength(1, { message: "must link at least one indicator" })),
  source: SourceRefSchema,
}), { description: "Key task (重点任务), linked to the indicator ids that assess it." });

/** A key task (重点任务): see {@link KeyTaskSchema}. */
export type KeyTask = z.infer<typeof KeyTaskSchema>;

/** The list of key tasks of a year. */
export const KeyTaskListSchema = z.array(KeyTaskSchema);
