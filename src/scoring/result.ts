import * as z from "zod/mini";
import { meta } from "../internal/zod";
import { SourceRefSchema, TextSchema } from "../model/primitives";
import { UnitSchema, IndicatorInputSchema, DiscretionarySchema } from "./assessment";

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
export type TraceEntry = z.infer<typeof TraceEntrySchema>;

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
export type IndicatorResult = z.infer<typeof IndicatorResultSchema>;

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
export type CategoryResult = z.infer<typeof CategoryResultSchema>;

/** A deduction clause as cited in a result. */
export const ClauseRefSchema = z.strictObject({
  id: z.string(),
  text: z.string(),
  points: Decimal,
  source: SourceRefSchema,
});

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
export type MatterResult = z.infer<typeof MatterResultSchema>;

/** The grade: the band the total reaches, and the band after a downgrade. */
export const GradeResultSchema = z.strictObject({
  base: z.string(),
  final: z.string(),
  downgraded: z.boolean(),
  /** True when a downgrade was due but the base band was already the lowest. */
  alreadyLowest: z.boolean(),
});

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
export type ScoreResult = z.infer<typeof ScoreResultSchema>;
