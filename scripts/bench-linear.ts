/**
 * Scaling of the paths that were quadratic (issue 16, "No quadratic paths"):
 * `npx tsx scripts/bench-linear.ts [--rounds R]`.
 *
 * (1) scoring an assessment whose n deduction events all name one matter; (2) applying n
 * rectification events one by one, each to the problem the last one returned. Each is timed at n,
 * 2n and 4n (median of R rounds, default 3) and the script prints t(2n)/t(n) and t(4n)/t(n): about
 * 2 and 4 for linear work, 4 and 16 for quadratic. For comparison, (1) also scores n distinct
 * matters, the case that was always fast.
 */
import { applyRectificationEvent, jiangxi2025, scoreAssessment, withMethods, withPoints, type RectificationEvent, type RectificationProblem, type AssessmentInput } from "../src/index";
import { median, option } from "./bench-util";

const rounds = option("--rounds", 3);

function time(run: () => void): number {
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return median(times);
}

const points = { i1: 10, i2: 12, i3: 8, i4: 10, i5: 6, i6: 4, i7: 12, i8: 6, i9: 8, i10: 8, i11: 8, i12: 8 };
const framework = withPoints(withMethods(jiangxi2025, { i9: "findings" }), points, { total: 100 });
const clauses = framework.deductionClauses.map((c) => c.id);

function assessment(n: number, oneMatter: boolean): AssessmentInput {
  const indicators: Record<string, unknown> = {};
  for (const [id, value] of Object.entries(points)) indicators[id] = { score: value };
  indicators.i9 = { findings: [] };
  indicators.i10 = { facts: { wholeTownshipOrVillageRisk: false } };
  indicators.i11 = { facts: { growth: 7, provinceGrowth: 6.5, nationalGrowth: 6.6 } };
  const deductions = Array.from({ length: n }, (_, i) => ({ matter: oneMatter ? "同一事项" : `事项${i}`, clause: clauses[i % clauses.length] as string, note: `第${i}次` }));
  return { unit: { id: "u", name: "某市" }, indicators, deductions } as AssessmentInput;
}

function rectificationEvents(n: number): RectificationEvent[] {
  const events: RectificationEvent[] = [{ type: "start", on: "2025-03-05" }];
  while (events.length < n) {
    events.push(events.length % 2 === 1 ? { type: "complete", on: "2025-06-30" } : { type: "send-back", on: "2025-06-30", reasons: ["整改不彻底"] });
  }
  return events;
}

const problem: RectificationProblem = {
  id: "p1",
  title: "监测帮扶不及时",
  origin: { kind: "provincial-assessment", year: 2024 },
  unit: "town-01",
  foundOn: "2025-03-01",
  targetOn: "2025-10-31",
  state: "待整改",
  history: [],
};

function report(name: string, base: number, measure: (n: number) => number): void {
  const [t1, t2, t4] = [base, 2 * base, 4 * base].map(measure) as [number, number, number];
  console.log(`${name}`);
  console.log(`  n = ${base.toLocaleString("en")}: ${t1.toFixed(0)} ms;  2n: ${t2.toFixed(0)} ms;  4n: ${t4.toFixed(0)} ms`);
  console.log(`  t(2n)/t(n) = ${(t2 / t1).toFixed(2)};  t(4n)/t(n) = ${(t4 / t1).toFixed(2)}  (linear: 2 and 4; quadratic: 4 and 16)`);
}

console.log(`Node ${process.version}; median of ${rounds} rounds.\n`);
report("deduction events naming one matter (scoreAssessment)", 25_000, (n) => {
  const input = assessment(n, true);
  return time(() => scoreAssessment(framework, input));
});
report("deduction events naming distinct matters (scoreAssessment), for comparison", 25_000, (n) => {
  const input = assessment(n, false);
  return time(() => scoreAssessment(framework, input));
});
report("rectification events applied one by one (applyRectificationEvent), up to MAX_RECTIFICATION_HISTORY", 250, (n) => {
  const events = rectificationEvents(n);
  return time(() => events.reduce((p, e) => applyRectificationEvent(p, e), problem));
});
