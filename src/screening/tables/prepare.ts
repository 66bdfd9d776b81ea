import { KaoheError, toSafe, type KaoheIssue, type SafeResult } from "../../internal/errors";
import { fromZodIssues } from "../../model/issues";
import { checkInputStructure } from "../../model/read";
import { PARSE_OPTIONS } from "../../internal/zod";
import { safeCompileRule, type JsonLogicRule, type PreparedRule } from "../../rules/index";
import { SCREENING_OPERATIONS } from "../operations";
import { fieldLabel, prepareRulebook, type PrepareRulebookOptions, type PreparedRulebook } from "../prepare";
import type { Field, ParameterValue } from "../schema";
import { TablesRulebookSchema, type Aggregate, type Table, type TableRule, type TablesRulebook, type TablesRulebookInput } from "./schema";

/** An aggregate ready to run: the child table's field that refers to the parent, and its compiled condition. */
export interface PreparedAggregate {
  /** Its name, read by rules as `agg.<name>`; `#<code>` for the count behind a count check. */
  readonly name: string;
  /** The aggregate as the rulebook declares it. */
  readonly aggregate: Aggregate;
  /** The field of `aggregate.of` holding the parent's key. */
  readonly via: string;
  /** Its `where` condition, compiled over a row of `aggregate.of`; absent when it has none. */
  readonly where?: PreparedCondition;
}

/** A compiled condition and what it reads, split by where it reads it. */
export interface PreparedCondition {
  /** The compiled JSON Logic rule. */
  readonly condition: PreparedRule;
  /** Every path read (condition and message), sorted. */
  readonly variables: readonly string[];
  /** Per table read (the rule's own, or a joined one), the fields read (and `agg.<name>` for its aggregates read); `""` for parameters. */
  readonly reads: Readonly<Record<string, readonly string[]>>;
}

/** A rule of a multi-table rulebook, checked and compiled. */
export interface PreparedTableRule {
  /** The rule as the rulebook writes it. */
  readonly rule: TableRule;
  /** `record`, `unique`, `reference` or `count`. */
  readonly kind: "record" | "unique" | "reference" | "count";
  /** For a record rule: its condition. */
  readonly when?: PreparedCondition;
  /** The message split into literal text (even indexes) and paths (odd indexes). */
  readonly messageParts: readonly string[];
}

/** One table, prepared: its key fields, joins, and whether its records are held in memory. */
export interface PreparedTable {
  /** The table's name in the rulebook (e.g. `persons`). */
  readonly name: string;
  /** The table as the rulebook declares it. */
  readonly table: Table;
  /** The key's fields (empty: records are known by their row). */
  readonly key: readonly string[];
  /**
   * Whether every record is held in memory until the end: a table that another joins to, that has
   * aggregates, or whose rules read a joined table's aggregates. Other tables are screened as
   * they are read.
   */
  readonly held: boolean;
  /** Every table reachable through joins, with the chain of [table, field] steps leading to it. */
  readonly joins: Readonly<Record<string, readonly (readonly [table: string, field: string])[]>>;
  /** Its aggregates, in declaration order, then one for each count check on it. */
  readonly aggregates: readonly PreparedAggregate[];
  /** Its record rules, in rulebook order. */
  readonly rules: readonly PreparedTableRule[];
  /** A one-level rulebook of its fields, for matching a file's header (`mapColumns`). */
  readonly columns: PreparedRulebook;
}

/** A multi-table rulebook validated and compiled once. */
export interface PreparedTablesRulebook {
  /** The validated rulebook, defaults filled in. */
  readonly rulebook: TablesRulebook;
  /** Every parameter's value for this run: its default, or the caller's override. */
  readonly parameters: Readonly<Record<string, ParameterValue>>;
  /** The parameters the caller overrode, with their values (quoted in every finding's `values`). */
  readonly overrides: Readonly<Record<string, ParameterValue>>;
  /** The tables in the order they must be read: a table after those it joins to or checks references against. */
  readonly order: readonly string[];
  /** Each table by name, prepared. */
  readonly tables: Readonly<Record<string, PreparedTable>>;
  /** Every rule, in rulebook order. */
  readonly rules: readonly PreparedTableRule[];
}

const RESERVED = new Set(["agg", "params"]);

