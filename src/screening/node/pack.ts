/**
 * A batch's items as a worker thread sends them back: findings packed into a flat list, their
 * repeated parts (the rule's code, title, severity, the file, the names of the values) sent once
 * per batch, and the objects they hold (unit paths, a household's members among the values)
 * flattened into a list of their cells. Copying objects between threads costs per object and
 * per property (V8's deserializer rebuilds every property of every object: about 9 µs a finding
 * copied as it is, and on the screening benchmark the members' objects among the values cost more
 * than everything else sent back), so sending the parts that vary, as strings and numbers, is
 * cheaper on both threads (decision 0303, "Findings packed").
 *
 * `unpackItems(structuredClone(packItems(items)))` gives items equal to `items`, with their keys
 * in the same order; an item that does not have exactly a finding's shape is sent as it is. A
 * unit path that several findings of the batch hold is rebuilt once and held by all of them, as a
 * copy of the items would give it; so is an object that consecutive values hold (the members of a
 * household, whose findings follow one another). Objects apart stay apart.
 */
import { hasKeys, type Finding, type ScreeningItem } from "../evaluate";
import type { UnitPath } from "../records";

/** What a worker sends back for one batch (see {@link packItems}). */
export interface PackedItems {
  /** Marks packed items. */
  readonly packed: true;
  /** The parts that findings of one rule and file share. */
  readonly heads: readonly Head[];
  /** The key lists of the objects flattened in `objects`. */
  readonly shapes: readonly (readonly string[])[];
  /**
   * The objects that findings hold (unit paths, values that are objects), each once, one after
   * another: {@link TABLE}, a shape, a count, then the cells of that many objects of that shape
   * (an array of them); {@link RECORD}, a shape, then the cells of one object of that shape; or
   * {@link RAW} and the object itself (any other object, copied as it is).
   */
  readonly objects: readonly unknown[];
  /** Per unit path (each object once, by the order of its first finding): where it is in `objects`. */
  readonly units: readonly number[];
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
/** In `data`, in a value's place: the value is an object, at the index in `objects` that follows. */
const OBJECT = undefined;
/** In `objects`: an array of plain objects of one shape, flattened. */
const TABLE = 0;
/** In `objects`: one plain object, flattened. */
const RECORD = 1;
/** In `objects`: an object copied as it is. */
const RAW = 2;

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
 * row and its values in the order of their names, a value that is an object by its place in the
 * flattened objects. Data-quality findings, rejected rows and anything not exactly of a finding's
 * shape (or with a value `undefined`) go as they are.
 *
 * @param items - The items, in order.
 * @returns The packed items.
 */
export function packItems(items: readonly ScreeningItem[]): PackedItems {
  const heads: Head[] = [];
  const byCode = new Map<string, number[]>();
  const flat = new Flattener();
  const units: number[] = [];
  const unitAt = new Map<UnitPath, number>();
  const data: unknown[] = [];
  for (const item of items) {
    const head = item.kind === "finding" || item.kind === "rule_failed" ? headOf(item, heads, byCode) : -1;
    if (head === -1) {
      data.push(AS_IS, item);
      continue;
    }
    const finding = item as Finding;
    const start = data.length;
    let unit = unitAt.get(finding.unit);
    if (unit === undefined) {
      unit = units.length;
      units.push(flat.unit(finding.unit));
      unitAt.set(finding.unit, unit);
    }
    data.push(head, finding.recordId);
    if ((heads[head] as Head).household) data.push(finding.householdId);
    data.push(unit, finding.message, finding.row);
    const values = finding.values as Record<string, unknown>;
    let whole = true;
    for (const key in values) {
      const value = values[key];
      if (value === undefined) {
        whole = false;
        break;
      }
      if (typeof value === "object" && value !== null) data.push(OBJECT, flat.object(value));
      else data.push(value);
    }
    if (!whole) {
      data.length = start;
      data.push(AS_IS, item);
    }
  }
  return { packed: true, heads, shapes: flat.shapes, objects: flat.objects, units, data };
}

/** Flattens the objects of a batch's findings into {@link PackedItems.objects}. */
class Flattener {
  readonly shapes: string[][] = [];
  readonly objects: unknown[] = [];
  private readonly byShape = new Map<string, number>();
  // The findings of a household follow one another: an object that the last value held (the
  // household's members) is flattened once for all of them.
  private last: object | undefined;
  private lastAt = -1;
  // The shapes seen last, of a flattened object and of an array's elements: most are the same again.
  private recordShape = -1;
  private rowShape = -1;

  /** Where a unit path is in `objects` (each unit path object once: the caller holds them by identity). */
  unit(unit: UnitPath): number {
    const at = this.objects.length;
    if (!this.record(unit)) this.raw(at, unit);
    return at;
  }

  /** Where an object that a value holds is in `objects`. */
  object(value: object): number {
    if (value === this.last) return this.lastAt;
    const at = this.objects.length;
    if (!(Array.isArray(value) ? this.table(value) : this.record(value))) this.raw(at, value);
    this.last = value;
    this.lastAt = at;
    return at;
  }

