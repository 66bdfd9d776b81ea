// Writes the ILLUSTRATIVE indicator tables of examples/frameworks from tables.ts: run
//   npx tsx examples/frameworks/generate.ts
// It writes province-2026.xlsx, city-2025.xlsx, county-2025.xlsx and county-2025.csv (UTF-8), then
// imports each with kaohe and writes the framework beside it (*.framework.json), which the tests
// compare with a fresh import (a drift check: rerun this script after changing the tables).
import { writeFileSync } from "node:fs";
import { workbookBytes } from "../../src/cli/tables";
import { importFramework, type Table } from "../../src/authoring/index";
import { county, importOptions, municipal, provincial } from "./tables";

const dir = new URL("./", import.meta.url);

function csv(table: Table): string {
  const quote = (cell: unknown) => {
    const text = cell === null || cell === undefined ? "" : String(cell);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const width = Math.max(...table.rows.map((r) => r.cells.length));
  return table.rows.map((r) => Array.from({ length: width }, (_, i) => quote(r.cells[i])).join(",")).join("\r\n") + "\r\n";
}

const files: [string, Table, (typeof importOptions)[keyof typeof importOptions]][] = [
  ["province-2026", provincial, importOptions.provincial],
  ["city-2025", municipal, importOptions.municipal],
  ["county-2025", county, importOptions.county],
];
for (const [name, table, options] of files) {
  writeFileSync(new URL(`${name}.xlsx`, dir), await workbookBytes([table]));
  const framework = importFramework(table, { ...options, file: `${name}.xlsx` });
  writeFileSync(new URL(`${name}.framework.json`, dir), `${JSON.stringify(framework, null, 2)}\n`);
  console.log(`wrote examples/frameworks/${name}.xlsx and ${name}.framework.json`);
}
writeFileSync(new URL("county-2025.csv", dir), csv(county));
console.log("wrote examples/frameworks/county-2025.csv");
