/**
 * Records packed for a worker thread: a batch becomes one flat array of primitives (the field
 * values in the order of one shared key list), which the structured clone copies several times
 * faster than the records' objects (whose every key is written again for each object); the worker
 * unpacks it into the same records.
 */
import { hasKeys, keysOf } from "../evaluate";
import type { RejectedRow, ScreeningMember, ScreeningRecord } from "../records";

/** A batch of entries, packed by {@link packEntries}. */
export interface PackedEntries {
  /** The keys of every packed record's fields, in order. */
  readonly recordKeys: readonly string[];
  /** The keys of every packed member's fields, in order. */
  readonly memberKeys: readonly string[];
  /** The entries, flat: a tag (0 as is, 1 packed), then the entry or its parts. */
  readonly flat: readonly unknown[];
}

type Entry = ScreeningRecord | RejectedRow;

const NONE: readonly never[] = Object.freeze([]);

/** Whether a record can be packed against the key lists: plain as the assembler makes it. */
function packable(record: ScreeningRecord, recordKeys: readonly string[], memberKeys: readonly string[] | undefined): boolean {
  if (!hasKeys(record.fields, recordKeys)) return false;
  if (!hasKeys(record, record.file === undefined ? RECORD_KEYS : RECORD_KEYS_FILE)) return false;
  for (const member of record.members) if (memberKeys === undefined || !hasKeys(member.fields, memberKeys) || !hasKeys(member, MEMBER_KEYS)) return false;
  return true;
}

/** The keys of a record and a member as the assembler makes them: anything else is sent as is. */
const RECORD_KEYS = ["kind", "subject", "id", "unit", "row", "fields", "members", "unusable", "quality", "rejectedRows"];
const RECORD_KEYS_FILE = [...RECORD_KEYS, "file"];
const MEMBER_KEYS = ["id", "row", "fields", "unusable"];

/**
 * Packs entries for a worker.
 *
 * @param entries - Records and rejected rows, in order.
 * @returns The packed batch ({@link unpackEntries} gives the entries back).
 */
export function packEntries(entries: readonly Entry[]): PackedEntries {
  let recordKeys: string[] | undefined;
  let memberKeys: string[] | undefined;
  const flat: unknown[] = [];
  for (const entry of entries) {
    if (entry.kind === "record") {
      recordKeys ??= keysOf(entry.fields);
      const first = entry.members[0];
      if (memberKeys === undefined && first !== undefined) memberKeys = keysOf(first.fields);
      if (packable(entry, recordKeys, memberKeys)) {
        flat.push(1, entry.subject, entry.id, entry.unit.county, entry.unit.township, entry.unit.village, entry.file, entry.row);
        const fields = entry.fields as Record<string, unknown>;
        for (const key of recordKeys) flat.push(fields[key]);
        flat.push(entry.members.length);
        for (const member of entry.members) {
          flat.push(member.id, member.row, member.unusable.length === 0 ? 0 : member.unusable);
          const own = member.fields as Record<string, unknown>;
          for (const key of memberKeys as string[]) flat.push(own[key]);
        }
        flat.push(entry.unusable.length === 0 ? 0 : entry.unusable, entry.quality.length === 0 ? 0 : entry.quality, entry.rejectedRows.length === 0 ? 0 : entry.rejectedRows);
        continue;
      }
    }
    flat.push(0, entry);
  }
  return { recordKeys: recordKeys ?? [], memberKeys: memberKeys ?? [], flat };
}

/**
 * Unpacks a batch packed by {@link packEntries}.
 *
 * @param packed - The batch.
 * @returns The entries, equal to those packed.
 */
export function unpackEntries(packed: PackedEntries): Entry[] {
  const { recordKeys, memberKeys, flat } = packed;
  const entries: Entry[] = [];
  const list = <T>(value: unknown): readonly T[] => (value === 0 ? NONE : (value as T[]));
  let i = 0;
  while (i < flat.length) {
    if (flat[i++] === 0) {
      entries.push(flat[i++] as Entry);
      continue;
    }
    const subject = flat[i++] as ScreeningRecord["subject"];
    const id = flat[i++] as string;
    const unit = { county: flat[i++] as string, township: flat[i++] as string, village: flat[i++] as string };
    const file = flat[i++] as string | undefined;
    const row = flat[i++] as number;
    const fields: Record<string, unknown> = {};
    for (const key of recordKeys) fields[key] = flat[i++];
    const count = flat[i++] as number;
    const members: ScreeningMember[] = [];
    for (let m = 0; m < count; m++) {
      const memberId = flat[i++] as string;
      const memberRow = flat[i++] as number;
      const unusable = list<string>(flat[i++]);
      const own: Record<string, unknown> = {};
      for (const key of memberKeys) own[key] = flat[i++];
      members.push({ id: memberId, row: memberRow, fields: own as ScreeningMember["fields"], unusable });
    }
    const record = {
      kind: "record",
      subject,
      id,
      unit,
      row,
      fields: fields as ScreeningRecord["fields"],
      members,
      unusable: list<string>(flat[i++]),
      quality: list<ScreeningRecord["quality"][number]>(flat[i++]),
      rejectedRows: list<number>(flat[i++]),
    } as const;
    entries.push(file === undefined ? record : { ...record, file });
  }
  return entries;
}
