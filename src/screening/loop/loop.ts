import { KaoheError, type KaoheIssue } from "../../internal/errors";
import { isCalendarDate } from "../../model/primitives";
import type { Finding } from "../evaluate";
import type { UnitPath } from "../records";
import type { RulebookVersion } from "./dated";

/** An entry of an exemption list (豁免清单): a finding of one rule on one record, accepted for a period. */
export interface Exemption {
  /** The rule's code. */
  readonly code: string;
  /** The record's key, as findings give it (`recordId`: 户编号, 人编号 …). */
  readonly record: string;
  /** For a multi-table screening: the table of the record (表); absent: the record of any table. */
  readonly table?: string;
  /** Why it is exempted (豁免理由). */
  readonly reason: string;
  /** Who approved it (批准人). */
  readonly approvedBy: string;
  /** First day it applies, `YYYY-MM-DD`. */
  readonly from: string;
  /** Last day it applies, inclusive; absent: no end. */
  readonly until?: string;
}

/** A finding of an earlier run, as read back from its findings file (for `baseline`). */
export interface BaselineFinding {
  /** The rule's code. */
  readonly code: string;
  /** The record's key. */
  readonly recordId: string;
  /** The household's key, for a one-table screening. */
  readonly householdId?: string;
  /** The table of the record, for a multi-table screening. */
  readonly table?: string;
  /** The rule's title, as the earlier run wrote it. */
  readonly title?: string;
  /** The finding's message in the earlier run. */
  readonly message?: string;
  /** The record's unit 县/乡/村, for the counts of resolved findings. */
  readonly unit: UnitPath;
}

/** Whether a finding was already found by the earlier run: `new` (新发现) or `persisting` (仍存在). */
export type BaselineStatus = "new" | "persisting";

/** A finding after the loop's post-processing: with its exemption and its status against the earlier run. */
export type LoopFinding = Finding & LoopMarks;

/** What the loop adds to a finding (of a one-table or a multi-table screening). */
export interface LoopMarks {
  /** The exemption in force that covers it: the finding stays, marked exempted (已豁免). */
  readonly exemption?: Exemption;
  /** Against the baseline, when one is given. */
  readonly status?: BaselineStatus;
  /** For a dated rulebook: the date, the start of each dated parameter's period in force, and the rule's own period. */
  readonly applied?: AppliedVersion;
}

/**
 * What the loop reads of a finding: a one-table screening's {@link Finding}, or a multi-table
 * screening's `TableFinding` (identified by rule code, table and record key).
 */
export interface LoopSubject {
  /** Only `finding`s are marked; other items are returned unchanged. */
  readonly kind: string;
  /** The rule's code. */
  readonly code: string;
  /** The record's key. */
  readonly recordId: string;
  /** The household's key (one-table screening). */
  readonly householdId?: string | undefined;
  /** The record's table (multi-table screening). */
  readonly table?: string | undefined;
  /** The record's unit 县/乡/村, for the counts. */
  readonly unit: UnitPath;
}

/** Which dated version applied to a finding: see {@link LoopFinding}. */
export interface AppliedVersion {
  /** The date of the run. */
  readonly asOf: string;
  /** Each dated parameter's period in force, by its start date. */
  readonly parameters: Readonly<Record<string, string>>;
  /** The period of the rule's version, when the rule is dated. */
  readonly rule?: {
    /** First day of the rule's version, when it has one. */
    readonly from?: string;
    /** Last day of the rule's version, inclusive, when it has one. */
    readonly until?: string;
  };
}

/** Counts of one group against the baseline and the exemptions. */
export interface LoopCounts {
  /** Findings not found by the earlier run (新发现). */
  readonly new: number;
  /** Findings found again (仍存在). */
  readonly persisting: number;
  /** Findings of the earlier run not found again (已解决). */
  readonly resolved: number;
  /** Findings covered by an exemption in force (已豁免). */
  readonly exempted: number;
}

