import { readdirSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AssessmentSchema, type Assessment } from "../../src/scoring/assessment";
import { readAssessment } from "../../src/scoring/fast-read";
import { assessmentJson } from "../../src/scoring/canonical-json";
import { canonicalJson } from "../../src/scoring/digest";
import { checkInputStructure } from "../../src/model/read";
import { PARSE_OPTIONS } from "../../src/internal/zod";
import { readRepoJson } from "../helpers";

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const dir = "examples/jiangxi-2025/assessments";
const examples: Json[] = readdirSync(dir).map((f) => readRepoJson(`${dir}/${f}`));

/** What the full checks say: the schema's data when the schema and the structure walk accept the input. */
function fullChecks(input: unknown): { ok: true; data: unknown } | { ok: false } {
  const parsed = AssessmentSchema.safeParse(input, PARSE_OPTIONS);
  return parsed.success && checkInputStructure(input).length === 0 ? { ok: true, data: parsed.data } : { ok: false };
}

/** The fast read never accepts what the full checks refuse, and gives their data, key order included. */
function agrees(input: unknown): void {
  const fast = readAssessment(input);
  if (fast === undefined) return;
  const full = fullChecks(input);
  expect(full.ok).toBe(true);
  if (!full.ok) return;
  expect(fast).toStrictEqual(full.data);
  expect(JSON.stringify(fast)).toBe(JSON.stringify(full.data));
}

/** Every container of a value, with the key under which each child sits. */
function containers(value: Json, out: Json[] = []): Json[] {
  if (typeof value !== "object" || value === null) return out;
  out.push(value);
  for (const key of Object.keys(value)) containers(value[key], out);
  return out;
}

/** Odd values, made fresh for every edit: a shared instance would be mutated by later edits (and could come to contain itself). */
const weird = (): unknown[] => [
  undefined, null, "", " ", "0", "-0", "0.00", "1e3", "9.75", "-1", "0.5.5", "x", "__proto__", "i1", "好",
  0, -0, 1, -1, 0.25, 2 ** 53, 2 ** 54, Number.NaN, Number.POSITIVE_INFINITY, true, false, [], {}, [1], [{}],
  { score: 1 }, { score: "1", findings: [] }, { findings: [{ points: "0.5" }] }, { facts: { a: 1 } }, { facts: [] },
  { matter: "M", clause: "13a" }, { matter: "M", clause: "bad id" }, { points: 1, reason: "r" },
  new Date(0), Object.create(null), Object.assign(Object.create({ inherited: 1 }), { score: 1 }), [, { points: 1 }], // eslint-disable-line no-sparse-arrays
];
const WEIRD_COUNT = weird().length;
const KEYS = ["score", "findings", "facts", "id", "name", "level", "points", "note", "matter", "clause", "reason", "extra", "__proto__", "constructor", "prototype", "i99", "0", "$comment", "period", "severe", "deductions", "seriousMatters", "discretionary", "scaleReturnToPoverty"];

/** An edit: at the n-th container, set (or, for `undefined` with `remove`, delete) a key. */
const edit = fc.record({
  at: fc.nat(),
  key: fc.oneof(fc.constantFrom(...KEYS), fc.nat({ max: 12 }).map(String)),
  value: fc.oneof(fc.nat({ max: WEIRD_COUNT - 1 }).map((weirdAt) => ({ weirdAt })), fc.jsonValue({ maxDepth: 2 }).map((json) => ({ json }))),
  remove: fc.boolean(),
  own: fc.boolean(),
});

type EditValue = { weirdAt: number } | { json: unknown };

/** A fresh instance of an edit's value, so that no run sees what an earlier run mutated. */
function fresh(value: EditValue): unknown {
  return "weirdAt" in value ? weird()[value.weirdAt] : structuredClone(value.json);
}

