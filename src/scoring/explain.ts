import type { SourceRef } from "../model/primitives";
import type { ScoreResult, TraceEntry } from "./result";

/** One line of an explanation, with the source reference it rests on (when it rests on one). */
export interface ExplanationLine {
  /** Indentation level: 0 for headings, 1 for items, 2 for their steps. */
  readonly level: number;
  /** The line, in Chinese. */
  readonly text: string;
  /** The document, part and item behind the line. */
  readonly source?: SourceRef;
}

/** Formats a source reference as 《document》part item. */
export function formatSourceRef(source: SourceRef): string {
  return `《${source.document}》${source.part} ${source.item}`;
}

function step(entry: TraceEntry, level = 2): ExplanationLine {
  return { level, text: entry.message, ...(entry.source ? { source: entry.source } : {}) };
}

/**
 * Explains a result as readable lines in Chinese: each indicator's score and why, each matter with
 * the clause applied and those superseded, the severe case, the total and the grade; each line
 * carries the source reference it rests on.
 *
 * @param result - A result of {@link scoreAssessment}.
 * @returns The lines, in reading order.
 * @example
 * ```ts
 * import { explainResult, jiangxi2025, scoreAssessment, withPoints } from "kaohe";
 * const ids = jiangxi2025.categories.flatMap((c) => c.indicators).filter((i) => i.code !== "13").map((i) => i.id);
 * const framework = withPoints(jiangxi2025, Object.fromEntries(ids.map((id) => [id, 8])));
 * const indicators = Object.fromEntries(ids.map((id) => [id, { score: 8 }]));
 * indicators.i10 = { facts: { wholeTownshipOrVillageRisk: false } };
 * indicators.i11 = { facts: { growth: 6.5, provinceGrowth: 6.4, nationalGrowth: 6.6 } };
 * const result = scoreAssessment(framework, { unit: { id: "nanchang", name: "南昌市" }, indicators });
 * explainResult(result)[0]?.text; //=> "南昌市 考核结果：总分 88.00 分"
 * ```
 */
export function explainResult(result: ScoreResult): ExplanationLine[] {
  const lines: ExplanationLine[] = [];
  const grade = result.grade ? `，等次「${result.grade.final}」` : "";
  lines.push({ level: 0, text: `${result.unit.name} 考核结果：总分 ${result.total} 分${grade}` });
  for (const category of result.categories) {
    lines.push({ level: 0, text: `${category.code}、${category.name}：${category.score} / ${category.points} 分` });
    for (const indicator of category.indicators) {
      const first = indicator.trace[0];
      lines.push({
        level: 1,
        text: `${indicator.code}. ${indicator.name}：${indicator.score} / ${indicator.points} 分`,
        ...(first?.source ? { source: first.source } : {}),
      });
      // A step cites its source only where it differs from the indicator's own.
      for (const entry of indicator.trace) {
        lines.push(entry.source === first?.source ? { level: 2, text: entry.message } : step(entry));
      }
    }
  }
  lines.push({ level: 0, text: `负面事项：扣 ${result.deductions.total} 分` });
  for (const entry of result.trace) {
    if (entry.kind === "deduction" || entry.kind === "superseded") lines.push(step(entry, 1));
  }
  for (const entry of result.trace) {
    if (entry.kind !== "deduction" && entry.kind !== "superseded") lines.push(step(entry, 1));
  }
  lines.push({ level: 0, text: `总分：${result.indicatorsTotal} − ${result.deductions.total} − ${result.discretionary.total} = ${result.exactTotal}，保留 ${result.framework.precision} 位小数为 ${result.total} 分` });
  if (result.flags.downgrade) lines.push({ level: 0, text: "降档处理，约谈提醒", ...(result.severe?.source ? { source: result.severe.source } : {}) });
  return lines;
}

/**
 * Renders explanation lines as text, each source reference in brackets at the end of its line.
 *
 * @param lines - Lines from {@link explainResult}.
 * @returns The text, one line per explanation line.
 * @example
 * ```ts
 * import { formatExplanation } from "kaohe";
 * formatExplanation([{ level: 1, text: "扣 1 分" }]); //=> "  扣 1 分"
 * ```
 */
export function formatExplanation(lines: readonly ExplanationLine[]): string {
  return lines.map((line) => `${"  ".repeat(line.level)}${line.text}${line.source ? ` 〔${formatSourceRef(line.source)}〕` : ""}`).join("\n");
}
