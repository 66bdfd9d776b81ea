import { KaoheError, toSafe, type KaoheIssue, type SafeResult } from "../internal/errors";
import { fromZodIssues, showValue } from "../model/issues";
import { checkInputStructure } from "../model/read";
import { safeCompileRule, type JsonLogicRule, type PreparedRule, type RuleEngineOptions } from "../rules/index";
import { SCREENING_OPERATIONS } from "./operations";
import { RulebookSchema, SUBJECTS, type Field, type ParameterValue, type Rulebook, type RulebookInput, type ScreeningRule, type Subject } from "./schema";
import { PARSE_OPTIONS } from "../internal/zod";

/** The depth of each kind of record: a village holds households, a household holds persons. */
export const SUBJECT_DEPTH: Readonly<Record<Subject, number>> = { village: 0, household: 1, person: 2 };

/** A rule checked and compiled once, with what it reads. */
export interface PreparedScreeningRule {
  /** The rule as written in the rulebook. */
  readonly rule: ScreeningRule;
  /** Its compiled condition. */
  readonly condition: PreparedRule;
  /** The data paths it reads (its condition's and its message's), sorted, without duplicates. */
  readonly variables: readonly string[];
  /** `true` when it reads `members`, so that it needs a file with one row per person. */
  readonly readsMembers: boolean;
  /**
   * The declared fields it may read, sorted: those of its variables, and (for a rule that walks
   * `members`) every literal `var` inside its per-element rules. A record whose value of one of
   * them is unusable leaves the rule undecided; a file without one of their columns cannot run it.
   */
  readonly fields: readonly string[];
  /** The message split into literal text (even indexes) and paths to fill in (odd indexes). */
  readonly messageParts: readonly string[];
}

/** A rulebook validated and compiled once, ready to screen many records. */
export interface PreparedRulebook {
  /** The validated rulebook. */
  readonly rulebook: Rulebook;
  /** The parameter values in force: the rulebook's defaults with the caller's overrides. */
  readonly parameters: Readonly<Record<string, ParameterValue>>;
  /** The parameters the caller overrode for this run, by name, with their values (shown in every finding's values). */
  readonly overrides: Readonly<Record<string, ParameterValue>>;
  /** The compiled rules, in rulebook order. */
  readonly rules: readonly PreparedScreeningRule[];
}

/** Options of {@link prepareRulebook}. */
export interface PrepareRulebookOptions {
  /**
   * Parameter values that replace the rulebook's defaults for this run, e.g. `{ incomeLine: 8000 }`.
   * Each must be declared, and of its default's type; text is read as that type, so that a command
   * line's `incomeLine=8000` works (`"8000"` for a number, `是`/`否`/`true`/`false` for a boolean).
   */
  readonly parameters?: Readonly<Record<string, ParameterValue>>;
  /** Limits of the rule engine (depth, size, steps); see `RuleEngineOptions`. */
  readonly limits?: Omit<RuleEngineOptions, "operations" | "computedPaths">;
}

/** The label of a field in messages: its own label, or its first column name. */
export function fieldLabel(name: string, field: Field): string {
  return field.label ?? (typeof field.column === "string" ? field.column : (field.column[0] ?? name));
}

/** The column names of a field, as a list. */
export function fieldColumns(field: Field): readonly string[] {
  return typeof field.column === "string" ? [field.column] : field.column;
}

/**
 * Validates a rulebook and compiles its rules once: the schema, duplicate rule codes and columns,
 * keys and unit fields that name declared fields, safe rules (refusing paths computed at run time),
 * and every variable a rule or message reads against the fields of its subject and the parameters.
 *
 * @param input - A rulebook, typically parsed from JSON.
 * @param options - Parameter overrides and rule engine limits.
 * @returns The prepared rulebook.
 * @throws {@link KaoheError} holding every issue found, each with its path into the rulebook.
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { prepareRulebook } from "kaohe";
 * const rulebook = JSON.parse(readFileSync("examples/screening/rulebook.json", "utf8"));
 * const prepared = prepareRulebook(rulebook, { parameters: { incomeLine: 8000 } });
 * prepared.parameters.incomeLine;              //=> 8000
 * prepared.parameters.minMonthsBeforeClearing; //=> 6
 * prepared.rules.map((r) => r.rule.code).slice(0, 3); //=> ["SC01", "SC02", "SC03"]
 * ```
 */
