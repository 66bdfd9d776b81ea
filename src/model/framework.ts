import * as z from "zod/mini";
import { meta } from "../internal/zod";
import { IdSchema, NonNegativeNumberSchema, PointsSchema, SourceRefSchema, TextSchema, CalendarDateSchema } from "./primitives";
import type { CalendarDate, NumberInput, ReadonlyArrays, SourceRef } from "./primitives";

/** A department (部门) of the framework's registry, referred to by indicators through its id. */
export const DepartmentSchema = meta(z.strictObject({
  id: IdSchema,
  name: meta(TextSchema, { description: "The department's name as the document writes it, e.g. 省农业农村厅." }),
}), { description: "Department (部门): id and name; indicators refer to it by id." });

/** A department (部门): see {@link DepartmentSchema}. */
export interface Department {
  /** The department's id, by which indicators refer to it. */
  id: string;
  /** The department's name as the document writes it, e.g. 省农业农村厅. */
  name: string;
}

/** A fact that a rule-scored indicator reads from the assessment: its name, type and meaning. */
export const FactSchema = meta(z.strictObject({
  name: IdSchema,
  type: z.enum(["number", "boolean"]),
  description: TextSchema,
}), { description: "A fact a rule reads: name, type (number or boolean), meaning." });

/** A fact that a rule reads: see {@link FactSchema}. */
export interface Fact {
  /** The fact's name: the key under `facts` in the assessment, and the variable the rule reads. */
  name: string;
  /** Its type: a number (a JS number or a decimal string in the assessment) or a boolean. */
  type: "number" | "boolean";
  /** What the fact means. */
  description: string;
}

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
export type Scoring =
  | {
      /** Scored by the on-site assessment (实地考核): a score in [0, points]. */
      method: "manual";
    }
  | {
      /** Points minus the findings' points, held at 0 (扣完为止). */
      method: "findings";
    }
  | {
      /** Scored by a JSON Logic rule over the declared facts. */
      method: "rule";
      /** A JSON Logic rule over the declared facts. */
      rule: unknown;
      /** The facts the rule reads (at least one); the assessment must give each, of its type. */
      facts: Fact[];
      /** What the rule decides, in words. */
      description: string;
    }
  | {
      /** The indicator is the list of deduction clauses (扣分项), scored through them. */
      method: "deductions";
    };

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
export interface Indicator {
  /** The indicator's id, unique in the framework; assessments give its input under this id. */
  id: string;
  /** The document's number, "1" … "13". */
  code: string;
  /** The indicator's name (指标). */
  name: string;
  /** What is assessed (内容), word for word. */
  content: string;
  /** Whether the on-site assessment (实地考核) is a data source. */
  onSite: boolean;
  /** Ids of the departments whose figures it draws on (数据来源), in the document's order. */
  departments: string[];
  /** Its points (分值), when the document or {@link withPoints} gives them; a `deductions` indicator has none. */
  points?: NumberInput | undefined;
  /** How it is scored. */
  scoring: Scoring;
  /** Where the document states it. */
  source: SourceRef;
}

/** A category (类别) of indicators, numbered 一 … 五 in the document. */
export const CategorySchema = meta(z.strictObject({
  id: IdSchema,
  code: meta(TextSchema, { description: "The document's numeral, 一 … 五." }),
  name: meta(TextSchema, { description: "The category's name (类别)." }),
  indicators: z.array(IndicatorSchema).check(z.minLength(1, { message: "must hold at least one indicator" })),
}), { description: "Category (类别): code, name and its indicators." });

/** A category (类别): see {@link CategorySchema}. */
export interface Category {
  /** The category's id, unique in the framework. */
  id: string;
  /** The document's numeral, 一 … 五. */
  code: string;
  /** The category's name (类别). */
  name: string;
  /** Its indicators (at least one), in the document's order. */
  indicators: Indicator[];
}

/** A deduction clause (扣分项): its condition and the points deducted per item (每项扣 x 分). */
export const DeductionClauseSchema = meta(z.strictObject({
  id: IdSchema,
  text: meta(TextSchema, { description: "The clause's condition, word for word." }),
  points: PointsSchema,
  source: SourceRefSchema,
}), { description: "Deduction clause (扣分项): id, condition text, points per item." });

