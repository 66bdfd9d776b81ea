import { isKaoheError } from "../internal/errors";
import type { RuleValue } from "../rules/index";
import type { PreparedRulebook, PreparedScreeningRule } from "./prepare";
import { SUBJECT_DEPTH } from "./prepare";
import type { DataQualityFinding, RejectedRow, ScreeningMember, ScreeningRecord, UnitPath } from "./records";
import type { Severity, Subject } from "./schema";

/**
 * A finding (问题线索): a rule that holds for a record, or (`kind: "rule_failed"`) a rule that
 * could not be decided for it (the third outcome, 无法判断), with the reason in `message` and
 * its kind in `cause`.
 */
export interface Finding {
  /** `finding`: the rule holds for the record; `rule_failed`: it could not be decided for it (see `cause`). */
  readonly kind: "finding" | "rule_failed";
  /** The rule's code. */
  readonly code: string;
  /** The rule's title. */
  readonly title: string;
  /** The rule's severity. */
  readonly severity: Severity;
  /** The kind of record the rule screens. */
  readonly subject: Subject;
  /** The key of the record: a village's, a household's or a person's. */
  readonly recordId: string;
  /** For a person, the key of the household. */
  readonly householdId?: string;
  /** 县/乡/村. */
  readonly unit: UnitPath;
  /** The rule's message with the record's values filled in, or why the rule could not be decided. */
  readonly message: string;
  /**
   * For `rule_failed`, why: `unusable_value` (it reads a field whose cell is a data-quality
   * finding), `incomplete_household` (it reads the members, and a row of the household was
   * rejected), or `rule_error` (the rule failed on this record: an empty value compared, a limit,
   * any error of the engine).
   */
  readonly cause?: "unusable_value" | "incomplete_household" | "rule_error";
  /** The values of every path the rule reads, as the rule saw them, and every parameter overridden for this run. */
  readonly values: Readonly<Record<string, RuleValue>>;
  /** The file the record comes from, when known. */
  readonly file?: string;
  /** The record's row (a household's first row). */
  readonly row: number;
}

/** What screening produces, in order: findings (and undecided rules), data-quality findings and rejected rows. */
export type ScreeningItem = Finding | DataQualityFinding | RejectedRow;

/** A rule not run at all over some rows, and why. */
export interface SkippedRule {
  /** The rule's code. */
  readonly code: string;
  /** `level`: these rows are of another kind than the rule screens (a run may give it another file); `columns`: the file lacks a column it reads. */
  readonly why: "level" | "columns";
  /** Why, in English: rows of the wrong kind, or a column the file lacks. */
  readonly reason: string;
  /** The same in Chinese. */
  readonly zh: string;
  /** The columns it needs that the file lacks, when that is why. */
  readonly missingColumns?: readonly string[];
}

/** The rules that can run on rows of one kind, and those that cannot, with why. */
export interface RulePlan {
  /** The village rules that run. */
  readonly village: readonly PreparedScreeningRule[];
  /** The household rules that run. */
  readonly household: readonly PreparedScreeningRule[];
  /** The person rules that run. */
  readonly person: readonly PreparedScreeningRule[];
  /** Rules not run on such rows, with the reason. */
  readonly skipped: readonly SkippedRule[];
}

const LEVEL_ZH: Readonly<Record<Subject, string>> = { village: "村", household: "户", person: "人" };

/**
 * Chooses the rules that rows of a given kind can feed: village rules need rows of villages;
 * household rules need rows of households or persons, and rows of persons when they read
 * `members`; person rules need rows of persons. A rule that reads a field whose column the file
 * lacks cannot run either.
 *
 * @param prepared - The prepared rulebook.
 * @param level - What one row holds.
 * @param missing - Fields whose column the file lacks, with the column's name.
 * @returns The rules by subject, and the skipped ones.
 */
