import { KaoheError, type KaoheIssue } from "../../internal/errors";
import { isCalendarDate } from "../../model/primitives";
import type { ParameterValue } from "../schema";

/** A parameter's value in force on the run's date, and the period it belongs to. */
export interface ParameterPeriod {
  /** The first day of the period, as keyed in the rulebook. */
  readonly from: string;
  /** Its last day, inclusive; absent when it runs until the next period, or without end. */
  readonly until?: string;
  /** The parameter's value in that period. */
  readonly value: ParameterValue;
}

/** Which dated version of a rulebook applied on a date: see {@link resolveDatedRulebook}. */
export interface RulebookVersion {
  /** The date the rulebook was resolved for (the run's date, given by the caller). */
  readonly asOf: string;
  /** Each dated parameter, with the period in force. */
  readonly parameters: Readonly<Record<string, ParameterPeriod>>;
  /** Each dated rule in force, with its period. */
  readonly rules: Readonly<
    Record<
      string,
      {
        /** First day of the rule's version, when it has one. */
        readonly from?: string;
        /** Last day of the rule's version, inclusive, when it has one. */
        readonly until?: string;
      }
    >
  >;
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
 * @throws `KaoheError` (from `kaohe`) naming every bad period (`invalid_period`, `overlapping_periods`,
 *   `gapped_periods`, `duplicate_code`), and a parameter with no value in force (`no_value_in_force`).
 * @example
 * ```ts
 * import { safePrepareRulebook } from "kaohe";
 * import { resolveDatedRulebook } from "kaohe/loop";
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
export function resolveDatedRulebook<T = unknown>(
  input: T,
  asOf: string,
): {
  /** The plain rulebook for the date: each parameter's value in force, the rule versions in force. */
  rulebook: T;
  /** Which periods applied. */
  version: RulebookVersion;
} {
  const issues: KaoheIssue[] = [];
  const add: Add = (code, path, message, zh) => void issues.push({ code, path, message, zh });
  const version = { asOf, parameters: {} as Record<string, ParameterPeriod>, rules: {} as Record<string, { from?: string; until?: string }>, notInForce: [] as string[] };
  const out: Json = isObject(input) ? { ...input } : {};
  if (!isCalendarDate(asOf)) add("invalid_date", ["asOf"], `the date of the run must be a date YYYY-MM-DD (got "${asOf}")`, `筛查日期应为 YYYY-MM-DD 格式的日期（收到 "${asOf}"）`);
  else if (isObject(out.parameters)) {
    const parameters: Json = (out.parameters = { ...out.parameters });
    for (const [name, parameter] of Object.entries(parameters)) {
      if (!isObject(parameter) || parameter.values === undefined) continue;
      const path = ["parameters", name, "values"];
      const { values, ...rest } = parameter;
      const en = `parameter "${name}"`;
      const zh = `参数「${name}」`;
      if (rest.value !== undefined || !isObject(values)) {
        add("invalid_period", path, `${en} must give either value or values (an object keyed by start date)`, `${zh}应只给 value 或 values（按起始日期给出的取值）之一`);
        continue;
      }
      const periods: Period[] = Object.entries(values).map(([from, v]) => (isObject(v) ? { from, value: v.value, until: v.until } : { from, value: v }));
      const picked = pickPeriod(periods, asOf, en, zh, path, add);
      if (picked === null) add("no_value_in_force", path, `${en} has no value in force on ${asOf} (its periods: ${periods.map(show).join(", ")})`, `${zh}在 ${asOf} 没有有效取值（其期间：${periods.map(show).join("、")}）`);
      if (!picked) continue;
      parameters[name] = { ...rest, value: picked.value };
      version.parameters[name] = { from: picked.from, ...(typeof picked.until === "string" ? { until: picked.until } : {}), value: picked.value as ParameterValue };
    }
  }
  const rules = Array.isArray(out.rules) ? (out.rules as unknown[]) : [];
  const byCode = new Map<string, Period[]>();
  rules.forEach((rule, index) => {
    if (isDatedRule(rule)) byCode.set(String(rule.code), [...(byCode.get(String(rule.code)) ?? []), { from: typeof rule.from === "string" ? rule.from : NO_START, until: rule.until, value: index }]);
  });
  const keep = new Set<unknown>();
  for (const [code, periods] of byCode) {
    const picked = pickPeriod(periods, asOf, `rule ${code}`, `规则 ${code}`, ["rules", periods[0]?.value as number], add, true);
    if (picked) {
      keep.add(picked.value);
      version.rules[code] = { ...(picked.from === NO_START ? {} : { from: picked.from }), ...(typeof picked.until === "string" ? { until: picked.until } : {}) };
    } else if (picked === null) version.notInForce.push(code);
  }
  if (byCode.size > 0) {
    out.rules = rules.flatMap((rule, index) => {
      if (!isDatedRule(rule)) return [rule];
      const { from: _from, until: _until, ...plain } = rule;
      return keep.has(index) ? [plain] : [];
    });
  }
  if (issues.length > 0) throw new KaoheError(issues, "Invalid dated rulebook");
  return { rulebook: (isObject(input) ? out : input) as T, version };
}

/** Adds an issue: its code, path, English message and Chinese one. */
type Add = (code: string, path: (string | number)[], message: string, zh: string) => void;

/** A period of a parameter's value, or of a rule's version (its index as `value`). */
interface Period {
  readonly from: string;
  readonly until?: unknown;
  readonly value: unknown;
}

/** The start of a rule version without `from`. */
const NO_START = "0000-01-01";

/** A rule with a period (`from` or `until`). */
const isDatedRule = (rule: unknown): rule is Json => isObject(rule) && (rule.from !== undefined || rule.until !== undefined);

function show(p: Period): string {
  const from = p.from === NO_START ? "" : p.from;
  return typeof p.until === "string" ? `${from}–${p.until}` : `${from}–`;
}

/**
 * Checks the periods of one parameter or rule code and picks the one in force: `undefined` when
 * they are invalid (issues added), `null` when none is in force on the date.
 */
function pickPeriod(periods: Period[], asOf: string, en: string, zh: string, path: (string | number)[], add: Add, rules = false): Period | null | undefined {
  let bad = false;
  const fail: Add = (...issue) => {
    bad = true;
    add(...issue);
  };
  for (const p of periods) {
    if ((p.from !== NO_START && !isCalendarDate(p.from)) || (p.until !== undefined && (typeof p.until !== "string" || !isCalendarDate(p.until) || p.until < p.from))) {
      fail("invalid_period", path, `${en}: the period ${show(p)} must run from a date YYYY-MM-DD to a date no earlier`, `${zh}：期间 ${show(p)} 应从一个 YYYY-MM-DD 日期到不早于它的日期`);
    }
  }
  if (bad) return undefined;
  const sorted = [...periods].sort((a, b) => (a.from < b.from ? -1 : 1));
  // A period without an end runs until the next one. A rule's versions may leave time without the
  // rule; a parameter's values may not.
  const ends = sorted.map((p, i) => (typeof p.until === "string" ? p.until : sorted[i + 1] ? dayBefore((sorted[i + 1] as Period).from) : "9999-12-31"));
  for (let i = 1; i < sorted.length; i++) {
    const [a, b, end] = [sorted[i - 1] as Period, sorted[i] as Period, ends[i - 1] as string];
    const periods = [show(a), show(b)];
    if (end >= b.from) fail("overlapping_periods", path, `${en}: the periods ${periods.join(" and ")} overlap`, `${zh}：期间 ${periods.join(" 与 ")} 重叠`);
    else if (!rules && end < dayBefore(b.from)) fail("gapped_periods", path, `${en}: between the periods ${periods.join(" and ")} there is a gap from ${end} to ${b.from} without a value`, `${zh}：期间 ${periods.join(" 与 ")} 之间（${end} 至 ${b.from}）没有取值`);
  }
  return bad ? undefined : (sorted.find((p, i) => p.from <= asOf && asOf <= (ends[i] as string)) ?? null);
}
