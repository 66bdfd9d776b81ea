import type { KaoheIssue } from "../internal/errors";
import { toExact, type ExactDecimal } from "../internal/decimal";
import type { DeductionClause, Framework, Policy } from "../model/framework";
import type { DeductionEvent } from "./assessment";
import { compareCodePoints } from "./digest";
import type { MatterResult, TraceEntry } from "./result";

/** Orders deduction events canonically: by matter, clause and note. */
export function sortDeductionEvents(events: readonly DeductionEvent[]): DeductionEvent[] {
  return [...events].sort(
    (a, b) =>
      compareCodePoints(a.matter, b.matter) ||
      compareCodePoints(a.clause, b.clause) ||
      compareCodePoints(a.note ?? "", b.note ?? ""),
  );
}

/** A clause as a result cites it, points as an exact decimal string. */
function citeClause(clause: DeductionClause): MatterResult["clause"] {
  return { id: clause.id, text: clause.text, points: toExact(clause.points).toFixed(), source: clause.source };
}

/** The matters' deductions: total, per matter the clause applied and those superseded, and trace. */
export interface MatterDeductions {
  readonly total: ExactDecimal;
  readonly matters: MatterResult[];
  readonly trace: TraceEntry[];
}

/** Reports each event that names a clause the framework does not have. */
export function checkDeductionEvents(framework: Framework, events: readonly DeductionEvent[], issues: KaoheIssue[]): void {
  const known = new Set(framework.deductionClauses.map((c) => c.id));
  events.forEach((event, index) => {
    if (!known.has(event.clause)) {
      issues.push({
        code: "unknown_clause",
        path: ["deductions", index, "clause"],
        message: `matter "${event.matter}" names deduction clause "${event.clause}", which framework ${framework.id} does not have (it has ${[...known].join(", ")})`,
      });
    }
  });
}

/**
 * Groups events by matter; each matter deducts the highest points among its clauses
 * (同一事项按就高原则计算，不重复扣分). A clause named twice for one matter counts once; ties go to the
 * clause first in the framework's order; different matters add. Matters are ordered by code point.
 */
export function deductMatters(
  framework: Framework,
  events: readonly DeductionEvent[],
  serious: ReadonlySet<string>,
): MatterDeductions {
  const order = new Map(framework.deductionClauses.map((c, i) => [c.id, i]));
  const clauses = new Map(framework.deductionClauses.map((c) => [c.id, c]));
  const policy: Policy | undefined = framework.policies.find((p) => p.kind === "same_matter_highest");
  const byMatter = new Map<string, DeductionEvent[]>();
  for (const event of sortDeductionEvents(events)) {
    byMatter.set(event.matter, [...(byMatter.get(event.matter) ?? []), event]);
  }

  let total = toExact(0);
  const matters: MatterResult[] = [];
  const trace: TraceEntry[] = [];
  for (const matter of [...byMatter.keys()].sort(compareCodePoints)) {
    const matterEvents = byMatter.get(matter) ?? [];
    const named = [...new Set(matterEvents.map((e) => e.clause))]
      .map((id) => clauses.get(id))
      .filter((c): c is DeductionClause => c !== undefined)
      .sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
    const applied = named.reduce((best, c) => (toExact(c.points).greaterThan(toExact(best.points)) ? c : best));
    const superseded = named.filter((c) => c !== applied);
    const points = toExact(applied.points);
    total = total.plus(points);
    matters.push({
      matter,
      clause: citeClause(applied),
      points: points.toFixed(),
      superseded: superseded.map(citeClause),
      notes: matterEvents.flatMap((e) => (e.note === undefined ? [] : [e.note])),
      serious: serious.has(matter),
    });
    trace.push({
      kind: "deduction",
      message: `事项「${matter}」：${applied.text}，扣 ${points.toFixed()} 分（${applied.id}）`,
      source: applied.source,
    });
    for (const clause of superseded) {
      trace.push({
        kind: "superseded",
        message: `事项「${matter}」同时符合 ${clause.id}（${toExact(clause.points).toFixed()} 分），同一事项按就高原则计算，不重复扣分`,
        ...(policy ? { source: policy.source } : {}),
      });
    }
  }
  return { total, matters, trace };
}
