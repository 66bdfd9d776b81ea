import * as z from "zod/mini";
import { meta } from "../internal/zod";
import { CalendarDateSchema, IdSchema, SourceRefSchema, TextSchema } from "./primitives";
import type { CalendarDate, ReadonlyArrays, SourceRef } from "./primitives";

/** A month written `YYYY-MM`, for dates the document gives only to the month (e.g. "11 月启动"). */
export const CalendarMonthSchema = meta(z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: "must be a month written YYYY-MM" })), { description: "A calendar month YYYY-MM (China Standard Time), e.g. 2025-11." });

/** A month `YYYY-MM`: see {@link CalendarMonthSchema}. */
export type CalendarMonth = string;

/**
 * A responsible party or recipient (责任方 / 报送对象) as the document names it, e.g. 各乡（镇）,
 * 驻村工作队 or 县农业农村局. It is a role, not a concrete unit: a county's units say which
 * parties they belong to.
 */
export const ChecklistPartySchema = meta(z.strictObject({
  id: IdSchema,
  name: meta(TextSchema, { description: "The party's name, word for word, e.g. 县农业农村局." }),
}), { description: "Responsible party or recipient (责任方 / 报送对象): id and name." });

/** A responsible party or recipient: see {@link ChecklistPartySchema}. */
export interface ChecklistParty {
  /** The party's id, by which tasks and deliverables refer to it. */
  id: string;
  /** The party's name, word for word, e.g. 县农业农村局. */
  name: string;
}

/** A deliverable (报送材料) of a task: what is due, by which China calendar date, to whom. */
export const DeliverableSchema = meta(z.strictObject({
  id: IdSchema,
  name: meta(TextSchema, { description: "What is delivered, word for word, e.g. 工作部署情况." }),
  dueOn: meta(CalendarDateSchema, {
    description: "The last day (inclusive, China calendar) on which it may be submitted: 10 月 31 日前 is 2025-10-31.",
  }),
  recipient: meta(IdSchema, { description: "The id of the party it is sent to (报至), e.g. 县农业农村局." }),
  text: meta(TextSchema, { description: "The deadline clause, word for word." }),
}), { description: "Deliverable (报送材料): name, inclusive due date, recipient party, the clause." });

/** A deliverable of a task: see {@link DeliverableSchema}. */
export interface Deliverable {
  /** The deliverable's id. */
  id: string;
  /** What is delivered, word for word, e.g. 工作部署情况. */
  name: string;
  /** The last day (inclusive, China calendar) on which it may be submitted: 10 月 31 日前 is 2025-10-31. */
  dueOn: CalendarDate;
  /** The id of the party it is sent to (报至), e.g. 县农业农村局. */
  recipient: string;
  /** The deadline clause, word for word. */
  text: string;
}

/** A weekly recurring duty such as 周三帮扶日 (every Wednesday). */
export const RecurrenceSchema = meta(z.strictObject({
  id: IdSchema,
  name: meta(TextSchema, { description: "The duty's name, e.g. 周三帮扶日." }),
  frequency: z.literal("weekly"),
  weekday: meta(z.int().check(z.gte(1)).check(z.lte(7)), { description: "ISO weekday of the duty: 1 Monday … 7 Sunday; 3 is Wednesday (周三)." }),
  parties: meta(z.array(IdSchema).check(z.minLength(1, { message: "must name at least one party" })), { description: "Ids of the parties that keep the duty." }),
  text: meta(TextSchema, { description: "The clause that sets the duty, word for word." }),
}), { description: "Weekly recurring duty (e.g. 周三帮扶日): weekday, parties, the clause." });

/** A weekly recurring duty: see {@link RecurrenceSchema}. */
export interface Recurrence {
  /** The duty's id. */
  id: string;
  /** The duty's name, e.g. 周三帮扶日. */
  name: string;
  /** How often it recurs: every week. */
  frequency: "weekly";
  /** ISO weekday of the duty: 1 Monday … 7 Sunday; 3 is Wednesday (周三). */
  weekday: number;
  /** Ids of the parties that keep the duty (at least one). */
  parties: string[];
  /** The clause that sets the duty, word for word. */
  text: string;
}

/** A focus area (重点区域) or focus group (重点人群) of a 查漏补缺 sweep. */
export const FocusItemSchema = meta(z.strictObject({
  id: IdSchema,
  name: meta(TextSchema, { description: "The area or group, word for word, e.g. 村级卫生室 or 低保." }),
}), { description: "Focus area (重点区域) or focus group (重点人群): id and name." });

/** A focus area or group: see {@link FocusItemSchema}. */
export interface FocusItem {
  /** The item's id. */
  id: string;
  /** The area or group, word for word, e.g. 村级卫生室 or 低保. */
  name: string;
}

/**
 * Problems to look at again (回头看), e.g. the 2024 national and provincial feedback of task 5, and
 * the findings that send a rectification back through 回炉.
 */
export const ReviewSchema = meta(z.strictObject({
  id: IdSchema,
  subject: meta(TextSchema, { description: "The problems reviewed, word for word, e.g. 2024 年度国家及省级考核反馈问题." }),
  year: meta(z.int().check(z.gte(2000)).check(z.lte(2100)), { description: "The assessment year whose feedback is reviewed." }),
  sendBackReasons: meta(z.array(TextSchema).check(z.minLength(1, { message: "must name at least one reason" })), { description: "What sends a rectification back (回炉), e.g. 整改不彻底." }),
}), { description: "Review (回头看) of earlier problems and the reasons to send one back (回炉)." });

