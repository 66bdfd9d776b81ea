import { KaoheError, toSafe, type KaoheIssue, type SafeResult } from "../internal/errors";
import { fromZodIssues, showValue } from "../model/issues";
import { checkInputStructure } from "../model/read";
import { safeCompileRule, type JsonLogicRule, type PreparedRule, type RuleEngineOptions } from "../rules/index";
import { RulebookSchema, SUBJECTS, type Field, type ParameterValue, type Rulebook, type RulebookInput, type ScreeningRule, type Subject } from "./schema";

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
  /** The message split into literal text (even indexes) and paths to fill in (odd indexes). */
  readonly messageParts: readonly string[];
}

/** A rulebook validated and compiled once, ready to screen many records. */
export interface PreparedRulebook {
  /** The validated rulebook. */
  readonly rulebook: Rulebook;
  /** The parameter values in force: the rulebook's defaults with the caller's overrides. */
  readonly parameters: Readonly<Record<string, ParameterValue>>;
  /** The compiled rules, in rulebook order. */
  readonly rules: readonly PreparedScreeningRule[];
}

/** Options of {@link prepareRulebook}. */
export interface PrepareRulebookOptions {
  /** Parameter values that replace the rulebook's defaults, e.g. `{ incomeLine: 8000 }`; each must be declared. */
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
  const parsed = RulebookSchema.safeParse(input, { reportInput: true });
  // Too deep, or a key such as fields.__proto__ that parsing would silently drop (issue 16).
  const structure = checkInputStructure(input);
  if (!parsed.success || structure.length > 0) {
    throw new KaoheError([...structure, ...(parsed.success ? [] : fromZodIssues(parsed.error.issues))], "Invalid rulebook");
  }
  const rulebook = parsed.data;
  const issues: KaoheIssue[] = [...checkStructure(rulebook)];
  const parameters: Record<string, ParameterValue> = {};
  for (const [name, parameter] of Object.entries(rulebook.parameters)) parameters[name] = parameter.value;
  for (const [name, value] of Object.entries(options.parameters ?? {})) {
    if (!Object.hasOwn(rulebook.parameters, name)) {
      issues.push({ code: "unknown_parameter", path: ["parameters", name], message: `parameter "${name}" is not declared by the rulebook` });
    } else if (typeof value === "number" && !Number.isFinite(value)) {
      issues.push({ code: "invalid_number", path: ["parameters", name], message: `parameter "${name}" must be finite (got ${showValue(value)})` });
    } else parameters[name] = value;
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
  return { rulebook, parameters: Object.freeze(parameters), rules };
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
    if (field.values && field.type !== "text") {
      issues.push({ code: "invalid_values", path: ["fields", name, "values"], message: `only text fields may list allowed values (this one is ${field.type})` });
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
  const compiled = safeCompileRule(rule.when as JsonLogicRule, { ...options.limits, computedPaths: "refuse" });
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
  return { rule, condition: compiled.data, variables: sorted, readsMembers, messageParts };
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
