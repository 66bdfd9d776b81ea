import fc from "fast-check";
import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { jiangxi2025, scoreAssessment, withPoints, safeWithPoints, withMethods, digestJson, type ScoreResult } from "../../src/index";
import { compareCodePoints } from "../../src/scoring/digest";
import { assertValidResult, exampleFramework, exampleGrades } from "../helpers";

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const framework = exampleFramework();
const grades = exampleGrades();
const clauseIds = framework.deductionClauses.map((c) => c.id);

function fullMarks(): Json {
  const indicators: Json = {};
  for (const i of framework.categories.flatMap((c) => c.indicators)) {
    if (i.scoring.method === "manual") indicators[i.id] = { score: i.points };
  }
  indicators.i9 = { findings: [] };
  indicators.i10 = { facts: { wholeTownshipOrVillageRisk: false } };
  indicators.i11 = { facts: { growth: 7, provinceGrowth: 6.5, nationalGrowth: 6.6 } };
  return { unit: { id: "c", name: "某市" }, indicators };
}

describe("scoring semantics (DESIGN.md, 1–9)", () => {
  describe("1. points", () => {
    it("refuses to score a framework without points, never a silent 0", () => {
      expect(() => scoreAssessment(jiangxi2025, fullMarks())).toThrow(/missing_points/);
    });

    it("withPoints returns a validated copy and leaves the original untouched", () => {
      const before = JSON.stringify(jiangxi2025);
      expect(framework.totalPoints).toBe("100");
      expect(JSON.stringify(jiangxi2025)).toBe(before);
    });

    it("withPoints reports unknown ids, missing indicators and a wrong total", () => {
      const points = { i1: 10, i99: 1 };
      const outcome = safeWithPoints(jiangxi2025, points);
      const codes = outcome.success ? [] : outcome.error.issues.map((i) => i.code);
      expect(codes).toContain("unknown_indicator");
      expect(codes.filter((c) => c === "missing_points")).toHaveLength(11);
      const all = Object.fromEntries(framework.categories.flatMap((c) => c.indicators).filter((i) => i.points !== undefined).map((i) => [i.id, i.points ?? 0]));
      expect(() => withPoints(jiangxi2025, all, { total: 99 })).toThrow(/add up to 100, not the declared total 99/);
      expect(() => withPoints(jiangxi2025, { ...all, i13: 1 })).toThrow(/points_on_deductions_indicator/);
      expect(() => withPoints(jiangxi2025, { ...all, i1: "0" })).toThrow(/invalid_points/);
    });

    it("withMethods switches only manual and findings indicators", () => {
      expect(() => withMethods(jiangxi2025, { i11: "findings" })).toThrow(/method_not_switchable/);
      expect(() => withMethods(jiangxi2025, { i77: "manual" })).toThrow(/unknown_indicator/);
    });
  });

  describe("2. indicator scores by method", () => {
    it("holds a rule's number within [0, points] and says so in the trace", () => {
      const base = structuredClone(framework) as Json;
      base.categories[3].indicators[1].scoring.rule = { "-": [{ var: "growth" }, 100] };
      const result = scoreAssessment(base, fullMarks());
      const i11 = result.categories[3]?.indicators[1];
      expect(i11?.score).toBe("0.00");
      expect(i11?.trace.map((t) => t.kind)).toEqual(["rule", "held"]);
    });

    it("refuses a rule that gives neither a boolean nor a number", () => {
      const base = structuredClone(framework) as Json;
      base.categories[3].indicators[1].scoring.rule = { cat: ["a", { var: "growth" }] };
      expect(() => scoreAssessment(base, fullMarks())).toThrow(/rule_result_invalid/);
    });

    it("refuses an unsafe rule in a framework before scoring", () => {
      const base = structuredClone(framework) as Json;
      base.categories[3].indicators[1].scoring.rule = { method: [{ var: "growth" }, "toString"] };
      expect(() => scoreAssessment(base, fullMarks())).toThrow(/framework\.categories\[3\]\.indicators\[1\]\.scoring\.rule: 指标 11.*"method" is refused.*\[unsafe_operator\]/);
    });
  });

  describe("3. deductions", () => {
    it("deducts per matter the highest clause; ties go to the first clause of the framework", () => {
      const a = fullMarks();
      a.deductions = [{ matter: "M", clause: "13g" }, { matter: "M", clause: "13a" }];
      const result = scoreAssessment(framework, a);
      expect(result.deductions.matters[0]?.clause.id).toBe("13a");
      expect(result.deductions.matters[0]?.superseded.map((c) => c.id)).toEqual(["13g"]);
    });
  });

  describe("5. exact arithmetic", () => {
    it("never changes decimal.js's global settings", () => {
      const before = { precision: Decimal.precision, rounding: Decimal.rounding };
      scoreAssessment(framework, fullMarks());
      expect({ precision: Decimal.precision, rounding: Decimal.rounding }).toEqual(before);
    });
  });

  describe("7. determinism", () => {
    it("carries SHA-256 digests of the canonical framework and assessment", () => {
      const result = scoreAssessment(framework, fullMarks());
      expect(result.digests.framework).toBe(digestJson(framework));
      expect(result.digests.framework).toMatch(/^[0-9a-f]{64}$/);
      expect(digestJson({ b: 1, a: [1, "x"] })).toBe(digestJson({ a: [1, "x"], b: 1 }));
      // SHA-256 of the canonical text {"a":1}, checked with another implementation (sha256sum).
      expect(digestJson({ a: 1 })).toBe("015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862");
    });
  });
});

