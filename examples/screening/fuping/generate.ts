// Writes the SYNTHETIC data of the fuping port (合成数据，非真实) from data.ts:
//   npx tsx examples/screening/fuping/generate.ts
// persons.csv (UTF-8), persons-gb18030.csv, persons.xlsx (two title rows above the header), and the
// same three for villages. expected.json is NOT written here: it is written by hand.
import { writeFileSync } from "node:fs";
import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { PERSON_HEADER, VILLAGE_HEADER, VILLAGES, personRows } from "./data";

const dir = new URL("./", import.meta.url);

function csv(rows: readonly (readonly string[])[]): string {
  const cell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return rows.map((row) => row.map(cell).join(",")).join("\r\n") + "\r\n";
}

async function write(name: string, title: string, header: readonly string[], rows: readonly (readonly string[])[]): Promise<void> {
  const text = csv([header, ...rows]);
  writeFileSync(new URL(`${name}.csv`, dir), text);
  writeFileSync(new URL(`${name}-gb18030.csv`, dir), iconv.encode(text, "gb18030"));
  const workbook = new ExcelJS.Workbook();
  // A fixed date, so that the workbook's bytes do not change from run to run.
  workbook.created = workbook.modified = new Date(Date.UTC(2025, 0, 1));
  const sheet = workbook.addWorksheet("Sheet1");
  sheet.addRow([title]);
  sheet.addRow(["导出时间：2025-01-01（合成数据，非真实）"]);
  sheet.addRow([...header]);
  for (const row of rows) sheet.addRow([...row]);
  await workbook.xlsx.writeFile(new URL(`${name}.xlsx`, dir).pathname);
}

await write("persons", "（自定义）监测对象信息", PERSON_HEADER, personRows().map((row) => row.cells));
await write("villages", "（自定义）行政村信息", VILLAGE_HEADER, VILLAGES.map((village) => VILLAGE_HEADER.map((column) => village.cells[column])));
console.log("wrote persons.csv, persons-gb18030.csv, persons.xlsx, villages.csv, villages-gb18030.csv, villages.xlsx");