/**
 * Validates a multi-table rulebook and compiles its rules: tables, keys, joins (no cycles, one path
 * to each joined table), aggregates, the four kinds of rule, and every path a rule reads.
 *
 * @param input - A multi-table rulebook, typically parsed from JSON.
 * @param options - Parameter overrides and rule engine limits, as for `prepareRulebook`.
 * @returns The prepared rulebook.
 * @throws {@link index!KaoheError} holding every issue found, each with its path.
 */
export function prepareTablesRulebook(input: TablesRulebookInput, options: PrepareRulebookOptions = {}): PreparedTablesRulebook {
  const parsed = TablesRulebookSchema.safeParse(input, PARSE_OPTIONS);
  const structure = checkInputStructure(input);
  if (!parsed.success || structure.length > 0) {
    throw new KaoheError([...structure, ...(parsed.success ? [] : fromZodIssues(parsed.error.issues))], "Invalid rulebook");
  }
  const book = parsed.data;
  const issues: KaoheIssue[] = [];
  // Parameters and their overrides are read exactly as for a one-table rulebook.
  let parameters: Readonly<Record<string, ParameterValue>> = {};
  let overrides: Readonly<Record<string, ParameterValue>> = {};
  try {
    const shadow = prepareRulebook(shadowBook(book.id, { k: { column: "k", type: "text" } }, "k", book.parameters), options);
    parameters = shadow.parameters;
    overrides = shadow.overrides;
  } catch (error) {
    if (error instanceof KaoheError) issues.push(...error.issues);
    else throw error;
  }
  const names = Object.keys(book.tables);
  const has = (name: string) => Object.hasOwn(book.tables, name);
  // Dependencies: a table is read after the tables it joins to and checks references against.
  const after = new Map<string, Set<string>>(names.map((n) => [n, new Set()]));
  const joinedTo = new Set<string>();
  for (const [name, table] of Object.entries(book.tables)) {
    const at = ["tables", name];
    for (const field of Object.keys(table.fields)) {
      if (RESERVED.has(field) || has(field)) issues.push({ code: "reserved_field", path: [...at, "fields", field], message: `field "${field}" of table ${name} is reserved (agg, params, or a table's name)` });
    }
    for (const key of keyOf(table)) if (!Object.hasOwn(table.fields, key)) issues.push({ code: "unknown_field", path: [...at, "key"], message: `key "${key}" is not a field of table ${name}` });
    for (const [field, target] of Object.entries(table.refs)) {
      if (!Object.hasOwn(table.fields, field)) issues.push({ code: "unknown_field", path: [...at, "refs", field], message: `table ${name} joins on "${field}", which is not one of its fields` });
      const targetTable = has(target) ? book.tables[target] : undefined;
      if (!targetTable || keyOf(targetTable).length !== 1) {
        issues.push({ code: "unknown_table", path: [...at, "refs", field], message: `table ${name} joins "${field}" to ${targetTable ? `table ${target}, whose key is not one field` : `"${target}", which is not a declared table`}` });
        continue;
      }
      after.get(name)?.add(target);
      joinedTo.add(target);
    }
    if (table.unit) for (const field of Object.values(table.unit)) if (!Object.hasOwn(table.fields, field)) issues.push({ code: "unknown_field", path: [...at, "unit"], message: `unit field "${field}" is not a field of table ${name}` });
  }
  book.rules.forEach((rule, index) => {
    if (rule.kind === "reference" && has(rule.to) && rule.to !== rule.table) after.get(rule.table)?.add(rule.to);
    if (!has(rule.table)) issues.push({ code: "unknown_table", path: ["rules", index, "table"], message: `rule ${rule.code} screens table "${rule.table}", which is not declared (tables: ${names.join(", ")})` });
  });
  const order = topologicalOrder(names, after, issues);
  const joins: Record<string, Record<string, [string, string][]>> = {};
  for (const name of names) joins[name] = joinChains(book, name, issues);
  const readsParentAgg = new Set<string>();
  const tables: Record<string, { aggregates: PreparedAggregate[]; rules: PreparedTableRule[] }> = {};
  for (const name of names) tables[name] = { aggregates: [], rules: [] };
  const compile = (when: unknown, at: (string | number)[], table: string, extra: readonly string[], allowAgg: boolean): PreparedCondition | undefined => {
    const compiled = safeCompileRule(when as JsonLogicRule, { ...options.limits, operations: SCREENING_OPERATIONS, computedPaths: "refuse" });
    if (!compiled.success) {
      for (const issue of compiled.error.issues) issues.push({ ...issue, path: [...at, ...issue.path] });
      return undefined;
    }
    const variables = [...new Set([...compiled.data.variables, ...extra])].sort(byCodePoint);
    const reads: Record<string, Set<string>> = {};
    for (const path of variables) {
      const read = readOf(book, joins[table] ?? {}, table, path, parameters, allowAgg);
      if (read === undefined) {
        issues.push({ code: "unknown_variable", path: at, message: `${at.join(".")} reads "${path}", which a record of table ${table} does not have; it may read ${readable(book, joins[table] ?? {}, table, parameters).join(", ")}` });
        continue;
      }
      if (read[0] === "agg" && read[1] !== table) readsParentAgg.add(table);
      (reads[read[1]] ??= new Set()).add(read[0] === "agg" ? `agg.${read[2]}` : read[2]);
    }
    return { condition: compiled.data, variables, reads: Object.fromEntries(Object.entries(reads).map(([t, s]) => [t, [...s].sort(byCodePoint)])) };
  };
  for (const [name, table] of Object.entries(book.tables)) {
    for (const [aggName, aggregate] of Object.entries(table.aggregates)) {
      const at = ["tables", name, "aggregates", aggName];
      const child = has(aggregate.of) ? book.tables[aggregate.of] : undefined;
      const via = child ? Object.entries(child.refs).filter(([, target]) => target === name).map(([field]) => field) : [];
      if (!child || via.length !== 1) {
        issues.push({ code: "unknown_table", path: [...at, "of"], message: `aggregate ${aggName} of table ${name} runs over "${aggregate.of}", which ${child ? `must join to ${name} by exactly one field (refs)` : "is not a declared table"}` });
        continue;
      }
      const summed = aggregate.field === undefined ? undefined : child.fields[aggregate.field];
      if ((aggregate.op === "sum") !== (aggregate.field !== undefined) || (aggregate.op === "sum" && summed?.type !== "number")) {
        issues.push({ code: "invalid_option", path: [...at, "field"], message: `aggregate ${aggName}: sum needs "field", a number field of ${aggregate.of}, and only sum takes one` });
      }
      if ((aggregate.op === "some" || aggregate.op === "all") && aggregate.where === undefined) issues.push({ code: "invalid_option", path: [...at, "where"], message: `aggregate ${aggName}: ${aggregate.op} needs "where"` });
      const where = aggregate.where === undefined ? undefined : compile(aggregate.where, [...at, "where"], aggregate.of, [], false);
      tables[name]?.aggregates.push({ name: aggName, aggregate, via: via[0] as string, ...(where ? { where } : {}) });
    }
  }
  const rules: PreparedTableRule[] = [];
  const codes = new Map<string, number>();
  book.rules.forEach((rule, index) => {
    const at = ["rules", index];
    const first = codes.get(rule.code);
    if (first !== undefined) issues.push({ code: "duplicate_code", path: [...at, "code"], message: `rule code "${rule.code}" is already used by rules[${first}]` });
    else codes.set(rule.code, index);
    const table = has(rule.table) ? book.tables[rule.table] : undefined;
    if (!table) return;
    const fieldIssue = (field: string, where: string, type?: Field["type"]) => {
      const declared = Object.hasOwn(table.fields, field) ? table.fields[field] : undefined;
      if (!declared || (type !== undefined && declared.type !== type)) issues.push({ code: "unknown_field", path: [...at, where], message: `rule ${rule.code} reads "${field}", which is not a ${type ?? ""}${type ? " " : ""}field of table ${rule.table}` });
    };
    let prepared: PreparedTableRule | undefined;
    if (rule.kind === "unique") {
      rule.fields.forEach((field) => fieldIssue(field, "fields"));
      prepared = { rule, kind: "unique", messageParts: [rule.message ?? ""] };
    } else if (rule.kind === "reference") {
      fieldIssue(rule.field, "field");
      const target = has(rule.to) ? book.tables[rule.to] : undefined;
      if (!target || keyOf(target).length !== 1) issues.push({ code: "unknown_table", path: [...at, "to"], message: `rule ${rule.code} checks references to "${rule.to}", which ${target ? "has no one-field key" : "is not a declared table"}` });
      prepared = { rule, kind: "reference", messageParts: [rule.message ?? ""] };
    } else if (rule.kind === "count") {
      fieldIssue(rule.field, "field", "number");
      const child = has(rule.of) ? book.tables[rule.of] : undefined;
      if (!child || Object.values(child.refs).filter((t) => t === rule.table).length !== 1) {
        issues.push({ code: "unknown_table", path: [...at, "of"], message: `rule ${rule.code} counts rows of "${rule.of}", which ${child ? `must join to ${rule.table} by exactly one field (refs)` : "is not a declared table"}` });
      }
      else tables[rule.table]?.aggregates.push({ name: `#${rule.code}`, aggregate: { op: "count", of: rule.of }, via: Object.entries(child.refs).find(([, t]) => t === rule.table)?.[0] as string });
      prepared = { rule, kind: "count", messageParts: [rule.message ?? ""] };
    } else {
      const messageParts = rule.message.split(/\{([^{}]*)\}/);
      const when = compile(rule.when, [...at, "when"], rule.table, messageParts.filter((_, i) => i % 2 === 1), true);
      if (when) prepared = { rule, kind: "record", when, messageParts };
    }
    if (prepared) {
      rules.push(prepared);
      if (prepared.kind === "record") tables[rule.table]?.rules.push(prepared);
    }
  });
  if (issues.length > 0) throw new KaoheError(issues, "Invalid rulebook");
  const prepared: Record<string, PreparedTable> = {};
  for (const [name, table] of Object.entries(book.tables)) {
    const key = keyOf(table);
    const own = tables[name] ?? { aggregates: [], rules: [] };
    const countedBy = book.rules.some((rule) => rule.kind === "count" && rule.table === name);
    prepared[name] = {
      name,
      table,
      key,
      held: joinedTo.has(name) || own.aggregates.length > 0 || countedBy || readsParentAgg.has(name),
      joins: joins[name] ?? {},
      aggregates: own.aggregates,
      rules: own.rules,
      columns: columnsBook(name, table, key),
    };
  }
  return { rulebook: book, parameters, overrides, order, tables: prepared, rules };
}

