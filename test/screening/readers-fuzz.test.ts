// Properties and fuzzing of the readers: the XLSX reading of random rows equals their CSV reading
// (with multi-byte characters across every inflate chunk boundary), and random or damaged input
// ends in rows or a KaoheError — never another error, never a hang. Runs are bounded by count
// and each reading by a timeout.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isKaoheError } from "../../src/internal/errors";
import { readRows, type SourceRow } from "../../src/screening/node/rows";
import { csvField, file, readAll, sheetXml, workbook } from "./readers-fixtures";

const HANG = 10_000;

/** Reads a file within {@link HANG} ms: rows or a KaoheError; anything else (or a hang) fails. */
async function readBounded(path: string, options: Parameters<typeof readRows>[1] = {}) {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`reading ${path} took over ${HANG} ms`)), HANG);
  });
  try {
    return await Promise.race([readAll(path, options), hang]);
  } finally {
    clearTimeout(timer);
  }
}

const cellsOnly = (rows: readonly SourceRow[]) => rows.map((r) => ("cells" in r ? r.cells : r));

/** Text as clerks type it: Chinese (3-byte UTF-8), rare 4-byte characters, ASCII, and CSV's specials. */
const cellText = fc
  .array(fc.constantFrom("张", "三", "示", "例", "县", "乡", "村", "，", "、", "𠀀", "😀", "a", "1", " ", ",", '"', "\n", "\t", "-", "（", "）"), { maxLength: 40 })
  .map((chars) => chars.join(""));
/** Rows of one width, as exports have (Excel pads every row to the width of the table). */
const rowsArb = fc.integer({ min: 1, max: 8 }).chain((width) => fc.array(fc.array(cellText, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 250 }));

/** Whether the CSV reader's documented stray-quote rule flags a row: a multi-line cell holding a line with at least width − 2 commas. */
const looksStray = (row: readonly string[]) => row.length >= 3 && row.some((cell) => cell.split("\n").slice(1).some((inner) => inner.split(",").length - 1 >= row.length - 2));

/** The multi-byte characters cut by every `step`-th byte of `bytes`: the set of `length:offset` seen. */
function cutsAt(bytes: Buffer, step: number): Set<string> {
  const cuts = new Set<string>();
  for (let boundary = step; boundary < bytes.length; boundary += step) {
    let start = boundary;
    while (start > boundary - 4 && ((bytes[start] as number) & 0xc0) === 0x80) start--;
    if (start === boundary) continue;
    const lead = bytes[start] as number;
    const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
    cuts.add(`${length}:${boundary - start}`);
  }
  return cuts;
}

