import { KaoheError } from "../../internal/errors";
import type { RuleValue } from "../../rules/index";
import { describeFailure, fillMessage, readPath } from "../evaluate";
import type { PrepareRulebookOptions } from "../prepare";
import type { UnitPath } from "../records";
import type { Severity } from "../schema";
import { convertCell, isCellProblem, type FieldValue } from "../values";
import { prepareTablesRulebook, tableFieldLabel, type PreparedAggregate, type PreparedCondition, type PreparedTable, type PreparedTableRule, type PreparedTablesRulebook } from "./prepare";
import type { TablesRulebookInput } from "./schema";

/** Where a record is: its table, file and row. */
export interface TablePlace {
  /** The table's name in the rulebook. */
  readonly table: string;
  /** The file the row was read from; absent for rows given without a file. */
  readonly file?: string;
  /** The row's number in its file. */
  readonly row: number;
}

/**
 * A finding of a multi-table screening: a rule that holds for a record (`kind: "finding"`), or
 * that could not be decided for it (`rule_failed`, with `cause`). Its identity across runs is
 * `code` + `table` + `recordId`, never the row.
 */
export interface TableFinding {
  /** `finding` (the rule holds for the record) or `rule_failed` (it could not be decided: see `cause`). */
  readonly kind: "finding" | "rule_failed";
  /** The rule's code. */
  readonly code: string;
  /** The rule's title. */
  readonly title: string;
  /** The rule's severity: `high` (严重), `medium` (一般) or `low` (提示). */
  readonly severity: Severity;
  /** `record`, `unique`, `reference` or `count`. */
  readonly check: PreparedTableRule["kind"];
  /** The table of the record. */
  readonly table: string;
  /** The record's key (a composite key joined by `/`); for a uniqueness finding, the value that occurs twice; `#row` for a table without key. */
  readonly recordId: string;
  /**
   * The record's unit 县/乡/村: from its table's `unit` fields, else from its first joined record;
   * empty texts when there is none. For a uniqueness finding, the first of its places' units.
   */
  readonly unit: UnitPath;
  /** The rule's message with the values read filled in; for `rule_failed`, why it could not be decided (in Chinese, then English). */
  readonly message: string;
  /** For `rule_failed`: `unusable_value`, `rule_error`, `unresolved_reference` (a joined record that does not exist) or `ambiguous_reference` (its key occurs twice). */
  readonly cause?: "unusable_value" | "rule_error" | "unresolved_reference" | "ambiguous_reference";
  /** The values the rule read, and the parameters overridden for this run. */
  readonly values: Readonly<Record<string, RuleValue>>;
  /** For a uniqueness finding: every place the value occurs, in file then row order. */
  readonly places?: readonly TablePlace[];
  /** The record's file (for a uniqueness finding, its first place's); absent for rows given without a file. */
  readonly file?: string;
  /** The record's row in its file (for a uniqueness finding, its first place's). */
  readonly row: number;
}

/** A cell that cannot be used (it does not parse, lies outside its code table, or is empty although required). */
export interface TableQualityFinding {
  /** `data_quality`. */
  readonly kind: "data_quality";
  /** What is wrong, as a code: `invalid_value` (does not parse as the field's type), `not_allowed` (outside the code table), `invalid_encoding`, or `missing_value` (empty although required). */
  readonly code: string;
  /** The table of the record. */
  readonly table: string;
  /** The record's key (a composite key joined by `/`); `#row` for a table without key. */
  readonly recordId: string;
  /** The field whose cell cannot be used. */
  readonly field: string;
  /** The column it is read from (the field's first column). */
  readonly column: string;
  /** The cell as given (null when absent). */
  readonly value: string | number | boolean | null;
  /** Why, in English. */
  readonly reason: string;
  /** Why, in Chinese. */
  readonly zh: string;
  /** The record's unit 县/乡/村 (as for {@link TableFinding.unit}). */
  readonly unit: UnitPath;
  /** The file the row was read from; absent for rows given without a file. */
  readonly file?: string;
  /** The row's number in its file. */
  readonly row: number;
}

/** A row that could not be placed (its key is empty) or read. */
export interface TableRejectedRow {
  /** `rejected`. */
  readonly kind: "rejected";
  /** Why, as a code: `missing_key` (its key is empty or unusable), or the reader's code for a row it could not read (e.g. `wrong_cell_count`). */
  readonly code: string;
  /** Why, in English. */
  readonly reason: string;
  /** The table whose rows it is among. */
  readonly table: string;
  /** The file it was read from; absent for rows given without a file. */
  readonly file?: string;
  /** The row's number in its file. */
  readonly row: number;
}

/** A rule not run, and why: its table (or a table it reads) was not given, or a file lacks a column it reads. */
export interface SkippedTableRule {
  /** The rule's code. */
  readonly code: string;
  /** `table`: a table it reads was not given; `columns`: a file lacks a column it reads. */
  readonly why: "table" | "columns";
  /** Why, in English, naming the tables or columns. */
  readonly reason: string;
  /** Why, in Chinese. */
  readonly zh: string;
  /** For `columns`: the file lacking them (absent when that file has no name, or a joined table's file lacks them). */
  readonly file?: string;
}

/** Rows read per table, and totals. */
export interface TablesCounts {
  /** Per table (every table of the rulebook, given or not), its rows. */
  readonly tables: Readonly<
    Record<
      string,
      {
        /** The rows read, rejected ones included. */
        rowsRead: number;
        /** The rows rejected (see {@link TablesResult.rejected}). */
        rowsRejected: number;
        /** The records screened: the rows read less the rows rejected. */
        records: number;
      }
    >
  >;
  /** The findings (`kind: "finding"`). */
  readonly findings: number;
  /** The rule failures (`kind: "rule_failed"`): records for which a rule could not be decided. */
  readonly ruleFailures: number;
  /** The data-quality findings. */
  readonly dataQuality: number;
  /** Rules not run; any entry means the screening is incomplete. */
  readonly skipped: readonly SkippedTableRule[];
}

