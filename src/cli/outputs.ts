import * as z from "zod/mini";
import { meta } from "../internal/zod";
import { ScoreResultSchema } from "../scoring/result";

/** One problem of a file, as `--format json` reports it. */
const IssueOutputSchema = z.strictObject({
  code: meta(z.string(), { description: "Stable snake_case code, e.g. unknown_indicator." }),
  path: meta(z.array(z.union([z.string(), z.number()])), { description: "Where in the file, from its root." }),
  message: meta(z.string(), { description: "The message in the output's language (--lang)." }),
});

/**
 * What `kaohe score --format json` prints on standard output: the same shape for one input or
 * many, and for a failed run (then `ok` is false, `results` and `ranking` are empty and `errors`
 * lists every problem of every file).
 */
export const ScoreOutputSchema = meta(z.strictObject({
  ok: meta(z.boolean(), { description: "True when every file was scored; the exit code is 0 then, 1 otherwise." }),
  illustrative: meta(z.array(z.strictObject({ file: z.string(), kind: z.enum(["points", "grades"]) })), { description: "The points and grades files that say they are illustrative (示例数据): the scores are not real ones." }),
  results: meta(z.array(ScoreResultSchema), { description: "One result per input, in the order given." }),
  ranking: meta(z.array(
    z.strictObject({
      rank: z.number().check(z.int()).check(z.gte(1)),
      unitId: z.string(),
      unitName: z.string(),
      total: z.string(),
      grade: z.nullable(z.string()),
    }),
  ), { description: "The ranking, highest total first; equal totals share a rank (1, 2, 2, 4)." }),
  errors: meta(z.array(
    z.strictObject({
      file: meta(z.string(), { description: "The file concerned (or --points for the run's missing points)." }),
      message: meta(z.optional(z.string()), { description: "A problem with the file as a whole (missing, not JSON, wrong encoding)." }),
      issues: meta(z.optional(z.array(IssueOutputSchema)), { description: "Every problem found in its content." }),
    }),
  ), { description: "Every problem of every file; empty when ok." }),
}), { description: "Output of kaohe score --format json." });
