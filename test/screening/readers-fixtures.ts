// Fixtures of the readers' tests, generated at test time: a minimal zip writer (deflate or stored,
// sizes optionally falsified) and workbooks built from raw sheet XML, so that every cell type,
// every damage and every bomb can be made exactly.
import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import { expect } from "vitest";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32, deflateRawSync } from "node:zlib";
import { isKaoheError } from "../../src/internal/errors";
import { readRows, type ReadRowsOptions, type ReadSummary, type SourceRow } from "../../src/screening/node/rows";
import { splitLine } from "../../src/screening/node/csv";

export const tmp = mkdtempSync(join(tmpdir(), "kaohe-readers-"));
let serial = 0;

/** Writes a file into the test's temp dir and returns its path. */
export function file(name: string, content: string | Uint8Array): string {
  const path = join(tmp, `${++serial}-${name}`);
  writeFileSync(path, content);
  return path;
}

export interface ZipEntry {
  readonly name: string;
  readonly data: string | Buffer;
  readonly store?: boolean;
  /** An uncompressed size to declare instead of the true one. */
  readonly declaredSize?: number;
}

/** A zip of the entries (no data descriptors, UTF-8 names). */
export function zip(entries: readonly ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const data = typeof entry.data === "string" ? Buffer.from(entry.data, "utf8") : entry.data;
    const packed = entry.store ? data : deflateRawSync(data);
    const name = Buffer.from(entry.name, "utf8");
    const size = entry.declaredSize ?? data.length;
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(entry.store ? 0 : 8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(entry.store ? 0 : 8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += 30 + name.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

export const escapeXml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** A column's letters (1 → A, 28 → AB). */
export function columnName(n: number): string {
  let name = "";
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) name = String.fromCharCode(65 + ((k - 1) % 26)) + name;
  return name;
}

export interface SheetSpec {
  readonly name: string;
  /** The XML inside `<sheetData>`. */
  readonly data: string;
  readonly hidden?: boolean;
}

export interface BookSpec {
  readonly sheets: readonly SheetSpec[];
  readonly sharedStrings?: readonly string[] | string;
  /** `<cellXfs>` number formats, by style index; 14 is a date. */
  readonly styles?: readonly number[];
  /** Custom number formats (`<numFmts>`), by id. */
  readonly formats?: Readonly<Record<number, string>>;
  readonly date1904?: boolean;
  /** Entries to change or add (by name) after the workbook's own. */
  readonly override?: (entries: ZipEntry[]) => ZipEntry[];
}

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/** The entries of an .xlsx workbook. */
export function workbookEntries(spec: BookSpec): ZipEntry[] {
  const sheets = spec.sheets.map((s, i) => `<sheet name="${escapeXml(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"${s.hidden ? ' state="hidden"' : ""}/>`).join("");
  const rels = spec.sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join("");
  const n = spec.sheets.length;
  const entries: ZipEntry[] = [
    { name: "[Content_Types].xml", data: '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>' },
    { name: "xl/workbook.xml", data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook ${NS}>${spec.date1904 ? '<workbookPr date1904="1"/>' : ""}<sheets>${sheets}</sheets></workbook>` },
    {
      name: "xl/_rels/workbook.xml.rels",
      data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels}<Relationship Id="rId${n + 1}" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId${n + 2}" Type="${REL}/styles" Target="styles.xml"/></Relationships>`,
    },
    {
      name: "xl/styles.xml",
      data: `<?xml version="1.0" encoding="UTF-8"?><styleSheet ${NS}>${spec.formats ? `<numFmts>${Object.entries(spec.formats).map(([id, code]) => `<numFmt numFmtId="${id}" formatCode="${escapeXml(code)}"/>`).join("")}</numFmts>` : ""}<cellXfs count="${(spec.styles ?? [0]).length}">${(spec.styles ?? [0]).map((id) => `<xf numFmtId="${id}"/>`).join("")}</cellXfs></styleSheet>`,
    },
    ...spec.sheets.map((s, i) => ({ name: `xl/worksheets/sheet${i + 1}.xml`, data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet ${NS}><sheetData>${s.data}</sheetData></worksheet>` })),
  ];
  const sst = spec.sharedStrings ?? [];
  entries.push({
    name: "xl/sharedStrings.xml",
    data: typeof sst === "string" ? sst : `<?xml version="1.0" encoding="UTF-8"?><sst ${NS} count="${sst.length}" uniqueCount="${sst.length}">${sst.map((t) => `<si><t xml:space="preserve">${escapeXml(t)}</t></si>`).join("")}</sst>`,
  });
  return spec.override ? spec.override(entries) : entries;
}

/** An .xlsx workbook as bytes. */
export function workbook(spec: BookSpec): Buffer {
  return zip(workbookEntries(spec));
}

export type CellValue = string | number | boolean | null;

/** Sheet XML for rows of values: text as shared strings (appended to `strings`) or inline strings. */
export function sheetXml(rows: readonly (readonly CellValue[])[], mode: "shared" | "inline", strings: string[] = [], firstRow = 1): string {
  return rows
    .map((cells, r) => {
      const row = firstRow + r;
      const xml = cells
        .map((value, c) => {
          const ref = `${columnName(c + 1)}${row}`;
          if (value === null) return "";
          if (typeof value === "number") return `<c r="${ref}"><v>${value}</v></c>`;
          if (typeof value === "boolean") return `<c r="${ref}" t="b"><v>${value ? 1 : 0}</v></c>`;
          if (mode === "inline") return `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${escapeXml(value)}</t></is></c>`;
          strings.push(value);
          return `<c r="${ref}" t="s"><v>${strings.length - 1}</v></c>`;
        })
        .join("");
      return `<row r="${row}">${xml}</row>`;
    })
    .join("");
}

/** Everything a reading gives: the rows, the summary, and the reader's error if it threw one. */
export async function readAll(path: string, options: ReadRowsOptions = {}): Promise<{ rows: SourceRow[]; summary: ReadSummary; error?: { code: string; message: string; zh?: string } }> {
  const reader = readRows(path, options);
  const rows: SourceRow[] = [];
  const raw: SourceRow[] = [];
  try {
    for await (const row of reader) {
      raw.push(row);
      rows.push(withoutLine(row, reader.summary.delimiter));
    }
    // A file read again with cells split only when asked for (`lines`) gives the same rows and summary.
    if (path !== "-" && statSync(path).isFile()) {
      const lazy = readRows(path, { ...options, lines: true });
      const again: SourceRow[] = [];
      for await (const row of lazy) again.push("cells" in row ? { ...row, cells: row.cells } : row);
      expect(again.map(plain)).toEqual(raw.map(plain));
      expect(lazy.summary).toEqual(reader.summary);
    }
  } catch (error) {
    if (!isKaoheError(error)) throw error;
    const issue = error.issues[0];
    return { rows, summary: reader.summary, error: { code: issue?.code ?? "", message: issue?.message ?? "", ...(issue?.zh ? { zh: issue.zh } : {}) } };
  }
  return { rows, summary: reader.summary };
}

/** A row as plain data (a `LineRecord`'s own fields and cells). */
function plain(row: SourceRow): SourceRow {
  if (!("cells" in row)) return { ...row };
  const { row: n, cells, line, endRow } = row;
  return { row: n, cells: [...cells], ...(line === undefined ? {} : { line }), ...(endRow === undefined ? {} : { endRow }) };
}

/**
 * A row without its `line`, once it is checked: a CSV record's line, given only for a one-line
 * record without quotes, splits at the delimiter to exactly its cells (what a worker's batch of
 * lines relies on).
 */
export function withoutLine(row: SourceRow, delimiter: string | undefined): SourceRow {
  if (!("cells" in row) || row.line === undefined) return row;
  const { line, ...rest } = row;
  if (line.includes('"') || line.includes("\n") || row.endRow !== undefined) throw new Error(`row ${row.row}: a line is given for a record with quotes or of several lines`);
  const again = splitLine(line, delimiter ?? ",");
  if (again.length !== row.cells.length || again.some((cell, i) => cell !== row.cells[i])) throw new Error(`row ${row.row}: its line ${JSON.stringify(line)} does not split to its cells`);
  return rest;
}

/** A CSV field, quoted when it must be. */
export function csvField(value: string, delimiter = ","): string {
  return /["\r\n]/.test(value) || value.includes(delimiter) ? `"${value.replace(/"/g, '""')}"` : value;
}