/** The result of a multi-table screening, each list in a deterministic order that does not depend on the order of rows. */
export interface TablesResult {
  /** By rule (rulebook order), then record key, then file and row. */
  readonly findings: readonly TableFinding[];
  /** By table (reading order), file, row and field. */
  readonly quality: readonly TableQualityFinding[];
  /** By table, file and row. */
  readonly rejected: readonly TableRejectedRow[];
  /** Rows per table, the number of each kind of finding, and the rules not run. */
  readonly counts: TablesCounts;
}

/** One source of rows of a table (one file of it): rows keyed by field name, numbered from 1 in the order they come. */
export interface TableSource {
  /** The file the rows come from, quoted in findings; absent for rows from elsewhere. */
  readonly file?: string;
  /** The rows, each a record's cells by field name (not by column: the caller maps the columns). */
  readonly rows: Iterable<Readonly<Record<string, unknown>>> | AsyncIterable<Readonly<Record<string, unknown>>>;
}

/** A record read, as held in memory: its key, place, converted fields, unusable fields and joins. */
interface HeldRecord {
  readonly id: string;
  readonly file: number;
  readonly row: number;
  readonly fields: Record<string, FieldValue>;
  readonly unusable: readonly string[];
  readonly view: JoinView;
  readonly unit: UnitPath;
}

/** A record's joined records, by table: the record, or why there is none. */
type JoinView = Readonly<Record<string, HeldRecord | "missing" | "ambiguous">>;

/** The running state of one aggregate for one parent key. */
interface Accumulator {
  values: (number | boolean | Decimal)[];
  /** Per aggregate, the rows it ran over, and the rows whose condition or value could not be used. */
  rows: number[];
  bad: number[];
}

/** An exact decimal: an integer scaled by 10^-scale, so that sums do not depend on the order of rows. */
interface Decimal {
  int: bigint;
  scale: number;
}

const NONE: readonly never[] = Object.freeze([]);
const EMPTY_UNIT: UnitPath = Object.freeze({ county: "", township: "", village: "" });
const PLACE_ROW = 2 ** 26;
const MAX_UNITS = 2 ** 22;
const MAX_FILES = 32;

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function addDecimal(sum: Decimal, value: number): Decimal | undefined {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(value));
  if (!match) return undefined;
  const fraction = match[3] ?? "";
  const scale = Math.max(sum.scale, fraction.length);
  const int = BigInt(`${match[1]}${match[2]}${fraction.padEnd(scale, "0")}`);
  return { int: sum.int * 10n ** BigInt(scale - sum.scale) + int, scale };
}

function decimalValue(sum: Decimal): number {
  const negative = sum.int < 0n;
  const digits = (negative ? -sum.int : sum.int).toString().padStart(sum.scale + 1, "0");
  const text = sum.scale === 0 ? digits : `${digits.slice(0, -sum.scale)}.${digits.slice(-sum.scale)}`;
  return Number(`${negative ? "-" : ""}${text}`);
}

/**
 * Screens several tables (exports) joined by their keys, table by table in the rulebook's reading
 * order (`prepared.order`): a table's rows must come after those of the tables it depends on.
 * Records of a held table (see `PreparedTable.held`) are kept until {@link TablesScreener.finish};
 * the others are screened as they come, and only their keys are kept where a uniqueness or
 * reference check needs them. Findings are sorted at the end, so that the result does not depend
 * on the order of rows.
 */
export class TablesScreener {
  private readonly held = new Map<string, Map<string, HeldRecord[]>>();
  private readonly keys = new Map<string, Set<string>>();
  private readonly unique = new Map<string, Map<string, number | number[]>>();
  private readonly accumulators = new Map<string, Map<string, Accumulator>>();
  private readonly findings: TableFinding[] = [];
  private readonly quality: TableQualityFinding[] = [];
  private readonly rejected: TableRejectedRow[] = [];
  private readonly files: (string | undefined)[] = [];
  private readonly units: UnitPath[] = [];
  private readonly unitIndex = new Map<string, number>();
  private readonly counts: Record<string, { rowsRead: number; rowsRejected: number; records: number }> = {};
  private readonly skipped = new Map<string, SkippedTableRule>();
  /** Per file, the fields its table declares that it lacks. */
  private readonly absent: Set<string>[] = [];
  /** Per table, the fields some file of it lacks. */
  private readonly absentAnywhere = new Map<string, Set<string>>();
  private readonly overrides: readonly (readonly [string, RuleValue])[];
  private position = -1;
  private current: { table: PreparedTable; file: number } | undefined;
  private finished = false;
  private rowsEnded = false;
  /** Rule tests waiting to run elsewhere, when deferred. */
  private tests: { rule: PreparedTableRule; record: HeldRecord; data: Record<string, unknown> }[] | undefined;

