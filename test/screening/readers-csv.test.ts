import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { examplePath, runScreen } from "./helpers";
import { csvField, file, readAll } from "./readers-fixtures";
import { readRows, type SourceRow } from "../../src/screening/node/rows";

const HEADER = ["县", "乡镇", "行政村", "户编号", "人编号", "姓名", "备注"];
/** `n` data rows of a person-level export, with Chinese text in most cells. */
function people(n: number): string[][] {
  return Array.from({ length: n }, (_, i) => ["示例县", "甲乡", `${1 + (i % 5)}村`, `H${Math.floor(i / 3)}`, `P${i}`, `张三${i}`, i % 7 === 0 ? "低保，五保" : ""]);
}
const toCsv = (rows: readonly (readonly string[])[], eol = "\n", delimiter = ",") => rows.map((r) => r.map((c) => csvField(c, delimiter)).join(delimiter)).join(eol) + eol;
const cellsOf = (rows: readonly unknown[]) => rows.filter((r): r is { row: number; cells: string[] } => typeof r === "object" && r !== null && "cells" in r);
const errorsOf = (rows: readonly unknown[]) => rows.filter((r): r is { row: number; code: string; reason: string; incomplete?: true } => typeof r === "object" && r !== null && "code" in r);

describe("readRows on CSV", () => {
  describe("when the file is in any of the encodings county offices exchange", () => {
    const rows = [["合成数据（非真实）", "", "", "", "", "", ""], HEADER, ...people(40)];
    const text = toCsv(rows, "\r\n");
    const cases: [string, Uint8Array, string, string][] = [
      ["UTF-8", Buffer.from(text), "utf8", ","],
      ["UTF-8 with a BOM", Buffer.from("\uFEFF" + text), "utf8", ","],
      ["GB18030 (GBK)", iconv.encode(text, "gbk"), "gb18030", ","],
      ["UTF-16LE with a BOM, tab-separated (Excel's Unicode text)", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(toCsv(rows, "\r\n", "\t"), "utf16le")]), "utf16le", "\t"],
      ["UTF-16BE with a BOM, tab-separated", Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(toCsv(rows, "\r\n", "\t"), "utf16le").swap16()]), "utf16be", "\t"],
    ];
    for (const [name, bytes, encoding, delimiter] of cases) {
      it(`reads ${name} to the same rows, title row included, with their line numbers`, async () => {
        const read = await readAll(file("people.csv", bytes));
        expect(read.error).toBeUndefined();
        expect(read.rows).toEqual(rows.map((cells, i) => (i === 0 ? { row: 1, cells } : { row: i + 1, cells })));
        expect(read.summary).toMatchObject({ format: "csv", encoding, delimiter, lines: 42, recordLines: 42, blankLines: 0, reportedLines: 0, complete: true });
      });
    }
  });

  it("reads mixed CRLF and LF line endings (concatenated files) as lines, and CR-only files too", async () => {
    const mixed = toCsv([HEADER, ...people(3)], "\r\n") + toCsv(people(3), "\n");
    const read = await readAll(file("mixed.csv", mixed));
    expect(cellsOf(read.rows).map((r) => r.cells.length)).toEqual([7, 7, 7, 7, 7, 7, 7]);
    expect(cellsOf(read.rows).map((r) => r.row)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const cr = toCsv([HEADER, ...people(400)], "\r");
    const crRead = await readAll(file("cr.csv", cr));
    expect(cellsOf(crRead.rows)).toHaveLength(401);
    expect(cellsOf(crRead.rows).at(-1)).toEqual({ row: 401, cells: people(400).at(-1) });
    expect((await readAll(file("small-cr.csv", "a,b\r1,2\r"))).rows).toEqual([{ row: 1, cells: ["a", "b"] }, { row: 2, cells: ["1", "2"] }]);
  });

  it("numbers rows by their first line, gives the last line of a record spanning lines, and skips blank lines", async () => {
    const text = `${HEADER.join(",")}\n\n,,,,,,\n示例县,甲乡,一村,H1,P1,张三,"第一行\r\n第二行"\n示例县,甲乡,一村,H1,P2,李四,\n`;
    const read = await readAll(file("multiline.csv", text));
    expect(read.rows).toEqual([
      { row: 1, cells: HEADER },
      { row: 4, endRow: 5, cells: ["示例县", "甲乡", "一村", "H1", "P1", "张三", "第一行\r\n第二行"] },
      { row: 6, cells: ["示例县", "甲乡", "一村", "H1", "P2", "李四", ""] },
    ]);
    expect(read.summary).toMatchObject({ lines: 6, blankLines: 2, recordLines: 4, multiLineRecords: 1, complete: true });
  });

  it("gives the line of each one-line record without quotes, as read (a CR kept), and none for a quoted record", async () => {
    const text = `${HEADER.join(",")}\r\n示例县,甲乡,一村,H1,P1,张三,\r\n示例县,甲乡,一村,H1,P2,"李四",\r\n示例县,甲乡,一村,H1,P3,王五, 备注 \n`;
    const rows: SourceRow[] = [];
    for await (const row of readRows(file("lines.csv", text))) rows.push(row);
    expect(rows.map((row) => ("line" in row ? row.line : undefined))).toEqual([`${HEADER.join(",")}\r`, "示例县,甲乡,一村,H1,P1,张三,\r", undefined, "示例县,甲乡,一村,H1,P3,王五, 备注 "]);
  });

  describe("when a quote is broken", () => {
    it("reports an unclosed quote at the line where it opens, with the lines it would swallow, and reads the rest", async () => {
      const lines = [HEADER, ...people(1999)].map((r) => r.join(","));
      lines[9] = lines[9]!.replace(",张三", ',"张三');
      const read = await readAll(file("unclosed.csv", lines.join("\n") + "\n"));
      const errors = errorsOf(read.rows);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ row: 10, code: "unclosed_quote", incomplete: true });
      expect(errors[0]?.reason).toMatch(/^likely an unclosed quote: a quote at line 10 is not closed within 100 lines; line 10 is not read/);
      expect(cellsOf(read.rows)).toHaveLength(1999);
      expect(cellsOf(read.rows).map((r) => r.row)).toEqual([...Array.from({ length: 9 }, (_, i) => i + 1), ...Array.from({ length: 1990 }, (_, i) => i + 11)]);
      expect(read.summary).toMatchObject({ lines: 2000, recordLines: 1999, reportedLines: 1, complete: true });
    });

    it("reports a quote still open at the end of the file with the count of lines after it", async () => {
      const lines = [HEADER, ...people(20)].map((r) => r.join(","));
      lines[15] = lines[15]!.replace(",张三", ',"张三');
      const read = await readAll(file("open-at-end.csv", lines.join("\n") + "\n"));
      expect(errorsOf(read.rows)).toEqual([expect.objectContaining({ row: 16, code: "unclosed_quote", reason: expect.stringMatching(/is not closed before the end of the file \(5 lines after it\)/) })]);
      expect(cellsOf(read.rows)).toHaveLength(20);
    });

    it("detects a stray quote that merges four lines into one record, so that every line is in a read or a reported record", async () => {
      const lines = [HEADER, ...people(99)].map((r) => r.join(","));
      lines[10] = lines[10]!.replace(",张三", ',"张三');
      lines[13] = lines[13]!.replace(/,张三(\d+),/, ',张三$1",');
      // As in the field: the merged record has the header's 7 cells, so its width does not tell.
      const read = await readAll(file("stray.csv", lines.join("\n") + "\n"));
      const errors = errorsOf(read.rows);
      expect(errors.map((e) => [e.row, e.code])).toEqual([[11, "unclosed_quote"], [14, "csv_syntax"]]);
      expect(errors[0]?.reason).toMatch(/^likely an unclosed quote: a quote at line 11 joins lines 11–14 into one record whose field holds lines that look like records of this file; line 11 is not read/);
      expect(cellsOf(read.rows).map((r) => r.row)).toEqual([...Array.from({ length: 10 }, (_, i) => i + 1), 12, 13, ...Array.from({ length: 86 }, (_, i) => i + 15)]);
      expect(read.summary).toMatchObject({ lines: 100, recordLines: 98, reportedLines: 2, blankLines: 0, complete: true });
    });

    it("reports a multi-line record with the wrong number of cells at its first line", async () => {
      const lines = [HEADER, ...people(20)].map((r) => r.join(","));
      lines[10] = lines[10]!.replace(",张三", ',"张三');
      lines[11] = lines[11]!.replace(/,张三(\d+),/, ',张三$1",多,');
      const read = await readAll(file("stray-width.csv", lines.join("\n") + "\n"));
      expect(errorsOf(read.rows)).toEqual([
        expect.objectContaining({ row: 11, code: "unclosed_quote", reason: expect.stringMatching(/a quote at line 11 joins lines 11–12 into one record of 8 cells \(the record before has 7\)/) }),
        expect.objectContaining({ row: 12, code: "csv_syntax" }),
      ]);
    });

    it("reports a quote that runs to a later line where it is followed by text at the line where it opens", async () => {
      const lines = [HEADER, ...people(20)].map((r) => r.join(","));
      lines[10] = lines[10]!.replace(",张三", ',"张三');
      lines[13] = lines[13]!.replace(/,张三(\d+),/, ',"张三$1",');
      const read = await readAll(file("stray-syntax.csv", lines.join("\n") + "\n"));
      expect(errorsOf(read.rows)).toEqual([expect.objectContaining({ row: 11, code: "unclosed_quote", reason: expect.stringMatching(/a quote at line 11 runs to line 14, where a quote is followed by text/) })]);
      expect(cellsOf(read.rows)).toHaveLength(20);
    });

    it("reports a quote inside an unquoted field at its line (csv_syntax), not one past the end", async () => {
      const read = await readAll(file("syntax.csv", `a,b\n1,2\n3,x"y\n5,6`));
      expect(read.rows).toEqual([
        { row: 1, cells: ["a", "b"] },
        { row: 2, cells: ["1", "2"] },
        { row: 3, code: "csv_syntax", reason: "not valid CSV at line 3: a quote inside field 2, which does not start with one", zh: "第 3 行不是有效的 CSV：第 2 个字段中间有引号（该字段不以引号开头）" },
        { row: 4, cells: ["5", "6"] },
      ]);
    });

    it("reports a quoted field over the record-size limit at its opening line, and a too long line by itself", async () => {
      const text = `a,b\n1,"${"长长长长长\n".repeat(300)}\n2,3\n4,${"x".repeat(2000)}\n5,6\n`;
      const read = await readAll(file("big-field.csv", text), { limits: { maxRecordSize: 1000, maxRecordLines: 1000 } });
      expect(errorsOf(read.rows)).toEqual([
        expect.objectContaining({ row: 2, code: "unclosed_quote", reason: expect.stringMatching(/a quote at line 2 is not closed within 1000 characters \(166 lines\)/) }),
        expect.objectContaining({ row: 304, code: "record_too_large", reason: "line 304 has 2002 characters, more than the limit of 1000; it is not read" }),
      ]);
      expect(cellsOf(read.rows).map((r) => r.row)).toEqual([1, ...Array.from({ length: 299 }, (_, i) => i + 3), 303, 305]);
      expect(read.summary).toMatchObject({ lines: 305, blankLines: 1, reportedLines: 2, complete: true });
    });

    it("stops after too many broken quotes, saying so", async () => {
      const text = `a,b\n${'1,"x\n'.repeat(50)}`;
      const read = await readAll(file("many-quotes.csv", text), { limits: { maxBrokenQuotes: 5 } });
      expect(errorsOf(read.rows).map((e) => e.code)).toEqual([...Array(5).fill("unclosed_quote"), "too_many_errors"]);
      expect(read.summary.complete).toBe(false);
    });
  });

  describe("when the input has no line breaks or is not text", () => {
    it("stops a line over the record-size limit quickly, with a clear message, and marks the reading incomplete", async () => {
      const path = file("no-newline.csv", Buffer.alloc(8 * 1024 * 1024, "x"));
      const read = await readAll(path);
      expect(read.rows).toEqual([
        expect.objectContaining({ row: 1, code: "record_too_large", incomplete: true, reason: "line 1 runs past 1048576 characters without a line break; the reading stops here (not a CSV file, or a broken export)" }),
      ]);
      expect(read.summary.complete).toBe(false);
    });

    it("stops endless input from a pipe without a line break, and reads a CSV from a pipe whole", async () => {
      const fifo = file("endless.csv", "");
      execFileSync("sh", ["-c", `rm -f '${fifo}' && mkfifo '${fifo}'`]);
      const writer = spawn("sh", ["-c", `yes 示例县甲乡 | tr -d '\\n' > '${fifo}'`], { stdio: "ignore" });
      const read = await readAll(fifo);
      writer.kill();
      expect(read.rows).toEqual([expect.objectContaining({ row: 1, code: "record_too_large", incomplete: true })]);
      const piped = file("piped.csv", "");
      execFileSync("sh", ["-c", `rm -f '${piped}' && mkfifo '${piped}'`]);
      const text = toCsv([HEADER, ...people(20000)]);
      const source = file("source.csv", text);
      const cat = spawn("sh", ["-c", `cat '${source}' > '${piped}'`], { stdio: "ignore" });
      const pipedRead = await readAll(piped);
      cat.kill();
      expect(cellsOf(pipedRead.rows)).toHaveLength(20001);
      expect(pipedRead.summary).toMatchObject({ lines: 20001, complete: true });
    });

    it("refuses /dev/zero (NUL bytes) at once as not text", async () => {
      const read = await readAll("/dev/zero");
      expect(read.error?.code).toBe("not_text");
      expect(read.rows).toEqual([]);
    });
  });

  describe("when the encoding is wrong or unsure", () => {
    const text = toCsv([HEADER, ...people(30)]);

    it("gives invalid_encoding with the line when the encoding given does not fit", async () => {
      const gbk = file("gbk.csv", iconv.encode(text, "gbk"));
      expect((await readAll(gbk, { encoding: "utf8" })).error).toMatchObject({ code: "invalid_encoding", message: expect.stringMatching(/^line 1 is not valid UTF-8 .* give --encoding gb18030$/) });
      const utf8 = file("utf8.csv", text);
      expect((await readAll(utf8, { encoding: "gbk" })).error).toMatchObject({ code: "invalid_encoding", message: expect.stringMatching(/^the file is UTF-8, not GB18030\/GBK \(line 1 holds a UTF-8 character/) });
      const bom = file("bom.csv", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]));
      expect((await readAll(bom, { encoding: "utf8" })).error?.code).toBe("invalid_encoding");
    });

    it("does not switch a UTF-8 file to GB18030 for one bad byte: it stays UTF-8 and only that row holds U+FFFD", async () => {
      const bytes = Buffer.from(text);
      const at = bytes.indexOf(Buffer.from("张三17"));
      bytes[at] = 0xff;
      const read = await readAll(file("one-bad-byte.csv", bytes));
      expect(read.summary.encoding).toBe("utf8");
      const rows = cellsOf(read.rows);
      expect(rows.filter((r) => r.cells.some((c) => c.includes("\uFFFD"))).map((r) => r.row)).toEqual([19]);
      expect(rows[1]?.cells).toEqual(people(1)[0]);
    });

    it("asks for the encoding when it cannot tell", async () => {
      const bytes = Buffer.concat([Buffer.from("a,b\n示例,"), Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]), Buffer.from("\n")]);
      const read = await readAll(file("unsure.csv", bytes));
      expect(read.error).toMatchObject({ code: "ambiguous_encoding", message: expect.stringMatching(/cannot tell the encoding: .* 2 valid UTF-8 characters and \d invalid byte sequences \(the first at line 2\); give --encoding utf8 or --encoding gb18030/) });
      expect((await readAll(file("unsure.csv", bytes), { encoding: "gb18030" })).rows).toHaveLength(2);
    });
  });

  describe("through kaohe screen", () => {
    const RULES = examplePath("rulebook.json");
    const lines = readFileSync(examplePath("synthetic-households.csv"), "utf8").split("\n");

    it("marks the file's screening incomplete (exit 1) for an unclosed quote, naming its line, and still screens the other rows", async () => {
      const broken = [...lines];
      broken[9] = broken[9]!.replace(",户主,", ',"户主,');
      const run = await runScreen(["--rules", RULES, file("unclosed.csv", broken.join("\n")), "--lang", "en"]);
      expect(run.code).toBe(1);
      expect(run.stderr.join("\n")).toMatch(/unclosed\.csv: incomplete: likely an unclosed quote: a quote at line 10 is not closed before the end of the file .*\[unclosed_quote\]/);
      expect(run.stdout.at(-1)).toMatch(/^21 rows read, 20 screened, 1 rejected/);
    });

    it("exits 1 for /dev/zero and a wrong encoding, naming the reason, and screens the next file", async () => {
      const run = await runScreen(["--rules", RULES, "/dev/zero", examplePath("synthetic-households.csv"), "--lang", "en"]);
      expect(run.code).toBe(1);
      expect(run.stderr[0]).toMatch(/^\/dev\/zero: the file holds NUL bytes: it is not a text \(CSV\) file.*\[not_text\]$/);
      expect(run.stdout.at(-1)).toMatch(/^21 rows read, 21 screened/);
    });
  });
});