export function planRules(prepared: PreparedRulebook, level: Subject, missing: Readonly<Record<string, string>> = {}): RulePlan {
  const plan = { village: [] as PreparedScreeningRule[], household: [] as PreparedScreeningRule[], person: [] as PreparedScreeningRule[] };
  const skipped: SkippedRule[] = [];
  const depth = SUBJECT_DEPTH[level];
  for (const prepared_ of prepared.rules) {
    const { subject, code } = prepared_.rule;
    const needed = subject === "household" && prepared_.readsMembers ? 2 : SUBJECT_DEPTH[subject];
    const fits = subject === "village" ? depth === 0 : depth >= needed;
    if (!fits) {
      const rows = needed === 2 ? "rows of persons" : needed === 1 ? "rows of households or persons" : "rows of villages";
      const rowsZh = needed === 2 ? "每人一行" : needed === 1 ? "每户或每人一行" : "每村一行";
      skipped.push({
        code,
        why: "level",
        reason: `rule ${code} needs ${rows}, and these rows are of ${level === "person" ? "persons" : `${level}s`}`,
        zh: `规则 ${code} 需要${rowsZh}的数据，而此文件每${LEVEL_ZH[level]}一行`,
      });
      continue;
    }
    const lacking = prepared_.fields.filter((field) => Object.hasOwn(missing, field)).map((field) => missing[field] as string);
    if (lacking.length > 0) {
      skipped.push({
        code,
        why: "columns",
        reason: `rule ${code} reads column${lacking.length > 1 ? "s" : ""} ${lacking.join(", ")}, which the file lacks`,
        zh: `规则 ${code} 需要「${lacking.join("」「")}」列，文件中没有`,
        missingColumns: lacking,
      });
      continue;
    }
    plan[subject].push(prepared_);
  }
  return { ...plan, skipped };
}

/**
 * Runs the planned rules over assembled records and rejected rows, keeping their order: each
 * record's data-quality findings first (in row order), then its findings (a household's own
 * first, then its persons' in row order; for one record, rules in rulebook order); rejected rows
 * pass through.
 *
 * @param prepared - The prepared rulebook.
 * @param plan - The rules to run, from {@link planRules}.
 * @param entries - Records and rejected rows, in input order.
 * @returns Findings, data-quality findings and rejected rows, in that order.
 */
export function evaluateEntries(
  prepared: PreparedRulebook,
  plan: RulePlan,
  entries: readonly (ScreeningRecord | RejectedRow)[],
): ScreeningItem[] {
  const evaluator = new EntryEvaluator(prepared, plan);
  for (const entry of entries) evaluator.add(entry);
  return evaluator.take();
}

/**
 * {@link evaluateEntries} one entry at a time: a record can be evaluated as soon as it is
 * assembled, and dropped, rather than held with its whole batch. The data objects rules see are
 * kept from entry to entry.
 * @internal
 */
export class EntryEvaluator {
  // Apart for villages, whose data has no members.
  private readonly villages: DataFrames;
  private readonly frames: DataFrames;
  private readonly context: RunContext;

  /**
   * @param prepared - The prepared rulebook.
   * @param plan - The rules to run, from {@link planRules}.
   */
  constructor(
    prepared: PreparedRulebook,
    private readonly plan: RulePlan,
  ) {
    this.villages = new DataFrames(prepared.parameters);
    this.frames = new DataFrames(prepared.parameters);
    this.context = { out: [], overrides: Object.entries(prepared.overrides).map(([name, value]) => [`params.${name}`, value] as const) };
  }

  /**
   * Evaluates one entry (a rejected row passes through), after those added before.
   *
   * @param entry - A record or a rejected row.
   */
  add(entry: ScreeningRecord | RejectedRow): void {
    const { plan, context } = this;
    const out = context.out;
    if (entry.kind === "rejected") {
      out.push(entry);
      return;
    }
    for (const quality of entry.quality) out.push(quality);
    if (entry.subject === "village") {
      if (plan.village.length > 0) runRules(plan.village, this.villages.record(entry.fields), entry, undefined, context);
      return;
    }
    if (plan.household.length > 0) {
      const data = this.frames.record(entry.fields);
      const members: (typeof entry.members)[number]["fields"][] = [];
      for (const member of entry.members) members.push(member.fields);
      data.members = members;
      runRules(plan.household, data, entry, undefined, context);
    }
    if (plan.person.length > 0) {
      for (const member of entry.members) runRules(plan.person, this.frames.person(entry.fields, member.fields), entry, member, context);
    }
  }

