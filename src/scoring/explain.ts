import type { Lang } from "../internal/i18n";
import type { SourceRef } from "../model/primitives";
import type { ScoreResult, TraceEntry } from "./result";

/** One line of an explanation, with the source reference it rests on (when it rests on one). */
export interface ExplanationLine {
  /** Indentation level: 0 for headings, 1 for items, 2 for their steps. */
  readonly level: number;
  /** The line, in Chinese (or in English, when asked for). */
  readonly text: string;
  /** The document, part and item behind the line. */
  readonly source?: SourceRef;
}

/** Formats a source reference as 《document》part item. */
export function formatSourceRef(source: SourceRef): string {
  return `《${source.document}》${source.part} ${source.item}`;
}

/** Options of {@link explainResult}. */
export interface ExplainOptions {
  /** The language of the explanation: Chinese (the default) or English. Names stay as written. */
  readonly lang?: Lang;
}

type Template = readonly [TraceEntry["kind"], RegExp, (m: RegExpExecArray) => string];

/** The severe case's reasons, as the trace writes them, in English. */
function severeWhy(why: string): string {
  return why
    .split("；")
    .map((part) => (part === "发生规模性返贫" ? "a scale return to poverty" : part.replace(/^事项问题严重：/, "serious matters: ")))
    .join("; ");
}

/**
 * The scoring trace's messages (written in Chinese by the library) in English: one template per
 * sentence the library writes, the names, clause texts and reasons it quotes kept as written.
 */
const ENGLISH: readonly Template[] = [
  ["score", /^实地考核得分 (\S+) 分（满分 (\S+) 分）$/, (m) => `on-site score ${m[1]} of ${m[2]}`],
  ["finding", /^发现问题(?: (.*))?，扣 (\S+) 分$/, (m) => `finding${m[1] ? ` ${m[1]}` : ""}: ${m[2]} deducted`],
  ["exhausted", /^扣分合计 (\S+) 分，扣完为止，得 0 分$/, (m) => `deductions total ${m[1]}, which exhausts the points: score 0`],
  ["rule", /^([\s\S]*) 规则结果：([\s\S]*)$/, (m) => `${m[1]}: the rule gave ${m[2]}`],
  ["held", /^规则得数 (\S+) 超出 \[0, (\S+)\]，按 (\S+) 分计$/, (m) => `the rule gave ${m[1]}, outside [0, ${m[2]}]: scored ${m[3]}`],
  ["missing_as_zero", /^未提供考核输入，按选项 missingAsZero 计 0 分$/, () => "no input given: scored 0 (missing as zero)"],
  [
    "deduction",
    /^事项「(.*?)」(?:（同一事项亦写作((?:「[^」]*」)+)）)?：([\s\S]*)，扣 (\S+) 分（([^（）]*)）$/,
    (m) => `matter「${m[1]}」${m[2] ? ` (also written ${m[2]})` : ""}: ${m[3]}, ${m[4]} deducted (${m[5]})`,
  ],
  ["superseded", /^事项「(.*?)」同时符合 (\S+)（(\S+) 分），同一事项按就高原则计算，不重复扣分$/, (m) => `matter「${m[1]}」also meets ${m[2]} (${m[3]}): one matter is deducted once, under the higher clause`],
  ["severe_case", /^([\s\S]*)（([\s\S]*)）：降档处理，约谈提醒$/, (m) => `${severeWhy(m[1] ?? "")} (${m[2]}): downgrade and interview`],
  ["discretionary", /^另行酌情扣分 (\S+) 分：([\s\S]*)$/, (m) => `discretionary deduction of ${m[1]}: ${m[2]}`],
  ["total_held_at_zero", /^总分 (\S+) 低于 0，按 0 分计$/, (m) => `total ${m[1]} is below 0: held at 0`],
  ["grade", /^总分 (\S+) 低于最低一档「(.*)」的最低分 (\S+)，不定等次$/, (m) => `total ${m[1]} is below the lowest band「${m[2]}」(minimum ${m[3]}): no grade`],
  ["grade", /^总分 (\S+) 达到「(.*)」档（不低于 (\S+) 分）$/, (m) => `total ${m[1]} reaches band「${m[2]}」(minimum ${m[3]})`],
  ["downgrade", /^降档处理：「(.*)」已是最低档，维持「.*」$/, (m) => `downgrade: 「${m[1]}」 is already the lowest band and stays`],
  ["downgrade", /^降档处理：由「(.*)」降为「(.*)」$/, (m) => `downgrade: from「${m[1]}」to「${m[2]}」`],
];

