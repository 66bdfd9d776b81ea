// Benchmark of the SQL engine: npm run bench:sql [-- --rows N]
// Generates the synthetic CSV of scripts/bench-screen.ts (N rows, default 1,000,000), then times,
// each in a fresh process so that peak RSS is its own, the example rulebook screened by:
//   js      the JavaScript screener with 1 worker thread (screenFile),
//   duckdb  kaohe screen --engine duckdb (screenFileDuckdb: compiled SQL on embedded DuckDB),
//   hand    the same 14 rules written by hand as DuckDB SQL (no undecided state, no rejections),
// each handing every finding to JavaScript as a row, and prints rows/s, peak RSS and the ratios.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { prepareRulebook } from "../src/screening/prepare";
import { createEvaluatorPool } from "../src/screening/node/pool";
import { screenFile } from "../src/screening/node/run";
import { screenFileDuckdb } from "../src/sql/node/duckdb";

const RULEBOOK = fileURLToPath(new URL("../examples/screening/rulebook.json", import.meta.url));

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
}

/** The 14 example rules by hand: typed columns by TRY_CAST, one UNION ALL branch per rule. */
function handSql(file: string): string {
  const path = `'${file.replace(/'/g, "''")}'`;
  const p = "(SELECT * FROM p)";
  return `
WITH raw AS (SELECT * FROM read_csv(${path}, header = true, all_varchar = true)),
p AS (
  SELECT "户编号" AS hh, "人编号" AS pid, "风险是否消除" AS status, "风险消除方式" AS cleared_by, "风险类型" AS risk,
    "帮扶措施" AS measures, TRY_CAST("人均纯收入（元）" AS DECIMAL(18,2)) AS income, TRY_CAST("家庭人口数" AS INTEGER) AS size,
    "住房是否安全" = '否' AS unsafe, "是否易地扶贫搬迁" = '是' AS relocated, "识别纳入时间" AS identified, "风险消除时间" AS cleared,
    TRY_CAST("年龄" AS INTEGER) AS age, "劳动技能" AS labour, "在校生状况" AS school, "是否务工就业" = '是' AS employed,
    "是否参加城乡居民基本医疗保险" = '否' AS uninsured
  FROM raw),
h AS (
  SELECT hh, any_value(status) AS status, any_value(cleared_by) AS cleared_by, any_value(risk) AS risk, any_value(measures) AS measures,
    any_value(income) AS income, any_value(size) AS size, any_value(unsafe) AS unsafe, any_value(relocated) AS relocated,
    any_value(identified) AS identified, any_value(cleared) AS cleared, count(*) AS n,
    bool_or(age BETWEEN 6 AND 15 AND school IN ('非在校生', '辍学')) AS child_out,
    bool_or(labour IN ('普通劳动力', '技能劳动力')) AS any_labour, bool_and(labour IN ('普通劳动力', '技能劳动力')) AS all_labour,
    bool_or(employed) AS any_employed
  FROM ${p} GROUP BY hh)
SELECT 'SC01' AS code, hh AS id FROM h WHERE status = '已消除' AND identified <> '' AND cleared <> ''
  AND date_diff('month', CAST(identified AS DATE), CAST(cleared AS DATE)) < 6
UNION ALL SELECT 'SC02', hh FROM h WHERE status = '已消除' AND cleared_by = '帮扶消除' AND income < 7600
UNION ALL SELECT 'SC03', hh FROM h WHERE status = '已消除' AND child_out
UNION ALL SELECT 'SC04', hh FROM h WHERE status = '已消除' AND unsafe
UNION ALL SELECT 'SC05', hh FROM h WHERE measures = '综合保障' AND any_labour
UNION ALL SELECT 'SC06', hh FROM h WHERE strpos(risk, '缺劳动力') > 0 AND all_labour
UNION ALL SELECT 'SC07', hh FROM h WHERE relocated AND any_labour AND NOT any_employed
UNION ALL SELECT 'SC08', hh FROM h WHERE size IS NOT NULL AND size <> n
UNION ALL SELECT 'SC09', hh FROM h WHERE status = '未消除' AND (measures IS NULL OR measures = '')
UNION ALL SELECT 'SC10', hh FROM h WHERE income IS NULL
UNION ALL SELECT 'SC11', hh FROM h WHERE identified <> '' AND cleared <> '' AND cleared < identified
UNION ALL SELECT 'SC12', pid FROM ${p} WHERE age BETWEEN 6 AND 15 AND school IN ('非在校生', '辍学')
UNION ALL SELECT 'SC13', pid FROM ${p} WHERE uninsured
UNION ALL SELECT 'SC14', pid FROM ${p} WHERE age < 16 AND labour IN ('普通劳动力', '技能劳动力')`;
}

