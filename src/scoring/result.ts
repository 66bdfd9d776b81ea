import * as z from "zod";
import { SourceRefSchema, TextSchema } from "../model/primitives";
import { UnitSchema, IndicatorInputSchema, DiscretionarySchema } from "./assessment";

const Decimal = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/)
  .meta({ description: "An exact decimal, as a plain decimal string." });

/** One step of a score's explanation, with the source reference it rests on. */
export const TraceEntrySchema = z
  .strictObject({
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
    message: TextSchema.meta({ description: "What happened, in Chinese." }),
    source: SourceRefSchema.optional(),
  })
  .meta({ description: "Trace entry: what was done and the source reference it rests on." });

/** One step of a score's explanation: see {@link TraceEntrySchema}. */
export type TraceEntry = z.infer<typeof TraceEntrySchema>;

/** A score: rounded to the framework's precision, and exact. */
const scoreFields = {
  score: Decimal.meta({ description: "Rounded half up to the framework's precision." }),
  exactScore: Decimal.meta({ description: "The exact, unrounded value." }),
};

/** An indicator's result. */
export const IndicatorResultSchema = z.strictObject({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  method: z.enum(["manual", "findings", "rule"]),
  points: Decimal,
  ...scoreFields,
  input: IndicatorInputSchema.nullable().meta({ description: "The input used (findings and facts in canonical order); null when scored as missing." }),
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
export const ScoreResultSchema = z
  .strictObject({
    framework: z.strictObject({ id: z.string(), title: z.string(), precision: z.int() }),
    unit: UnitSchema,
    period: z.string().optional(),
    total: Decimal.meta({ description: "The total, rounded half up to the framework's precision." }),
    exactTotal: Decimal.meta({ description: "The total before rounding." }),
    indicatorsTotal: Decimal.meta({ description: "Σ indicator scores, exact." }),
    categories: z.array(CategoryResultSchema),
    deductions: z.strictObject({ total: Decimal, matters: z.array(MatterResultSchema) }),
    severe: z
      .strictObject({
        reason: z.string(),
        scaleReturnToPoverty: z.boolean(),
        seriousMatters: z.array(z.string()),
        source: SourceRefSchema.optional(),
      })
      .nullable(),
    discretionary: z.strictObject({ total: Decimal, items: z.array(DiscretionarySchema) }),
    grade: GradeResultSchema.nullable().meta({ description: "Null when no grade bands are defined, or when the total reaches no band's minimum." }),
    flags: z.strictObject({ downgrade: z.boolean(), interview: z.boolean() }),
    trace: z.array(TraceEntrySchema).meta({ description: "Steps of the total: deductions, severe case, hold at 0, grade." }),
    digests: z.strictObject({
      algorithm: z.literal("sha256"),
      framework: z.string().regex(/^[0-9a-f]{64}$/),
      assessment: z.string().regex(/^[0-9a-f]{64}$/),
    }),
  })
  .meta({ description: "Result of scoring one assessment (考核结果)." });

/** The result of scoring one assessment (考核结果): see {@link ScoreResultSchema}. */
export type ScoreResult = z.infer<typeof ScoreResultSchema>;