export function prepareRulebook(input: RulebookInput, options: PrepareRulebookOptions = {}): PreparedRulebook {
  const parsed = RulebookSchema.safeParse(input, PARSE_OPTIONS);
  // Too deep, or a key such as fields.__proto__ that parsing would silently drop (issue 16).
  const structure = checkInputStructure(input);
  if (!parsed.success || structure.length > 0) {
    throw new KaoheError([...structure, ...(parsed.success ? [] : fromZodIssues(parsed.error.issues))], "Invalid rulebook");
  }
  const rulebook = parsed.data;
  const issues: KaoheIssue[] = [...checkStructure(rulebook)];
  const parameters: Record<string, ParameterValue> = {};
  for (const [name, parameter] of Object.entries(rulebook.parameters)) parameters[name] = parameter.value;
  const overrides: Record<string, ParameterValue> = {};
  for (const [name, value] of Object.entries(options.parameters ?? {})) {
    const declared = Object.hasOwn(rulebook.parameters, name) ? rulebook.parameters[name] : undefined;
    if (declared === undefined) {
      const known = Object.keys(rulebook.parameters).join(", ") || "none";
      issues.push({
        code: "unknown_parameter",
        path: ["parameters", name],
        message: `parameter "${name}" is not declared by the rulebook (it declares ${known})`,
        zh: `规则集未声明参数「${name}」（已声明：${known}）`,
      });
      continue;
    }
    const read = readParameter(value, declared.value);
    if (read === undefined) {
      const type = typeof declared.value;
      issues.push({
        code: "invalid_parameter",
        path: ["parameters", name],
        message: `parameter "${name}" (${declared.title}) must be a ${type === "number" ? "finite number" : type === "boolean" ? "boolean (true/false, 是/否)" : "text"}, like its default ${showValue(declared.value)} (got ${showValue(value)})`,
        zh: `参数「${name}」（${declared.title}）应为${type === "number" ? "数字" : type === "boolean" ? "是或否" : "文本"}，与默认值 ${showValue(declared.value)} 同类（得到 ${showValue(value)}）`,
      });
      continue;
    }
    parameters[name] = read;
    overrides[name] = read;
  }
  const rules: PreparedScreeningRule[] = [];
  const seen = new Map<string, number>();
  rulebook.rules.forEach((rule, index) => {
    const first = seen.get(rule.code);
    if (first !== undefined) {
      issues.push({ code: "duplicate_code", path: ["rules", index, "code"], message: `rule code "${rule.code}" is already used by rules[${first}]` });
    } else seen.set(rule.code, index);
    const prepared = prepareRule(rulebook, rule, index, options, issues);
    if (prepared) rules.push(prepared);
  });
  if (issues.length > 0) throw new KaoheError(issues, "Invalid rulebook");
  return { rulebook, parameters: Object.freeze(parameters), overrides: Object.freeze(overrides), rules };
}

/**
 * {@link prepareRulebook} returning a result instead of throwing.
 *
 * @param input - A rulebook, typically parsed from JSON.
 * @param options - Parameter overrides and rule engine limits.
 * @returns `{ success: true, data }` with the prepared rulebook, or `{ success: false, error }` holding every issue.
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { safePrepareRulebook } from "kaohe";
 * const rulebook = JSON.parse(readFileSync("examples/screening/rulebook.json", "utf8"));
 * safePrepareRulebook({}).success; //=> false
 * safePrepareRulebook(rulebook).success; //=> true
 * const result = safePrepareRulebook(rulebook, { parameters: { povertyLine: 4000 } });
 * result.success ? [] : result.error.issues.map((i) => [i.code, i.path]); //=> [["unknown_parameter", ["parameters", "povertyLine"]]]
 * ```
 */
