import { FORBIDDEN_KEYS } from "../internal/json";
import { DECIMAL_STRING_PATTERN, ID_PATTERN, isPositive } from "../model/primitives";
import type { Assessment, DeductionEvent, Finding, IndicatorInput, SevereCase } from "./assessment";

/*
 * The happy path of reading an assessment, in one walk (docs/decisions/0005-scoring-fast-path.md).
 * `readAssessment` returns the assessment exactly as `AssessmentSchema` parses it (the same values,
 * the same key order) when the input is plain JSON-like data that the schema accepts and in which
 * `checkInputStructure` finds nothing; otherwise `undefined`, and the caller runs those two checks
 * for their issues. It may refuse what they accept (then the slow path decides), never the
 * reverse: it mirrors AssessmentSchema field by field, so a change to that schema (or to the
 * primitives it uses) must be made here too; test/scoring/fast-read.test.ts compares the two.
 *
 * Refused outright, for the slow path to judge: objects whose prototype is not Object.prototype,
 * arrays that are not plain arrays, symbol keys in records, optional keys present as `undefined`,
 * and any key that is forbidden or unknown. Nesting is bounded by the shape, so no input it accepts
 * is too deep or contains itself.
 */

type Obj = Record<string, unknown>;

/** A fresh marker object: thrown inside the walk, caught once, never escapes. */
const REFUSED = {};

function refuse(): never {
  throw REFUSED;
}

function object(value: unknown): Obj {
  if (typeof value !== "object" || value === null || Object.getPrototypeOf(value) !== Object.prototype) refuse();
  return value as Obj;
}

/** A plain array read item by item (a hole reads as `undefined`, as zod reads it). */
function list<T>(value: unknown, read: (item: unknown) => T): T[] {
  if (!Array.isArray(value) || Object.getPrototypeOf(value) !== Array.prototype) refuse();
  const out: T[] = [];
  for (let i = 0; i < value.length; i++) out.push(read(value[i]));
  return out;
}

/** A plain object with no key outside `known` (a strict object's unknown key is refused). */
function strict(value: unknown, known: ReadonlySet<string>): Obj {
  const o = object(value);
  for (const key in o) if (!known.has(key)) refuse();
  return o;
}

/** The own keys of a record, refused when one is forbidden or a symbol. */
function recordKeys(value: Obj): string[] {
  const keys = Object.keys(value);
  for (const key of keys) if (FORBIDDEN_KEYS.has(key)) refuse();
  if (Object.getOwnPropertySymbols(value).length > 0) refuse();
  return keys;
}

/**
 * An optional field: absent, or present with a value that `read` accepts. Every reader refuses
 * `undefined`, so a key present as `undefined` (which zod keeps) goes to the full checks.
 */
function optional<T>(value: Obj, key: string, read: (v: unknown) => T): T | undefined {
  return key in value ? read(value[key]) : undefined;
}

function text(value: unknown): string {
  if (typeof value !== "string" || value.length < 1) refuse();
  return value;
}

function anyString(value: unknown): string {
  if (typeof value !== "string") refuse();
  return value;
}

function id(value: unknown): string {
  if (typeof value !== "string" || !ID_PATTERN.test(value)) refuse();
  return value;
}

function bool(value: unknown): boolean {
  if (typeof value !== "boolean") refuse();
  return value;
}

function numberInput(value: unknown): number | string {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || Math.abs(value) > Number.MAX_SAFE_INTEGER) refuse();
    return value;
  }
  if (typeof value !== "string" || !DECIMAL_STRING_PATTERN.test(value)) refuse();
  return value;
}

function points(value: unknown): number | string {
  const n = numberInput(value);
  if (!isPositive(n)) refuse();
  return n;
}

const UNIT = new Set(["id", "name", "level"]);
const FINDING = new Set(["id", "points", "note"]);
const EVENT = new Set(["matter", "clause", "note"]);
const SEVERE = new Set(["reason", "scaleReturnToPoverty", "seriousMatters", "discretionary"]);
const DISCRETIONARY = new Set(["points", "reason"]);
const ASSESSMENT = new Set(["$comment", "unit", "period", "indicators", "deductions", "severe"]);

/** Sets `key` on `out` when `value` is defined: zod leaves an absent optional key out. */
function put(out: Obj, key: string, value: unknown): void {
  if (value !== undefined) out[key] = value;
}

function unit(value: unknown): Assessment["unit"] {
  const u = strict(value, UNIT);
  const out: Obj = { id: id(u.id), name: text(u.name) };
  put(out, "level", optional(u, "level", text));
  return out as unknown as Assessment["unit"];
}

function finding(value: unknown): Finding {
  const f = strict(value, FINDING);
  const out: Obj = {};
  put(out, "id", optional(f, "id", text));
  out.points = points(f.points);
  put(out, "note", optional(f, "note", text));
  return out as unknown as Finding;
}

function factValue(value: unknown): boolean | number | string {
  return typeof value === "boolean" ? value : numberInput(value);
}

/** One indicator input: exactly one of `{ score }`, `{ findings }`, `{ facts }`. */
function indicatorInput(value: unknown): IndicatorInput {
  const input = object(value);
  let single: string | undefined;
  for (const key in input) {
    if (single !== undefined) refuse();
    single = key;
  }
  if (single === "score") return { score: numberInput(input.score) };
  if (single === "findings") return { findings: list(input.findings, finding) };
  if (single !== "facts") refuse();
  const facts = object(input.facts);
  const out: Record<string, boolean | number | string> = {};
  for (const key of recordKeys(facts)) out[key] = factValue(facts[key]);
  return { facts: out };
}

function event(value: unknown): DeductionEvent {
  const e = strict(value, EVENT);
  const out: Obj = { matter: text(e.matter), clause: id(e.clause) };
  put(out, "note", optional(e, "note", text));
  return out as unknown as DeductionEvent;
}

function discretionary(value: unknown): { points: number | string; reason: string } {
  const d = strict(value, DISCRETIONARY);
  return { points: points(d.points), reason: text(d.reason) };
}

function severe(value: unknown): SevereCase {
  const s = strict(value, SEVERE);
  const out: Obj = { reason: text(s.reason) };
  put(out, "scaleReturnToPoverty", optional(s, "scaleReturnToPoverty", bool));
  put(out, "seriousMatters", optional(s, "seriousMatters", (v) => list(v, text)));
  put(out, "discretionary", optional(s, "discretionary", (v) => list(v, discretionary)));
  return out as unknown as SevereCase;
}

/**
 * Reads an assessment that is plainly valid in one walk, or returns `undefined` for the full
 * checks to report on (see the note above).
 *
 * @param input - The assessment, as data.
 * @returns The assessment as `AssessmentSchema` parses it, or `undefined`.
 */
export function readAssessment(input: unknown): Assessment | undefined {
  try {
    const a = strict(input, ASSESSMENT);
    const out: Obj = {};
    put(out, "$comment", optional(a, "$comment", anyString));
    out.unit = unit(a.unit);
    put(out, "period", optional(a, "period", text));
    const given = object(a.indicators);
    const indicators: Record<string, IndicatorInput> = {};
    for (const key of recordKeys(given)) indicators[key] = indicatorInput(given[key]);
    out.indicators = indicators;
    put(out, "deductions", optional(a, "deductions", (v) => list(v, event)));
    put(out, "severe", optional(a, "severe", severe));
    return out as unknown as Assessment;
  } catch (error) {
    if (error === REFUSED) return undefined;
    throw error;
  }
}
