import { isKaoheError } from "../internal/errors";
import type { RuleValue } from "../rules/index";
import type { PreparedRulebook, PreparedScreeningRule } from "./prepare";
import { SUBJECT_DEPTH } from "./prepare";
import type { RejectedRow, ScreeningRecord, UnitPath } from "./records";
import type { Severity, Subject } from "./schema";

/**
 * A finding (问题线索): a rule that holds for a record, or (`kind: "rule_failed"`) a rule that
 * could not be decided for it, e.g. because a value it compares is empty.
 */
export interface Finding {
  readonly kind: "finding" | "rule_failed";
  /** The rule's code. */
  readonly code: string;
  /** The rule's title. */
  readonly title: string;
  readonly severity: Severity;
  readonly subject: Subject;
  /** The key of the record: a village's, a household's or a person's. */
  readonly recordId: string;
  /** For a person, the key of the household. */
  readonly householdId?: string;
  /** 县/乡/村. */
  readonly unit: UnitPath;
  /** The rule's message with the record's values filled in, or why the rule could not be decided. */
  readonly message: string;
  /** The values of every path the rule reads, as the rule saw them. */
  readonly values: Readonly<Record<string, RuleValue>>;
  readonly file?: string;
  /** The record's row (a household's first row). */
  readonly row: number;
}

/** What screening produces, in order: findings and rejected rows. */
export type ScreeningItem = Finding | RejectedRow;

/** The rules that can run on rows of one kind, and those that cannot, with why. */
export interface RulePlan {
  readonly village: readonly PreparedScreeningRule[];
  readonly household: readonly PreparedScreeningRule[];
  readonly person: readonly PreparedScreeningRule[];
  /** Rules not run on such rows, with the reason. */
  readonly skipped: readonly { readonly code: string; readonly reason: string }[];
}

/**
 * Chooses the rules that rows of a given kind can feed: village rules need rows of villages;
 * household rules need rows of households or persons, and rows of persons when they read
 * `members`; person rules need rows of persons.
 *
 * @param prepared - The prepared rulebook.
 * @param level - What one row holds.
 * @returns The rules by subject, and the skipped ones.
 */
export function planRules(prepared: PreparedRulebook, level: Subject): RulePlan {
  const plan = { village: [] as PreparedScreeningRule[], household: [] as PreparedScreeningRule[], person: [] as PreparedScreeningRule[] };
  const skipped: { code: string; reason: string }[] = [];
  const depth = SUBJECT_DEPTH[level];
  for (const prepared_ of prepared.rules) {
    const { subject, code } = prepared_.rule;
    const needed = subject === "household" && prepared_.readsMembers ? 2 : SUBJECT_DEPTH[subject];
    const fits = subject === "village" ? depth === 0 : depth >= needed;
    if (fits) plan[subject].push(prepared_);
    else {
      const rows = needed === 2 ? "rows of persons" : needed === 1 ? "rows of households or persons" : "rows of villages";
      skipped.push({ code, reason: `rule ${code} needs ${rows}, and these rows are of ${level === "person" ? "persons" : `${level}s`}` });
    }
  }
  return { ...plan, skipped };
}

/**
 * Runs the planned rules over assembled records and rejected rows, keeping their order: each
 * record's findings take its place (a household's own findings first, then its persons' in row
 * order; for one record, rules in rulebook order), and rejected rows pass through.
 *
 * @param prepared - The prepared rulebook.
 * @param plan - The rules to run, from {@link planRules}.
 * @param entries - Records and rejected rows, in input order.
 * @returns Findings and rejected rows, in that order.
 * @throws Whatever a host's custom code throws; a rule's own failure is a `rule_failed` finding.
 */
export function evaluateEntries(
  prepared: PreparedRulebook,
  plan: RulePlan,
  entries: readonly (ScreeningRecord | RejectedRow)[],
): ScreeningItem[] {
  const out: ScreeningItem[] = [];
  const params = prepared.parameters;
  for (const entry of entries) {
    if (entry.kind === "rejected") {
      out.push(entry);
      continue;
    }
    if (entry.subject === "village") {
      if (plan.village.length > 0) runRules(plan.village, merge(entry.fields, undefined, params), entry, entry.id, undefined, entry.row, out);
      continue;
    }
    if (plan.household.length > 0) {
      const data = merge(entry.fields, undefined, params);
      data.members = entry.members.map((member) => member.fields);
      runRules(plan.household, data, entry, entry.id, undefined, entry.row, out);
    }
    if (plan.person.length > 0) {
      for (const member of entry.members) {
        runRules(plan.person, merge(entry.fields, member.fields, params), entry, member.id, entry.id, member.row, out);
      }
    }
  }
  return out;
}

/** The data a rule sees: fields, then a person's own fields, then params (a loop: multi-source spreads are slow in V8). */
function merge(fields: object, own: object | undefined, params: unknown): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const key in fields) data[key] = (fields as Record<string, unknown>)[key];
  if (own) for (const key in own) data[key] = (own as Record<string, unknown>)[key];
  data.params = params;
  return data;
}

function runRules(
  rules: readonly PreparedScreeningRule[],
  data: Record<string, unknown>,
  record: ScreeningRecord,
  recordId: string,
  householdId: string | undefined,
  row: number,
  out: ScreeningItem[],
): void {
  for (const prepared of rules) {
    let kind: Finding["kind"] = "finding";
    let failure = "";
    try {
      if (!prepared.condition.test(data)) continue;
    } catch (error) {
      if (!isKaoheError(error)) throw error;
      kind = "rule_failed";
      failure = error.issues.map((issue) => issue.message).join("; ");
    }
    const values: Record<string, RuleValue> = {};
    for (const path of prepared.variables) values[path] = readPath(data, path);
    const { rule } = prepared;
    const message = kind === "finding" ? fillMessage(prepared.messageParts, values) : `规则无法判断 (rule could not be decided): ${failure}`;
    const finding: Finding = {
      kind,
      code: rule.code,
      title: rule.title,
      severity: rule.severity,
      subject: rule.subject,
      recordId,
      ...(householdId === undefined ? {} : { householdId }),
      unit: record.unit,
      message,
      values,
      ...(record.file === undefined ? {} : { file: record.file }),
      row,
    };
    out.push(finding);
  }
}

/** Reads a dotted path through own properties only, as the rule engine does; missing is null. */
function readPath(data: unknown, path: string): RuleValue {
  let value: unknown = data;
  for (const step of path.split(".")) {
    if (value === null || (typeof value !== "object" && typeof value !== "string")) return null;
    if (!Object.hasOwn(value as object, step)) return null;
    value = (value as Record<string, unknown>)[step];
  }
  return value === undefined ? null : (value as RuleValue);
}

function fillMessage(parts: readonly string[], values: Readonly<Record<string, RuleValue>>): string {
  if (parts.length === 1) return parts[0] ?? "";
  let text = "";
  parts.forEach((part, i) => {
    text += i % 2 === 0 ? part : showMessageValue(values[part] ?? null);
  });
  return text;
}

/** How a value reads inside a Chinese message: 空 for empty, 是/否 for booleans. */
function showMessageValue(value: RuleValue): string {
  if (value === null) return "空";
  if (typeof value === "boolean") return value ? "是" : "否";
  if (typeof value === "string" || typeof value === "number") return String(value);
  return JSON.stringify(value);
}
