/**
 * A batch's items as a worker thread sends them back: findings packed into a flat list, their
 * repeated parts (the rule's code, title, severity, the file, the unit path, the names of the
 * values) sent once per batch. Copying objects between threads costs per object and per string
 * (V8's deserializer rebuilds every property of every finding: about 9 µs a finding on the
 * screening benchmark), so sending the parts that vary is cheaper on both threads (decision 0303,
 * "Findings packed").
 *
 * `unpackItems(structuredClone(packItems(items)))` gives items equal to `items`, with their keys
 * in the same order; an item that does not have exactly a finding's shape is sent as it is.
 */
import { hasKeys, type Finding, type ScreeningItem } from "../evaluate";
import type { UnitPath } from "../records";

/** What a worker sends back for one batch (see {@link packItems}). */
export interface PackedItems {
  /** Marks packed items. */
  readonly packed: true;
  /** The parts that findings of one rule and file share. */
  readonly heads: readonly Head[];
  /** The unit paths, each once. */
  readonly units: readonly UnitPath[];
  /**
   * Per item: the index of its head then its own parts (see {@link packItems}), or
   * {@link AS_IS} then the item itself.
   */
  readonly data: readonly unknown[];
}

/** The parts that findings of one rule, file and kind share. */
interface Head {
  readonly kind: Finding["kind"];
  readonly code: string;
  readonly title: string;
  readonly severity: Finding["severity"];
  readonly subject: Finding["subject"];
  /** Whether the findings have a `householdId`. */
  readonly household: boolean;
  readonly cause: Finding["cause"];
  readonly file: string | undefined;
  /** The names of the values, in order. */
  readonly keys: readonly string[];
}

/** In `data`: the next element is an item sent as it is. */
const AS_IS = -1;

/** A finding's keys, in the order `runRules` writes them, for the optional ones present or not. */
function findingKeys(household: boolean, cause: boolean, file: boolean): string[] {
  return [
    "kind", "code", "title", "severity", "subject", "recordId",
    ...(household ? ["householdId"] : []),
    "unit", "message",
    ...(cause ? ["cause"] : []),
    "values",
    ...(file ? ["file"] : []),
    "row",
  ];
}

/** The eight shapes a finding can have, by its optional keys (householdId, cause, file). */
const SHAPES: readonly (readonly string[])[] = Array.from({ length: 8 }, (_, i) => findingKeys((i & 1) !== 0, (i & 2) !== 0, (i & 4) !== 0));

/** Whether a value is a plain object (its prototype `Object.prototype`), so that `for…in` lists its own keys only. */
function isPlain(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * Packs a batch's items for sending to another thread: each finding as the index of its head
 * (kind, code, title, severity, subject, cause, file and the names of its values, sent once), its
 * `recordId`, its `householdId` where it has one, the index of its unit path, its message, its
 * row and its values in the order of their names. Data-quality findings, rejected rows and
 * anything not exactly of a finding's shape go as they are.
 *
 * @param items - The items, in order.
 * @returns The packed items.
 */
export function packItems(items: readonly ScreeningItem[]): PackedItems {
  const heads: Head[] = [];
  const byCode = new Map<string, number[]>();
  const units: UnitPath[] = [];
  const unitAt = new Map<UnitPath, number>();
  const data: unknown[] = [];
  for (const item of items) {
    const head = item.kind === "finding" || item.kind === "rule_failed" ? headOf(item, heads, byCode) : -1;
    if (head === -1) {
      data.push(AS_IS, item);
      continue;
    }
    const finding = item as Finding;
    let unit = unitAt.get(finding.unit);
    if (unit === undefined) {
      unit = units.length;
      units.push(finding.unit);
      unitAt.set(finding.unit, unit);
    }
    data.push(head, finding.recordId);
    if ((heads[head] as Head).household) data.push(finding.householdId);
    data.push(unit, finding.message, finding.row);
    const values = finding.values;
    for (const key in values) data.push(values[key]);
  }
  return { packed: true, heads, units, data };
}

/** The index of a finding's head in `heads` (added if new), or -1 where it is not exactly of a finding's shape. */
function headOf(item: ScreeningItem, heads: Head[], byCode: Map<string, number[]>): number {
  const finding = item as Finding;
  if (!isPlain(finding) || !isPlain(finding.values) || !isPlain(finding.unit)) return -1;
  const household = Object.hasOwn(finding, "householdId");
  const cause = Object.hasOwn(finding, "cause");
  const file = Object.hasOwn(finding, "file");
  // An optional key present but undefined would not be written back.
  if ((cause && finding.cause === undefined) || (file && finding.file === undefined)) return -1;
  const shape = SHAPES[(household ? 1 : 0) | (cause ? 2 : 0) | (file ? 4 : 0)] as readonly string[];
  if (!hasKeys(finding, shape) || typeof finding.recordId !== "string" || typeof finding.message !== "string" || typeof finding.row !== "number") return -1;
  const candidates = byCode.get(finding.code);
  if (candidates !== undefined) {
    for (const at of candidates) {
      const head = heads[at] as Head;
      if (
        head.kind === finding.kind &&
        head.title === finding.title &&
        head.severity === finding.severity &&
        head.subject === finding.subject &&
        head.household === household &&
        head.cause === finding.cause &&
        head.file === finding.file &&
        hasKeys(finding.values, head.keys)
      ) {
        return at;
      }
    }
  }
  const keys: string[] = [];
  for (const key in finding.values) keys.push(key);
  // A value named __proto__ could not be written back as an own property by assignment.
  if (keys.includes("__proto__")) return -1;
  const at = heads.length;
  heads.push({ kind: finding.kind, code: finding.code, title: finding.title, severity: finding.severity, subject: finding.subject, household, cause: finding.cause, file: finding.file, keys });
  if (candidates === undefined) byCode.set(finding.code, [at]);
  else candidates.push(at);
  return at;
}

/**
 * The items of {@link packItems}, rebuilt: each finding with its keys in the order
 * `runRules` writes them.
 *
 * @param packed - Packed items (after a copy between threads).
 * @returns The items, in order.
 */
export function unpackItems(packed: PackedItems): ScreeningItem[] {
  const { heads, units, data } = packed;
  const items: ScreeningItem[] = [];
  let i = 0;
  while (i < data.length) {
    const at = data[i++] as number;
    if (at === AS_IS) {
      items.push(data[i++] as ScreeningItem);
      continue;
    }
    const head = heads[at] as Head;
    const finding: Record<string, unknown> = { kind: head.kind, code: head.code, title: head.title, severity: head.severity, subject: head.subject, recordId: data[i++] };
    if (head.household) finding.householdId = data[i++];
    finding.unit = units[data[i++] as number];
    finding.message = data[i++];
    const row = data[i++];
    if (head.cause !== undefined) finding.cause = head.cause;
    const values: Record<string, unknown> = {};
    const keys = head.keys;
    for (let k = 0; k < keys.length; k++) values[keys[k] as string] = data[i++];
    finding.values = values;
    if (head.file !== undefined) finding.file = head.file;
    finding.row = row;
    items.push(finding as unknown as Finding);
  }
  return items;
}
