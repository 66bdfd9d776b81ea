// A worker's whole job, this checkout against another, in one process:
//   npx tsx scripts/bench-job.ts --base <another checkout of kaohe> --file <export.csv> [--rows N] [--rounds R]
// (the file: one that `npm run bench:screen -- --generate h.csv` writes, screened with
// examples/screening/rulebook.json). Both checkouts' `batchEvaluator` and `packItems` screen the
// same batches of lines (about 1,000 rows each, cut where the household key, that file's fourth
// column, changes, as screenFile sends them to a worker) in alternating order, R rounds after one to warm up; it
// prints each one's median CPU time and the median of the paired ratios (this ÷ base), which a
// shared, noisy machine distorts far less than runs in separate processes (decision 0303).
// Each checkout's modules are bundled first (by esbuild, which tsup brings), as the CLI's worker
// is: loaded through tsx instead, the two copies' timings scatter far more.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { importScreening, median, option, textOption } from "./bench-util";

type Runner = () => number;

/** The job of one checkout: its modules, the example rulebook, the batches of lines. */
async function jobOf(root: string, dir: string, name: string, header: string[], body: readonly string[]): Promise<Runner> {
  const { prepareRulebook, batchEvaluator, mapColumns, packItems } = await importScreening(root, dir, name, ["prepare", "node/lines", "columns", "node/pack"]);
  const prepared = prepareRulebook(JSON.parse(readFileSync(resolve(root, "examples/screening/rulebook.json"), "utf8")));
  const mapped = mapColumns(prepared, header);
  if (!mapped.ok) throw new Error(mapped.reason);
  const key = (line: string) => line.split(",")[3];
  const tasks: unknown[] = [];
  for (let i = 0; i < body.length; ) {
    let j = Math.min(i + 1000, body.length);
    while (j < body.length && key(body[j] as string) === key(body[j - 1] as string)) j++;
    const lines = body.slice(i, j);
    const task = { kind: "lines", level: mapped.map.level, missing: mapped.map.missing, file: "bench.csv", columns: { indexes: mapped.map.indexes }, delimiter: "," };
    // Checkouts before decision 0303's blocks of lines take a line per string; later ones runs of lines as one text.
    tasks.push({ ...task, lines, rows: lines.map((_, k) => i + k + 2), width: header.length, parts: [lines.join("\n")] });
    i = j;
  }
  const evaluator = batchEvaluator(prepared);
  const run = typeof evaluator === "function" ? (task: unknown) => evaluator(task) : (task: { rows: number[] }) => evaluator.lines({ ...task, rows: [task.rows[0]] }).items;
  return () => {
    let items = 0;
    for (const task of tasks) items += packItems(run(task as never)).data.length;
    return items;
  };
}

const cpuMs = () => {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
};

async function main(): Promise<void> {
  const base = textOption("base");
  const file = textOption("file");
  if (!base || !file) throw new Error("usage: npx tsx scripts/bench-job.ts --base <checkout> --file <export.csv> [--rows N] [--rounds R]");
  const rows = option("--rows", 200_000);
  const rounds = option("--rounds", 9);
  const [head, ...rest] = readFileSync(file, "utf8").split("\n");
  const body = rest.slice(0, rows).filter((line) => line !== "");
  const header = (head ?? "").split(",");
  const here = fileURLToPath(new URL("..", import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), "kaohe-bench-job-"));
  let jobs: Record<"base" | "this", Runner>;
  try {
    jobs = { base: await jobOf(resolve(base), dir, "base", header, body), this: await jobOf(here, dir, "this", header, body) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const times = { base: [] as number[], this: [] as number[] };
  const ratios: number[] = [];
  for (let round = 0; round <= rounds; round++) {
    const order = round % 2 === 0 ? (["base", "this"] as const) : (["this", "base"] as const);
    const took = { base: 0, this: 0 };
    const items = { base: 0, this: 0 };
    for (const name of order) {
      const started = cpuMs();
      items[name] = jobs[name]();
      took[name] = cpuMs() - started;
    }
    if (items.base !== items.this) console.log(`round ${round}: the checkouts give different items (${items.base} against ${items.this})`);
    if (round === 0) continue;
    times.base.push(took.base);
    times.this.push(took.this);
    ratios.push(took.this / took.base);
  }
  console.log(`${body.length.toLocaleString("en-US")} rows, ${rounds} rounds: base ${median(times.base).toFixed(0)} ms, this ${median(times.this).toFixed(0)} ms (CPU medians); this ÷ base, paired: median ${median(ratios).toFixed(3)} [${ratios.map((r) => r.toFixed(2)).join(" ")}]`);
}

await main();
