// The CSV parser reads decoded text chunk by chunk (the file's 64 KiB reads): wherever the chunks
// are cut, in a line, in a quoted cell spanning lines, next to a CR or a quote, the rows, their
// numbers and the accounting of lines are those of the text read as one chunk.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CellFinder, LineBlock, cellsAt, parseCsv, splitLine, type CsvLimits, type CsvTally } from "../../src/screening/node/csv";
import type { SourceRow } from "../../src/screening/node/rows";

/** Pieces of lines as exports have them, and as they break: quotes, line breaks inside quotes, CRs, blanks, a broken quote. */
const piece = fc.constantFrom("户1", "张三", "7600", "", " ", ",", ",", ",", '"a,b"', '"多\n行"', '"引""号"', "\r\n", "\n", "\n", "\n", '"', "𠀀", "是");
const text = fc.array(piece, { maxLength: 200 }).map((pieces) => pieces.join(""));
/** Texts mostly of plain lines, now and then broken as above. */
const plainPiece = fc.oneof({ weight: 16, arbitrary: fc.constantFrom("户1", "张三", "7600", ",", ",", "\n", "\r\n", "𠀀") }, { weight: 1, arbitrary: piece });
const plainText = fc.array(plainPiece, { maxLength: 200 }).map((pieces) => pieces.join(""));

/**
 * The text cut at the given fractions of its length, as the reader cuts it: never between the
 * halves of a surrogate pair, and never before the first line's end (the first chunk is the
 * encoding sample of 256 KiB, or the whole file: the delimiter and the line ends are found in it).
 */
function cut(source: string, at: readonly number[]): string[] {
  const first = source.indexOf("\n") + 1 || source.length;
  const points = [...new Set(at.map((f) => Math.floor(f * source.length)))].filter((point) => point >= first).sort((a, b) => a - b);
  const chunks: string[] = [];
  let start = 0;
  for (let point of points) {
    // A decoder never ends a chunk between the halves of a surrogate pair.
    if (point > 0 && point < source.length && (source.charCodeAt(point) & 0xfc00) === 0xdc00) point++;
    if (point <= start) continue;
    chunks.push(source.slice(start, point));
    start = point;
  }
  chunks.push(source.slice(start));
  return chunks;
}

/** The rows read from the chunks, a block's lines each as its row of cells (with the blocks' sizes). */
async function parse(chunks: readonly string[], lazy: boolean | "blocks", limits: CsvLimits) {
  const tally: CsvTally = { delimiter: ",", lines: 0, blankLines: 0, recordLines: 0, reportedLines: 0, multiLineRecords: 0, complete: true };
  async function* source() {
    for (const chunk of chunks) yield chunk;
  }
  const rows: unknown[] = [];
  const blocks: number[] = [];
  for await (const batch of parseCsv(source(), limits, tally, undefined, lazy)) {
    for (const row of batch) {
      if (row instanceof LineBlock) {
        blocks.push(row.count);
        const lines = row.text.split("\n");
        expect(lines).toHaveLength(row.count);
        lines.forEach((line, i) => rows.push({ row: row.row + i, endRow: undefined, cells: splitLine(line, ",") }));
      } else rows.push("cells" in row ? { row: row.row, endRow: row.endRow, cells: [...row.cells] } : row);
    }
  }
  return { rows, tally, blocks };
}

// Not varied: a chunk that leaves more than maxRecordSize characters of a line without its break
// stops the reading there (documented: "without a line break within it the reading stops"),
// whereas the text read whole reports that line and reads on. With the reader's 64 KiB reads and
// the default of 1 MiB, only a line over 1 MiB meets this.
const LIMITS: CsvLimits = { maxRecordSize: 1024 * 1024, maxRecordLines: 100, maxBrokenQuotes: 100 };