  /**
   * Starts a screening of the given tables.
   *
   * @param prepared - The multi-table rulebook, from {@link prepareTablesRulebook}.
   * @param provided - The tables that will be given rows: the rules of the others (and those reading them) are not run.
   * @param options - `deferTests`: record rules' conditions are not run here but taken by {@link TablesScreener.takeTests}.
   */
  constructor(
    readonly prepared: PreparedTablesRulebook,
    readonly provided: readonly string[],
    options: { readonly deferTests?: boolean } = {},
  ) {
    if (options.deferTests) this.tests = [];
    this.overrides = Object.entries(prepared.overrides).map(([name, value]) => [`params.${name}`, value] as const);
    for (const name of prepared.order) {
      this.counts[name] = { rowsRead: 0, rowsRejected: 0, records: 0 };
      if (prepared.tables[name]?.held) this.held.set(name, new Map());
      this.absentAnywhere.set(name, new Set());
    }
    for (const rule of prepared.rules) {
      if (rule.rule.kind === "reference" && !this.held.has(rule.rule.to)) this.keys.set(rule.rule.to, new Set());
      if (rule.rule.kind === "unique") this.unique.set(rule.rule.code, new Map());
    }
    for (const [name, table] of Object.entries(prepared.tables)) if (table.aggregates.length > 0) this.accumulators.set(name, new Map());
    for (const rule of prepared.rules) {
      const needed = this.tablesNeeded(rule);
      const lacking = needed.filter((name) => !provided.includes(name));
      if (lacking.length > 0) {
        this.skipped.set(rule.rule.code, {
          code: rule.rule.code,
          why: "table",
          reason: `rule ${rule.rule.code} reads table${lacking.length > 1 ? "s" : ""} ${lacking.join(", ")}, which ${lacking.length > 1 ? "were" : "was"} not given`,
          zh: `规则 ${rule.rule.code} 需要「${lacking.map((n) => prepared.rulebook.tables[n]?.title ?? n).join("」「")}」，本次没有提供`,
        });
      }
    }
  }

  /** The tables a rule reads: its own, those it joins or checks against. */
  private tablesNeeded(prepared: PreparedTableRule): string[] {
    const { rule } = prepared;
    const tables = new Set([rule.table]);
    if (rule.kind === "reference") tables.add(rule.to);
    if (rule.kind === "count") tables.add(rule.of);
    for (const table of Object.keys(prepared.when?.reads ?? {})) if (table !== "") tables.add(table);
    for (const read of prepared.when?.variables ?? []) {
      const steps = read.split(".");
      const owner = steps[0] === "agg" ? rule.table : steps[1] === "agg" ? steps[0] : undefined;
      const aggregate = owner === undefined ? undefined : this.prepared.tables[owner]?.aggregates.find((a) => a.name === (steps[0] === "agg" ? steps[1] : steps[2]));
      if (aggregate) tables.add(aggregate.aggregate.of);
    }
    return [...tables];
  }

  /**
   * Starts the rows of one file of a table. Tables come in `prepared.order` (a table's files one
   * after the other); a table that depends on another comes after it.
   *
   * @param table - The table's name.
   * @param file - The file, quoted in findings.
   * @param missing - Fields whose column the file lacks, with the column's name.
   */
  begin(table: string, file?: string, missing: Readonly<Record<string, string>> = {}): void {
    const at = this.prepared.order.indexOf(table);
    const prepared = this.prepared.tables[table];
    if (at === -1 || !prepared) throw new KaoheError([{ code: "unknown_table", path: [table], message: `table "${table}" is not declared by the rulebook (tables: ${this.prepared.order.join(", ")})` }], "Cannot screen");
    if (at < this.position || this.finished) {
      throw new KaoheError([{ code: "table_order", path: [table], message: `the rows of table ${table} come after those of ${this.prepared.order[this.position]}, which depends on it: give tables in the order ${this.prepared.order.join(", ")}` }], "Cannot screen");
    }
    if (this.files.length >= MAX_FILES) throw new KaoheError([{ code: "too_many_files", path: [table], message: `at most ${MAX_FILES} files can be screened together` }], "Cannot screen");
    this.position = at;
    this.files.push(file);
    const lacking = new Set(Object.keys(missing));
    this.absent.push(lacking);
    for (const field of lacking) this.absentAnywhere.get(table)?.add(field);
    this.current = { table: prepared, file: this.files.length - 1 };
    for (const rule of prepared.rules) {
      const fields = (rule.when?.reads[table] ?? []).filter((f) => lacking.has(f));
      if (fields.length > 0 && !this.skipped.has(rule.rule.code)) {
        const columns = fields.map((f) => missing[f] ?? f);
        this.skipped.set(`${rule.rule.code}\u0000${this.files.length - 1}`, {
          code: rule.rule.code,
          why: "columns",
          ...(file === undefined ? {} : { file }),
          reason: `rule ${rule.rule.code} reads column${columns.length > 1 ? "s" : ""} ${columns.join(", ")}, which ${file ?? "the rows"} lack${file === undefined ? "" : "s"}`,
          zh: `规则 ${rule.rule.code} 需要「${columns.join("」「")}」列，${file ?? "数据"}中没有`,
        });
      }
    }
  }