describe("the XLSX reader against the CSV reader", () => {
  it("reads a sheet whose characters straddle the inflate chunk boundaries at every byte offset exactly as the same rows in CSV", async () => {
    // Rows whose cell lengths vary, so that the 16 KiB chunk boundaries (and so the 64 KiB ones at
    // which exceljs 4.4.0 garbles text) fall at every offset inside 3- and 4-byte characters.
    const rows: string[][] = [["户编号", "姓名", "备注"]];
    let seed = 42;
    const next = (n: number) => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) % n;
    };
    for (let i = 0; rows.length < 6000; i++) rows.push([`H${i}`, "张三李四王五".slice(0, 1 + next(6)), Array.from({ length: next(9) }, () => ["𠀀", "示", "a"][next(3)]).join("")]);
    const xml = sheetXml(rows, "inline");
    const cuts = cutsAt(Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetData>${xml}</sheetData></worksheet>`), 16 * 1024);
    expect([...cuts].sort()).toEqual(["3:1", "3:2", "4:1", "4:2", "4:3"]);
    const strings: string[] = [];
    for (const [mode, sheet] of [["inline", xml], ["shared", sheetXml(rows, "shared", strings)]] as const) {
      const xlsx = await readBounded(file(`${mode}.xlsx`, workbook({ sheets: [{ name: "S", data: sheet }], sharedStrings: strings })));
      const csv = await readBounded(file("same.csv", rows.map((r) => r.map((c) => csvField(c)).join(",")).join("\r\n")));
      expect(xlsx.error).toBeUndefined();
      expect(cellsOnly(xlsx.rows)).toEqual(cellsOnly(csv.rows));
      expect(cellsOnly(xlsx.rows)).toEqual(rows);
    }
  });

  it("gives the same cells for random rows, as shared or inline strings", async () => {
    await fc.assert(
      fc.asyncProperty(rowsArb, fc.boolean(), fc.boolean(), async (rows, shared, crlf) => {
        const strings: string[] = [];
        const sheet = sheetXml(rows, shared ? "shared" : "inline", strings);
        const xlsx = await readBounded(file("random.xlsx", workbook({ sheets: [{ name: "S", data: sheet }], sharedStrings: strings })));
        const text = rows.map((r) => r.map((c) => csvField(c)).join(",")).join(crlf ? "\r\n" : "\n");
        const csv = await readBounded(file("random.csv", text), { encoding: "utf8", delimiter: "," });
        // Rows of blank cells are not rows in either reading.
        const blank = (r: readonly string[]) => r.every((c) => c.trim() === "");
        const expected = rows.filter((r) => !blank(r));
        expect(xlsx.error?.code).toBe(expected.length === 0 ? "empty_workbook" : undefined);
        expect(cellsOnly(xlsx.rows)).toEqual(expected);
        // The CSV reading is the same, unless a row meets the stray-quote rule: then the first
        // error is that rule's, at that row's first line.
        const stray = expected.findIndex(looksStray);
        if (stray === -1) expect(cellsOnly(csv.rows)).toEqual(expected);
        else {
          const line = 1 + rows.slice(0, rows.indexOf(expected[stray] as string[])).reduce((n, r) => n + 1 + r.join("").split("\n").length - 1, 0);
          expect(csv.rows.find((r) => "code" in r)).toMatchObject({ code: "unclosed_quote", row: line });
        }
      }),
      { numRuns: 40, seed: 20251201 },
    );
  });
});

describe("fuzzing the readers", () => {
  const pieces = ["a", "张三", ",", '"', '""', "\n", "\r\n", "\r", "\t", " ", "\uFEFF", "示例县", "0", "-1.5"];
  const csvText = fc.array(fc.constantFrom(...pieces), { maxLength: 400 }).map((p) => p.join(""));

  it("reads any CSV text to rows with exact accounting, or a coded error", async () => {
    await fc.assert(
      fc.asyncProperty(csvText, fc.constantFrom("utf8", "utf16le", "gb18030"), async (text, encoding) => {
        const bytes = encoding === "utf8" ? Buffer.from(text) : encoding === "utf16le" ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]) : Buffer.from(new TextEncoder().encode(text));
        const read = await readBounded(file("fuzz.csv", bytes), { limits: { maxRecordLines: 5, maxRecordSize: 200 } });
        if (read.error) return;
        const { summary } = read;
        if (summary.complete) expect(summary.blankLines + summary.recordLines + summary.reportedLines).toBe(summary.lines);
        const rows = read.rows.map((r) => r.row);
        expect(rows).toEqual([...rows].sort((a, b) => a - b));
      }),
      { numRuns: 400, seed: 7 },
    );
  });

  it("reads random bytes to rows or a coded error", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), fc.constantFrom("x.csv", "x.xlsx", "x.xls", "x.txt"), async (bytes, name) => {
        await readBounded(file(name, bytes));
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it("reads a damaged workbook (bytes flipped, cut, or its XML garbled) to rows or a coded error", async () => {
    const strings: string[] = [];
    const rows = Array.from({ length: 60 }, (_, i) => [`H${i}`, `张三${i}`, String(i)]);
    const good = workbook({ sheets: [{ name: "S", data: sheetXml(rows, "shared", strings) }], sharedStrings: strings });
    const damage = fc.oneof(
      fc.array(fc.tuple(fc.nat({ max: good.length - 1 }), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 16 }).map((flips) => {
        const bytes = Buffer.from(good);
        for (const [at, mask] of flips) bytes[at] = (bytes[at] as number) ^ mask;
        return bytes;
      }),
      fc.nat({ max: good.length }).map((n) => good.subarray(0, n)),
      fc.array(fc.constantFrom("<row>", "<row r=\"0\">", "</row>", "<c r=\"A1\" t=\"s\">", "<c t=\"n\">", "<c r=\"ZZZZ9\">", "</c>", "<v>", "</v>", "1", "x", "&amp;", "&bad;", "<is><t>", "</t></is>", "<![CDATA[z]]>", "<!--c-->", "<"), { maxLength: 60 }).map((parts) => workbook({ sheets: [{ name: "S", data: parts.join("") }], sharedStrings: ["a"] })),
    );
    await fc.assert(
      fc.asyncProperty(damage, async (bytes) => {
        const read = await readBounded(file("damaged.xlsx", bytes));
        if (read.error) expect(read.error.code).toMatch(/^(corrupt_workbook|inflate_limit|not_a_workbook|wrong_extension|empty_workbook)$/);
      }),
      { numRuns: 300, seed: 13 },
    );
  });

  it("throws only KaoheErrors from the iteration itself", async () => {
    const reader = readRows(file("kaohe.xlsx", "not a zip"));
    const error = await (async () => {
      for await (const _ of reader) void _;
    })().catch((e: unknown) => e);
    expect(isKaoheError(error)).toBe(true);
  });
});