/** An exemption that did not apply, and why: `expired` (past its date), `not_yet` (before it), `unmatched` (in force, matched no finding). */
export interface UnusedExemption {
  /** The entry of the exemption list. */
  readonly exemption: Exemption;
  /** Why it did not apply. */
  readonly why: "expired" | "not_yet" | "unmatched";
  /** The findings it would have covered, had it been in force. */
  readonly matched: number;
}

/** The result of a loop over one run: see {@link ScreeningLoop}. */
export interface LoopReport extends LoopCounts {
  /** The date the exemptions were judged against. */
  readonly asOf: string;
  /** Whether a baseline was given (otherwise `new`, `persisting` and `resolved` are 0). */
  readonly compared: boolean;
  /** The dated rulebook's version that applied, when given. */
  readonly version?: RulebookVersion;
  /** Findings of the earlier run not found again, in the earlier run's order. */
  readonly resolvedFindings: readonly BaselineFinding[];
  /** Exemptions that did not apply: expired, not yet in force, or matching nothing. */
  readonly unusedExemptions: readonly UnusedExemption[];
  /** Counts per rule, by code. */
  readonly byRule: readonly (LoopCounts & {
    /** The rule's code. */
    readonly code: string;
  })[];
  /** Counts per township (乡镇). */
  readonly byTownship: readonly (LoopCounts & {
    /** The county (县). */
    readonly county: string;
    /** The township (乡镇). */
    readonly township: string;
  })[];
  /** Counts per village (行政村). */
  readonly byVillage: readonly (LoopCounts & {
    /** The county (县). */
    readonly county: string;
    /** The township (乡镇). */
    readonly township: string;
    /** The village (行政村). */
    readonly village: string;
  })[];
}

/** Options of {@link ScreeningLoop}. */
export interface ScreeningLoopOptions {
  /** The date of the run, `YYYY-MM-DD`, against which exemptions are judged (the library reads no clock). */
  readonly asOf: string;
  /** The exemption list (豁免清单); exemptions are judged against `asOf`. */
  readonly exemptions?: readonly Exemption[];
  /** The findings of the earlier run. */
  readonly baseline?: readonly BaselineFinding[];
  /**
   * Applied to the record keys of both runs before they are compared, e.g. masking the identity numbers in them when
   * the earlier findings were written with identity numbers masked.
   */
  readonly normalizeId?: (id: string) => string;
  /** The version of a dated rulebook (from {@link resolveDatedRulebook}): each finding then says which applied. */
  readonly version?: RulebookVersion;
}

const SEP = "\u0000";
type Keyed = { code: string; recordId: string; householdId?: string | undefined; table?: string | undefined };

/**
 * The re-screening loop (筛查 → 整改 → 再筛查) over one run's findings, one at a time: marks each
 * finding exempted when an exemption in force covers it (matched by rule code and record key, never
 * by row), and new or persisting against the findings of an earlier run (matched by rule code and
 * record key). Memory holds the exemptions and the earlier findings, not this run's.
 *
 * @example
 * ```ts
 * import { ScreeningLoop } from "kaohe/loop";
 * const unit = { county: "示例县", township: "甲乡", village: "一村" };
 * const finding = (code: string, recordId: string) => ({ kind: "finding" as const, code, title: code, severity: "high" as const,
 *   subject: "household" as const, recordId, unit, message: "…", values: {}, row: 2 });
 * const loop = new ScreeningLoop({
 *   asOf: "2025-07-01",
 *   exemptions: [{ code: "SC02", record: "H1", reason: "大病支出核实", approvedBy: "县乡村振兴局", from: "2025-01-01", until: "2025-12-31" }],
 *   baseline: [{ code: "SC02", recordId: "H1", unit }, { code: "SC13", recordId: "H9", unit }],
 * });
 * const marked = loop.annotate(finding("SC02", "H1"));
 * [marked.status, marked.exemption?.reason]; //=> ["persisting", "大病支出核实"]
 * loop.annotate(finding("SC04", "H2")).status; //=> "new"
 * const report = loop.finish();
 * [report.new, report.persisting, report.resolved, report.exempted]; //=> [1, 1, 1, 1]
 * report.resolvedFindings.map((f) => f.recordId); //=> ["H9"]
 * ```
 */