  /**
   * Takes one row of the current table.
   *
   * @param values - The row's cells by field name.
   * @param row - Its number in its file.
   */
  push(values: Readonly<Record<string, unknown>>, row: number): void {
    const current = this.current;
    if (!current) throw new KaoheError([{ code: "table_order", path: [], message: "begin(table) must come before the rows" }], "Cannot screen");
    const { table, file } = current;
    const name = table.name;
    const counts = this.counts[name] as { rowsRead: number; rowsRejected: number; records: number };
    counts.rowsRead++;
    const absent = this.absent[file] as Set<string>;
    const fields: Record<string, FieldValue> = {};
    const issues: { field: string; code: string; value: FieldValue; reason: string; zh: string }[] = [];
    for (const [field, declared] of Object.entries(table.table.fields)) {
      const raw = values[field];
      const label = tableFieldLabel(table.table, field);
      const converted = convertCell(raw, declared, label);
      const value = raw === undefined || raw === null ? null : typeof raw === "object" ? String(raw) : (raw as FieldValue);
      if (isCellProblem(converted)) {
        issues.push({ field, code: converted.code, value, reason: converted.reason, zh: converted.zh });
        fields[field] = null;
      } else if ((converted === null || converted === "") && declared.required && !absent.has(field)) {
        issues.push({ field, code: "missing_value", value, reason: `${label} is empty, but required`, zh: `「${label}」为空，但为必填项` });
        fields[field] = null;
      } else fields[field] = converted;
    }
    const keyParts = table.key.map((k) => fields[k]);
    if (keyParts.some((part) => part === null || part === undefined || part === "")) {
      counts.rowsRejected++;
      const labels = table.key.map((k) => tableFieldLabel(table.table, k)).join("/");
      const rejected = { kind: "rejected", code: "missing_key", reason: `${labels} is empty or unusable: the row cannot be placed without its key`, table: name, row } as const;
      this.rejected.push(this.files[file] === undefined ? rejected : { ...rejected, file: this.files[file] as string });
      return;
    }
    counts.records++;
    const id = table.key.length === 0 ? `#${row}` : keyParts.map(String).join("/");
    const view = this.joinView(table, fields);
    const unit = this.unitOf(table, fields, view);
    const record: HeldRecord = { id, file, row, fields, unusable: issues.length === 0 ? NONE : issues.map((i) => i.field), view, unit };
    for (const issue of issues) {
      const finding = { kind: "data_quality", code: issue.code, table: name, recordId: id, field: issue.field, column: columnOf(table, issue.field), value: issue.value, reason: issue.reason, zh: issue.zh, unit, row } as const;
      this.quality.push(this.files[file] === undefined ? finding : { ...finding, file: this.files[file] as string });
    }
    const held = this.held.get(name);
    if (held) {
      const list = held.get(id);
      if (list) list.push(record);
      else held.set(id, [record]);
    }
    this.keys.get(name)?.add(id);
    for (const rule of this.prepared.rules) {
      if (rule.rule.table !== name || this.skipped.has(rule.rule.code)) continue;
      if (rule.rule.kind === "unique") this.addUnique(rule, record);
      else if (rule.rule.kind === "reference") this.checkReference(rule, record);
    }
    for (const [parent, parentTable] of Object.entries(this.prepared.tables)) {
      for (let i = 0; i < parentTable.aggregates.length; i++) {
        const aggregate = parentTable.aggregates[i] as PreparedAggregate;
        if (aggregate.aggregate.of === name) this.accumulate(parent, parentTable, i, aggregate, record);
      }
    }
    if (!held) this.runRecordRules(table, record, undefined);
  }

  /**
   * Counts a row of the current table that could not be read at all (bad CSV syntax, wrong number of cells), as rejected.
   *
   * @param row - Its number.
   * @param code - Why, as a code.
   * @param reason - Why, for a person.
   */
  reject(row: number, code: string, reason: string): void {
    const current = this.current;
    if (!current) throw new KaoheError([{ code: "table_order", path: [], message: "begin(table) must come before the rows" }], "Cannot screen");
    const counts = this.counts[current.table.name] as { rowsRead: number; rowsRejected: number };
    counts.rowsRead++;
    counts.rowsRejected++;
    const file = this.files[current.file];
    const rejected = { kind: "rejected", code, reason, table: current.table.name, row } as const;
    this.rejected.push(file === undefined ? rejected : { ...rejected, file });
  }

  /** The joined records of a record, through its table's joins (each parent's own joins memoized in its view). */
  private joinView(table: PreparedTable, fields: Readonly<Record<string, FieldValue>>): JoinView {
    const refs = Object.entries(table.table.refs);
    if (refs.length === 0) return {};
    const view: Record<string, HeldRecord | "missing" | "ambiguous"> = {};
    for (const [field, target] of refs) {
      const value = fields[field];
      const found = value === null || value === undefined ? undefined : this.held.get(target)?.get(String(value));
      const joined = found === undefined ? "missing" : found.length > 1 ? "ambiguous" : (found[0] as HeldRecord);
      view[target] = joined;
      // The tables reached through this one: as its record sees them, or as unreachable as it is.
      for (const [deeper, chain] of Object.entries(table.joins)) {
        if (chain[1]?.[0] === target) view[deeper] = typeof joined === "string" ? joined : (joined.view[deeper] ?? "missing");
      }
    }
    return view;
  }

  /** A record's unit: its own unit fields, else its first joined record's unit. */
  private unitOf(table: PreparedTable, fields: Readonly<Record<string, FieldValue>>, view: JoinView): UnitPath {
    const own = table.table.unit;
    if (own) {
      const text = (name: string) => {
        const value = fields[name];
        return value === null || value === undefined ? "" : String(value);
      };
      return this.units[this.intern({ county: text(own.county), township: text(own.township), village: text(own.village) })] as UnitPath;
    }
    for (const target of Object.values(table.table.refs)) {
      const joined = view[target];
      if (joined !== undefined && typeof joined !== "string") return joined.unit;
    }
    return EMPTY_UNIT;
  }

  /** The index of a unit among those seen: each unit is held once, and places refer to it by number. */
  private intern(unit: UnitPath): number {
    const key = `${unit.county}\u0000${unit.township}\u0000${unit.village}`;
    let index = this.unitIndex.get(key);
    if (index === undefined) {
      index = this.units.length;
      this.units.push(Object.freeze({ ...unit }));
      this.unitIndex.set(key, index);
    }
    return index;
  }

  private addUnique(rule: PreparedTableRule, record: HeldRecord): void {
    if (rule.rule.kind !== "unique") return;
    const parts = rule.rule.fields.map((f) => record.fields[f]);
    if (parts.some((p) => p === null || p === undefined || p === "")) return;
    const value = parts.map(String).join("/");
    const unit = this.intern(record.unit);
    if (record.row >= PLACE_ROW || unit >= MAX_UNITS) {
      throw new KaoheError([{ code: "too_many_rows", path: [record.id], message: `a uniqueness check holds at most ${PLACE_ROW - 1} rows per file and ${MAX_UNITS} villages` }], "Cannot screen");
    }
    // One number per key: file, village and row packed into 53 bits (see docs/screening.md, "Memory").
    const place = (record.file * MAX_UNITS + unit) * PLACE_ROW + record.row;
    const seen = this.unique.get(rule.rule.code) as Map<string, number | number[]>;
    const before = seen.get(value);
    if (before === undefined) seen.set(value, place);
    else if (typeof before === "number") seen.set(value, [before, place]);
    else before.push(place);
  }