/** A review of earlier problems: see {@link ReviewSchema}. */
export interface Review {
  /** The review's id. */
  id: string;
  /** The problems reviewed, word for word, e.g. 2024 年度国家及省级考核反馈问题. */
  subject: string;
  /** The assessment year whose feedback is reviewed. */
  year: number;
  /** What sends a rectification back (回炉), e.g. 整改不彻底 (at least one). */
  sendBackReasons: string[];
}

/** A task (任务) of a checklist: who does what, with its deliverables, duties and focus. */
export const ChecklistTaskSchema = meta(z.strictObject({
  id: IdSchema,
  number: meta(z.int().check(z.positive()), { description: "The document's item number, 1 … 5." }),
  title: meta(TextSchema, { description: "The task's title, word for word, e.g. 及时调度部署." }),
  content: meta(TextSchema, { description: "What is to be done, word for word." }),
  responsible: meta(z.array(IdSchema), { description: "Ids of the responsible parties; empty where the document names none." }),
  deliverables: z._default(z.array(DeliverableSchema), []),
  recurrences: z._default(z.array(RecurrenceSchema), []),
  focusAreas: meta(z._default(z.array(FocusItemSchema), []), { description: "重点区域, in the document's order." }),
  focusGroups: meta(z._default(z.array(FocusItemSchema), []), { description: "重点人群, in the document's order." }),
  reviews: z._default(z.array(ReviewSchema), []),
  source: SourceRefSchema,
}), { description: "Checklist task (任务): who, what, deliverables, recurring duties, focus areas and groups, reviews." });

/** A checklist task, as parsed (empty lists filled in): see {@link ChecklistTaskSchema}. */
export interface ChecklistTask {
  /** The task's id. */
  id: string;
  /** The document's item number, 1 … 5. */
  number: number;
  /** The task's title, word for word, e.g. 及时调度部署. */
  title: string;
  /** What is to be done, word for word. */
  content: string;
  /** Ids of the responsible parties; empty where the document names none. */
  responsible: string[];
  /** What is to be submitted, and by when. */
  deliverables: Deliverable[];
  /** Weekly recurring duties. */
  recurrences: Recurrence[];
  /** 重点区域, in the document's order. */
  focusAreas: FocusItem[];
  /** 重点人群, in the document's order. */
  focusGroups: FocusItem[];
  /** Earlier problems to look at again (回头看). */
  reviews: Review[];
  /** Where the document states it. */
  source: SourceRef;
}

/** A checklist task as written before parsing: empty lists may be left out, and arrays may be `readonly`. */
export interface ChecklistTaskInput
  extends ReadonlyArrays<Omit<ChecklistTask, "deliverables" | "recurrences" | "focusAreas" | "focusGroups" | "reviews">> {
  /** What is to be submitted, and by when. Default none. */
  readonly deliverables?: readonly Deliverable[] | undefined;
  /** Weekly recurring duties. Default none. */
  readonly recurrences?: ReadonlyArrays<Recurrence[]> | undefined;
  /** 重点区域, in the document's order. Default none. */
  readonly focusAreas?: readonly FocusItem[] | undefined;
  /** 重点人群, in the document's order. Default none. */
  readonly focusGroups?: readonly FocusItem[] | undefined;
  /** Earlier problems to look at again (回头看). Default none. */
  readonly reviews?: ReadonlyArrays<Review[]> | undefined;
}

/**
 * A milestone the checklist works towards, such as the start of the provincial assessment. The
 * document gives only a month ("将于 11 月启动"), so a milestone holds a month, not a day.
 */
export const MilestoneSchema = meta(z.strictObject({
  id: IdSchema,
  name: meta(TextSchema, { description: "What starts, word for word, e.g. 省级考核." }),
  month: meta(CalendarMonthSchema, { description: "The month it starts, YYYY-MM; the document gives no day." }),
  source: SourceRefSchema,
}), { description: "Milestone: what starts, and in which month." });

/** A milestone: see {@link MilestoneSchema}. */
export interface Milestone {
  /** The milestone's id. */
  id: string;
  /** What starts, word for word, e.g. 省级考核. */
  name: string;
  /** The month it starts, YYYY-MM; the document gives no day. */
  month: CalendarMonth;
  /** Where the document states it. */
  source: SourceRef;
}

/** A work checklist (任务清单): near-term tasks with deliverables, duties and milestones. */
export const ChecklistSchema = meta(z.strictObject({
  id: IdSchema,
  title: meta(TextSchema, { description: "The document's title." }),
  issuedOn: meta(CalendarDateSchema, { description: "The date the checklist was issued; no deliverable is due before it." }),
  parties: meta(z.array(ChecklistPartySchema), { description: "Responsible parties and recipients, referred to by id." }),
  tasks: z.array(ChecklistTaskSchema).check(z.minLength(1, { message: "must hold at least one task" })),
  milestones: z._default(z.array(MilestoneSchema), []),
}), { description: "Work checklist (任务清单): tasks, parties, deliverables with due dates, duties, milestones." });

/** A work checklist (任务清单), as parsed (empty lists filled in). */
export interface Checklist {
  /** The checklist's id. */
  id: string;
  /** The document's title. */
  title: string;
  /** The date the checklist was issued; no deliverable is due before it. */
  issuedOn: CalendarDate;
  /** Responsible parties and recipients, referred to by id. */
  parties: ChecklistParty[];
  /** Its tasks (at least one), in the document's order. */
  tasks: ChecklistTask[];
  /** The milestones it works towards. */
  milestones: Milestone[];
}

/** A work checklist as written before parsing: empty lists may be left out, and arrays may be `readonly`. */
export interface ChecklistInput extends ReadonlyArrays<Omit<Checklist, "tasks" | "milestones">> {
  /** Its tasks (at least one), in the document's order. */
  readonly tasks: readonly ChecklistTaskInput[];
  /** The milestones it works towards. Default none. */
  readonly milestones?: readonly Milestone[] | undefined;
}
