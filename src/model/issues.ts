import type { z } from "zod/mini";
import { KaoheError, type KaoheIssue } from "../internal/errors";
import type { Lang } from "../internal/i18n";
import { PARSE_OPTIONS } from "../internal/zod";

/**
 * Chinese labels of the fields of kaohe's files, by dotted path (array indexes as `[]`) or by the
 * last key, so that a message names a field as an office does (unit.name → 单位名称).
 */
const FIELD_LABELS: Readonly<Record<string, string>> = {
  "unit.id": "单位代码", "unit.name": "单位名称", "units[].id": "单位代码", "units[].name": "单位名称",
  unit: "单位", units: "单位名单", period: "考核期", indicators: "指标", score: "得分", facts: "事实", findings: "发现的问题",
  points: "分值", deductions: "负面事项", clause: "扣分项", matter: "事项", severe: "问题严重情形", reason: "理由",
  discretionary: "酌情扣分", id: "代码", name: "名称", title: "标题", code: "编号", year: "年度", level: "层级",
  region: "地区", source: "出处", document: "来源文件", part: "部分", item: "条目", categories: "类别", departments: "部门",
  grades: "档次", grade: "等次名称", min: "最低分", total: "合计", illustrative: "示例标记", note: "说明", methods: "评分方法",
  tasks: "任务", issuedOn: "印发日期", dueOn: "截止日期", submittedOn: "报送日期", submissions: "报送记录", visits: "走访记录",
  problems: "整改问题", history: "整改历程", state: "整改状态", on: "日期", foundOn: "发现日期", targetOn: "整改期限",
  rules: "规则", fields: "字段", severity: "严重程度", column: "列名", columns: "列名", type: "类型", rule: "规则",
  description: "说明", content: "内容", scoring: "评分方式", method: "评分方法", recurrence: "周期任务", deliverable: "报送材料",
  checklist: "任务清单", parameters: "参数", subjects: "对象", framework: "指标体系", precision: "小数位数", kind: "类型",
  deliverables: "报送材料", milestones: "时间节点", parties: "责任单位", dataSources: "数据来源", department: "部门",
  keyTasks: "重点任务", deductionClauses: "扣分项", policies: "政策", totalPoints: "总分值", origin: "来源", month: "月份",
};

/** The Chinese label of the field at a path, or the path's last key when it has none. */
export function fieldLabel(path: readonly (string | number)[]): string | undefined {
  const keys = path.map((key) => (typeof key === "number" ? "[]" : key));
  const dotted = keys.join(".").replace(/\.\[\]/g, "[]");
  if (FIELD_LABELS[dotted]) return FIELD_LABELS[dotted];
  const strings = path.filter((key): key is string => typeof key === "string");
  const lastTwo = strings.slice(-2).join(".");
  return FIELD_LABELS[lastTwo] ?? (strings.length > 0 ? FIELD_LABELS[strings.at(-1) as string] : undefined);
}

/** Chinese twins of the messages that kaohe's own schemas give zod. */
const CUSTOM_ZH: Readonly<Record<string, string>> = {
  "is not a real calendar date": "不是真实存在的日期",
  "must be 0 or more": "不能小于 0",
  "must be a date written YYYY-MM-DD": "必须是 YYYY-MM-DD 形式的日期",
  "must be a field name of letters, digits and '_', starting with a letter": "必须是由字母、数字和 _ 组成、以字母开头的字段名",
  "must be a finite number within the safe integer range": "必须是安全整数范围内的有限数字",
  "must be a finite number": "必须是有限的数字",
  "must be a month written YYYY-MM": "必须是 YYYY-MM 形式的月份",
  "must be an id: letters (Chinese too), digits, '-', '_' or '.', starting with a letter or digit": "必须是代码：由文字（可用汉字）、数字、-、_ 或 . 组成，以文字或数字开头",
  "must be greater than 0": "必须大于 0",
  "must declare at least one fact": "至少要声明一个事实",
  "must hold at least one band when given": "给出时至少要有一个档次",
  "must hold at least one category": "至少要有一个类别",
  "must hold at least one indicator": "至少要有一个指标",
  "must hold at least one rule": "至少要有一条规则",
  "must hold at least one task": "至少要有一项任务",
  "must link at least one indicator": "至少要关联一个指标",
  "must list at least one unit": "至少要列出一个单位",
  "must name at least one column": "至少要写一个列名",
  "must name at least one party": "至少要写一个责任单位",
  "must name at least one reason": "至少要写一条理由",
  "must not be empty": "不能为空",
  'must be a plain decimal string such as "0.8" (no exponent, no blanks)': '必须是普通写法的小数，如 "0.8"（不用科学计数法，不带空格）',
};

const TYPE_EN: Readonly<Record<string, string>> = { string: "a text", number: "a number", boolean: "true or false", object: "an object", array: "a list", int: "a whole number" };
const TYPE_ZH: Readonly<Record<string, string>> = { string: "文字", number: "数字", boolean: "true 或 false", object: "对象（{…}）", array: "列表（[…]）", int: "整数" };