/** An arbitrary assessment of the example framework: scores, findings, facts and deductions. */
const arbitraryAssessment = fc
  .record({
    scores: fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 9, maxLength: 9 }),
    findings: fc.array(fc.record({ id: fc.constantFrom("F1", "F2", "F3"), points: fc.integer({ min: 1, max: 30 }) }), { maxLength: 5 }),
    growth: fc.integer({ min: 0, max: 100 }),
    risk: fc.boolean(),
    deductions: fc.array(fc.record({ matter: fc.constantFrom("甲", "乙", "丙", "a", "𠀋"), clause: fc.constantFrom(...clauseIds) }), { maxLength: 8 }),
  })
  .map(({ scores, findings, growth, risk, deductions }) => {
    const a = fullMarks();
    const manual = framework.categories.flatMap((c) => c.indicators).filter((i) => i.scoring.method === "manual");
    manual.forEach((indicator, k) => {
      const max = new Decimal(indicator.points ?? 0);
      a.indicators[indicator.id] = { score: max.times(scores[k] ?? 0).dividedBy(40).toDecimalPlaces(2).toFixed() };
    });
    a.indicators.i9 = { findings: findings.map((f) => ({ id: f.id, points: new Decimal(f.points).dividedBy(10).toFixed() })) };
    a.indicators.i10 = { facts: { wholeTownshipOrVillageRisk: risk } };
    a.indicators.i11 = { facts: { growth: growth / 10, provinceGrowth: 6.5, nationalGrowth: 6.6 } };
    a.deductions = deductions;
    return a;
  });

function shuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function score(a: Json): ScoreResult {
  return scoreAssessment(framework, a, { grades });
}

describe("scoring properties", () => {
  it("gives JSON-identical results for any reordering of deductions, findings and fact keys", () => {
    fc.assert(
      fc.property(arbitraryAssessment, fc.nat(), (a, seed) => {
        const b = structuredClone(a);
        b.deductions = shuffle(b.deductions, seed);
        b.indicators.i9.findings = shuffle(b.indicators.i9.findings, seed + 1);
        b.indicators.i11.facts = Object.fromEntries(shuffle(Object.entries(b.indicators.i11.facts), seed + 2));
        b.indicators = Object.fromEntries(shuffle(Object.entries(b.indicators), seed + 3));
        expect(JSON.stringify(score(b))).toBe(JSON.stringify(score(a)));
      }),
      { numRuns: 150 },
    );
  });

  it("never raises the total when a deduction event is added", () => {
    fc.assert(
      fc.property(arbitraryAssessment, fc.constantFrom("甲", "新"), fc.constantFrom(...clauseIds), (a, matter, clause) => {
        const more = structuredClone(a);
        more.deductions.push({ matter, clause });
        expect(new Decimal(score(more).exactTotal).lessThanOrEqualTo(score(a).exactTotal)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it("changes nothing when a lower clause is added to a matter", () => {
    fc.assert(
      fc.property(arbitraryAssessment, (a) => {
        const withTop = structuredClone(a);
        withTop.deductions.push({ matter: "甲", clause: "13a" });
        const withLower = structuredClone(withTop);
        withLower.deductions.push({ matter: "甲", clause: "13h" });
        const strip = (r: ScoreResult) => ({ ...r, digests: null, deductions: { ...r.deductions, matters: r.deductions.matters.map((m) => ({ ...m, superseded: [] })) }, trace: r.trace.filter((t) => t.kind !== "superseded") });
        expect(strip(score(withLower))).toEqual(strip(score(withTop)));
      }),
      { numRuns: 100 },
    );
  });

  it("totals exactly Σ indicators − deductions − discretionary, held at 0, and validates against its JSON Schema", () => {
    fc.assert(
      fc.property(arbitraryAssessment, fc.boolean(), (a, severe) => {
        if (severe) a.severe = { reason: "严重", scaleReturnToPoverty: true, discretionary: [{ points: "3.3", reason: "酌情" }] };
        const result = score(a);
        const indicators = result.categories.flatMap((c) => c.indicators).reduce((s, i) => s.plus(i.exactScore), new Decimal(0));
        expect(indicators.toFixed()).toBe(result.indicatorsTotal);
        const expected = Decimal.max(indicators.minus(result.deductions.total).minus(result.discretionary.total), 0);
        expect(result.exactTotal).toBe(expected.toFixed());
        expect(result.total).toBe(expected.toFixed(2, Decimal.ROUND_HALF_UP));
        expect(result.flags.downgrade).toBe(severe);
        assertValidResult(result);
      }),
      { numRuns: 150 },
    );
  });
});

describe("compareCodePoints", () => {
  it("orders strings by code point, as a reference that splits into code points does", () => {
    const reference = (a: string, b: string): number => {
      const x = Array.from(a, (c) => c.codePointAt(0) ?? 0);
      const y = Array.from(b, (c) => c.codePointAt(0) ?? 0);
      for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
      return x.length - y.length;
    };
    const text = fc.string({ unit: fc.constantFrom("a", "z", "\uffff", "\ue000", "𠀋", "😀", "甲", "乙") });
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(Math.sign(compareCodePoints(a, b))).toBe(Math.sign(reference(a, b)));
      }),
      { numRuns: 2000 },
    );
  });
});
