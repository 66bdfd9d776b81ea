import * as z from "zod/mini";
import { meta } from "../internal/zod";
import { ScoreResultSchema } from "../scoring/result";
import { RECTIFICATION_STATES } from "../checklists/rectification";
import { NumberInputSchema } from "../model/primitives";

/** Every kind of file the CLI reads, each checked (`kaohe validate`) as the command that reads it checks it. */
export const FILE_KINDS = ["assessment", "points", "grades", "framework", "checklist", "progress", "submissions", "problems", "rulebook"] as const;

/** One problem of a file, as `--format json` reports it. */
const IssueOutputSchema = z.strictObject({
  code: meta(z.string(), { description: "Stable snake_case code, e.g. unknown_indicator." }),
  path: meta(z.array(z.union([z.string(), z.number()])), { description: "Where in the file, from its root." }),
  message: meta(z.string(), { description: "The message in the output's language (--lang)." }),
});

/** Every problem of every file, as each command's `--format json` reports them. */
const ErrorsOutputSchema = meta(z.array(
  z.strictObject({
    file: meta(z.string(), { description: "The file concerned (or --points for the run's missing points)." }),
    message: meta(z.optional(z.string()), { description: "A problem with the file as a whole (missing, not JSON, wrong encoding)." }),
    issues: meta(z.optional(z.array(IssueOutputSchema)), { description: "Every problem found in its content." }),
  }),
), { description: "Every problem of every file; empty when ok." });

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
  errors: ErrorsOutputSchema,
}), { description: "Output of kaohe score --format json." });

/**
 * What `kaohe validate --format json` prints on standard output, valid or not: the file, the kind
 * it was checked as (null when it could not be told), and every problem found.
 */
export const ValidateOutputSchema = meta(z.strictObject({
  ok: meta(z.boolean(), { description: "True when the file is valid; the exit code is 0 then, 1 otherwise." }),
  file: meta(z.string(), { description: "The file checked (- for standard input)." }),
  kind: meta(z.nullable(z.enum(FILE_KINDS)), { description: "The kind it was checked as (--kind, or guessed); null when it could not be told." }),
  errors: ErrorsOutputSchema,
}), { description: "Output of kaohe validate --format json." });

const count = z.number().check(z.int()).check(z.gte(0));
const counts = z.strictObject({ overdue: count, "due-soon": count, pending: count, late: count, done: count, total: count });
const status = z.strictObject({
  unit: z.string(), unitName: z.string(), task: z.string(), taskNumber: count, deliverable: z.string(), deliverableName: z.string(), recipient: z.string(),
  dueOn: z.string(), status: z.enum(["done", "late", "pending", "due-soon", "overdue"]), submittedOn: z.optional(z.string()), daysLeft: z.optional(count), daysPastDue: z.optional(count),
});

/**
 * What `kaohe checklist --format json` prints on standard output: the status as of `asOf`, or (when
 * `ok` is false) null in place of each part and every problem of the progress file in `errors`.
 */
export const ChecklistOutputSchema = meta(z.strictObject({
  ok: meta(z.boolean(), { description: "True when the progress file was valid; the exit code is 0 then, 1 otherwise." }),
  asOf: meta(z.string(), { description: "The day the status is taken (--as-of)." }),
  checklist: z.nullable(z.strictObject({ id: z.string(), title: z.string(), issuedOn: z.string() })),
  milestones: z.nullable(z.array(z.strictObject({ name: z.string(), month: z.string() }))),
  deliverables: meta(z.nullable(z.strictObject({
    asOf: z.string(),
    overdue: z.array(status),
    dueSoon: z.array(status),
    items: z.array(status),
    byUnit: z.array(z.strictObject({ unit: z.string(), name: z.string(), counts })),
    byTask: z.array(z.strictObject({ task: z.string(), number: count, title: z.string(), counts })),
  })), { description: "Each deliverable's status per unit, the overdue and due-soon lists, totals per unit and task." }),
  duties: meta(z.nullable(z.array(z.strictObject({
    occurrences: z.array(z.strictObject({ recurrence: z.string(), name: z.string(), date: z.string() })),
    units: z.array(z.strictObject({
      unit: z.string(), name: z.string(), recurrence: z.string(), kept: count, missed: count, upcoming: count,
      marks: z.array(z.strictObject({ date: z.string(), mark: z.enum(["kept", "missed", "upcoming"]) })),
    })),
    offDay: z.array(z.strictObject({ unit: z.string(), recurrence: z.string(), on: z.string() })),
  }))), { description: "The recurring duties (e.g. 周三帮扶日): each occurrence, and per unit the ones kept and missed." }),
  rectifications: meta(z.nullable(z.strictObject({
    asOf: z.string(),
    total: count,
    byState: z.record(z.enum(RECTIFICATION_STATES), count),
    overdue: z.array(z.strictObject({ id: z.string(), title: z.string(), unit: z.string(), state: z.enum(RECTIFICATION_STATES), targetOn: z.string(), daysPastTarget: count })),
    sentBack: count,
    sentBackMoreThanOnce: z.array(z.strictObject({ id: z.string(), title: z.string(), unit: z.string(), times: count, reasons: z.array(z.string()) })),
  })), { description: "The rectification summary (整改): counts per state, the overdue, those sent back (回炉) more than once." }),
  errors: ErrorsOutputSchema,
}), { description: "Output of kaohe checklist --format json." });