describe("the CSV parser across chunks", () => {
  it("gives the rows and the accounting of the text read whole, wherever its chunks are cut", async () => {
    await fc.assert(
      fc.asyncProperty(text, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 }), fc.constantFrom(false, true, "blocks" as const), fc.constantFrom(LIMITS, { ...LIMITS, maxRecordLines: 2, maxBrokenQuotes: 3 }), async (source, at, lazy, limits) => {
        const whole = await parse([source], lazy, limits);
        const chunked = await parse(cut(source, at), lazy, limits);
        const { blocks, ...rest } = chunked;
        expect(rest).toEqual({ rows: whole.rows, tally: whole.tally });
        if (lazy !== "blocks") expect(blocks).toEqual([]);
      }),
      { numRuns: 3000 },
    );
  });

  it("gives in blocks of lines, and with lines split lazily, exactly the rows and the accounting it gives without them, wherever the chunks are cut", async () => {
    let inBlocks = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(text, plainText), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 }), fc.constantFrom(LIMITS, { ...LIMITS, maxRecordLines: 2, maxBrokenQuotes: 3 }, { ...LIMITS, maxRecordSize: 8 }), async (source, at, limits) => {
        const chunks = cut(source, at);
        const plain = await parse(chunks, false, limits);
        const blocked = await parse(chunks, "blocks", limits);
        expect(blocked.rows).toEqual(plain.rows);
        expect(blocked.tally).toEqual(plain.tally);
        const lazy = await parse(chunks, true, limits);
        expect(lazy.rows).toEqual(plain.rows);
        expect(lazy.tally).toEqual(plain.tally);
        inBlocks += blocked.blocks.reduce((sum, n) => sum + n, 0);
      }),
      { numRuns: 3000 },
    );
    // The property is about blocks: many rows must have come in them (about 2,000 in 3,000 runs).
    expect(inBlocks).toBeGreaterThan(1000);
  });

  it("gives the rows of a clean export cut into chunks of every small size", async () => {
    const lines = Array.from({ length: 40 }, (_, i) => `示例县,户${i},${i % 7 === 0 ? "" : 7600 + i},是`);
    const source = `县,户编号,收入,是否\r\n${lines.join("\r\n")}\r\n`;
    const whole = await parse([source], true, LIMITS);
    const first = source.indexOf("\n") + 1;
    for (let size = 1; size <= 40; size++) {
      const chunks = [source.slice(0, first)];
      for (let i = first; i < source.length; i += size) chunks.push(source.slice(i, i + size));
      expect(await parse(chunks, true, LIMITS)).toEqual(whole);
    }
    expect(whole.rows).toHaveLength(41);
  });
});

describe("the CSV parser's batches", () => {
  it("hands on a long text in batches of at most 512 rows, every row once, in order, across record boundaries", async () => {
    // Every seventh record has a quoted cell over two lines, so that batch ends fall beside them.
    const records = Array.from({ length: 2000 }, (_, i) => (i % 7 === 3 ? [`户${i}`, `多\n行${i}`, String(i)] : [`户${i}`, "张三", String(i)]));
    const text = `户编号,姓名,序号\n${records.map((r) => r.map((cell) => (cell.includes("\n") ? `"${cell}"` : cell)).join(",")).join("\n")}\n`;
    const tally: CsvTally = { delimiter: ",", lines: 0, blankLines: 0, recordLines: 0, reportedLines: 0, multiLineRecords: 0, complete: true };
    async function* whole() {
      yield text;
    }
    const sizes: number[] = [];
    const rows: SourceRow[] = [];
    for await (const batch of parseCsv(whole(), LIMITS, tally)) {
      sizes.push(batch.length);
      rows.push(...(batch as SourceRow[]));
    }
    expect(Math.max(...sizes)).toBeLessThanOrEqual(512);
    expect(sizes.length).toBeGreaterThan(3);
    expect(rows.map((row) => ("cells" in row ? [...row.cells] : row))).toEqual([["户编号", "姓名", "序号"], ...records]);
    let line = 1;
    for (const row of rows) {
      expect(row.row).toBe(line);
      line = (row.endRow ?? row.row) + 1;
    }
    expect(tally).toMatchObject({ lines: 2001 + records.filter((r) => r[1]?.includes("\n")).length, complete: true });
  });
});

describe("finding the key cells of a line", () => {
  it("finds what cellsAt finds, in lines of any width, whatever the wanted cells and the delimiter", () => {
    const cellArb = fc.array(fc.constantFrom("户", "1", " ", "\r", "a", "，", "|"), { maxLength: 4 }).map((chars) => chars.join(""));
    fc.assert(
      fc.property(
        fc.constantFrom(",", "\t", ";", "|"),
        fc.integer({ min: 1, max: 8 }),
        fc.array(cellArb, { minLength: 1, maxLength: 10 }),
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        (delimiter, width, cells, wanted, cr) => {
          const indexes = [...new Set(wanted)].sort((a, b) => a - b);
          const line = cells.join(delimiter) + (cr ? "\r" : "");
          const expected: (string | undefined)[] = [];
          const found: (string | undefined)[] = [];
          const n = cellsAt(line, delimiter, indexes, expected);
          expect(new CellFinder(delimiter, indexes, width).find(line, found)).toBe(n);
          expect(found).toEqual(expected);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
