// Diagnostic: where one screening run's CPU goes, thread by thread (Linux only: /proc/self/task).
//   npx tsx scripts/screen-threads.ts <file.csv> [workers, default 1] [batch size, default 1000]
// Screens the file with the example rulebook (examples/screening/rulebook.json) and prints the
// wall time and each thread's CPU seconds (the main thread first, then V8's helper threads and the
// workers), with their total: on a machine whose cores are all busy, the wall time is about the
// total divided by the cores (decision 0303, "Revised a fourth time").
import { readFileSync, readdirSync } from "node:fs";
import { prepareRulebook } from "../src/screening/prepare";
import { createEvaluatorPool } from "../src/screening/node/pool";
import { screenFile } from "../src/screening/node/run";

const [file, workersArg, batchArg] = process.argv.slice(2);
if (file === undefined) throw new Error("usage: npx tsx scripts/screen-threads.ts <file.csv> [workers] [batch size]");
const workers = Number(workersArg ?? 1);
const rulebook = JSON.parse(readFileSync(new URL("../examples/screening/rulebook.json", import.meta.url), "utf8"));
const prepared = prepareRulebook(rulebook);

/** Each thread's CPU seconds so far, by `id:name` (fields 14 and 15 of /proc/self/task/<id>/stat, in clock ticks of 1/100 s). */
function threads(): [string, number][] {
  return readdirSync("/proc/self/task").map((id) => {
    const stat = readFileSync(`/proc/self/task/${id}/stat`, "utf8");
    const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return [`${id}:${name}`, (Number(fields[11]) + Number(fields[12])) / 100];
  });
}

const started = performance.now();
const pool = workers > 0 ? createEvaluatorPool(workers, { rulebook, parameters: prepared.overrides }) : undefined;
let findings = 0;
const result = await screenFile(prepared, file, {
  batchSize: Number(batchArg ?? 1000),
  ...(pool ? { pool } : {}),
  onItems: (items) => {
    for (const item of items) if (item.kind !== "rejected") findings++;
  },
});
// Read before the pool closes, while its workers are still threads of this process.
const cpu = threads();
await pool?.close();
if (!result.ok) throw new Error(result.reason);
console.log(`${result.counts.rowsRead.toLocaleString("en-US")} rows, ${findings.toLocaleString("en-US")} findings, ${workers} worker(s): ${((performance.now() - started) / 1000).toFixed(2)} s`);
for (const [thread, seconds] of cpu) if (seconds >= 0.05) console.log(`  ${thread.padEnd(24)} ${seconds.toFixed(2)} s CPU`);
console.log(`  total                    ${cpu.reduce((sum, [, seconds]) => sum + seconds, 0).toFixed(2)} s CPU`);
