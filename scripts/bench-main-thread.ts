// The main thread's own work in a screening run with a pool, this checkout against another, in one process:
//   npx tsx scripts/bench-main-thread.ts --base <another checkout of kaohe> --file <export.csv> [--rounds R]
// (the file: one that `npm run bench:screen -- --generate h.csv` writes, screened with
// examples/screening/rulebook.json). Each checkout's `screenFile` reads the file with a pool that
// serializes each batch as a worker's message port would (v8.serialize) and answers at once with
// no items, so that every batch goes to the "pool" and this thread does none of the job: what is
// left is reading, finding the keys, holding and sending lines. Runs alternate between the two
// checkouts, R rounds after one to warm up; it prints each one's median CPU time and the ratio
// (this ÷ base), which a shared, noisy machine distorts far less than runs in separate processes
// (decision 0303, "Revised a seventh time"). Each checkout is bundled first (esbuild, which tsup brings).
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { serialize } from "node:v8";
import { importScreening, median, option, textOption } from "./bench-util";

type Runner = () => Promise<{ cpuMs: number; rows: number }>;

/** One checkout's screenFile over the file, with a pool that answers at once. */
async function runnerOf(root: string, dir: string, name: string, file: string): Promise<Runner> {
  const { prepareRulebook, screenFile } = await importScreening(root, dir, name, ["prepare", "node/run"], true);
  const prepared = prepareRulebook(JSON.parse(readFileSync(resolve(root, "examples/screening/rulebook.json"), "utf8")));
  return async () => {
    let rows = 0;
    const pool = {
      evaluate: async (task: { rows?: readonly number[]; entries?: readonly unknown[] }) => {
        serialize(task);
        rows += (task.rows ?? task.entries ?? []).length;
        return [];
      },
      // Checkouts that send blocks of lines (decision 0303): answered with no items and no keys, so
      // that claiming the keys at delivery is not part of what is measured for them.
      screenLines: async (task: { parts: readonly unknown[]; rows: readonly number[] }) => {
        serialize(task);
        // Not split here (that would be counted as this thread's work): a run of lines counts once.
        rows += task.parts.length;
        return { items: [], keys: [], counts: { rowsRead: 0, rowsScreened: 0, rowsRejected: 0 } };
      },
      close: async () => undefined,
      threads: 1,
    };
    const before = process.cpuUsage();
    const result = await screenFile(prepared, file, { pool, onItems: () => undefined });
    const used = process.cpuUsage(before);
    if (!result.ok) throw new Error(result.reason);
    return { cpuMs: (used.user + used.system) / 1000, rows };
  };
}

async function main(): Promise<void> {
  const base = textOption("base");
  const file = textOption("file");
  if (!base || !file) throw new Error("usage: npx tsx scripts/bench-main-thread.ts --base <checkout> --file <export.csv> [--rounds R]");
  const rounds = option("--rounds", 6);
  const dir = mkdtempSync(join(tmpdir(), "kaohe-bench-main-"));
  try {
    const runners = { this: await runnerOf(resolve("."), dir, "this", file), base: await runnerOf(resolve(base), dir, "base", file) };
    const cpu: Record<"this" | "base", number[]> = { this: [], base: [] };
    for (let round = 0; round <= rounds; round++) {
      for (const name of round % 2 === 0 ? (["this", "base"] as const) : (["base", "this"] as const)) {
        const { cpuMs, rows } = await runners[name]();
        if (round > 0) cpu[name].push(cpuMs);
        console.log(`round ${round}${round === 0 ? " (warm-up)" : ""}: ${name.padEnd(4)} ${cpuMs.toFixed(0)} ms CPU, ${rows.toLocaleString("en-US")} rows (or runs of lines) sent`);
      }
    }
    console.log(`median CPU: this ${median(cpu.this).toFixed(0)} ms, base ${median(cpu.base).toFixed(0)} ms; this ÷ base = ${(median(cpu.this) / median(cpu.base)).toFixed(3)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
