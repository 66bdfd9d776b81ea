// The public types are written-out interfaces, so that the API reference and editors show their
// names and the TSDoc of each property (issue 12); the zod schemas stay the single source of
// validation. These checks fail to compile when a schema and its type drift apart in either
// direction: a property added, dropped, made optional or retyped on one side only.
import { describe, expectTypeOf, it } from "vitest";
import type * as z from "zod/mini";
import * as k from "../src/index";
import * as kt from "../src/screening/tables/index";
import * as ts from "../src/screening/tables/schema";

/** `T` with `readonly` taken off every property and array, at any depth. */
type Writable<T> = T extends readonly (infer E)[]
  ? Writable<E>[]
  : T extends object
    ? { -readonly [K in keyof T]: Writable<T[K]> }
    : T;

describe("each public type is exactly its schema's", () => {
  it("model: frameworks and key tasks", () => {
    expectTypeOf<z.infer<typeof k.NumberInputSchema>>().toEqualTypeOf<k.NumberInput>();
    expectTypeOf<z.infer<typeof k.CalendarDateSchema>>().toEqualTypeOf<k.CalendarDate>();
    expectTypeOf<z.infer<typeof k.CalendarMonthSchema>>().toEqualTypeOf<k.CalendarMonth>();
    expectTypeOf<z.infer<typeof k.SourceRefSchema>>().toEqualTypeOf<k.SourceRef>();
    expectTypeOf<z.infer<typeof k.DepartmentSchema>>().toEqualTypeOf<k.Department>();
    expectTypeOf<z.infer<typeof k.FactSchema>>().toEqualTypeOf<k.Fact>();
    expectTypeOf<z.infer<typeof k.ScoringSchema>>().toEqualTypeOf<k.Scoring>();
    expectTypeOf<z.infer<typeof k.IndicatorSchema>>().toEqualTypeOf<k.Indicator>();
    expectTypeOf<z.infer<typeof k.CategorySchema>>().toEqualTypeOf<k.Category>();
    expectTypeOf<z.infer<typeof k.DeductionClauseSchema>>().toEqualTypeOf<k.DeductionClause>();
    expectTypeOf<z.infer<typeof k.PolicySchema>>().toEqualTypeOf<k.Policy>();
    expectTypeOf<z.infer<typeof k.GradeBandSchema>>().toEqualTypeOf<k.GradeBand>();
    expectTypeOf<z.infer<typeof k.SourceDocumentSchema>>().toEqualTypeOf<k.SourceDocument>();
    expectTypeOf<z.infer<typeof k.FrameworkRefSchema>>().toEqualTypeOf<k.FrameworkRef>();
    expectTypeOf<z.infer<typeof k.FrameworkSchema>>().toEqualTypeOf<k.Framework>();
    expectTypeOf<z.input<typeof k.FrameworkSchema>>().toEqualTypeOf<Writable<k.FrameworkInput>>();
    expectTypeOf<z.infer<typeof k.KeyTaskSchema>>().toEqualTypeOf<k.KeyTask>();
  });

  it("scoring: assessments and results", () => {
    expectTypeOf<z.infer<typeof k.UnitSchema>>().toEqualTypeOf<k.Unit>();
    expectTypeOf<z.infer<typeof k.FindingSchema>>().toEqualTypeOf<k.Finding>();
    expectTypeOf<z.infer<typeof k.IndicatorInputSchema>>().toEqualTypeOf<k.IndicatorInput>();
    expectTypeOf<z.infer<typeof k.DeductionEventSchema>>().toEqualTypeOf<k.DeductionEvent>();
    expectTypeOf<z.infer<typeof k.DiscretionarySchema>>().toEqualTypeOf<k.Discretionary>();
    expectTypeOf<z.infer<typeof k.SevereCaseSchema>>().toEqualTypeOf<k.SevereCase>();
    expectTypeOf<z.infer<typeof k.AssessmentSchema>>().toEqualTypeOf<k.Assessment>();
    expectTypeOf<z.input<typeof k.AssessmentSchema>>().toEqualTypeOf<Writable<k.AssessmentInput>>();
    expectTypeOf<z.infer<typeof k.TraceEntrySchema>>().toEqualTypeOf<k.TraceEntry>();
    expectTypeOf<z.infer<typeof k.IndicatorResultSchema>>().toEqualTypeOf<k.IndicatorResult>();
    expectTypeOf<z.infer<typeof k.CategoryResultSchema>>().toEqualTypeOf<k.CategoryResult>();
    expectTypeOf<z.infer<typeof k.ClauseRefSchema>>().toEqualTypeOf<k.ClauseRef>();
    expectTypeOf<z.infer<typeof k.MatterResultSchema>>().toEqualTypeOf<k.MatterResult>();
    expectTypeOf<z.infer<typeof k.GradeResultSchema>>().toEqualTypeOf<k.GradeResult>();
    expectTypeOf<z.infer<typeof k.ScoreResultSchema>>().toEqualTypeOf<k.ScoreResult>();
  });

  it("screening: rulebooks", () => {
    expectTypeOf<z.infer<typeof k.FieldSchema>>().toEqualTypeOf<k.Field>();
    expectTypeOf<z.infer<typeof k.ParameterSchema>>().toEqualTypeOf<k.Parameter>();
    expectTypeOf<z.infer<typeof k.ScreeningRuleSchema>>().toEqualTypeOf<k.ScreeningRule>();
    expectTypeOf<z.infer<typeof k.RulebookSchema>>().toEqualTypeOf<k.Rulebook>();
    expectTypeOf<z.input<typeof k.RulebookSchema>>().toEqualTypeOf<Writable<k.RulebookInput>>();
  });

  it("model: checklists", () => {
    expectTypeOf<z.infer<typeof k.ChecklistPartySchema>>().toEqualTypeOf<k.ChecklistParty>();
    expectTypeOf<z.infer<typeof k.DeliverableSchema>>().toEqualTypeOf<k.Deliverable>();
    expectTypeOf<z.infer<typeof k.RecurrenceSchema>>().toEqualTypeOf<k.Recurrence>();
    expectTypeOf<z.infer<typeof k.FocusItemSchema>>().toEqualTypeOf<k.FocusItem>();
    expectTypeOf<z.infer<typeof k.ReviewSchema>>().toEqualTypeOf<k.Review>();
    expectTypeOf<z.infer<typeof k.ChecklistTaskSchema>>().toEqualTypeOf<k.ChecklistTask>();
    expectTypeOf<z.input<typeof k.ChecklistTaskSchema>>().toEqualTypeOf<Writable<k.ChecklistTaskInput>>();
    expectTypeOf<z.infer<typeof k.MilestoneSchema>>().toEqualTypeOf<k.Milestone>();
    expectTypeOf<z.infer<typeof k.ChecklistSchema>>().toEqualTypeOf<k.Checklist>();
    expectTypeOf<z.input<typeof k.ChecklistSchema>>().toEqualTypeOf<Writable<k.ChecklistInput>>();
  });

  it("checklists: rectification and progress files", () => {
    expectTypeOf<z.infer<typeof k.RectificationEventSchema>>().toEqualTypeOf<k.RectificationEvent>();
    expectTypeOf<z.infer<typeof k.RectificationProblemSchema>>().toEqualTypeOf<k.RectificationProblem>();
    expectTypeOf<z.input<typeof k.RectificationProblemSchema>>().toEqualTypeOf<Writable<k.RectificationProblemInput>>();
    expectTypeOf<z.infer<typeof k.ChecklistUnitSchema>>().toEqualTypeOf<k.ChecklistUnit>();
    expectTypeOf<z.infer<typeof k.SubmissionSchema>>().toEqualTypeOf<k.Submission>();
    expectTypeOf<z.infer<typeof k.VisitSchema>>().toEqualTypeOf<k.Visit>();
    expectTypeOf<z.infer<typeof k.ProgressSchema>>().toEqualTypeOf<k.Progress>();
    expectTypeOf<z.input<typeof k.ProgressSchema>>().toEqualTypeOf<Writable<k.ProgressInput>>();
  });

  it("screening: multi-table rulebooks (kaohe/tables)", () => {
    expectTypeOf<z.infer<typeof kt.AggregateSchema>>().toEqualTypeOf<kt.Aggregate>();
    expectTypeOf<z.infer<typeof kt.TableSchema>>().toEqualTypeOf<kt.Table>();
    expectTypeOf<z.input<typeof kt.TableSchema>>().toEqualTypeOf<Writable<kt.TableInput>>();
    expectTypeOf<z.infer<typeof ts.TableRecordRuleSchema>>().toEqualTypeOf<kt.TableRecordRule>();
    expectTypeOf<z.infer<typeof ts.UniqueRuleSchema>>().toEqualTypeOf<kt.UniqueRule>();
    expectTypeOf<z.infer<typeof ts.ReferenceRuleSchema>>().toEqualTypeOf<kt.ReferenceRule>();
    expectTypeOf<z.infer<typeof ts.CountRuleSchema>>().toEqualTypeOf<kt.CountRule>();
    expectTypeOf<z.infer<typeof kt.TableRuleSchema>>().toEqualTypeOf<kt.TableRule>();
    expectTypeOf<z.infer<typeof kt.TablesRulebookSchema>>().toEqualTypeOf<kt.TablesRulebook>();
    expectTypeOf<z.input<typeof kt.TablesRulebookSchema>>().toEqualTypeOf<Writable<kt.TablesRulebookInput>>();
  });
});