  private checkReference(rule: PreparedTableRule, record: HeldRecord): void {
    if (rule.rule.kind !== "reference") return;
    const { field, to } = rule.rule;
    const value = record.fields[field];
    if (value === null || value === undefined || value === "" || record.unusable.includes(field)) return;
    const key = String(value);
    if (this.held.get(to)?.has(key) ?? this.keys.get(to)?.has(key)) return;
    const table = this.prepared.tables[rule.rule.table] as PreparedTable;
    const target = this.prepared.rulebook.tables[to];
    const label = tableFieldLabel(table.table, field);
    const message = rule.rule.message ?? `${label}「${key}」在${target?.title ?? to}中没有记录`;
    this.findings.push(this.finding(rule, record, "finding", undefined, message, { [field]: value }));
  }

  private accumulate(parent: string, parentTable: PreparedTable, index: number, prepared: PreparedAggregate, record: HeldRecord): void {
    const key = record.fields[prepared.via];
    if (key === null || key === undefined) return;
    const accumulators = this.accumulators.get(parent) as Map<string, Accumulator>;
    let acc = accumulators.get(String(key));
    if (!acc) {
      acc = { values: parentTable.aggregates.map((a) => (a.aggregate.op === "sum" ? { int: 0n, scale: 0 } : a.aggregate.op === "some" ? false : a.aggregate.op === "all" ? true : 0)), rows: parentTable.aggregates.map(() => 0), bad: parentTable.aggregates.map(() => 0) };
      accumulators.set(String(key), acc);
    }
    const { op, field } = prepared.aggregate;
    (acc.rows[index] as number)++;
    let holds = true;
    if (prepared.where) {
      const outcome = this.decide(prepared.where, this.current?.table as PreparedTable, record, undefined);
      if (outcome.kind !== "value") {
        (acc.bad[index] as number)++;
        return;
      }
      holds = outcome.holds;
    }
    if (op === "count") acc.values[index] = (acc.values[index] as number) + (holds ? 1 : 0);
    else if (op === "some") acc.values[index] = (acc.values[index] as boolean) || holds;
    else if (op === "all") acc.values[index] = (acc.values[index] as boolean) && holds;
    else if (holds && field !== undefined) {
      const value = record.fields[field];
      if (record.unusable.includes(field)) (acc.bad[index] as number)++;
      else if (typeof value === "number") {
        const sum = addDecimal(acc.values[index] as Decimal, value);
        if (sum) acc.values[index] = sum;
        else (acc.bad[index] as number)++;
      }
    }
  }

  /** The data a condition sees for a record: its fields, its joined tables' fields (and aggregates), its aggregates, the parameters. */
  private dataOf(table: PreparedTable, record: HeldRecord, aggregates: Readonly<Record<string, RuleValue>> | undefined): Record<string, unknown> {
    const data: Record<string, unknown> = {};
    for (const key in record.fields) data[key] = record.fields[key];
    for (const [target, joined] of Object.entries(record.view)) {
      if (typeof joined === "string") continue;
      const parent = this.prepared.tables[target];
      data[target] = parent && parent.aggregates.length > 0 && this.rowsEnded ? { ...joined.fields, agg: this.aggregateValues(target, joined.id).values } : joined.fields;
    }
    if (aggregates) data.agg = aggregates;
    data.params = this.prepared.parameters;
    void table;
    return data;
  }

  /** A parent's aggregate values (and those that could not be computed, with how many rows were unusable). */
  private aggregateValues(table: string, id: string): { values: Record<string, RuleValue>; bad: Record<string, number> } {
    const prepared = this.prepared.tables[table] as PreparedTable;
    const acc = this.accumulators.get(table)?.get(id);
    const values: Record<string, RuleValue> = {};
    const bad: Record<string, number> = {};
    prepared.aggregates.forEach((aggregate, i) => {
      const op = aggregate.aggregate.op;
      const value = acc?.values[i];
      // Over no rows: a count and a sum are 0, some and all false (as JSON Logic's some and all over an empty list).
      values[aggregate.name] = value === undefined || (acc?.rows[i] ?? 0) === 0 ? (op === "some" || op === "all" ? false : 0) : typeof value === "object" ? decimalValue(value) : value;
      if ((acc?.bad[i] ?? 0) > 0) bad[aggregate.name] = acc?.bad[i] as number;
    });
    return { values, bad };
  }

