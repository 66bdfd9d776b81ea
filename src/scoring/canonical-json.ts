import type { NumberInput } from "../model/primitives";
import type { Assessment, DeductionEvent, Discretionary, Finding, IndicatorInput, SevereCase, Unit } from "./assessment";
import { canonicalJson, compareCodePoints, quote } from "./digest";

/*
 * The canonical JSON of an assessment (decision 0005, revised 2026-12-03), written from its known
 * shape: the same text as `canonicalJson(assessment)` (keys by code point, `undefined` left out),
 * without listing and sorting the keys of every object. The keys of each object are written in
 * code point order as they stand here:
 *   assessment   $comment, deductions, indicators, period, severe, unit
 *   unit         id, level, name
 *   finding      id, note, points
 *   event        clause, matter, note
 *   severe       discretionary, reason, scaleReturnToPoverty, seriousMatters
 *   discretionary points, reason
 * Records (indicators, facts) are sorted as canonicalJson sorts them. It relies on the assessment
 * having been validated (AssessmentSchema's shape, no other keys): test/scoring/digest.test.ts
 * compares it with canonicalJson on random assessments and on every input the schema accepts in
 * test/scoring/fast-read.test.ts. A change to AssessmentSchema must be made here too.
 */

/** `,"key":` before an optional field that is present, or nothing. */
function optionalText(key: string, value: string | undefined, comma: boolean): string {
  return value === undefined ? "" : `${comma ? "," : ""}"${key}":${quote(value)}`;
}

/** A number input as canonicalJson writes it: a string quoted, a number as JSON writes it. */
function numberInput(value: NumberInput): string {
  return typeof value === "string" ? quote(value) : canonicalJson(value);
}

function list<T>(items: readonly T[], write: (item: T) => string): string {
  let out = "[";
  for (let i = 0; i < items.length; i++) out += (i === 0 ? "" : ",") + write(items[i] as T);
  return `${out}]`;
}

function unit(u: Unit): string {
  return `{"id":${quote(u.id)}${optionalText("level", u.level, true)},"name":${quote(u.name)}}`;
}

function finding(f: Finding): string {
  return `{${optionalText("id", f.id, false)}${optionalText("note", f.note, f.id !== undefined)}${f.id === undefined && f.note === undefined ? "" : ","}"points":${numberInput(f.points)}}`;
}

function event(e: DeductionEvent): string {
  return `{"clause":${quote(e.clause)},"matter":${quote(e.matter)}${optionalText("note", e.note, true)}}`;
}

function discretionary(d: Discretionary): string {
  return `{"points":${numberInput(d.points)},"reason":${quote(d.reason)}}`;
}

function severe(s: SevereCase): string {
  const head = s.discretionary === undefined ? "" : `"discretionary":${list(s.discretionary, discretionary)},`;
  const scale = s.scaleReturnToPoverty === undefined ? "" : `,"scaleReturnToPoverty":${s.scaleReturnToPoverty ? "true" : "false"}`;
  const serious = s.seriousMatters === undefined ? "" : `,"seriousMatters":${list(s.seriousMatters, quote)}`;
  return `{${head}"reason":${quote(s.reason)}${scale}${serious}}`;
}

function indicatorInput(input: IndicatorInput): string {
  if ("score" in input) return `{"score":${numberInput(input.score)}}`;
  if ("findings" in input) return `{"findings":${list(input.findings, finding)}}`;
  return `{"facts":${canonicalJson(input.facts)}}`;
}

const isOwnEnumerable = (record: object, key: string): boolean => Object.prototype.propertyIsEnumerable.call(record, key);

/** The keys of a record in code point order: those of `order` it has, when it has no other. */
function sortedKeys(record: Record<string, unknown>, order: readonly string[] | undefined): string[] {
  const keys = Object.keys(record);
  if (order !== undefined) {
    const known = order.filter((key) => isOwnEnumerable(record, key));
    if (known.length === keys.length) return known;
  }
  if (keys.length > 1) keys.sort(compareCodePoints);
  return keys;
}

function indicators(record: Record<string, IndicatorInput>, order: readonly string[] | undefined): string {
  const keys = sortedKeys(record, order);
  let out = "{";
  for (const key of keys) {
    const input = record[key];
    if (input !== undefined) out += `${out.length === 1 ? "" : ","}${quote(key)}:${indicatorInput(input)}`;
  }
  return `${out}}`;
}

/**
 * @internal The canonical JSON of a validated assessment: `canonicalJson(assessment)`, written
 * from the assessment's shape (see the note above). `order`, when given, is the framework's distinct
 * indicator ids in code point order: the indicators are written in it when it holds all of them.
 */
export function assessmentJson(a: Assessment, order?: readonly string[]): string {
  const comment = a.$comment === undefined ? "" : `"$comment":${quote(a.$comment)},`;
  const deductions = a.deductions === undefined ? "" : `"deductions":${list(a.deductions, event)},`;
  const severeCase = a.severe === undefined ? "" : `,"severe":${severe(a.severe)}`;
  return `{${comment}${deductions}"indicators":${indicators(a.indicators, order)}${optionalText("period", a.period, true)}${severeCase},"unit":${unit(a.unit)}}`;
}
