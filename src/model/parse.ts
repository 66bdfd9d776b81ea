import { KaoheError, toSafe, type SafeResult } from "../internal/errors";
import { fromZodIssues, inLanguage, type MessageOptions } from "./issues";
import { FrameworkSchema, KeyTaskListSchema, type Framework, type KeyTask } from "./framework";
import { checkInputStructure, field } from "./read";
import { checkFrameworkReferences, checkKeyTaskReferences } from "./validate";
import { PARSE_OPTIONS } from "../internal/zod";

function named(value: unknown, noun: string, code: "code" | "id" | "number"): string | undefined {
  const name = field(value, "name") ?? field(value, "title") ?? field(value, "text");
  const key = field(value, code) ?? field(value, "id");
  if (key === undefined && name === undefined) return undefined;
  // A host's value may be any object (even one without a prototype): only text and numbers are shown.
  const shown = typeof key === "string" || typeof key === "number" ? String(key) : "?";
  return `${noun} ${shown}${typeof name === "string" ? `「${name.length > 24 ? `${name.slice(0, 24)}…` : name}」` : ""}`;
}

/** Names the deepest labelled item of a framework that a path runs through, in Chinese where it can. */
export function frameworkLabel(input: unknown): (path: readonly PropertyKey[]) => string | undefined {
  return (path) => {
    let node = input;
    let label: string | undefined;
    for (let i = 0; i < path.length; i++) {
      const key = path[i] as PropertyKey;
      const parent = path[i - 1];
      node = field(node, key);
      if (typeof key !== "number") continue;
      if (parent === "categories") label = named(node, "类别", "code") ?? label;
      else if (parent === "indicators") label = named(node, "指标", "code") ?? label;
      else if (parent === "deductionClauses") label = named(node, "扣分项", "id") ?? label;
      else if (parent === "departments") label = named(node, "部门", "id") ?? label;
      else if (parent === "grades") label = `档次 ${String(field(node, "grade") ?? key)}`;
    }
    return label;
  };
}


/**
 * Parses and validates an assessment indicator system (考核指标体系): its shape, and every
 * cross-reference (unique ids, departments that exist, grade bands strictly descending, a declared
 * total that matches).
 *
 * @param input - A framework, e.g. read from JSON.
 * @param options - `lang: "zh"` gives the issues' messages in Chinese (see {@link MessageOptions}).
 * @returns The typed framework, with defaults applied (`precision` 2).
 * @throws {@link KaoheError} holding every issue found, each with a code, a path and a message.
 * @example
 * ```ts
 * import { parseFramework, jiangxi2025 } from "kaohe";
 * parseFramework(jiangxi2025).categories.length; //=> 5
 * ```
 */
export function parseFramework(input: unknown, options: MessageOptions = {}): Framework {
  return inLanguage(options.lang, "Invalid framework", () => {
    const result = FrameworkSchema.safeParse(input, PARSE_OPTIONS);
    const issues = checkInputStructure(input);
    if (!result.success) issues.push(...fromZodIssues(result.error.issues, frameworkLabel(input)));
    issues.push(...checkFrameworkReferences(input));
    if (issues.length > 0 || !result.success) throw new KaoheError(issues, "Invalid framework");
    return result.data;
  });
}

/**
 * Like {@link parseFramework}, but returns `{ success: true, data }` or `{ success: false, error }`
 * instead of throwing.
 *
 * @param input - A framework, e.g. read from JSON.
 * @param options - `lang: "zh"` gives the issues' messages in Chinese.
 * @returns The typed framework, or the error holding every issue.
 * @example
 * ```ts
 * import { safeParseFramework } from "kaohe";
 * safeParseFramework({ id: "x" }).success; //=> false
 * const zh = safeParseFramework({ id: "x" }, { lang: "zh" });
 * zh.success ? "" : zh.error.issues[0]?.message; //=> "缺少标题，必须填写（应为文字）"
 * ```
 */
export const safeParseFramework: (input: unknown, options?: MessageOptions) => SafeResult<Framework> = toSafe(parseFramework);

/**
 * Parses the key tasks of a year (重点任务) and checks that each links indicators that exist in
 * the given framework.
 *
 * @param input - A list of key tasks.
 * @param framework - The framework whose indicators the tasks link to.
 * @returns The typed key tasks.
 * @throws {@link KaoheError} holding every issue found.
 * @example
 * ```ts
 * import { parseKeyTasks, keyTasks2025, jiangxi2025 } from "kaohe";
 * parseKeyTasks(keyTasks2025, jiangxi2025).length; //=> 14
 * ```
 */
export function parseKeyTasks(input: unknown, framework: Framework): KeyTask[] {
  const result = KeyTaskListSchema.safeParse(input, PARSE_OPTIONS);
  const label = (path: readonly PropertyKey[]) =>
    typeof path[0] === "number" ? named(field(input, path[0]), "重点任务", "number") : undefined;
  const issues = checkInputStructure(input);
  if (!result.success) issues.push(...fromZodIssues(result.error.issues, label));
  const indicatorIds = new Set(framework.categories.flatMap((c) => c.indicators.map((i) => i.id)));
  issues.push(...checkKeyTaskReferences(input, indicatorIds));
  if (issues.length > 0 || !result.success) throw new KaoheError(issues, "Invalid key tasks");
  return result.data;
}

/**
 * Like {@link parseKeyTasks}, but returns a {@link SafeResult} instead of throwing.
 *
 * @param input - A list of key tasks.
 * @param framework - The framework whose indicators the tasks link to.
 * @returns The typed key tasks, or the error holding every issue.
 * @example
 * ```ts
 * import { safeParseKeyTasks, keyTasks2025, jiangxi2025 } from "kaohe";
 * safeParseKeyTasks(keyTasks2025, jiangxi2025).success; //=> true
 * ```
 */
export const safeParseKeyTasks: (input: unknown, framework: Framework) => SafeResult<KeyTask[]> =
  toSafe(parseKeyTasks);