/**
 * {@link prepareTablesRulebook} returning a result instead of throwing.
 *
 * @param input - A multi-table rulebook.
 * @param options - Parameter overrides and rule engine limits.
 * @returns `{ success: true, data }` or `{ success: false, error }` holding every issue.
 */
export const safePrepareTablesRulebook: (input: unknown, options?: PrepareRulebookOptions) => SafeResult<PreparedTablesRulebook> = toSafe(
  (input: unknown, options?: PrepareRulebookOptions) => prepareTablesRulebook(input as TablesRulebookInput, options),
);

/** The key fields of a table, as a list. */
export function keyOf(table: Table): readonly string[] {
  return table.key === undefined ? [] : typeof table.key === "string" ? [table.key] : table.key;
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A one-table rulebook with the given fields, all of one record: for parameters, and for matching headers. */
function shadowBook(id: string, fields: Record<string, Omit<Field, "of">>, key: string, parameters: TablesRulebook["parameters"]) {
  const all = Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, { ...field, of: "village" as const }]));
  return {
    id,
    title: id,
    version: "1",
    parameters,
    fields: all,
    keys: { village: key },
    unit: { county: key, township: key, village: key },
    rules: [{ code: "T", title: "T", subject: "village" as const, severity: "low" as const, when: false, message: "T" }],
  };
}