const change = <T extends z.ZodMiniType>(value: T) => z.strictObject({ from: value, to: value });
const side = z.strictObject({ id: z.string(), code: z.string(), name: z.string(), category: z.strictObject({ code: z.string(), name: z.string() }) });
const textDiff = z.array(z.strictObject({ op: z.enum(["=", "-", "+"]), text: z.string() }));
const kind = z.enum(["changed", "added", "removed"]);
const match = z.enum(["id", "code_and_name", "name", "code"]);
const clause = z.strictObject({ id: z.string(), text: z.string(), points: NumberInputSchema });
const heading = z.strictObject({ id: z.string(), year: z.number(), title: z.string() });

/** The differences between two frameworks, as `diffFrameworks` gives them. */
const FrameworkDiffSchema = z.strictObject({
  from: heading,
  to: heading,
  fields: z.array(z.strictObject({ field: z.enum(["title", "year", "level", "region", "totalPoints", "grades", "precision"]), from: z.optional(z.unknown()), to: z.optional(z.unknown()) })),
  indicators: z.array(z.strictObject({
    kind, match: z.optional(match), from: z.optional(side), to: z.optional(side),
    renamed: z.optional(z.boolean()), renumbered: z.optional(z.boolean()), idChanged: z.optional(z.boolean()), moved: z.optional(z.boolean()),
    content: z.optional(textDiff),
    points: z.optional(z.strictObject({ from: z.optional(NumberInputSchema), to: z.optional(NumberInputSchema) })),
    method: z.optional(change(z.string())),
    onSite: z.optional(change(z.boolean())),
    departments: z.optional(z.strictObject({ added: z.array(z.string()), removed: z.array(z.string()) })),
  })),
  matches: z.record(z.string(), z.strictObject({ fromId: z.string(), match })),
  clauses: z.array(z.strictObject({ kind, match: z.optional(z.enum(["id", "text"])), from: z.optional(clause), to: z.optional(clause), repointed: z.optional(z.boolean()), text: z.optional(textDiff) })),
  policies: z.array(z.strictObject({ kind, policy: z.string(), from: z.optional(z.string()), to: z.optional(z.string()) })),
  same: z.boolean(),
});

/**
 * What `kaohe framework diff --format json` prints on standard output, with or without
 * `--assessment`, and when a framework could not be read (then `ok` is false and `diff` null).
 */
export const FrameworkDiffOutputSchema = meta(z.strictObject({
  ok: meta(z.boolean(), { description: "True when both frameworks (and the assessment) could be read; the exit code is 0 then, 1 otherwise." }),
  diff: meta(z.nullable(FrameworkDiffSchema), { description: "What changed from the first framework to the second." }),
  assessment: meta(z.nullable(z.strictObject({ file: z.string(), issues: z.array(IssueOutputSchema) })), { description: "With --assessment: what of the assessment no longer fits the second framework (empty when it fits)." }),
  errors: ErrorsOutputSchema,
}), { description: "Output of kaohe framework diff --format json." });

/** What `kaohe validate --format json` prints: see {@link ValidateOutputSchema}. */
export type ValidateOutput = z.input<typeof ValidateOutputSchema>;