export class ScreeningLoop {
  private readonly used = new Map<Exemption, number>();
  private readonly byRecord = new Map<string, Exemption[]>();
  private readonly earlier = new Map<string, BaselineFinding>();
  private readonly seen = new Set<string>();
  private readonly groups = new Map<string, { new: number; persisting: number; resolved: number; exempted: number }>();

  /**
   * Starts a loop over one run.
   *
   * @param options - The date, the exemption list, the earlier run's findings.
   * @throws `KaoheError` (from `kaohe`) (`invalid_date`) when `asOf` is not a date `YYYY-MM-DD`.
   */
  constructor(private readonly options: ScreeningLoopOptions) {
    if (!isCalendarDate(options.asOf)) throw new KaoheError([{ code: "invalid_date", path: ["asOf"], message: `the date of the run must be a date YYYY-MM-DD (got "${options.asOf}")`, zh: `筛查日期应为 YYYY-MM-DD 格式的日期（收到 "${options.asOf}"）` }], "Cannot start the loop");
    for (const e of options.exemptions ?? []) {
      this.used.set(e, 0);
      const key = e.code + SEP + e.record;
      this.byRecord.set(key, [...(this.byRecord.get(key) ?? []), e]);
    }
    for (const f of options.baseline ?? []) this.earlier.set(this.keyOf(f), f);
  }

  private keyOf(f: Keyed): string {
    const n = this.options.normalizeId ?? ((id: string) => id);
    return f.code + SEP + (f.table ?? "") + SEP + n(f.householdId ?? "") + SEP + n(f.recordId);
  }

  /**
   * Marks one finding; items that are not findings (undecided rules) are returned unchanged.
   *
   * @param finding - A finding of this run, in any order.
   * @returns The finding with its exemption and baseline status.
   */
  annotate<F extends LoopSubject>(finding: F): F & LoopMarks {
    if (finding.kind !== "finding") return finding;
    const { asOf } = this.options;
    // An exemption naming a table covers that table's record only.
    const covering = (this.byRecord.get(finding.code + SEP + finding.recordId) ?? []).filter((e) => e.table === undefined || e.table === finding.table);
    for (const e of covering) this.used.set(e, (this.used.get(e) ?? 0) + 1);
    const exemption = covering.find((e) => e.from <= asOf && (e.until === undefined || asOf <= e.until));
    const key = this.keyOf(finding);
    const status: BaselineStatus | undefined = this.options.baseline ? (this.earlier.has(key) ? "persisting" : "new") : undefined;
    this.seen.add(key);
    for (const g of this.groupsOf(finding.code, finding.unit)) {
      if (status) g[status]++;
      if (exemption) g.exempted++;
    }
    const { version } = this.options;
    const rule = version?.rules[finding.code];
    const dated = version !== undefined && (Object.keys(version.parameters).length > 0 || Object.keys(version.rules).length > 0);
    const applied = dated ? { asOf: version.asOf, parameters: Object.fromEntries(Object.entries(version.parameters).map(([name, p]) => [name, p.from])), ...(rule ? { rule } : {}) } : undefined;
    return { ...finding, ...(exemption ? { exemption } : {}), ...(status ? { status } : {}), ...(applied ? { applied } : {}) };
  }

  private groupsOf(code: string, unit: UnitPath) {
    return [`r${SEP}${code}`, `t${SEP}${unit.county}${SEP}${unit.township}`, `v${SEP}${unit.county}${SEP}${unit.township}${SEP}${unit.village}`, "all"].map((key) => {
      let g = this.groups.get(key);
      if (!g) this.groups.set(key, (g = { new: 0, persisting: 0, resolved: 0, exempted: 0 }));
      return g;
    });
  }

