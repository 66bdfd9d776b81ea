// The workbook reader proper, free of Node imports: it reads its parts through `WorkbookParts`
// (the CLI's yauzl zip in ./zip.ts, or an in-memory zip in the browser playground).
import { corrupt, readError } from "./read-error";
import { attribute, parseXml, type XmlHandlers } from "./xml";
import { columnOf, DATE_FORMATS, isDateFormat, MAX_COLUMNS, richTextCollector, serialToDate } from "./xlsx-values";
import type { InflateLimits } from "./zip";

/** The key under which a zip keeps a part: its name lower-cased, a leading `/` dropped, so that names compare case-insensitively. */
export function partKey(name: string): string {
  return name.replace(/^\/+/, "").toLowerCase();
}

/** The parts of a workbook's zip, as the reader needs them (names compare case-insensitively). */
export interface WorkbookParts {
  /** The names of the entries, lower-cased. */
  names(): string[];
  /** Whether an entry exists. */
  has(name: string): boolean;
  /** One part inflated as UTF-8 text, chunk by chunk, checked against its size and CRC-32 and bounded by `maxSize`. */
  text(name: string, maxSize?: number): AsyncIterable<string>;
  /** Releases the file. */
  close(): void;
}

/** One sheet of a workbook, in tab order. */
export interface SheetEntry {
  /** The sheet's name, as on its tab. */
  readonly name: string;
  /** Its 1-based position among the workbook's tabs. */
  readonly number: number;
  /** Its part in the zip (undefined for a chart sheet, which has no cells). */
  readonly part: string | undefined;
  /** Whether it is hidden. */
  readonly hidden: boolean;
}

/** A row of a sheet: its number and cells (index 0 is column A). */
export interface SheetRow {
  readonly row: number;
  readonly cells: unknown[];
}

/** The limits of reading a workbook. */
export interface WorkbookLimits extends InflateLimits {
  /** The longest text of one row (and of one cell or shared string), in characters. */
  readonly maxRecordSize: number;
  /** The largest inflated size of the shared strings, in bytes (they are held in memory). */
  readonly maxSharedStringsSize: number;
}

const MAX_ROWS = 1048576;
const SMALL_PART = 64 * 1024 * 1024;

/** A workbook opened for reading from its parts: its sheets, shared strings and date styles. */
export class PartsWorkbook {
  private strings: string[] | undefined;
  private dateStyles: boolean[] | undefined;
  private date1904 = false;
  private sheetList: SheetEntry[] = [];
  private stringsPart: string | undefined;
  private stylesPart: string | undefined;

  protected constructor(
    private readonly file: string,
    private readonly zip: WorkbookParts,
    private readonly limits: WorkbookLimits,
  ) {}

  /**
   * Opens a workbook from its zip's parts: checks that the zip is an Excel workbook and lists its
   * sheets. The zip is closed when this fails.
   *
   * @param file - The file, named in errors.
   * @param zip - Its parts.
   * @param limits - The limits.
   * @returns The workbook.
   * @throws {@link KaoheError} `not_a_workbook`, `corrupt_workbook` or `inflate_limit`.
   */
  static async fromParts(file: string, zip: WorkbookParts, limits: WorkbookLimits): Promise<PartsWorkbook> {
    const book = new PartsWorkbook(file, zip, limits);
    try {
      book.refuseOtherKinds();
      await book.readWorkbook();
      return book;
    } catch (error) {
      zip.close();
      throw error;
    }
  }

  /** The sheets, in tab order. */
  get sheets(): readonly SheetEntry[] {
    return this.sheetList;
  }

  /** Closes the file. */
  close(): void {
    this.zip.close();
  }

  private refuseOtherKinds(): void {
    if (this.zip.has("xl/workbook.xml")) return;
    const names = this.zip.names();
    const kind = this.zip.has("xl/workbook.bin")
      ? { en: "an Excel binary workbook (.xlsb)", zh: "Excel 二进制工作簿（.xlsb）" }
      : this.zip.has("mimetype") && this.zip.has("content.xml")
        ? { en: "an OpenDocument file (.ods, .odt)", zh: "OpenDocument 文件（.ods、.odt）" }
        : names.some((n) => n.startsWith("word/"))
          ? { en: "a Word document (.docx)", zh: "Word 文档（.docx）" }
          : names.some((n) => n.startsWith("ppt/"))
            ? { en: "a PowerPoint file (.pptx)", zh: "PowerPoint 文件（.pptx）" }
            : { en: "a zip archive without a workbook in it", zh: "不含工作簿的 zip 压缩包" };
    throw readError(this.file, "not_a_workbook", {
      en: `the file is ${kind.en}, not an Excel workbook (.xlsx): open it in its program and 另存为 (save as) .xlsx, or export the table as CSV`,
      zh: `文件是${kind.zh}，不是 Excel 工作簿（.xlsx）：请用相应程序打开并另存为 .xlsx，或导出为 CSV`,
    });
  }