/** zod's own messages, which never reach a user unchanged. */
const ZOD_DEFAULT = /^(Invalid|Too (small|big)|Unrecognized|Expected)/;

/**
 * Converts zod issues to kaohe issues with a message in English and its Chinese twin (`zh`),
 * each naming the field by its label (单位名称) and saying what it needs; zod's own messages are
 * never passed on unchanged. A custom refinement supplies its own code through `params.code`;
 * zod's own codes (`invalid_type`, `unrecognized_keys`, …) are kept as they are. Each message is
 * prefixed with the label of the item concerned when `label` finds one.
 */
export function fromZodIssues(
  issues: readonly z.core.$ZodIssue[],
  label: (path: readonly PropertyKey[]) => string | undefined = () => undefined,
): KaoheIssue[] {
  return issues.flatMap((issue) => unwrapUnion(issue, [])).map((issue) => {
    const path = issue.path.filter((key): key is string | number => typeof key !== "symbol");
    const params = (issue as { params?: { code?: unknown } }).params;
    const input = (issue as { input?: unknown }).input;
    // NaN and ±Infinity fail every branch of a number-or-decimal-string union: say so plainly.
    const badNumber = issue.code === "invalid_union" && typeof input === "number";
    const code = badNumber ? "invalid_number" : typeof params?.code === "string" ? params.code : issue.code;
    const name = label(path);
    const field = fieldLabel(path);
    const detail = badNumber
      ? { en: `must be a finite number (got ${showValue(input)})`, zh: `${field ?? ""}必须是有限的数字（收到 ${showValue(input)}）` }
      : describeZodIssue(issue, field);
    return { code, path, message: name ? `${name}: ${detail.en}` : detail.en, zh: name ? `${name}：${detail.zh}` : detail.zh };
  });
}

/** A branch issue that shows the input has another shape than the branch: an unknown or missing key. */
function isShapeMismatch(issue: z.core.$ZodIssue): boolean {
  if (issue.code === "unrecognized_keys") return issue.path.length === 0;
  return issue.code === "invalid_type" && issue.path.length === 1 && (issue as { input?: unknown }).input === undefined;
}

/**
 * Replaces a union failure by the issues of the one branch whose shape the input has (e.g. the
 * `{ score }` branch of an indicator input whose score is NaN), so that the user sees the real
 * problem and its full path rather than "Invalid input". Other issues pass through, with the
 * path of any enclosing union prefixed.
 */
function unwrapUnion(issue: z.core.$ZodIssue, prefix: readonly PropertyKey[]): z.core.$ZodIssue[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === "invalid_union" && issue.errors.length > 0) {
    const fitting = issue.errors.filter((branch) => branch.every((i) => !isShapeMismatch(i)));
    if (fitting.length === 1) return (fitting[0] ?? []).flatMap((inner) => unwrapUnion(inner, path));
  }
  return [{ ...issue, path }];
}

function quoteList(values: readonly unknown[], zh: boolean): string {
  return values.map((v) => showValue(v)).join(zh ? "、" : ", ");
}

