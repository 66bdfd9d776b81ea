import * as z from "zod/mini";
import { meta } from "../internal/zod";
import { GradeBandSchema, type GradeBand } from "../model/framework";
import { IdSchema, NumberInputSchema, PointsSchema, TextSchema } from "../model/primitives";
import type { NumberInput } from "../model/primitives";

/** The unit assessed (被考核单位), e.g. a 设区市. */
export const UnitSchema = meta(z.strictObject({
  id: IdSchema,
  name: meta(TextSchema, { description: "The unit's name, e.g. 南昌市." }),
  level: meta(z.optional(TextSchema), { description: "The unit's level, e.g. 设区市." }),
}), { description: "The unit assessed (被考核单位)." });

/** The unit assessed (被考核单位): see {@link UnitSchema}. */
export interface Unit {
  /** The unit's id. */
  id: string;
  /** The unit's name, e.g. 南昌市. */
  name: string;
  /** The unit's level, e.g. 设区市. */
  level?: string | undefined;
}

/** A finding (问题) that deducts from a `findings` indicator. */
export const FindingSchema = meta(z.strictObject({
  id: z.optional(TextSchema),
  points: PointsSchema,
  note: z.optional(TextSchema),
}), { description: "A finding: the points it deducts from its indicator, with an optional id and note." });

/** A finding (问题): see {@link FindingSchema}. */
export interface Finding {
  /** The finding's id or number, when the assessors give one. */
  id?: string | undefined;
  /** The points it deducts from its indicator, greater than 0. */
  points: NumberInput;
  /** A note on the finding. */
  note?: string | undefined;
}

/** A fact value given to a rule: a boolean, a finite number or a plain decimal string. */
export const FactValueSchema = z.union([z.boolean(), NumberInputSchema]);

/** The input for one indicator: a score (`manual`), findings (`findings`) or facts (`rule`). */
export const IndicatorInputSchema = meta(z.union([
  z.strictObject({ score: NumberInputSchema }),
  z.strictObject({ findings: z.array(FindingSchema) }),
  z.strictObject({ facts: z.record(z.string(), FactValueSchema) }),
]), { description: "One of { score } (manual), { findings } (findings) or { facts } (rule)." });

/** The input for one indicator: see {@link IndicatorInputSchema}. */
export type IndicatorInput =
  | {
      /** The score of a `manual` indicator, in [0, points]. */
      score: NumberInput;
    }
  | {
      /** The findings of a `findings` indicator, each deducting its points (扣完为止). */
      findings: Finding[];
    }
  | {
      /** The facts of a `rule` indicator, by name: booleans, numbers or decimal strings. */
      facts: Record<string, boolean | NumberInput>;
    };

/** A deduction event (负面事项): the matter (事项) that happened and one clause it meets. */
export const DeductionEventSchema = meta(z.strictObject({
  matter: meta(TextSchema, { description: "The one thing that happened; events of one matter deduct once, at the highest clause." }),
  clause: meta(IdSchema, { description: "The id of the deduction clause the matter meets." }),
  note: z.optional(TextSchema),
}), { description: "Deduction event: a matter and a clause it meets." });

/** A deduction event: see {@link DeductionEventSchema}. */
export interface DeductionEvent {
  /** The one thing that happened; events of one matter deduct once, at the highest clause. */
  matter: string;
  /** The id of the deduction clause the matter meets. */
  clause: string;
  /** A note on the event. */
  note?: string | undefined;
}

/** Points deducted at the assessors' discretion in a severe case (另行酌情扣分), with the reason. */
export const DiscretionarySchema = z.strictObject({ points: PointsSchema, reason: TextSchema });

/** Points deducted at the assessors' discretion (另行酌情扣分): see {@link DiscretionarySchema}. */
export interface Discretionary {
  /** The points deducted, greater than 0. */
  points: NumberInput;
  /** Why they are deducted. */
  reason: string;
}

/** The severe-case record (问题严重的): large-scale return to poverty, or matters marked serious. */
export const SevereCaseSchema = meta(z.strictObject({
  reason: meta(TextSchema, { description: "Why the case is severe." }),
  scaleReturnToPoverty: meta(z.optional(z.boolean()), { description: "Whether large-scale return to poverty (规模性返贫) occurred." }),
  seriousMatters: meta(z.optional(z.array(TextSchema)), { description: "Matters of the deductions judged serious." }),
  discretionary: meta(z.optional(z.array(DiscretionarySchema)), { description: "Discretionary extra deductions (另行酌情扣分)." }),
}), { description: "Severe case: downgrade and interview; optional discretionary deductions." });

/** The severe-case record: see {@link SevereCaseSchema}. */
export interface SevereCase {
  /** Why the case is severe. */
  reason: string;
  /** Whether large-scale return to poverty (规模性返贫) occurred. */
  scaleReturnToPoverty?: boolean | undefined;
  /** Matters of the deductions judged serious. */
  seriousMatters?: string[] | undefined;
  /** Discretionary extra deductions (另行酌情扣分). */
  discretionary?: Discretionary[] | undefined;
}

/** An assessment (考核输入): the unit, the period, per-indicator inputs, deductions, severe case. */
export const AssessmentSchema = meta(z.strictObject({
  $comment: meta(z.optional(z.string()), { description: "A free note, e.g. that the data are synthetic." }),
  unit: UnitSchema,
  period: meta(z.optional(TextSchema), { description: "The period assessed, e.g. 2025." }),
  indicators: meta(z.record(z.string(), IndicatorInputSchema), { description: "Inputs by indicator id." }),
  deductions: z.optional(z.array(DeductionEventSchema)),
  severe: z.optional(SevereCaseSchema),
}), { description: "Assessment input (考核输入) for one unit." });

/** An assessment (考核输入): see {@link AssessmentSchema}. */
export interface Assessment {
  /** A free note, e.g. that the data are synthetic. */
  $comment?: string | undefined;
  /** The unit assessed. */
  unit: Unit;
  /** The period assessed, e.g. 2025. */
  period?: string | undefined;
  /** Inputs by indicator id. */
  indicators: Record<string, IndicatorInput>;
  /** The deduction events (负面事项). */
  deductions?: DeductionEvent[] | undefined;
  /** The severe-case record, when the case is severe. */
  severe?: SevereCase | undefined;
}

/** Options of `scoreAssessment`. */
export interface ScoreOptions {
  /** Grade bands (highest first, strictly descending minimums); they replace the framework's. */
  readonly grades?: readonly GradeBand[];
  /**
   * Score a scored indicator that has no input as 0 instead of reporting it; the trace says so.
   * Default `false`.
   */
  readonly missingAsZero?: boolean;
  /** Let the total fall below 0 instead of holding it at 0. Default `false`. */
  readonly allowNegativeTotal?: boolean;
  /**
   * The language of the issues' messages when scoring fails: `"zh"` puts each issue's Chinese text
   * into `message`, `"en"` (the default) keeps the English. Codes and paths never change.
   */
  readonly lang?: "zh" | "en";
}

/** The zod schema of {@link ScoreOptions}, for validating options that arrive as data. */
export const ScoreOptionsSchema = meta(z.strictObject({
  grades: z.optional(z.array(GradeBandSchema).check(z.minLength(1))),
  missingAsZero: z.optional(z.boolean()),
  allowNegativeTotal: z.optional(z.boolean()),
  lang: z.optional(z.enum(["zh", "en"])),
}), { description: "Options of scoreAssessment." });
