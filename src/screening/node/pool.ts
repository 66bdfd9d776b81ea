import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createRequire } from "node:module";
import { Piscina } from "piscina";
import type { ScreeningItem } from "../evaluate";
import type { ParameterValue, Subject } from "../schema";
import type { RejectedRow, ScreeningRecord } from "../records";

/** What each worker receives once: the rulebook as JSON and the parameter overrides. */
export interface WorkerInit {
  readonly rulebook: unknown;
  readonly parameters: Readonly<Record<string, ParameterValue>>;
}

/** One batch of work: records (and rejected rows, passed through) of one kind of row. */
export interface EvaluateTask {
  readonly level: Subject;
  readonly entries: readonly (ScreeningRecord | RejectedRow)[];
}

/** A pool of worker threads that evaluate batches of records. */
export interface EvaluatorPool {
  /** Evaluates a batch on the next free worker. */
  evaluate(task: EvaluateTask): Promise<ScreeningItem[]>;
  /** Stops the workers. */
  close(): Promise<void>;
}

/**
 * Where the worker module is: `screen-worker.js` next to the running bundle (dist/cli.js), or,
 * when kaohe runs from its sources (tsx, vitest), `screen-worker.ts` here, loaded through tsx.
 */
function workerModule(): { filename: string; execArgv: string[] } {
  const candidates = [new URL("./screen-worker.js", import.meta.url), new URL("./node/screen-worker.js", import.meta.url)];
  for (const url of candidates) if (existsSync(fileURLToPath(url))) return { filename: url.href, execArgv: [] };
  const source = new URL("./screen-worker.ts", import.meta.url);
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
  const loaded = process.execArgv.some((arg) => arg.includes("tsx"));
  return { filename: source.href, execArgv: loaded ? [] : ["--import", tsx] };
}

/**
 * Starts a pool of worker threads (piscina), each with the rulebook prepared once.
 *
 * @param threads - The number of workers, at least 1.
 * @param init - The rulebook and parameter overrides.
 * @returns The pool.
 */
export function createEvaluatorPool(threads: number, init: WorkerInit): EvaluatorPool {
  const { filename, execArgv } = workerModule();
  const pool = new Piscina({
    filename,
    minThreads: threads,
    maxThreads: threads,
    workerData: init,
    execArgv: [...process.execArgv, ...execArgv],
    idleTimeout: 60_000,
  });
  return {
    evaluate: (task) => pool.run(task) as Promise<ScreeningItem[]>,
    close: () => pool.destroy(),
  };
}
