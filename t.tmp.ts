import { readAll, file } from "./test/screening/readers-fixtures";
const HEADER = ["县", "乡镇", "行政村", "户编号", "人编号", "姓名", "备注"];
function people(n: number): string[][] {
  return Array.from({ length: n }, (_, i) => ["示例县", "甲乡", `${1 + (i % 5)}村`, `H${Math.floor(i / 3)}`, `P${i}`, `张三${i}`, i % 7 === 0 ? "低保，五保" : ""]);
}
const lines = [HEADER, ...people(99)].map((r) => r.join(","));
lines[10] = lines[10]!.replace(",张三", ',"张三');
lines[13] = lines[13]!.replace(/,张三(\d+),/, ',张三$1",');
console.log(lines.slice(9,15));
const r = await readAll(file("stray.csv", lines.join("\n") + "\n"));
console.log(r.rows.slice(9,13), r.summary);
const text = `a,b\n1,"${"长长长长长\n".repeat(300)}\n2,3\n4,${"x".repeat(2000)}\n5,6\n`;
const r2 = await readAll(file("big-field.csv", text), { limits: { maxRecordSize: 1000, maxRecordLines: 1000 } });
console.log(r2.rows.filter(r=>"code" in r), r2.summary);
