import { KaoheError, type KaoheIssue } from "../../internal/errors";
import { isCalendarDate } from "../../model/primitives";
import type { ParameterValue } from "../schema";

/** A parameter's value in force on the run's date, and the period it belongs to. */
export interface ParameterPeriod {
  /** The first day of the period, as keyed in the rulebook. */
  readonly from: string;
  /** Its last day, inclusive; absent when it runs until the next period, or without end. */
  readonly until?: string;
  readonly value: ParameterValue;
}

/** Which dated version of a rulebook applied on a date: see {@link resolveDatedRulebook}. */
export interface RulebookVersion {
  /** The date the rulebook was resolved for (the run's date, given by the caller). */
  readonly asOf: string;
  /** Each dated parameter, with the period in force. */
  readonly parameters: Readonly<Record<string, ParameterPeriod>>;
  /** Each dated rule in force, with its period. */
  readonly rules: Readonly<Record<string, { readonly from?: string; readonly until?: string }>>;
  /** The codes of the rule versions not in force on that date (left out of the rulebook). */
  readonly notInForce: readonly string[];
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** The day before a calendar date (UTC arithmetic, no clock). */
function dayBefore(date: string): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
}

/**
 * Resolves a dated rulebook for one date: each parameter written with `values` (its values keyed
 * by start date, each a value or `{ "value": …, "until": "YYYY-MM-DD" }`) becomes the plain
 * parameter in force on `asOf`; each rule with `from`/`until` (inclusive dates) is kept only when in
 * force, so that one code may have versions for different periods. A rulebook without dates is
 * returned as it is. The periods of one parameter (or of one rule code) must neither overlap nor
 * leave a gap; a rulebook where they do is refused whatever the date, naming the parameter and the
 * dates. The library reads no clock: the caller gives the date (the CLI's `--as-of`, by default
 * the day of the run).
 *
 * @param input - A rulebook as parsed from JSON (validated by `prepareRulebook` afterwards).
 * @param asOf - The date of the run, `YYYY-MM-DD`.
 * @returns The plain rulebook for that date, and which version applied.
 * @throws {@link KaoheError} naming every bad period (`invalid_period`, `overlapping_periods`,
 *   `gapped_periods`, `duplicate_code`), and a parameter with no value in force (`no_value_in_force`).
 * @example
 * ```ts
 * import { resolveDatedRulebook, safePrepareRulebook } from "kaohe";
 * const book = {
 *   id: "dated", title: "示例", version: "1",
 *   parameters: { incomeLine: { title: "监测收入标准", values: { "2024-01-01": 7000, "2025-01-01": 7600 } } },
 *   fields: { householdId: { column: "户编号", type: "text", of: "household" }, county: { column: "县", type: "text", of: "village" },
 *             township: { column: "乡", type: "text", of: "village" }, village: { column: "村", type: "text", of: "village" },
 *             income: { column: "人均纯收入", type: "number", of: "household" } },
 *   keys: { household: "householdId" }, unit: { county: "county", township: "township", village: "village" },
 *   rules: [{ code: "R1", title: "收入低于标准", subject: "household", severity: "high", message: "{income}",
 *             when: { "<": [{ var: "income" }, { var: "params.incomeLine" }] } }],
 * };
 * const { rulebook, version } = resolveDatedRulebook(book, "2024-06-30");
 * version.parameters.incomeLine; //=> { from: "2024-01-01", value: 7000 }
 * safePrepareRulebook(rulebook).success; //=> true
 * ```
 */
