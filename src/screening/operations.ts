import { KaoheError } from "../internal/errors";
import { showValue } from "../model/issues";
import type { RuleOperation, RuleValue } from "../rules/index";

/** `YYYY-MM` or `YYYY-MM-DD` (a month field's or a date field's value). */
const MONTH_OR_DATE = /^(\d{4})-(\d{2})(?:-\d{2})?$/;

/** The month count (year × 12 + month − 1) of a month or date value; throws a coded error otherwise. */
function monthIndex(operator: string, value: RuleValue): number {
  const match = typeof value === "string" ? MONTH_OR_DATE.exec(value) : null;
  const month = match ? Number(match[2]) : 0;
  if (!match || month < 1 || month > 12) {
    const en = `${operator} needs a month (YYYY-MM) or a date (YYYY-MM-DD), got ${showValue(value)}`;
    throw new KaoheError([{ code: "not_a_month", path: [operator], message: en, zh: `${operator} 需要年月（YYYY-MM）或日期（YYYY-MM-DD），得到 ${showValue(value)}` }], "Rule failed");
  }
  return Number(match[1]) * 12 + month - 1;
}

/**
 * The engine-level operations that every screening rule may use, besides JSON Logic's standard
 * ones (see `docs/screening.md`, "Month arithmetic", for their definitions, so that another JSON
 * Logic engine can add them):
 *
 * - `{"months_between": [from, to]}`: the whole months from `from` to `to`, each a month
 *   (`YYYY-MM`) or a date (`YYYY-MM-DD`, whose day is ignored): (year(to) − year(from)) × 12 +
 *   month(to) − month(from). Negative when `to` is earlier.
 * - `{"month_year": [m]}`: the year of a month or date, a number.
 * - `{"month_number": [m]}`: the month of a month or date, 1 to 12.
 * - `{"trim": [x]}`: the text `x` without the blanks around it (`null` stays `null`), for rules
 *   that read a field declared `"trim": false` both as exported and trimmed.
 *
 * Any other argument (`null`, a number, text that is not a month) is a `not_a_month` error, so the
 * rule is undecided for that record, never silently false.
 *
 * @example
 * ```ts
 * import { SCREENING_OPERATIONS, createRuleEngine } from "kaohe";
 * const engine = createRuleEngine({ operations: SCREENING_OPERATIONS });
 * engine.evaluateRule({ months_between: ["2022-10", "2023-04"] }, {}); //=> 6
 * engine.evaluateRule({ months_between: ["2024-01-31", "2024-02-01"] }, {}); //=> 1
 * engine.evaluateRule({ month_year: ["2022-10"] }, {}); //=> 2022
 * engine.evaluateRule({ month_number: ["2022-10-01"] }, {}); //=> 10
 * engine.evaluateRule({ trim: ["  否 "] }, {}); //=> "否"
 * engine.safeEvaluateRule({ month_year: [null] }, {}).success; //=> false
 * ```
 */
export const SCREENING_OPERATIONS: Readonly<Record<string, RuleOperation>> = Object.freeze({
  months_between: (...args: RuleValue[]) => {
    if (args.length !== 2) throw arity("months_between", 2, args.length);
    return monthIndex("months_between", args[1] ?? null) - monthIndex("months_between", args[0] ?? null);
  },
  month_year: (...args: RuleValue[]) => {
    if (args.length !== 1) throw arity("month_year", 1, args.length);
    return Math.floor(monthIndex("month_year", args[0] ?? null) / 12);
  },
  month_number: (...args: RuleValue[]) => {
    if (args.length !== 1) throw arity("month_number", 1, args.length);
    return (monthIndex("month_number", args[0] ?? null) % 12) + 1;
  },
  trim: (...args: RuleValue[]) => {
    if (args.length !== 1) throw arity("trim", 1, args.length);
    const value = args[0] ?? null;
    if (value === null) return null;
    if (typeof value !== "string") {
      throw new KaoheError([{ code: "not_text", path: ["trim"], message: `trim needs text, got ${showValue(value)}`, zh: `trim 需要文本，得到 ${showValue(value)}` }], "Rule failed");
    }
    return value.trim();
  },
});

function arity(operator: string, wanted: number, got: number): KaoheError {
  return new KaoheError(
    [{ code: "invalid_arguments", path: [operator], message: `${operator} takes ${wanted} argument${wanted > 1 ? "s" : ""}, got ${got}`, zh: `${operator} 需要 ${wanted} 个参数，得到 ${got} 个` }],
    "Rule failed",
  );
}