  /** Drops what was pushed from `at` on, and pushes the object as it is. */
  private raw(at: number, value: object): void {
    this.objects.length = at;
    this.objects.push(RAW, value);
  }

  /** Pushes a plain object's values (each copied as it is); false where it is not a plain object. */
  private record(value: object): boolean {
    if (!isPlain(value)) return false;
    const shape = this.shapeOf(value, this.recordShape);
    if (shape === -1) return false;
    this.recordShape = shape;
    const objects = this.objects;
    objects.push(RECORD, shape);
    for (const key of this.shapes[shape] as string[]) objects.push(value[key]);
    return true;
  }

  /** Pushes an array of plain objects of one shape, their values one after another; false where it is not one. */
  private table(rows: readonly unknown[]): boolean {
    const first = rows[0];
    // Holes, or properties besides the elements, would not be rebuilt.
    if (!isPlain(first) || Object.getPrototypeOf(rows) !== Array.prototype || Object.keys(rows).length !== rows.length) return false;
    const shape = this.shapeOf(first, this.rowShape);
    if (shape === -1) return false;
    this.rowShape = shape;
    const keys = this.shapes[shape] as string[];
    const objects = this.objects;
    objects.push(TABLE, shape, rows.length);
    for (const row of rows) {
      if (!isPlain(row) || !hasKeys(row, keys)) return false;
      for (const key of keys) objects.push(row[key]);
    }
    return true;
  }

  /** The index of a plain object's key list in `shapes` (`likely` tried first; added if new), or -1 where it has a key `__proto__` (not rebuilt by assignment). */
  private shapeOf(value: Record<string, unknown>, likely: number): number {
    const guess = this.shapes[likely];
    if (guess !== undefined && hasKeys(value, guess)) return likely;
    const keys: string[] = [];
    for (const key in value) keys.push(key);
    if (keys.includes("__proto__")) return -1;
    const name = JSON.stringify(keys);
    let shape = this.byShape.get(name);
    if (shape === undefined) {
      shape = this.shapes.length;
      this.shapes.push(keys);
      this.byShape.set(name, shape);
    }
    return shape;
  }
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
  const { heads, data } = packed;
  const objects = new Rebuilder(packed);
  const units: unknown[] = [];
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
    const unit = data[i++] as number;
    // Each unit path once, as the findings held it: paths that were apart stay apart.
    finding.unit = units[unit] ??= objects.fresh(packed.units[unit] as number);
    finding.message = data[i++];
    const row = data[i++];
    if (head.cause !== undefined) finding.cause = head.cause;
    const values: Record<string, unknown> = {};
    const keys = head.keys;
    for (let k = 0; k < keys.length; k++) {
      const value = data[i++];
      values[keys[k] as string] = value === OBJECT ? objects.at(data[i++] as number) : value;
    }
    finding.values = values;
    if (head.file !== undefined) finding.file = head.file;
    finding.row = row;
    items.push(finding as unknown as Finding);
  }
  return items;
}

/** Rebuilds the objects of {@link PackedItems.objects}. */
class Rebuilder {
  private readonly objects: readonly unknown[];
  private readonly shapes: readonly (readonly string[])[];
  /** Per shape, an object with its keys in order: a copy of it has the shape at once, and its values are then set in place. */
  private readonly templates: (Record<string, unknown> | undefined)[] = [];
  // The object last rebuilt for a value: the values that held one object follow one another (see Flattener).
  private lastAt = -1;
  private last: unknown;

  constructor(packed: PackedItems) {
    this.objects = packed.objects;
    this.shapes = packed.shapes;
  }

  /** The object at `at` for a value: the one the last value got, where it held the same. */
  at(at: number): unknown {
    if (at !== this.lastAt) {
      this.last = this.fresh(at);
      this.lastAt = at;
    }
    return this.last;
  }

  /** A new copy of the object at `at`. */
  fresh(at: number): unknown {
    const objects = this.objects;
    const kind = objects[at] as number;
    if (kind === RAW) return objects[at + 1];
    const shape = objects[at + 1] as number;
    const keys = this.shapes[shape] as readonly string[];
    if (kind === RECORD) return this.one(shape, keys, at + 2);
    const count = objects[at + 2] as number;
    const rows: unknown[] = [];
    for (let r = 0, i = at + 3; r < count; r++, i += keys.length) rows.push(this.one(shape, keys, i));
    return rows;
  }

  /** One object of a shape, its cells from `objects[i]` on. */
  private one(shape: number, keys: readonly string[], i: number): Record<string, unknown> {
    let template = this.templates[shape];
    if (template === undefined) {
      template = {};
      for (const key of keys) template[key] = null;
      this.templates[shape] = template;
    }
    const object = { ...template };
    for (let k = 0; k < keys.length; k++) object[keys[k] as string] = this.objects[i + k];
    return object;
  }
}
