import { isKaoheError, type KaoheIssue } from "../internal/errors";
import type { Framework, Indicator } from "../model/framework";
import { showValue } from "../model/issues";
import type { JsonLogicRule, PreparedRule } from "../rules/index";
import type { NumberInput } from "../model/primitives";
import { ZERO, amountText, compare, minus, plus, toAmount, type Amount } from "./amount";
import type { Finding, IndicatorInput } from "./assessment";
import { compareCodePoints } from "./digest";
import type { TraceEntry } from "./result";

/** An indicator's exact score, the input used (canonical order) and how it was reached. */
export interface IndicatorScore {
  readonly score: Amount;
  /** The score as plain decimal text (`amountText(score)`). */
  readonly exact: string;
  readonly input: IndicatorInput | null;
  readonly trace: TraceEntry[];
}

/** Names an indicator as the document does: 指标 11「脱贫地区农村居民收入变化情况」. */
export function indicatorLabel(indicator: Indicator): string {
  return `指标 ${indicator.code}「${indicator.name}」`;
}

/** The path of each indicator in a framework, by id: `["categories", 2, "indicators", 5]`. */
export function indicatorPaths(framework: Framework): Map<string, (string | number)[]> {
  return new Map(
    framework.categories.flatMap((category, ci) =>
      category.indicators.map((indicator, ii): [string, (string | number)[]] => [indicator.id, ["categories", ci, "indicators", ii]]),
    ),
  );
}

const INPUT_OF = { manual: "score", findings: "findings", rule: "facts" } as const;

/** The canonical order of findings: by id, then points (numerically), then note. */
function compareFindings(a: Finding, b: Finding): number {
  return (
    compareCodePoints(a.id ?? "", b.id ?? "") ||
    compare(toAmount(a.points), toAmount(b.points)) ||
    compareCodePoints(String(a.points), String(b.points)) ||
    compareCodePoints(a.note ?? "", b.note ?? "")
  );
}

/** Tells whether a list is in the order `compare` gives (each item not after the next). */
export function inOrder<T>(items: readonly T[], compare: (a: T, b: T) => number): boolean {
  for (let i = 1; i < items.length; i++) if (compare(items[i - 1] as T, items[i] as T) > 0) return false;
  return true;
}

/** Orders findings canonically: by id, then points (numerically), then note. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compareFindings);
}

/**
 * The indicator inputs in canonical order (findings sorted): the record itself when every list of
 * findings is in that order already, which is the common case and copies nothing.
 */
export function canonicalIndicators(indicators: Record<string, IndicatorInput>): Record<string, IndicatorInput> {
  let copy: Record<string, IndicatorInput> | undefined;
  for (const id of Object.keys(indicators)) {
    const input = indicators[id] as IndicatorInput;
    if (!("findings" in input) || inOrder(input.findings, compareFindings)) continue;
    copy ??= { ...indicators };
    copy[id] = { findings: sortFindings(input.findings) };
  }
  return copy ?? indicators;
}

/**
 * Scores one indicator from its input, or reports why it cannot: the input does not fit the
 * method, a manual score lies outside [0, points], a fact is missing, unknown or of the wrong type,
 * or the rule fails or gives a value that is neither a boolean nor a number. The input is in
 * canonical order (findings sorted, see {@link sortFindings}); `pointsText` is `amountText(points)`;
 * `factOrder` holds a rule's fact names in code point order.
 */