  /** Decides a condition for a record: its value, or why it cannot be decided. */
  private decide(
    when: PreparedCondition,
    table: PreparedTable,
    record: HeldRecord,
    aggregates: { values: Record<string, RuleValue>; bad: Record<string, number> } | undefined,
    test = true,
  ): Outcome | { kind: "pending"; data: Record<string, unknown> } {
    const data = this.dataOf(table, record, aggregates?.values);
    for (const [target, reads] of Object.entries(when.reads)) {
      if (target === "") continue;
      const joined = target === table.name ? record : record.view[target];
      if (joined === "missing" || joined === undefined) {
        const title = this.prepared.rulebook.tables[target]?.title ?? target;
        return { kind: "failed", cause: "unresolved_reference", message: `规则无法判断：未找到对应的${title}记录 (rule could not be decided: no record of table ${target} for this record)`, data };
      }
      if (joined === "ambiguous") {
        const title = this.prepared.rulebook.tables[target]?.title ?? target;
        return { kind: "failed", cause: "ambiguous_reference", message: `规则无法判断：对应的${title}记录不止一条 (rule could not be decided: more than one record of table ${target} has this key)`, data };
      }
      const unusable = reads.filter((f) => joined.unusable.includes(f));
      const badAggs = reads.filter((f) => f.startsWith("agg.")).map((f) => f.slice(4)).filter((name) => {
        const bad = target === table.name ? aggregates?.bad[name] : this.aggregateValues(target, joined.id).bad[name];
        return (bad ?? 0) > 0;
      });
      if (unusable.length > 0 || badAggs.length > 0) {
        const fields = unusable.map((f) => `${target === table.name ? "" : `${target}.`}${f}`);
        const aggs = badAggs.map((name) => `${target === table.name ? "" : `${target}.`}agg.${name}`);
        const list = [...fields, ...aggs].join(", ");
        return { kind: "failed", cause: "unusable_value", message: `规则无法判断：所读取的 ${list} 含有无法使用的值 (rule could not be decided: it reads ${list}, which holds an unusable value)`, data };
      }
    }
    if (!test) return { kind: "pending", data };
    return outcomeOf(testCondition(when, data), data);
  }

  private runRecordRules(table: PreparedTable, record: HeldRecord, aggregates: { values: Record<string, RuleValue>; bad: Record<string, number> } | undefined): void {
    const absent = this.absent[record.file] as Set<string>;
    for (const rule of table.rules) {
      const when = rule.when as PreparedCondition;
      if (this.skipped.has(rule.rule.code) || (when.reads[table.name] ?? []).some((f) => absent.has(f))) continue;
      if (Object.entries(when.reads).some(([t, reads]) => t !== table.name && t !== "" && reads.some((f) => this.absentAnywhere.get(t)?.has(f)))) {
        this.skipped.set(rule.rule.code, { code: rule.rule.code, why: "columns", reason: `rule ${rule.rule.code} reads a column that a file of a joined table lacks`, zh: `规则 ${rule.rule.code} 读取的关联表中缺少所需的列` });
        continue;
      }
      const outcome = this.decide(when, table, record, aggregates, this.tests === undefined);
      if (outcome.kind === "pending") this.tests?.push({ rule, record, data: outcome.data });
      else this.report(rule, record, outcome);
    }
  }

  /** A record rule's outcome for a record, as a finding (or none). */
  private report(rule: PreparedTableRule, record: HeldRecord, outcome: Outcome): void {
    if (outcome.kind === "value" && !outcome.holds) return;
    const values: Record<string, RuleValue> = {};
    for (const path of (rule.when as PreparedCondition).variables) values[path] = readPath(outcome.data, path);
    const message = outcome.kind === "value" ? fillMessage(rule.messageParts, values) : outcome.message;
    this.findings.push(this.finding(rule, record, outcome.kind === "value" ? "finding" : "rule_failed", outcome.kind === "value" ? undefined : outcome.cause, message, values));
  }

  private finding(rule: PreparedTableRule, record: HeldRecord, kind: TableFinding["kind"], cause: TableFinding["cause"], message: string, read: Record<string, RuleValue>, places?: readonly TablePlace[], recordId?: string): TableFinding {
    const values = { ...read };
    for (const [path, value] of this.overrides) if (!Object.hasOwn(values, path)) values[path] = value;
    const file = this.files[record.file];
    return {
      kind,
      code: rule.rule.code,
      title: rule.rule.title,
      severity: rule.rule.severity,
      check: rule.kind,
      table: rule.rule.table,
      recordId: recordId ?? record.id,
      unit: record.unit,
      message,
      ...(cause === undefined ? {} : { cause }),
      values,
      ...(places ? { places } : {}),
      ...(file === undefined ? {} : { file }),
      row: record.row,
    };
  }

  /**
   * Ends the screening: runs the rules of the held tables (their aggregates now complete), the
   * count checks and the uniqueness checks, and returns everything in a deterministic order.
   *
   * @returns Findings, data-quality findings, rejected rows and counts.
   */
  finish(): TablesResult {
    if (this.finished) throw new KaoheError([{ code: "finished", path: [], message: "finish() was already called" }], "Cannot screen");
    if (!this.rowsEnded) this.endRows();
    if ((this.tests?.length ?? 0) > 0) throw new KaoheError([{ code: "pending_tests", path: [], message: "rule tests taken with takeTests() are not settled" }], "Cannot screen");
    this.finished = true;
    this.sortAll();
    let findings = 0;
    let ruleFailures = 0;
    for (const f of this.findings) if (f.kind === "finding") findings++;
    else ruleFailures++;
    const ruleIndex = new Map(this.prepared.rules.map((r, i) => [r.rule.code, i]));
    const skipped = [...this.skipped.values()].sort((a, b) => (ruleIndex.get(a.code) ?? 0) - (ruleIndex.get(b.code) ?? 0) || byCodePoint(a.file ?? "", b.file ?? ""));
    return { findings: this.findings, quality: this.quality, rejected: this.rejected, counts: { tables: this.counts, findings, ruleFailures, dataQuality: this.quality.length, skipped } };
  }

  /**
   * Marks the end of the rows: runs the rules of the held tables (their aggregates now complete),
   * the count checks and the uniqueness checks. {@link TablesScreener.finish} calls it; call it
   * yourself to take the last rule tests (see {@link TablesScreener.takeTests}) before finishing.
   */
  endRows(): void {
    if (this.rowsEnded) return;
    this.rowsEnded = true;
    this.current = undefined;
    for (const name of this.prepared.order) {
      const table = this.prepared.tables[name] as PreparedTable;
      const held = this.held.get(name);
      if (!held) continue;
      const counts = this.prepared.rules.filter((r) => r.rule.kind === "count" && r.rule.table === name && !this.skipped.has(r.rule.code));
      for (const records of held.values()) {
        for (const record of records) {
          const aggregates = table.aggregates.length > 0 ? this.aggregateValues(name, record.id) : undefined;
          this.runRecordRules(table, record, aggregates);
          for (const rule of counts) this.checkCount(rule, table, record, aggregates);
        }
      }
    }
    for (const rule of this.prepared.rules) if (rule.rule.kind === "unique" && !this.skipped.has(rule.rule.code)) this.reportUnique(rule);
  }