export function resolveDatedRulebook<T = unknown>(input: T, asOf: string): { rulebook: T; version: RulebookVersion } {
  if (!isCalendarDate(asOf)) throw new KaoheError([{ code: "invalid_date", path: ["asOf"], message: `the date of the run must be a date YYYY-MM-DD (got "${asOf}")`, zh: `筛查日期应为 YYYY-MM-DD 格式的日期（收到 "${asOf}"）` }], "Cannot resolve the rulebook");
  const issues: KaoheIssue[] = [];
  const version = { asOf, parameters: {} as Record<string, ParameterPeriod>, rules: {} as Record<string, { from?: string; until?: string }>, notInForce: [] as string[] };
  if (!isObject(input)) return { rulebook: input, version };
  const out: Json = { ...input };
  if (isObject(input.parameters)) {
    const parameters: Json = {};
    for (const [name, parameter] of Object.entries(input.parameters)) {
      if (!isObject(parameter) || !("values" in parameter)) {
        parameters[name] = parameter;
        continue;
      }
      const path = ["parameters", name, "values"];
      const { values, ...rest } = parameter;
      if ("value" in rest || !isObject(values)) {
        issues.push({ code: "invalid_period", path, message: `parameter "${name}" must give either value or values (an object keyed by start date)`, zh: `参数「${name}」应只给 value 或 values（按起始日期给出的取值）之一` });
        continue;
      }
      const periods: { from: string; value: unknown; until?: unknown }[] = Object.entries(values).map(([from, v]) => (isObject(v) ? { from, value: v.value, ...("until" in v ? { until: v.until } : {}) } : { from, value: v }));
      const picked = pickPeriod(periods, asOf, `parameter "${name}"`, `参数「${name}」`, path, issues);
      if (picked === undefined) continue;
      if (picked === null) {
        issues.push({ code: "no_value_in_force", path, message: `parameter "${name}" has no value in force on ${asOf} (its periods: ${periods.map(show).join(", ")})`, zh: `参数「${name}」在 ${asOf} 没有有效取值（其期间：${periods.map(show).join("、")}）` });
        continue;
      }
      parameters[name] = { ...rest, value: picked.value };
      version.parameters[name] = { from: picked.from, ...(typeof picked.until === "string" ? { until: picked.until } : {}), value: picked.value as ParameterValue };
    }
    out.parameters = parameters;
  }
  if (Array.isArray(input.rules)) {
    const byCode = new Map<string, { from: string; until?: unknown; index: number }[]>();
    input.rules.forEach((rule, index) => {
      if (!isDatedRule(rule)) return;
      const code = String(rule.code);
      const list = byCode.get(code) ?? [];
      list.push({ from: typeof rule.from === "string" ? rule.from : "0000-01-01", until: rule.until, index });
      byCode.set(code, list);
    });
    const keep = new Set<number>();
    for (const [code, periods] of byCode) {
      const path = ["rules", periods[0]?.index ?? 0];
      const picked = pickPeriod(periods, asOf, `rule ${code}`, `规则 ${code}`, path, issues, true);
      if (picked) {
        keep.add(picked.index);
        const { from, until } = input.rules[picked.index] as Json;
        version.rules[code] = { ...(typeof from === "string" ? { from } : {}), ...(typeof until === "string" ? { until } : {}) };
      } else if (picked === null) version.notInForce.push(code);
    }
    out.rules = input.rules.flatMap((rule, index) => {
      if (!isDatedRule(rule)) return [rule];
      if (!keep.has(index)) return [];
      const { from: _from, until: _until, ...plain } = rule;
      return [plain];
    });
  }
  if (issues.length > 0) throw new KaoheError(issues, "Invalid dated rulebook");
  return { rulebook: out as T, version };
}

/** A rule with a period (`from` or `until`). */
const isDatedRule = (rule: unknown): rule is Json => isObject(rule) && (rule.from !== undefined || rule.until !== undefined);

function show(p: { from: string; until?: unknown }): string {
  const from = p.from === "0000-01-01" ? "" : p.from;
  return typeof p.until === "string" ? `${from}–${p.until}` : `${from}–`;
}

/**
 * Checks the periods of one parameter or rule code and picks the one in force: `undefined` when
 * they are invalid (issues added), `null` when none is in force on the date.
 */
function pickPeriod<P extends { from: string; until?: unknown }>(periods: P[], asOf: string, en: string, zh: string, path: (string | number)[], issues: KaoheIssue[], rules = false): P | null | undefined {
  const before = issues.length;
  for (const p of periods) {
    const bad = (p.from !== "0000-01-01" && !isCalendarDate(p.from)) || (p.until !== undefined && (typeof p.until !== "string" || !isCalendarDate(p.until) || p.until < p.from));
    if (bad) issues.push({ code: "invalid_period", path, message: `${en}: the period ${show(p)} must run from a date YYYY-MM-DD to a date no earlier`, zh: `${zh}：期间 ${show(p)} 应从一个 YYYY-MM-DD 日期到不早于它的日期` });
  }
  if (issues.length > before) return undefined;
  const sorted = [...periods].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    const [a, b] = [sorted[i - 1] as P, sorted[i] as P];
    // A period without an end runs until the next one. A rule's versions may leave time without
    // the rule; a parameter's values may not.
    const end = typeof a.until === "string" ? a.until : dayBefore(b.from);
    if (end >= b.from) {
      issues.push({ code: "overlapping_periods", path, message: `${en}: the periods ${show(a)} and ${show(b)} overlap`, zh: `${zh}：期间 ${show(a)} 与 ${show(b)} 重叠` });
    } else if (!rules && end < dayBefore(b.from)) {
      issues.push({ code: "gapped_periods", path, message: `${en}: between the periods ${show(a)} and ${show(b)} there is a gap from ${end} to ${b.from} without a value`, zh: `${zh}：期间 ${show(a)} 与 ${show(b)} 之间（${end} 至 ${b.from}）没有取值` });
    }
  }
  if (issues.length > before) return undefined;
  return sorted.find((p, i) => {
    const next = sorted[i + 1];
    const end = typeof p.until === "string" ? p.until : next ? dayBefore(next.from) : undefined;
    return p.from <= asOf && (end === undefined || asOf <= end);
  }) ?? null;
}
