import { amountText, compare, toAmount, type Amount } from "./amount";
import type { GradeBand } from "../model/framework";
import type { TraceEntry } from "./result";

/** The grade of a total and the trace behind it. */
export interface GradeOutcome {
  /** The grade, or `null` when the total reaches no band's minimum (see docs/decisions/0601). */
  readonly grade: { base: string; final: string; downgraded: boolean; alreadyLowest: boolean } | null;
  readonly trace: TraceEntry[];
}

/**
 * Finds the highest band whose minimum the (rounded) total reaches. A grade is only ever a band
 * whose minimum the total reaches: a total below every minimum (bands that do not start at 0) gets
 * no grade, and the trace says why, rather than the lowest band it did not reach. A downgrade
 * (降档) moves one band lower; the lowest stays lowest and the result says so.
 */
export function gradeTotal(total: Amount, bands: readonly GradeBand[], downgrade: boolean): GradeOutcome {
  const trace: TraceEntry[] = [];
  const index = bands.findIndex((band) => compare(total, toAmount(band.min)) >= 0);
  const lowestBand = bands[bands.length - 1];
  if (index === -1) {
    const min = amountText(toAmount(lowestBand?.min ?? 0));
    trace.push({ kind: "grade", message: `总分 ${amountText(total)} 低于最低一档「${lowestBand?.grade ?? ""}」的最低分 ${min}，不定等次` });
    return { grade: null, trace };
  }
  const band = bands[index] as GradeBand;
  trace.push({ kind: "grade", message: `总分 ${amountText(total)} 达到「${band.grade}」档（不低于 ${amountText(toAmount(band.min))} 分）` });
  const base = band.grade;
  if (!downgrade) return { grade: { base, final: base, downgraded: false, alreadyLowest: false }, trace };
  const lowest = index === bands.length - 1;
  const final = bands[Math.min(index + 1, bands.length - 1)]?.grade ?? base;
  trace.push({
    kind: "downgrade",
    message: lowest ? `降档处理：「${base}」已是最低档，维持「${base}」` : `降档处理：由「${base}」降为「${final}」`,
  });
  return { grade: { base, final, downgraded: !lowest, alreadyLowest: lowest }, trace };
}
