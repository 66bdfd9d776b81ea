import { pick, type Bilingual, type Lang } from "../internal/i18n";
import type { FieldDiff, FrameworkDiff, IndicatorDiff, IndicatorMatch, IndicatorSide } from "./diff";
import { renderTextDiff } from "./text-diff";

/** Options of {@link formatFrameworkDiff}. */
export interface FormatDiffOptions {
  /** The report's language: `"zh"` (the default) or `"en"`. */
  readonly lang?: "zh" | "en";
}

const MATCH: Readonly<Record<IndicatorMatch, Bilingual>> = {
  id: { zh: "按编号匹配", en: "matched by id" },
  code_and_name: { zh: "按序号和名称匹配", en: "matched by code and name" },
  name: { zh: "按名称匹配", en: "matched by name" },
  code: { zh: "按序号匹配", en: "matched by code" },
};

const METHOD: Readonly<Record<string, Bilingual>> = {
  manual: { zh: "实地考核评分", en: "manual" },
  findings: { zh: "扣完为止", en: "findings" },
  rule: { zh: "规则", en: "rule" },
  deductions: { zh: "扣分项", en: "deductions" },
};

const POLICY: Readonly<Record<string, Bilingual>> = {
  same_matter_highest: { zh: "就高原则", en: "same-matter-highest rule" },
  severe_case: { zh: "严重情形", en: "severe-case rule" },
};

const FIELD: Readonly<Record<FieldDiff["field"], Bilingual>> = {
  title: { zh: "标题", en: "title" },
  year: { zh: "年度", en: "year" },
  level: { zh: "层级", en: "level" },
  region: { zh: "地区", en: "region" },
  totalPoints: { zh: "合计", en: "total" },
  grades: { zh: "等次", en: "grade bands" },
  precision: { zh: "小数位数", en: "precision" },
};

const label = (s: IndicatorSide) => `${s.code}「${s.name}」`;
const none = (lang: Lang | undefined) => pick(lang, { zh: "无", en: "none" });
const show = (value: unknown, lang: Lang | undefined) => (value === undefined || value === null ? none(lang) : typeof value === "object" ? JSON.stringify(value) : String(value));

/**
 * Renders a framework diff as a report for a person: one heading, then a line per change, each
 * indicator saying how it was matched; Chinese by default, English with `lang: "en"`.
 *
 * @param diff - The result of `diffFrameworks`.
 * @param options - The language.
 * @returns The report's lines joined by newlines.
 * @example
 * ```ts
 * import { jiangxi2025 } from "kaohe";
 * import { deriveFramework, diffFrameworks, formatFrameworkDiff } from "kaohe/authoring";
 * const next = deriveFramework(jiangxi2025, { id: "jiangxi2026", year: 2026, indicators: { i8: null } });
 * formatFrameworkDiff(diffFrameworks(jiangxi2025, next)).split("\n").slice(1);
 * //=> ["  年度：2025 → 2026", "  删除指标 8「财政衔接推进乡村振兴补助资金使用管理情况」（三、工作落实）"]
 * ```
 */
