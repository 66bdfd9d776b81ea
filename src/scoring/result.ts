import * as z from "zod/mini";
import { meta } from "../internal/zod";
import { SourceRefSchema, TextSchema } from "../model/primitives";
import { UnitSchema, IndicatorInputSchema, DiscretionarySchema } from "./assessment";
import type { Discretionary, IndicatorInput, Unit } from "./assessment";
import type { SourceRef } from "../model/primitives";

const Decimal = meta(z.string().check(z.regex(/^-?\d+(\.\d+)?$/)), { description: "An exact decimal, as a plain decimal string." });

/** One step of a score's explanation, with the source reference it rests on. */
export const TraceEntrySchema = meta(z.strictObject({
  kind: z.enum([
    "score",
    "finding",
    "exhausted",
    "rule",
    "held",
    "missing_as_zero",
    "deduction",
    "superseded",
    "severe_case",
    "discretionary",
    "total_held_at_zero",
    "grade",
    "downgrade",
  ]),
  message: meta(TextSchema, { description: "What happened, in Chinese." }),
  source: z.optional(SourceRefSchema),
}), { description: "Trace entry: what was done and the source reference it rests on." });

/** One step of a score's explanation: see {@link TraceEntrySchema}. */
export interface TraceEntry {
  /** What was done: a score taken, a finding or deduction applied, a hold, the grade, … */
  kind:
    | "score"
    | "finding"
    | "exhausted"
    | "rule"
    | "held"
    | "missing_as_zero"
    | "deduction"
    | "superseded"
    | "severe_case"
    | "discretionary"
    | "total_held_at_zero"
    | "grade"
    | "downgrade";
  /** What happened, in Chinese. */
  message: string;
  /** The source reference it rests on, when there is one. */
  source?: SourceRef | undefined;
}

/** A score: rounded to the framework's precision, and exact. */
const scoreFields = {
  score: meta(Decimal, { description: "Rounded half up to the framework's precision." }),
  exactScore: meta(Decimal, { description: "The exact, unrounded value." }),
};

/** An indicator's result. */
export const IndicatorResultSchema = z.strictObject({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  method: z.enum(["manual", "findings", "rule"]),
  points: Decimal,
  ...scoreFields,
  input: meta(z.nullable(IndicatorInputSchema), { description: "The input used (findings and facts in canonical order); null when scored as missing." }),
  trace: z.array(TraceEntrySchema),
});

/** An indicator's result: see {@link IndicatorResultSchema}. */
export interface IndicatorResult {
  /** The indicator's id. */
  id: string;
  /** The document's number. */
  code: string;
  /** The indicator's name. */
  name: string;
  /** How it was scored. */
  method: "manual" | "findings" | "rule";
  /** Its points, as an exact decimal string. */
  points: string;
  /** Its score, rounded half up to the framework's precision. */
  score: string;
  /** Its score, exact and unrounded. */
  exactScore: string;
  /** The input used (findings and facts in canonical order); null when scored as missing. */
  input: IndicatorInput | null;
  /** The steps of its score. */
  trace: TraceEntry[];
}

/** A category's result: its scored indicators and their sum. */
export const CategoryResultSchema = z.strictObject({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  points: Decimal,
  ...scoreFields,
  indicators: z.array(IndicatorResultSchema),
});

/** A category's result: see {@link CategoryResultSchema}. */
export interface CategoryResult {
  /** The category's id. */
  id: string;
  /** The document's numeral. */
  code: string;
  /** The category's name. */
  name: string;
  /** The sum of its scored indicators' points. */
  points: string;
  /** The sum of its indicators' scores, rounded half up to the framework's precision. */
  score: string;
  /** The sum of its indicators' scores, exact. */
  exactScore: string;
  /** Its scored indicators. */
  indicators: IndicatorResult[];
}

/** A deduction clause as cited in a result. */
export const ClauseRefSchema = z.strictObject({
  id: z.string(),
  text: z.string(),
  points: Decimal,
  source: SourceRefSchema,
});

/** A deduction clause as cited in a result: see {@link ClauseRefSchema}. */
export interface ClauseRef {
  /** The clause's id. */
  id: string;
  /** The clause's condition, word for word. */
  text: string;
  /** The points it deducts, as an exact decimal string. */
  points: string;
  /** Where the document states it. */
  source: SourceRef;
}

/** One matter's deduction: the clause applied and those it superseded (就高原则). */
export const MatterResultSchema = z.strictObject({
  matter: z.string(),
  clause: ClauseRefSchema,
  points: Decimal,
  superseded: z.array(ClauseRefSchema),
  notes: z.array(z.string()),
  serious: z.boolean(),
});

