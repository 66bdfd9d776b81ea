import type { KaoheIssue } from "../internal/errors";
import type { FrameworkDiff } from "../model/diff";
import type { Framework } from "../model/framework";
import type { Assessment } from "./assessment";

const INPUT_FOR: Readonly<Record<string, string>> = { manual: "score", findings: "findings", rule: "facts" };
const METHOD_ZH: Readonly<Record<string, string>> = { manual: "实地考核评分", findings: "扣完为止", rule: "规则", deductions: "扣分项" };

/**
 * Explains what of an assessment no longer fits a framework of another year (or another level):
 * indicators it scores that were removed or given a new id, indicators added since, inputs whose
 * kind no longer fits a changed scoring method, deduction clauses removed. Each issue says what the
 * diff found; without a diff the same checks run and report plainly.
 *
 * @param assessment - The assessment, written for the framework `diff.from` describes.
 * @param framework - The framework it is to be scored against (`diff.to`).
 * @param diff - `diffFrameworks(from, framework)`, to explain each misfit by what changed.
 * @returns The issues, in the assessment's order then the framework's; empty when it fits.
 * @example
 * ```ts
 * import { jiangxi2025 } from "kaohe";
 * import { checkAssessmentFit, deriveFramework, diffFrameworks } from "kaohe/authoring";
 * const next = deriveFramework(jiangxi2025, { id: "jiangxi2026", year: 2026, indicators: { i8: null } });
 * const assessment = { unit: { id: "u", name: "某市" }, indicators: { i8: { score: 5 } } };
 * checkAssessmentFit(assessment, next, diffFrameworks(jiangxi2025, next))[0]?.zh;
 * //=> "指标 i8「财政衔接推进乡村振兴补助资金使用管理情况」在 jiangxi2026（2026）中已删除，其考核数据不再计分"
 * ```
 */
export function checkAssessmentFit(assessment: Pick<Assessment, "indicators" | "deductions">, framework: Framework, diff?: FrameworkDiff): KaoheIssue[] {
  const issues: KaoheIssue[] = [];
  const indicators = framework.categories.flatMap((c) => c.indicators);
  const byId = new Map(indicators.map((i) => [i.id, i]));
  const where = `${framework.id}（${framework.year}）`;
  const whereEn = `${framework.id} (${framework.year})`;
  for (const [id, input] of Object.entries(assessment.indicators)) {
    const indicator = byId.get(id);
    const path = ["indicators", id];
    if (!indicator) {
      const renamed = Object.entries(diff?.matches ?? {}).find(([, m]) => m.fromId === id);
      const removed = diff?.indicators.find((d) => d.kind === "removed" && d.from?.id === id)?.from;
      if (renamed) {
        const [toId, { match }] = renamed;
        issues.push({ code: "indicator_id_changed", path, message: `indicator ${id} is ${toId} in ${whereEn} (matched by ${match.replace(/_/g, " ")}): move its input there`, zh: `指标 ${id} 在 ${where}中编号为 ${toId}，请将其考核数据移至 ${toId}` });
      } else if (removed) {
        issues.push({ code: "indicator_removed", path, message: `indicator ${id} "${removed.name}" was removed in ${whereEn}; its input no longer counts`, zh: `指标 ${id}「${removed.name}」在 ${where}中已删除，其考核数据不再计分` });
      } else {
        issues.push({ code: "unknown_indicator", path, message: `indicator ${id} is not in ${whereEn}`, zh: `指标 ${id} 不在 ${where}中` });
      }
      continue;
    }
    const expected = INPUT_FOR[indicator.scoring.method];
    const given = Object.keys(input)[0];
    if (expected !== undefined && given !== expected) {
      const change = diff?.indicators.find((d) => d.to?.id === id && d.method);
      const from = change?.method ? `, changed from ${change.method.from}` : "";
      const fromZh = change?.method ? `（由「${METHOD_ZH[change.method.from] ?? change.method.from}」改为「${METHOD_ZH[change.method.to] ?? change.method.to}」）` : "";
      issues.push({
        code: change ? "method_changed" : "input_mismatch",
        path,
        message: `indicator ${id} "${indicator.name}" is scored by ${indicator.scoring.method} in ${whereEn}${from}: it needs { ${expected} }, not { ${given} }`,
        zh: `指标 ${id}「${indicator.name}」在 ${where}中按「${METHOD_ZH[indicator.scoring.method]}」计分${fromZh}，需要 ${expected} 而非 ${given}`,
      });
    }
  }
  for (const indicator of indicators) {
    if (indicator.scoring.method === "deductions" || Object.hasOwn(assessment.indicators, indicator.id)) continue;
    const renamedFrom = diff?.matches[indicator.id];
    if (renamedFrom && renamedFrom.fromId !== indicator.id && Object.hasOwn(assessment.indicators, renamedFrom.fromId)) continue;
    const added = diff?.indicators.some((d) => d.kind === "added" && d.to?.id === indicator.id);
    issues.push({
      code: added ? "indicator_added" : "missing_input",
      path: ["indicators", indicator.id],
      message: added ? `indicator ${indicator.id} "${indicator.name}" is new in ${whereEn} and has no input` : `indicator ${indicator.id} "${indicator.name}" has no input`,
      zh: added ? `指标 ${indicator.id}「${indicator.name}」为 ${where}新增指标，缺少考核数据` : `指标 ${indicator.id}「${indicator.name}」缺少考核数据`,
    });
  }
  const clauses = new Set(framework.deductionClauses.map((c) => c.id));
  (assessment.deductions ?? []).forEach((event, index) => {
    if (clauses.has(event.clause)) return;
    const removed = diff?.clauses.find((c) => c.kind === "removed" && c.from?.id === event.clause)?.from;
    issues.push({
      code: removed ? "clause_removed" : "unknown_clause",
      path: ["deductions", index, "clause"],
      message: removed ? `deduction clause ${event.clause} "${removed.text}" was removed in ${whereEn}` : `deduction clause ${event.clause} is not in ${whereEn}`,
      zh: removed ? `扣分项 ${event.clause}「${removed.text}」在 ${where}中已删除` : `扣分项 ${event.clause} 不在 ${where}中`,
    });
  });
  return issues;
}
