import { toExact, type ExactDecimal } from "../internal/decimal";
import type { GradeBand } from "../model/framework";
import type { TraceEntry } from "./result";

/** The grade of a total and the trace behind it. */
export interface GradeOutcome {
  readonly grade: { base: string; final: string; downgraded: boolean; alreadyLowest: boolean };
  readonly trace: TraceEntry[];
}

/**
 * Finds the highest band whose minimum the (rounded) total reaches; a total below every minimum
 * falls in the lowest band. A downgrade (降档) moves one band lower; the lowest stays lowest and
 * the result says so.
 */
export function gradeTotal(total: ExactDecimal, bands: readonly GradeBand[], downgrade: boolean): GradeOutcome {
  const trace: TraceEntry[] = [];
  let index = bands.findIndex((band) => total.greaterThanOrEqualTo(toExact(band.min)));
  if (index === -1) {
    index = bands.length - 1;
    trace.push({ kind: "grade", message: `总分 ${total.toFixed()} 低于各档最低分，定为最低档「${bands[index]?.grade}」` });
  } else {
    trace.push({ kind: "grade", message: `总分 ${total.toFixed()} 达到「${bands[index]?.grade}」档（不低于 ${toExact(bands[index]?.min ?? 0).toFixed()} 分）` });
  }
  const base = bands[index]?.grade ?? "";
  if (!downgrade) return { grade: { base, final: base, downgraded: false, alreadyLowest: false }, trace };
  const lowest = index === bands.length - 1;
  const final = bands[Math.min(index + 1, bands.length - 1)]?.grade ?? base;
  trace.push({
    kind: "downgrade",
    message: lowest ? `降档处理：「${base}」已是最低档，维持「${base}」` : `降档处理：由「${base}」降为「${final}」`,
  });
  return { grade: { base, final, downgraded: !lowest, alreadyLowest: lowest }, trace };
}
