import type { PreparedRulebook } from "./prepare";
import { SUBJECT_DEPTH, fieldColumns, fieldLabel } from "./prepare";
import type { Subject } from "./schema";
import { detectLevel } from "./screen";

/** A header row matched against the rulebook's field map. */
export interface ColumnMap {
  /** What one row holds, from the key columns present. */
  readonly level: Subject;
  /** For each field the rows need, the index of its column. */
  readonly indexes: readonly (readonly [field: string, index: number])[];
  /** For each field found, its column's header as the file writes it. */
  readonly names: Readonly<Record<string, string>>;
  /** Fields of this kind of row whose column the file lacks, with the (first) column name declared: the rules that read them cannot run. */
  readonly missing: Readonly<Record<string, string>>;
  /** The number of header cells. */
  readonly width: number;
}

/** Header cells compare without blanks: exports break long headers over lines (户\n编号). */
function normalizeHeader(cell: unknown): string {
  if (cell === null || cell === undefined) return "";
  return String(cell).replace(/^\uFEFF/, "").replace(/\s+/g, "");
}

/**
 * Tells whether a row looks like the header: it names the column of a key field.
 *
 * @param prepared - The prepared rulebook.
 * @param cells - The row's cells.
 * @returns `true` when a key field's column is among the cells.
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { isHeaderRow, prepareRulebook } from "kaohe";
 * const prepared = prepareRulebook(JSON.parse(readFileSync("examples/screening/rulebook.json", "utf8")));
 * isHeaderRow(prepared, ["防返贫监测对象信息（合成数据）"]); //=> false
 * isHeaderRow(prepared, ["县", "乡镇", "户编号"]);            //=> true
 * isHeaderRow(prepared, ["县", "乡镇", "户\n编号"]);          //=> true
 * ```
 */
export function isHeaderRow(prepared: PreparedRulebook, cells: readonly unknown[]): boolean {
  const names = new Set(cells.map(normalizeHeader));
  const { keys, fields } = prepared.rulebook;
  return Object.values(keys).some((key) => {
    const field = key === undefined ? undefined : fields[key];
    return field !== undefined && fieldColumns(field).some((column) => names.has(normalizeHeader(column)));
  });
}

/**
 * Matches a header row against the rulebook's field map (blanks inside names ignored): decides
 * what one row holds from the key columns present, and lists the fields of that kind of row whose
 * column is missing (the rules that read them cannot run; the others do). A file that has the
 * columns of persons but not the person key is refused: its rows cannot be told apart, and
 * screening it as households would silently turn person checks into household ones.
 *
 * @param prepared - The prepared rulebook.
 * @param header - The header row's cells.
 * @returns The column map, or why the header cannot be used (no key column, a person key missing).
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { mapColumns, prepareRulebook } from "kaohe";
 * const prepared = prepareRulebook(JSON.parse(readFileSync("examples/screening/rulebook.json", "utf8")));
 * // Every column of a household row, 家庭人口数 last.
 * const header = [
 *   "县", "乡镇", "行政村", "户编号", "监测对象类别", "风险类型", "识别纳入时间", "风险是否消除",
 *   "风险消除时间", "风险消除方式", "人均纯收入（元）", "住房是否安全", "是否易地扶贫搬迁", "帮扶措施", "家庭人口数",
 * ];
 * const mapped = mapColumns(prepared, header);
 * mapped.ok ? mapped.map.level : mapped.reason; //=> "household"
 * const short = mapColumns(prepared, header.slice(0, -1));
 * short.ok ? short.map.missing : short.reason; //=> { householdSize: "家庭人口数" }
 * const persons = mapColumns(prepared, [...header, "年龄", "劳动技能"]);
 * persons.ok ? persons.map.level : persons.reason; //=> "the header has person columns (年龄, 劳动技能) but no 人编号 column (personId): persons cannot be told apart"
 * mapColumns(prepared, ["县", "乡镇"]).ok; //=> false
 * ```
 */
