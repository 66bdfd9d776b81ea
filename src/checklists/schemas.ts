import * as z from "zod/mini";
import { meta } from "../internal/zod";
import { ChecklistSchema, type Checklist, type ChecklistInput } from "../model/checklist";
import { IdSchema, TextSchema } from "../model/primitives";
import { DateOrTimestampSchema } from "./dates";
import { RectificationProblemSchema, type RectificationProblem, type RectificationProblemInput } from "./rectification";
import type { ReadonlyArrays } from "../model/primitives";

/**
 * A unit that answers to a checklist (e.g. one of a county's 乡镇 or 行业帮扶单位), and the
 * checklist parties it belongs to. Deliverables and duties apply to a unit when one of its parties
 * is responsible for them; a unit without `parties` answers for every deliverable and duty.
 */
export const ChecklistUnitSchema = meta(z.strictObject({
  id: IdSchema,
  name: meta(TextSchema, { description: "The unit's name, e.g. 青山镇." }),
  kind: meta(z.optional(TextSchema), { description: "What kind of unit, e.g. 乡镇 or 行业帮扶单位 (for display)." }),
  parties: meta(z.optional(z.array(IdSchema)), { description: "Ids of the checklist parties the unit belongs to; left out, every deliverable and duty applies." }),
}), { description: "A unit that answers to the checklist, and the parties it belongs to." });

/** A unit that answers to a checklist: see {@link ChecklistUnitSchema}. */
export interface ChecklistUnit {
  /** The unit's id. */
  id: string;
  /** The unit's name, e.g. 青山镇. */
  name: string;
  /** What kind of unit, e.g. 乡镇 or 行业帮扶单位 (for display). */
  kind?: string | undefined;
  /** Ids of the checklist parties the unit belongs to; left out, every deliverable and duty applies. */
  parties?: string[] | undefined;
}

/** A submission (报送) of a deliverable by a unit, dated or timestamped. */
export const SubmissionSchema = meta(z.strictObject({
  unit: meta(IdSchema, { description: "The id of the unit that submitted." }),
  deliverable: meta(IdSchema, { description: "The id of the deliverable submitted." }),
  submittedOn: DateOrTimestampSchema,
  note: z.optional(TextSchema),
}), { description: "Submission (报送): unit, deliverable, and when (China date, or timestamp with offset)." });

/** A submission of a deliverable: see {@link SubmissionSchema}. */
export interface Submission {
  /** The id of the unit that submitted. */
  unit: string;
  /** The id of the deliverable submitted. */
  deliverable: string;
  /** When: a China calendar date YYYY-MM-DD, or an ISO timestamp with offset, converted to its China date. */
  submittedOn: string;
  /** A free note. */
  note?: string | undefined;
}

/** The submissions of a county: a list of {@link SubmissionSchema}. */
export const SubmissionListSchema = meta(z.array(SubmissionSchema), { description: "Submissions (报送记录)." });

/** A record that a unit kept a recurring duty on a day, e.g. a 周三帮扶日 visit. */
export const VisitSchema = meta(z.strictObject({
  unit: meta(IdSchema, { description: "The id of the unit whose cadres made the visit." }),
  recurrence: meta(IdSchema, { description: "The id of the recurring duty, e.g. the 周三帮扶日's." }),
  on: DateOrTimestampSchema,
  note: z.optional(TextSchema),
}), { description: "Visit record (帮扶记录): unit, recurring duty, and when." });

/** A visit record: see {@link VisitSchema}. */
export interface Visit {
  /** The id of the unit whose cadres made the visit. */
  unit: string;
  /** The id of the recurring duty, e.g. the 周三帮扶日's. */
  recurrence: string;
  /** When: a China calendar date YYYY-MM-DD, or an ISO timestamp with offset, converted to its China date. */
  on: string;
  /** A free note. */
  note?: string | undefined;
}

/** The rectification problems of a county: a list of {@link RectificationProblemSchema}. */
export const RectificationProblemListSchema = meta(z.array(RectificationProblemSchema), { description: "Rectification problems (整改问题台账)." });

/** The name under which a progress file refers to the embedded 2025 checklist. */
export const EMBEDDED_CHECKLIST_NAME = "nearTermChecklist2025";

/**
 * A county's progress file: the checklist (the embedded 2025 one by name, or a checklist of its
 * own), its units, submissions, visit records and rectification problems.
 */
export const ProgressSchema = meta(z.strictObject({
  $schema: z.optional(z.string()),
  title: meta(z.optional(TextSchema), { description: "What the file describes, e.g. the county's name." }),
  synthetic: meta(z.optional(z.boolean()), { description: "True when the data is made up, for examples and tests." }),
  checklist: meta(z._default(z.union([z.literal(EMBEDDED_CHECKLIST_NAME), ChecklistSchema]), EMBEDDED_CHECKLIST_NAME), { description: 'The checklist: "nearTermChecklist2025" (the embedded default) or a checklist object.' }),
  units: z.array(ChecklistUnitSchema).check(z.minLength(1, { message: "must list at least one unit" })),
  submissions: z._default(SubmissionListSchema, []),
  visits: z._default(z.array(VisitSchema), []),
  problems: z._default(RectificationProblemListSchema, []),
}), { description: "Progress file: checklist, units, submissions, visit records, rectification problems." });

/** A progress file, as parsed: see {@link ProgressSchema}. */
export interface Progress {
  /** The JSON Schema the file declares, if any. */
  $schema?: string | undefined;
  /** What the file describes, e.g. the county's name. */
  title?: string | undefined;
  /** True when the data is made up, for examples and tests. */
  synthetic?: boolean | undefined;
  /** The checklist: `"nearTermChecklist2025"` (the embedded default) or a checklist object. */
  checklist: typeof EMBEDDED_CHECKLIST_NAME | Checklist;
  /** The units that answer to the checklist (at least one). */
  units: ChecklistUnit[];
  /** The submissions (报送记录). */
  submissions: Submission[];
  /** The visit records (帮扶记录). */
  visits: Visit[];
  /** The rectification problems (整改问题台账). */
  problems: RectificationProblem[];
}

/** A progress file as written: lists and the checklist may be left out, and arrays may be `readonly`. */
export interface ProgressInput extends ReadonlyArrays<Pick<Progress, "$schema" | "title" | "synthetic" | "units">> {
  /** The checklist: `"nearTermChecklist2025"` (the embedded default) or a checklist object. */
  readonly checklist?: typeof EMBEDDED_CHECKLIST_NAME | ChecklistInput | undefined;
  /** The submissions (报送记录). Default none. */
  readonly submissions?: readonly Submission[] | undefined;
  /** The visit records (帮扶记录). Default none. */
  readonly visits?: readonly Visit[] | undefined;
  /** The rectification problems (整改问题台账). Default none. */
  readonly problems?: readonly RectificationProblemInput[] | undefined;
}

/**
 * The JSON Schemas of the checklist files, by name, for `schemas/<name>.schema.json`; each converts
 * with `z.toJSONSchema(schema, { io: "input" })`.
 *
 * @example
 * ```ts
 * import { checklistJsonSchemas } from "kaohe";
 * Object.keys(checklistJsonSchemas); //=> ["checklist", "progress", "submissions", "problems"]
 * ```
 */
export const checklistJsonSchemas: Readonly<Record<"checklist" | "progress" | "submissions" | "problems", z.ZodMiniType>> = {
  checklist: ChecklistSchema,
  progress: ProgressSchema,
  submissions: SubmissionListSchema,
  problems: RectificationProblemListSchema,
};