  /** How many rule tests wait to be taken (when constructed with `deferTests`). */
  get pendingTests(): number {
    return this.tests?.length ?? 0;
  }

  /**
   * Takes the rule tests waiting (when constructed with `deferTests`): each a rule's code and the
   * plain data it reads, to be run elsewhere (on worker threads) by {@link runRuleTests}; `settle`
   * gives their results back. Findings are sorted at the end, so that batches may settle in any order.
   *
   * @returns The tests, and the function that takes their results.
   */
  takeTests(): {
    /** The tests taken, each a rule's code and the data its condition reads. */
    readonly tasks: readonly RuleTest[];
    /**
     * Gives back the results of `tasks`, in their order: the findings they make are recorded.
     *
     * @param results - One result per task.
     */
    settle(results: readonly RuleTestResult[]): void;
  } {
    const taken = this.tests ?? [];
    if (this.tests) this.tests = [];
    return {
      tasks: taken.map(({ rule, data }) => ({ code: rule.rule.code, data })),
      settle: (results) => {
        taken.forEach(({ rule, record, data }, i) => this.report(rule, record, outcomeOf(results[i] ?? "no result", data)));
      },
    };
  }

  private sortAll(): void {
    const ruleIndex = new Map(this.prepared.rules.map((r, i) => [r.rule.code, i]));
    const tableIndex = new Map(this.prepared.order.map((t, i) => [t, i]));
    const fileIndex = new Map<string | undefined, number>();
    this.files.forEach((f, i) => { if (!fileIndex.has(f)) fileIndex.set(f, i); });
    const place = (a: { file?: string; row: number }, b: { file?: string; row: number }) => (fileIndex.get(a.file) ?? 0) - (fileIndex.get(b.file) ?? 0) || a.row - b.row;
    this.findings.sort((a, b) => (ruleIndex.get(a.code) ?? 0) - (ruleIndex.get(b.code) ?? 0) || byCodePoint(a.recordId, b.recordId) || place(a, b));
    this.quality.sort((a, b) => (tableIndex.get(a.table) ?? 0) - (tableIndex.get(b.table) ?? 0) || place(a, b) || byCodePoint(a.field, b.field));
    this.rejected.sort((a, b) => (tableIndex.get(a.table) ?? 0) - (tableIndex.get(b.table) ?? 0) || place(a, b));
  }

  private checkCount(rule: PreparedTableRule, table: PreparedTable, record: HeldRecord, aggregates: { values: Record<string, RuleValue>; bad: Record<string, number> } | undefined): void {
    if (rule.rule.kind !== "count") return;
    const { field, of, code } = rule.rule;
    const declared = record.fields[field];
    const counted = aggregates?.values[`#${code}`] ?? 0;
    const label = tableFieldLabel(table.table, field);
    const values: Record<string, RuleValue> = { [field]: declared ?? null, [`count(${of})`]: counted };
    if (record.unusable.includes(field)) {
      this.findings.push(this.finding(rule, record, "rule_failed", "unusable_value", `规则无法判断：「${label}」的值无法使用 (rule could not be decided: ${field} holds an unusable value)`, values));
      return;
    }
    if (declared === null || declared === counted) return;
    const title = this.prepared.rulebook.tables[of]?.title ?? of;
    this.findings.push(this.finding(rule, record, "finding", undefined, rule.rule.message ?? `${label}为${String(declared)}，但${title}中有${String(counted)}条记录`, values));
  }

  private reportUnique(rule: PreparedTableRule): void {
    if (rule.rule.kind !== "unique") return;
    const seen = this.unique.get(rule.rule.code) as Map<string, number | number[]>;
    const table = this.prepared.tables[rule.rule.table] as PreparedTable;
    const label = rule.rule.fields.map((f) => tableFieldLabel(table.table, f)).join("/");
    for (const [value, places] of seen) {
      if (typeof places === "number") continue;
      const decoded = places
        .map((code) => {
          const row = code % PLACE_ROW;
          const slot = Math.floor(code / PLACE_ROW);
          return { file: Math.floor(slot / MAX_UNITS), unit: slot % MAX_UNITS, row };
        })
        .sort((a, b) => a.file - b.file || a.row - b.row);
      const first = decoded[0] as { file: number; unit: number; row: number };
      const list: TablePlace[] = decoded.map((p) => {
        const file = this.files[p.file];
        return file === undefined ? { table: table.name, row: p.row } : { table: table.name, file, row: p.row };
      });
      // The rows, and the file's name where the places span several files.
      const several = new Set(list.map((p) => p.file)).size > 1;
      const where = list.map((p) => `${several && p.file !== undefined ? `${p.file.split(/[\\/]/).pop() ?? ""} ` : ""}第${p.row}行`).join("、");
      // The finding's unit is the first of its places' units in code-point order, which no order of rows changes.
      const unitKey = (u: UnitPath) => `${u.county}\u0000${u.township}\u0000${u.village}`;
      const unit = decoded.map((p) => this.units[p.unit] ?? EMPTY_UNIT).sort((a, b) => byCodePoint(unitKey(a), unitKey(b)))[0] ?? EMPTY_UNIT;
      const record: HeldRecord = { id: value, file: first.file, row: first.row, fields: {}, unusable: NONE, view: {}, unit };
      const values = Object.fromEntries(rule.rule.fields.map((f, i) => [f, value.split("/")[i] ?? null]));
      const message = rule.rule.message ?? `${label}「${value}」在${this.prepared.rulebook.tables[table.name]?.title ?? table.name}中出现${list.length}次：${where}`;
      this.findings.push(this.finding(rule, record, "finding", undefined, message, values, list, value));
    }
  }
}