  /**
   * Ends the run: the earlier findings not found again are resolved; the exemptions that did not
   * apply are listed.
   *
   * @returns Totals, counts per rule, township and village (by code point), and the lists.
   */
  finish(): LoopReport {
    const resolvedFindings = [...this.earlier].filter(([key]) => !this.seen.has(key)).map(([, f]) => f);
    for (const f of resolvedFindings) for (const g of this.groupsOf(f.code, f.unit)) g.resolved++;
    const { asOf } = this.options;
    const unusedExemptions: UnusedExemption[] = [];
    for (const [e, matched] of this.used) {
      const why = e.until !== undefined && e.until < asOf ? "expired" : e.from > asOf ? "not_yet" : matched === 0 ? "unmatched" : undefined;
      if (why) unusedExemptions.push({ exemption: e, why, matched });
    }
    const list = (prefix: string) =>
      [...this.groups]
        .filter(([k]) => k.startsWith(prefix + SEP))
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, c]) => ({ parts: k.split(SEP).slice(1), c }));
    const total = this.groups.get("all") ?? { new: 0, persisting: 0, resolved: 0, exempted: 0 };
    return {
      ...total,
      asOf,
      compared: this.options.baseline !== undefined,
      ...(this.options.version ? { version: this.options.version } : {}),
      resolvedFindings,
      unusedExemptions,
      byRule: list("r").map(({ parts: [code = ""], c }) => ({ code, ...c })),
      byTownship: list("t").map(({ parts: [county = "", township = ""], c }) => ({ county, township, ...c })),
      byVillage: list("v").map(({ parts: [county = "", township = "", village = ""], c }) => ({ county, township, village, ...c })),
    };
  }
}

/** The column names an exemption list may use, in Chinese or English, for each property. */
const EXEMPTION_COLUMNS: Readonly<Record<keyof Exemption, readonly string[]>> = {
  code: ["code", "规则编号"],
  record: ["record", "recordId", "记录编号"],
  table: ["table", "表"],
  reason: ["reason", "豁免理由", "理由"],
  approvedBy: ["approvedBy", "批准人", "审批人"],
  // In backquotes: the word in double quotes would read as an import to the import-graph check (test/embed).
  from: [`from`, "起始日期", "开始日期"],
  until: ["until", "截止日期", "结束日期"],
};

/** A date cell as `YYYY-MM-DD`: text (also `2025/3/5`) or a Date (a workbook's date cell, UTC). */
function dateText(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString().slice(0, 10);
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(String(value ?? "").trim());
  const date = m ? `${m[1]}-${(m[2] as string).padStart(2, "0")}-${(m[3] as string).padStart(2, "0")}` : undefined;
  return date !== undefined && isCalendarDate(date) ? date : undefined;
}

const LABELS: Readonly<Record<keyof Exemption, string>> = { code: "规则编号", record: "记录编号", table: "表", reason: "豁免理由", approvedBy: "批准人", from: "起始日期", until: "截止日期" };

/**
 * Reads an exemption list (豁免清单) from rows keyed by column name, in Chinese (规则编号, 记录编号,
 * 豁免理由, 批准人, 起始日期, 截止日期) or English (code, record, reason, approvedBy, from, until).
 * Every property is required except `until` (no end date).
 *
 * @param rows - The list's rows, e.g. a JSON array or a CSV/XLSX sheet keyed by its header.
 * @param source - The file's name, for the issues' paths.
 * @returns The exemptions, in order.
 * @throws `KaoheError` (from `kaohe`) naming each row and column that is missing or not a date (every issue at once).
 */