  /**
   * Takes the items of the entries added so far, in order.
   *
   * @returns Findings, data-quality findings and rejected rows.
   */
  take(): ScreeningItem[] {
    const items = this.context.out;
    this.context.out = [];
    return items;
  }
}

/** The enumerable keys of an object, in `for…in` order. */
function keysOf(object: object): string[] {
  const keys: string[] = [];
  for (const key in object) keys.push(key);
  return keys;
}

/**
 * Whether an object's `for…in` keys are exactly `keys`, in that order.
 * @internal
 */
export function hasKeys(object: object, keys: readonly string[]): boolean {
  let i = 0;
  for (const key in object) if (keys[i++] !== key) return false;
  return i === keys.length;
}

/** Copies a record's fields into a data object (fields are own data properties: Object.assign copies them faster than a loop). */
function assign(target: Record<string, unknown>, source: object): void {
  Object.assign(target, source);
}

/**
 * The data objects rules see, built once and refilled from record to record (and person to
 * person) while the fields have the same keys: the same content as {@link merge} builds, without
 * copying a household's fields for each of its persons or allocating an object per person. Rules
 * never keep the data object (finding values are copied out of it).
 */
class DataFrames {
  private recordKeys: string[] = [];
  private recordData: Record<string, unknown> | undefined;
  private fieldKeys: string[] = [];
  private ownKeys: string[] = [];
  private personData: Record<string, unknown> | undefined;
  private personFields: object | undefined;

  constructor(private readonly params: unknown) {}

  /** A village's or household's data: its fields, then params (the caller sets `members`). */
  record(fields: object): Record<string, unknown> {
    let data = this.recordData;
    if (data === undefined || !hasKeys(fields, this.recordKeys)) {
      data = merge(fields, undefined, this.params);
      this.recordData = data;
      this.recordKeys = keysOf(fields);
      return data;
    }
    assign(data, fields);
    data.params = this.params;
    return data;
  }

  /** A person's data: the household's fields, the person's own, then params. */
  person(fields: object, own: object): Record<string, unknown> {
    let data = this.personData;
    const sameFields = fields === this.personFields || hasKeys(fields, this.fieldKeys);
    if (data === undefined || !sameFields || !hasKeys(own, this.ownKeys)) {
      data = merge(fields, own, this.params);
      this.personData = data;
      this.personFields = fields;
      this.fieldKeys = keysOf(fields);
      this.ownKeys = keysOf(own);
      return data;
    }
    if (fields !== this.personFields) {
      assign(data, fields);
      this.personFields = fields;
    }
    assign(data, own);
    data.params = this.params;
    return data;
  }
}

interface RunContext {
  out: ScreeningItem[];
  readonly overrides: readonly (readonly [string, RuleValue])[];
}

/** The data a rule sees: fields, then a person's own fields, then params (a loop: multi-source spreads are slow in V8). */
function merge(fields: object, own: object | undefined, params: unknown): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const key in fields) data[key] = (fields as Record<string, unknown>)[key];
  if (own) for (const key in own) data[key] = (own as Record<string, unknown>)[key];
  data.params = params;
  return data;
}

/** Whether a member has an unusable field. */
function anyUnusable(members: readonly ScreeningMember[]): boolean {
  for (const member of members) if (member.unusable.length > 0) return true;
  return false;
}

/** Why a rule cannot be decided for this record before it runs, or undefined. */
function blocked(prepared: PreparedScreeningRule, record: ScreeningRecord, member: ScreeningMember | undefined): [Finding["cause"], string] | undefined {
  const fields = prepared.fields;
  const unusable: string[] = [];
  for (const name of record.unusable) if (fields.includes(name)) unusable.push(name);
  if (member) for (const name of member.unusable) if (fields.includes(name)) unusable.push(name);
  if (prepared.readsMembers && !member) {
    for (const m of record.members) for (const name of m.unusable) if (fields.includes(name) && !unusable.includes(name)) unusable.push(name);
  }
  if (unusable.length > 0) {
    const where = record.quality.filter((q) => unusable.includes(q.field) && (member === undefined || q.recordId === member.id || q.subject !== "person"));
    const detail = where.map((q) => q.reason).join("; ");
    const zh = where.map((q) => q.zh).join("；");
    return ["unusable_value", `规则无法判断：${zh} (rule could not be decided: it reads ${unusable.join(", ")}, and ${detail})`];
  }
  if (prepared.readsMembers && !member && record.rejectedRows.length > 0) {
    const rows = record.rejectedRows.join(", ");
    return ["incomplete_household", `规则无法判断：该户第 ${rows} 行被拒收，成员不全 (rule could not be decided: it reads the members, and row ${rows}, read with this household, was rejected)`];
  }
  return undefined;
}