/** A record rule's condition to run over the data it reads: see {@link TablesScreener.takeTests}. */
export interface RuleTest {
  /** The record rule's code. */
  readonly code: string;
  /** What its condition reads for one record: the record's fields, its joined records' (as `<table>`), `agg` and `params`; plain data, so it can go to a worker thread. */
  readonly data: Readonly<Record<string, unknown>>;
}

/** Whether the condition held, or (text) why it failed. */
export type RuleTestResult = boolean | string;

type Outcome = { kind: "value"; holds: boolean; data: Record<string, unknown> } | { kind: "failed"; cause: NonNullable<TableFinding["cause"]>; message: string; data: Record<string, unknown> };

function testCondition(when: PreparedCondition, data: unknown): RuleTestResult {
  try {
    return when.condition.test(data);
  } catch (error) {
    return describeFailure(error);
  }
}

function outcomeOf(result: RuleTestResult, data: Record<string, unknown>): Outcome {
  return typeof result === "boolean" ? { kind: "value", holds: result, data } : { kind: "failed", cause: "rule_error", message: `规则无法判断 (rule could not be decided): ${result}`, data };
}

/**
 * Runs rule tests taken from a {@link TablesScreener} (on a worker thread, with the same rulebook).
 *
 * @param prepared - The prepared multi-table rulebook.
 * @param tasks - The tests.
 * @returns Each test's result, in order.
 */
export function runRuleTests(prepared: PreparedTablesRulebook, tasks: readonly RuleTest[]): RuleTestResult[] {
  const byCode = new Map(prepared.rules.map((rule) => [rule.rule.code, rule]));
  return tasks.map((task) => {
    const when = byCode.get(task.code)?.when;
    return when ? testCondition(when, task.data) : `no record rule ${task.code}`;
  });
}

/** The column a field is read from, for data-quality findings. */
function columnOf(table: PreparedTable, field: string): string {
  const declared = table.table.fields[field];
  if (!declared) return field;
  return typeof declared.column === "string" ? declared.column : (declared.column[0] ?? field);
}

/**
 * Screens several tables (exports) with a multi-table rulebook: reads each table's rows in the
 * rulebook's reading order (whatever the order of `sources`), joins records by their keys, runs
 * record rules, aggregates, and the uniqueness, reference and count checks.
 *
 * @param sources - Per table, one source or several (files of one table), or rows directly.
 * @param rulebook - A multi-table rulebook (validated here) or a prepared one.
 * @param options - Parameter overrides and rule engine limits.
 * @returns Findings, data-quality findings, rejected rows and counts, in an order that does not depend on the order of rows.
 * @throws {@link index!KaoheError} for an invalid rulebook, or a source naming a table the rulebook does not declare.
 * @example
 * ```ts
 * import { screenTables } from "kaohe/tables";
 * const { findings } = await screenTables(
 *   {
 *     persons: [{ id: "P1", household: "H1" }, { id: "P2", household: "H9" }],
 *     households: [{ household: "H1" }],
 *   },
 *   {
 *     id: "refs", title: "引用核查", version: "1",
 *     tables: {
 *       households: { title: "户信息", key: "household", fields: { household: { column: "户编号", type: "text" } } },
 *       persons: { title: "监测对象信息", key: "id", fields: { id: { column: "证件号码", type: "text" }, household: { column: "户编号", type: "text" } } },
 *     },
 *     rules: [{ code: "R1", kind: "reference", table: "persons", field: "household", to: "households", title: "户编号不存在", severity: "high" }],
 *   },
 * );
 * findings.map((f) => [f.code, f.recordId, f.message]); //=> [["R1", "P2", "户编号「H9」在户信息中没有记录"]]
 * ```
 */
export async function screenTables(
  sources: Readonly<Record<string, TableSource | readonly TableSource[] | TableSource["rows"]>>,
  rulebook: TablesRulebookInput | PreparedTablesRulebook,
  options: PrepareRulebookOptions = {},
): Promise<TablesResult> {
  const prepared = "order" in rulebook && "tables" in rulebook && Array.isArray(rulebook.order) ? (rulebook as PreparedTablesRulebook) : prepareTablesRulebook(rulebook as TablesRulebookInput, options);
  for (const name of Object.keys(sources)) {
    if (!Object.hasOwn(prepared.tables, name)) throw new KaoheError([{ code: "unknown_table", path: [name], message: `table "${name}" is not declared by the rulebook (tables: ${prepared.order.join(", ")})` }], "Cannot screen");
  }
  const screener = new TablesScreener(prepared, Object.keys(sources));
  for (const name of prepared.order) {
    if (!Object.hasOwn(sources, name)) continue;
    const given = sources[name] as TableSource | readonly TableSource[] | TableSource["rows"];
    const list: readonly TableSource[] = isSource(given) ? [given] : Array.isArray(given) && given.length > 0 && given.every(isSource) ? (given as readonly TableSource[]) : [{ rows: given as TableSource["rows"] }];
    for (const source of list) {
      screener.begin(name, source.file);
      let row = 0;
      for await (const values of source.rows) screener.push(values, ++row);
    }
  }
  return screener.finish();
}

/** Tells a source (`{ rows, file? }`, rows iterable) from rows given directly. */
function isSource(value: unknown): value is TableSource {
  const rows = (value as { rows?: unknown } | null)?.rows;
  return typeof rows === "object" && rows !== null && (Symbol.iterator in rows || Symbol.asyncIterator in rows);
}
