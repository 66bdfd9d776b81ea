import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { safeScoreAssessment, scoreAssessment, type AssessmentInput } from "../../src/index";
import { exampleFramework } from "../helpers";

/*
 * "Exact means exact" (issue 16): totals are exact for inputs of any number of digits, and rounded
 * once, half up, at the end. The reference is deliberately simple: every decimal string is a BigInt
 * numerator over a power of ten, summed over a common denominator, rounded in integers.
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const framework = exampleFramework();
const manual = framework.categories.flatMap((c) => c.indicators).filter((i) => i.scoring.method === "manual");
const clausePoints = new Map(framework.deductionClauses.map((c) => [c.id, String(c.points)]));

/** A rational with a power-of-ten denominator: numerator / 10^scale. */
interface Rational {
  readonly n: bigint;
  readonly scale: number;
}

function rational(text: string): Rational {
  const negative = text.startsWith("-");
  const [whole = "0", fraction = ""] = (negative ? text.slice(1) : text).split(".");
  const n = BigInt(whole + fraction);
  return { n: negative ? -n : n, scale: fraction.length };
}

function align(a: Rational, scale: number): bigint {
  return a.n * 10n ** BigInt(scale - a.scale);
}

function add(a: Rational, b: Rational): Rational {
  const scale = Math.max(a.scale, b.scale);
  return { n: align(a, scale) + align(b, scale), scale };
}

function compare(a: Rational, b: Rational): number {
  const scale = Math.max(a.scale, b.scale);
  const d = align(a, scale) - align(b, scale);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/** Rounds a non-negative rational half up to two places and writes it as kaohe does ("85.00"). */
function roundTwo(a: Rational): string {
  const denominator = 10n ** BigInt(a.scale);
  const cents = (2n * a.n * 100n + denominator) / (2n * denominator);
  const text = cents.toString().padStart(3, "0");
  return `${text.slice(0, -2)}.${text.slice(-2)}`;
}

interface Case {
  readonly scores: readonly string[];
  readonly findings: readonly string[];
  readonly deductions: readonly { readonly matter: string; readonly clause: string }[];
}

function assessment(c: Case): AssessmentInput {
  const indicators: Json = {};
  manual.forEach((indicator, i) => (indicators[indicator.id] = { score: c.scores[i] }));
  indicators.i9 = { findings: c.findings.map((points) => ({ points })) };
  indicators.i10 = { facts: { wholeTownshipOrVillageRisk: false } };
  indicators.i11 = { facts: { growth: 7, provinceGrowth: 6.5, nationalGrowth: 6.6 } };
  return { unit: { id: "c", name: "某市" }, indicators, deductions: c.deductions } as AssessmentInput;
}

/** The reference total: Σ scores − Σ per-matter highest clause, held at 0, exact. */
function referenceTotal(c: Case): Rational {
  let total: Rational = { n: 0n, scale: 0 };
  for (const s of c.scores) total = add(total, rational(s));
  const i9 = framework.categories.flatMap((x) => x.indicators).find((i) => i.id === "i9");
  let deducted: Rational = { n: 0n, scale: 0 };
  for (const f of c.findings) deducted = add(deducted, rational(f));
  const left = add(rational(String(i9?.points)), { n: -deducted.n, scale: deducted.scale });
  total = add(total, compare(left, { n: 0n, scale: 0 }) > 0 ? left : { n: 0n, scale: 0 });
  total = add(total, rational(String(framework.categories.flatMap((x) => x.indicators).filter((i) => i.id === "i10" || i.id === "i11").reduce((s, i) => s + Number(i.points), 0))));
  const highest = new Map<string, Rational>();
  for (const { matter, clause } of c.deductions) {
    const points = rational(clausePoints.get(clause) as string);
    const known = highest.get(matter);
    if (known === undefined || compare(points, known) > 0) highest.set(matter, points);
  }
  for (const points of highest.values()) total = add(total, { n: -points.n, scale: points.scale });
  return compare(total, { n: 0n, scale: 0 }) < 0 ? { n: 0n, scale: 0 } : total;
}

const digits = (max: number) => fc.array(fc.constantFrom(..."0123456789"), { maxLength: max, size: "max" }).map((d) => d.join(""));
/** A decimal string in [0, points]: up to 60 fraction digits; sometimes a negative zero. */
const scoreOf = (points: number) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.tuple(fc.integer({ min: 0, max: points - 1 }), digits(60)).map(([w, f]) => (f === "" ? String(w) : `${w}.${f}`)) },
    { weight: 1, arbitrary: fc.constantFrom("-0", "-0.0", "-0.000", String(points), `${points}.000`) },
  );

describe("exact totals at any number of digits", () => {
  it("rounds a 49-digit score of 9.0049999… once, at the end: 85.00, never 85.01", () => {
    const scores = manual.map((i) => String(i.points));
    const at = manual.findIndex((i) => i.points === 10);
    scores[at] = `9.00${"4"}${"9".repeat(45)}`;
    const c: Case = { scores, findings: [], deductions: Array.from({ length: 14 }, (_, i) => ({ matter: `事项${i}`, clause: "13a" })) };
    const result = scoreAssessment(framework, assessment(c));
    expect(result.exactTotal).toBe(`85.004${"9".repeat(45)}`);
    expect(result.total).toBe("85.00");
    expect(roundTwo(referenceTotal(c))).toBe("85.00");
  });

  it("reads -0, \"-0\" and \"-0.0\" as zero, not out of range", () => {
    for (const zero of [-0, "-0", "-0.0"]) {
      const scores: unknown[] = manual.map((i) => String(i.points));
      scores[0] = zero;
      const outcome = safeScoreAssessment(framework, { ...assessment({ scores: scores as string[], findings: [], deductions: [] }) });
      expect(outcome.success).toBe(true);
      const first = outcome.success ? outcome.data.categories.flatMap((x) => x.indicators).find((i) => i.id === manual[0]?.id) : undefined;
      expect(first?.score).toBe("0.00");
      expect(first?.exactScore).toBe("0");
    }
  });

  it("gives the reference's exact and rounded total for scores of up to 60 fraction digits (property)", () => {
    const clause = fc.constantFrom(...clausePoints.keys());
    fc.assert(
      fc.property(
        fc.tuple(...manual.map((i) => scoreOf(Number(i.points)))),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), digits(40)).map(([w, f]) => (f === "" ? `${w}.5` : `${w}.${f}1`)), { maxLength: 4 }),
        fc.array(fc.record({ matter: fc.constantFrom("甲", "乙", "丙"), clause }), { maxLength: 6 }),
        (scores, findings, deductions) => {
          const c: Case = { scores, findings, deductions };
          const result = scoreAssessment(framework, assessment(c));
          const expected = referenceTotal(c);
          expect(compare(rational(result.exactTotal), expected)).toBe(0);
          expect(result.total).toBe(roundTwo(expected));
        },
      ),
      { numRuns: 300 },
    );
  });
});