/** The table's fields as a one-level prepared rulebook (no rules), which `mapColumns` and `isHeaderRow` read. */
function columnsBook(name: string, table: Table, key: readonly string[]): PreparedRulebook {
  const first = key[0] ?? Object.keys(table.fields)[0] ?? "";
  const book = shadowBook(name, table.fields, first, {});
  return { rulebook: { ...book, rules: [] } as unknown as PreparedRulebook["rulebook"], parameters: {}, overrides: {}, rules: [] };
}

/** The tables in reading order: each after those it depends on, else in declaration order; a cycle is an issue. */
function topologicalOrder(names: readonly string[], after: ReadonlyMap<string, ReadonlySet<string>>, issues: KaoheIssue[]): string[] {
  const order: string[] = [];
  const state = new Map<string, "open" | "done">();
  const visit = (name: string, path: string[]): void => {
    if (state.get(name) === "done") return;
    if (state.get(name) === "open") {
      issues.push({ code: "table_cycle", path: ["tables", name], message: `tables depend on each other in a cycle: ${[...path, name].join(" → ")}` });
      return;
    }
    state.set(name, "open");
    for (const dep of after.get(name) ?? []) visit(dep, [...path, name]);
    state.set(name, "done");
    order.push(name);
  };
  for (const name of names) visit(name, []);
  return order;
}