export function parseExemptions(rows: readonly unknown[], source = "exemptions"): Exemption[] {
  const issues: KaoheIssue[] = [];
  const list: Exemption[] = [];
  rows.forEach((row, i) => {
    const cells = (typeof row === "object" && row !== null ? row : {}) as Record<string, unknown>;
    const read = (name: keyof Exemption) => {
      for (const column of EXEMPTION_COLUMNS[name]) if (Object.hasOwn(cells, column) && cells[column] !== null && String(cells[column]).trim() !== "") return cells[column];
      return undefined;
    };
    const entry: Record<string, string> = {};
    for (const name of Object.keys(EXEMPTION_COLUMNS) as (keyof Exemption)[]) {
      const value = read(name);
      const label = LABELS[name];
      if (value === undefined) {
        if (name !== "until" && name !== "table") issues.push({ code: "missing_value", path: [source, i + 1, name], message: `${source}, entry ${i + 1}: ${name} (${label}) is empty`, zh: `${source} 第 ${i + 1} 条：「${label}」为空` });
        continue;
      }
      const text = name === `from` || name === "until" ? dateText(value) : value instanceof Date ? undefined : String(value).trim();
      if (text === undefined) issues.push({ code: "invalid_date", path: [source, i + 1, name], message: `${source}, entry ${i + 1}: ${name} (${label}) must be a date YYYY-MM-DD (got "${String(value)}")`, zh: `${source} 第 ${i + 1} 条：「${label}」应为 YYYY-MM-DD 格式的日期（收到 "${String(value)}"）` });
      else entry[name] = text;
    }
    if (entry.until !== undefined && entry.from !== undefined && entry.until < entry.from) issues.push({ code: "invalid_period", path: [source, i + 1, "until"], message: `${source}, entry ${i + 1}: until ${entry.until} is before from ${entry.from}`, zh: `${source} 第 ${i + 1} 条：截止日期 ${entry.until} 早于起始日期 ${entry.from}` });
    list.push(entry as unknown as Exemption);
  });
  if (issues.length > 0) throw new KaoheError(issues, "Invalid exemption list");
  return list;
}

/** The column names of a findings file kaohe writes (NDJSON keys, raw CSV columns, Chinese CSV headers). */
const BASELINE_COLUMNS = {
  kind: ["kind", "类型"],
  code: ["code", "规则编号"],
  recordId: ["recordId", "记录编号"],
  householdId: ["householdId", "户编号"],
  table: ["table", "表"],
  title: ["title", "规则名称"],
  message: ["message", "说明"],
  county: ["county", "县"],
  township: ["township", "乡镇"],
  village: ["village", "村"],
} as const;

/**
 * Reads the findings of an earlier run from the rows of a findings file kaohe wrote (NDJSON
 * objects, or CSV rows keyed by their header, raw or in Chinese). Only findings count (not
 * undecided rules, data-quality findings or rejected rows); a cell neutralised for spreadsheets
 * (`'=…`) is read back as written.
 *
 * @param rows - The file's rows or objects.
 * @param source - The file's name, for the issues.
 * @returns The earlier findings.
 * @throws `KaoheError` (from `kaohe`) (`baseline_format`) when the rows are not a findings file (a column is missing).
 */
export function parseBaseline(rows: readonly Readonly<Record<string, unknown>>[], source = "baseline"): BaselineFinding[] {
  const out: BaselineFinding[] = [];
  for (const [i, row] of rows.entries()) {
    const get = (name: keyof typeof BASELINE_COLUMNS) => {
      for (const c of BASELINE_COLUMNS[name]) if (Object.hasOwn(row, c)) return unneutralise(row[c]);
      return undefined;
    };
    const unit = row.unit as Partial<UnitPath> | undefined;
    const kind = get("kind");
    const code = get("code");
    const recordId = get("recordId");
    if (kind === undefined || code === undefined || recordId === undefined) {
      throw new KaoheError([{ code: "baseline_format", path: [source, i + 1], message: `${source} is not a findings file written by kaohe screen: row ${i + 1} has no kind, code or recordId (类型, 规则编号, 记录编号)`, zh: `${source} 不是 kaohe screen 写出的问题线索文件：第 ${i + 1} 行缺少 类型、规则编号 或 记录编号` }], "Invalid baseline");
    }
    if (kind !== "finding" && kind !== "问题线索") continue;
    const householdId = get("householdId");
    const table = get("table");
    const title = get("title");
    const message = get("message");
    out.push({
      code,
      recordId,
      ...(householdId ? { householdId } : {}),
      ...(table ? { table } : {}),
      ...(title ? { title } : {}),
      ...(message ? { message } : {}),
      unit: { county: unit?.county ?? get("county") ?? "", township: unit?.township ?? get("township") ?? "", village: unit?.village ?? get("village") ?? "" },
    });
  }
  return out;
}

