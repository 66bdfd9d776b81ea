import type { PreparedRulebook } from "./prepare";
import { SUBJECT_DEPTH, fieldLabel } from "./prepare";
import type { Field, Subject } from "./schema";
import { convertCell, isCellProblem, type FieldValue } from "./values";

/** A record's unit path 县/乡/村 (empty text where the cell was empty). */
export interface UnitPath {
  readonly county: string;
  readonly township: string;
  readonly village: string;
}

/** A person within a household record. */
export interface ScreeningMember {
  /** The person's key (e.g. 人编号). */
  readonly id: string;
  /** The row that holds the person. */
  readonly row: number;
  /** The person's own fields (those declared `of: "person"`). */
  readonly fields: Readonly<Record<string, FieldValue>>;
}

/**
 * A record assembled from rows, ready for the rules: a village, or a household with the persons
 * of its rows. Plain data, so that it can be sent to a worker thread.
 */
export interface ScreeningRecord {
  readonly kind: "record";
  /** `village` or `household` (persons are screened within their household). */
  readonly subject: "village" | "household";
  /** The record's key. */
  readonly id: string;
  readonly unit: UnitPath;
  /** The file it comes from, when known. */
  readonly file?: string;
  /** Its first row. */
  readonly row: number;
  /** Its village and household fields. */
  readonly fields: Readonly<Record<string, FieldValue>>;
  /** Its persons, in row order; empty unless read from rows of persons. */
  readonly members: readonly ScreeningMember[];
}

/** A row that was not screened, and why: nothing is skipped silently. */
export interface RejectedRow {
  readonly kind: "rejected";
  /** Why, as a stable code: `invalid_value`, `missing_value`, `invalid_encoding`, `wrong_cell_count`, `household_incomplete`, … */
  readonly code: string;
  /** Why, for a person: names the field, the value and the row concerned. */
  readonly reason: string;
  readonly file?: string;
  readonly row: number;
}

/** Rows read, screened and rejected; `rowsRead` is always `rowsScreened + rowsRejected`. */
export interface RowCounts {
  rowsRead: number;
  rowsScreened: number;
  rowsRejected: number;
}

interface Group {
  id: string;
  row: number;
  fields: Record<string, FieldValue>;
  members: ScreeningMember[];
  memberIds: Set<string>;
  rows: number[];
  bad: Map<number, { code: string; reason: string }>;
}

/** A field the rows need: its name, declaration, label, and where a row holds it (a name, or a cell index). */
type FieldEntry = [name: string, field: Field, label: string, at: string | number];

/**
 * Converts rows keyed by field name into records, one row at a time: rows of persons are grouped
 * into households by consecutive household key. Memory holds one household and the set of keys
 * already seen (to refuse a household split across the file).
 */
export class RecordAssembler {
  /** Rows read, screened and rejected so far. */
  readonly counts: RowCounts = { rowsRead: 0, rowsScreened: 0, rowsRejected: 0 };
  private readonly base: FieldEntry[] = [];
  private readonly own: FieldEntry[] = [];
  private readonly seen = new Set<string>();
  private group: Group | undefined;
  /** Rows rejected while a household is open: they follow it, so that its rows stay together. */
  private deferred: RejectedRow[] = [];
  private readonly key: string;
  private readonly memberKey: string | undefined;

  /**
   * @param prepared - The prepared rulebook.
   * @param level - What one row holds: a village, a household, or a person of a household.
   * @param file - The file the rows come from, quoted in rejections and findings.
   */
  constructor(
    private readonly prepared: PreparedRulebook,
    readonly level: Subject,
    private readonly file?: string,
  ) {
    const { fields, keys } = prepared.rulebook;
    const outer: Subject = level === "person" ? "household" : level;
    for (const [name, field] of Object.entries(fields)) {
      const depth = SUBJECT_DEPTH[field.of];
      const entry: FieldEntry = [name, field, fieldLabel(name, field), name];
      if (depth <= SUBJECT_DEPTH[outer]) this.base.push(entry);
      else if (depth <= SUBJECT_DEPTH[level]) this.own.push(entry);
    }
    this.key = keys[outer] ?? "";
    this.memberKey = level === "person" ? keys.person : undefined;
  }

  /**
   * Reads rows as arrays of cells from now on: each field from its column's index.
   *
   * @param indexes - The column index of each field.
   */
  useColumns(indexes: readonly (readonly [field: string, index: number])[]): void {
    const byField = new Map(indexes);
    for (const entry of [...this.base, ...this.own]) entry[3] = byField.get(entry[0]) ?? -1;
  }

