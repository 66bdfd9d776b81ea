import * as z from "zod/mini";
import { meta } from "../internal/zod";
import { GradeBandSchema } from "../model/framework";
import { NumberInputSchema, TextSchema } from "../model/primitives";

/**
 * A points file (分值表), as `kaohe score --points` reads it: points per indicator id, an optional
 * declared total, and optional method switches (`manual` ↔ `findings`). Since the source document
 * gives no points, such a file may say that it is illustrative (`illustrative: true`); only
 * `points` is required.
 */
export const PointsFileSchema = meta(z.strictObject({
  $schema: z.optional(z.string()),
  $comment: z.optional(z.string()),
  illustrative: meta(z.optional(z.boolean()), { description: "True when the points are made up for an example, not set by an authority: the CLI then marks its output 示例数据." }),
  note: z.optional(TextSchema),
  framework: meta(z.optional(TextSchema), { description: "The id of the framework the points are for." }),
  total: meta(z.optional(NumberInputSchema), { description: "A declared total (合计) the points must add up to." }),
  points: meta(z.record(z.string(), NumberInputSchema), { description: "Points by indicator id." }),
  methods: meta(z.optional(z.record(z.string(), z.enum(["manual", "findings"]))), { description: "Scoring methods switched by indicator id." }),
}), { description: "Points file: points per indicator id, optional total and method switches." });

/** A points file: see {@link PointsFileSchema}. */
export type PointsFile = z.infer<typeof PointsFileSchema>;

/** A grade-bands file (档次), as `kaohe score --grades` reads it. */
export const GradesFileSchema = meta(z.strictObject({
  $schema: z.optional(z.string()),
  $comment: z.optional(z.string()),
  illustrative: meta(z.optional(z.boolean()), { description: "True when the bands are made up for an example: the CLI then marks its output 示例数据." }),
  note: z.optional(TextSchema),
  grades: z.array(GradeBandSchema).check(z.minLength(1)),
}), { description: "Grade bands file: bands highest first with strictly descending minimums." });

/** A grade-bands file: see {@link GradesFileSchema}. */
export type GradesFile = z.infer<typeof GradesFileSchema>;
