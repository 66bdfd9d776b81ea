import * as z from "zod";
import { GradeBandSchema } from "../model/framework";
import { NumberInputSchema, TextSchema } from "../model/primitives";

/**
 * A points file (分值表), as `kaohe score --points` reads it: points per indicator id, an optional
 * declared total, and optional method switches (`manual` ↔ `findings`). Since the source document
 * gives no points, such a file may say that it is illustrative (`illustrative: true`); only
 * `points` is required.
 */
export const PointsFileSchema = z
  .strictObject({
    $schema: z.string().optional(),
    $comment: z.string().optional(),
    illustrative: z.boolean().optional().meta({ description: "True when the points are made up for an example, not set by an authority: the CLI then marks its output 示例数据." }),
    note: TextSchema.optional(),
    framework: TextSchema.optional().meta({ description: "The id of the framework the points are for." }),
    total: NumberInputSchema.optional().meta({ description: "A declared total (合计) the points must add up to." }),
    points: z.record(z.string(), NumberInputSchema).meta({ description: "Points by indicator id." }),
    methods: z
      .record(z.string(), z.enum(["manual", "findings"]))
      .optional()
      .meta({ description: "Scoring methods switched by indicator id." }),
  })
  .meta({ description: "Points file: points per indicator id, optional total and method switches." });

/** A points file: see {@link PointsFileSchema}. */
export type PointsFile = z.infer<typeof PointsFileSchema>;

/** A grade-bands file (档次), as `kaohe score --grades` reads it. */
export const GradesFileSchema = z
  .strictObject({
    $schema: z.string().optional(),
    $comment: z.string().optional(),
    illustrative: z.boolean().optional().meta({ description: "True when the bands are made up for an example: the CLI then marks its output 示例数据." }),
    note: TextSchema.optional(),
    grades: z.array(GradeBandSchema).min(1),
  })
  .meta({ description: "Grade bands file: bands highest first with strictly descending minimums." });

/** A grade-bands file: see {@link GradesFileSchema}. */
export type GradesFile = z.infer<typeof GradesFileSchema>;