  private async collect(part: string, handlers: XmlHandlers, maxSize = SMALL_PART): Promise<void> {
    for await (const _ of parseXml(this.file, part, this.zip.text(part, maxSize), handlers, this.limits.maxRecordSize)) void _;
  }

  private async readWorkbook(): Promise<void> {
    const rels = new Map<string, { type: string; target: string }>();
    if (this.zip.has("xl/_rels/workbook.xml.rels")) {
      await this.collect("xl/_rels/workbook.xml.rels", {
        open: (name, attrs) => {
          const id = attribute(attrs, "Id");
          const target = attribute(attrs, "Target");
          if (name === "Relationship" && id !== undefined && target !== undefined) rels.set(id, { type: attribute(attrs, "Type") ?? "", target: resolvePart(target) });
        },
        text: () => {},
        close: () => {},
      });
    }
    const sheets: SheetEntry[] = [];
    await this.collect("xl/workbook.xml", {
      open: (name, attrs) => {
        if (name === "workbookPr") this.date1904 = /^(1|true)$/i.test(attribute(attrs, "date1904") ?? "");
        if (name !== "sheet") return;
        const rel = rels.get(attribute(attrs, "id") ?? "");
        const part = rel && /\/worksheet$/.test(rel.type) ? rel.target : undefined;
        const state = attribute(attrs, "state") ?? "visible";
        sheets.push({ name: attribute(attrs, "name") ?? `#${sheets.length + 1}`, number: sheets.length + 1, part, hidden: state !== "visible" });
      },
      text: () => {},
      close: () => {},
    });
    if (rels.size === 0) {
      // A workbook without relationships (hand-made zips): sheets by their conventional names.
      sheets.forEach((sheet, i) => sheets.splice(i, 1, { ...sheet, part: `xl/worksheets/sheet${i + 1}.xml` }));
    }
    this.sheetList = sheets.map((sheet) => (sheet.part !== undefined && !this.zip.has(sheet.part) ? { ...sheet, part: undefined } : sheet));
    for (const { type, target } of rels.values()) {
      if (/\/sharedStrings$/.test(type)) this.stringsPart = target;
      if (/\/styles$/.test(type)) this.stylesPart = target;
    }
    this.stringsPart ??= this.zip.has("xl/sharedStrings.xml") ? "xl/sharedStrings.xml" : undefined;
    this.stylesPart ??= this.zip.has("xl/styles.xml") ? "xl/styles.xml" : undefined;
  }

  private async sharedStrings(): Promise<string[]> {
    if (this.strings) return this.strings;
    const strings: string[] = [];
    const part = this.stringsPart;
    if (part !== undefined && this.zip.has(part)) {
      const text = richTextCollector();
      await this.collect(
        part,
        {
          open: (name) => {
            if (name === "si") text.start();
            else text.open(name);
          },
          text: (t) => text.text(t),
          close: (name) => {
            if (name === "si") strings.push(text.end());
            else text.close(name);
          },
        },
        this.limits.maxSharedStringsSize,
      );
    }
    this.strings = strings;
    return strings;
  }

  private async styles(): Promise<boolean[]> {
    if (this.dateStyles) return this.dateStyles;
    const custom = new Map<number, string>();
    const xfs: number[] = [];
    let inCellXfs = false;
    if (this.stylesPart !== undefined && this.zip.has(this.stylesPart)) {
      await this.collect(this.stylesPart, {
        open: (name, attrs) => {
          if (name === "numFmt") custom.set(Number(attribute(attrs, "numFmtId")), attribute(attrs, "formatCode") ?? "");
          else if (name === "cellXfs") inCellXfs = true;
          else if (name === "xf" && inCellXfs) xfs.push(Number(attribute(attrs, "numFmtId") ?? 0));
        },
        text: () => {},
        close: (name) => {
          if (name === "cellXfs") inCellXfs = false;
        },
      });
    }
    this.dateStyles = xfs.map((id) => (custom.has(id) ? isDateFormat(custom.get(id) as string) : DATE_FORMATS.has(id)));
    return this.dateStyles;
  }

