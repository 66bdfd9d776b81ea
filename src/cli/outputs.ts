import { z } from "zod";
import { ScoreResultSchema } from "../scoring/result";

/** One problem of a file, as `--format json` reports it. */
const IssueOutputSchema = z.strictObject({
  code: z.string().meta({ description: "Stable snake_case code, e.g. unknown_indicator." }),
  path: z.array(z.union([z.string(), z.number()])).meta({ description: "Where in the file, from its root." }),
  message: z.string().meta({ description: "The message in the output's language (--lang)." }),
});

/**
 * What `kaohe score --format json` prints on standard output: the same shape for one input or
 * many, and for a failed run (then `ok` is false, `results` and `ranking` are empty and `errors`
 * lists every problem of every file).
 */
export const ScoreOutputSchema = z
  .strictObject({
    ok: z.boolean().meta({ description: "True when every file was scored; the exit code is 0 then, 1 otherwise." }),
    illustrative: z
      .array(z.strictObject({ file: z.string(), kind: z.enum(["points", "grades"]) }))
      .meta({ description: "The points and grades files that say they are illustrative (示例数据): the scores are not real ones." }),
    results: z.array(ScoreResultSchema).meta({ description: "One result per input, in the order given." }),
    ranking: z
      .array(
        z.strictObject({
          rank: z.number().int().min(1),
          unitId: z.string(),
          unitName: z.string(),
          total: z.string(),
          grade: z.string().nullable(),
        }),
      )
      .meta({ description: "The ranking, highest total first; equal totals share a rank (1, 2, 2, 4)." }),
    errors: z
      .array(
        z.strictObject({
          file: z.string().meta({ description: "The file concerned (or --points for the run's missing points)." }),
          message: z.string().optional().meta({ description: "A problem with the file as a whole (missing, not JSON, wrong encoding)." }),
          issues: z.array(IssueOutputSchema).optional().meta({ description: "Every problem found in its content." }),
        }),
      )
      .meta({ description: "Every problem of every file; empty when ok." }),
  })
  .meta({ description: "Output of kaohe score --format json." });
