import type { KaoheIssue } from "../internal/errors";
import type { DeductionClause, Framework } from "../model/framework";
import { ZERO, amountText, compare, plus, toAmount, type Amount } from "./amount";
import type { DeductionEvent } from "./assessment";
import { compareCodePoints } from "./digest";
import type { FrameworkIndex } from "./prepare";
import type { MatterResult, TraceEntry } from "./result";

/**
 * Zero-width characters that NFKC keeps but that no reader sees: zero-width space, non-joiner and
 * joiner, word joiner, and the byte-order mark (zero-width no-break space).
 */
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF]/g;
/** Runs of white space (after NFKC, which turns U+3000 and NBSP into spaces; \s covers the rest). */
const BLANKS = /\s+/g;

/**
 * The key under which a matter's name is compared: the same words are the same matter, however a
 * clerk typed them. Unicode NFKC (full-width digits and letters become ASCII, compatibility
 * ideographs such as U+F9D0 become their unified ideograph, decomposed accents are composed),
 * zero-width characters removed, white space (U+3000, NBSP, tabs, line breaks…) collapsed to one
 * space and trimmed. An empty key is a blank matter.
 *
 * @param name - A matter's name as written.
 * @returns The comparison key.
 * @example
 * ```ts
 * import { matterKey } from "kaohe";
 * matterKey("\u3000媒体曝光 2025\u00A0") === matterKey("媒体曝光　２０２５"); //=> true
 * matterKey("\u200B \n"); //=> ""
 * ```
 */
export function matterKey(name: string): string {
  // Invisible characters go first, so that NFKC composes what they separated (e, U+200B, U+0301).
  return name.replace(INVISIBLE, "").normalize("NFKC").replace(BLANKS, " ").trim();
}

/** Reports each deduction event whose matter is blank (empty once compared as {@link matterKey} says). */
export function checkMatterNames(events: readonly DeductionEvent[], issues: KaoheIssue[]): void {
  events.forEach((event, index) => {
    if (matterKey(event.matter) === "") {
      issues.push({
        code: "blank_matter",
        path: ["deductions", index, "matter"],
        message: `deduction event ${index} (clause "${event.clause}") names a blank matter ${JSON.stringify(event.matter)}: name the one thing that happened`,
        zh: `第 ${index + 1} 条扣分事项（扣分项 ${event.clause}）的事项名称为空白 ${JSON.stringify(event.matter)}：请写明发生的事项`,
      });
    }
  });
}

/** The canonical order of deduction events: by matter, clause and note. */
export function compareDeductionEvents(a: DeductionEvent, b: DeductionEvent): number {
  return compareCodePoints(a.matter, b.matter) || compareCodePoints(a.clause, b.clause) || compareCodePoints(a.note ?? "", b.note ?? "");
}

/** Orders deduction events canonically: by matter, clause and note. */
export function sortDeductionEvents(events: readonly DeductionEvent[]): DeductionEvent[] {
  return [...events].sort(compareDeductionEvents);
}

/** A clause as a result cites it, points as an exact decimal string (`pointsText`). */
function citeClause(clause: DeductionClause, pointsText: string): MatterResult["clause"] {
  return { id: clause.id, text: clause.text, points: pointsText, source: clause.source };
}

/** A clause's points, exact and as text, from the index (which holds every clause of the framework). */
function pointsOf(index: FrameworkIndex, clause: DeductionClause): { readonly exact: Amount; readonly text: string } {
  const known = index.clausePoints.get(clause.id);
  if (known !== undefined) return known;
  const exact = toAmount(clause.points);
  return { exact, text: amountText(exact) };
}

/** The matters' deductions: total, per matter the clause applied and those superseded, and trace. */
export interface MatterDeductions {
  readonly total: Amount;
  readonly matters: MatterResult[];
  readonly trace: TraceEntry[];
}

/** Reports each event that names a clause the framework does not have. */
export function checkDeductionEvents(framework: Framework, index: FrameworkIndex, events: readonly DeductionEvent[], issues: KaoheIssue[]): void {
  events.forEach((event, i) => {
    if (!index.clauses.has(event.clause)) {
      const known = [...index.clauses.keys()];
      issues.push({
        code: "unknown_clause",
        path: ["deductions", i, "clause"],
        message: `matter "${event.matter}" names deduction clause "${event.clause}", which framework ${framework.id} does not have (it has ${known.join(", ")})`,
        zh: `事项「${event.matter}」所写扣分项「${event.clause}」不在指标体系 ${framework.id} 中（现有扣分项：${known.join("、")}）`,
      });
    }
  });
}

/**
 * Groups events by matter; each matter deducts the highest points among its clauses
 * (同一事项按就高原则计算，不重复扣分). Matters are the same when their {@link matterKey} is; each is
 * shown by its first spelling in code-point order. A clause named twice for one matter counts once;
 * ties go to the clause first in the framework's order; different matters add. Matters are ordered
 * by key, in code-point order. `serious` holds matter keys. The events are in canonical order
 * ({@link sortDeductionEvents}), as the canonical assessment holds them.
 */
export function deductMatters(
  index: FrameworkIndex,
  events: readonly DeductionEvent[],
  serious: ReadonlySet<string>,
): MatterDeductions {
  const { clauseOrder: order, clauses, highestPolicy: policy } = index;
  // Grouped by key, each group in canonical order; linear in the number of events.
  const byMatter = new Map<string, DeductionEvent[]>();
  for (const event of events) {
    const key = matterKey(event.matter);
    const group = byMatter.get(key);
    if (group === undefined) byMatter.set(key, [event]);
    else group.push(event);
  }

  let total = ZERO;
  const matters: MatterResult[] = [];
  const trace: TraceEntry[] = [];
  for (const key of [...byMatter.keys()].sort(compareCodePoints)) {
    const matterEvents = byMatter.get(key) ?? [];
    // Shown as written: the first spelling in code-point order (the events are sorted by it).
    const matter = (matterEvents[0] as DeductionEvent).matter;
    const spellings = [...new Set(matterEvents.map((e) => e.matter))];
    const named = [...new Set(matterEvents.map((e) => e.clause))]
      .map((id) => clauses.get(id))
      .filter((c): c is DeductionClause => c !== undefined)
      .sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
    const applied = named.reduce((best, c) => (compare(pointsOf(index, c).exact, pointsOf(index, best).exact) > 0 ? c : best));
    const superseded = named.filter((c) => c !== applied);
    const { exact: points, text: pointsText } = pointsOf(index, applied);
    total = plus(total, points);
    matters.push({
      matter,
      clause: citeClause(applied, pointsText),
      points: pointsText,
      superseded: superseded.map((c) => citeClause(c, pointsOf(index, c).text)),
      notes: matterEvents.flatMap((e) => (e.note === undefined ? [] : [e.note])),
      serious: serious.has(key),
    });
    const also = spellings.length > 1 ? `（同一事项亦写作${spellings.slice(1).map((m) => `「${m}」`).join("")}）` : "";
    trace.push({
      kind: "deduction",
      message: `事项「${matter}」${also}：${applied.text}，扣 ${pointsText} 分（${applied.id}）`,
      source: applied.source,
    });
    for (const clause of superseded) {
      trace.push({
        kind: "superseded",
        message: `事项「${matter}」同时符合 ${clause.id}（${pointsOf(index, clause).text} 分），同一事项按就高原则计算，不重复扣分`,
        ...(policy ? { source: policy.source } : {}),
      });
    }
  }
  return { total, matters, trace };
}
