// Memory and time of a multi-table screening (issue 14), each measurement in a fresh process:
//   npx tsx scripts/bench-tables.ts [--persons 3000000]
// Synthetic persons (证件号码, 户编号, 年龄) in households of 1 to 6 (about persons / 3.5), made
// on the fly (no file), pushed into a TablesScreener under three rulebooks:
//   (a) baseline: persons alone, one record rule (nothing held but the findings);
//   (b) unique: persons alone and a uniqueness check on 证件号码 (every key held);
//   (c) join: households (held, with a count of their persons) and persons joined to them, a
//       rule reading the household, the count check, and the uniqueness check.
// For each: wall and CPU seconds, the heap held after the last row, after a full GC (minus the heap before),
// bytes per person and per household, peak RSS. Times are printed as ratios to (a).
import { spawnSync } from "node:child_process";
import { TablesScreener, prepareTablesRulebook, type TablesRulebookInput } from "../src/screening/tables/index";
import { option } from "./bench-util";

const persons = option("--persons", 3_000_000);
const mode = process.argv[process.argv.indexOf("--mode") + 1];

const personTable = (refs: boolean) => ({
  title: "监测对象信息",
  key: "idNumber",
  ...(refs ? { refs: { householdId: "households" } } : {}),
  fields: { idNumber: { column: "证件号码", type: "text" as const }, householdId: { column: "户编号", type: "text" as const }, age: { column: "年龄", type: "number" as const } },
});
const households = {
  title: "户信息",
  key: "householdId",
  fields: { householdId: { column: "户编号", type: "text" as const }, householdSize: { column: "家庭人口数", type: "number" as const } },
};
const ageRule = { code: "B1", table: "persons", title: "年龄超过120", severity: "low" as const, when: { ">": [{ var: "age" }, 120] }, message: "年龄{age}" };
const unique = { code: "B2", kind: "unique" as const, table: "persons", fields: ["idNumber"], title: "证件号码重复", severity: "high" as const };
const BOOKS: Record<string, TablesRulebookInput> = {
  baseline: { id: "b", title: "基线", version: "1", tables: { persons: personTable(false) }, rules: [ageRule] },
  unique: { id: "u", title: "唯一", version: "1", tables: { persons: personTable(false) }, rules: [ageRule, unique] },
  join: {
    id: "j", title: "联表", version: "1", tables: { households, persons: personTable(true) },
    rules: [
      { ...ageRule, when: { and: [{ ">": [{ var: "age" }, 120] }, { ">": [{ var: "households.householdSize" }, 0] }] } },
      unique,
      { code: "B3", kind: "count", table: "households", field: "householdSize", of: "persons", title: "人数不符", severity: "high" },
    ],
  },
};

/** Household h has 1 + (h * 7 mod 6) persons; the last household is cut to fit. */
function* personRows(): Generator<Record<string, string>> {
  let made = 0;
  for (let h = 0; made < persons; h++) {
    const size = 1 + ((h * 7) % 6);
    for (let m = 0; m < size && made < persons; m++, made++) yield { idNumber: `41282319${String(made).padStart(10, "0")}`, householdId: `H${h}`, age: String(20 + ((h + m) % 60)) };
  }
}
function* householdRows(): Generator<Record<string, string>> {
  let made = 0;
  for (let h = 0; made < persons; h++) {
    const size = Math.min(1 + ((h * 7) % 6), persons - made);
    made += size;
    yield { householdId: `H${h}`, householdSize: String(size) };
  }
}

if (mode !== undefined && BOOKS[mode]) {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with --expose-gc");
  gc();
  const before = process.memoryUsage().heapUsed;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const screener = new TablesScreener(prepareTablesRulebook(BOOKS[mode] as TablesRulebookInput), mode === "join" ? ["households", "persons"] : ["persons"]);
  let householdCount = 0;
  if (mode === "join") {
    screener.begin("households");
    for (const row of householdRows()) screener.push(row, ++householdCount);
  }
  screener.begin("persons");
  let row = 0;
  for (const values of personRows()) screener.push(values, ++row);
  // The held state is at its largest after the last row: measured with the screener alive.
  gc();
  const held = process.memoryUsage().heapUsed - before;
  const result = screener.finish();
  const wall = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  console.log(JSON.stringify({ mode, wall, cpu: (used.user + used.system) / 1e6, findings: result.counts.findings, households: householdCount, heldBytes: held, peakRss: process.resourceUsage().maxRSS * 1024 }));
  process.exit(0);
}

{
  const results: Record<string, { wall: number; cpu: number; heldBytes: number; peakRss: number; households: number }> = {};
  for (const name of ["baseline", "unique", "join"]) {
    const run = spawnSync(process.execPath, ["--expose-gc", "--max-old-space-size=8192", "--import", "tsx", new URL(import.meta.url).pathname, "--mode", name, "--persons", String(persons)], { encoding: "utf8" });
    if (run.status !== 0) throw new Error(`${name}: ${run.stderr}`);
    results[name] = JSON.parse(run.stdout.trim().split("\n").at(-1) as string);
  }
  const base = results.baseline as { wall: number; cpu: number };
  const mib = (b: number) => `${(b / 1048576).toFixed(0)} MiB`;
  console.log(`${persons.toLocaleString("en-US")} persons, ${(results.join?.households ?? 0).toLocaleString("en-US")} households`);
  for (const [name, r] of Object.entries(results)) {
    const perPerson = r.heldBytes / persons;
    const perHousehold = name === "join" ? ` (${((r.heldBytes - (results.unique?.heldBytes ?? 0)) / r.households).toFixed(0)} B per household beyond (b))` : "";
    console.log(`${name.padEnd(8)} wall ${r.wall.toFixed(1)} s (${(r.wall / base.wall).toFixed(2)} × a), cpu ${r.cpu.toFixed(1)} s (${(r.cpu / base.cpu).toFixed(2)} × a), held ${mib(r.heldBytes)} = ${perPerson.toFixed(0)} B per person${perHousehold}, peak RSS ${mib(r.peakRss)}`);
  }
}