export function scoreIndicator(
  indicator: Indicator & { scoring: { method: "manual" | "findings" | "rule" } },
  points: Amount,
  pointsText: string,
  factOrder: readonly string[] | undefined,
  input: IndicatorInput,
  rule: PreparedRule | undefined,
  path: (string | number)[],
  issues: KaoheIssue[],
): IndicatorScore | undefined {
  // The label only goes into issues: it is not built for an indicator that scores.
  const source = indicator.source;
  const method = indicator.scoring.method;
  const expected = INPUT_OF[method];
  if (!(expected in input)) {
    const given = Object.keys(input)[0] ?? "nothing";
    issues.push({
      code: "input_method_mismatch",
      path,
      message: `${indicatorLabel(indicator)} is scored by ${method} and takes { ${expected} }, not { ${given} }`,
      zh: `${indicatorLabel(indicator)}按 ${method} 计分，应给 { ${expected} }，而不是 { ${given} }`,
    });
    return undefined;
  }

  if ("score" in input) {
    const score = toAmount(input.score);
    if (compare(score, ZERO) < 0 || compare(score, points) > 0) {
      issues.push({
        code: "score_out_of_range",
        path: [...path, "score"],
        message: `${indicatorLabel(indicator)}: score ${input.score} lies outside [0, ${pointsText}]`,
        zh: `${indicatorLabel(indicator)}：得分 ${input.score} 超出 [0, ${pointsText}]`,
      });
      return undefined;
    }
    const exact = amountText(score);
    return { score, exact, input, trace: [{ kind: "score", message: `实地考核得分 ${exact} 分（满分 ${pointsText} 分）`, source }] };
  }

  if ("findings" in input) {
    const trace: TraceEntry[] = [];
    let deducted = ZERO;
    for (const finding of input.findings) {
      const deduct = toAmount(finding.points);
      deducted = plus(deducted, deduct);
      // The id and the note, either or both (texts, so never empty), with a space between.
      const name = finding.id === undefined ? finding.note : finding.note === undefined ? finding.id : `${finding.id} ${finding.note}`;
      trace.push({ kind: "finding", message: `发现问题${name === undefined ? "" : ` ${name}`}，扣 ${amountText(deduct)} 分`, source });
    }
    const left = minus(points, deducted);
    if (compare(left, ZERO) <= 0) {
      trace.push({ kind: "exhausted", message: `扣分合计 ${amountText(deducted)} 分，扣完为止，得 0 分`, source });
      return { score: ZERO, exact: "0", input: { findings: input.findings }, trace };
    }
    return { score: left, exact: amountText(left), input: { findings: input.findings }, trace };
  }

  const scoring = indicator.scoring as Extract<Indicator["scoring"], { method: "rule" }>;
  const facts: Record<string, number | boolean> = {};
  let factsOk = true;
  const given = input.facts;
  for (const fact of scoring.facts) {
    const value = Object.hasOwn(given, fact.name) ? given[fact.name] : undefined;
    const factPath = [...path, "facts", fact.name];
    if (value === undefined) {
      issues.push({ code: "missing_fact", path: factPath, message: `${indicatorLabel(indicator)} needs fact "${fact.name}" (${fact.description})`, zh: `${indicatorLabel(indicator)}缺少事实「${fact.name}」（${fact.description}）` });
      factsOk = false;
    } else if (fact.type === "boolean" ? typeof value !== "boolean" : typeof value === "boolean") {
      issues.push({
        code: "invalid_fact",
        path: factPath,
        message: `${indicatorLabel(indicator)}: fact "${fact.name}" must be a ${fact.type} (got ${showValue(value)})`,
        zh: `${indicatorLabel(indicator)}：事实「${fact.name}」应为${fact.type === "boolean" ? " true 或 false" : "数字"}（收到 ${showValue(value)}）`,
      });
      factsOk = false;
    } else {
      facts[fact.name] = typeof value === "string" ? Number(value) : value;
    }
  }
  for (const name of Object.keys(given)) {
    if (!scoring.facts.some((f) => f.name === name)) {
      issues.push({
        code: "unknown_fact",
        path: [...path, "facts", name],
        message: `${indicatorLabel(indicator)} declares no fact "${name}"; it reads ${scoring.facts.map((f) => f.name).join(", ")}`,
        zh: `${indicatorLabel(indicator)}没有事实「${name}」；它读取的事实为 ${scoring.facts.map((f) => f.name).join("、")}`,
      });
      factsOk = false;
    }
  }
  if (!factsOk || !rule) return undefined;

  let value: unknown;
  try {
    value = rule.evaluate(facts);
  } catch (error) {
    if (!isKaoheError(error)) throw error;
    for (const issue of error.issues) {
      issues.push({ ...issue, code: issue.code, path, message: `${indicatorLabel(indicator)}: the rule failed: ${issue.message}`, zh: `${indicatorLabel(indicator)}：规则运算失败：${issue.zh ?? issue.message}` });
    }
    return undefined;
  }
  // Every fact given is declared (checked above), so the declared names in code point order list them.
  const sortedFacts: Record<string, boolean | NumberInput> = {};
  for (const name of factOrder ?? Object.keys(given).sort(compareCodePoints)) if (Object.hasOwn(given, name)) sortedFacts[name] = given[name] as boolean | NumberInput;
  const ruleTrace: TraceEntry = { kind: "rule", message: `${scoring.description} 规则结果：${JSON.stringify(value)}`, source };
  if (typeof value === "boolean") {
    return value
      ? { score: points, exact: pointsText, input: { facts: sortedFacts }, trace: [ruleTrace] }
      : { score: ZERO, exact: "0", input: { facts: sortedFacts }, trace: [ruleTrace] };
  }
  if (typeof value === "number" && Number.isFinite(value)) {
    const raw = toAmount(value);
    const held = compare(raw, ZERO) < 0 ? ZERO : compare(raw, points) > 0 ? points : raw;
    const trace = [ruleTrace];
    const exact = amountText(held);
    if (held !== raw) {
      trace.push({ kind: "held", message: `规则得数 ${amountText(raw)} 超出 [0, ${pointsText}]，按 ${exact} 分计`, source });
    }
    return { score: held, exact, input: { facts: sortedFacts }, trace };
  }
  issues.push({
    code: "rule_result_invalid",
    path,
    message: `${indicatorLabel(indicator)}: the rule gave ${showValue(value)}, but a score rule must give a boolean or a number`,
    zh: `${indicatorLabel(indicator)}：规则得出 ${showValue(value)}，但计分规则只能得出 true/false 或数字`,
  });
  return undefined;
}

/** The rule of a rule-scored indicator as JSON Logic, for compiling. */
export function ruleOf(indicator: Indicator): JsonLogicRule | undefined {
  return indicator.scoring.method === "rule" ? (indicator.scoring.rule as JsonLogicRule) : undefined;
}