export const safePrepareRulebook: (input: unknown, options?: PrepareRulebookOptions) => SafeResult<PreparedRulebook> =
  // Untrusted data enters here: prepareRulebook validates the rulebook whatever its type says.
  toSafe((input: unknown, options?: PrepareRulebookOptions) => prepareRulebook(input as RulebookInput, options));

/** Keys, unit fields and columns: each names a declared field of the right kind, once. */
function checkStructure(rulebook: Rulebook): KaoheIssue[] {
  const issues: KaoheIssue[] = [];
  const columns = new Map<string, string>();
  for (const [name, field] of Object.entries(rulebook.fields)) {
    if (name === "members" || name === "params") {
      issues.push({ code: "reserved_field", path: ["fields", name], message: `"${name}" is reserved for what the screener supplies` });
    }
    for (const column of fieldColumns(field)) {
      const owner = columns.get(column);
      if (owner !== undefined) {
        issues.push({ code: "duplicate_column", path: ["fields", name, "column"], message: `column "${column}" is already mapped to field "${owner}"` });
      } else columns.set(column, name);
    }
    if (field.allowed && field.type !== "text") {
      issues.push({
        code: "invalid_option",
        path: ["fields", name, "allowed"],
        message: `only text fields may list allowed values (field "${name}" is ${field.type})`,
        zh: `只有文本字段可以列出代码表（字段「${name}」的类型是 ${field.type}）`,
      });
    }
    if (field.trim === false && field.type !== "text") {
      issues.push({
        code: "invalid_option",
        path: ["fields", name, "trim"],
        message: `only text fields may keep their blanks with "trim": false (field "${name}" is ${field.type})`,
        zh: `只有文本字段可以用 "trim": false 保留空白（字段「${name}」的类型是 ${field.type}）`,
      });
    }
  }
  for (const subject of SUBJECTS) {
    const key = rulebook.keys[subject];
    if (key === undefined) continue;
    const field = rulebook.fields[key];
    if (!field || field.of !== subject) {
      const problem = field ? `is a ${field.of} field, not a ${subject} field` : "is not a declared field";
      issues.push({ code: "unknown_field", path: ["keys", subject], message: `key "${key}" ${problem}` });
    }
  }
  if (rulebook.keys.person !== undefined && rulebook.keys.household === undefined) {
    issues.push({ code: "missing_key", path: ["keys", "household"], message: "a person key needs a household key: persons are grouped into households" });
  }
  for (const level of ["county", "township", "village"] as const) {
    const name = rulebook.unit[level];
    const field = rulebook.fields[name];
    if (!field || field.of !== "village") {
      const problem = field ? `is a ${field.of} field, not a village field` : "is not a declared field";
      issues.push({ code: "unknown_field", path: ["unit", level], message: `unit field "${name}" ${problem}` });
    }
  }
  return issues;
}

/** Compiles one rule and checks what it reads; pushes issues and returns undefined when it fails. */
function prepareRule(
  rulebook: Rulebook,
  rule: ScreeningRule,
  index: number,
  options: PrepareRulebookOptions,
  issues: KaoheIssue[],
): PreparedScreeningRule | undefined {
  const at = ["rules", index] as const;
  const before = issues.length;
  if (rulebook.keys[rule.subject] === undefined) {
    issues.push({ code: "missing_key", path: [...at, "subject"], message: `rule ${rule.code} screens ${rule.subject} records, but keys.${rule.subject} is not declared` });
  }
  const compiled = safeCompileRule(rule.when as JsonLogicRule, { ...options.limits, operations: SCREENING_OPERATIONS, computedPaths: "refuse" });
  if (!compiled.success) {
    for (const issue of compiled.error.issues) issues.push({ ...issue, path: [...at, "when", ...issue.path] });
    return undefined;
  }
  const messageParts = rule.message.split(/\{([^{}]*)\}/);
  const variables = new Set(compiled.data.variables);
  for (const path of compiled.data.variables) checkVariable(rulebook, rule, path, [...at, "when"], issues);
  for (let i = 1; i < messageParts.length; i += 2) {
    const path = messageParts[i] ?? "";
    checkVariable(rulebook, rule, path, [...at, "message"], issues);
    variables.add(path);
  }
  if (issues.length > before) return undefined;
  const sorted = [...variables].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const readsMembers = sorted.some((path) => path === "members" || path.startsWith("members."));
  const fields = new Set<string>();
  const addField = (path: string) => {
    const steps = path.split(".");
    const name = steps[0] === "members" ? steps[2] : steps[0];
    if (name !== undefined && Object.hasOwn(rulebook.fields, name)) fields.add(name);
  };
  sorted.forEach(addField);
  if (readsMembers) literalPaths(compiled.data.rule, addField);
  return { rule, condition: compiled.data, variables: sorted, readsMembers, fields: [...fields].sort(), messageParts };
}

