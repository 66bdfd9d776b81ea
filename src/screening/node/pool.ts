import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createRequire } from "node:module";
import { Piscina } from "piscina";
import type { ScreeningItem } from "../evaluate";
import type { ParameterValue, Subject } from "../schema";
import type { RejectedRow, ScreeningRecord } from "../records";
import type { LinesResult, LinesTask } from "./lines";
import { unpackItems, type PackedItems } from "./pack";

/** What each worker receives once: the rulebook as JSON and the parameter overrides. */
export interface WorkerInit {
  readonly rulebook: unknown;
  readonly parameters: Readonly<Record<string, ParameterValue>>;
}

/** One batch of work: records (and rejected rows, passed through) of one kind of row. */
export interface EvaluateTask {
  readonly level: Subject;
  /** Fields whose column the file lacks (their rules are not run). */
  readonly missing?: Readonly<Record<string, string>>;
  readonly entries: readonly (ScreeningRecord | RejectedRow)[];
}

/** What a worker sends back for a batch of lines: {@link LinesResult} with its items packed. */
export interface PackedLinesResult extends Omit<LinesResult, "items"> {
  readonly items: PackedItems;
}

/** A pool of worker threads that evaluate batches of records. */
export interface EvaluatorPool {
  /** Evaluates a batch of records on the next free worker. */
  evaluate(task: EvaluateTask): Promise<ScreeningItem[]>;
  /** Screens a batch of lines on the next free worker, which assembles them into records first. */
  screenLines(task: LinesTask): Promise<LinesResult>;
  /** Stops the workers. */
  close(): Promise<void>;
  /** How many worker threads it has (1 when not said): the batches it is given at once grow with it. */
  readonly threads?: number;
}

/** Where a worker thread's module is, and what it is given: see {@link workerModule}. */
export interface WorkerModule<T> {
  /** The file piscina starts each thread with. */
  readonly filename: string;
  /** Flags the module needs in the worker (tsx when running from sources). */
  readonly loader: string[];
  /** The worker's `workerData`: `init`, and, when running from sources, the TypeScript module that `source-worker.cjs` loads (as `source`). */
  readonly workerData: T | (T & { readonly source: string });
}

/**
 * Where a worker module is: `<name>.js` next to the running bundle (dist/cli.js), or, when kaohe
 * runs from its sources (tsx, vitest), `<name>.ts` here, loaded as ES modules through tsx by
 * `source-worker.cjs` (piscina's require() would get tsx's slower CommonJS translation).
 *
 * @param name - The module's name: `screen-worker` or `tables-worker`.
 * @param init - What each worker is given.
 * @returns The file to start, the loader flags, and the worker's data.
 * @internal
 */
export function workerModule<T extends object>(name: "screen-worker" | "tables-worker", init: T): WorkerModule<T> {
  const candidates = [new URL(`./${name}.js`, import.meta.url), new URL(`./node/${name}.js`, import.meta.url)];
  for (const url of candidates) if (existsSync(fileURLToPath(url))) return { filename: url.href, loader: [], workerData: init };
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
  const source = new URL(`./${name}.ts`, import.meta.url).href;
  return { filename: new URL("./source-worker.cjs", import.meta.url).href, loader: ["--import", tsx], workerData: { ...init, source } };
}

/** Options of a worker thread derived from the process's own: see {@link workerOptions}. */
export interface WorkerOptions {
  readonly execArgv: string[];
  readonly resourceLimits?: { readonly maxOldGenerationSizeMb?: number; readonly stackSizeMb?: number };
}

/** The young generation of each worker thread, in MiB. */
const YOUNG_GENERATION_MB = 64;

/** Flags a worker thread accepts and needs: module loaders and resolution conditions, with their value. */
const WORKER_FLAGS = new Set(["--import", "--require", "-r", "--loader", "--experimental-loader", "--conditions", "-C"]);

/**
 * The exec arguments and resource limits for worker threads, from the process's exec arguments.
 * Node refuses per-process flags in a worker (`ERR_WORKER_INVALID_EXEC_ARGV`, e.g. for
 * `--max-old-space-size`), so only module loaders and conditions are passed on; a heap size or
 * stack size becomes the worker's `resourceLimits` instead.
 *
 * @param execArgv - The process's exec arguments (`process.execArgv`).
 * @param loader - Flags the worker module itself needs (tsx when running from sources), added unless already there.
 * @returns The worker's `execArgv` and `resourceLimits`.
 */
export function workerOptions(execArgv: readonly string[], loader: readonly string[] = []): WorkerOptions {
  const args: string[] = [];
  let heap: number | undefined;
  let stack: number | undefined;
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i] as string;
    const eq = arg.indexOf("=");
    const name = arg.startsWith("--") && eq !== -1 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith("--") && eq !== -1 ? arg.slice(eq + 1) : undefined;
    if (name === "--max-old-space-size" || name === "--stack-size") {
      const value = Number(inline ?? execArgv[i + 1]);
      if (inline === undefined) i++;
      if (Number.isFinite(value) && value > 0) {
        if (name === "--max-old-space-size") heap = value;
        else stack = Math.max(1, Math.round(value / 1024));
      }
      continue;
    }
    if (!WORKER_FLAGS.has(name)) continue;
    if (inline !== undefined) args.push(arg);
    else if (i + 1 < execArgv.length) args.push(arg, execArgv[++i] as string);
  }
  const loaded = args.some((arg) => arg.includes("tsx"));
  if (!loaded) args.push(...loader);
  const limits = { ...(heap === undefined ? {} : { maxOldGenerationSizeMb: heap }), ...(stack === undefined ? {} : { stackSizeMb: stack }) };
  return Object.keys(limits).length > 0 ? { execArgv: args, resourceLimits: limits } : { execArgv: args };
}

/**
 * Starts a pool of worker threads (piscina), each with the rulebook prepared once. A worker that
 * dies is replaced; its task fails, and the caller decides what to do with the rows it held.
 *
 * @param threads - The number of workers, at least 1.
 * @param init - The rulebook and parameter overrides.
 * @returns The pool.
 */
export function createEvaluatorPool(threads: number, init: WorkerInit): EvaluatorPool {
  const { filename, loader, workerData } = workerModule("screen-worker", init);
  const options = workerOptions(process.execArgv, loader);
  const pool = new Piscina({
    filename,
    minThreads: threads,
    maxThreads: threads,
    workerData,
    execArgv: options.execArgv,
    // A young generation larger than V8's default: a batch's records and findings then die young
    // instead of being copied into the old generation, which cuts the worker's time in the
    // garbage collector by about a third on the screening benchmark (decision 0303).
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB, ...options.resourceLimits },
    idleTimeout: 60_000,
    // Two tasks at once per worker (screenFile keeps at most two per thread): the second waits in
    // the worker's own queue and starts as soon as the first is done, rather than when this thread
    // next turns its event loop to hear of it (decision 0303).
    concurrentTasksPerWorker: 2,
  });
  return {
    evaluate: async (task) => unpackItems((await pool.run(task)) as PackedItems),
    screenLines: async (task) => {
      const result = (await pool.run(task)) as PackedLinesResult;
      return { ...result, items: unpackItems(result.items) };
    },
    close: () => pool.destroy(),
    threads,
  };
}