function runRules(
  rules: readonly PreparedScreeningRule[],
  data: Record<string, unknown>,
  record: ScreeningRecord,
  member: ScreeningMember | undefined,
  context: RunContext,
): void {
  const careful = record.unusable.length > 0 || record.rejectedRows.length > 0 || (member ? member.unusable.length > 0 : anyUnusable(record.members));
  for (const prepared of rules) {
    let kind: Finding["kind"] = "finding";
    let cause: Finding["cause"];
    let failure = "";
    const stop = careful ? blocked(prepared, record, member) : undefined;
    if (stop) {
      kind = "rule_failed";
      [cause, failure] = stop;
    } else {
      try {
        if (!prepared.condition.test(data)) continue;
      } catch (error) {
        kind = "rule_failed";
        cause = "rule_error";
        failure = `规则无法判断 (rule could not be decided): ${describeFailure(error)}`;
      }
    }
    const values: Record<string, RuleValue> = {};
    for (const path of prepared.variables) values[path] = readPath(data, path);
    for (const override of context.overrides) if (!Object.hasOwn(values, override[0])) values[override[0]] = override[1];
    const { rule } = prepared;
    const message = kind === "finding" ? fillMessage(prepared.messageParts, values) : failure;
    // Built field by field, in the documented order, without spreading a fresh object per finding.
    const finding: Record<string, unknown> = { kind, code: rule.code, title: rule.title, severity: rule.severity, subject: rule.subject, recordId: member ? member.id : record.id };
    if (member) finding.householdId = record.id;
    finding.unit = record.unit;
    finding.message = message;
    if (cause !== undefined) finding.cause = cause;
    finding.values = values;
    if (record.file !== undefined) finding.file = record.file;
    finding.row = member ? member.row : record.row;
    context.out.push(finding as unknown as Finding);
  }
}

/** Any failure of a rule on one record, as text: a kaohe error's issues, or the error's name and message (a RangeError, out of memory). */
export function describeFailure(error: unknown): string {
  if (isKaoheError(error)) return error.issues.map((issue) => `${issue.message} [${issue.code}]`).join("; ");
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** Reads a dotted path through own properties only, as the rule engine does; missing is null. */
export function readPath(data: unknown, path: string): RuleValue {
  // Most paths are one field's name: read without cutting the path.
  if (path.indexOf(".") === -1) {
    if (data === null || (typeof data !== "object" && typeof data !== "string") || !Object.hasOwn(data as object, path)) return null;
    const value = (data as Record<string, unknown>)[path];
    return value === undefined ? null : (value as RuleValue);
  }
  let value: unknown = data;
  for (const step of path.split(".")) {
    if (value === null || (typeof value !== "object" && typeof value !== "string")) return null;
    if (!Object.hasOwn(value as object, step)) return null;
    value = (value as Record<string, unknown>)[step];
  }
  return value === undefined ? null : (value as RuleValue);
}

export function fillMessage(parts: readonly string[], values: Readonly<Record<string, RuleValue>>): string {
  if (parts.length === 1) return parts[0] ?? "";
  let text = "";
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    text += i % 2 === 0 ? part : showMessageValue(values[part] ?? null);
  }
  return text;
}

/** How a value reads inside a Chinese message: 空 for empty, 是/否 for booleans. */
function showMessageValue(value: RuleValue): string {
  if (value === null) return "空";
  if (typeof value === "boolean") return value ? "是" : "否";
  if (typeof value === "string" || typeof value === "number") return String(value);
  return JSON.stringify(value);
}