/** A cell read back as written: text as is, a `'` that neutralised a formula removed. */
function unneutralise(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = String(value);
  return /^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
}

/**
 * Masks an identity number (证件号码) for files that leave the office: the first 6 and last 4
 * characters are kept, the others become `*` (a text of 10 characters or fewer is masked whole).
 * Masking a masked number changes nothing.
 *
 * @param id - The number as text.
 * @returns The masked text, of the same length.
 * @example
 * ```ts
 * import { maskId } from "kaohe/loop";
 * maskId("36070219800101123X"); //=> "360702********123X"
 * ```
 */
export function maskId(id: string): string {
  const chars = [...id];
  return chars.length <= 10 ? "*".repeat(chars.length) : chars.slice(0, 6).join("") + "*".repeat(chars.length - 10) + chars.slice(-4).join("");
}

/** 18- and 15-character identity numbers inside a text. */
const ID_IN_TEXT = /(?<![0-9A-Za-z*])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z*])/g;

/**
 * Masks the identity numbers in a text: each of `known` (the values of 证件号码 fields), and any
 * 18- or 15-character identity number.
 *
 * @param text - A cell, a message.
 * @param known - Values to mask wherever they occur.
 * @returns The text with every identity number masked by {@link maskId}.
 */
export function maskIdsIn(text: string, known: Iterable<string> = []): string {
  let out = text;
  for (const id of known) if (id.length > 0 && out.includes(id)) out = out.split(id).join(maskId(id));
  return out.replace(ID_IN_TEXT, maskId);
}

/**
 * Masks the identity numbers (证件号码) of a finding, data-quality finding or rejected row: the
 * values of `idFields`, the record keys of the kinds of record whose key is an identity number,
 * the record of its exemption, and any identity number in its texts.
 *
 * @param item - What screening produced.
 * @param idFields - The fields that hold identity numbers.
 * @param idKeys - The kinds of record whose key is an identity number (e.g. `person` when 证件号码 is the person key); for a multi-table screening's items, the tables.
 * @returns A masked copy.
 */
export function maskItem<T extends { readonly kind: string }>(item: T, idFields: ReadonlySet<string>, idKeys: ReadonlySet<string> = new Set()): T {
  const o = { ...item } as Record<string, unknown>;
  const known: string[] = [];
  const values = o.values as Record<string, unknown> | undefined;
  if (values) {
    const masked: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(values)) {
      if (idFields.has(k) && typeof v === "string") known.push(v);
      masked[k] = idFields.has(k) && typeof v === "string" ? maskId(v) : v;
    }
    o.values = masked;
  }
  if (typeof o.field === "string" && idFields.has(o.field) && typeof o.value === "string") {
    known.push(o.value);
    o.value = maskId(o.value);
  }
  for (const k of ["recordId", "householdId"]) {
    if (typeof o[k] !== "string") continue;
    // A multi-table screening's item names its table: a table whose key is an identity number.
    const isId = idKeys.has(typeof o.table === "string" ? o.table : k === "householdId" || o.subject === "household" ? "household" : String(o.subject));
    if (isId) known.push(o[k] as string);
    o[k] = isId ? maskId(o[k] as string) : maskIdsIn(o[k] as string);
  }
  const exemption = o.exemption as Exemption | undefined;
  if (exemption) o.exemption = { ...exemption, record: known.includes(exemption.record) ? maskId(exemption.record) : maskIdsIn(exemption.record) };
  for (const k of ["message", "reason", "zh"]) if (typeof o[k] === "string") o[k] = maskIdsIn(o[k] as string, known);
  return o as T;
}