/** Every table reachable from `start` through joins, with the chain leading to it; a table reached twice is an issue. */
function joinChains(book: TablesRulebook, start: string, issues: KaoheIssue[]): Record<string, [string, string][]> {
  const chains: Record<string, [string, string][]> = {};
  const walk = (table: string, chain: [string, string][], seen: readonly string[]) => {
    for (const [field, target] of Object.entries(book.tables[table]?.refs ?? {})) {
      if (!Object.hasOwn(book.tables, target) || seen.includes(target)) continue;
      if (Object.hasOwn(chains, target)) {
        issues.push({ code: "ambiguous_join", path: ["tables", start, "refs"], message: `table ${start} reaches table ${target} by two chains of joins; keep one` });
        continue;
      }
      const next: [string, string][] = [...chain, [table, field]];
      chains[target] = next;
      walk(target, next, [...seen, target]);
    }
  };
  walk(start, [], [start]);
  return chains;
}

/** What a path reads: a field of a table, an aggregate of a table, or a parameter; undefined when it is none. */
function readOf(
  book: TablesRulebook,
  joins: Readonly<Record<string, unknown>>,
  table: string,
  path: string,
  parameters: Readonly<Record<string, ParameterValue>>,
  allowAgg: boolean,
): [kind: "field" | "agg" | "params", table: string, name: string] | undefined {
  const steps = path.split(".");
  const [first = "", second, third] = steps;
  if (first === "params") return steps.length === 2 && second !== undefined && Object.hasOwn(parameters, second) ? ["params", "", second] : undefined;
  const field = (t: string, rest: readonly string[]) => {
    const [name = "", length, ...more] = rest;
    const declared = Object.hasOwn(book.tables[t]?.fields ?? {}, name) ? book.tables[t]?.fields[name] : undefined;
    if (!declared || more.length > 0 || (length !== undefined && !(length === "length" && declared.type === "text"))) return undefined;
    return ["field", t, name] as ["field", string, string];
  };
  const agg = (t: string, name: string | undefined) =>
    allowAgg && name !== undefined && Object.hasOwn(book.tables[t]?.aggregates ?? {}, name) ? (["agg", t, name] as ["agg", string, string]) : undefined;
  if (first === "agg") return steps.length === 2 ? agg(table, second) : undefined;
  if (Object.hasOwn(joins, first)) return second === "agg" ? (steps.length === 3 ? agg(first, third) : undefined) : field(first, steps.slice(1));
  return field(table, steps);
}

/** The paths a record of a table may read, for messages. */
function readable(book: TablesRulebook, joins: Readonly<Record<string, unknown>>, table: string, parameters: Readonly<Record<string, ParameterValue>>): string[] {
  const list = Object.keys(book.tables[table]?.fields ?? {});
  list.push(...Object.keys(book.tables[table]?.aggregates ?? {}).map((n) => `agg.${n}`));
  for (const joined of Object.keys(joins)) {
    list.push(...Object.keys(book.tables[joined]?.fields ?? {}).map((n) => `${joined}.${n}`));
    list.push(...Object.keys(book.tables[joined]?.aggregates ?? {}).map((n) => `${joined}.agg.${n}`));
  }
  list.push(...Object.keys(parameters).map((n) => `params.${n}`));
  return list;
}

/** A field's label in messages. */
export function tableFieldLabel(table: Table, name: string): string {
  const field = table.fields[name];
  return field ? fieldLabel(name, { ...field, of: "village" }) : name;
}