export function formatFrameworkDiff(diff: FrameworkDiff, options: FormatDiffOptions = {}): string {
  const lang = options.lang;
  const t = (zh: string, en: string) => pick(lang, { zh, en });
  const lines = [t(`${diff.from.id}（${diff.from.year}）→ ${diff.to.id}（${diff.to.year}）`, `${diff.from.id} (${diff.from.year}) → ${diff.to.id} (${diff.to.year})`)];
  if (diff.same) lines.push(t("  两个指标体系相同", "  the two frameworks are the same"));
  for (const f of diff.fields) lines.push(`  ${pick(lang, FIELD[f.field])}${t("：", ": ")}${show(f.from, lang)} → ${show(f.to, lang)}`);
  for (const d of diff.indicators) lines.push(...indicatorLines(d, lang));
  for (const c of diff.clauses) {
    if (c.kind === "added" && c.to) lines.push(t(`  新增扣分项 ${c.to.id}「${c.to.text}」每项扣 ${c.to.points} 分`, `  clause added ${c.to.id} "${c.to.text}", ${c.to.points} per item`));
    else if (c.kind === "removed" && c.from) lines.push(t(`  删除扣分项 ${c.from.id}「${c.from.text}」`, `  clause removed ${c.from.id} "${c.from.text}"`));
    else if (c.from && c.to) {
      const how = c.match === "id" ? t("按编号匹配", "matched by id") : t("按条文匹配", "matched by text");
      lines.push(t(`  扣分项 ${c.to.id}（${how}）`, `  clause ${c.to.id} (${how})`));
      if (c.repointed) lines.push(t(`    每项扣分：${c.from.points} → ${c.to.points}`, `    points per item: ${c.from.points} → ${c.to.points}`));
      if (c.text) lines.push(t(`    条文：${renderTextDiff(c.text)}`, `    text: ${renderTextDiff(c.text)}`));
    }
  }
  for (const p of diff.policies) {
    const name = pick(lang, POLICY[p.policy] ?? { zh: p.policy, en: p.policy });
    if (p.kind === "added") lines.push(t(`  新增${name}：${p.to}`, `  ${name} added: ${p.to}`));
    else if (p.kind === "removed") lines.push(t(`  删除${name}：${p.from}`, `  ${name} removed: ${p.from}`));
    else lines.push(t(`  ${name}改为：${p.to}`, `  ${name} now reads: ${p.to}`));
  }
  return lines.join("\n");
}

function indicatorLines(d: IndicatorDiff, lang: Lang | undefined): string[] {
  const t = (zh: string, en: string) => pick(lang, { zh, en });
  const category = (s: IndicatorSide) => `${s.category.code}、${s.category.name}`;
  if (d.kind === "added" && d.to) return [t(`  新增指标 ${label(d.to)}（${category(d.to)}）`, `  indicator added ${label(d.to)} (${category(d.to)})`)];
  if (d.kind === "removed" && d.from) return [t(`  删除指标 ${label(d.from)}（${category(d.from)}）`, `  indicator removed ${label(d.from)} (${category(d.from)})`)];
  if (!d.from || !d.to) return [];
  const lines = [t(`  指标 ${label(d.to)}（${pick(lang, MATCH[d.match ?? "id"])}）`, `  indicator ${label(d.to)} (${pick(lang, MATCH[d.match ?? "id"])})`)];
  const detail = (zh: string, en: string) => lines.push(`    ${t(zh, en)}`);
  if (d.idChanged) detail(`编号：${d.from.id} → ${d.to.id}`, `id: ${d.from.id} → ${d.to.id}`);
  if (d.renamed) detail(`更名：「${d.from.name}」→「${d.to.name}」`, `renamed: "${d.from.name}" → "${d.to.name}"`);
  if (d.renumbered) detail(`序号：${d.from.code} → ${d.to.code}`, `code: ${d.from.code} → ${d.to.code}`);
  if (d.moved) detail(`类别：${category(d.from)} → ${category(d.to)}`, `category: ${category(d.from)} → ${category(d.to)}`);
  if (d.content) detail(`内容：${renderTextDiff(d.content)}`, `content: ${renderTextDiff(d.content)}`);
  if (d.points) detail(`分值：${show(d.points.from, lang)} → ${show(d.points.to, lang)}`, `points: ${show(d.points.from, lang)} → ${show(d.points.to, lang)}`);
  if (d.method) {
    const m = (k: string) => pick(lang, METHOD[k] ?? { zh: k, en: k });
    detail(`计分方法：${m(d.method.from)} → ${m(d.method.to)}`, `scoring: ${m(d.method.from)} → ${m(d.method.to)}`);
  }
  if (d.onSite) detail(`实地考核：${d.onSite.from ? "是" : "否"} → ${d.onSite.to ? "是" : "否"}`, `on-site: ${d.onSite.from} → ${d.onSite.to}`);
  if (d.departments) {
    const { added, removed } = d.departments;
    if (added.length > 0) detail(`数据来源增加：${added.join("、")}`, `data sources added: ${added.join(", ")}`);
    if (removed.length > 0) detail(`数据来源减少：${removed.join("、")}`, `data sources removed: ${removed.join(", ")}`);
  }
  return lines;
}