/** A deduction clause (扣分项): see {@link DeductionClauseSchema}. */
export interface DeductionClause {
  /** The clause's id, which deduction events name. */
  id: string;
  /** The clause's condition, word for word. */
  text: string;
  /** The points deducted per item (每项扣 x 分), greater than 0. */
  points: NumberInput;
  /** Where the document states it. */
  source: SourceRef;
}

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
export interface Policy {
  /** The policy's id. */
  id: string;
  /** Which policy: `same_matter_highest` (就高原则) or `severe_case` (问题严重的); one of each kind at most. */
  kind: "same_matter_highest" | "severe_case";
  /** The rule, word for word. */
  text: string;
  /** Where the document states it. */
  source: SourceRef;
}

/** A grade band (档次): the grade reached by totals at or above `min`. */
export const GradeBandSchema = meta(z.strictObject({
  grade: meta(TextSchema, { description: "The grade's name, e.g. 好." }),
  min: meta(NonNegativeNumberSchema, { description: "The minimum total for this grade." }),
}), { description: "Grade band: a grade and the minimum total that reaches it." });

/** A grade band: see {@link GradeBandSchema}. */
export interface GradeBand {
  /** The grade's name, e.g. 好. */
  grade: string;
  /** The minimum total for this grade (0 or more). */
  min: NumberInput;
}

/** The document a framework is transcribed from. */
export const SourceDocumentSchema = meta(z.strictObject({
  title: TextSchema,
  issuedOn: z.optional(CalendarDateSchema),
  note: z.optional(TextSchema),
}), { description: "The source document: title, date issued, note." });

/** The source document of a framework: see {@link SourceDocumentSchema}. */
export interface SourceDocument {
  /** The document's title. */
  title: string;
  /** The date it was issued, `YYYY-MM-DD`, when known. */
  issuedOn?: CalendarDate | undefined;
  /** A note on the transcription. */
  note?: string | undefined;
}

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
export interface FrameworkRef {
  /** The parent framework's id. */
  id: string;
  /** Its year (2000–2100), when known. */
  year?: number | undefined;
  /** Its title, when known. */
  title?: string | undefined;
}

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
export interface Framework {
  /** The framework's id. */
  id: string;
  /** Its title. */
  title: string;
  /** The year assessed (2000–2100). */
  year: number;
  /** The level of government that issues it. */
  level: "national" | "provincial" | "municipal" | "county";
  /** The region whose units it assesses, e.g. 江西省. */
  region: string;
  /** The document it is transcribed from. */
  document: SourceDocument;
  /** The framework this one derives from (a county's from its city's, a city's from its province's). */
  derivesFrom?: FrameworkRef | undefined;
  /** The departments that indicators name as data sources. */
  departments: Department[];
  /** Its categories (at least one), in the document's order. */
  categories: Category[];
  /** The deduction clauses (扣分项). */
  deductionClauses: DeductionClause[];
  /** The scoring policies quoted from the document. */
  policies: Policy[];
  /** Grade bands, highest first, with strictly descending minimums. */
  grades?: GradeBand[] | undefined;
  /** The declared total (合计), when the document gives one. */
  totalPoints?: NumberInput | undefined;
  /** Decimal places of output scores (0–10, rounded half up at the end). Default 2. */
  precision: number;
}

/**
 * A framework as written before parsing: `precision` may be left out, and arrays may be
 * `readonly`.
 */
export interface FrameworkInput extends ReadonlyArrays<Omit<Framework, "precision">> {
  /** Decimal places of output scores (0–10, rounded half up at the end). Default 2. */
  readonly precision?: number | undefined;
}

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
export interface KeyTask {
  /** The key task's id. */
  id: string;
  /** Its number in the document (1, 2, …). */
  number: number;
  /** Its title. */
  title: string;
  /** What it asks, word for word. */
  content: string;
  /** Ids of the indicators that assess it (at least one). */
  indicatorIds: string[];
  /** Where the document states it. */
  source: SourceRef;
}

/** The list of key tasks of a year. */
export const KeyTaskListSchema = z.array(KeyTaskSchema);