/** The sentence, in both languages, for one zod issue about the field labelled `field`. */
function describeZodIssue(issue: z.core.$ZodIssue, field: string | undefined): { en: string; zh: string } {
  const input = (issue as { input?: unknown }).input;
  // A value is shown when it is short (a number, a text); a list or an object is only named, in English.
  const got =
    input === undefined ? { en: "", zh: "" } : typeof input === "object" && input !== null ? { en: ` (got ${showValue(input)})`, zh: Array.isArray(input) ? "（收到一个列表）" : "（收到一个对象）" } : { en: ` (got ${showValue(input)})`, zh: `（收到 ${showValue(input)}）` };
  const f = field ?? "此项";
  // A message that kaohe's own schema gave is kept (it names what is needed); zod's own are replaced.
  const custom = ZOD_DEFAULT.test(issue.message) || issue.code === "unrecognized_keys" ? undefined : issue.message;
  if (custom !== undefined) {
    const zhParam = (issue as { params?: { zh?: unknown } }).params?.zh;
    const zh = typeof zhParam === "string" ? zhParam : CUSTOM_ZH[custom];
    return { en: `${custom}${got.en}`, zh: zh === undefined ? `${f}不符合要求：${custom}${got.zh}` : `${f}：${zh}${got.zh}` };
  }
  switch (issue.code) {
    case "unrecognized_keys": {
      const keys = issue.keys.map((k) => `"${k}"`);
      return { en: `unknown key${keys.length > 1 ? "s" : ""} ${keys.join(", ")}`, zh: `有不认识的键 ${keys.join("、")}（拼写有误，或不属于这种文件）` };
    }
    case "invalid_type": {
      const en = TYPE_EN[issue.expected] ?? issue.expected;
      const zh = TYPE_ZH[issue.expected] ?? issue.expected;
      if (input === undefined) return { en: `is required (${en})`, zh: `缺少${f}，必须填写（应为${zh}）` };
      return { en: `must be ${en}${got.en}`, zh: `${f}应为${zh}${got.zh}` };
    }
    case "too_small": {
      const min = String(issue.minimum);
      if (issue.origin === "string") return Number(min) <= 1 ? { en: "must not be empty", zh: `${f}不能为空` } : { en: `must have at least ${min} characters${got.en}`, zh: `${f}至少要 ${min} 个字${got.zh}` };
      if (issue.origin === "array" || issue.origin === "set") return { en: `must hold at least ${min} item${min === "1" ? "" : "s"}`, zh: `${f}至少要有 ${min} 项` };
      return { en: `must be ${issue.inclusive ? "at least" : "more than"} ${min}${got.en}`, zh: `${f}${issue.inclusive ? "不能小于" : "必须大于"} ${min}${got.zh}` };
    }
    case "too_big": {
      const max = String(issue.maximum);
      if (issue.origin === "string") return { en: `must have at most ${max} characters`, zh: `${f}最多 ${max} 个字` };
      if (issue.origin === "array" || issue.origin === "set") return { en: `must hold at most ${max} items`, zh: `${f}最多 ${max} 项` };
      return { en: `must be ${issue.inclusive ? "at most" : "less than"} ${max}${got.en}`, zh: `${f}${issue.inclusive ? "不能大于" : "必须小于"} ${max}${got.zh}` };
    }
    case "invalid_value":
      return { en: `must be ${issue.values.length === 1 ? "" : "one of "}${quoteList(issue.values, false)}${got.en}`, zh: `${f}只能是 ${quoteList(issue.values, true)}${got.zh}` };
    case "invalid_union":
      return { en: `does not have any of the accepted forms${got.en}`, zh: `${f}不符合任何一种允许的写法${got.zh}` };
    case "not_multiple_of":
      return { en: `must be a multiple of ${String(issue.divisor)}${got.en}`, zh: `${f}必须是 ${String(issue.divisor)} 的倍数${got.zh}` };
    default:
      return issue.code === "invalid_format"
        ? { en: `does not have the required form${got.en}`, zh: `${f}的格式不对${got.zh}` }
        : { en: `is not valid${got.en}`, zh: `${f}不符合要求${got.zh}` };
  }
}

/**
 * An issue in a language: with `lang` `"zh"`, its Chinese text (where it has one) becomes its
 * `message`; with `"en"` it is unchanged. Codes and paths never change.
 *
 * @param issue - An issue of a kaohe error.
 * @param lang - The language wanted.
 * @returns The issue, its `message` in that language.
 * @example
 * ```ts
 * import { localizeIssue } from "kaohe";
 * localizeIssue({ code: "x", path: [], message: "is required", zh: "必须填写" }, "zh").message; //=> "必须填写"
 * ```
 */
export function localizeIssue<T extends Pick<KaoheIssue, "message" | "zh">>(issue: T, lang: Lang | undefined): T {
  return lang === "en" || issue.zh === undefined ? issue : { ...issue, message: issue.zh };
}

/** Options of the entry points that report issues: the language of their messages. */
export interface MessageOptions {
  /**
   * `"zh"` puts each issue's Chinese text (where it has one) into `message`; `"en"` (the default,
   * for compatibility) keeps the English. Codes and paths never change. Passed per call, never set
   * globally.
   */
  readonly lang?: Lang;
}

/**
 * Issues in a language: see {@link localizeIssue}.
 *
 * @param issues - Issues of a kaohe error.
 * @param lang - The language wanted.
 * @returns The issues, each `message` in that language.
 * @example
 * ```ts
 * import { localizeIssues } from "kaohe";
 * localizeIssues([{ code: "x", path: ["unit", "name"], message: "is required", zh: "缺少单位名称" }], "zh")[0]?.message; //=> "缺少单位名称"
 * ```
 */
export function localizeIssues<T extends Pick<KaoheIssue, "message" | "zh">>(issues: readonly T[], lang: Lang | undefined): T[] {
  return issues.map((issue) => localizeIssue(issue, lang));
}

/**
 * Runs a step and, when it throws a {@link KaoheError}, throws it again with its issues' messages in
 * `lang` (the error's own message too). Other errors pass through.
 *
 * @internal
 */
export function inLanguage<T>(lang: Lang | undefined, context: string, step: () => T): T {
  if (lang === undefined || lang === "en") return step();
  try {
    return step();
  } catch (error) {
    if (error instanceof KaoheError) throw new KaoheError(localizeIssues(error.issues, lang), context);
    throw error;
  }
}

/** Renders a user's value for a message, briefly and without throwing. */
export function showValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value);
  if (typeof value === "bigint") return `${value}n`;
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}

/** Runs a zod schema and throws a {@link KaoheError} holding every issue on failure. */
export function parseWith<T>(
  schema: z.ZodMiniType<T>,
  input: unknown,
  context: string,
  label?: (path: readonly PropertyKey[]) => string | undefined,
): T {
  const result = schema.safeParse(input, PARSE_OPTIONS);
  if (!result.success) throw new KaoheError(fromZodIssues(result.error.issues, label), context);
  return result.data;
}