  /**
   * Takes one row (by field name, or cells after {@link RecordAssembler.useColumns}); pushes to `out` every record completed and every row rejected, in order.
   *
   * @param values - The row's cells by field name.
   * @param row - The row's number in its file (or its position).
   * @param out - Where completed records and rejected rows go.
   */
  push(values: Readonly<Record<string, unknown>> | readonly unknown[], row: number, out: (ScreeningRecord | RejectedRow)[]): void {
    this.counts.rowsRead++;
    const problems: string[] = [];
    const fields = this.convert(this.base, values, problems);
    const own = this.memberKey === undefined ? undefined : this.convert(this.own, values, problems);
    let code = this.code;
    const keyValue = fields[this.key];
    if (keyValue === null || keyValue === undefined) {
      const at = this.base.find((entry) => entry[0] === this.key)?.[3] ?? this.key;
      const raw = (values as Record<string | number, unknown>)[at];
      const empty = `${this.label(this.key)} is empty`;
      const blank = raw === undefined || raw === null || (typeof raw === "string" && raw.trim() === "");
      if (blank && !problems.includes(empty)) problems.unshift(empty);
      return this.reject(out, row, code || "missing_value", problems.join("; "));
    }
    const id = String(keyValue);
    if (own === undefined) {
      if (this.seen.has(id)) return this.reject(out, row, "duplicate_record", `${this.label(this.key)} ${id} appears twice`);
      this.seen.add(id);
      if (problems.length > 0) return this.reject(out, row, code, problems.join("; "));
      this.counts.rowsScreened++;
      out.push(this.record(id, row, fields, []));
      return;
    }
    let group = this.group;
    if (group === undefined || group.id !== id) {
      this.flush(out);
      if (this.seen.has(id)) {
        return this.reject(out, row, "household_not_contiguous", `${this.label(this.key)} ${id} appears again, apart from its other rows (sort the export by ${this.label(this.key)})`);
      }
      this.seen.add(id);
      group = { id, row, fields, members: [], memberIds: new Set(), rows: [], bad: new Map() };
      this.group = group;
    } else {
      for (const [name, , label] of this.base) {
        if (fields[name] !== group.fields[name] && !problems.length) {
          code = "inconsistent_household";
          problems.push(`${label} ${String(fields[name])} differs from ${String(group.fields[name])} on row ${group.row} of the same household`);
        }
      }
    }
    group.rows.push(row);
    const memberId = own[this.memberKey ?? ""];
    if (problems.length === 0 && (memberId === null || memberId === undefined)) {
      code = "missing_value";
      problems.push(`${this.label(this.memberKey ?? "")} is empty`);
    } else if (problems.length === 0 && group.memberIds.has(String(memberId))) {
      code = "duplicate_record";
      problems.push(`${this.label(this.memberKey ?? "")} ${String(memberId)} appears twice in household ${id}`);
    }
    if (problems.length > 0) group.bad.set(row, { code, reason: problems.join("; ") });
    else {
      group.memberIds.add(String(memberId));
      group.members.push({ id: String(memberId), row, fields: own });
    }
  }

  /**
   * Marks the end of the rows: pushes the last household, if any.
   *
   * @param out - Where it goes.
   */
  end(out: (ScreeningRecord | RejectedRow)[]): void {
    this.flush(out);
  }

  /**
   * Counts a row that could not be read at all (bad CSV syntax, wrong number of cells).
   *
   * @param row - Its number.
   * @param code - Why, as a code.
   * @param reason - Why, for a person.
   * @param out - Where the rejection goes.
   */
  rejectUnread(row: number, code: string, reason: string, out: (ScreeningRecord | RejectedRow)[]): void {
    this.counts.rowsRead++;
    this.reject(out, row, code, reason);
  }

  /** The first problem's code of the last {@link RecordAssembler.convert}. */
  private code = "";

  /** Converts the cells of some fields, collecting problems; a field with a problem is null. */
  private convert(entries: readonly FieldEntry[], values: Readonly<Record<string, unknown>> | readonly unknown[], problems: string[]): Record<string, FieldValue> {
    const result: Record<string, FieldValue> = {};
    if (problems.length === 0) this.code = "";
    for (let i = 0; i < entries.length; i++) {
      const [name, field, label, at] = entries[i] as FieldEntry;
      const converted = convertCell((values as Record<string | number, unknown>)[at], field, label);
      if (isCellProblem(converted)) {
        this.code ||= converted.code;
        problems.push(converted.reason);
        result[name] = null;
      } else if (converted === null && field.required) {
        this.code ||= "missing_value";
        problems.push(`${label} is empty`);
        result[name] = null;
      } else result[name] = converted;
    }
    return result;
  }

  private label(name: string): string {
    const field = this.prepared.rulebook.fields[name];
    return field ? fieldLabel(name, field) : name;
  }

  private reject(out: (ScreeningRecord | RejectedRow)[], row: number, code: string, reason: string, now = false): void {
    this.counts.rowsRejected++;
    const rejected: RejectedRow = this.file === undefined ? { kind: "rejected", code, reason, row } : { kind: "rejected", code, reason, file: this.file, row };
    if (this.group !== undefined && !now) this.deferred.push(rejected);
    else out.push(rejected);
  }

  private flush(out: (ScreeningRecord | RejectedRow)[]): void {
    const group = this.group;
    if (group === undefined) return;
    if (group.bad.size === 0) {
      this.counts.rowsScreened += group.rows.length;
      out.push(this.record(group.id, group.row, group.fields, group.members));
    } else {
      const firstBad = [...group.bad.keys()][0];
      for (const row of group.rows) {
        const bad = group.bad.get(row);
        if (bad) this.reject(out, row, bad.code, bad.reason, true);
        else this.reject(out, row, "household_incomplete", `household ${group.id} is not screened: row ${firstBad} of it is malformed`, true);
      }
    }
    this.group = undefined;
    out.push(...this.deferred);
    this.deferred = [];
  }

  private record(id: string, row: number, fields: Record<string, FieldValue>, members: ScreeningMember[]): ScreeningRecord {
    const { unit } = this.prepared.rulebook;
    const text = (name: string) => {
      const value = fields[name];
      return value === null || value === undefined ? "" : String(value);
    };
    const subject = this.level === "village" ? "village" : "household";
    const path = { county: text(unit.county), township: text(unit.township), village: text(unit.village) };
    const record = { kind: "record", subject, id, unit: path, row, fields, members } as const;
    return this.file === undefined ? record : { ...record, file: this.file };
  }
}