function applyEdits(base: Json, edits: readonly { at: number; key: string; value: EditValue; remove: boolean; own: boolean }[]): Json {
  const copy = structuredClone(base);
  for (const edit of edits) {
    const e = { ...edit, value: fresh(edit.value) };
    const all = containers(copy);
    const target = all[e.at % all.length];
    const keys = Object.keys(target);
    if (e.remove && keys.length > 0) delete target[keys[e.at % keys.length] as string];
    // defineProperty makes an own key even of __proto__, as JSON.parse does.
    else if (e.own) Object.defineProperty(target, e.key, { value: e.value, enumerable: true, writable: true, configurable: true });
    else if (keys.length > 0) target[keys[e.at % keys.length] as string] = e.value;
  }
  return copy;
}

describe("the one-walk read of an assessment (fast path of scoreAssessment)", () => {
  it("reads every example assessment, as the schema does", () => {
    for (const example of examples) {
      expect(readAssessment(example)).toBeDefined();
      agrees(example);
    }
  });

  it("agrees with the full checks on every single change of a value or key of the examples", () => {
    let accepted = 0;
    let checked = 0;
    for (const example of examples) {
      const count = containers(example).length;
      for (let at = 0; at < count; at++) {
        const keys = Object.keys(containers(example)[at]);
        const edits = [
          ...keys.flatMap((key) => weird().map((value) => ({ key, value, own: true }))),
          ...keys.map((key) => ({ key, value: undefined, own: false })),
          ...KEYS.flatMap((key) => [{ key, value: "v", own: true }, { key, value: 1, own: true }, { key, value: {}, own: true }]),
        ];
        for (const e of edits) {
          const copy = structuredClone(example);
          const target = containers(copy)[at];
          if (e.own) Object.defineProperty(target, e.key, { value: e.value, enumerable: true, writable: true, configurable: true });
          else delete target[e.key];
          agrees(copy);
          checked++;
          if (readAssessment(copy) !== undefined) accepted++;
        }
      }
    }
    // Both ways are exercised: many changes keep the input valid, many do not.
    expect(accepted).toBeGreaterThan(checked / 20);
    expect(accepted).toBeLessThan(checked / 2);
  });

  it("never accepts what the schema or the structure walk refuses, and gives the schema's data", () => {
    fc.assert(
      fc.property(fc.nat({ max: examples.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 4 }), (which, edits) => {
        const input = applyEdits(examples[which], edits);
        agrees(input);
        // What the schema accepts is what gets digested: its canonical JSON, written from the shape, is canonicalJson's.
        const full = fullChecks(input);
        if (full.ok) expect(assessmentJson(full.data as Assessment)).toBe(canonicalJson(full.data));
      }),
      { numRuns: 3_000 },
    );
  });

  it("leaves to the full checks the inputs whose issues they report", () => {
    const base = examples[0];
    const refused: Json[] = [
      { ...base, bonus: 1 },
      { ...base, unit: { ...base.unit, id: "bad id" } },
      { ...base, indicators: { ...base.indicators, i1: { score: "1e3" } } },
      { ...base, indicators: { ...base.indicators, i1: { score: Number.NaN } } },
      { ...base, indicators: { ...base.indicators, i1: { score: 1, findings: [] } } },
      { ...base, period: undefined },
      { ...base, deductions: [, { matter: "M", clause: "13a" }] }, // eslint-disable-line no-sparse-arrays
      JSON.parse(`{"unit":{"id":"x","name":"某市"},"indicators":{"__proto__":{"score":1}}}`),
      { ...base, indicators: Object.assign({ [Symbol("s")]: { score: 1 } }, base.indicators) },
      { ...base, unit: Object.assign(Object.create(null), base.unit) },
    ];
    for (const input of refused) expect(readAssessment(input)).toBeUndefined();
    // The last one the schema accepts: refusing it only sends it down the full checks.
    expect(fullChecks(refused.at(-1)).ok).toBe(true);
  });
});