/** Calls `found` with every literal path of a `var`, `missing` or `missing_some` anywhere in a (compiled, bounded) rule. */
function literalPaths(rule: unknown, found: (path: string) => void): void {
  if (Array.isArray(rule)) {
    for (const item of rule) literalPaths(item, found);
    return;
  }
  if (rule === null || typeof rule !== "object") return;
  for (const [operator, args] of Object.entries(rule)) {
    const list = Array.isArray(args) ? args : [args];
    if (operator === "var" && typeof list[0] === "string") found(list[0]);
    if (operator === "missing") for (const item of list) if (typeof item === "string") found(item);
    if (operator === "missing_some" && Array.isArray(list[1])) for (const item of list[1]) if (typeof item === "string") found(item);
    literalPaths(args, found);
  }
}

/** A parameter override read as its default's type, or undefined when it is not one. */
function readParameter(value: unknown, declared: ParameterValue): ParameterValue | undefined {
  if (typeof declared === "number") {
    if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
    if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value.trim());
    return undefined;
  }
  if (typeof declared === "boolean") {
    if (typeof value === "boolean") return value;
    const word = typeof value === "string" ? value.trim().toLowerCase() : undefined;
    return word === "true" || word === "是" ? true : word === "false" || word === "否" ? false : undefined;
  }
  return typeof value === "string" ? value : undefined;
}

/** Checks that a path names a field of the rule's subject, a parameter, or (for households) the members. */
function checkVariable(
  rulebook: Rulebook,
  rule: ScreeningRule,
  path: string,
  at: readonly (string | number)[],
  issues: KaoheIssue[],
): void {
  const steps = path.split(".");
  const [first, second, third] = steps;
  const depth = SUBJECT_DEPTH[rule.subject];
  let ok = false;
  if (first === "params") {
    ok = steps.length === 2 && second !== undefined && Object.hasOwn(rulebook.parameters, second);
  } else if (first === "members") {
    const person = third !== undefined ? rulebook.fields[third] : undefined;
    ok =
      rule.subject === "household" &&
      (steps.length === 1 ||
        (steps.length === 2 && (second === "length" || /^\d+$/.test(second ?? ""))) ||
        (steps.length === 3 && /^\d+$/.test(second ?? "") && person?.of === "person"));
  } else if (first !== undefined && Object.hasOwn(rulebook.fields, first)) {
    const field = rulebook.fields[first] as Field;
    ok = SUBJECT_DEPTH[field.of] <= depth && (steps.length === 1 || (steps.length === 2 && second === "length" && field.type === "text"));
  }
  if (ok) return;
  const readable = Object.entries(rulebook.fields)
    .filter(([, field]) => SUBJECT_DEPTH[field.of] <= depth)
    .map(([name]) => name);
  if (rule.subject === "household") readable.push("members");
  readable.push(...Object.keys(rulebook.parameters).map((name) => `params.${name}`));
  issues.push({
    code: "unknown_variable",
    path: at,
    message: `rule ${rule.code} (${rule.title}) reads "${path}", which a ${rule.subject} record does not have; it may read ${readable.join(", ")}`,
  });
}
