import { toExact } from "../internal/decimal";
import { compareCodePoints } from "./digest";
import type { ScoreResult } from "./result";

/** One unit's place in a cohort ranking. */
export interface RankedResult {
  /** 1-based rank; units with equal totals share a rank, and the next rank skips (1, 2, 2, 4). */
  readonly rank: number;
  /** The unit's id. */
  readonly unitId: string;
  /** The unit's name. */
  readonly unitName: string;
  /** The total as the result gives it (rounded). */
  readonly total: string;
  /** The final grade, when the result has one. */
  readonly grade: string | null;
  /** The full result. */
  readonly result: ScoreResult;
}

/**
 * Ranks a cohort of results (e.g. the 11 设区市 of a province) by rounded total, highest first.
 * Equal totals share a rank (competition ranking, 1-2-2-4) and are ordered by unit id.
 *
 * @param results - Results of one framework, one per unit.
 * @returns The ranking, in rank order.
 * @example
 * ```ts
 * import { rankResults } from "kaohe";
 * rankResults([]); //=> []
 * ```
 */
export function rankResults(results: readonly ScoreResult[]): RankedResult[] {
  const sorted = [...results].sort(
    (a, b) => toExact(b.total).comparedTo(toExact(a.total)) || compareCodePoints(a.unit.id, b.unit.id),
  );
  const ranked: RankedResult[] = [];
  sorted.forEach((result, index) => {
    const previous = ranked[index - 1];
    const tied = previous !== undefined && toExact(previous.total).equals(toExact(result.total));
    ranked.push({
      rank: tied ? previous.rank : index + 1,
      unitId: result.unit.id,
      unitName: result.unit.name,
      total: result.total,
      grade: result.grade?.final ?? null,
      result,
    });
  });
  return ranked;
}