/** A trace entry's message in a language; a message of no known sentence is kept as written. */
function traceText(entry: TraceEntry, lang: Lang): string {
  if (lang !== "en") return entry.message;
  for (const [kind, pattern, english] of ENGLISH) {
    if (kind !== entry.kind) continue;
    const m = pattern.exec(entry.message);
    if (m) return english(m);
  }
  return entry.message;
}

function step(entry: TraceEntry, lang: Lang, level = 2): ExplanationLine {
  return { level, text: traceText(entry, lang), ...(entry.source ? { source: entry.source } : {}) };
}

/**
 * Explains a result as readable lines, in Chinese or (with `{ lang: "en" }`) in English: each
 * indicator's score and why, each matter with the clause applied and those superseded, the severe
 * case, the total and the grade; each line carries the source reference it rests on. Both languages
 * state the same facts; names, clause texts and source references are domain labels and stay as
 * the framework writes them.
 *
 * @param result - A result of {@link scoreAssessment}.
 * @param options - `lang`: `"zh"` (the default) or `"en"`, chosen per call.
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
 * explainResult(result, { lang: "en" })[0]?.text; //=> "南昌市: total 88.00"
 * ```
 */
export function explainResult(result: ScoreResult, options: ExplainOptions = {}): ExplanationLine[] {
  const lang = options.lang ?? "zh";
  const en = lang === "en";
  const lines: ExplanationLine[] = [];
  const { grade } = result;
  const graded = grade ? (en ? `, grade「${grade.final}」` : `，等次「${grade.final}」`) : "";
  lines.push({ level: 0, text: en ? `${result.unit.name}: total ${result.total}${graded}` : `${result.unit.name} 考核结果：总分 ${result.total} 分${graded}` });
  for (const category of result.categories) {
    const share = `${category.score} / ${category.points}`;
    lines.push({ level: 0, text: en ? `${category.code}. ${category.name}: ${share}` : `${category.code}、${category.name}：${share} 分` });
    for (const indicator of category.indicators) {
      const first = indicator.trace[0];
      const scored = `${indicator.score} / ${indicator.points}`;
      lines.push({
        level: 1,
        text: en ? `${indicator.code}. ${indicator.name}: ${scored}` : `${indicator.code}. ${indicator.name}：${scored} 分`,
        ...(first?.source ? { source: first.source } : {}),
      });
      // A step cites its source only where it differs from the indicator's own.
      for (const entry of indicator.trace) {
        lines.push(entry.source === first?.source ? { level: 2, text: traceText(entry, lang) } : step(entry, lang));
      }
    }
  }
  lines.push({ level: 0, text: en ? `Negative matters: ${result.deductions.total} deducted` : `负面事项：扣 ${result.deductions.total} 分` });
  for (const entry of result.trace) {
    if (entry.kind === "deduction" || entry.kind === "superseded") lines.push(step(entry, lang, 1));
  }
  for (const entry of result.trace) {
    if (entry.kind !== "deduction" && entry.kind !== "superseded") lines.push(step(entry, lang, 1));
  }
  const sum = `${result.indicatorsTotal} − ${result.deductions.total} − ${result.discretionary.total} = ${result.exactTotal}`;
  const precision = result.framework.precision;
  lines.push({ level: 0, text: en ? `Total: ${sum}, rounded to ${precision} decimal place${precision === 1 ? "" : "s"}: ${result.total}` : `总分：${sum}，保留 ${precision} 位小数为 ${result.total} 分` });
  if (result.flags.downgrade) lines.push({ level: 0, text: en ? "Downgraded; interview (约谈提醒)" : "降档处理，约谈提醒", ...(result.severe?.source ? { source: result.severe.source } : {}) });
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