/** One matter's deduction: see {@link MatterResultSchema}. */
export interface MatterResult {
  /** The matter (事项). */
  matter: string;
  /** The clause applied: the highest the matter meets. */
  clause: ClauseRef;
  /** The points deducted for the matter. */
  points: string;
  /** The lower clauses the matter also met, superseded by {@link MatterResult.clause}. */
  superseded: ClauseRef[];
  /** The notes of its deduction events. */
  notes: string[];
  /** Whether the severe-case record names the matter as serious. */
  serious: boolean;
}

/** The grade: the band the total reaches, and the band after a downgrade. */
export const GradeResultSchema = z.strictObject({
  base: z.string(),
  final: z.string(),
  downgraded: z.boolean(),
  /** True when a downgrade was due but the base band was already the lowest. */
  alreadyLowest: z.boolean(),
});

/** The grade of a result: see {@link GradeResultSchema}. */
export interface GradeResult {
  /** The band the total reaches. */
  base: string;
  /** The band after a downgrade; `base` when there is none. */
  final: string;
  /** Whether the grade was moved one band down. */
  downgraded: boolean;
  /** True when a downgrade was due but the base band was already the lowest. */
  alreadyLowest: boolean;
}

/** The result of scoring one assessment (考核结果). */
export const ScoreResultSchema = meta(z.strictObject({
  framework: z.strictObject({ id: z.string(), title: z.string(), precision: z.int() }),
  unit: UnitSchema,
  period: z.optional(z.string()),
  total: meta(Decimal, { description: "The total, rounded half up to the framework's precision." }),
  exactTotal: meta(Decimal, { description: "The total before rounding." }),
  indicatorsTotal: meta(Decimal, { description: "Σ indicator scores, exact." }),
  categories: z.array(CategoryResultSchema),
  deductions: z.strictObject({ total: Decimal, matters: z.array(MatterResultSchema) }),
  severe: z.nullable(z.strictObject({
    reason: z.string(),
    scaleReturnToPoverty: z.boolean(),
    seriousMatters: z.array(z.string()),
    source: z.optional(SourceRefSchema),
  })),
  discretionary: z.strictObject({ total: Decimal, items: z.array(DiscretionarySchema) }),
  grade: meta(z.nullable(GradeResultSchema), { description: "Null when no grade bands are defined, or when the total reaches no band's minimum." }),
  flags: z.strictObject({ downgrade: z.boolean(), interview: z.boolean() }),
  trace: meta(z.array(TraceEntrySchema), { description: "Steps of the total: deductions, severe case, hold at 0, grade." }),
  digests: z.strictObject({
    algorithm: z.literal("sha256"),
    framework: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
    assessment: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  }),
}), { description: "Result of scoring one assessment (考核结果)." });

/** The result of scoring one assessment (考核结果): see {@link ScoreResultSchema}. */
export interface ScoreResult {
  /** The framework scored against. */
  framework: {
    /** Its id. */
    id: string;
    /** Its title. */
    title: string;
    /** The decimal places of the scores. */
    precision: number;
  };
  /** The unit assessed. */
  unit: Unit;
  /** The period assessed, when the assessment gives one. */
  period?: string | undefined;
  /** The total, rounded half up to the framework's precision. */
  total: string;
  /** The total before rounding. */
  exactTotal: string;
  /** Σ indicator scores, exact. */
  indicatorsTotal: string;
  /** The categories' results, in the framework's order. */
  categories: CategoryResult[];
  /** The deductions, one per matter. */
  deductions: {
    /** The points deducted in all. */
    total: string;
    /** Each matter's deduction. */
    matters: MatterResult[];
  };
  /** The severe case, or null when there is none. */
  severe: {
    /** Why the case is severe. */
    reason: string;
    /** Whether large-scale return to poverty (规模性返贫) occurred. */
    scaleReturnToPoverty: boolean;
    /** Matters of the deductions judged serious. */
    seriousMatters: string[];
    /** Where the framework's severe-case policy is stated, when it has one. */
    source?: SourceRef | undefined;
  } | null;
  /** The discretionary deductions (另行酌情扣分). */
  discretionary: {
    /** The points deducted in all. */
    total: string;
    /** Each discretionary deduction. */
    items: Discretionary[];
  };
  /** Null when no grade bands are defined, or when the total reaches no band's minimum. */
  grade: GradeResult | null;
  /** The consequences of a severe case. */
  flags: {
    /** Whether the grade is moved one band down (降档). */
    downgrade: boolean;
    /** Whether the unit is to be interviewed (约谈提醒). */
    interview: boolean;
  };
  /** Steps of the total: deductions, severe case, hold at 0, grade. */
  trace: TraceEntry[];
  /** SHA-256 digests of the canonical JSON of the inputs. */
  digests: {
    /** The digest algorithm. */
    algorithm: "sha256";
    /** The framework's digest, 64 hex digits. */
    framework: string;
    /** The assessment's digest, 64 hex digits. */
    assessment: string;
  };
}
