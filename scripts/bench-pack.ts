// How a worker's findings cross to the main thread, copied as they are or packed (decision 0303):
// npx tsx scripts/bench-pack.ts --file households.csv (written by `npm run bench:screen -- --generate households.csv`).
// Screens the first 60 M characters of the file in batches of lines as a worker does, then times, in
// 5 interleaved rounds in this process, v8.serialize + v8.deserialize of each batch's items against
// packItems + serialize + deserialize + unpackItems.
import { readFileSync } from "node:fs";
import v8 from "node:v8";
import { prepareRulebook } from "../src/screening/prepare";
import { mapColumns } from "../src/screening/columns";
import { batchEvaluator, type LinesTask } from "../src/screening/node/lines";
import { packItems, unpackItems } from "../src/screening/node/pack";
import { textOption } from "./bench-util";

const file = textOption("file");
if (file === undefined) throw new Error("give --file households.csv (npm run bench:screen -- --generate households.csv)");
const text = readFileSync(file, "utf8").slice(0, 60_000_000);
const lines = text.split("\n"); lines.pop();
const header = (lines.shift() as string).split(",");
const rulebook = JSON.parse(readFileSync(new URL("../examples/screening/rulebook.json", import.meta.url), "utf8"));
const prepared = prepareRulebook(rulebook);
const mapped = mapColumns(prepared, header); if (!mapped.ok) throw new Error("map");
const evaluate = batchEvaluator(prepared);
const batches: unknown[][] = [];
let i = 0; let n = 0;
while (i < lines.length - 4000) {
  let j = i + 3300; const key = (l: string) => l.split(",")[3];
  while (key(lines[j] as string) === key(lines[j - 1] as string)) j++;
  const task: LinesTask = { kind: "lines", level: "person", file: "households.csv", columns: { indexes: mapped.map.indexes }, delimiter: ",", width: header.length, parts: [lines.slice(i, j).join("\n")], rows: [i + 2] };
  const { items } = evaluate.lines(task); n += items.length; batches.push(items); i = j;
}
console.log("batches", batches.length, "items", n);
for (let r = 0; r < 5; r++) {
  let t = performance.now(); let s = 0;
  for (const b of batches) { const buf = v8.serialize(b); s += (v8.deserialize(buf) as unknown[]).length; }
  const plain = performance.now() - t;
  t = performance.now(); let ser = 0, deser = 0;
  for (const b of batches) { const t0 = performance.now(); const buf = v8.serialize(packItems(b as never)); const t1 = performance.now(); s += unpackItems(v8.deserialize(buf)).length; deser += performance.now() - t1; ser += t1 - t0; }
  const packed = performance.now() - t;
  t = performance.now(); let ps = 0, pd = 0;
  for (const b of batches) { const t0 = performance.now(); const buf = v8.serialize(b); const t1 = performance.now(); v8.deserialize(buf); pd += performance.now() - t1; ps += t1 - t0; }
  console.log(`plain ${plain.toFixed(0)} ms (ser ${ps.toFixed(0)} deser ${pd.toFixed(0)})  packed ${packed.toFixed(0)} ms (pack+ser ${ser.toFixed(0)} deser+unpack ${deser.toFixed(0)})  µs/item plain ${(1000*plain/n).toFixed(2)} packed ${(1000*packed/n).toFixed(2)}`);
}