/** One measurement, run in this (child) process: prints JSON of rows, findings, seconds and peak RSS. */
async function measure(phase: string, file: string): Promise<void> {
  const started = performance.now();
  let rows = 0;
  let findings = 0;
  const rulebook = JSON.parse(readFileSync(RULEBOOK, "utf8")) as unknown;
  const prepared = prepareRulebook(rulebook as never);
  if (phase === "hand") {
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    const result = await connection.stream(handSql(file));
    for await (const chunk of result.yieldRowsJson()) findings += chunk.length;
    const counted = await connection.runAndReadAll(`SELECT CAST(count(*) AS VARCHAR) FROM read_csv('${file.replace(/'/g, "''")}', header = true, all_varchar = true)`);
    rows = Number((counted.getRowsJson()[0] as string[])[0]);
    connection.closeSync();
    instance.closeSync();
  } else {
    const pool = phase === "js" ? createEvaluatorPool(1, { rulebook, parameters: prepared.parameters }) : undefined;
    const screen = phase === "duckdb" ? screenFileDuckdb : screenFile;
    const result = await screen(prepared, file, {
      ...(pool ? { pool } : {}),
      onItems: (items) => {
        for (const item of items) if (item.kind !== "rejected") findings++;
      },
    });
    await pool?.close();
    if (!result.ok) throw new Error(result.reason);
    rows = result.counts.rowsRead;
  }
  const seconds = (performance.now() - started) / 1000;
  const usage = process.resourceUsage();
  console.log(JSON.stringify({ phase, rows, findings, seconds, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6, peakRssMiB: usage.maxRSS / 1024 }));
}

async function main(): Promise<void> {
  const phase = option("phase");
  const file = option("file");
  if (phase && file) return measure(phase, file);
  const rows = Number(option("rows") ?? 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), "kaohe-bench-sql-"));
  const csv = join(dir, "households.csv");
  try {
    let t = performance.now();
    const benchScreen = fileURLToPath(new URL("./bench-screen.ts", import.meta.url));
    execFileSync(process.execPath, [...process.execArgv, benchScreen, "--generate", csv, "--rows", String(rows)], { stdio: "inherit" });
    console.log(`generated ${rows.toLocaleString("en-US")} rows (${(statSync(csv).size / 2 ** 20).toFixed(0)} MiB) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const results: Record<string, { rows: number; findings: number; seconds: number; cpuSeconds: number; peakRssMiB: number }> = {};
    for (const name of ["js", "duckdb", "hand"]) {
      t = performance.now();
      const output = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--phase", name, "--file", csv], { encoding: "utf8" });
      const result = JSON.parse(output.trim().split("\n").pop() ?? "{}") as (typeof results)[string];
      results[name] = result;
      console.log(`${name.padEnd(7)} ${result.rows.toLocaleString("en-US")} rows  ${result.findings.toLocaleString("en-US")} findings  ${result.seconds.toFixed(2)} s (CPU ${result.cpuSeconds.toFixed(1)} s)  ${Math.round(result.rows / result.seconds).toLocaleString("en-US")} rows/s  peak RSS ${result.peakRssMiB.toFixed(0)} MiB`);
    }
    const js = results.js?.seconds ?? NaN;
    const duck = results.duckdb?.seconds ?? NaN;
    const hand = results.hand?.seconds ?? NaN;
    console.log(`duckdb / hand-written SQL = ${(duck / hand).toFixed(2)} (goal ≤ 1.5); js (1 worker) / duckdb = ${(js / duck).toFixed(2)} (goal ≥ 4)`);
    if (results.js && results.duckdb && results.js.findings !== results.duckdb.findings) console.log(`findings differ: js ${results.js.findings}, duckdb ${results.duckdb.findings}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
