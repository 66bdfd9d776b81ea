import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { prepareRulebook } from "../../src/screening/prepare";
import { screenFile } from "../../src/screening/node/run";
import { examplePath, exampleRulebook, runScreen } from "./helpers";
import { file, readAll, sheetXml, workbook, workbookEntries, zip, type ZipEntry } from "./readers-fixtures";

const HEADER = ["县", "乡镇", "户编号", "人编号", "姓名"];
const DATA = [HEADER, ["示例县", "甲乡", "H1", "P1", "张三"], ["示例县", "甲乡", "H1", "P2", "李四"]];

describe("readRows on XLSX", () => {
  it("reads shared strings, inline strings, numbers, dates, booleans, rich text, formula results, errors and sparse cells", async () => {
    const strings = ["标题：合成数据", "示例县"];
    const data = [
      `<row r="1"><c r="A1" t="s"><v>0</v></c></row>`,
      `<row r="3"><c r="A3" t="s"><v>1</v></c><c r="B3" t="inlineStr"><is><t>甲</t><r><t xml:space="preserve">乡 </t></r><rPh><t>じあ</t></rPh></is></c>`,
      `<c r="C3"><v>7599.99</v></c><c r="D3" s="1"><v>45658</v></c><c r="E3" t="d"><v>2025-03-05T00:00:00</v></c>`,
      `<c r="F3" t="b"><v>1</v></c><c r="G3" t="b"><v>0</v></c><c r="H3" t="str"><f>A3&amp;"县"</f><v>示例县县</v></c>`,
      `<c r="I3"><f>1+1</f><v>2</v></c><c r="J3" t="e"><v>#N/A</v></c><c r="L3" t="s"><v>0</v></c></row>`,
      `<row r="7"><c r="C7"><v>1.5E3</v></c><c r="D7" s="0"><v>45658</v></c></row>`,
      `<row r="8"><c r="A8" t="s"/><c r="B8"><v></v></c></row>`,
    ].join("");
    const rich = '<si><r><t>标题：</t></r><r><rPr><b/></rPr><t>合成数据</t></r></si>';
    const sst = `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${rich}<si><t>示例县</t></si></sst>`;
    const read = await readAll(file("types.xlsx", workbook({ sheets: [{ name: "数据", data }], sharedStrings: sst, styles: [0, 14] })));
    expect(read.error).toBeUndefined();
    expect(strings).toHaveLength(2);
    expect(read.rows).toEqual([
      { row: 1, cells: ["标题：合成数据"] },
      {
        row: 3,
        cells: ["示例县", "甲乡 ", 7599.99, new Date("2025-01-01T00:00:00Z"), new Date("2025-03-05T00:00:00Z"), true, false, "示例县县", 2, "#N/A", undefined, "标题：合成数据"],
      },
      { row: 7, cells: [undefined, undefined, 1500, 45658] },
    ]);
    expect(read.summary).toMatchObject({ format: "xlsx", sheet: { name: "数据", number: 1, chosen: "first", passed: [] }, lines: 4, blankLines: 1, recordLines: 3, complete: true });
  });

  it("reads numbers with a custom date format as dates, and other custom formats as numbers", async () => {
    const data = '<row r="1"><c r="A1" s="1"><v>45658</v></c><c r="B1" s="2"><v>45658</v></c><c r="C1" s="3"><v>0.5</v></c><c r="D1" s="4"><v>45658</v></c></row>';
    const formats = { 164: 'yyyy"年"m"月"d"日"', 165: '#,##0.00"元"', 166: "[h]:mm", 167: '[Red]0;"负"0' };
    const read = await readAll(file("formats.xlsx", workbook({ sheets: [{ name: "S", data }], styles: [0, 164, 165, 166, 167], formats })));
    expect(read.rows).toEqual([{ row: 1, cells: [new Date("2025-01-01T00:00:00Z"), 45658, new Date("1899-12-30T12:00:00Z"), 45658] }]);
  });

  it("reads dates of the 1904 date system", async () => {
    const read = await readAll(file("1904.xlsx", workbook({ sheets: [{ name: "S", data: '<row r="1"><c r="A1" s="1"><v>0</v></c></row>' }], styles: [0, 14], date1904: true })));
    expect(read.rows).toEqual([{ row: 1, cells: [new Date("1904-01-01T00:00:00Z")] }]);
  });

  describe("when choosing the sheet", () => {
    const strings: string[] = [];
    const book = file(
      "sheets.xlsx",
      workbook({
        sheets: [
          { name: "说明", data: '<row r="1"/><row r="2"><c r="A2" t="inlineStr"><is><t> </t></is></c></row>' },
          { name: "隐藏", data: sheetXml([["秘密"]], "inline"), hidden: true },
          { name: "监测对象", data: sheetXml(DATA, "shared", strings, 3) },
          { name: "村", data: sheetXml([["县", "行政村"], ["示例县", "一村"]], "shared", strings) },
        ],
        sharedStrings: strings,
      }),
    );

    it("reads the first sheet with a non-blank row when none is named, and says which and what it passed over", async () => {
      const read = await readAll(book);
      expect(read.rows.map((r) => r.row)).toEqual([3, 4, 5]);
      expect(read.summary.sheet).toEqual({ name: "监测对象", number: 3, chosen: "first_non_empty", passed: ["说明", "隐藏"] });
    });

    it("reads the sheet named, by name or by 1-based number", async () => {
      expect((await readAll(book, { sheet: "村" })).rows).toEqual([{ row: 1, cells: ["县", "行政村"] }, { row: 2, cells: ["示例县", "一村"] }]);
      expect((await readAll(book, { sheet: 2 })).rows).toEqual([{ row: 1, cells: ["秘密"] }]);
      expect((await readAll(book, { sheet: "3" })).summary.sheet).toEqual({ name: "监测对象", number: 3, chosen: "named", passed: [] });
    });

    it("refuses a sheet that does not exist, listing the sheets", async () => {
      expect((await readAll(book, { sheet: "户" })).error).toEqual({
        code: "no_such_sheet",
        message: 'the workbook has no sheet "户"; its sheets are 1 "说明", 2 "隐藏", 3 "监测对象", 4 "村"',
        zh: '工作簿中没有工作表 「户」；现有工作表：1 "说明", 2 "隐藏", 3 "监测对象", 4 "村"',
      });
      expect((await readAll(book, { sheet: 9 })).error?.code).toBe("no_such_sheet");
    });

    it("says so when every sheet is empty", async () => {
      const empty = file("empty.xlsx", workbook({ sheets: [{ name: "Sheet1", data: "" }, { name: "Sheet2", data: '<row r="1"/>' }] }));
      expect((await readAll(empty)).error).toMatchObject({ code: "empty_workbook", message: 'no sheet of the workbook has a non-blank row (sheets: "Sheet1", "Sheet2")' });
    });
  });

  describe("when the bytes do not match the extension", () => {
    const xlsx = workbook({ sheets: [{ name: "S", data: sheetXml(DATA, "inline") }] });
    const ole2 = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);
    const cases: [string, string | Buffer, string, RegExp][] = [
      ["a legacy .xls (BIFF in OLE2)", ole2, "legacy.xls", /^the file is an Excel 97–2003 workbook \(\.xls, BIFF\) or a password-protected workbook.*另存为 \(save as\) \.xlsx$/],
      ["an OLE2 file named .xlsx (a password-protected workbook)", ole2, "locked.xlsx", /Excel 97–2003 workbook/],
      ["an OLE2 file named .csv", ole2, "legacy.csv", /Excel 97–2003 workbook/],
      ["a workbook named .csv", xlsx, "book.csv", /^the file is a zip \(an Excel workbook \.xlsx\?\) named \.csv: rename it to \.xlsx/],
      ["a workbook named .xls", xlsx, "book.xls", /^the file is an \.xlsx workbook named \.xls: rename it to \.xlsx$/],
      ["an HTML table named .xls", "<html><body><table><tr><td>县</td></tr></table></body></html>", "export.xls", /HTML or XML table named \.xls/],
      ["a CSV named .xlsx", "县,乡镇\n示例县,甲乡\n", "data.xlsx", /^the file is named \.xlsx but holds text .*rename it to \.csv/],
      ["a Word document named .xlsx", zip([{ name: "word/document.xml", data: "<w/>" }]), "report.xlsx", /^the file is a Word document \(\.docx\), not an Excel workbook/],
      ["an OpenDocument spreadsheet", zip([{ name: "mimetype", data: "application/vnd.oasis.opendocument.spreadsheet", store: true }, { name: "content.xml", data: "<x/>" }]), "table.ods", /OpenDocument/],
      ["a zip without a workbook", zip([{ name: "a.txt", data: "a" }]), "archive.xlsx", /a zip archive without a workbook in it/],
    ];
    for (const [name, content, fileName, message] of cases) {
      it(`refuses ${name}, naming what it is and what to do`, async () => {
        const read = await readAll(file(fileName, content));
        expect(read.rows).toEqual([]);
        expect(read.error?.code).toMatch(/^(legacy_xls|wrong_extension|not_a_workbook)$/);
        expect(read.error?.message).toMatch(message);
        expect(read.error?.zh).toMatch(/[\u4e00-\u9fff]/);
      });
    }
  });

  describe("when the workbook is damaged or hostile", () => {
    const strings: string[] = [];
    const rows = [HEADER, ...Array.from({ length: 300 }, (_, i) => ["示例县", "甲乡", `H${i}`, `P${i}`, `张三${i}`])];
    const entries = workbookEntries({ sheets: [{ name: "S", data: sheetXml(rows, "shared", strings) }], sharedStrings: strings });
    const good = zip(entries);
    const sheetAt = good.indexOf(Buffer.from("xl/worksheets/sheet1.xml")) + "xl/worksheets/sheet1.xml".length;
    const sheetSize = good.indexOf(Buffer.from("xl/sharedStrings.xml")) - 30 - sheetAt;

    it("reports a byte flipped anywhere inside the compressed sheet as a damaged workbook, never as fewer rows", async () => {
      const expected = (await readAll(file("good.xlsx", good))).rows;
      expect(expected).toHaveLength(301);
      const outcomes = new Map<string, number>();
      for (let offset = 0; offset < sheetSize; offset += Math.max(1, Math.floor(sheetSize / 97))) {
        const bytes = Buffer.from(good);
        bytes[sheetAt + offset] = (bytes[sheetAt + offset] as number) ^ 0x5a;
        const read = await readAll(file("flipped.xlsx", bytes));
        if (read.error) {
          expect(read.error.code, `offset ${offset}`).toBe("corrupt_workbook");
          outcomes.set("corrupt_workbook", (outcomes.get("corrupt_workbook") ?? 0) + 1);
        } else {
          // Only a flip that leaves the inflated sheet as it was may read (the CRC-32 proves it).
          expect(read.rows, `offset ${offset}`).toEqual(expected);
          outcomes.set("same rows", (outcomes.get("same rows") ?? 0) + 1);
        }
      }
      expect(outcomes.get("corrupt_workbook")).toBeGreaterThan(90);
    });

    it("reports 16 flipped bytes, a truncated file and a cut central directory as damaged", async () => {
      const flipped = Buffer.from(good);
      for (let i = 0; i < 16; i++) flipped[sheetAt + 40 + i] = (flipped[sheetAt + 40 + i] as number) ^ 0xff;
      expect((await readAll(file("flipped16.xlsx", flipped))).error?.code).toBe("corrupt_workbook");
      expect((await readAll(file("truncated.xlsx", good.subarray(0, Math.floor(good.length / 2))))).error?.code).toBe("corrupt_workbook");
      expect((await readAll(file("cut.xlsx", good.subarray(0, good.length - 10))))).toMatchObject({ error: { code: "corrupt_workbook" } });
    });

    it("refuses a part that inflates past its declared size, or a shared string index that does not exist", async () => {
      const lying = entries.map((e): ZipEntry => (e.name === "xl/worksheets/sheet1.xml" ? { ...e, declaredSize: 100 } : e));
      expect((await readAll(file("lying.xlsx", zip(lying)))).error).toMatchObject({ code: "corrupt_workbook", message: expect.stringMatching(/inflates past its declared size of 100 bytes/) });
      const dangling = workbook({ sheets: [{ name: "S", data: '<row r="1"><c r="A1" t="s"><v>5</v></c></row>' }] });
      expect((await readAll(file("dangling.xlsx", dangling))).error?.message).toMatch(/shared string "5" does not exist/);
      const malformed = workbook({ sheets: [{ name: "S", data: '<row r="1"><c r="A1"><v>1</c></row>' }] });
      expect((await readAll(file("malformed.xlsx", malformed))).error?.code).toBe("corrupt_workbook");
    });

    it("stops a zip bomb by its ratio before inflating it, and bounds parts and shared strings by size, in memory", async () => {
      const bomb = workbook({ sheets: [{ name: "S", data: `<row r="1"><c r="A1" t="inlineStr"><is><t>${"0".repeat(64 * 1024 * 1024)}</t></is></c></row>` }] });
      expect(bomb.length).toBeLessThan(200 * 1024);
      const started = performance.now();
      const read = await readAll(file("bomb.xlsx", bomb));
      expect(read.error).toMatchObject({ code: "inflate_limit", message: expect.stringMatching(/^the workbook's part xl\/worksheets\/sheet1\.xml inflates \d+ times its compressed size .* more than the limit of 200 \(a zip bomb\?\)$/) });
      expect(performance.now() - started).toBeLessThan(5000);
      const big = (await readAll(file("big.xlsx", good), { limits: { maxPartSize: 10_000 } })).error;
      expect(big).toMatchObject({ code: "inflate_limit", message: expect.stringMatching(/inflates to \d+ bytes, more than the limit of 10000 bytes/) });
      const sst = (await readAll(file("sst.xlsx", good), { limits: { maxSharedStringsSize: 1000 } })).error;
      expect(sst).toMatchObject({ code: "inflate_limit", message: expect.stringMatching(/sharedStrings\.xml inflates to/) });
    });

    it("refuses a cell or a row over the record-size limit, and cells beyond column XFD", async () => {
      // Text runs are checked across the inflated chunks (16 KiB), so this one spans several.
      const long = workbook({ sheets: [{ name: "S", data: `<row r="1"><c r="A1" t="inlineStr"><is><t>${"长".repeat(100_000)}</t></is></c></row>` }] });
      expect((await readAll(file("long.xlsx", long), { limits: { maxRecordSize: 20_000 } })).error?.message).toMatch(/a run of more than 20000 characters without markup/);
      const wide = workbook({ sheets: [{ name: "S", data: `<row r="1">${'<c t="inlineStr"><is><t>长长长长长</t></is></c>'.repeat(300)}</row>` }] });
      expect((await readAll(file("wide.xlsx", wide), { limits: { maxRecordSize: 1000 } })).error?.message).toMatch(/row 1: the row's text exceeds 1000 characters/);
      const far = workbook({ sheets: [{ name: "S", data: '<row r="1"><c r="XFE1"><v>1</v></c></row>' }] });
      expect((await readAll(file("far.xlsx", far))).error?.message).toMatch(/cell reference "XFE1"/);
    });
  });

  describe("in screening", () => {
    it("reports a damaged workbook as an error of that file, by code, and screens the next file on the command line", async () => {
      const prepared = prepareRulebook(exampleRulebook());
      const broken = readFileSync(examplePath("synthetic-households.xlsx"));
      const sheet = broken.indexOf(Buffer.from("xl/worksheets/sheet1.xml")) + 100;
      for (let i = 0; i < 16; i++) broken[sheet + i] = (broken[sheet + i] as number) ^ 0xff;
      const path = file("broken.xlsx", broken);
      const result = await screenFile(prepared, path, { onItems: () => {} });
      expect(result).toMatchObject({ ok: false, code: "corrupt_workbook", reason: expect.stringMatching(/^the workbook is damaged .*\[corrupt_workbook\]$/), zh: expect.stringMatching(/^工作簿已损坏/) });
      const run = await runScreen(["--rules", examplePath("rulebook.json"), path, examplePath("synthetic-households.xlsx"), "--lang", "en"]);
      expect(run.code).toBe(1);
      expect(run.stderr[0]).toMatch(/broken\.xlsx: the workbook is damaged .*\[corrupt_workbook\]$/);
      expect(run.stdout.at(-1)).toMatch(/^21 rows read, 21 screened, 0 rejected/);
    });

    it("screens the example workbook, with title rows above the header, as before", async () => {
      const read = await readAll(examplePath("synthetic-households.xlsx"));
      expect(read.rows.slice(0, 3).map((r) => r.row)).toEqual([1, 2, 3]);
      expect(read.summary.sheet?.chosen).toBe("first");
      const run = await runScreen(["--rules", examplePath("rulebook.json"), examplePath("synthetic-households.xlsx"), "--lang", "en"]);
      expect(run.code).toBe(0);
      // 4 findings, as exceljs gave (the example's XLSX holds dates as date cells; see cli.test.ts).
      expect(run.stdout.at(-1)).toMatch(/^21 rows read, 21 screened, 0 rejected; 4 findings/);
    });
  });
});