  /**
   * Reads a sheet's rows as a stream, with their numbers as in the sheet; rows missing from the
   * XML (gaps) are simply absent.
   *
   * @param sheet - The sheet.
   * @param merges - When given, the sheet's merged ranges (`A3:A5`) are added to it as they are read
   *   (they follow the rows in the XML, so the list is complete when the iteration ends).
   * @returns The rows.
   * @throws {@link KaoheError} `corrupt_workbook` or `inflate_limit`.
   */
  async *rows(sheet: SheetEntry, merges?: string[]): AsyncGenerator<SheetRow> {
    if (sheet.part === undefined) return;
    const strings = await this.sharedStrings();
    const dates = await this.styles();
    const { file, limits } = this;
    const out: SheetRow[] = [];
    const text = richTextCollector();
    let rowNumber = 0;
    let cells: unknown[] = [];
    let rowSize = 0;
    let column = 0;
    let type = "n";
    let style = 0;
    let value: string | undefined;
    let inValue = false;
    let inInline = false;
    const fail = (detail: string) => corrupt(file, `${sheet.part}, row ${rowNumber}: ${detail}`);
    const handlers: XmlHandlers = {
      open(name, attrs) {
        if (name === "row") {
          const r = attribute(attrs, "r");
          const next = r === undefined ? rowNumber + 1 : Number(r);
          if (!Number.isInteger(next) || next < 1 || next > MAX_ROWS) throw fail(`row number ${JSON.stringify(r)}`);
          rowNumber = next;
          cells = [];
          rowSize = 0;
          column = 0;
        } else if (name === "c") {
          const r = attribute(attrs, "r");
          column = r === undefined ? column + 1 : columnOf(r);
          if (column < 1 || column > MAX_COLUMNS) throw fail(`cell reference ${JSON.stringify(r)}`);
          type = attribute(attrs, "t") ?? "n";
          style = Number(attribute(attrs, "s") ?? 0);
          value = undefined;
        } else if (name === "v") {
          inValue = true;
          value = "";
        } else if (name === "is") {
          inInline = true;
          text.start();
        } else if (inInline) text.open(name);
        else if (name === "mergeCell" && merges) {
          const ref = attribute(attrs, "ref");
          if (ref !== undefined) merges.push(ref);
        }
      },
      text(t) {
        if (inValue) value += t;
        else if (inInline) text.text(t);
      },
      close(name) {
        if (name === "v") inValue = false;
        else if (name === "is") {
          inInline = false;
          value = text.end();
        } else if (inInline) text.close(name);
        else if (name === "c") {
          const cell = cellValue(type, value, style);
          if (cell !== undefined) {
            rowSize += typeof cell === "string" ? cell.length : 8;
            if (rowSize > limits.maxRecordSize) throw fail(`the row's text exceeds ${limits.maxRecordSize} characters`);
            while (cells.length < column - 1) cells.push(undefined);
            cells[column - 1] = cell;
          }
        } else if (name === "row") out.push({ row: rowNumber, cells });
      },
    };
    const cellValue = (t: string, v: string | undefined, s: number): unknown => {
      if (v === undefined) return undefined;
      switch (t) {
        case "s": {
          const index = Number(v);
          if (!Number.isInteger(index) || index < 0 || index >= strings.length) throw fail(`shared string ${JSON.stringify(v)} does not exist`);
          return strings[index];
        }
        case "inlineStr":
        case "str":
        case "e":
          return v;
        case "b":
          return v === "1" || v.toLowerCase() === "true";
        case "d": {
          const date = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v}Z`);
          return Number.isNaN(date.getTime()) ? v : date;
        }
        default: {
          if (v.trim() === "") return undefined;
          const n = Number(v);
          if (Number.isNaN(n)) throw fail(`number ${JSON.stringify(v.slice(0, 40))}`);
          return dates[s] === true ? serialToDate(n, this.date1904) : n;
        }
      }
    };
    for await (const _ of parseXml(file, sheet.part, this.zip.text(sheet.part), handlers, limits.maxRecordSize)) {
      void _;
      if (out.length > 0) {
        yield* out;
        out.length = 0;
      }
    }
  }
}

/** A relationship's target as a part name (targets are relative to `xl/`, or absolute), normalized as `path.posix` does. */
export function resolvePart(target: string): string {
  if (target.startsWith("/")) return target.slice(1);
  const out: string[] = [];
  for (const segment of `xl/${target}`.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === ".." && out.length > 0 && out[out.length - 1] !== "..") out.pop();
    else out.push(segment);
  }
  const path = out.join("/") || ".";
  return target.endsWith("/") ? `${path}/` : path;
}