export function mapColumns(
  prepared: PreparedRulebook,
  header: readonly unknown[],
):
  | {
      /** The header can be used. */
      readonly ok: true;
      /** The column map. */
      readonly map: ColumnMap;
    }
  | {
      /** The header cannot be used. */
      readonly ok: false;
      /** Why, in English. */
      readonly reason: string;
      /** Why, in Chinese. */
      readonly zh: string;
    } {
  const names = header.map(normalizeHeader);
  const { fields, keys } = prepared.rulebook;
  const find = (field: string): number => {
    const declared = fields[field];
    if (!declared) return -1;
    for (const column of fieldColumns(declared)) {
      const index = names.indexOf(normalizeHeader(column));
      if (index !== -1) return index;
    }
    return -1;
  };
  const level = detectLevel(prepared, (field) => find(field) !== -1);
  if (level === undefined) {
    const keyColumns = Object.values(keys)
      .flatMap((key) => (key !== undefined && fields[key] ? fieldColumns(fields[key]) : []))
      .join(", ");
    return {
      ok: false,
      reason: `the header has no key column (${keyColumns}); give --header-row if the header is not the first row`,
      zh: `表头中没有关键列（${keyColumns}）；若表头不在第一行，请用 --header-row 指定`,
    };
  }
  const personKey = keys.person;
  if (level !== "person" && personKey !== undefined && fields[personKey]) {
    const personColumns = Object.entries(fields)
      .filter(([name, field]) => field.of === "person" && name !== personKey && find(name) !== -1)
      .map(([name, field]) => String(header[find(name)] ?? fieldLabel(name, field)));
    if (personColumns.length > 0) {
      const key = `${fieldLabel(personKey, fields[personKey])} column (${personKey})`;
      return {
        ok: false,
        reason: `the header has person columns (${personColumns.join(", ")}) but no ${key}: persons cannot be told apart`,
        zh: `表头有人员列（${personColumns.join("、")}），却没有「${fieldLabel(personKey, fields[personKey])}」列：无法区分每个人`,
      };
    }
  }
  const indexes: [string, number][] = [];
  const found: Record<string, string> = {};
  const missing: Record<string, string> = {};
  for (const [name, field] of Object.entries(fields)) {
    if (SUBJECT_DEPTH[field.of] > SUBJECT_DEPTH[level]) continue;
    const index = find(name);
    if (index === -1) missing[name] = fieldColumns(field)[0] ?? fieldLabel(name, field);
    else {
      indexes.push([name, index]);
      found[name] = String(header[index] ?? "").replace(/^\uFEFF/, "");
    }
  }
  // A column that a field reads, named twice in the header: either could be meant, so neither is chosen.
  for (const [name, index] of indexes) {
    const twice = names.flatMap((n, i) => (n === names[index] ? [i] : []));
    if (twice.length > 1) {
      const letters = twice.map(columnLetter);
      const column = found[name] ?? name;
      return {
        ok: false,
        reason: `the header names ${column} ${twice.length} times (columns ${letters.join(", ")}) and field ${name} reads it: kaohe cannot tell which is meant; remove or rename all but one`,
        zh: `表头中「${column}」出现了 ${twice.length} 次（第 ${letters.join("、")} 列），而字段 ${name} 要读它：无法判断用哪一列，请删除或改名，只留一列`,
      };
    }
  }
  return { ok: true, map: { level, indexes, names: found, missing, width: header.length } };
}

/** A column's letter as spreadsheets show it: 0 → A, 25 → Z, 26 → AA. */
function columnLetter(index: number): string {
  let letters = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/**
 * Turns a row of cells into a row keyed by field name.
 *
 * @param map - The column map of the file.
 * @param cells - The row's cells.
 * @returns The row by field name.
 * @example
 * ```ts
 * import { mapColumns, prepareRulebook, rowFromCells } from "kaohe";
 * // A small rulebook of households: four fields, one rule.
 * const prepared = prepareRulebook({
 *   id: "households", title: "户信息", version: "1",
 *   fields: {
 *     county: { column: "县", type: "text", of: "village" },
 *     township: { column: ["乡镇", "乡（镇）"], type: "text", of: "village" },
 *     village: { column: "行政村", type: "text", of: "village" },
 *     householdId: { column: "户编号", type: "text", of: "household" },
 *   },
 *   keys: { household: "householdId" },
 *   unit: { county: "county", township: "township", village: "village" },
 *   rules: [{ code: "R1", title: "缺户编号", subject: "household", severity: "low", when: { missing: ["householdId"] }, message: "缺户编号" }],
 * });
 * // The file's columns, in its own order, with one the rulebook does not use.
 * const mapped = mapColumns(prepared, ["户编号", "备注", "县", "乡（镇）", "行政村"]);
 * if (!mapped.ok) throw new Error(mapped.reason);
 * rowFromCells(mapped.map, ["H1", "新识别", "示例县", "甲乡", "一村"]); //=> { householdId: "H1", county: "示例县", township: "甲乡", village: "一村" }
 * ```
 */
export function rowFromCells(map: ColumnMap, cells: readonly unknown[]): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [field, index] of map.indexes) row[field] = cells[index];
  return row;
}
