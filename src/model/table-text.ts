import type { Policy } from "./framework";
import { foldCell } from "./table";

/** The columns of an indicator table kaohe knows, by role. */
export type ColumnRole =
  | "category"
  | "code"
  | "indicator"
  | "content"
  | "criteria"
  | "sources"
  | "points"
  | "method"
  | "source"
  | "id";

/** The header names each role is matched by (after folding full-width forms and dropping spaces). */
export const DEFAULT_COLUMN_NAMES: Readonly<Record<ColumnRole, readonly string[]>> = {
  category: ["类别", "一级指标", "考核类别", "考核项目"],
  code: ["序号"],
  indicator: ["指标", "二级指标", "考核指标", "指标名称"],
  content: ["内容", "考核内容", "指标内容", "考核内容及评分标准"],
  criteria: ["评分标准", "评分细则", "考核标准"],
  sources: ["数据来源", "责任单位", "牵头单位", "考核部门"],
  points: ["分值", "权重", "分数"],
  method: ["评分方法", "计分方法", "评分办法"],
  source: ["出处"],
  id: ["编号"],
};

/** A header cell folded for matching: full-width forms folded, spaces and a bracketed unit dropped. */
export function headerKey(value: unknown): string {
  return foldCell(value).replace(/[(（][^)）]*[)）]$/, "");
}

/** The words that mark the total row (合计). */
export function isTotalLabel(value: unknown): boolean {
  return /^(合计|总计|总分)$/.test(foldCell(value));
}

/** The label of the on-site assessment among the data sources. */
export const ON_SITE_LABEL = "实地考核";

/** Splits a 数据来源 cell into names: by 、，,；;/ and line breaks. */
export function splitSources(text: string): string[] {
  return text
    .split(/[、，,；;/\n]+/)
    .map((s) => s.replace(/[\s\u3000]+/g, "").replace(/[。.]$/, ""))
    .filter((s) => s !== "");
}

/** What a deduction sentence says about its points per item. */
export type ClausePoints = { readonly points: string } | { readonly unreadable: true };

const POINTS_PHRASE = /[，,、]?\s*(?:每(?:发现)?(?:一)?[项例次个处起件户人]?)?\s*扣\s*([0-9.]+)\s*分(?:\s*[，,；;。]?\s*扣完为止)?[；;。]?$/;

/**
 * Reads the points per item of a deduction sentence: "每项扣 1 分", "每例扣0.5分", "扣 0.8 分", with
 * full-width digits folded. A sentence that deducts (扣 … 分) without a readable number is
 * `unreadable`, never guessed; one that deducts nothing is `undefined`.
 */
export function readClausePoints(sentence: string): ClausePoints | undefined {
  const folded = sentence.normalize("NFKC");
  const match = POINTS_PHRASE.exec(folded);
  if (match && /^\d+(\.\d+)?$/.test(match[1] ?? "")) return { points: String(match[1]) };
  return /扣.*分/.test(folded) ? { unreadable: true } : undefined;
}

/** The condition of a deduction sentence: its words without numbering and the points phrase. */
export function clauseCondition(sentence: string): string {
  const folded = sentence.normalize("NFKC");
  const match = POINTS_PHRASE.exec(folded);
  // Cut the original (not the folded) text at the same place: NFKC keeps the length of CJK text
  // but may change it for other forms, so cut by the phrase's length from the end.
  const cut = match ? sentence.slice(0, sentence.length - (folded.length - match.index)) : sentence;
  return stripNumbering(cut).replace(/[，,；;。\s\u3000]+$/, "");
}

/** Drops an item's numbering: "1.", "（1）", "(a)", "①". */
export function stripNumbering(text: string): string {
  return text.replace(/^[\s\u3000]*(?:[(（][0-9a-z一二三四五六七八九十]+[)）]|[0-9]+[.、．]|[①-⑳])\s*/u, "").trim();
}

/** The policy a sentence states, if any. */
export function policyKind(sentence: string): Policy["kind"] | undefined {
  const folded = foldCell(sentence);
  if (/同一(事项|问题).*就高/.test(folded)) return "same_matter_highest";
  if (/严重的?.*(另行|酌情|降档|降级)/.test(folded)) return "severe_case";
  return undefined;
}

/**
 * Splits a multi-line or multi-sentence cell into its sentences: at line breaks and after 。；;.
 * Each keeps its own terminator; blank ones are left out.
 */
export function splitSentences(text: string): string[] {
  return text
    .split(/\n|(?<=[。；;])/)
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** Scoring methods as a table writes them, and the words each is read from. */
export const METHOD_LABELS: Readonly<Record<"manual" | "findings" | "rule" | "deductions", readonly string[]>> = {
  manual: ["实地考核评分", "评分", "manual", "直接评分", "综合评分"],
  findings: ["扣完为止", "findings", "逐项扣分"],
  rule: ["规则", "rule", "规则计分"],
  deductions: ["扣分项", "deductions", "负面扣分"],
};

/** The method a 计分方法 cell names, or `undefined`. */
export function readMethod(value: unknown): keyof typeof METHOD_LABELS | undefined {
  const key = foldCell(value).toLowerCase();
  for (const [method, labels] of Object.entries(METHOD_LABELS)) {
    if (labels.includes(key)) return method as keyof typeof METHOD_LABELS;
  }
  return undefined;
}
